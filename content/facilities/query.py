"""What a facility search accepts, read once for the finder page and the JSON API: the typed
`FacilityFilters` schema (the API's `Query[...]`, the page's `parse_facility_query`) turned into a
FacilityQuery (a bad parameter answers a 400 naming it), and the loading of a page of results.
Neither the page nor the API imports the other."""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ValidationInfo
from pydantic import ValidationError as PydanticValidationError

from content.base.errors import ParameterError, invalid_parameter, parameter_errors

from .records import Facility, FacilityService, Service
from .regions import directory
from .search import FacilityQuery, SearchResult
from .search.base import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS
from .search.vocabulary import service_vocabulary

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
COUNTS_KEY = "facilities:region-counts"


# ------------------------------------------------------------------ field checks
# Each runs on the raw text of one parameter (before pydantic's own typing, whose English messages
# would otherwise answer) and raises invalid_parameter with the Chinese message naming it. An empty
# value (`near=`, an empty form field) is the same as none.

def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_flag(value, info: ValidationInfo) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise invalid_parameter(_("%(name)s must be 1 or 0") % {"name": info.field_name})


def check_integer(default: int, low: int, high: int | None = None):
    def check(value, info: ValidationInfo) -> int:
        name = info.field_name
        if blank(value):
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not re.fullmatch(r"\d{1,9}", text):
                raise invalid_parameter(_("%(name)s must be a positive integer") % {"name": name})
            number = int(text)
        if number < low or (high is not None and number > high):
            if high is None:
                raise invalid_parameter(_("%(name)s must be at least %(low)s") % {"name": name, "low": low})
            raise invalid_parameter(_("%(name)s must be between %(low)s and %(high)s") % {
                "name": name, "low": low, "high": high})
        return number

    return check


def check_near(value) -> str | None:
    """`lat,lng` in WGS-84 degrees; kept as the text sent (`FacilityFilters.point` reads it)."""
    if blank(value):
        return None
    try:
        lat, lng = read_point(str(value))
    except ValueError:
        raise invalid_parameter(_('near must be "latitude,longitude", e.g. near=39.92,116.44')) from None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not -90 <= lat <= 90 or not -180 <= lng <= 180:
        raise invalid_parameter(_("near: the latitude must be between -90 and 90, the longitude between "
                                  "-180 and 180"))
    return str(value).strip()


def read_point(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2:
        raise ValueError(text)
    return float(parts[0]), float(parts[1])


def check_radius(value) -> float | None:
    if blank(value):
        return None
    try:
        radius = float(str(value).strip())
    except ValueError:
        raise invalid_parameter(_("radius_km must be a number (kilometres)")) from None
    if not math.isfinite(radius) or radius <= 0 or radius > MAX_RADIUS_KM:
        raise invalid_parameter(_("radius_km must be greater than 0 and at most 5000"))
    return radius


def check_sort(value) -> str:
    text = str(value).strip() or "relevance"
    if text not in SORTS:
        raise invalid_parameter(_("sort must be relevance or distance"))
    return text


def check_region(value) -> str | None:
    if blank(value):
        return None
    text = str(value).strip()
    if not REGION_CODE.fullmatch(text):
        raise invalid_parameter(_("%(name)s must be a known division code (6 or 12 digits)") % {"name": "region"})
    return text


def split_codes(value) -> list[str]:
    """`service` may repeat and each may list several codes: service=a&service=b,c."""
    values = value if isinstance(value, list | tuple) else [value]
    return [code.strip() for item in values for code in str(item).split(",") if code.strip()]


MAX_RADIUS_KM = 5000
REGION_CODE = re.compile(r"^\d{6}(\d{6})?$")
Flag = Annotated[bool, BeforeValidator(check_flag)]


class FacilityFilters(Schema):
    """What /api/facilities/ (and the CSV export, and the finder page) accept: each parameter typed,
    with the Chinese message of DESIGN §6's 400 for a bad one. `to_query` adds what needs the data
    (known division and service codes) and the rules across parameters."""

    q: str = Field("", description="检索词：中文、服务别名（唐筛）、区县名（武侯）、拼音")
    region: Annotated[str | None, BeforeValidator(check_region)] = Field(
        None, pattern=REGION_CODE.pattern, description="行政区划代码（6 位或 12 位）：含其下所有地区",
        examples=["510107"])
    service: Annotated[list[str], BeforeValidator(split_codes)] = Field(
        default_factory=list, description="服务代码（见 /api/services/），可重复，须全部提供")
    free: Flag = Field(False, description="1：所选服务在该机构免费")
    near: Annotated[str | None, BeforeValidator(check_near)] = Field(
        None, description="纬度,经度（WGS-84）", examples=["39.92,116.44"])
    radius_km: Annotated[float | None, BeforeValidator(check_radius)] = Field(
        None, gt=0, le=MAX_RADIUS_KM, description="距 near 的范围（公里），须同时给出 near")
    sort: Annotated[Literal["relevance", "distance"], BeforeValidator(check_sort)] = Field(
        "relevance", description="relevance 按相关度，distance 按距离（须同时给出 near）")
    include_expired: Flag = Field(False, description="1：也列出许可证已过期的机构（标明已过期）")
    open_now: Flag = Field(False, description="1：只看此刻（北京时间）正在营业的机构")
    page: Annotated[int, BeforeValidator(check_integer(1, 1))] = Field(1, ge=1, description="页码")
    page_size: Annotated[int, BeforeValidator(check_integer(DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE))] = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数")

    @property
    def point(self) -> tuple[float, float] | None:
        return read_point(self.near) if self.near else None

    def to_query(self) -> FacilityQuery:
        """The search to run; ParameterError for an unknown division or service code, for radius_km
        or sort=distance without near."""
        region = None
        if self.region:
            region = directory().normalize_code(self.region)
            if region is None:
                raise ParameterError("region", _("%(name)s must be a known division code (6 or 12 digits)") % {
                    "name": "region"})
        services = known_services(self.service)
        near = self.point
        if self.radius_km is not None and near is None:
            raise ParameterError("radius_km", _("radius_km needs near as well"))
        if self.sort == "distance" and near is None:
            raise ParameterError("sort", _("sort=distance needs near=latitude,longitude as well"))
        return FacilityQuery(
            q=self.q, region=region, services=services, near=near, radius_km=self.radius_km, sort=self.sort,
            free=self.free, include_expired=self.include_expired,
            only_ids=open_facility_ids() if self.open_now else None,
            page=self.page, page_size=self.page_size,
        )


def known_services(codes: list[str]) -> tuple[str, ...]:
    known = set(service_vocabulary().terms_by_code)  # in memory; the table for a code added since
    if not known.issuperset(codes):
        known = set(Service.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ParameterError("service", _("Unknown service code: %(codes)s (see /api/services/)") % {
            "codes": ", ".join(unknown[:5])})
    return tuple(dict.fromkeys(codes))


def parse_facility_query(params: dict, *, default_page_size: int = DEFAULT_PAGE_SIZE) -> FacilityQuery:
    """The finder page's reading of the same parameters (a dict: `service` a list, the others text):
    the schema's checks and messages, raised as one ParameterError (the first bad parameter)."""
    data = {"page_size": default_page_size, **params}
    try:
        filters = FacilityFilters.model_validate(data)
    except PydanticValidationError as exc:
        raise parameter_errors(exc.errors())[0] from None
    return filters.to_query()


def load_facilities(result: SearchResult) -> list[Facility]:
    ids = [hit.facility_id for hit in result.hits]
    services = Prefetch("facility_services", queryset=FacilityService.objects.select_related("service"))
    by_id = (Facility.objects.order_by().select_related("region__parent__parent", "referral_centre")
             .prefetch_related(services).in_bulk(ids))
    return [by_id[i] for i in ids if i in by_id]


def facility_counts() -> dict[str, int]:
    """Listed facilities per region prefix (51, 5101, 510107); cached until the next reindex."""
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        counts = {}
        per_region = Facility.objects.licence_current().order_by().values_list("region_id").annotate(n=Count("id"))
        for region_id, n in per_region:  # one row per district, not per facility
            for prefix in {region_id[:2], region_id[:4], region_id}:
                counts[prefix] = counts.get(prefix, 0) + n
        cache.set(COUNTS_KEY, counts, timeout=300)
    return counts


def open_facility_ids(moment=None) -> frozenset[int]:
    """Facilities open at `moment` (default now, Asia/Shanghai) by their structured hours; those whose
    hours are unknown are not counted as open."""
    from .hours import OpeningHours

    return frozenset(pk for pk, hours in Facility.objects.exclude(opening_hours="").values_list("pk", "hours")
                     if OpeningHours.from_json(hours).is_open(moment))
