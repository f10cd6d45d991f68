"""The demo's campaign editions are dated from the day it is loaded: whatever the date, the home page's
「下一个宣传日」 has an edition ahead, and the archive has the past ones."""

import datetime

import pytest

from content.campaigns.demo import editions
from content.campaigns.models import FIXED_DAYS, CampaignPage

from ..library.factories import CampaignIndexPageFactory, home_page


@pytest.mark.parametrize("today", [datetime.date(2026, 12, 4) + datetime.timedelta(days=d) for d in range(0, 1500, 23)]
                         + [datetime.date(2028, 5, 8), datetime.date(2028, 5, 9), datetime.date(2027, 9, 12),
                            datetime.date(2027, 12, 31), datetime.date(2028, 1, 1)])
def test_the_demo_always_has_a_coming_edition_and_past_ones(today):
    dated = editions(today)
    coming, past = dated[0], dated[1:]
    assert today <= coming["date"] <= today + datetime.timedelta(days=366)
    assert all(edition["date"] <= today for edition in past)
    assert len({edition["slug"] for edition in dated}) == len(dated)
    for edition in dated:
        assert (edition["date"].month, edition["date"].day) == FIXED_DAYS[edition["day"]]
        assert edition["title"].startswith(f"{edition['date'].year}年")
        # The coming edition's events are around its day, never a year off.
        for event in edition["events"]:
            assert abs(event[2][0]) <= 3


@pytest.mark.django_db
def test_a_demo_built_a_year_later_still_features_a_coming_edition():
    from content.campaigns.demo import build

    later = datetime.date.today() + datetime.timedelta(days=400)
    index = CampaignIndexPageFactory(parent=home_page())
    for edition in editions(later):
        build(index, edition)
    featured = index.featured_edition(later)
    assert featured.date >= later and featured.title == editions(later)[0]["title"]
    assert CampaignPage.objects.child_of(index).filter(date__lt=later).count() == 4
