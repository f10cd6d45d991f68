"""Import a government facility list (DESIGN §5): a pipeline of small steps.

    read_table → map_columns → parse_rows (one parser per column) → plan_changes → apply_plan

All-or-nothing: `plan_import` reads and validates the whole file and compares it with the database
without writing; `apply_plan` writes a plan that has no errors, in one transaction. The management
command and the admin upload both go through `plan_import` then `apply_plan`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Facility, FacilityService, Region, Service, split_list
from .regions import RegionDirectory, directory

# key → accepted header spellings (Chinese first, as in the published lists).
COLUMNS: dict[str, list[str]] = {
    "name": ["机构名称", "名称", "机构", "医疗机构名称", "name"],
    "region": ["所在地区", "地区", "行政区划", "区划代码", "行政区划代码", "region"],
    "address": ["地址", "机构地址", "详细地址", "address"],
    "phone": ["联系电话", "电话", "咨询电话", "phone", "phones"],
    "services": ["许可项目", "服务项目", "执业项目", "services"],
    "licence_number": ["许可证号", "许可证编号", "执业许可证号", "licence_number", "license_number"],
    "issuing_authority": ["发证机关", "发证单位", "issuing_authority"],
    "valid_until": ["有效期至", "有效期", "有效期限", "valid_until"],
    "free_services": ["免费服务", "免费项目", "惠民项目", "free_services"],
    "longitude": ["经度", "longitude", "lng", "lon"],
    "latitude": ["纬度", "latitude", "lat"],
    "website": ["网址", "网站", "website", "url"],
    "opening_hours": ["开放时间", "服务时间", "opening_hours"],
    "notes": ["备注", "notes"],
    "referral": ["对口诊断机构", "转诊机构", "对口产前诊断机构", "referral_centre", "referral"],
    "last_verified": ["核实日期", "最近核实", "last_verified"],
}
REQUIRED = ["name", "address", "services", "licence_number"]
LABELS = {key: names[0] for key, names in COLUMNS.items()}
NO_EXPIRY = {"长期", "长期有效", "永久", "永久有效", "无"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)
ITEM_SEPARATORS = "、;；,，\n"


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self):
        parts = {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}
        if self.value:
            return _('Row %(row)s %(column)s "%(value)s": %(reason)s') % parts
        return _("Row %(row)s %(column)s: %(reason)s") % parts


@dataclass
class ParsedService:
    code: str
    free: bool = False
    sub_items: list[str] = field(default_factory=list)


@dataclass
class ParsedRow:
    row: int
    name: str
    region_code: str
    address: str
    phones: list[str]
    services: dict[str, ParsedService]
    licence_number: str
    issuing_authority: str
    valid_until: datetime.date | None
    latitude: float
    longitude: float
    approximate: bool
    website: str
    opening_hours: str
    notes: str
    referral: str = ""
    last_verified: datetime.date | None = None

    def facility_fields(self) -> dict:
        return {
            "name": self.name, "region_id": self.region_code, "address": self.address,
            "phones": "、".join(self.phones), "website": self.website, "opening_hours": self.opening_hours,
            "notes": self.notes, "latitude": self.latitude, "longitude": self.longitude,
            "location_approximate": self.approximate, "licence_issuing_authority": self.issuing_authority,
            "licence_valid_until": self.valid_until,
        }

    def service_set(self) -> set[tuple[str, bool, str]]:
        return {(s.code, s.free, "、".join(s.sub_items)) for s in self.services.values()}


@dataclass
class PlannedChange:
    row: ParsedRow
    facility: Facility | None  # None: to be created
    changed_fields: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    filename: str
    source: str | None
    errors: list[RowError] = field(default_factory=list)
    created: list[PlannedChange] = field(default_factory=list)
    changed: list[PlannedChange] = field(default_factory=list)
    unchanged: list[PlannedChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged)

    def summary(self) -> str:
        if self.errors:
            return ngettext("%(errors)s error, nothing imported", "%(errors)s errors, nothing imported",
                            len(self.errors)) % {"errors": len(self.errors)}
        return _("%(created)s created, %(changed)s changed, %(unchanged)s unchanged") % {
            "created": len(self.created), "changed": len(self.changed), "unchanged": len(self.unchanged)}

    def report_lines(self) -> list[str]:
        if self.errors:
            return [str(e) for e in self.errors]
        lines = [_("New: row %(row)s %(licence)s %(name)s") % {
            "row": c.row.row, "licence": c.row.licence_number, "name": c.row.name} for c in self.created]
        lines += [_("Update: row %(row)s %(licence)s %(name)s: %(fields)s") % {
            "row": c.row.row, "licence": c.row.licence_number, "name": c.row.name,
            "fields": "、".join(c.changed_fields)} for c in self.changed]
        return lines + self.hours_warnings

    @property
    def hours_warnings(self) -> list[str]:
        """开放时间 the finder cannot read (kept as text, but not used for 「正在营业」): not an error."""
        from .hours import parse_hours

        lines = []
        for change in self.created + self.changed + self.unchanged:
            unparsed = parse_hours(change.row.opening_hours).unparsed
            if unparsed:
                lines.append(_("Row %(row)s %(name)s: opening hours not understood: %(text)s") % {
                    "row": change.row.row, "name": change.row.name, "text": "；".join(unparsed)})
        return lines


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# ---------------------------------------------------------------- 1. read the table

def read_table(content: bytes, filename: str = "") -> list[list[object]]:
    """The rows of the first sheet (XLSX) or of the CSV, as lists of cell values."""
    if content[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    return _read_csv(decode_text(content))


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 — detected, not asked."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None:
        raise ImportFileError([RowError(1, _("File"), "", _(
            "The file's encoding cannot be recognised: save it as a CSV in UTF-8 or GB18030"))])
    return str(best)


def _read_csv(text: str) -> list[list[object]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ImportFileError([RowError(1, _("File"), "", _("Cannot read the XLSX file (%(error)s)") % {
            "error": exc.__class__.__name__})]) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


# ---------------------------------------------------------------- 2. map the header

def normalize_header(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"[(\[].*?[)\]]", "", text)  # 有效期至(必填) → 有效期至
    return re.sub(r"[\s*＊:：]+", "", text).replace("-", "_")


HEADER_KEYS = {normalize_header(name): key for key, names in COLUMNS.items() for name in names}


def map_columns(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    """(index of the header row, key → column index). Extra columns are ignored."""
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
    for key in REQUIRED:
        if key not in mapping:
            reason = _('Required column "%(column)s" (or %(key)s) is missing') % {
                "column": LABELS[key], "key": key}
            errors.append(RowError(header_index + 1, LABELS[key], "", reason))
    if errors:
        raise ImportFileError(errors)
    return header_index, mapping


# ---------------------------------------------------------------- 3. parse each column

class CellError(ValueError):
    pass


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()


def parse_date(value: object) -> datetime.date | None:
    """2027-06-30, 2027/6/30, 2027.6.30, 2027年6月30日, 20270630, an Excel date cell or serial number."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(float(value))
    text = _text(value)
    if not text or text in NO_EXPIRY:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
                         text)
    if match is None:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise CellError(_("Not a valid date")) from exc
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _excel_serial(float(text))
    raise CellError(_("Unrecognised date format (use 2027-06-30, 2027/6/30 or 2027年6月30日)"))


def _excel_serial(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:
        raise CellError(_("Not a valid Excel date"))
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def split_items(text: str) -> list[str]:
    """Split 「产前诊断（遗传咨询、医学影像）、产前筛查」 at top-level separators, keeping parentheses whole."""
    items, current, depth = [], [], 0
    for char in text:
        if char in "(（[【":
            depth += 1
        elif char in ")）]】":
            depth = max(0, depth - 1)
        if char in ITEM_SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def parse_service_item(item: str) -> tuple[str, list[str]]:
    """「产前诊断（遗传咨询、医学影像）」 → (产前诊断, [遗传咨询, 医学影像])."""
    match = re.fullmatch(r"(.*?)\s*[(（](.*)[)）]\s*", item)
    if not match:
        return item.strip(), []
    return match.group(1).strip(), split_list(match.group(2))


def service_lookup() -> dict[str, str]:
    """Every official name and alias (normalised) → service code."""
    lookup: dict[str, str] = {}
    for service in Service.objects.all():
        for term in service.terms:
            lookup.setdefault(_service_key(term), service.code)
        lookup.setdefault(_service_key(service.code), service.code)
    return lookup


def _service_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def parse_services(text: str, lookup: dict[str, str]) -> dict[str, ParsedService]:
    services: dict[str, ParsedService] = {}
    unknown = []
    for item in split_items(text):
        name, sub_items = parse_service_item(item)
        code = lookup.get(_service_key(name))
        if code is None:
            unknown.append(name)
            continue
        service = services.setdefault(code, ParsedService(code))
        service.sub_items += [s for s in sub_items if s not in service.sub_items]
    if unknown:
        raise CellError(_("Unknown service: %(names)s (use a name or alias from the service list)") % {
            "names": "、".join(unknown)})
    return services


def parse_coordinate(text: str, low: float, high: float) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise CellError(_("Not a number")) from exc
    if not low <= value <= high:
        raise CellError(_("Out of range (%(low)s to %(high)s)") % {"low": f"{low:g}", "high": f"{high:g}"})
    return value


def resolve_region(region_text: str, address: str, regions: RegionDirectory) -> str:
    """A division code from the 所在地区 cell (code or name) or, when it is empty, from the address.
    The address refines a coarser region (所在地区 北京市 + 地址 北京市朝阳区… → 朝阳区)."""
    from_address = regions.parse(address) if address else []
    if region_text:
        if re.fullmatch(r"\d+", region_text):
            code = regions.normalize_code(region_text)
            if code is None:
                raise CellError(_("Not a known division code (6 or 12 digits)"))
            candidates = [code]
        else:
            candidates = regions.parse(region_text)
            if not candidates:
                raise CellError(_('Unrecognised region name (give a division code or a name such as '
                                  '"北京市朝阳区")'))
    elif from_address:
        candidates = from_address
    else:
        raise CellError(_("The region is empty and cannot be inferred from the address (fill in the region, "
                         "or start the address with the province, city and district)"))
    if len(candidates) > 1:
        narrowed = [c for c in candidates if any(regions.is_within(a, c) or regions.is_within(c, a)
                                                 for a in from_address)]
        if len(narrowed) != 1:
            names = " / ".join(" ".join(regions.name(n) for n in regions.ancestors(c)) for c in candidates)
            raise CellError(_("Ambiguous region name (%(names)s): give the full name or the division code") % {
                "names": names})
        candidates = narrowed
    code = candidates[0]
    deeper = [a for a in from_address if a != code and regions.is_within(a, code)]
    return deeper[0] if len(deeper) == 1 else code


def normalize_website(text: str) -> str:
    if not text:
        return ""
    url = text if re.match(r"^https?://", text, re.I) else f"https://{text}"
    try:
        URLValidator()(url)
    except ValidationError as exc:
        raise CellError(_("Not a valid web address")) from exc
    return url


@dataclass
class ParseContext:
    services: dict[str, str]
    regions: RegionDirectory
    centroids: dict[str, tuple[float | None, float | None]]


def build_context() -> ParseContext:
    return ParseContext(
        services=service_lookup(),
        regions=directory(),
        centroids={code: (lat, lng) for code, lat, lng in Region.objects.values_list("code", "latitude", "longitude")},
    )


def parse_row(number: int, cells: dict[str, object], context: ParseContext) -> tuple[ParsedRow | None, list[RowError]]:
    """Validate one row; every problem in it is reported, not only the first."""
    errors: list[RowError] = []
    text = {key: _text(value) for key, value in cells.items()}

    def check(key: str, parser: Callable[[], object], default=None):
        try:
            return parser()
        except CellError as exc:
            errors.append(RowError(number, LABELS[key], text.get(key, ""), str(exc)))
            return default

    for key in REQUIRED:
        if not text.get(key):
            errors.append(RowError(number, LABELS[key], "", _("Required, cannot be empty")))
    services = check("services", lambda: parse_services(text.get("services", ""), context.services), {})
    free = check("free_services", lambda: parse_services(text.get("free_services", ""), context.services), {})
    for code in free or {}:
        # A free service (惠民项目) is offered there even if the licence column does not repeat it.
        services.setdefault(code, ParsedService(code)).free = True
    region_code = check("region", lambda: resolve_region(text.get("region", ""), text.get("address", ""),
                                                         context.regions))
    valid_until = check("valid_until", lambda: parse_date(cells.get("valid_until")))
    last_verified = check("last_verified", lambda: parse_date(cells.get("last_verified")))
    latitude = check("latitude", lambda: parse_coordinate(text.get("latitude", ""), -90, 90))
    longitude = check("longitude", lambda: parse_coordinate(text.get("longitude", ""), -180, 180))
    website = check("website", lambda: normalize_website(text.get("website", "")), "")
    approximate = False
    if (latitude is None) != (longitude is None) and not any(e.column in (LABELS["longitude"], LABELS["latitude"]) for e in errors):
        errors.append(RowError(number, LABELS["latitude" if latitude is None else "longitude"], "",
                               _("Fill in both longitude and latitude, or neither (then the region's "
                                 "centre is used)")))
    elif latitude is None and longitude is None and region_code:
        latitude, longitude = context.centroids.get(region_code, (None, None))
        approximate = True
        if latitude is None:
            errors.append(RowError(number, LABELS["region"], text.get("region", ""),
                                   _("This region has no centre coordinates: fill in the longitude and "
                                     "latitude")))
    for key, limit in (("name", 120), ("address", 200), ("licence_number", 80), ("issuing_authority", 120),
                       ("opening_hours", 200), ("phone", 200)):
        if len(text.get(key, "")) > limit:
            errors.append(RowError(number, LABELS[key], text[key][:20] + "…",
                                   _("Too long (at most %(limit)s characters)") % {"limit": limit}))
    if errors:
        return None, errors
    return ParsedRow(
        row=number, name=text["name"], region_code=region_code, address=text["address"],
        phones=split_list(text.get("phone", "")), services=services, licence_number=text["licence_number"],
        issuing_authority=text.get("issuing_authority", ""), valid_until=valid_until,
        latitude=latitude, longitude=longitude, approximate=approximate, website=website,
        opening_hours=text.get("opening_hours", ""), notes=text.get("notes", ""),
        referral=text.get("referral", ""), last_verified=last_verified,
    ), []


def parse_rows(rows: list[list[object]], header_index: int, mapping: dict[str, int],
               context: ParseContext) -> tuple[list[ParsedRow], list[RowError]]:
    parsed, errors = [], []
    seen: dict[str, int] = {}
    for index in range(header_index + 1, len(rows)):
        raw = rows[index]
        if not any(_text(cell) for cell in raw):
            continue
        number = index + 1  # spreadsheet row numbers: the header is row 1
        cells = {key: raw[column] if column < len(raw) else None for key, column in mapping.items()}
        row, row_errors = parse_row(number, cells, context)
        errors += row_errors
        licence = _text(cells.get("licence_number"))
        if licence:
            if licence in seen:
                errors.append(RowError(number, LABELS["licence_number"], licence,
                                       _("Same licence number as row %(row)s") % {"row": seen[licence]}))
            seen.setdefault(licence, number)
        if row is not None:
            parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(header_index + 2, _("File"), "", _("No data rows")))
    return parsed, errors


def check_referrals(parsed: list[ParsedRow]) -> list[RowError]:
    """A referral names a facility by licence number or exact name, in this file or already imported."""
    in_file = {r.licence_number for r in parsed} | {r.name for r in parsed}
    errors = []
    for row in parsed:
        if row.referral and row.referral not in in_file and not _find_facility(row.referral):
            errors.append(RowError(row.row, LABELS["referral"], row.referral,
                                   _("No such facility (give its licence number or full name)")))
    return errors


def _find_facility(key: str) -> Facility | None:
    return Facility.objects.filter(licence_number=key).first() or Facility.objects.filter(name=key).first()


# ---------------------------------------------------------------- 4. compare with the database

# A changed model field is reported under its column of the import format (data, in Chinese); the two
# that are not columns get a translated label.
FIELD_LABELS = {
    "name": LABELS["name"], "region_id": LABELS["region"], "address": LABELS["address"],
    "phones": LABELS["phone"], "website": LABELS["website"], "opening_hours": LABELS["opening_hours"],
    "notes": LABELS["notes"], "latitude": LABELS["latitude"], "longitude": LABELS["longitude"],
    "location_approximate": gettext_lazy("Location precision"),
    "licence_issuing_authority": LABELS["issuing_authority"], "licence_valid_until": LABELS["valid_until"],
    "services": LABELS["services"], "source": gettext_lazy("Source"), "referral": LABELS["referral"],
    "last_verified": LABELS["last_verified"],
}


def plan_changes(parsed: list[ParsedRow], source: str | None, filename: str) -> ImportPlan:
    plan = ImportPlan(filename=filename, source=source)
    existing = {
        f.licence_number: f
        for f in Facility.objects.filter(licence_number__in=[r.licence_number for r in parsed])
        .select_related("referral_centre").prefetch_related("facility_services__service")
    }
    for row in parsed:
        facility = existing.get(row.licence_number)
        if facility is None:
            plan.created.append(PlannedChange(row, None))
            continue
        changed = [name for name, value in row.facility_fields().items()
                   if _differs(getattr(facility, name), value)]
        current_services = {(fs.service.code, fs.free, fs.sub_items) for fs in facility.facility_services.all()}
        if current_services != row.service_set():
            changed.append("services")
        if source and facility.source != source:
            changed.append("source")
        if row.referral and (facility.referral_centre is None or row.referral not in (
                facility.referral_centre.licence_number, facility.referral_centre.name)):
            changed.append("referral")
        if row.last_verified and row.last_verified != facility.last_verified:
            changed.append("last_verified")
        target = plan.changed if changed else plan.unchanged
        target.append(PlannedChange(row, facility, [str(FIELD_LABELS[c]) for c in changed]))
    return plan


def _differs(current, new) -> bool:
    if isinstance(current, float) or isinstance(new, float):
        return current is None or new is None or abs(float(current) - float(new)) > 1e-7
    return current != new


def plan_import(content: bytes, filename: str = "", source: str | None = None) -> ImportPlan:
    """Read, validate and compare: everything except writing."""
    try:
        rows = read_table(content, filename)
        header_index, mapping = map_columns(rows)
    except ImportFileError as exc:
        return ImportPlan(filename=filename, source=source, errors=exc.errors)
    parsed, errors = parse_rows(rows, header_index, mapping, build_context())
    errors += check_referrals(parsed)
    if errors:
        return ImportPlan(filename=filename, source=source, errors=sorted(errors, key=lambda e: e.row))
    return plan_changes(parsed, source, filename)


# ---------------------------------------------------------------- 5. write

def apply_plan(plan: ImportPlan, user=None) -> list[Facility]:
    """Create and update the planned facilities in one transaction; returns those written."""
    if plan.errors:
        raise ValueError("An import plan with errors cannot be applied.")
    from .search.indexing import reindex_facilities, suspended_auto_index

    services = {s.code: s for s in Service.objects.all()}
    today = timezone.localdate()
    written: list[Facility] = []
    with transaction.atomic(), suspended_auto_index():
        for change in plan.created + plan.changed:
            row = change.row
            facility = change.facility or Facility(licence_number=row.licence_number)
            for name, value in row.facility_fields().items():
                setattr(facility, name, value)
            if plan.source or change.facility is None:
                facility.source = plan.source or (_("Import file %(filename)s") % {"filename": plan.filename}).strip()
            facility.last_verified = row.last_verified or today
            facility.save()
            FacilityService.objects.filter(facility=facility).delete()
            FacilityService.objects.bulk_create([
                FacilityService(facility=facility, service=services[code], free=item.free,
                                sub_items="、".join(item.sub_items))
                for code, item in row.services.items()
            ])
            written.append(facility)
        link_referrals(plan)
        reindex_facilities([f.pk for f in written])
        log_import(plan, written, user)
    return written


def link_referrals(plan: ImportPlan) -> None:
    """Point each row's facility at the designated centre it names (by licence number or name)."""
    rows = [c.row for c in plan.created + plan.changed if c.row.referral]
    if not rows:
        return
    keys = [c.row.licence_number for c in plan.created + plan.changed + plan.unchanged]
    by_licence = {f.licence_number: f for f in Facility.objects.filter(licence_number__in=keys)}
    by_name = {f.name: f for f in by_licence.values()}
    for row in rows:
        facility = by_licence[row.licence_number]
        centre = by_licence.get(row.referral) or by_name.get(row.referral) or _find_facility(row.referral)
        if centre is not None and centre.pk != facility.pk and centre.pk != facility.referral_centre_id:
            Facility.objects.filter(pk=facility.pk).update(referral_centre=centre)


def log_import(plan: ImportPlan, written: list[Facility], user=None) -> None:
    """Record the import in Wagtail's admin history: one entry per facility created or changed."""
    from wagtail.log_actions import log

    created = {c.row.licence_number for c in plan.created}
    for facility in written:
        # Wagtail's history keeps one entry per (uuid, action): one import touches many facilities.
        log(instance=facility, action="facilities.import", user=user, uuid=uuid.uuid4(),
            data={"file": plan.filename, "source": plan.source or "",
                  "created": facility.licence_number in created,
                  "changes": next((c.changed_fields for c in plan.changed
                                   if c.row.licence_number == facility.licence_number), [])})


def import_file(path: str | Path, *, dry_run: bool = False, source: str | None = None, user=None) -> ImportPlan:
    """The command's entry point: plan, and apply unless it is a dry run or has errors."""
    path = Path(path)
    plan = plan_import(path.read_bytes(), path.name, source)
    if plan.ok and not dry_run:
        apply_plan(plan, user=user)
    return plan
