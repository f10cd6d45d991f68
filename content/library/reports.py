"""The stale-content report: health content past its next medical review date."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView


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
    """Resources and core messages whose next review date has passed, most overdue first."""
    from content.core_messages.models import CoreMessage

    from .models import ResourcePage

    today = today or timezone.localdate()
    finder = AdminURLFinder(user)
    items = []
    for page in ResourcePage.objects.filter(next_review__lt=today, alias_of__isnull=True):
        items.append(DueItem(page.title, str(ResourcePage._meta.verbose_name), page.status_string,
                             page.reviewer, page.last_reviewed, page.next_review, finder.get_edit_url(page) or ""))
    for message in CoreMessage.objects.filter(next_review__lt=today).select_related("life_stage"):
        items.append(DueItem(str(message), str(CoreMessage._meta.verbose_name), message.status_string,
                             message.reviewer, message.last_reviewed, message.next_review,
                             finder.get_edit_url(message) or ""))
    return sorted(items, key=lambda item: (item.next_review, item.title))


class OverdueReviewReportView(ReportView):
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
