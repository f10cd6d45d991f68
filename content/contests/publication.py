"""Publishing results: a ContestResultsPage drafted from the awards, submitted through the
publication gate and approved in a Wagtail workflow by a results approver (never the organiser who
submitted it); when it goes live, the contest's history records it, reviews lock, and every entrant
is told the outcome through the task queue.

The gate (`gate`) opens only when the review phase has closed, every active entry has the reviews
the contest asks for (or an organiser recorded why not), every flagged disagreement was resolved or
acknowledged, and at least one work is awarded. It is checked on the confirmation page, when the
results are submitted, and again when an approver approves (models.ResultsApprovalTask)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from content.base.roles import CONTEST_ORGANISER

from . import emails
from .entries import Award, Entry
from .gate import gate
from .models import ContestResultsPage, ResultsApprovalTask
from .roles import CONTEST_RESULTS_APPROVER

RESULTS_WORKFLOW = "竞赛结果发布审批"
RESULTS_TASK = "竞赛结果审批人审批"


def ensure_results_workflow() -> Workflow:
    """The approval workflow for results pages: one task, approved by the results approvers' group
    (organisers draft and submit, they do not approve)."""
    group, _created = Group.objects.get_or_create(name=CONTEST_RESULTS_APPROVER)
    task = ResultsApprovalTask.objects.filter(name=RESULTS_TASK).first()
    if task is None:
        task = ResultsApprovalTask.objects.create(name=RESULTS_TASK)
    task.groups.set([group])
    workflow, _created = Workflow.objects.get_or_create(name=RESULTS_WORKFLOW, defaults={"active": True})
    # A workflow left by an older version (approved by the organisers themselves) is put right.
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def grant_section_publishing(section):
    """Organisers publish their calls (contest pages) on the contests section; results pages are
    never published directly (models.ResultsPagePermissionTester), only through the workflow."""
    group, _created = Group.objects.get_or_create(name=CONTEST_ORGANISER)
    permission = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)


def attach_workflow(page):
    """Results pages always go through the results workflow, wherever they sit in the tree."""
    workflow = ensure_results_workflow()
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def create_results_page(contest, user):
    """The contest's results page (a draft, created if missing), with the workflow attached."""
    page = ContestResultsPage.objects.child_of(contest).first()
    if page is None:
        page = ContestResultsPage(
            title=_("%(contest)s results") % {"contest": contest.title},
            slug="results",
            live=False,
            owner=user,
            introduction=format_html(
                "<p>{}</p>",
                _(
                    "Reviewed anonymously by experts and confirmed by the "
                    "organisers, the awarded works are announced below."
                ),
            ),
        )
        contest.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    attach_workflow(page)
    return page


def submit_results(contest, user):
    """From the confirmation page: check the gate, draft the page if needed and submit it to the
    results workflow. Returns the page; raises ContestError when the gate is closed."""
    from .services import ContestError

    problems = gate(contest).problems
    if problems:
        raise ContestError(" ".join(problems))
    page = create_results_page(contest, user)
    page = ContestResultsPage.objects.get(pk=page.pk)
    if page.live:
        raise ContestError(_("The results are already published."))
    if page.workflow_in_progress:
        raise ContestError(_("The results are already waiting for approval."))
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def record_gate_note(entry, kind, reason, user):
    """An organiser records why an entry lacks reviews ("shortfall") or how a disagreement was settled
    ("disagreement"). An empty reason clears it."""
    from .services import ContestError

    reason = " ".join(reason.split())[:300]
    if entry.contest.has_live_results():
        raise ContestError(_("The results are published; the review record is locked."))
    field_name = {"shortfall": "review_shortfall_reason", "disagreement": "disagreement_note"}.get(kind)
    if field_name is None:
        raise ContestError(_("Unknown note."))
    setattr(entry, field_name, reason)
    entry.save(update_fields=[field_name, "updated_at"])
    log(entry, "contests.gate_note", user=user, data={"code": entry.code, "reason": reason, "kind": kind})


def on_results_published(page, user=None):
    """Called when a results page goes live: record it on the contest and email each entrant once,
    through the task queue, after the publishing transaction commits."""
    contest = page.get_parent().specific
    log(contest, "contests.results_publish", user=user, data={"results_page": page.pk})
    results_url = page.full_url
    pending = list(
        Entry.objects.filter(
            contest=contest, status=Entry.Status.SUBMITTED, result_notified_at=None, contact_purged_at=None
        )
    )
    awards = {a.entry_id: a for a in Award.objects.filter(entry__in=pending)}

    def send():
        for entry in pending:
            emails.send_result(entry, awards.get(entry.pk), results_url)
        Entry.objects.filter(pk__in=[e.pk for e in pending]).update(result_notified_at=timezone.now())

    transaction.on_commit(send)
