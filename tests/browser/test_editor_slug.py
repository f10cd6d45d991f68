"""The page editor's slug field follows a Chinese title as pinyin (static/js/admin/pinyin-slug.js),
and stops following once the editor types a slug by hand."""

import re

import pytest
from playwright.sync_api import expect

from .test_admin_chinese import library_index_id, sign_in

pytestmark = pytest.mark.browser


def test_the_slug_field_fills_in_pinyin_as_the_title_is_typed(browser, demo_server):
    context, tab = sign_in(browser, demo_server, "editor")
    try:
        index = library_index_id(tab)
        tab.goto(f"{demo_server}/admin/pages/add/library/resourcepage/{index}/")
        tab.locator("#id_title").fill("孕期营养指南")
        tab.locator("#id_title").blur()
        slug = tab.locator("#id_slug")
        expect(slug).to_have_value(re.compile(r"^yunqi"))
        assert slug.input_value().isascii()

        tab.get_by_role("tab", name="推广").click()  # the slug lives on the promote tab
        slug.fill("my-own-slug")
        slug.blur()
        tab.get_by_role("tab", name="内容").click()
        tab.locator("#id_title").focus()
        tab.locator("#id_title").fill("新生儿听力筛查")
        tab.locator("#id_title").blur()
        tab.wait_for_timeout(1000)
        expect(slug).to_have_value("my-own-slug")
    finally:
        context.close()
