"""The reviewers' workspace in the admin: my assignments, blind scoring against the rubric, recusal."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import scoring, services
from .admin_access import ReviewerRequiredMixin
from .entries import Entry, Review, ReviewAssignment


def own_assignment(request, pk):
    """The signed-in reviewer's active assignment, or 404 for anyone else's (or a withdrawn entry)."""
    return get_object_or_404(
        ReviewAssignment.objects.select_related("entry", "entry__contest"),
        pk=pk,
        reviewer=request.user,
        status=ReviewAssignment.Status.ACTIVE,
        entry__status=Entry.Status.SUBMITTED,
    )


class ReviewIndexView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/review_index.html"
    page_title = gettext_lazy("My reviews")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = (
            ReviewAssignment.objects.filter(
                reviewer=self.request.user,
                status=ReviewAssignment.Status.ACTIVE,
                entry__status=Entry.Status.SUBMITTED,
            )
            .select_related("entry", "entry__contest", "review")
            .order_by("due_at", "entry__contest_id", "entry__code")
        )
        now = timezone.now()
        rows = []
        for assignment in assignments:
            review = assignment.review_or_none
            rows.append(
                {
                    "assignment": assignment,
                    "entry": assignment.entry,
                    "review": review,
                    "overdue": assignment.is_overdue(now),
                }
            )
        context["rows"] = rows
        context["done"] = sum(1 for r in rows if r["review"] and r["review"].is_submitted)
        return context


def parse_scores(post, criteria):
    scores = {}
    for criterion in criteria:
        raw = post.get(criterion.key, "")
        if raw == "na":
            scores[criterion.key] = None
        elif raw.isascii() and raw.isdigit() and len(raw) <= 2:  # not "²" or "٣", which int() may refuse
            scores[criterion.key] = int(raw)
    return scores


class ReviewDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "contests/admin/review_detail.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.errors = []

    def get_page_title(self):
        return _("Review %(code)s") % {"code": self.assignment.entry.code}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reviews:index"), "label": _("My reviews")},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        if services.is_reviewer(request.user):
            self.assignment = own_assignment(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The review starts (and takes its copy of the rubric) when the reviewer first opens it.
        self.review = services.start_review(self.assignment)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.review = services.start_review(self.assignment)
        if self.review is None:
            raise Http404
        submit = request.POST.get("action") == "submit"
        criteria = self.review.criteria()
        scores = parse_scores(request.POST, criteria)
        comment = services.posted_text(request.POST.get("comment"))
        if submit and request.POST.get("confirmed") != "yes" and not self.review.is_submitted:
            # Submitting cannot be undone by the reviewer: first a complete sheet, saved as a draft,
            # then a confirmation showing the total.
            try:
                if scoring.validate_scores(criteria, scores, complete=True):
                    raise services.ContestError(services.score_problems_message(self.review, scores))
                services.save_review(self.review, scores, comment, request.user, submit=False)
            except services.ContestError as error:
                self.errors.append(str(error))
                self.review.scores = scores
                self.review.comment = comment
                return self.render_to_response(self.get_context_data(), status=400)
            self.confirm_total = scoring.review_score(criteria, scores)
            return self.render_to_response(self.get_context_data(confirming=True))
        try:
            services.save_review(
                self.review, scores, comment, request.user, submit=submit
            )
        except services.ContestError as error:
            self.errors.append(str(error))
            self.review.scores = scores  # keep what was entered on the page
            self.review.comment = comment
            response = self.get_context_data()
            return self.render_to_response(response, status=400)
        messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
        return HttpResponseRedirect(reverse("reviews:detail", args=[self.assignment.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.assignment.entry
        review = self.review
        rows = []
        if review is not None:
            for item in review.rubric_snapshot:
                value = review.scores.get(item["key"], "")
                rows.append(
                    {
                        **item,
                        "value": "na" if value is None else str(value),
                        "levels": [
                            (str(level), item["levels"].get(str(level), "")) for level in scoring.LEVELS
                        ],
                    }
                )

        locked = entry.contest.has_live_results()
        others = []
        if services.others_visible(self.assignment):
            letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            for other in (
                Review.objects.filter(
                    assignment__entry=entry,
                    status=Review.Status.SUBMITTED,
                    assignment__status=ReviewAssignment.Status.ACTIVE,
                )
                .exclude(assignment=self.assignment)
                .order_by("submitted_at")
            ):
                names = {c["key"]: c["name"] for c in other.rubric_snapshot}
                others.append(
                    {
                        "label": _("Reviewer %(letter)s") % {"letter": next(letters)},
                        "total": other.total,
                        "scores": [(names.get(k, k), v) for k, v in other.scores.items()],
                    }
                )
        context.update(
            {
                "assignment": self.assignment,
                "entry": entry,
                "contest": entry.contest,
                "review": review,
                "rows": rows,
                "errors": self.errors,
                "files": list(entry.files.all()),
                "others": others,
                "others_visible": services.others_visible(self.assignment),
                "editable": review is not None and not review.is_submitted and not locked,
                "confirm_total": getattr(self, "confirm_total", None),
                "locked": locked,
            }
        )
        return context


class RecuseView(ReviewerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = own_assignment(request, pk)
        reason = services.posted_text(request.POST.get("reason"), 500)
        if not reason:
            messages.error(request, _("Please say briefly why you must recuse."))
            return HttpResponseRedirect(reverse("reviews:detail", args=[pk]))
        try:
            services.recuse(assignment, reason, request.user)
        except services.ContestError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("reviews:detail", args=[pk]))
        messages.success(
            request,
            _("You have recused from %(code)s; it will be reviewed by someone else.")
            % {"code": assignment.entry.code},
        )
        return HttpResponseRedirect(reverse("reviews:index"))
