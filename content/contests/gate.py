"""The publication gate of a contest's results: what must hold before they may go live (review phase
closed, required reviews in or excused, disagreements resolved or acknowledged, a work awarded), who
may approve them, and whether they are live (reviews lock then). Uses the contest data only, so the
page models, the services and the views can all ask it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass
class Gate:
    """What stands between a contest and its published results."""

    contest: object
    review_open: bool
    missing: list = field(default_factory=list)  # RankedEntry with too few reviews, nothing recorded
    excused: list = field(default_factory=list)  # … with the organiser's reason
    disagreements: list = field(default_factory=list)  # flagged, neither resolved nor acknowledged
    acknowledged: list = field(default_factory=list)
    awarded: list = field(default_factory=list)
    recipients: list = field(default_factory=list)  # entries whose contact will be e-mailed

    @property
    def problems(self) -> list[str]:
        problems = []
        if self.review_open:
            problems.append(
                _("The review phase is still open (until %(date)s).")
                % {"date": date_format(timezone.localtime(self.contest.review_ends_at), "Y-m-d H:i")}
            )
        if self.missing:
            problems.append(
                _("%(n)s entries lack required reviews and no reason is recorded: %(codes)s.")
                % {"n": len(self.missing), "codes": "、".join(item.entry.code for item in self.missing)}
            )
        if self.disagreements:
            problems.append(
                _("%(n)s flagged disagreements are neither resolved nor acknowledged: %(codes)s.")
                % {
                    "n": len(self.disagreements),
                    "codes": "、".join(item.entry.code for item in self.disagreements),
                }
            )
        if not self.awarded:
            problems.append(_("No work has been awarded yet."))
        return problems

    @property
    def is_open(self) -> bool:
        return not self.problems


def gate(contest, now=None) -> Gate:
    from .services import ranking

    result = Gate(contest=contest, review_open=not contest.review_closed(now))
    required = contest.reviewers_per_entry
    for item in ranking(contest):
        entry = item.entry
        if len(item.reviews) < required:
            (result.excused if entry.review_shortfall_reason else result.missing).append(item)
        if item.aggregate.flagged:
            (result.acknowledged if entry.disagreement_note else result.disagreements).append(item)
        if item.award:
            result.awarded.append(item)
        if entry.email and entry.result_notified_at is None and entry.contact_purged_at is None:
            result.recipients.append(entry)
    return result


def workflow_requester(page):
    state = page.workflow_states.filter(status="in_progress").order_by("-created_at").first()
    return state.requested_by if state else None


def approval_problems(page, user) -> list[str]:
    """Why `user` may not approve this results page now ([] when they may)."""
    page = page.specific
    problems = []
    requester = workflow_requester(page)
    if requester is not None and requester.pk == user.pk:
        problems.append(_("Results must be approved by someone other than the person who submitted them."))
    if not user.is_superuser and not user.has_perm("contests.approve_results"):
        problems.append(_("Only results approvers may approve results."))
    if getattr(page, "is_contest_results", False):
        problems.extend(gate(page.get_parent().specific).problems)
    return problems
