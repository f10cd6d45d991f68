"""The 2027 targets page in a real browser on both demo sites: axe-clean, phone-readable, printable,
every indicator with its target, value, gap, chart and table; the home strip leads there."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

SITES = [("localhost", 18, "新生儿髋关节发育不良筛查率"), ("sichuan.localhost", 14, "新生儿听力障碍筛查率")]


def site_url(demo_server, host):
    port = demo_server.rsplit(":", 1)[1]
    return f"http://{host}:{port}"


@pytest.mark.parametrize(("host", "count", "own_indicator"), SITES)
def test_targets_page_shows_every_indicator_and_has_no_serious_accessibility_violations(
    page, demo_server, host, count, own_indicator
):
    page.goto(f"{site_url(demo_server, host)}/targets/")
    assert page.get_by_role("heading", level=1).inner_text() == "2027 目标进展"
    indicators = page.locator("article.indicator")
    assert indicators.count() == count
    assert page.get_by_role("heading", level=3, name=own_indicator).is_visible()
    for index in range(count):
        article = indicators.nth(index)
        assert article.locator("[data-target]").inner_text().startswith(("≥", "≤"))
        assert article.locator("[data-latest]").inner_text()[0].isdigit()
        gap = article.locator("[data-gap]").inner_text()
        assert gap == "已达标" or (gap.startswith("还差") and ("百分点" in gap or "千分点" in gap))
        assert article.locator("svg[role=img]").count() == 1
        assert article.locator("table tbody tr").count() == 3
    stages = page.locator("section.target-stage h2").all_inner_texts()
    assert stages == ["婚前", "孕前", "孕期", "新生儿", "儿童"]
    assert page.get_by_text("以下报告值为演示用的示例数据").is_visible()
    # no horizontal scrolling, on a phone too
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    assert axe_violations(page) == []


def test_finder_link_of_an_indicator_opens_the_finder_filtered_for_its_service(page, demo_server):
    page.goto(f"{demo_server}/targets/")
    page.locator("#indicator-prenatal_screening_rate").get_by_role(
        "link", name="查找提供产前筛查的机构"
    ).click()
    page.wait_for_load_state()
    assert "service=prenatal_screening" in page.url
    assert page.get_by_role("heading", level=1).is_visible()


@pytest.mark.parametrize("host", ["localhost", "sichuan.localhost"])
def test_home_strip_leads_to_the_targets_page(page, demo_server, host):
    page.goto(f"{site_url(demo_server, host)}/")
    strip = page.locator(".targets-strip")
    assert strip.get_by_role("heading", name="2027 目标进展").is_visible()
    assert "已达标" in strip.inner_text()
    strip.get_by_role("link", name="查看每项目标的进展").click()
    page.wait_for_load_state()
    assert page.url.endswith("/targets/")
    assert axe_violations(page) == []


def test_printed_page_keeps_the_numbers_and_drops_the_navigation(page, demo_server):
    page.goto(f"{demo_server}/targets/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".indicator__links").first.is_visible()
    first = page.locator("article.indicator").first
    assert first.locator("table").is_visible() and first.locator("[data-gap]").is_visible()
    assert first.locator(".indicator__definition").is_visible()
