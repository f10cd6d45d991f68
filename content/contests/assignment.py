"""Who reviews what. Pure functions over plain data: no models, no database.

Rules (docs/contests.md):

- Each entry needs `per_entry` active reviewers. A reviewer is eligible for an entry unless they
  already hold or once held it (a recusal is final for that entry), their organisation or one of
  the organisations they declared a conflict with is the entrant's, or they are at their maximum.
- Entries are filled most-constrained first (fewest eligible reviewers), and each slot goes to the
  eligible reviewer with the lightest load; ties go to the reviewer who shares the fewest entries
  with the reviewers already on this entry (so pairs mix), then to the lower id. With no conflicts
  this keeps every reviewer's load within one of every other's.
- What cannot be filled is reported as a shortfall, never forced.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def organisation_key(name: str) -> str:
    """A comparable form of an organisation's name: width-folded, case-folded, no spaces or punctuation.

    「北京市 妇幼保健院」, 「北京市妇幼保健院。」 and the full-width forms compare equal."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return _NOISE.sub("", folded)


@dataclass(frozen=True)
class EntrySlot:
    entry_id: object
    organisation: str = ""
    reviewer_ids: frozenset = frozenset()  # active assignments
    excluded_ids: frozenset = frozenset()  # recused or removed: never again for this entry


@dataclass
class ReviewerLoad:
    reviewer_id: object
    organisations: tuple[str, ...] = ()  # own organisation and declared conflicts
    load: int = 0  # active assignments in this contest
    maximum: int | None = None

    def has_room(self) -> bool:
        return self.maximum is None or self.load < self.maximum


@dataclass
class Plan:
    pairs: list[tuple[object, object]] = field(default_factory=list)  # (entry_id, reviewer_id) to create
    shortfall: dict[object, int] = field(default_factory=dict)  # entry_id → reviewers still missing


def has_conflict(entry: EntrySlot, reviewer: ReviewerLoad) -> bool:
    key = organisation_key(entry.organisation)
    return bool(key) and any(organisation_key(org) == key for org in reviewer.organisations if org)


def is_eligible(entry: EntrySlot, reviewer: ReviewerLoad) -> bool:
    return (
        reviewer.reviewer_id not in entry.reviewer_ids
        and reviewer.reviewer_id not in entry.excluded_ids
        and not has_conflict(entry, reviewer)
    )


def plan_assignments(entries: Iterable[EntrySlot], reviewers: Iterable[ReviewerLoad], per_entry: int) -> Plan:
    entries = list(entries)
    reviewers = {
        r.reviewer_id: ReviewerLoad(r.reviewer_id, tuple(r.organisations), r.load, r.maximum)
        for r in reviewers
    }
    current = {e.entry_id: set(e.reviewer_ids) for e in entries}
    # How often two reviewers already share an entry: used to mix pairs.
    together: Counter = Counter()
    for members in current.values():
        for a in members:
            for b in members:
                if a != b:
                    together[a, b] += 1

    def eligible(entry):
        slot = EntrySlot(
            entry.entry_id, entry.organisation, frozenset(current[entry.entry_id]), entry.excluded_ids
        )
        return [r for r in reviewers.values() if r.has_room() and is_eligible(slot, r)]

    plan = Plan()
    needing = [e for e in entries if len(current[e.entry_id]) < per_entry]
    needing.sort(key=lambda e: (len(eligible(e)), str(e.entry_id)))
    for entry in needing:
        while len(current[entry.entry_id]) < per_entry:
            candidates = eligible(entry)
            if not candidates:
                plan.shortfall[entry.entry_id] = per_entry - len(current[entry.entry_id])
                break
            members = current[entry.entry_id]
            best = min(
                candidates,
                key=lambda r: (r.load, sum(together[r.reviewer_id, m] for m in members), str(r.reviewer_id)),
            )
            for member in members:
                together[best.reviewer_id, member] += 1
                together[member, best.reviewer_id] += 1
            members.add(best.reviewer_id)
            best.load += 1
            plan.pairs.append((entry.entry_id, best.reviewer_id))
    return plan


def loads_after(plan: Plan, reviewers: Iterable[ReviewerLoad]) -> dict[object, int]:
    loads = {r.reviewer_id: r.load for r in reviewers}
    extra = defaultdict(int)
    for _entry, reviewer in plan.pairs:
        extra[reviewer] += 1
    return {rid: load + extra[rid] for rid, load in loads.items()}
