"""The editors' and medical reviewers' 「待办」 panels: drafts, pages sent back, pages to review,
content past its review date."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, TaskState, WorkflowState

from content.base.dashboard import WaitingItem, WaitingPanel, WaitingSection

from .reports import overdue_content


def _page_workflow_states():
    return WorkflowState.objects.filter(base_content_type__app_label="wagtailcore",
                                        base_content_type__model="page")


def my_drafts(user) -> list[WaitingItem]:
    """Pages I own with changes not yet published, and not already with the medical reviewers."""
    in_workflow = [int(pk) for pk in _page_workflow_states().active().values_list("object_id", flat=True)]
    pages = (Page.objects.filter(owner=user).filter(Q(live=False) | Q(has_unpublished_changes=True))
             .exclude(pk__in=in_workflow))
    return [WaitingItem(page.get_admin_display_title(), reverse("wagtailadmin_pages:edit", args=[page.pk]),
                        _("Last edited %(date)s") % {"date": f"{page.latest_revision_created_at:%Y-%m-%d}"}
                        if page.latest_revision_created_at else "")
            for page in pages.order_by("-latest_revision_created_at")]


def sent_back(user) -> list[WaitingItem]:
    """Pages I submitted that a medical reviewer sent back with requested changes."""
    states = (_page_workflow_states().filter(status=WorkflowState.STATUS_NEEDS_CHANGES, requested_by=user)
              .select_related("current_task_state").order_by("-current_task_state__finished_at"))
    items = []
    for state in states:
        page = Page.objects.filter(pk=int(state.object_id)).first()
        if page is None:
            continue
        comment = state.current_task_state.comment if state.current_task_state else ""
        items.append(WaitingItem(page.get_admin_display_title(),
                                 reverse("wagtailadmin_pages:edit", args=[page.pk]), comment))
    return items


def waiting_for_my_review(user) -> list[WaitingItem]:
    finder = AdminURLFinder(user)
    items = []
    for task_state in (TaskState.objects.reviewable_by(user).select_related("workflow_state")
                       .order_by("started_at")):
        obj = task_state.workflow_state.content_object
        if obj is None:
            continue
        title = obj.get_admin_display_title() if hasattr(obj, "get_admin_display_title") else str(obj)
        items.append(WaitingItem(title, finder.get_edit_url(obj) or "",
                                 _("Submitted %(date)s") % {"date": f"{task_state.started_at:%Y-%m-%d}"}))
    return items


def editor_panel(user) -> WaitingPanel:
    return WaitingPanel("editor", _("Waiting for me: editing"), [
        WaitingSection(_("Pages sent back by medical review"), sent_back(user),
                       empty=_("No page has been sent back.")),
        WaitingSection(_("My drafts"), my_drafts(user), empty=_("No unpublished drafts.")),
    ], order=80)


def medical_reviewer_panel(user) -> WaitingPanel:
    overdue = [WaitingItem(item.title, item.edit_url,
                           _("Due %(date)s") % {"date": f"{item.next_review:%Y-%m-%d}"})
               for item in overdue_content(user)]
    return WaitingPanel("medical-review", _("Waiting for me: medical review"), [
        WaitingSection(_("Pages waiting for my review"), waiting_for_my_review(user),
                       empty=_("Nothing is waiting for your review.")),
        WaitingSection(_("Content past its review date"), overdue, more_url=reverse("overdue_review_report"),
                       empty=_("All health content is within its review period.")),
    ], order=80)
