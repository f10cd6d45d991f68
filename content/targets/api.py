"""Open data of the 2027 targets: /api/targets/ (JSON, in the OpenAPI schema) and /api/targets.csv
(UTF-8 with BOM so Excel opens it), filterable by `province` and `life_stage`; unknown values → 400."""

from __future__ import annotations

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from content.base.errors import ParameterError
from content.base.models import LifeStage

from .gap import format_number
from .models import PROVINCES, Indicator

router = Router(tags=["targets"])
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "省份代码",
    "指标代码",
    "指标名称",
    "人生阶段",
    "单位",
    "方向",
    "目标值",
    "目标年份",
    "年份",
    "数值",
    "来源",
    "报告日期",
    "示例数据",
    "最新值",
    "最新年份",
    "差距",
    "差距说明",
]


class TargetFilters(Schema):
    province: str | None = None
    life_stage: str | None = None


class ValueOut(Schema):
    year: int
    value: float
    source: str
    reported_on: datetime.date | None
    sample_data: bool


class GapOut(Schema):
    met: bool
    points: float
    text: str


class TargetOut(Schema):
    province_code: str
    indicator: str
    code: str
    life_stage: str
    unit: str
    direction: str
    target: float
    target_year: int
    plan_clause: str
    values: list[ValueOut]
    latest: ValueOut | None
    gap: GapOut | None


class TargetList(Schema):
    count: int
    results: list[TargetOut]


def filtered_indicators(params) -> list[Indicator]:
    """The live indicators the query asks for, in page order; ParameterError for an unknown filter value."""
    indicators = Indicator.objects.live().with_values()
    province = (params.get("province") or "").strip()
    if province:
        known = set(PROVINCES) | set(Indicator.objects.live().values_list("province_code", flat=True))
        if province not in known:
            raise ParameterError(
                "province",
                _("Unknown province code %(value)s: use one of %(known)s")
                % {"value": province[:20], "known": "、".join(sorted(known))},
            )
        indicators = indicators.for_province(province)
    stage = (params.get("life_stage") or "").strip()
    if stage:
        codes = list(LifeStage.objects.values_list("code", flat=True))
        if stage not in codes:
            raise ParameterError(
                "life_stage",
                _("Unknown life stage %(value)s: use one of %(known)s")
                % {"value": stage[:20], "known": "、".join(codes)},
            )
        indicators = indicators.filter(life_stage__code=stage)
    return list(indicators)


def value_json(value) -> dict:
    return {
        "year": value.year,
        "value": float(value.value),
        "source": value.source,
        "reported_on": value.reported_on,
        "sample_data": value.sample_data,
    }


def target_json(indicator: Indicator) -> dict:
    latest, gap = indicator.latest, indicator.gap
    return {
        "province_code": indicator.province_code,
        "indicator": indicator.name,
        "code": indicator.code,
        "life_stage": indicator.life_stage.code,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "target": float(indicator.target_value),
        "target_year": indicator.target_year,
        "plan_clause": indicator.plan_clause,
        "values": [value_json(v) for v in indicator.sorted_values],
        "latest": value_json(latest) if latest else None,
        "gap": gap.as_dict() if gap else None,
    }


@router.get("/targets/", response=TargetList, summary="2027 targets: indicators, reported values and the gap")
def targets(request, filters: Query[TargetFilters]):
    """`province` a province code (110000 Beijing, 510000 Sichuan); `life_stage` premarital, preconception,
    pregnancy, newborn or child. `gap.points` is how far the latest value is from the target (0 when met)."""
    results = [target_json(indicator) for indicator in filtered_indicators(request.GET)]
    return {"count": len(results), "results": results}


def safe_cell(value):
    """Text from editors' files: a leading = + - @ would make a spreadsheet run a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(indicator: Indicator):
    latest, gap = indicator.latest, indicator.gap
    common = [
        indicator.province_code,
        indicator.code,
        indicator.name,
        indicator.life_stage.name,
        indicator.unit,
        indicator.get_direction_display(),
        format_number(indicator.target_value),
        indicator.target_year,
    ]
    tail = [
        format_number(latest.value) if latest else "",
        latest.year if latest else "",
        format_number(gap.points) if gap else "",
        gap.text if gap else "",
    ]
    values = indicator.sorted_values or [None]
    for value in values:
        if value is None:
            middle = ["", "", "", "", ""]
        else:
            middle = [
                value.year,
                format_number(value.value),
                value.source,
                value.reported_on.isoformat() if value.reported_on else "",
                _("Yes") if value.sample_data else "",
            ]
        yield [safe_cell(cell) for cell in common + middle + tail]


@router.get(
    "/targets.csv", summary="The same targets as a CSV file, one row per reported value (UTF-8 with BOM)"
)
def targets_csv(request, filters: Query[TargetFilters]):
    """Columns 省份代码, 指标代码, 年份, 数值, 来源, 报告日期 are the import format's: an export
    can be corrected and imported again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for indicator in filtered_indicators(request.GET):
        writer.writerows(csv_rows(indicator))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="targets-{stamp}.csv"'
    return response
