"""Import a government facility list (DESIGN §5): a pipeline of small steps.

    iter_table → map_columns → parse_rows (one parser per column) → compare → BatchWriter

The file is streamed: rows are read, validated and compared with the database a batch at a time
(no whole file, no list of every parsed row in memory), and, when writing, each batch is written
with bulk statements and indexed by a raw insert of its search terms. All-or-nothing: everything
runs in one transaction; once any row is invalid nothing more is written, the rest of the file is
still checked so the report names every bad row, and the transaction is rolled back.

`plan_import` checks and compares without writing (the admin preview, `--dry-run`); `run_import`
with `write=True` (the command, the admin's apply) does the same and writes.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .hours import parse_hours
from .records import Facility, FacilityService, Region, Service, split_list
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
BATCH_SIZE = 1000
DETECTION_CHUNK = 1 << 20
# The planned changes (and opening-hours warnings) of each kind the plan keeps for the report and the
# preview (which shows 500); beyond that they are counted. Errors are always kept, every one.
KEEP_ROWS = 1000


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str
    name: str = ""  # the row's 机构名称, so a report of row numbers also says which facility

    def __str__(self):
        parts = {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason,
                 "name": self.name}
        if self.name and self.value:
            return _('Row %(row)s (%(name)s) %(column)s "%(value)s": %(reason)s') % parts
        if self.name:
            return _("Row %(row)s (%(name)s) %(column)s: %(reason)s") % parts
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


@dataclass(frozen=True)
class RowRef:
    """What a report needs of a row once it has been written or compared: not the whole row."""
    row: int
    licence_number: str
    name: str


@dataclass(frozen=True)
class FieldChange:
    field: str  # model field (or "services", "source", "referral")
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])


# Changes that only record where the list came from or when it was checked: shown apart, not
# counted as changes to the facility.
BOOKKEEPING_FIELDS = frozenset({"source", "last_verified"})


@dataclass
class PlannedChange:
    row: RowRef
    facility_id: int | None = None  # None: to be created
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[str]:
        return [c.label for c in self.changes]

    @property
    def bookkeeping_only(self) -> bool:
        return bool(self.changes) and all(c.field in BOOKKEEPING_FIELDS for c in self.changes)


class RowGroup(Sequence):
    """Planned changes of one kind (or warnings): every one counted, the first `keep` kept. A list of
    100 000 rows no longer holds 100 000 of them; `len()` is still the number of rows in the group,
    iteration and indexing see the rows kept (the first ones, in file order)."""

    def __init__(self, keep: int | None = None):
        self.keep = KEEP_ROWS if keep is None else keep
        self.count = 0
        self.kept: list = []

    def append(self, item) -> None:
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(item)

    @property
    def omitted(self) -> int:
        return self.count - len(self.kept)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self):
        return iter(self.kept)

    def __getitem__(self, index):
        return self.kept[index]

    def __repr__(self) -> str:
        return f"RowGroup({self.count} rows, {len(self.kept)} kept)"


@dataclass
class ImportPlan:
    filename: str
    source: str | None
    errors: list[RowError] = field(default_factory=list)
    created: RowGroup = field(default_factory=RowGroup)
    changed: RowGroup = field(default_factory=RowGroup)  # a real change to the facility
    refreshed: RowGroup = field(default_factory=RowGroup)  # only the source / verification date
    unchanged: RowGroup = field(default_factory=RowGroup)
    # 开放时间 the finder cannot read (kept as text, but not used for 「正在营业」): reported, not an error
    hours_warnings: RowGroup = field(default_factory=RowGroup)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.created) + len(self.changed) + len(self.refreshed) + len(self.unchanged)

    @property
    def has_writes(self) -> bool:
        return bool(self.created or self.changed or self.refreshed)

    def summary(self) -> str:
        if self.errors:
            return ngettext("%(errors)s error, nothing imported", "%(errors)s errors, nothing imported",
                            len(self.errors)) % {"errors": len(self.errors)}
        counts = {"created": len(self.created), "changed": len(self.changed),
                  "refreshed": len(self.refreshed), "unchanged": len(self.unchanged)}
        if self.refreshed:
            return _("%(created)s created, %(changed)s changed, %(refreshed)s with only the source or "
                     "verification date updated, %(unchanged)s unchanged") % counts
        return _("%(created)s created, %(changed)s changed, %(unchanged)s unchanged") % counts

    def report_lines(self) -> list[str]:
        if self.errors:
            return [str(e) for e in self.errors]
        lines = [_("New: row %(row)s %(licence)s %(name)s") % {
            "row": c.row.row, "licence": c.row.licence_number, "name": c.row.name} for c in self.created]
        lines += _omitted_line(self.created)
        for group in (self.changed, self.refreshed):
            lines += [_("Update: row %(row)s %(licence)s %(name)s: %(fields)s") % {
                "row": c.row.row, "licence": c.row.licence_number, "name": c.row.name,
                "fields": "；".join(f"{f.label} {f.old or '—'} → {f.new or '—'}" for f in c.changes)}
                for c in group]
            lines += _omitted_line(group)
        return lines + list(self.hours_warnings) + _omitted_line(self.hours_warnings)


def _omitted_line(group: RowGroup) -> list[str]:
    if not group.omitted:
        return []
    return [ngettext("… and %(count)s more, not listed", "… and %(count)s more, not listed",
                     group.omitted) % {"count": group.omitted}]


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# ---------------------------------------------------------------- 1. read the table

def open_table(stream: BinaryIO, filename: str = "") -> tuple[Iterator[list[object]], str | None]:
    """(the rows of the first sheet (XLSX) or of the CSV, one at a time, as lists of cell values;
    the CSV's encoding)."""
    stream.seek(0)
    is_xlsx = stream.read(2) == b"PK" or filename.lower().endswith((".xlsx", ".xlsm"))
    stream.seek(0)
    if is_xlsx:
        return _iter_xlsx(stream), None
    encoding = detect_encoding(stream)
    return _iter_csv(stream, encoding), encoding


def iter_table(stream: BinaryIO, filename: str = "") -> Iterator[list[object]]:
    return open_table(stream, filename)[0]


def read_table(content: bytes, filename: str = "") -> list[list[object]]:
    """Every row at once (small files, tests)."""
    return list(iter_table(io.BytesIO(content), filename))


def detect_encoding(stream: BinaryIO) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 — detected, not asked. Each candidate
    is checked over the whole file in 1 MB chunks, so a late non-UTF-8 byte is not missed and the
    file is never held in memory as text."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes_as(stream, encoding):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(stream.read(DETECTION_CHUNK)).best()
    stream.seek(0)
    if best is None:
        raise ImportFileError([_encoding_error()])
    return best.encoding


def _decodes_as(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(lambda: stream.read(DETECTION_CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def _encoding_error(reason: str = "") -> RowError:
    return RowError(1, _("File"), "", reason or _(
        "The file's encoding cannot be recognised: save it as a CSV in UTF-8 or GB18030"))


def _iter_csv(stream: BinaryIO, encoding: str) -> Iterator[list[object]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first_line = text.readline()
        delimiter = max([",", "\t", ";"], key=first_line.count)
        yield from csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
    except UnicodeDecodeError as exc:  # only after a guessed (charset_normalizer) encoding
        raise ImportFileError([_encoding_error()]) from exc
    finally:
        text.detach()


# An XLSX is a zip: refuse one that would expand past this, or far beyond its own size (a zip bomb),
# before openpyxl decompresses anything.
XLSX_MAX_UNCOMPRESSED = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200


def _check_xlsx_size(stream: BinaryIO) -> None:
    import zipfile

    try:
        start = stream.tell()
        stream.seek(0, io.SEEK_END)
        packed = max(stream.tell(), 1)
        stream.seek(start)
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        stream.seek(start)
    except (zipfile.BadZipFile, OSError, ValueError):
        stream.seek(0)
        return  # openpyxl reports an unreadable file in its own words
    if unpacked > XLSX_MAX_UNCOMPRESSED or unpacked > packed * XLSX_MAX_RATIO:
        raise ImportFileError([RowError(1, _("File"), "", _(
            "The XLSX file would expand to %(size)d MB: it is damaged or not a real spreadsheet "
            "(save it again from Excel, or export it as CSV)") % {"size": unpacked // (1024 * 1024)})])


def _iter_xlsx(stream: BinaryIO) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    _check_xlsx_size(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise ImportFileError([RowError(1, _("File"), "", _("Cannot read the XLSX file (%(error)s)") % {
            "error": exc.__class__.__name__})]) from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


# ---------------------------------------------------------------- 2. map the header

def normalize_header(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"[(\[].*?[)\]]", "", text)  # 有效期至(必填) → 有效期至
    return re.sub(r"[\s*＊:：]+", "", text).replace("-", "_")


HEADER_KEYS = {normalize_header(name): key for key, names in COLUMNS.items() for name in names}


def header_mapping(cells: list[object]) -> dict[str, int]:
    keys = [HEADER_KEYS.get(normalize_header(cell)) for cell in cells]
    return {key: index for index, key in enumerate(keys) if key is not None}


def map_columns(rows: Iterator[list[object]], encoding: str | None = None) -> tuple[int, dict[str, int]]:
    """(row number of the header, key → column index), consuming the rows up to the header. Extra
    columns are ignored."""
    number = 0
    for header in rows:
        number += 1
        if any(_text(c) for c in header):
            break
    else:
        raise ImportFileError([RowError(1, _("File"), "", _("The file is empty"))])
    mapping: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(header):
        key = HEADER_KEYS.get(normalize_header(cell))
        if key is None:
            continue
        if key in mapping:
            errors.append(RowError(number, LABELS[key], _text(cell), _("Duplicate column name")))
        mapping[key] = index
    missing = [key for key in REQUIRED if key not in mapping]
    if missing and encoding not in (None, "utf-8", "utf-8-sig", "utf-16"):
        wrong = _wrong_encoding(header, encoding, bool(mapping))
        if wrong:
            raise ImportFileError([wrong])
    for key in missing:
        reason = _('Required column "%(column)s" (or %(key)s) is missing') % {
            "column": LABELS[key], "key": key}
        errors.append(RowError(number, LABELS[key], "", reason))
    if errors:
        raise ImportFileError(errors)
    return number, mapping


def _wrong_encoding(header: list[object], encoding: str, some_recognised: bool) -> RowError | None:
    """A Big5 (traditional Chinese) file decodes as GB18030 without error, into nonsense: its columns
    then look missing. Say what is wrong instead: the header read as Big5 names the columns."""
    from search.analysis import normalize

    try:
        as_big5 = [normalize(str(c or "").encode(encoding).decode("big5")) for c in header]
    except (UnicodeError, LookupError):
        as_big5 = []
    if as_big5 and all(key in header_mapping(as_big5) for key in REQUIRED):
        return _encoding_error(_("The file is in Big5 (traditional Chinese) encoding, which the import does "
                                 "not read: save it as a CSV in UTF-8 and import it again"))
    if not some_recognised:
        return _encoding_error(_("No column name was recognised: the file is probably not in UTF-8 or "
                                 "GB18030 (it was read as %(encoding)s). Save it as a CSV in UTF-8 and "
                                 "import it again") % {"encoding": encoding})
    return None


# ---------------------------------------------------------------- 3. parse each column

class CellError(ValueError):
    pass


# Zero-width and bidirectional marks, soft hyphen, BOM: invisible in a spreadsheet, yet they made
# 「京母婴许字001号」 with a zero-width space a different licence from the same number without.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text(value: object) -> str:
    """A cell as clean text: NFKC (full-width → half-width), invisible and control characters
    removed, outer spaces trimmed. Identifiers compare equal however the spreadsheet dressed them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = unicodedata.normalize("NFKC", str(value))
    text = CONTROL.sub("", INVISIBLE.sub("", text))
    return text.replace("\u3000", " ").strip()


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
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
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
    """Split 「产前诊断（遗传咨询、医学影像）、产前筛查」 at top-level separators, keeping parentheses
    whole."""
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
            message = _("Ambiguous region name (%(names)s): give the full name or the division code")
            raise CellError(message % {"names": names})
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
        centroids={code: (lat, lng)
                   for code, lat, lng in Region.objects.values_list("code", "latitude", "longitude")},
    )


def parse_row(number: int, cells: dict[str, object],
              context: ParseContext) -> tuple[ParsedRow | None, list[RowError]]:
    """Validate one row; every problem in it is reported, not only the first."""
    errors: list[RowError] = []
    text = {key: _text(value) for key, value in cells.items()}
    for key, value in cells.items():
        if isinstance(value, str) and "\x00" in value:
            # SQLite stores a NUL, PostgreSQL refuses it: a NUL is a broken export, not data.
            errors.append(RowError(
                number, LABELS[key], value.replace("\x00", "\\0")[:40],
                _("Contains a NUL character (\\0): the file is damaged or not a text export")))

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
    coordinate_errors = any(e.column in (LABELS["longitude"], LABELS["latitude"]) for e in errors)
    if (latitude is None) != (longitude is None) and not coordinate_errors:
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


def parse_rows(rows: Iterable[list[object]], header_number: int, mapping: dict[str, int],
               context: ParseContext, plan: ImportPlan, seen: FileRegister) -> Iterator[ParsedRow]:
    """The valid rows, one at a time; every problem goes into `plan.errors`, with the row's name.
    `seen` (licence number → first row) finds a licence that appears twice."""
    for number, raw in enumerate(rows, start=header_number + 1):  # spreadsheet row numbers
        if not any(_text(cell) for cell in raw):
            continue
        cells = {key: raw[column] if column < len(raw) else None for key, column in mapping.items()}
        row, row_errors = parse_row(number, cells, context)
        name = _text(cells.get("name"))
        for error in row_errors:
            error.name = name
        plan.errors += row_errors
        licence = _text(cells.get("licence_number"))
        if licence:
            first = seen.first_row(licence)
            if first is not None:
                reason = _("Same licence number as row %(row)s") % {"row": first}
                plan.errors.append(RowError(number, LABELS["licence_number"], licence, reason, name))
            else:
                seen.add_licence(licence, number)
        if row is not None:
            yield row


def _find_facility(key: str) -> Facility | None:
    return Facility.objects.filter(licence_number=key).first() or Facility.objects.filter(name=key).first()


class FileRegister:
    """What the import remembers of every row of the file, kept in a private temporary SQLite
    database (on disk, deleted when closed) rather than in this process: the licence numbers seen
    and their first row (a licence given twice is an error at its second row), the licence numbers
    and names of the valid rows (a referral may name a facility of the same file), the referrals to
    check and link, the ids written. Kept in sets and lists (with a RowRef per row in the plan),
    they grew the process by ≈ 1.3 MB per 1 000 rows of a national list."""

    FLUSH_EVERY = 5000

    def __init__(self):
        self.db = sqlite3.connect("")  # "": a private temporary database, removed on close
        self.db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE licence (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID;
            CREATE TABLE in_file (key TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE referral (row INTEGER, key TEXT, name TEXT, licence TEXT);
            CREATE TABLE written (id INTEGER);
        """)
        self._licences: dict[str, int] = {}  # not yet flushed

    def first_row(self, licence: str) -> int | None:
        row = self._licences.get(licence)
        if row is None:
            found = self.db.execute("SELECT row FROM licence WHERE key = ?", (licence,)).fetchone()
            row = found[0] if found else None
        return row

    def add_licence(self, licence: str, row: int) -> None:
        self._licences[licence] = row
        if len(self._licences) >= self.FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT OR IGNORE INTO licence VALUES (?, ?)", self._licences.items())
        self._licences.clear()

    def add_rows(self, rows: list[ParsedRow]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO in_file VALUES (?)",
                            [(key,) for r in rows for key in (r.licence_number, r.name)])
        self.db.executemany("INSERT INTO referral VALUES (?, ?, ?, ?)",
                            [(r.row, r.referral, r.name, r.licence_number) for r in rows if r.referral])

    def in_file(self, key: str) -> bool:
        """A valid row of the file has this licence number or name."""
        return self.db.execute("SELECT 1 FROM in_file WHERE key = ?", (key,)).fetchone() is not None

    def referrals(self) -> Iterator[tuple[int, str, str, str]]:
        """(row, referral key, name, licence number) in file order."""
        yield from self.db.execute("SELECT row, key, name, licence FROM referral ORDER BY row")

    def add_written(self, ids: list[int]) -> None:
        self.db.executemany("INSERT INTO written VALUES (?)", [(pk,) for pk in ids])

    def written_ids(self) -> Iterator[int]:
        for (pk,) in self.db.execute("SELECT id FROM written"):
            yield pk

    def close(self) -> None:
        self.db.close()


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


def _display(name: str, value) -> str:
    """A value as the preview shows it (old → new)."""
    if value is None or value == "":
        return ""
    if name == "region_id":
        regions = directory()
        names: list[str] = []
        for code in regions.ancestors(value):
            if not names or names[-1] != regions.name(code):
                names.append(regions.name(code))
        return "".join(names) or str(value)
    if name == "location_approximate":
        return str(_("Approximate (region centre)") if value else _("Exact"))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _services_display(services: Iterable[tuple[str, bool, str]], names: dict[str, str]) -> str:
    parts = []
    for code, free, sub_items in sorted(services):
        text = names.get(code, code) + (f"（{sub_items}）" if sub_items else "")
        parts.append(text + (str(_(" (free)")) if free else ""))
    return "、".join(parts)


def compare_row(row: ParsedRow, facility: Facility | None, source: str | None,
                service_names: dict[str, str]) -> PlannedChange:
    """What importing this row would change on its facility (found by licence number)."""
    ref = RowRef(row.row, row.licence_number, row.name)
    if facility is None:
        return PlannedChange(ref)
    changes = [FieldChange(name, _display(name, getattr(facility, name)), _display(name, value))
               for name, value in row.facility_fields().items() if _differs(getattr(facility, name), value)]
    current_services = {(fs.service.code, fs.free, fs.sub_items) for fs in facility.facility_services.all()}
    if current_services != row.service_set():
        changes.append(FieldChange("services", _services_display(current_services, service_names),
                                   _services_display(row.service_set(), service_names)))
    if source and facility.source != source:
        changes.append(FieldChange("source", facility.source, source))
    if row.referral and (facility.referral_centre is None or row.referral not in (
            facility.referral_centre.licence_number, facility.referral_centre.name)):
        current = facility.referral_centre.name if facility.referral_centre else ""
        changes.append(FieldChange("referral", current, row.referral))
    if row.last_verified and row.last_verified != facility.last_verified:
        changes.append(FieldChange("last_verified", _display("last_verified", facility.last_verified),
                                   _display("last_verified", row.last_verified)))
    return PlannedChange(ref, facility.pk, changes)


def _differs(current, new) -> bool:
    if isinstance(current, float) or isinstance(new, float):
        return current is None or new is None or abs(float(current) - float(new)) > 1e-7
    return current != new


def compare_batch(rows: list[ParsedRow], plan: ImportPlan,
                  service_names: dict[str, str]) -> list[tuple[ParsedRow, PlannedChange, Facility | None]]:
    """Compare a batch of rows with their facilities (one query, services prefetched) and file each
    row under created / changed / refreshed / unchanged."""
    existing = {
        f.licence_number: f
        for f in Facility.objects.filter(licence_number__in=[r.licence_number for r in rows])
        .select_related("referral_centre").prefetch_related("facility_services__service")
    }
    compared = []
    for row in rows:
        facility = existing.get(row.licence_number)
        change = compare_row(row, facility, plan.source, service_names)
        unparsed = parse_hours(row.opening_hours).unparsed
        if unparsed:
            plan.hours_warnings.append(_("Row %(row)s %(name)s: opening hours not understood: %(text)s") % {
                "row": row.row, "name": row.name, "text": "；".join(unparsed)})
        if facility is None:
            plan.created.append(change)
        elif not change.changes:
            plan.unchanged.append(change)
        elif change.bookkeeping_only:
            plan.refreshed.append(change)
        else:
            plan.changed.append(change)
        compared.append((row, change, facility))
    return compared


# ---------------------------------------------------------------- 5. write

class BatchWriter:
    """Writes compared batches with bulk statements: facilities (bulk_create / bulk_update), their
    services, their search terms (raw insert), one history entry each.

    The terms of a batch are analysed by a `TermAnalyser` (in a second process when there is a
    second CPU) while this process goes on: a batch's terms are written when the next batch has been
    written, or at `finish`."""

    UPDATE_FIELDS = ["name", "region_id", "address", "phones", "website", "opening_hours", "hours", "notes",
                     "latitude", "longitude", "location_approximate", "licence_issuing_authority",
                     "licence_valid_until", "source", "last_verified", "updated_at"]

    def __init__(self, plan: ImportPlan, register: FileRegister, user=None, workers: int | None = None):
        from django.contrib.contenttypes.models import ContentType

        from .search.indexing import TermAnalyser
        from .search.terms import term_builder

        self.plan = plan
        self.register = register
        self.user = user
        self.services = {s.code: s for s in Service.objects.all()}
        self.today = timezone.localdate()
        self.default_source = (_("Import file %(filename)s") % {"filename": plan.filename}).strip()
        self.analyser = TermAnalyser(term_builder(), workers)
        self.content_type = ContentType.objects.get_for_model(Facility)
        # (facility ids, ids whose old terms go first, the analysis to wait for) of the last batch
        self._pending_terms: tuple[list[int], list[int], Callable] | None = None

    def write(self, batch: list[tuple[ParsedRow, PlannedChange, Facility | None]]) -> None:
        from wagtail.models import ModelLogEntry

        now = timezone.now()
        created, updated, reindex, replace_services = [], [], [], []
        for row, change, facility in batch:
            if facility is not None and not change.changes:
                continue
            if facility is None:
                created.append((row, change))
                continue
            if self.plan.source:
                facility.source = self.plan.source
            facility.updated_at = now
            updated.append((row, change, facility))
            for name, value in row.facility_fields().items():
                setattr(facility, name, value)
            facility.hours = parse_hours(facility.opening_hours).to_json()  # bulk writes skip save()
            facility.last_verified = row.last_verified or self.today
        reindex = [row for row, _change in created]
        reindex += [row for row, change, _facility in updated if not change.bookkeeping_only]
        # The analysis needs only the row: it starts before the facilities are written.
        analysis = self.analyser.submit([
            (row.name, row.region_code, row.address, row.phones, row.licence_number,
             [(code, item.free, "、".join(item.sub_items)) for code, item in row.services.items()])
            for row in reindex])
        ids = self._insert_facilities([row for row, _change in created], now)
        created = [(row, change, Written(pk, row.name)) for (row, change), pk in zip(created, ids, strict=True)]
        if updated:
            Facility.objects.bulk_update([f for _r, _c, f in updated], self.UPDATE_FIELDS, batch_size=200)
        updated_ids = {u.pk for _r, _c, u in updated}
        written = {row.row: facility.pk for row, _change, facility in created + updated}
        for row, _change, facility in created:
            replace_services.append((row, facility))
        for row, change, facility in updated:
            if any(c.field == "services" for c in change.changes):
                replace_services.append((row, facility))
        FacilityService.objects.filter(
            facility_id__in=[f.pk for r, f in replace_services if f.pk in updated_ids]
        ).delete()
        insert_rows(FacilityService, ["facility", "service", "free", "sub_items"], [
            (facility.pk, self.services[code].pk, item.free, "、".join(item.sub_items))
            for row, facility in replace_services for code, item in row.services.items()])
        # Wagtail's history entries, as bulk_create would write them (no signal either way).
        field = ModelLogEntry._meta.get_field
        timestamp = field("timestamp").get_db_prep_save(now, connection)
        user_id = self.user.pk if self.user is not None else None
        insert_rows(ModelLogEntry, ["content_type", "object_id", "label", "action", "user", "uuid", "timestamp",
                                    "data", "content_changed", "deleted", "revision"], [
            (self.content_type.pk, str(facility.pk), facility.name[:255], "facilities.import", user_id,
             field("uuid").get_db_prep_save(uuid.uuid4(), connection), timestamp,
             field("data").get_db_prep_save({"file": self.plan.filename, "source": self.plan.source or "",
                                             "created": change.facility_id is None,
                                             "changes": change.changed_fields}, connection),
             False, False, None)
            for _row, change, facility in created + updated])
        self.register.add_written([f.pk for _r, _c, f in created + updated])
        self.plan.written += len(created) + len(updated)
        self._write_pending_terms()
        reindex_ids = [written[row.row] for row in reindex]
        self._pending_terms = (reindex_ids, [pk for pk in reindex_ids if pk in updated_ids], analysis)

    # The columns of a new facility, in the order `_insert_facilities` gives their values.
    NEW_FIELDS = ["name", "region", "address", "phones", "website", "opening_hours", "hours", "notes", "latitude",
                  "longitude", "location_approximate", "licence_number", "licence_issuing_authority",
                  "licence_valid_until", "source", "last_verified", "created_at", "updated_at"]

    def _insert_facilities(self, rows: list[ParsedRow], now: datetime.datetime) -> list[int]:
        """Insert new facilities from their rows, returning their ids in row order: the values as
        bulk_create would write them (the same fields' preparation for the dates, times and JSON),
        without building a model instance and preparing 20 fields of each in Python."""
        ops = connection.ops
        hours = Facility._meta.get_field("hours")
        stamp = Facility._meta.get_field("created_at").get_db_prep_save(now, connection)
        source = self.plan.source or self.default_source
        return insert_rows(Facility, self.NEW_FIELDS, [
            (row.name, row.region_code, row.address, "、".join(row.phones), row.website, row.opening_hours,
             hours.get_db_prep_save(parse_hours(row.opening_hours).to_json(), connection), row.notes,
             row.latitude, row.longitude, row.approximate, row.licence_number, row.issuing_authority,
             ops.adapt_datefield_value(row.valid_until), source,
             ops.adapt_datefield_value(row.last_verified or self.today), stamp, stamp)
            for row in rows], returning_ids=True)

    def _write_pending_terms(self) -> None:
        from .search.indexing import write_terms

        if self._pending_terms is None:
            return
        ids, replace_ids, analysis = self._pending_terms
        self._pending_terms = None
        write_terms([(ids[position], term, field, weight) for term, field, weight, position in analysis()],
                    replace_ids=replace_ids)

    def finish(self) -> None:
        from .search.indexing import after_reindex

        self._write_pending_terms()
        self.close()
        link_referrals((licence, key) for _row, key, _name, licence in self.register.referrals())
        after_reindex(self.register.written_ids())

    def close(self) -> None:
        self.analyser.close()


@dataclass(frozen=True)
class Written:
    """A facility this import has just inserted: what the rest of the batch's writes need of it."""
    pk: int
    name: str


def insert_rows(model, fields: list[str], rows: list[tuple], *, returning_ids: bool = False) -> list[int]:
    """Insert rows of values already in their database form, with `returning_ids` returning the new
    ids in row order. SQLite: one executemany, or multi-row INSERT … RETURNING statements (as
    bulk_create does on SQLite ≥ 3.35); PostgreSQL: COPY. The ORM's bulk_create prepared every field
    of every object in Python: for the facilities, their services and history entries ≈ 25 % of an
    import."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    insert = f"INSERT INTO {table} ({columns}) VALUES "
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY, with ids taken from the table's sequence first when they are wanted: the
            # server spent most of a PostgreSQL import parsing and executing multi-row INSERTs.
            if returning_ids:
                pk = model._meta.pk.column
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [model._meta.db_table, pk, len(rows)])
                ids = [value for (value,) in cursor.fetchall()]
                rows = [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
                columns = f"{quote(pk)}, {columns}"
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return ids
        if not returning_ids:
            cursor.executemany(insert + placeholders, rows)
            return ids
        per_statement = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
        returning = f" RETURNING {quote(model._meta.pk.column)}"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(insert + ", ".join([placeholders] * len(chunk)) + returning,
                           [value for row in chunk for value in row])
            ids += [pk for (pk,) in cursor.fetchall()]
    return ids


def check_referrals(register: FileRegister) -> list[RowError]:
    """A referral names a facility by licence number or exact name, in this file or already imported."""
    reason = _("No such facility (give its licence number or full name)")
    return [RowError(number, LABELS["referral"], key, reason, name)
            for number, key, name, _licence in register.referrals()
            if not register.in_file(key) and not _find_facility(key)]


def link_referrals(referrals: Iterable[tuple[str, str]]) -> None:
    """Point each row's facility at the designated centre it names (by licence number or name)."""
    for licence_number, key in referrals:
        facility = Facility.objects.filter(licence_number=licence_number).first()
        centre = (Facility.objects.filter(licence_number=key).first()
                  or Facility.objects.filter(name=key).order_by("pk").first())
        if facility and centre and centre.pk not in (facility.pk, facility.referral_centre_id):
            Facility.objects.filter(pk=facility.pk).update(referral_centre=centre)


def _batches(rows: Iterator[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def run_import(stream: BinaryIO, filename: str = "", source: str | None = None, *, write: bool = False,
               user=None, workers: int | None = None) -> ImportPlan:
    """Stream the file through the pipeline; with `write`, write it, all or nothing. `workers`: the
    processes analysing the search terms (default: one if a second CPU is free, else none)."""
    from .search.indexing import bulk_write_tuning, deferred_term_indexes

    plan = ImportPlan(filename=filename, source=source)
    register = FileRegister()
    try:
        if write:
            with bulk_write_tuning(), transaction.atomic():
                writer = BatchWriter(plan, register, user, workers)
                try:
                    with deferred_term_indexes():
                        _run(stream, plan, register, writer)
                finally:
                    writer.close()
                if plan.errors:
                    transaction.set_rollback(True)
                    plan.written = 0
        else:
            _run(stream, plan, register, None)
    finally:
        register.close()
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _run(stream: BinaryIO, plan: ImportPlan, register: FileRegister, writer: BatchWriter | None) -> None:
    from .search.indexing import suspended_auto_index

    try:
        rows, encoding = open_table(stream, plan.filename)
        header_number, mapping = map_columns(rows, encoding)
        context = build_context()
        service_names = {s.code: s.name for s in Service.objects.all()}
        with suspended_auto_index():
            parsed = parse_rows(rows, header_number, mapping, context, plan, register)
            for batch in _batches(parsed, BATCH_SIZE):
                register.add_rows(batch)
                compared = compare_batch(batch, plan, service_names)
                if writer is not None and not plan.errors:
                    writer.write(compared)
                # With DEBUG on, Django keeps the SQL of the last 9 000 queries, and a bulk INSERT of
                # 500 facilities is a long string: without this, memory grew with the file.
                reset_queries()
            if not plan.row_count and not plan.errors:
                plan.errors.append(RowError(header_number + 1, _("File"), "", _("No data rows")))
            plan.errors += check_referrals(register)
            if writer is not None and not plan.errors:
                writer.finish()
    except ImportFileError as exc:
        plan.errors = exc.errors


def plan_import(content: bytes, filename: str = "", source: str | None = None) -> ImportPlan:
    """Read, validate and compare: everything except writing."""
    return run_import(io.BytesIO(content), filename, source)


def apply_plan(plan: ImportPlan, content: bytes, user=None) -> ImportPlan:
    """Import the file a preview was made of. The database may have changed since the preview, so the
    file goes through the whole pipeline again; the returned plan is what was written."""
    if plan.errors:
        raise ValueError("An import plan with errors cannot be applied.")
    return run_import(io.BytesIO(content), plan.filename, plan.source, write=True, user=user)


def import_file(path: str | Path, *, dry_run: bool = False, source: str | None = None,
                user=None, workers: int | None = None) -> ImportPlan:
    """The command's entry point: stream the file, writing unless it is a dry run (nothing is written
    if any row is invalid)."""
    path = Path(path)
    with open(path, "rb") as stream:
        return run_import(stream, path.name, source, write=not dry_run, user=user, workers=workers)
