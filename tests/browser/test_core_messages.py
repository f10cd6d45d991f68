"""Browser: the core messages page and a message card, on desktop and phone, with axe."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_core_messages_are_grouped_by_life_stage_and_accessible(page, demo_server):
    page.goto(f"{demo_server}/core-messages/")
    headings = page.locator(".message-stage > h2").all_inner_texts()
    assert [h.split("\n")[0][:2] for h in headings] == ["婚前", "孕前", "孕期", "新生", "儿童"]
    assert axe_violations(page) == []


def test_message_card_opens_and_can_be_printed(page, demo_server):
    page.goto(f"{demo_server}/core-messages/")
    page.get_by_role("link", name="信息卡片：孕前 第2条").click()
    page.wait_for_load_state()
    assert "叶酸" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("button", name="打印卡片").is_visible()  # shown by the script
    path = page.url.split("/", 3)[3]
    assert path.startswith("core-messages/")
    assert page.get_by_label("分享链接").input_value().endswith(path)
    assert axe_violations(page) == []
