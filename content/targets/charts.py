"""The trend chart of an indicator as plain geometry for an SVG template: server-side, no script.

The chart only repeats the data table beside it; the table is what screen readers and printouts use."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .gap import PERCENT, format_number

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 30


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    points: list[dict] = field(default_factory=list)
    polyline: str = ""
    target_y: float = 0
    target_label: str = ""
    x_labels: list[dict] = field(default_factory=list)
    y_ticks: list[dict] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def _bounds(numbers: list[Decimal], unit: str) -> tuple[Decimal, Decimal]:
    low, high = min(numbers), max(numbers)
    pad = max((high - low) * Decimal("0.25"), Decimal(1) if unit == PERCENT else Decimal("0.1"))
    low, high = low - pad, high + pad
    low = max(low, Decimal(0))
    if unit == PERCENT:
        high = min(high, Decimal(100))
    return low, high


def trend_chart(values: list[tuple[int, Decimal]], target: Decimal, target_year: int, unit: str) -> Chart:
    """values: [(year, value)] in year order. The x axis runs from the first year to the target year."""
    target = Decimal(str(target))
    years = [year for year, _ in values]
    first = min(years + [target_year - 4])
    last = max(years + [target_year])
    low, high = _bounds([Decimal(str(v)) for _, v in values] + [target], unit)
    span_x = max(last - first, 1)
    span_y = (high - low) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return round(LEFT + (year - first) * plot_w / span_x, 1)

    def y(value: Decimal) -> float:
        return round(float(TOP + (high - Decimal(str(value))) * plot_h / span_y), 1)

    chart = Chart()
    chart.points = [
        {"x": x(year), "y": y(value), "year": year, "label": format_number(value) + unit}
        for year, value in values
    ]
    chart.polyline = " ".join(f"{p['x']},{p['y']}" for p in chart.points)
    chart.target_y = y(target)
    chart.target_label = format_number(target) + unit
    chart.x_labels = [{"x": x(year), "year": year} for year in range(first, last + 1)]
    middle = (low + high) / 2
    chart.y_ticks = [
        {"y": y(v), "label": format_number(round(v, 1 if unit == PERCENT else 2))}
        for v in (high, middle, low)
    ]
    return chart
