import re

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

TITLE = "增补叶酸为什么能预防神经管缺陷"


def test_pick_a_suggestion_from_the_header_box_and_reach_the_page(page, demo_server):
    page.goto(f"{demo_server}/")
    box = page.locator("#site-search-q")
    assert box.get_attribute("data-suggest-url") == "/api/search/suggest/"
    box.click()
    box.press_sequentially("zengbu", delay=60)  # pinyin of 增补
    option = page.get_by_role("option", name=re.compile(TITLE))
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    option.click()
    page.wait_for_url(re.compile(r"/library/"))
    assert page.locator("h1").first.inner_text().strip() == TITLE


def test_keyboard_choice_of_a_suggestion(page, demo_server):
    page.goto(f"{demo_server}/")
    box = page.locator("#site-search-q")
    box.click()
    box.press_sequentially("羊水", delay=60)
    page.get_by_role("option").first.wait_for()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.url != f"{demo_server}/"


def test_search_without_javascript_finds_highlights_and_filters(browser, demo_server):
    context = browser.new_context(bypass_csp=True, java_script_enabled=False, locale="zh-CN")
    tab = context.new_page()
    tab.goto(f"{demo_server}/")
    tab.locator("#site-search-q").fill("叶酸")
    tab.locator("#site-search-q").press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q="))
    first = tab.locator(".search-result").first
    assert first.locator("mark").first.inner_text() == "叶酸"
    tab.locator(".search-types").get_by_role("link", name=re.compile("科普资源")).click()
    tab.wait_for_url(re.compile(r"type=resource"))
    assert (
        tab.locator(".search-result .badge").all_inner_texts() == ["科普资源"] * tab.locator(".search-result").count()
    )
    context.close()


def test_search_page_has_no_serious_accessibility_violations(page, demo_server):
    page.goto(f"{demo_server}/search/?q=%E5%94%90%E7%AD%9B")
    assert page.locator(".search-result").count() > 0
    assert axe_violations(page) == []
    page.goto(f"{demo_server}/search/?q=zzqxwv")
    assert page.get_by_role("link", name="查找附近的持证服务机构").first.is_visible()
    assert axe_violations(page) == []
