"""content/editorial/checks.py: health content submitted for medical review must be complete — a
source, a review date, alternative text for images, links only to published pages. Drafts save."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.base.roles import EDITOR, ensure_roles
from content.core_messages.models import CoreMessage
from content.editorial.review import require_medical_review

from .factories import CoreMessageFactory, ResourceIndexPageFactory, ResourcePageFactory, home_page

MISSING_LINK = '<p>见<a linktype="page" id="987654">旧页面</a></p>'
SOURCE = inline_formset([{"citation": "《出生缺陷防治能力提升计划（2023—2027年）》", "url": ""}])


@pytest.fixture
def editor(db, client):
    account = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    account.groups.add(ensure_roles()[EDITOR])
    client.force_login(account)
    return account


@pytest.fixture
def index(editor):
    index = ResourceIndexPageFactory(parent=home_page())
    require_medical_review(pages=[index])
    return index


def resource_data(**changes):
    data = {
        "title": "叶酸怎么补", "slug": "", "summary": "摘要。", "format": "article",
        "date_published": "2026-01-10", "body": streamfield([]), "sources": SOURCE,
        "comments": inline_formset([]), "text_version": rich_text(""), "transcript": "", "video_url": "",
        "image_alt": "", "reviewer": "", "last_reviewed": "2026-09-01", "next_review": "", "tags": "",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(changes)
    return nested_form_data(data)


def submit(client, index, **changes):
    url = reverse("wagtailadmin_pages:add", args=["library", "resourcepage", index.pk])
    return client.post(url, {**resource_data(**changes), "action-submit": "submit"})


def in_review():
    return WorkflowState.objects.filter(base_content_type__model="page", status="in_progress").count()


def test_a_complete_resource_goes_to_medical_review(client, index):
    response = submit(client, index)
    assert response.status_code == 302 and in_review() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"sources": inline_formset([])}, "提交医学审核前，请至少添加一条参考来源"),
    ({"last_reviewed": ""}, "提交前请填写最近一次医学审核的日期。"),
    ({"body": MISSING_LINK}, "有链接指向已不存在的页面"),
])
def test_an_incomplete_resource_is_refused_with_a_chinese_message(client, index, changes, message):
    if changes.get("body") == MISSING_LINK:  # built here: the editor's converter needs the database
        changes = {"body": streamfield([("paragraph", rich_text(MISSING_LINK))])}
    response = submit(client, index, **changes)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert in_review() == 0


def test_a_link_to_an_unpublished_page_and_an_image_without_alt_text_are_flagged(client, index):
    draft = ResourcePageFactory(parent=index, title="还没发布的资源", live=False)
    image = Image.objects.create(title="示意图", file=get_test_image_file())
    body = streamfield([
        ("paragraph", rich_text(f'<p>见<a linktype="page" id="{draft.pk}">草稿</a></p>')),
        ("image", {"image": image.pk, "alt_text": "", "caption": ""}),
    ])
    html = submit(client, index, body=body, image=image.pk, image_alt="").content.decode()
    assert "有链接指向未发布的页面「还没发布的资源」" in html
    assert "正文第 2 个图片块没有替代文本。" in html
    assert "提交前请为图片填写替代文本" in html
    assert in_review() == 0


def test_saving_a_draft_is_never_blocked(client, index):
    url = reverse("wagtailadmin_pages:add", args=["library", "resourcepage", index.pk])
    response = client.post(url, resource_data(sources=inline_formset([]), last_reviewed=""))
    assert response.status_code == 302 and in_review() == 0


def test_a_core_message_without_source_is_refused_on_submission(client, editor):
    message = CoreMessageFactory(statement="旧的核心信息。", source="")
    message.save_revision().publish()
    edit_url = reverse(CoreMessage.snippet_viewset.get_url_name("edit"), args=[message.pk])
    data = nested_form_data({"life_stage": message.life_stage_id, "number": message.number,
                             "statement": "改过的核心信息。", "explanation": rich_text("<p>解释。</p>"),
                             "source": "", "source_url": "", "reviewer": "", "last_reviewed": "",
                             "next_review": ""})
    html = client.post(edit_url, {**data, "action-submit": "submit"}).content.decode()
    assert "提交医学审核前，请填写这条核心信息的来源。" in html
    assert "提交前请填写最近一次医学审核的日期。" in html
    assert CoreMessage.objects.get(pk=message.pk).current_workflow_state is None
