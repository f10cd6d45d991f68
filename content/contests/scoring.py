"""How reviews become a ranking. Pure functions over plain data: no models, no database.

Rules (docs/contests.md explains them to organisers):

- A review scores each criterion on the levels 1–5, or N/A where the criterion allows it. Its
  score on 0–100 is the weighted mean of the criteria it scored, each as a share of the top level:
  100 × Σ wᵢ·sᵢ/5 ÷ Σ wᵢ. N/A criteria are left out of both sums, never counted as 0. A review with
  every criterion N/A has no score and is left out of the entry's aggregate.
- An entry's score is the mean of its review scores, or the trimmed mean (one highest and one
  lowest dropped) once it has TRIM_AT (5) or more scored reviews.
- The spread is the highest minus the lowest review score; above the contest's threshold the
  entry is flagged for discussion (it needs at least two reviews to disagree).
- Ranking: higher score first, compared at two decimals. Ties are broken, in order, by the higher
  median review score, then the higher lowest review score (the broader consensus), then the
  larger number of reviews, then the earlier submission. The last rule always decides, so ranks
  are strict; each entry records which rule placed it below the one before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

TOP_LEVEL = 5
LEVELS = range(1, TOP_LEVEL + 1)
TRIM_AT = 5
CENT = Decimal("0.01")


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Decimal
    allow_na: bool = False

    @classmethod
    def from_snapshot(cls, data: Mapping) -> Criterion:
        return cls(
            key=str(data["key"]), weight=Decimal(str(data["weight"])), allow_na=bool(data.get("allow_na"))
        )


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def validate_scores(
    criteria: Sequence[Criterion], scores: Mapping[str, int | None], *, complete: bool
) -> list[str]:
    """Problems with a score sheet, as criterion keys with a reason; empty when it is valid.

    `complete` asks for every criterion to be scored (or N/A where allowed): a submitted review."""
    problems = []
    for criterion in criteria:
        value = scores.get(criterion.key, "missing")
        if value == "missing":
            if complete:
                problems.append(f"{criterion.key}: missing")
        elif value is None:
            if not criterion.allow_na:
                problems.append(f"{criterion.key}: N/A not allowed")
        elif isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
            problems.append(f"{criterion.key}: not a level 1–{TOP_LEVEL}")
    unknown = set(scores) - {c.key for c in criteria}
    problems.extend(f"{key}: unknown criterion" for key in sorted(unknown))
    return problems


def review_score(criteria: Sequence[Criterion], scores: Mapping[str, int | None]) -> Decimal | None:
    """A complete review's weighted score on 0–100, or None when every criterion is N/A."""
    problems = validate_scores(criteria, scores, complete=True)
    if problems:
        raise ScoringError("; ".join(problems))
    numerator = Decimal(0)
    denominator = Decimal(0)
    for criterion in criteria:
        value = scores[criterion.key]
        if value is None:
            continue
        numerator += criterion.weight * Decimal(value) / TOP_LEVEL
        denominator += criterion.weight
    if denominator == 0:
        return None
    return quantize(100 * numerator / denominator)


@dataclass(frozen=True)
class Aggregate:
    score: Decimal | None
    method: str  # "mean", "trimmed_mean" or "none"
    count: int
    spread: Decimal | None
    flagged: bool
    median: Decimal | None
    lowest: Decimal | None


def aggregate(review_scores: Iterable[Decimal | None], disagreement_threshold: Decimal) -> Aggregate:
    """An entry's score from its reviews' scores (None = a review with every criterion N/A)."""
    values = sorted(Decimal(v) for v in review_scores if v is not None)
    if not values:
        return Aggregate(None, "none", 0, None, False, None, None)
    if len(values) >= TRIM_AT:
        kept, method = values[1:-1], "trimmed_mean"
    else:
        kept, method = values, "mean"
    score = quantize(sum(kept) / len(kept))
    spread = values[-1] - values[0]
    flagged = len(values) >= 2 and spread > Decimal(disagreement_threshold)
    return Aggregate(
        score, method, len(values), spread, flagged, quantize(Decimal(median(values))), values[0]
    )


@dataclass
class Ranked:
    entry_id: object
    aggregate: Aggregate
    submitted_at: object
    rank: int | None = None
    tie_break: str = ""  # the rule that placed this entry below the previous one, when scores tie
    extra: dict = field(default_factory=dict)


TIE_BREAK_RULES = ("median", "lowest", "count", "submitted_at")


def _sort_key(item: Ranked):
    agg = item.aggregate
    return (-agg.score, -agg.median, -agg.lowest, -agg.count, item.submitted_at)


def rank(items: Iterable[Ranked]) -> list[Ranked]:
    """Entries in rank order: scored ones ranked 1…n, then unscored ones (rank None)."""
    items = list(items)
    scored = sorted((i for i in items if i.aggregate.score is not None), key=_sort_key)
    unscored = sorted((i for i in items if i.aggregate.score is None), key=lambda i: i.submitted_at)
    previous = None
    for position, item in enumerate(scored, start=1):
        item.rank = position
        item.tie_break = ""
        if previous is not None and previous.aggregate.score == item.aggregate.score:
            pairs = zip(_sort_key(previous)[1:], _sort_key(item)[1:], strict=True)
            for rule, (a, b) in zip(TIE_BREAK_RULES, pairs, strict=True):
                if a != b:
                    item.tie_break = rule
                    break
        previous = item
    for item in unscored:
        item.rank = None
        item.tie_break = ""
    return scored + unscored
