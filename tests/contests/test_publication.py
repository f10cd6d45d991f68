"""The publication gate (issue 18): results go live only after the review phase, with every entry's
reviews (or a recorded reason) and every disagreement settled, approved in the workflow by a results
approver who did not submit them; a confirmation page lists what is published and who is e-mailed;
reviews lock at publication; entrants are e-mailed only after the final approval."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from content.contests import services
from content.contests.entries import Entry, Review
from content.contests.models import ContestPage, ContestResultsPage
from tests.factories.contests import EntryFactory, SubmittedReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(review_contest, users):
    """A fully reviewed A (first prize), a disputed B (40 points apart), D with one review of two,
    E with none."""
    a, b, d, e = (EntryFactory(contest=review_contest, title=f"作品{x}") for x in "ABDE")
    for entry, levels in ((a, (5, 4)), (b, (5, 3)), (d, (4,))):
        for reviewer, level in zip(("reviewer1", "reviewer2"), levels, strict=False):
            SubmittedReviewFactory(assignment__entry=entry, assignment__reviewer=users[reviewer], level=level)
    services.set_award(a, "first", users["organiser"])
    return a, b, d, e


def close_review(contest):
    ContestPage.objects.filter(pk=contest.pk).update(review_ends_at=timezone.now() - timedelta(hours=1))
    return ContestPage.objects.get(pk=contest.pk)


def publish_url(contest):
    return f"/admin/contests/{contest.pk}/publish/"


def test_results_cannot_be_submitted_or_approved_while_the_review_phase_is_open(
    client, review_contest, users, panel
):
    a, b, d, e = panel
    client.force_login(users["organiser"])
    html = client.get(publish_url(review_contest)).content.decode()
    assert "评审阶段尚未结束" in html
    assert f"{d.code}、{e.code}" in html  # the entries lacking reviews are named
    assert b.code in html and "评审意见分歧" in html
    assert 'disabled aria-disabled="true"' in html  # the submit button is disabled
    response = client.post(publish_url(review_contest), {"action": "submit", "confirm": "yes"}, follow=True)
    assert "评审阶段尚未结束" in response.content.decode()
    assert not ContestResultsPage.objects.child_of(review_contest).exists()

    # Even a results page submitted some other way cannot be approved while the gate is closed.
    from content.contests.publication import create_results_page

    page = create_results_page(review_contest, users["organiser"])
    state = page.get_workflow().start(page, users["organiser"])
    task_state = state.current_task_state
    task = task_state.task.specific
    assert "approve" not in [name for name, _label, _modal in task.get_actions(page, users["approver"])]
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, users["approver"], "approve")
    page.refresh_from_db()
    assert not page.live
    assert [m for m in mail.outbox if "zhangsan@example.org" in m.to] == []  # no entrant was told


def test_the_gate_opens_after_notes_and_an_approver_publishes_then_entrants_are_emailed(
    client, review_contest, users, panel, django_capture_on_commit_callbacks
):
    a, b, d, e = panel
    contest = close_review(review_contest)
    client.force_login(users["organiser"])
    html = client.get(publish_url(contest)).content.decode()
    assert "评审阶段尚未结束" not in html
    # the confirmation lists the award and every entrant who will be e-mailed
    assert "一等奖" in html and "作品A" in html and "张三、李四" in html
    assert "发送邮件的对象（4）" in html and "zhangsan@example.org" in html

    # the organiser records why D and E lack reviews and how B's disagreement was settled
    for entry, kind in ((d, "shortfall"), (e, "shortfall"), (b, "disagreement")):
        note = {"action": "note", "kind": kind, "entry": entry.pk}
        empty = client.post(publish_url(contest), {**note, "reason": " "}, follow=True)
        assert "请先填写原因" in empty.content.decode()
        client.post(publish_url(contest), {**note, "reason": "评审组已讨论"})
    assert Entry.objects.get(pk=b.pk).disagreement_note == "评审组已讨论"
    html = client.get(publish_url(contest)).content.decode()
    assert "所有条件均已满足" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(contest), {"action": "submit", "confirm": "yes"})
    page = ContestResultsPage.objects.child_of(contest).get()
    assert page.workflow_in_progress and not page.live
    assert [m for m in mail.outbox if "zhangsan@example.org" in m.to] == []  # nobody told before approval

    # organisers cannot publish results: no publish button, no approve action, even for the submitter
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in edit
    task_state = page.current_workflow_state.current_task_state
    assert task_state.task.specific.get_actions(page, users["organiser"]) == []

    # the approver approves through Wagtail's own workflow action
    client.force_login(users["approver"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    results_mails = [m for m in mail.outbox if m.to == ["zhangsan@example.org"]]
    assert len(results_mails) == 4 and any("一等奖" in m.body for m in results_mails)
    assert Entry.objects.filter(contest=contest, result_notified_at=None).count() == 0

    # reviews and awards are locked now
    review = Review.objects.filter(assignment__entry=a).first()
    with pytest.raises(services.ContestError, match="评分已锁定|已锁定"):
        services.reopen_review(review, users["organiser"], "改分")
    with pytest.raises(services.ContestError):
        services.set_award(b, "second", users["organiser"])
    with pytest.raises(services.ContestError):
        services.assign(e, users["reviewer3"], users["organiser"], notify=False)
    assignment = d.assignments.get(reviewer=users["reviewer1"])
    client.force_login(users["reviewer1"])
    response = client.post(f"/admin/reviews/{assignment.pk}/", {"action": "draft", "comment": "晚了"})
    assert response.status_code == 400 and "已锁定" in response.content.decode()


def test_the_approver_must_not_be_the_submitter(review_contest, users, panel):
    from content.contests.gate import approval_problems
    from content.contests.publication import create_results_page

    a, b, d, e = panel
    contest = close_review(review_contest)
    for entry in (d, e):
        Entry.objects.filter(pk=entry.pk).update(review_shortfall_reason="回避")
    Entry.objects.filter(pk=b.pk).update(disagreement_note="已讨论")
    users["approver"].groups.add(*users["organiser"].groups.all())  # one person in both groups
    page = create_results_page(contest, users["approver"])
    page.get_workflow().start(page, users["approver"])
    problems = approval_problems(page, users["approver"])
    assert problems == ["结果须由提交人以外的人批准。"]


@pytest.mark.parametrize("role", ["editor", "reviewer1", "approver"])
def test_only_organisers_reach_the_publication_page(client, review_contest, users, role):
    client.force_login(users[role])
    assert client.get(publish_url(review_contest)).status_code == 403
    assert client.post(publish_url(review_contest), {"action": "submit", "confirm": "yes"}).status_code == 403
