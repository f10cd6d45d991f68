"""Browser suite: what the public sees across sections — shared styles on every page that uses the markup, the
Sichuan site's links to the shared library and campaigns, the next campaign on the home page, and a rejected
contest entry opening at its errors."""

import datetime
import re

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def coming_edition():
    """The demo's coming 世界地贫日 (its editions are dated from today)."""
    from content.campaigns.demo import editions

    return editions()[0]


def test_core_messages_and_secondary_buttons_are_styled_on_a_campaign_page(page, demo_server):
    page.goto(f"{demo_server}/campaigns/{coming_edition()['slug']}/")
    number = page.locator(".core-message__number").first
    # The numbered disc of a core message, not a bare digit on its own line.
    assert number.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 95, 86)"
    button = page.get_by_role("link", name=re.compile("^把全部活动加入日历"))
    border = button.evaluate("e => getComputedStyle(e).borderTopColor")
    background = button.evaluate("e => getComputedStyle(e).backgroundColor")
    assert border != background
    links = page.locator(".finder-block .button-list a")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert second["y"] < first["y"] + first["height"] or page.viewport_size["width"] < 500
    assert axe_violations(page) == []


def test_core_message_stages_are_a_row_of_links(page, demo_server):
    page.goto(f"{demo_server}/core-messages/")
    stages = page.locator(".stage-jump a")
    assert stages.nth(0).bounding_box()["y"] == stages.nth(1).bounding_box()["y"]


def test_home_announces_the_next_campaign_edition(page, demo_server):
    page.goto(f"{demo_server}/")
    banner = page.locator(".next-campaign")
    coming = coming_edition()
    assert banner.get_by_role("link", name=coming["title"]).is_visible()
    if datetime.date.today() < coming["date"]:
        assert re.search(r"距离世界地贫日还有\s*\d+\s*天", banner.inner_text())
    page.goto(f"{demo_server}/campaigns/")
    assert page.locator(".featured-edition").get_by_role("link", name=coming["title"]).is_visible()


def test_sichuan_home_links_the_shared_library_and_campaigns(page, demo_server):
    port = demo_server.rsplit(":", 1)[1]
    page.goto(f"http://sichuan.localhost:{port}/")
    nav = page.get_by_role("navigation", name="主导航")
    for title in ("查找持证机构", "健康教育核心信息", "科普资源库", "宣传活动"):
        assert nav.get_by_role("link", name=title).count() == 1
    # Its own finder and the shared library (an alias of the Beijing one) both stay on the Sichuan site.
    assert nav.get_by_role("link", name="查找持证机构").get_attribute("href") == "/facilities/"
    assert nav.get_by_role("link", name="科普资源库").get_attribute("href") == "/library/"
    assert page.locator(".latest-resources .resource-card").count() >= 1
    assert page.locator(".next-campaign").get_by_role("link", name=coming_edition()["title"]).is_visible()
    page.locator(".section-cards").get_by_role("link", name="科普资源库").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "科普资源库"
    assert page.url == f"http://sichuan.localhost:{port}/library/"
    assert axe_violations(page) == []


def test_footer_links_privacy_and_accessibility_statements(page, demo_server):
    page.goto(f"{demo_server}/")
    footer = page.locator("footer")
    for title in ("隐私政策", "无障碍声明"):
        footer.get_by_role("link", name=title).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == title
        page.go_back()


def test_a_rejected_contest_entry_opens_at_its_errors(page, demo_server):
    page.goto(f"{demo_server}/contests/thalassaemia-day-video/")
    page.get_by_role("button", name="提交作品").click()
    page.wait_for_load_state()
    errors = page.get_by_role("alert").filter(has_text="作品未提交")
    assert errors.is_visible()
    box = errors.bounding_box()
    assert -1 <= box["y"] < page.viewport_size["height"]
