"""The contest's operations: each one checks its rule, changes the data, writes Wagtail's history and
sends its email. Views call these; the rules themselves are in scoring.py and assignment.py."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import emails, scoring
from .assignment import EntrySlot, ReviewerLoad, plan_assignments
from .entries import Award, Entry, EntryFile, Review, ReviewAssignment, ReviewerProfile

REVIEWER_PERMISSION = "contests.review_entries"
ORGANISER_PERMISSION = "contests.manage_contest"


class ContestError(Exception):
    """A rule said no; the message is for the person who asked."""


def ensure_unlocked(contest):
    """Once the results are live, the review record (reviews, assignments, awards) is final."""
    if contest.has_live_results():
        raise ContestError(_("The results are published; reviews and awards are locked."))


# Who is who -----------------------------------------------------------------------------------


def can_manage(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(ORGANISER_PERMISSION)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEWER_PERMISSION)


def reviewer_pool():
    """Active users holding the reviewer permission (through a group or directly), superusers excluded."""
    User = get_user_model()
    perm = Q(
        groups__permissions__codename="review_entries",
        groups__permissions__content_type__app_label="contests",
    )
    perm |= Q(
        user_permissions__codename="review_entries", user_permissions__content_type__app_label="contests"
    )
    return User.objects.filter(perm, is_active=True, is_superuser=False).distinct().order_by("username")


def profile_for(user) -> ReviewerProfile:
    profile, _created = ReviewerProfile.objects.get_or_create(user=user)
    return profile


# Entrants -------------------------------------------------------------------------------------


def record_submission(entry):
    log(entry, "contests.entry_submit", user=None, data={"code": entry.code, "category": entry.category})


def withdraw(entry):
    if not entry.can_be_changed_by_entrant():
        raise ContestError(_("Entries can only be withdrawn before the deadline."))
    with transaction.atomic():
        entry.status = Entry.Status.WITHDRAWN
        entry.withdrawn_at = timezone.now()
        entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
        files = list(entry.files.all())
        entry.files.all().delete()
        entry.assignments.filter(status=ReviewAssignment.Status.ACTIVE).update(
            status=ReviewAssignment.Status.REMOVED, ended_at=timezone.now()
        )
        log(entry, "contests.entry_withdraw", user=None, data={"code": entry.code})
        transaction.on_commit(lambda: delete_stored(files))


def replace_files(entry, uploads):
    """uploads: [(UploadedFile, kind)], already validated."""
    if not entry.can_be_changed_by_entrant():
        raise ContestError(_("Files can only be replaced before the deadline."))
    with transaction.atomic():
        old = list(entry.files.all())
        entry.files.all().delete()
        store_files(entry, uploads)
        entry.save(update_fields=["updated_at"])
        log(entry, "contests.files_replace", user=None, data={"code": entry.code, "count": len(uploads)})
        transaction.on_commit(lambda: delete_stored(old))


def store_files(entry, uploads):
    for uploaded, kind in uploads:
        from .files import KIND_CONTENT_TYPES

        entry_file = EntryFile(
            entry=entry,
            kind=kind,
            content_type=KIND_CONTENT_TYPES[kind],
            original_name=uploaded.name[:200],
            size=uploaded.size,
        )
        entry_file.file.save(uploaded.name, uploaded, save=False)
        entry_file.save()


def posted_text(value, limit=4000) -> str:
    """Free text from an admin form (a reason, a comment, a note) without control characters: a NUL
    would be refused by PostgreSQL as a 500, and none belongs in text a person reads."""
    value = "".join(ch for ch in str(value or "") if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return value.strip()[:limit]


def delete_stored(files):
    from .previews import delete_preview

    for entry_file in files:
        entry_file.file.storage.delete(entry_file.file.name)
        delete_preview(entry_file)


# Assignment -----------------------------------------------------------------------------------


def _due(entry):
    return entry.contest.review_ends_at


def assign(entry, reviewer, by, *, notify=True) -> ReviewAssignment:
    """Assign one reviewer by hand; the same conflict and capacity rules as automatic assignment."""
    from .assignment import has_conflict

    ensure_unlocked(entry.contest)
    if not entry.is_active:
        raise ContestError(_("A withdrawn entry cannot be assigned."))
    if not is_reviewer(reviewer):
        raise ContestError(_("%(user)s is not a reviewer.") % {"user": reviewer})
    existing = ReviewAssignment.objects.filter(entry=entry, reviewer=reviewer).first()
    if existing is not None:
        if existing.status == ReviewAssignment.Status.ACTIVE:
            raise ContestError(
                _("%(user)s already reviews %(code)s.") % {"user": reviewer, "code": entry.code}
            )
        raise ContestError(
            _("%(user)s recused from or was removed from %(code)s and cannot be assigned to it again.")
            % {"user": reviewer, "code": entry.code}
        )
    profile = profile_for(reviewer)
    if has_conflict(
        EntrySlot(entry.pk, entry.organisation), ReviewerLoad(reviewer.pk, profile.organisations())
    ):
        raise ContestError(
            _("%(user)s has a conflict of interest with %(code)s (same or declared organisation).")
            % {"user": reviewer, "code": entry.code}
        )
    limit = profile.max_assignments or entry.contest.max_assignments_per_reviewer
    if active_load(entry.contest, reviewer) >= limit:
        raise ContestError(
            _("%(user)s already has the maximum of %(max)s assignments.") % {"user": reviewer, "max": limit}
        )
    assignment = _create_assignment(entry, reviewer, by)
    if notify:
        transaction.on_commit(lambda: emails.send_assignment_notice(reviewer, entry.contest, [assignment]))
    return assignment


def _create_assignment(entry, reviewer, by):
    assignment = ReviewAssignment.objects.create(
        entry=entry, reviewer=reviewer, assigned_by=by, due_at=_due(entry)
    )
    log(entry, "contests.assign", user=by, data={"code": entry.code, "reviewer": reviewer.get_username()})
    return assignment


def active_load(contest, reviewer) -> int:
    return ReviewAssignment.objects.filter(
        entry__contest=contest, reviewer=reviewer, status=ReviewAssignment.Status.ACTIVE
    ).count()


@dataclass
class AssignmentOutcome:
    created: list
    shortfall: dict  # Entry → reviewers missing


def auto_assign(contest, by, entries=None, *, notify=True) -> AssignmentOutcome:
    """Fill every active entry (or the given ones) up to the contest's reviewers per entry."""
    ensure_unlocked(contest)
    entries = list(entries if entries is not None else contest.entries.filter(status=Entry.Status.SUBMITTED))
    entries = [e for e in entries if e.is_active]
    reviewers = list(reviewer_pool())
    held = defaultdict(set)
    excluded = defaultdict(set)
    for a in ReviewAssignment.objects.filter(entry__in=entries):
        (held if a.status == ReviewAssignment.Status.ACTIVE else excluded)[a.entry_id].add(a.reviewer_id)
    loads = dict(
        ReviewAssignment.objects.filter(entry__contest=contest, status=ReviewAssignment.Status.ACTIVE)
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(user__in=reviewers)}
    slots = [
        EntrySlot(e.pk, e.organisation, frozenset(held[e.pk]), frozenset(excluded[e.pk])) for e in entries
    ]
    pool = []
    for reviewer in reviewers:
        profile = profiles.get(reviewer.pk)
        maximum = (
            profile.max_assignments
            if profile and profile.max_assignments
            else contest.max_assignments_per_reviewer
        )
        pool.append(
            ReviewerLoad(
                reviewer.pk, profile.organisations() if profile else (), loads.get(reviewer.pk, 0), maximum
            )
        )
    plan = plan_assignments(slots, pool, contest.reviewers_per_entry)
    by_id = {e.pk: e for e in entries}
    users = {r.pk: r for r in reviewers}
    created = []
    with transaction.atomic():
        for entry_id, reviewer_id in plan.pairs:
            created.append(_create_assignment(by_id[entry_id], users[reviewer_id], by))
    if notify:
        per_reviewer = defaultdict(list)
        for assignment in created:
            per_reviewer[assignment.reviewer].append(assignment)
        transaction.on_commit(
            lambda: [emails.send_assignment_notice(r, contest, items) for r, items in per_reviewer.items()]
        )
    return AssignmentOutcome(created, {by_id[k]: v for k, v in plan.shortfall.items()})


def remove_assignment(assignment, by):
    ensure_unlocked(assignment.entry.contest)
    review = assignment.review_or_none
    if review is not None and review.is_submitted:
        raise ContestError(_("A submitted review cannot be removed; reopen it first if it must change."))
    assignment.status = ReviewAssignment.Status.REMOVED
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["status", "ended_at"])
    log(
        assignment.entry,
        "contests.unassign",
        user=by,
        data={"code": assignment.entry.code, "reviewer": assignment.reviewer.get_username()},
    )


def recuse(assignment, reason, by) -> AssignmentOutcome:
    """The reviewer declares a conflict: the assignment ends, its draft is discarded, and the entry is
    reassigned to another eligible reviewer."""
    ensure_unlocked(assignment.entry.contest)
    review = assignment.review_or_none
    if review is not None and review.is_submitted:
        raise ContestError(
            _("You have already submitted this review; ask the organisers to reopen it first.")
        )
    with transaction.atomic():
        if review is not None:
            review.delete()
        assignment.status = ReviewAssignment.Status.RECUSED
        assignment.recusal_reason = reason[:300]
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["status", "recusal_reason", "ended_at"])
        entry = assignment.entry
        log(
            entry,
            "contests.recuse",
            user=by,
            data={"code": entry.code, "reviewer": by.get_username(), "reason": assignment.recusal_reason},
        )
        return auto_assign(entry.contest, by=None, entries=[entry])


# Reviews --------------------------------------------------------------------------------------


def start_review(assignment) -> Review | None:
    """The reviewer's review of this assignment, begun (with a copy of the rubric) on first opening."""
    review = assignment.review_or_none
    if review is not None:
        return review
    rubric = assignment.entry.contest.get_rubric()
    if rubric is None or not rubric.criteria.exists():
        return None
    review, _created = Review.objects.get_or_create(
        assignment=assignment, defaults={"rubric_snapshot": rubric.snapshot()}
    )
    return review


def score_problems_message(review, scores):
    """Which criteria a score sheet lacks, by name: the reviewer knows what to fix."""
    missing = [c["name"] for c in review.rubric_snapshot if c["key"] not in scores]
    if missing:
        return _(
            "Score every criterion before you submit (or N/A where allowed). Not yet scored: %(names)s."
        ) % {"names": "、".join(missing)}
    return _("Every criterion needs a score (or N/A where allowed) before you submit.")


def save_review(review, scores, comment, by, *, submit):
    ensure_unlocked(review.assignment.entry.contest)
    if review.is_submitted:
        raise ContestError(_("This review has been submitted; the organisers can reopen it."))
    criteria = review.criteria()
    problems = scoring.validate_scores(criteria, scores, complete=submit)
    if problems:
        raise ContestError(score_problems_message(review, scores))
    review.scores = scores
    review.comment = comment
    if submit:
        review.status = Review.Status.SUBMITTED
        review.total = scoring.review_score(criteria, scores)
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        entry = review.assignment.entry
        log(
            entry,
            "contests.review_submit",
            user=by,
            data={
                "code": entry.code,
                "reviewer": by.get_username(),
                "score": None if review.total is None else str(review.total),
            },
        )


def reopen_review(review, by, reason=""):
    ensure_unlocked(review.assignment.entry.contest)
    if not review.is_submitted:
        raise ContestError(_("Only a submitted review can be reopened."))
    review.status = Review.Status.DRAFT
    review.submitted_at = None
    review.total = None
    review.save()
    entry = review.assignment.entry
    log(
        entry,
        "contests.review_reopen",
        user=by,
        data={
            "code": entry.code,
            "reviewer": review.assignment.reviewer.get_username(),
            "reason": reason[:300],
        },
    )


def others_visible(assignment, now=None) -> bool:
    """A reviewer sees the other reviews of an entry only once their own is submitted and the review
    stage has closed."""
    review = assignment.review_or_none
    return bool(review and review.is_submitted and assignment.entry.contest.review_closed(now))


# Ranking and awards ---------------------------------------------------------------------------


@dataclass
class RankedEntry:
    entry: Entry
    reviews: list  # submitted Review objects
    aggregate: scoring.Aggregate
    rank: int | None
    tie_break: str
    assigned: int

    @property
    def award(self):
        return getattr(self.entry, "award", None)


def ranking(contest) -> list[RankedEntry]:
    entries = list(contest.entries.filter(status=Entry.Status.SUBMITTED).select_related("award"))
    submitted = defaultdict(list)
    assigned = defaultdict(int)
    for assignment in ReviewAssignment.objects.filter(
        entry__in=entries, status=ReviewAssignment.Status.ACTIVE
    ).select_related("review", "reviewer"):
        assigned[assignment.entry_id] += 1
        review = assignment.review_or_none
        if review is not None and review.is_submitted:
            submitted[assignment.entry_id].append(review)
    items = []
    for entry in entries:
        agg = scoring.aggregate([r.total for r in submitted[entry.pk]], contest.disagreement_threshold)
        items.append(scoring.Ranked(entry.pk, agg, entry.submitted_at, extra={"entry": entry}))
    return [
        RankedEntry(
            i.extra["entry"], submitted[i.entry_id], i.aggregate, i.rank, i.tie_break, assigned[i.entry_id]
        )
        for i in scoring.rank(items)
    ]


def set_award(entry, level, by):
    """Give (or with level "" take away) an award, within the contest's quota for that level."""
    ensure_unlocked(entry.contest)
    current = getattr(entry, "award", None)
    if not level:
        if current is not None:
            current.delete()
            log(entry, "contests.award_remove", user=by, data={"code": entry.code, "level": current.level})
        return None
    if level not in Award.Level.values:
        raise ContestError(_("Unknown award."))
    if not entry.is_active:
        raise ContestError(_("A withdrawn entry cannot be awarded."))
    quota = entry.contest.award_quotas()[level]
    given = Award.objects.filter(entry__contest=entry.contest, level=level).exclude(entry=entry).count()
    if given >= quota:
        raise ContestError(
            _("The quota for %(level)s (%(quota)s) is full.")
            % {"level": Award.Level(level).label, "quota": quota}
        )
    if current is not None and current.level == level:
        return current
    award, _created = Award.objects.update_or_create(
        entry=entry, defaults={"level": level, "awarded_by": by, "awarded_at": timezone.now()}
    )
    log(entry, "contests.award", user=by, data={"code": entry.code, "level": level})
    return award


# Reminders ------------------------------------------------------------------------------------


def send_reminders(contest, by, now=None) -> int:
    """Email each reviewer with overdue reviews in this contest; returns how many were reminded."""
    now = now or timezone.now()
    overdue = defaultdict(list)
    for assignment in ReviewAssignment.objects.filter(
        entry__contest=contest,
        status=ReviewAssignment.Status.ACTIVE,
        entry__status=Entry.Status.SUBMITTED,
        due_at__lt=now,
    ).select_related("reviewer", "entry", "entry__contest"):
        if assignment.is_overdue(now):
            overdue[assignment.reviewer].append(assignment)
    for reviewer, assignments in overdue.items():
        emails.send_reminder(reviewer, assignments)
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(reminded_at=now)
        log(
            contest,
            "contests.remind",
            user=by,
            data={"reviewer": reviewer.get_username(), "count": len(assignments)},
        )
    return len(overdue)
