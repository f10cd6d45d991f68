"""The organisers' views in the admin (/admin/contests/): dashboard, assignment, ranking, awards,
results and the results CSV. Every view checks contests.manage_contest first (admin_access.py); the
reviewers' workspace is reviewer_views.py."""

import csv
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.base.spreadsheets import safe_cell

from . import services
from .admin_access import OrganiserRequiredMixin
from .entries import Award, Entry, Review, ReviewAssignment
from .models import ContestPage, ContestResultsPage

# Reviewer workspace ---------------------------------------------------------------------------


# Organisers -----------------------------------------------------------------------------------


def row_id(value) -> int | None:
    """A posted database id, or None for anything that is not one (letters, "1.5", "²", a NUL, an id past
    the 64-bit range): a forged form field never reaches the database as a 500."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


class ContestMixin(OrganiserRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if services.can_manage(request.user):
            self.contest = get_object_or_404(ContestPage, pk=kwargs["contest_id"])
        return super().dispatch(request, *args, **kwargs)

    def dashboard_url(self):
        return reverse("contest_admin:dashboard", args=[self.contest.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("contest_admin:index"), "label": _("Contests")},
            {"url": self.dashboard_url(), "label": self.contest.title},
        ]


class ContestListView(OrganiserRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/contest_list.html"
    page_title = gettext_lazy("Contests")
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = Q(entries__status=Entry.Status.SUBMITTED)
        originals = ContestPage.objects.originals()
        context["contests"] = originals.order_by("-closes_at").annotate(
            entry_count=Count("entries", filter=active, distinct=True)
        )
        return context


def reviewer_progress(contest, now=None):
    now = now or timezone.now()
    rows = defaultdict(lambda: {"assigned": 0, "submitted": 0, "draft": 0, "overdue": 0, "reminded": None})
    for assignment in ReviewAssignment.objects.filter(
        entry__contest=contest, status=ReviewAssignment.Status.ACTIVE, entry__status=Entry.Status.SUBMITTED
    ).select_related("reviewer", "review"):
        row = rows[assignment.reviewer]
        row["assigned"] += 1
        review = assignment.review_or_none
        if review is not None and review.is_submitted:
            row["submitted"] += 1
        elif review is not None:
            row["draft"] += 1
        if assignment.is_overdue(now):
            row["overdue"] += 1
        if assignment.reminded_at and (row["reminded"] is None or assignment.reminded_at > row["reminded"]):
            row["reminded"] = assignment.reminded_at
    for reviewer in services.reviewer_pool():
        rows[reviewer]  # list reviewers with nothing assigned too
    return sorted(rows.items(), key=lambda item: item[0].get_username())


class ContestDashboardView(ContestMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/contest_dashboard.html"
    header_icon = "clipboard-list"

    def get_page_title(self):
        return self.contest.title

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items()[:-1] + [{"url": "", "label": self.contest.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = self.contest.entries.order_by("submitted_at").prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.filter(
                    status=ReviewAssignment.Status.ACTIVE
                ).select_related("reviewer", "review"),
            )
        )
        progress = reviewer_progress(self.contest)
        context.update(
            {
                "contest": self.contest,
                "entries": entries,
                "progress": progress,
                "reviewers": services.reviewer_pool(),
                "totals": {
                    "entries": sum(1 for e in entries if e.is_active),
                    "assigned": sum(r["assigned"] for _u, r in progress),
                    "submitted": sum(r["submitted"] for _u, r in progress),
                    "overdue": sum(r["overdue"] for _u, r in progress),
                },
                "rubric": self.contest.get_rubric(),
                "results_page": ContestResultsPage.objects.child_of(self.contest).first(),
            }
        )
        return context


class RankingView(ContestMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/ranking.html"
    header_icon = "order"

    def get_page_title(self):
        return _("Ranking")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ranked = services.ranking(self.contest)
        given = defaultdict(int)
        for item in ranked:
            if item.award:
                given[item.award.level] += 1
        quotas = [
            (Award.Level(level).label, given[level], quota)
            for level, quota in self.contest.award_quotas().items()
        ]
        context.update(
            {
                "contest": self.contest,
                "ranked": ranked,
                "quotas": quotas,
                "award_levels": Award.Level.choices,
                "tie_break_labels": TIE_BREAK_LABELS,
            }
        )
        return context


TIE_BREAK_LABELS = {
    "median": gettext_lazy("tie: higher median"),
    "lowest": gettext_lazy("tie: higher lowest score"),
    "count": gettext_lazy("tie: more reviews"),
    "submitted_at": gettext_lazy("tie: earlier entry"),
}


class EntryDetailView(ContestMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/entry_detail.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if services.can_manage(request.user):
            self.entry = get_object_or_404(Entry, pk=kwargs["entry_id"], contest_id=kwargs["contest_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.entry.code} {self.entry.title}"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.entry.code}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = self.entry.assignments.select_related("reviewer", "review").order_by("assigned_at")
        rows = []
        for assignment in assignments:
            review = assignment.review_or_none
            names = {c["key"]: c["name"] for c in review.rubric_snapshot} if review else {}
            rows.append(
                {
                    "assignment": assignment,
                    "review": review,
                    "scores": [(names.get(k, k), v) for k, v in (review.scores.items() if review else [])],
                }
            )
        context.update(
            {
                "contest": self.contest,
                "entry": self.entry,
                "rows": rows,
                "files": list(self.entry.files.all()),
                "award": getattr(self.entry, "award", None),
                "award_levels": Award.Level.choices,
                "reviewers": services.reviewer_pool(),
                "history_url": reverse("contest_admin:entry_history", args=[self.contest.pk, self.entry.pk]),
            }
        )
        return context


class EntryHistoryView(ContestMixin, WagtailAdminTemplateMixin, TemplateView):
    """The entry's Wagtail log: assignments, submissions, reopenings, awards."""

    template_name = "contests/admin/entry_history.html"
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if services.can_manage(request.user):
            self.entry = get_object_or_404(Entry, pk=kwargs["entry_id"], contest_id=kwargs["contest_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("History of %(code)s") % {"code": self.entry.code}

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {
                "url": reverse("contest_admin:entry", args=[self.contest.pk, self.entry.pk]),
                "label": self.entry.code,
            },
            {"url": "", "label": _("History")},
        ]

    def get_context_data(self, **kwargs):
        from wagtail.log_actions import registry

        context = super().get_context_data(**kwargs)
        context["log_entries"] = (
            registry.get_logs_for_instance(self.entry).select_related("user").order_by("-timestamp")
        )
        context["entry"] = self.entry
        return context


class ActionView(ContestMixin, View):
    """A POST that changes something, then back to where the organiser was."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(request, *args, **kwargs)
        except services.ContestError as error:
            messages.error(request, str(error))
        else:
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(self.next_url(request))

    def next_url(self, request):
        target = request.POST.get("next", "")
        if target.startswith("/admin/contests/"):
            return target
        return self.dashboard_url()


class AutoAssignView(ActionView):
    def act(self, request, contest_id):
        outcome = services.auto_assign(self.contest, request.user)
        message = _("%(n)s assignments made.") % {"n": len(outcome.created)}
        if outcome.shortfall:
            messages.warning(
                request,
                _("Not enough eligible reviewers for: %(codes)s")
                % {"codes": "、".join(f"{e.code}（−{n}）" for e, n in outcome.shortfall.items())},
            )
        return message


class AssignView(ActionView):
    """By hand: one reviewer to one or several ticked entries."""

    def act(self, request, contest_id):
        from django.contrib.auth import get_user_model

        reviewer_id = row_id(request.POST.get("reviewer"))
        reviewer = get_user_model().objects.filter(pk=reviewer_id).first() if reviewer_id else None
        ids = [pk for pk in map(row_id, request.POST.getlist("entries")) if pk is not None]
        if reviewer is None or not ids:
            raise services.ContestError(_("Choose a reviewer and at least one entry."))
        made, refused = 0, []
        for entry in self.contest.entries.filter(pk__in=ids):
            try:
                services.assign(entry, reviewer, request.user)
                made += 1
            except services.ContestError as error:
                refused.append(str(error))
        for reason in refused:
            messages.error(request, reason)
        return _("%(n)s assignments made.") % {"n": made} if made else None


class UnassignView(ActionView):
    def act(self, request, contest_id, assignment_id):
        assignment = get_object_or_404(
            ReviewAssignment,
            pk=assignment_id,
            entry__contest=self.contest,
            status=ReviewAssignment.Status.ACTIVE,
        )
        services.remove_assignment(assignment, request.user)
        return _("Assignment removed.")


class ReopenView(ActionView):
    def act(self, request, contest_id, assignment_id):
        review = get_object_or_404(
            Review, assignment_id=assignment_id, assignment__entry__contest=self.contest
        )
        services.reopen_review(review, request.user, services.posted_text(request.POST.get("reason"), 500))
        return _("Review reopened: the reviewer can change it and must submit it again.")


class AwardView(ActionView):
    def act(self, request, contest_id, entry_id):
        entry = get_object_or_404(Entry, pk=entry_id, contest=self.contest)
        award = services.set_award(entry, request.POST.get("level", ""), request.user)
        if award is None:
            return _("Award removed from %(code)s.") % {"code": entry.code}
        return _("%(code)s: %(award)s.") % {"code": entry.code, "award": award.get_level_display()}


class RemindView(ActionView):
    def act(self, request, contest_id):
        count = services.send_reminders(self.contest, request.user)
        return _("Reminders sent to %(n)s reviewers.") % {"n": count} if count else _("No review is overdue.")


class CreateResourceView(ContestMixin, View):
    """One action: the awarded work becomes a draft library resource crediting its authors."""

    http_method_names = ["post"]

    def post(self, request, contest_id, entry_id):
        from .awarded_resources import create_library_resource

        award = get_object_or_404(Award, entry_id=entry_id, entry__contest=self.contest)
        try:
            resource = create_library_resource(award, request.user)
        except services.ContestError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("contest_admin:entry", args=[self.contest.pk, entry_id]))
        messages.success(
            request, _("Draft library resource created: complete it and send it for medical review.")
        )
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[resource.pk]))


class CreateResultsPageView(ContestMixin, View):
    http_method_names = ["post"]

    def post(self, request, contest_id):
        from .publication import create_results_page

        page = create_results_page(self.contest, request.user)
        messages.success(request, _("Results page drafted: check it, then submit it for approval."))
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


class PublishResultsView(ContestMixin, WagtailAdminTemplateMixin, TemplateView):
    """The publication gate and confirmation: what stands in the way, what will be published, who will
    be e-mailed; notes for missing reviews and disagreements; and the one button that submits the
    results to the approvers."""

    template_name = "contests/admin/publish_results.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("Publish results")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        from .gate import gate

        context = super().get_context_data(**kwargs)
        page = ContestResultsPage.objects.child_of(self.contest).first()
        context.update(
            {
                "contest": self.contest,
                "gate": gate(self.contest),
                "results_page": page,
                "in_approval": bool(page and page.workflow_in_progress),
                "required": self.contest.reviewers_per_entry,
            }
        )
        return context

    def post(self, request, contest_id):
        from .publication import record_gate_note, submit_results

        here = reverse("contest_admin:publish", args=[self.contest.pk])
        try:
            if request.POST.get("action") == "note":
                entry = get_object_or_404(Entry, pk=row_id(request.POST.get("entry")) or 0, contest=self.contest)
                reason = services.posted_text(request.POST.get("reason"), 300)
                if not reason:
                    raise services.ContestError(_("Please write the reason before saving it."))
                record_gate_note(entry, request.POST.get("kind", ""), reason, request.user)
                messages.success(request, _("Note saved for %(code)s.") % {"code": entry.code})
            elif request.POST.get("action") == "submit":
                if request.POST.get("confirm") != "yes":
                    raise services.ContestError(_("Please confirm that you have checked the list."))
                submit_results(self.contest, request.user)
                messages.success(
                    request,
                    _("Results submitted for approval. They go live, and entrants are e-mailed, only "
                      "once a results approver approves them."),
                )
        except services.ContestError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(here)


class ResultsCsvView(ContestMixin, View):
    """Everything the organisers need offline. UTF-8 with BOM so that Excel reads the Chinese."""

    def get(self, request, contest_id):
        ranked = services.ranking(self.contest)
        reviewers = sorted(
            {r.assignment.reviewer for item in ranked for r in item.reviews}, key=lambda u: u.get_username()
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="contest-{self.contest.pk}-results.csv"'
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Rank"),
                _("Anonymous code"),
                _("Title of the work"),
                _("Category"),
                _("Authors"),
                _("Author's organisation"),
                _("Contact person"),
                _("Email address"),
                _("Phone"),
                *[
                    _("Reviewer: %(name)s") % {"name": r.get_full_name() or r.get_username()}
                    for r in reviewers
                ],
                _("Reviews"),
                _("Score"),
                _("Method"),
                _("Spread"),
                _("Disagreement"),
                _("Tie-break"),
                _("Award"),
            ]
        )
        for item in ranked:
            entry = item.entry
            by_reviewer = {r.assignment.reviewer_id: r.total for r in item.reviews}
            agg = item.aggregate
            writer.writerow(
                [
                    safe_cell(value)
                    for value in [
                        item.rank or "",
                        entry.code,
                        entry.title,
                        entry.get_category_display(),
                        entry.authors,
                        entry.organisation,
                        entry.contact_name,
                        entry.email,
                        entry.phone,
                        *[
                            ("N/A" if by_reviewer[r.pk] is None else by_reviewer[r.pk])
                            if r.pk in by_reviewer
                            else ""
                            for r in reviewers
                        ],
                        agg.count,
                        agg.score if agg.score is not None else "",
                        {"mean": _("mean"), "trimmed_mean": _("trimmed mean"), "none": ""}[agg.method],
                        agg.spread if agg.spread is not None else "",
                        _("yes") if agg.flagged else "",
                        TIE_BREAK_LABELS.get(item.tie_break, ""),
                        item.award.get_level_display() if item.award else "",
                    ]
                ]
            )
        return response
