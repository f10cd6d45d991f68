"""The contest roles' 「待办」 panels: organisers see assignments due and entries short of reviews;
reviewers see their own assignments still to score (blind: the entry's code and title only)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.base.dashboard import WaitingItem, WaitingPanel, WaitingSection

from .entries import Entry, Review, ReviewAssignment, Stage
from .models import ContestPage

DUE_SOON = datetime.timedelta(days=7)
IN_REVIEW = (Stage.REVIEW, Stage.JUDGING)


def _contests_in_review(now):
    return [contest for contest in ContestPage.objects.all() if contest.stage(now) in IN_REVIEW]


def _open_assignments():
    return (ReviewAssignment.objects.filter(status=ReviewAssignment.Status.ACTIVE)
            .exclude(review__status=Review.Status.SUBMITTED)
            .select_related("entry", "entry__contest", "reviewer"))


def _due_note(assignment, now) -> str:
    if assignment.due_at is None:
        return ""
    if assignment.due_at < now:
        return _("Overdue since %(date)s") % {"date": f"{timezone.localtime(assignment.due_at):%Y-%m-%d}"}
    return _("Due %(date)s") % {"date": f"{timezone.localtime(assignment.due_at):%Y-%m-%d}"}


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def organiser_panel(user, now=None) -> WaitingPanel:
    now = now or timezone.now()
    contests = _contests_in_review(now)
    due = [
        WaitingItem(f"{a.entry.code} · {a.entry.title} → {_name(a.reviewer)}",
                    reverse("contest_admin:entry", args=[a.entry.contest_id, a.entry_id]), _due_note(a, now))
        for a in _open_assignments().filter(entry__contest__in=contests, due_at__lte=now + DUE_SOON)
        .order_by("due_at", "pk")
    ]
    short = []
    scored = Q(assignments__review__status=Review.Status.SUBMITTED,
               assignments__status=ReviewAssignment.Status.ACTIVE)
    entries = (Entry.objects.filter(contest__in=contests, status=Entry.Status.SUBMITTED)
               .annotate(done=Count("assignments", filter=scored))
               .select_related("contest").order_by("contest_id", "done", "code"))
    for entry in entries:
        needed = entry.contest.reviewers_per_entry
        if entry.done < needed:
            short.append(WaitingItem(
                f"{entry.code} · {entry.title}",
                reverse("contest_admin:entry", args=[entry.contest_id, entry.pk]),
                _("%(done)s of %(needed)s reviews") % {"done": entry.done, "needed": needed}))
    return WaitingPanel("contests", _("Waiting for me: contests"), [
        WaitingSection(_("Assignments due within 7 days or overdue"), due,
                       empty=_("No assignment is due in the next 7 days.")),
        WaitingSection(_("Entries without enough reviews"), short, more_url=reverse("contest_admin:index"),
                       empty=_("Every entry has its reviews.")),
    ], order=80, icon="clipboard-list")


def reviewer_panel(user, now=None) -> WaitingPanel:
    now = now or timezone.now()
    mine = [
        WaitingItem(f"{a.entry.code} · {a.entry.title}", reverse("reviews:detail", args=[a.pk]),
                    _due_note(a, now))
        for a in _open_assignments().filter(reviewer=user, entry__status=Entry.Status.SUBMITTED)
        .order_by("due_at", "pk")
    ]
    return WaitingPanel("reviews", _("Waiting for me: reviews"), [
        WaitingSection(_("Entries assigned to me, not yet scored"), mine, more_url=reverse("reviews:index"),
                       empty=_("You have no review to do.")),
    ], order=80)
