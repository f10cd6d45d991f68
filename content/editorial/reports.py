"""The stale-content report: health content past its next medical review date."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .review import ReviewDatesMixin


@dataclass
class DueItem:
    title: str
    kind: str
    status: str
    reviewer: str
    last_reviewed: datetime.date | None
    next_review: datetime.date
    edit_url: str

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.next_review).days


def overdue_content(user=None, today=None) -> list[DueItem]:
    """Health content of every app (each model with review dates: resources, core messages…) whose
    next review date has passed, most overdue first."""
    today = today or timezone.localdate()
    finder = AdminURLFinder(user)
    items = []
    for model in reviewed_models():
        objects = model._default_manager.filter(next_review__lt=today)
        if issubclass(model, Page):
            objects = objects.originals()  # a shared page's aliases are not reviewed apart (SharedPageManager)
        for obj in objects:
            title = obj.title if isinstance(obj, Page) else str(obj)
            items.append(DueItem(title, str(model._meta.verbose_name), obj.status_string, obj.reviewer,
                                 obj.last_reviewed, obj.next_review, finder.get_edit_url(obj) or ""))
    return sorted(items, key=lambda item: (item.next_review, item.title))


def reviewed_models() -> list[type]:
    """The concrete models that carry medical review dates."""
    return [model for model in apps.get_models() if issubclass(model, ReviewDatesMixin)]


class OverdueReviewReportView(ReportView):
    def dispatch(self, request, *args, **kwargs):
        # For the people who look after content (any page permission), not contest reviewers.
        if not user_has_any_page_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    page_title = _("Content due for medical review")
    header_icon = "warning"
    index_url_name = "overdue_review_report"
    index_results_url_name = "overdue_review_report_results"
    paginate_by = 50
    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda item: item.edit_url),
        Column("kind", label=_("Type")),
        Column("status", label=_("Status")),
        Column("reviewer", label=_("Reviewing expert")),
        DateColumn("last_reviewed", label=_("Last reviewed")),
        DateColumn("next_review", label=_("Next review")),
    ]
    list_export = ["title", "kind", "status", "reviewer", "last_reviewed", "next_review", "days_overdue"]
    export_headings = {
        "title": _("Title"), "kind": _("Type"), "status": _("Status"), "reviewer": _("Reviewing expert"),
        "last_reviewed": _("Last reviewed"), "next_review": _("Next review"), "days_overdue": _("Days overdue"),
    }

    def get_filename(self):
        return f"overdue-review-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return overdue_content(self.request.user)
