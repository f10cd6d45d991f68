import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_demo_home_has_no_serious_accessibility_violations(page, demo_server):
    page.goto(f"{demo_server}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").first.is_visible()
    assert axe_violations(page) == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, demo_server):
    page.goto(f"{demo_server}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_large_text_mode_enlarges_text_without_javascript(browser, demo_server):
    context = browser.new_context(bypass_csp=True, java_script_enabled=False, locale="zh-CN")
    tab = context.new_page()
    tab.goto(f"{demo_server}/")
    before = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    tab.get_by_role("button", name="大字版").click()
    tab.wait_for_load_state()
    after = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= before * 1.2
    assert tab.get_by_role("button", name="标准字号").is_visible()
    context.close()


def test_home_has_no_horizontal_scroll_on_a_phone_at_200_percent_text(browser, demo_server):
    # 200% zoom on a 390px phone is the layout of a 195px-wide viewport.
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(f"{demo_server}/")
    tab.evaluate("document.documentElement.style.fontSize = '200%'")
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    context.close()
