"""Import a year's reported values from a spreadsheet (CSV/XLSX): read → map columns → parse rows → plan
→ apply. All-or-nothing: any bad row → a per-row report and nothing written. The table helpers (encoding
detection, XLSX reading, header normalisation, dates) are the facility import's.

Applying writes one new revision per indicator, so a replaced value stays in the indicator's history.
A user who may publish indicators publishes it; anyone else submits it to the 「医学审核」 workflow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.facilities.importer import (
    CellError,
    ImportFileError,
    RowError,
    _text,
    normalize_header,
    parse_date,
    read_table,
)

from .gap import format_number, value_problem
from .models import Indicator, ReportedValue

COLUMNS: dict[str, list[str]] = {
    "province_code": ["省份代码", "省份", "省级区划代码", "province_code", "province"],
    "code": ["指标代码", "代码", "code", "indicator_code"],
    "year": ["年份", "年度", "year"],
    "value": ["数值", "报告值", "值", "value"],
    "source": ["来源", "数据来源", "source"],
    "reported_on": ["报告日期", "发布日期", "reported_on"],
    "note": ["备注", "note"],
}
REQUIRED = ["code", "value", "source"]
LABELS = {key: names[0] for key, names in COLUMNS.items()}
HEADER_KEYS = {normalize_header(name): key for key, names in COLUMNS.items() for name in names}


@dataclass
class ParsedValue:
    row: int
    indicator: Indicator
    year: int
    value: Decimal
    source: str
    reported_on: object
    note: str


@dataclass
class PlannedValue:
    parsed: ParsedValue
    previous: ReportedValue | None  # None: a new year


@dataclass
class ImportPlan:
    filename: str
    errors: list[RowError] = field(default_factory=list)
    created: list[PlannedValue] = field(default_factory=list)
    changed: list[PlannedValue] = field(default_factory=list)
    unchanged: list[PlannedValue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return ngettext(
                "%(errors)s error, nothing imported", "%(errors)s errors, nothing imported", len(self.errors)
            ) % {"errors": len(self.errors)}
        return _("%(created)s created, %(changed)s changed, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
        }


def map_columns(rows, default_province: str, default_year: int | None) -> tuple[int, dict[str, int]]:
    header_index = next((i for i, row in enumerate(rows) if any(_text(c) for c in row)), None)
    if header_index is None:
        raise ImportFileError([RowError(1, _("File"), "", _("The file is empty"))])
    mapping: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(rows[header_index]):
        key = HEADER_KEYS.get(normalize_header(cell))
        if key is None:
            continue
        if key in mapping:
            errors.append(RowError(header_index + 1, LABELS[key], _text(cell), _("Duplicate column name")))
        mapping[key] = index
    required = REQUIRED + ([] if default_province else ["province_code"]) + ([] if default_year else ["year"])
    for key in required:
        if key not in mapping:
            errors.append(
                RowError(
                    header_index + 1,
                    LABELS[key],
                    "",
                    _('Required column "%(column)s" (or %(key)s) is missing')
                    % {"column": LABELS[key], "key": key},
                )
            )
    if errors:
        raise ImportFileError(errors)
    return header_index, mapping


def parse_number(text: str) -> Decimal:
    cleaned = re.sub(r"[%‰\s]", "", text)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("Not a number")) from None
    if not number.is_finite() or number.as_tuple().exponent < -2:
        raise CellError(_("Use a number with at most two decimals"))
    return number


def parse_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}(\.0)?", text) or not 2000 <= int(float(text)) <= 2100:
        raise CellError(_("A year between 2000 and 2100"))
    return int(float(text))


def parse_rows(rows, header_index, mapping, default_province, default_year):
    indicators = {(i.province_code, i.code): i for i in Indicator.objects.prefetch_related("values")}
    parsed: list[ParsedValue] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {key: _text(row[index]) if index < len(row) else "" for key, index in mapping.items()}
        raw = {key: row[index] if index < len(row) else None for key, index in mapping.items()}
        if not any(cells.values()):
            continue
        row_errors: list[RowError] = []

        def fail(key, reason, value=None, number=offset, bucket=row_errors, cells=cells):
            bucket.append(
                RowError(number, LABELS[key], cells.get(key, "") if value is None else value, reason)
            )

        for key in REQUIRED:
            if not cells.get(key):
                fail(key, _("Required, cannot be empty"))
        province = cells.get("province_code") or default_province
        indicator = None
        if cells.get("code"):
            indicator = indicators.get((province, cells["code"]))
            if indicator is None:
                fail(
                    "code",
                    _("No indicator with this code for province %(province)s") % {"province": province},
                )
            elif indicator.has_unpublished_changes or indicator.locked:
                fail(
                    "code",
                    _("The indicator has unpublished changes or is locked: finish or discard them first"),
                )
        year = default_year
        if cells.get("year"):
            try:
                year = parse_year(cells["year"])
            except CellError as exc:
                fail("year", str(exc))
                year = None
        elif not default_year:
            fail("year", _("Required, cannot be empty"))
        value = None
        if cells.get("value"):
            try:
                value = parse_number(cells["value"])
            except CellError as exc:
                fail("value", str(exc))
        if value is not None and indicator is not None:
            problem = value_problem(indicator.unit, value)
            if problem:
                fail("value", problem)
                value = None
        reported_on = None
        if "reported_on" in raw:
            try:
                reported_on = parse_date(raw["reported_on"])
            except CellError as exc:
                fail("reported_on", str(exc))
        if len(cells.get("source", "")) > 200:
            fail("source", _("At most 200 characters"), value=cells["source"][:40] + "…")
        if len(cells.get("note", "")) > 200:
            fail("note", _("At most 200 characters"), value=cells["note"][:40] + "…")
        if indicator is not None and year is not None:
            key = (indicator.pk, year)
            if key in seen:
                fail("year", _("The same indicator and year are already in row %(row)s") % {"row": seen[key]})
            seen.setdefault(key, offset)
        if row_errors or indicator is None or value is None or year is None:
            errors += row_errors
            continue
        parsed.append(
            ParsedValue(offset, indicator, year, value, cells["source"], reported_on, cells.get("note", ""))
        )
    return parsed, errors


def plan_import(
    content: bytes, filename: str = "", *, province: str = "", year: int | None = None
) -> ImportPlan:
    """Read and check the whole file and compare it with the database, writing nothing."""
    plan = ImportPlan(filename=filename)
    try:
        rows = read_table(content, filename)
        header_index, mapping = map_columns(rows, province, year)
    except ImportFileError as exc:
        plan.errors = exc.errors
        return plan
    parsed, plan.errors = parse_rows(rows, header_index, mapping, province, year)
    if plan.errors:
        return plan
    if not parsed:
        plan.errors = [RowError(header_index + 1, _("File"), "", _("The file has no data rows"))]
        return plan
    for item in parsed:
        previous = next((v for v in item.indicator.values.all() if v.year == item.year), None)
        planned = PlannedValue(item, previous)
        if previous is None:
            plan.created.append(planned)
        elif (previous.value, previous.source, previous.reported_on, previous.note) != (
            item.value,
            item.source,
            item.reported_on,
            item.note,
        ) or previous.sample_data:
            plan.changed.append(planned)
        else:
            plan.unchanged.append(planned)
    return plan


def can_publish(user) -> bool:
    return user is not None and user.has_perm("targets.publish_indicator")


@transaction.atomic
def apply_plan(plan: ImportPlan, user=None) -> list[Indicator]:
    """One new revision per indicator touched: published if the user may publish, else sent for review."""
    if not plan.ok:
        raise ValueError("cannot apply a plan with errors")
    by_indicator: dict[int, list[PlannedValue]] = {}
    for planned in plan.created + plan.changed:
        by_indicator.setdefault(planned.parsed.indicator.pk, []).append(planned)
    written = []
    publish = can_publish(user)
    for pk, changes in by_indicator.items():
        indicator = Indicator.objects.select_for_update().get(pk=pk)
        values = {v.year: v for v in indicator.values.all()}
        for planned in changes:
            item = planned.parsed
            value = values.get(item.year) or ReportedValue(year=item.year)
            value.value, value.source, value.reported_on, value.note = (
                item.value,
                item.source,
                item.reported_on,
                item.note,
            )
            value.sample_data = False
            values[item.year] = value
        indicator.values = sorted(values.values(), key=lambda v: v.year)
        revision = indicator.save_revision(user=user, log_action="targets.import")
        if publish:
            revision.publish(user=user)
        else:
            workflow = indicator.get_workflow()
            if workflow is not None:
                workflow.start(indicator, user)
        written.append(indicator)
    return written


def describe(planned: PlannedValue) -> str:
    item = planned.parsed
    if planned.previous is None:
        return format_number(item.value)
    return f"{format_number(planned.previous.value)} → {format_number(item.value)}"
