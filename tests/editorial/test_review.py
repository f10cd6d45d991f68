"""content/editorial/review.py, reports.py, wagtail_hooks.py: the 「医学审核」 workflow, scheduled
publishing, the overdue-review report and dashboard panel, and the content checks."""

import datetime
import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.base.roles import EDITOR, MEDICAL_REVIEWER, ensure_roles
from content.core_messages.models import CoreMessage
from content.editorial.reports import overdue_content
from content.editorial.review import WORKFLOW_NAME, require_medical_review
from content.editorial.wagtail_hooks import HealthContentChecker
from tests.library.factories import (
    CoreMessageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    home_page,
)

PASSWORD = "changeme-test"


def user(username, group):
    account = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    account.groups.add(ensure_roles()[group])
    return account


@pytest.fixture
def people(db):
    return {"editor": user("editor", EDITOR), "reviewer": user("medical_reviewer", MEDICAL_REVIEWER)}


@pytest.fixture
def resource(people):
    index = ResourceIndexPageFactory(parent=home_page())
    require_medical_review(pages=[index])
    page = ResourcePageFactory(parent=index, title="叶酸怎么补", summary="旧摘要。")
    page.save_revision().publish()
    return page


def edit_data(page, **changes):
    data = {
        "title": page.title, "slug": page.slug, "summary": page.summary, "format": page.format,
        "date_published": str(page.date_published), "body": streamfield([]), "sources": inline_formset([]),
        "comments": inline_formset([]), "text_version": rich_text(""), "transcript": "", "video_url": "",
        "image_alt": "", "reviewer": "", "last_reviewed": "", "next_review": "", "tags": "",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(changes)
    return nested_form_data(data)


def test_an_editor_cannot_publish_a_resource_only_submit_it_for_medical_review(client, people, resource):
    client.force_login(people["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[resource.pk])
    assert "action-publish" not in client.get(edit_url).content.decode()

    client.post(edit_url, {**edit_data(resource, summary="编辑改过的摘要。"), "action-publish": "publish"})
    resource.refresh_from_db()
    assert resource.summary == "旧摘要。"  # the live page is unchanged
    assert "编辑改过的摘要。" not in client.get(resource.url).content.decode()

    # Complete for review (checks.py): a source and the review date.
    complete = edit_data(resource, summary="编辑改过的摘要。", last_reviewed="2026-09-01",
                         sources=inline_formset([{"citation": "《出生缺陷防治能力提升计划》", "url": ""}]))
    client.post(edit_url, {**complete, "action-submit": "submit"})
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(resource.pk))
    assert state.workflow.name == WORKFLOW_NAME and state.status == "in_progress"
    resource.refresh_from_db()
    assert resource.summary == "旧摘要。"

    # The editor cannot approve their own change.
    approve = reverse("wagtailadmin_pages:workflow_action", args=[resource.pk, "approve", state.current_task_state.pk])
    client.post(approve, {"comment": ""})
    resource.refresh_from_db()
    assert resource.summary == "旧摘要。"

    client.force_login(people["reviewer"])
    client.post(approve, {"comment": "医学内容准确。"})
    resource.refresh_from_db()
    assert resource.summary == "编辑改过的摘要。"
    assert "编辑改过的摘要。" in client.get(resource.url).content.decode()


def test_an_editor_cannot_publish_a_core_message_only_submit_it(client, people):
    message = CoreMessageFactory(statement="旧的核心信息。")
    message.save_revision().publish()
    client.force_login(people["editor"])
    edit_url = reverse(CoreMessage.snippet_viewset.get_url_name("edit"), args=[message.pk])
    data = nested_form_data({"life_stage": message.life_stage_id, "number": message.number,
                             "statement": "编辑改过的核心信息。", "explanation": rich_text("<p>解释。</p>"),
                             "source": message.source, "source_url": "", "reviewer": "", "last_reviewed": "2026-09-01",
                             "next_review": ""})
    client.post(edit_url, {**data, "action-publish": "publish"})
    message.refresh_from_db()
    assert message.statement == "旧的核心信息。"

    client.post(edit_url, {**data, "action-submit": "submit"})
    state = message.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME

    client.force_login(people["reviewer"])
    approve = reverse(CoreMessage.snippet_viewset.get_url_name("workflow_action"),
                      args=[message.pk, "approve", state.current_task_state.pk])
    client.post(approve, {"comment": ""})
    message.refresh_from_db()
    assert message.statement == "编辑改过的核心信息。"


def test_core_messages_need_review_on_a_bare_migrated_database(db):
    assert CoreMessage.get_default_workflow().name == WORKFLOW_NAME


def test_new_health_sections_get_the_workflow(people, client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD))
    home = home_page()
    client.post(reverse("wagtailadmin_pages:add", args=["library", "resourceindexpage", home.pk]),
                nested_form_data({"title": "资源库二", "slug": "library-two", "introduction": "",
                                  "comments": inline_formset([]), "action-publish": "publish"}))
    index = Page.objects.get(slug="library-two")
    assert index.get_workflow().name == WORKFLOW_NAME


def test_scheduled_publishing_publishes_when_the_time_comes(db, client):
    index = ResourceIndexPageFactory(parent=home_page())
    page = ResourcePageFactory(parent=index, title="定时发布的资源", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    page.save_revision().publish()  # what 「发布」 does for a page with a future go-live time
    page.refresh_from_db()
    assert not page.live
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    page.refresh_from_db()
    assert not page.live  # not yet
    assert "定时发布的资源" not in client.get("/library/").content.decode()
    time.sleep(2.2)
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    page.refresh_from_db()
    assert page.live
    assert "定时发布的资源" in client.get("/library/").content.decode()


@pytest.fixture
def overdue(db):
    index = ResourceIndexPageFactory(parent=home_page())
    today = timezone.localdate()
    stale = ResourcePageFactory(
        parent=index, title="过期未复审的资源", last_reviewed=today - datetime.timedelta(days=400)
    )
    fresh = ResourcePageFactory(parent=index, title="刚审核过的资源", last_reviewed=today - datetime.timedelta(days=10))
    never = ResourcePageFactory(parent=index, title="没有审核日期的资源")
    message = CoreMessageFactory(statement="过期的核心信息。", next_review=today - datetime.timedelta(days=1))
    return stale, fresh, never, message


def test_overdue_report_lists_content_past_its_next_review(overdue):
    titles = [item.title for item in overdue_content()]
    assert titles[0] == "过期未复审的资源"  # most overdue first
    assert any("过期的核心信息。" in title for title in titles)
    assert "刚审核过的资源" not in titles and "没有审核日期的资源" not in titles


def test_overdue_report_page_export_and_dashboard_panel(client, overdue, people):
    client.force_login(people["editor"])
    html = client.get(reverse("overdue_review_report")).content.decode()
    assert "过期未复审的资源" in html and "刚审核过的资源" not in html
    assert reverse("wagtailadmin_pages:edit", args=[overdue[0].pk]) in html
    export = client.get(reverse("overdue_review_report") + "?export=csv")
    assert export.status_code == 200
    assert "过期未复审的资源" in b"".join(export.streaming_content).decode("utf-8-sig")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 项内容待医学复审" in dashboard
    assert reverse("overdue_review_report") in dashboard


def test_content_checks_add_sources_and_alt_text_rules():
    checker = HealthContentChecker()
    config = checker.get_axe_configuration(None)
    rules = {rule["id"]: rule for rule in config["spec"]["rules"]}
    assert rules["portal-missing-sources"]["selector"] == "[data-content-check~='sources']"
    assert "portal-missing-alt" in config["options"]["runOnly"]
    assert config["messages"]["portal-missing-sources"]["error_name"] == "缺少参考来源"
    json.dumps(config, cls=DjangoJSONEncoder)  # the configuration goes to the browser as JSON


def test_the_page_editor_uses_the_health_content_checks(client, people, resource):
    admin = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[resource.pk])).content.decode()
    assert "portal-missing-sources" in html
