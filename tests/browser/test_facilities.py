"""The facility finder as a person uses it: search 婚检, narrow to a district, let the browser share a
location and sort by distance, open a facility; with axe checks on desktop and phone."""

import re

import pytest

from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser
FANGSHAN = {"latitude": 39.77439, "longitude": 116.16075}


def card_names(page):
    return page.locator(".facility-card__name a").all_inner_texts()


def test_search_by_common_name_then_filter_a_district(page, demo_server):
    page.goto(f"{demo_server}/facilities/")
    assert axe_violations(page) == []
    finder = page.get_by_role("search", name="查找机构")
    finder.get_by_label("服务项目、区县或机构名称").fill("婚检")
    finder.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url(re.compile(r"q=%E5%A9%9A%E6%A3%80"))
    assert page.locator(".finder-results__count").inner_text().startswith("找到")
    first = page.locator(".facility-card").first
    assert "婚前医学检查" in first.inner_text()
    assert first.locator(".badge--free").count() >= 1
    assert first.locator("a[href^='tel:']").count() >= 1

    page.locator("#finder-city").select_option("110105")  # 朝阳区 (Beijing lists its districts at once)
    page.get_by_role("search", name="查找机构").get_by_role("button", name="查找", exact=True).click()
    page.wait_for_url(re.compile(r"city=110105"))
    names = card_names(page)
    assert names == ["朝阳区妇幼保健院"]
    assert axe_violations(page) == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_nearest_to_me_uses_the_browsers_location(browser, demo_server, device):
    options = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(bypass_csp=True, locale="zh-CN", geolocation=FANGSHAN, permissions=["geolocation"], **options)
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?service=prenatal_screening")
    page.get_by_role("button", name="离我最近").click()
    page.wait_for_url(re.compile(r"sort=distance"))
    assert "near=39.77439" in page.url
    assert card_names(page)[0] == "北京房山长宁医院"
    distances = [float(re.search(r"约 ([\d.]+) 公里", t).group(1))
                 for t in page.locator(".facility-distance").all_inner_texts()]
    assert distances == sorted(distances) and distances[0] < 2
    assert page.get_by_text("距离按您当前的位置计算").is_visible()
    context.close()


def test_without_location_the_district_centre_is_used(browser, demo_server):
    context = browser.new_context(bypass_csp=True, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?province=110000&city=110111&sort=distance")
    assert "房山区" in page.locator(".finder-note").first.inner_text()
    assert page.locator(".facility-distance").count() > 0
    context.close()


def test_facility_page(page, demo_server):
    page.goto(f"{demo_server}/facilities/?q=房山长宁医院")
    page.locator(".facility-card__name a").first.click()
    assert page.locator("h1").inner_text() == "北京房山长宁医院"
    assert "MedicalOrganization" in page.locator("script[type='application/ld+json']").inner_text()
    assert page.get_by_role("link", name="报告信息有误").get_attribute("href").startswith("mailto:")
    assert page.get_by_role("button", name="打印").is_visible()
    assert page.locator("#facility-map-canvas").count() == 0  # no tile server configured
    assert axe_violations(page) == []


def test_finder_fits_a_320px_screen(browser, demo_server):
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?q=唐筛")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    context.close()
