"""Browser: the campaign index and a campaign page, on desktop and phone, with axe."""

import re

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def demo_edition(position):
    """A demo campaign edition (dated from today): 0 the coming 世界地贫日, 3 the last one."""
    from content.campaigns.demo import editions

    return editions()[position]


def test_campaign_index_and_edition_are_accessible(page, demo_server):
    page.goto(f"{demo_server}/campaigns/")
    assert page.get_by_role("heading", level=1).inner_text() == "宣传活动"
    assert axe_violations(page) == []
    page.get_by_role("link", name=demo_edition(3)["title"]).click()
    page.wait_for_load_state()
    assert page.get_by_text("世界地贫日").first.is_visible()
    assert page.get_by_role("heading", name="活动安排").is_visible()
    assert page.locator('input[name="service"]').count() == 1 or page.locator('select[name="service"]').count() == 1
    assert page.locator('a[href="/facilities/?service=thalassemia"]').count() >= 1
    assert axe_violations(page) == []


def test_event_calendar_downloads(page, demo_server):
    # an upcoming edition: past events say 已结束 and offer no calendar entry
    page.goto(f"{demo_server}/campaigns/{demo_edition(0)['slug']}/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^加入日历.*地贫筛查与遗传咨询进社区")).first.click()
    path = download.value.path()
    text = open(path, encoding="utf-8").read()
    assert "BEGIN:VEVENT" in text and "SUMMARY:地贫筛查与遗传咨询进社区" in text
