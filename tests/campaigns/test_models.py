"""content/campaigns: tree rules, the featured edition and archive, the countdown, events,
iCalendar files and JSON-LD."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage
from content.campaigns.models import CampaignIndexPage, CampaignKeyMessage, CampaignPage

from ..library.factories import (
    CampaignEventFactory,
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CoreMessageFactory,
    CoreMessagesPageFactory,
    home_page,
)


class TreeRulesTests(WagtailPageTestCase):
    def test_editions_live_under_the_campaign_index(self):
        self.assertAllowedParentPageTypes(CampaignIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CampaignIndexPage, {CampaignPage})
        self.assertAllowedParentPageTypes(CampaignPage, {CampaignIndexPage})
        self.assertAllowedSubpageTypes(CampaignPage, set())


@pytest.fixture
def index(db):
    return CampaignIndexPageFactory(parent=home_page())


def edition(index, title, day, date, **fields):
    return CampaignPageFactory(parent=index, title=title, slug=f"{day}-{date:%Y%m%d}", day=day, date=date, **fields)


def test_countdown_counts_days_to_the_campaign_day(index):
    page = edition(index, "2027年世界地贫日", "thalassaemia_day", datetime.date(2027, 5, 8))
    assert page.days_until(datetime.date(2027, 4, 28)) == 10
    assert page.days_until(datetime.date(2027, 5, 8)) == 0
    assert page.days_until(datetime.date(2027, 5, 9)) == -1


def test_countdown_is_rendered_by_the_server_before_the_day_only(client, index):
    from django.utils import timezone

    today = timezone.localdate()
    soon = edition(index, "即将到来的宣传日", "other", today + datetime.timedelta(days=12))
    html = client.get(soon.url).content.decode()
    assert re.search(r'距离[^<]*还有<strong class="countdown__days">12</strong>天', html)
    past = edition(index, "已经过去的宣传日", "other", today - datetime.timedelta(days=3))
    assert "countdown__days" not in client.get(past.url).content.decode()
    on_the_day = edition(index, "就是今天的宣传日", "other", today)
    assert "今天是" in client.get(on_the_day.url).content.decode()


def test_index_features_the_next_edition_and_archives_the_rest_by_year(client, index):
    edition(index, "2025年世界地贫日", "thalassaemia_day", datetime.date(2025, 5, 8))
    edition(index, "2026年预防出生缺陷日", "birth_defects_day", datetime.date(2026, 9, 12))
    edition(index, "2026年世界地贫日", "thalassaemia_day", datetime.date(2026, 5, 8))
    assert index.featured_edition(datetime.date(2026, 1, 1)).title == "2026年世界地贫日"
    assert index.featured_edition(datetime.date(2026, 6, 1)).title == "2026年预防出生缺陷日"
    assert index.featured_edition(datetime.date(2026, 11, 1)).title == "2026年预防出生缺陷日"  # none ahead: latest
    html = client.get(index.url).content.decode()
    assert "2025年" in html and "2025年世界地贫日" in html


def test_the_fixed_days_must_fall_on_their_date(index):
    page = CampaignPage(title="错日期", slug="wrong", day="birth_defects_day", date=datetime.date(2026, 9, 13),
                        theme="主题")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "date" in error.value.message_dict


@pytest.fixture
def campaign(index):
    page = edition(index, "2026年世界地贫日", "thalassaemia_day", datetime.date(2026, 5, 8),
                   body=[{"type": "finder", "value": {"title": "哪里可以做地贫筛查", "services": ["thalassemia"]}}])
    CampaignEventFactory(page=page, title="地贫筛查咨询进社区", kind="community",
                         starts_at=datetime.datetime(2026, 5, 8, 1, 0, tzinfo=datetime.UTC),
                         registration_url="https://example.org/register")
    CampaignEventFactory(page=page, title="地贫防控知识进校园", kind="school",
                         starts_at=datetime.datetime(2026, 5, 9, 7, 0, tzinfo=datetime.UTC),
                         ends_at=datetime.datetime(2026, 5, 9, 8, 30, tzinfo=datetime.UTC))
    return CampaignPage.objects.get(pk=page.pk)


def test_campaign_page_lists_events_key_messages_and_a_pre_filtered_finder(client, campaign):
    CoreMessagesPageFactory(parent=home_page())
    message = CoreMessageFactory(statement="夫妇同为同型地贫基因携带者，孕期应接受产前诊断。")
    draft = CoreMessageFactory(statement="草稿信息。", live=False)
    CampaignKeyMessage.objects.create(page=campaign, message=message, sort_order=0)
    CampaignKeyMessage.objects.create(page=campaign, message=draft, sort_order=1)
    html = client.get(campaign.url).content.decode()
    assert "夫妇同为同型地贫基因携带者" in html and "草稿信息。" not in html
    assert "进社区" in html and "进校园" in html
    assert "2026年5月8日 09:00" in html  # Beijing time
    assert '<input type="hidden" name="service" value="thalassemia">' in html
    assert 'href="/facilities/?service=thalassemia"' in html
    # Both events (May 2026) are over: each says 已结束 and offers no calendar file (issue 18)
    assert html.count("/ical/") == 0 and html.count("已结束") == 2


def test_icalendar_per_event_and_per_campaign(client, campaign):
    response = client.get(f"{campaign.url}ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = [component for component in calendar.walk("VEVENT")]
    assert [str(event["SUMMARY"]) for event in events] == ["地贫筛查咨询进社区", "地贫防控知识进校园"]
    first = events[0]
    assert first.decoded("DTSTART") == datetime.datetime(2026, 5, 8, 1, 0, tzinfo=datetime.UTC)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == datetime.timedelta(hours=2)  # default length
    assert "丰台区" in str(first["LOCATION"])
    assert "报名：https://example.org/register" in str(first["DESCRIPTION"])
    assert [str(c) for c in first["CATEGORIES"].cats] == ["世界地贫日"]
    assert len({str(event["UID"]) for event in events}) == 2
    assert calendar.walk("VTIMEZONE")  # the Shanghai zone travels with the times

    one = campaign.events.get(title="地贫防控知识进校园")
    single = Calendar.from_ical(client.get(f"{campaign.url}events/{one.pk}/ical/").content)
    [event] = single.walk("VEVENT")
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=90)
    assert client.get(f"{campaign.url}events/999999/ical/").status_code == 404


def test_campaign_json_ld_has_the_article_and_its_events(client, campaign):
    html = client.get(campaign.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    types = [item["@type"] for item in data["@graph"]]
    assert types == ["Article", "Event", "Event"]
    event = data["@graph"][1]
    assert event["name"] == "地贫筛查咨询进社区"
    assert event["startDate"] == "2026-05-08T09:00:00+08:00"
    assert event["location"]["address"]["addressLocality"] == "丰台区"
    assert event["offers"]["url"] == "https://example.org/register"


def test_home_page_shows_the_next_campaign(client, campaign):
    html = client.get("/").content.decode()
    assert "2026年世界地贫日" in html
