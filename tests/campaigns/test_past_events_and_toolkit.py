"""Issue 18 small items on campaign pages: a past event says 已结束 and offers no 加入日历; the demo's
海报 and 社交媒体分享图 are different files (a PDF poster and a PNG share card)."""

import datetime

import pytest
from django.utils import timezone

from content.campaigns.models import CampaignPage

from ..library.factories import CampaignEventFactory, CampaignIndexPageFactory, CampaignPageFactory, home_page

pytestmark = pytest.mark.django_db


def test_past_events_are_marked_ended_without_a_calendar_link(client):
    index = CampaignIndexPageFactory(parent=home_page())
    page = CampaignPageFactory(parent=index, title="世界地贫日", slug="thal", day="thalassaemia_day",
                               date=datetime.date(2026, 5, 8))
    now = timezone.now()
    past = CampaignEventFactory(page=page, title="已办的进社区", starts_at=now - datetime.timedelta(days=3))
    coming = CampaignEventFactory(page=page, title="将办的进校园", starts_at=now + datetime.timedelta(days=3))
    html = client.get(CampaignPage.objects.get(pk=page.pk).url).content.decode()
    past_item = html[html.index(f'id="event-{past.pk}"'):html.index(f'id="event-{coming.pk}"')]
    coming_item = html[html.index(f'id="event-{coming.pk}"'):]
    assert "已结束" in past_item and "加入日历" not in past_item and "/ical/" not in past_item
    assert "已结束" not in coming_item.split("</li>")[0] and f"events/{coming.pk}/ical/" in coming_item
    assert "把全部活动加入日历" in html  # one event is still to come


def test_when_every_event_is_over_there_is_no_calendar_to_add(client):
    index = CampaignIndexPageFactory(parent=home_page())
    page = CampaignPageFactory(parent=index, title="预防出生缺陷日", slug="bd", day="birth_defects_day",
                               date=datetime.date(2025, 9, 12))
    CampaignEventFactory(page=page, title="往年活动", starts_at=timezone.now() - datetime.timedelta(days=400))
    html = client.get(CampaignPage.objects.get(pk=page.pk).url).content.decode()
    assert "已结束" in html and "/ical/" not in html


def test_demo_poster_and_share_card_are_different_files():
    from content.campaigns.demo import build, editions

    index = CampaignIndexPageFactory(parent=home_page())
    build(index, editions()[0])
    page = CampaignPage.objects.child_of(index).get()
    files = {block.value["kind"]: block.value["document"] for block in page.toolkit}
    assert files["poster"].pk != files["social"].pk
    assert files["poster"].file.name.endswith(".pdf") and files["social"].file.name.endswith(".png")
    with files["social"].file.open("rb") as f:
        from PIL import Image

        assert Image.open(f).size == (1200, 630)
