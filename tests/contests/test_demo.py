"""The contest demo as `make run` loads it (one test: loading the whole demo takes half a minute)."""

import pytest

from content.contests.entries import Entry, Review, ReviewAssignment
from content.contests.models import ContestPage

pytestmark = pytest.mark.django_db


def test_demo_contests(demo, client):
    # an open call, a call in review and a past call with published results, all listed at /contests/
    stages = {c.slug: c.stage() for c in ContestPage.objects.all()}
    assert stages == {
        "thalassaemia-day-video": "open",
        "birth-defects-day": "review",
        "birth-defects-day-2025": "results",
    }
    html = client.get("/contests/").content.decode()
    assert all(c.title in html for c in ContestPage.objects.all())
    past = ContestPage.objects.originals().get(slug="birth-defects-day-2025")
    results = client.get(past.results_page.url)
    assert results.status_code == 200 and "一等奖" in results.content.decode()

    # the call in review: at least eight entries, reviews partly done by each reviewer, a draft left
    in_review = ContestPage.objects.originals().get(slug="birth-defects-day")
    assert in_review.entries.filter(status=Entry.Status.SUBMITTED).count() >= 8
    for username in ("reviewer1", "reviewer2", "reviewer3"):
        assignments = ReviewAssignment.objects.filter(
            entry__contest=in_review, reviewer__username=username, status="active"
        )
        submitted = Review.objects.filter(assignment__in=assignments, status="submitted").count()
        assert 0 < submitted < assignments.count(), username
    assert Review.objects.filter(assignment__entry__contest=in_review, status="draft").exists()

    # nobody reviews an entry from their own organisation
    for assignment in ReviewAssignment.objects.select_related("entry", "reviewer__reviewer_profile"):
        assert assignment.entry.organisation != assignment.reviewer.reviewer_profile.organisation

    # the past first prize became a draft library resource
    award = past.entries.get(award__level="first").award
    assert award.resource_page is not None and not award.resource_page.live


def test_demo_results_were_approved_by_the_approver_not_the_organiser(demo, client, settings):
    from wagtail.models import TaskState

    past = ContestPage.objects.originals().get(slug="birth-defects-day-2025")
    state = TaskState.objects.filter(workflow_state__object_id=str(past.results_page.pk)).get()
    assert state.status == "approved" and state.finished_by.username == "approver"
    assert state.workflow_state.requested_by.username == "organiser"
    assert client.login(username="approver", password=settings.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    # the call in review cannot be published yet
    from content.contests.gate import gate

    assert not gate(ContestPage.objects.originals().get(slug="birth-defects-day")).is_open
