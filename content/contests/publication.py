"""Publishing results: a ContestResultsPage drafted from the awards, approved through a Wagtail workflow;
when it goes live, the contest's history records it and every entrant is told the outcome."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from content.base.roles import CONTEST_ORGANISER

from . import emails
from .models import Award, ContestResultsPage, Entry

RESULTS_WORKFLOW = "竞赛结果发布审批"
RESULTS_TASK = "竞赛组织者审批"


def ensure_results_workflow() -> Workflow:
    """The approval workflow for results pages: one task, approved by the contest organisers' group."""
    group, _created = Group.objects.get_or_create(name=CONTEST_ORGANISER)
    task = GroupApprovalTask.objects.filter(name=RESULTS_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=RESULTS_TASK)
    task.groups.add(group)
    workflow, _created = Workflow.objects.get_or_create(name=RESULTS_WORKFLOW, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def grant_section_publishing(section):
    """Organisers approve results in the workflow, and Wagtail publishes an approved page as its
    approver: so they need publish permission, on the contests section only."""
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


def on_results_published(page, user=None):
    """Called when a results page goes live: record it on the contest and email each entrant once."""
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
