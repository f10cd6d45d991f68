"""Editors' rich text reaches the public inert (issue 9, "rich text validated"): Wagtail's Draftail
conversion keeps only the allowed features and drops `javascript:` links, text that looks like
markup is escaped, and a forged post of raw HTML in place of Draftail's JSON is read as text —
never a server error, never live markup."""

import json

import pytest

from content.library.models import ResourcePage
from tests.library.factories import ResourceIndexPageFactory, ResourcePageFactory, home_page

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def text_version_widget():
    return ResourcePage.get_edit_handler().get_form_class().base_fields["text_version"].widget


def hostile_contentstate():
    text = f"{PAYLOAD} 点这里"
    return json.dumps({
        "blocks": [{"key": "a1", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(text) - 3, "length": 3, "key": 0}]}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    })


def test_draftail_content_is_stored_without_live_markup_or_script_links():
    stored = text_version_widget().value_from_datadict({"text_version": hostile_contentstate()}, {}, "text_version")
    assert "javascript:" not in stored
    assert "<script" not in stored and "<img" not in stored
    assert "&lt;script&gt;" in stored


def test_raw_html_posted_in_place_of_draftail_json_is_kept_as_escaped_text():
    stored = text_version_widget().value_from_datadict({"text_version": PAYLOAD}, {}, "text_version")
    assert "<script" not in stored and "<img" not in stored
    assert stored.startswith("<p>&lt;script&gt;")


def test_a_forged_admin_post_of_raw_html_gets_the_form_again_not_a_server_error(admin_client):
    page = ResourcePageFactory(parent=ResourceIndexPageFactory(parent=home_page()), format="infographic")
    form = {"title": page.title, "slug": page.slug, "text_version": PAYLOAD, "body-count": "0",
            **{f"sources-{key}": value for key, value in
               {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()}}
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code < 500
    assert PAYLOAD.encode() not in response.content


def test_the_public_page_shows_the_editors_text_inert(client):
    stored = text_version_widget().value_from_datadict({"text_version": hostile_contentstate()}, {}, "text_version")
    page = ResourcePageFactory(parent=ResourceIndexPageFactory(parent=home_page()), format="infographic",
                               text_version=stored)
    html = client.get(page.url).content.decode()
    assert "点这里" in html and "&lt;script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "javascript:alert" not in html
