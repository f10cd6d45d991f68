"""How far a reported value is from its target: a pure function, no models, so the page, the API, the
CSV and the home strip all say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

PERCENT = "%"
PERMILLE = "‰"
AT_LEAST = "at_least"
AT_MOST = "at_most"


def format_number(value: Decimal | float | int) -> str:
    """4.20 → 4.2, 98.00 → 98, 0.05 → 0.05 (no exponent, no trailing zeros)."""
    text = f"{Decimal(str(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Gap:
    met: bool
    points: Decimal  # how many points short (0 when met), in the indicator's unit
    text: str

    def as_dict(self) -> dict:
        return {"met": self.met, "points": float(self.points), "text": self.text}


def compute_gap(direction: str, unit: str, target, value) -> Gap | None:
    """The gap between `value` and `target` for a target to reach (at least) or stay under (at most).

    None when there is no value yet. 「还差 4.2 个百分点」 for %, 「还差 0.2 个千分点」 for ‰, 「已达标」."""
    if value is None:
        return None
    target, value = Decimal(str(target)), Decimal(str(value))
    if direction == AT_LEAST:
        short = target - value
    elif direction == AT_MOST:
        short = value - target
    else:
        raise ValueError(f"unknown direction {direction!r}")
    if short <= 0:
        return Gap(met=True, points=Decimal(0), text=_("Target met"))
    if unit == PERCENT:
        text = _("%(points)s percentage points to go") % {"points": format_number(short)}
    elif unit == PERMILLE:
        text = _("%(points)s per-mille points to go") % {"points": format_number(short)}
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return Gap(met=False, points=short, text=text)


def value_problem(unit: str, value) -> str | None:
    """Why `value` cannot be a rate in `unit` (a % outside 0–100, a negative ‰), or None."""
    value = Decimal(str(value))
    if unit == PERCENT and not Decimal(0) <= value <= Decimal(100):
        return _("A percentage must be between 0 and 100.")
    if unit == PERMILLE and not Decimal(0) <= value <= Decimal(1000):
        return _("A per-mille rate cannot be negative (nor above 1000).")
    return None
