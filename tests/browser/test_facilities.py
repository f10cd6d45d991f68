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

    if page.locator("details.finder-filters").get_attribute("open") is None:  # folded on a phone
        page.locator(".finder-filters__summary").click()
    page.locator("#finder-city").select_option("110105")  # 朝阳区 (Beijing lists its districts at once)
    page.get_by_role("search", name="查找机构").get_by_role("button", name="查找", exact=True).click()
    page.wait_for_url(re.compile(r"city=110105"))
    names = card_names(page)
    assert names == ["朝阳区妇幼保健院"]
    assert axe_violations(page) == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_nearest_to_me_uses_the_browsers_location(browser, demo_server, device):
    options = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(
        bypass_csp=True, locale="zh-CN", geolocation=FANGSHAN, permissions=["geolocation"], **options
    )
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
    # 「报告信息有误」 is a form on the page now (issue 15), no longer a bare mailto: link
    assert page.locator("a[href^='mailto:']", has_text="报告信息有误").count() == 0
    page.locator(".facility-report summary").click()
    assert page.get_by_role("button", name="提交报告").is_visible()
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


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, demo_server):
    context = browser.new_context(locale="zh-CN", bypass_csp=True, **PHONE)
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?q=婚检")
    first = page.locator(".facility-card").first
    box = first.bounding_box()
    assert box["y"] + min(box["height"], 200) <= PHONE["viewport"]["height"]  # name, services and call visible
    assert box["height"] < 420  # a compact card, not the full record
    filters = page.locator("details.finder-filters")
    assert filters.get_attribute("open") is None  # folded on a phone
    summary = re.sub(r"\s", "", page.locator(".finder-filters__summary").inner_text())
    assert summary == "筛选（已选1项）"  # the site's province
    assert page.locator(".finder-results__count").bounding_box()["y"] < box["y"]
    call = first.locator("a.facility-call").first
    assert call.inner_text().startswith("致电") and call.bounding_box()["height"] >= 44
    assert "婚前医学检查" in first.locator(".facility-services li").first.inner_text()  # the match comes first
    page.locator(".finder-filters__summary").click()
    assert page.locator("#finder-city").is_visible()
    assert axe_violations(page) == []
    context.close()


def test_on_a_desktop_the_filters_are_open_above_the_list(browser, demo_server):
    context = browser.new_context(locale="zh-CN", bypass_csp=True, **DESKTOP)
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?q=婚检")
    assert page.locator("details.finder-filters").get_attribute("open") is not None
    assert page.locator("#finder-city").is_visible()
    assert page.locator("#finder-city").bounding_box()["y"] < page.locator(".facility-card").first.bounding_box()["y"]
    context.close()


def test_pagination_works_without_javascript(browser, demo_server):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, bypass_csp=True, **PHONE)
    page = context.new_page()
    page.goto(f"{demo_server}/facilities/?province=")
    first_page = card_names(page)
    page.get_by_role("link", name="下一页").click()
    assert "page=2" in page.url and set(card_names(page)).isdisjoint(first_page)
    context.close()


def test_printable_card_qr_decodes_to_the_facility_page(page, demo_server):
    import io

    import zxingcpp
    from PIL import Image

    page.goto(f"{demo_server}/facilities/?q=房山长宁医院")
    page.locator(".facility-card__name a").first.click()
    facility_url = page.url.split("?")[0]
    assert page.get_by_role("link", name="高德地图").get_attribute("href").startswith("https://uri.amap.com/marker?")
    assert page.locator("a[href^='geo:']").count() == 1
    page.get_by_role("link", name="打印卡片（A6）").click()
    assert page.locator("h1").inner_text() == "北京房山长宁医院"
    shot = page.locator(".print-card__qr svg").screenshot()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert decoded == [facility_url]
    assert axe_violations(page) == []


def test_reporting_wrong_information(page, demo_server):
    page.goto(f"{demo_server}/facilities/?q=房山长宁医院")
    page.locator(".facility-card__name a").first.click()
    page.locator(".facility-report summary").click()
    page.get_by_role("button", name="提交报告").click()
    assert page.get_by_text("请选择哪项信息有误。").is_visible()
    assert page.get_by_text("请说明哪里有误。").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("联系电话").check()
    page.get_by_label("正确的信息是（或发生了什么）").fill("这个电话打过去是空号")
    page.get_by_role("button", name="提交报告").click()
    assert page.get_by_role("status").filter(has_text="谢谢").is_visible()
    assert "这个电话打过去是空号" not in page.content()


@pytest.fixture(scope="module")
def tiled_server():
    """A second demo server with a tile source configured (MAP_TILE_URL); tiles are answered by the
    browser context below, so no tile server is needed."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    import time
    import urllib.request
    from pathlib import Path

    from .conftest import ROOT, free_port

    workdir = Path(tempfile.mkdtemp(prefix="portal-tiles-"))
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
           "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}", "MEDIA_ROOT": str(workdir / "media"),
           "PRIVATE_MEDIA_ROOT": str(workdir / "private"), "MAP_TILE_URL": "https://tiles.test/{z}/{x}/{y}.png",
           "MAP_TILE_ATTRIBUTION": "测试底图"}
    env.pop("ELASTICSEARCH_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["update_index"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    yield base
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_list_map_toggle_with_a_tile_source(browser, tiled_server, device):
    context = browser.new_context(locale="zh-CN", bypass_csp=True, **(DESKTOP if device == "desktop" else PHONE))
    tile = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
                         "f8cfc0f01f0005000201a5f1e0e20000000049454e44ae426082")
    tiles_asked = []
    context.route("https://tiles.test/**", lambda route: (tiles_asked.append(route.request.url),
                                                          route.fulfill(body=tile, content_type="image/png")))
    page = context.new_page()
    page.goto(f"{tiled_server}/facilities/?q=婚检")
    cards = page.locator(".facility-card").count()
    page.get_by_role("button", name="地图").click()
    assert page.locator("#finder-map-canvas").is_visible() and not page.locator(".facility-list").is_visible()
    page.locator("#finder-map-canvas .leaflet-marker-icon").first.wait_for()
    assert page.locator("#finder-map-canvas .leaflet-marker-icon").count() == cards
    page.wait_for_timeout(300)
    assert tiles_asked  # the configured tile source is used
    assert axe_violations(page) == []
    page.get_by_role("button", name="列表").click()
    assert page.locator(".facility-list").is_visible()
    page.locator(".facility-card__name a").first.click()
    page.wait_for_load_state()
    page.locator("#facility-map-canvas .leaflet-marker-icon").first.wait_for()  # the map script runs after load
    assert page.locator("#facility-map-canvas .leaflet-marker-icon").count() == 1
    context.close()
