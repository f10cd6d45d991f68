"""The facility API of DESIGN §6: /api/facilities/, /api/facilities.csv, /api/regions/, /api/services/.

Parameters are read by `parse_facility_query` (one place for the rules, shared with the finder page),
which raises ParameterError → 400 {"error", "parameter"} for anything wrong; never a 500."""

from __future__ import annotations

import io
import math
import re

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from wagtail.models import Site

from content.base.errors import ParameterError
from content.base.spreadsheets import SafeCsvWriter

from .models import Facility, FacilityFinderPage, FacilityService, Region, Service
from .regions import directory
from .search import FacilityQuery, SearchResult, search
from .search.base import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS

router = Router(tags=["facilities"])
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
CSV_MAX_ROWS = 10_000
COUNTS_KEY = "facilities:region-counts"


# ------------------------------------------------------------------ parameters

def parse_flag(params, name: str) -> bool:
    value = (params.get(name) or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ParameterError(name, _("%(name)s must be 1 or 0") % {"name": name})


def parse_int(params, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ParameterError(name, _("%(name)s must be a positive integer") % {"name": name})
    value = int(raw)
    if value < low or (high is not None and value > high):
        if high is None:
            raise ParameterError(name, _("%(name)s must be at least %(low)s") % {"name": name, "low": low})
        raise ParameterError(name, _("%(name)s must be between %(low)s and %(high)s") % {
            "name": name, "low": low, "high": high})
    return value


def parse_near(raw: str) -> tuple[float, float]:
    parts = [p.strip() for p in raw.split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError:
        raise ParameterError("near", _('near must be "latitude,longitude", e.g. near=39.92,116.44')) from None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not -90 <= lat <= 90 or not -180 <= lng <= 180:
        raise ParameterError("near", _("near: the latitude must be between -90 and 90, the longitude between "
                                      "-180 and 180"))
    return lat, lng


def parse_region(raw: str) -> str:
    code = directory().normalize_code(raw)
    if code is None:
        raise ParameterError("region", _("%(name)s must be a known division code (6 or 12 digits)") % {"name": "region"})
    return code


def parse_services(values: list[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        codes += [v.strip() for v in value.split(",") if v.strip()]
    known = set(Service.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ParameterError("service", _("Unknown service code: %(codes)s (see /api/services/)") % {
            "codes": ", ".join(unknown[:5])})
    return tuple(dict.fromkeys(codes))


def open_facility_ids(moment=None) -> frozenset[int]:
    """Facilities open at `moment` (default now, Asia/Shanghai) by their structured hours; those whose
    hours are unknown are not counted as open."""
    from .hours import OpeningHours

    return frozenset(pk for pk, hours in Facility.objects.exclude(opening_hours="").values_list("pk", "hours")
                     if OpeningHours.from_json(hours).is_open(moment))


def parse_facility_query(params, *, default_page_size: int = DEFAULT_PAGE_SIZE) -> FacilityQuery:
    """Everything /api/facilities/ accepts, validated (params: a QueryDict or a dict of lists)."""
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: params.get(k, []))
    get = (lambda k: params.get(k)) if hasattr(params, "getlist") else (lambda k: (params.get(k) or [None])[-1])
    q = get("q") or ""
    region = parse_region(get("region")) if (get("region") or "").strip() else None
    services = parse_services(getlist("service"))
    near = parse_near(get("near")) if (get("near") or "").strip() else None
    radius = None
    if (get("radius_km") or "").strip():
        try:
            radius = float(get("radius_km"))
        except ValueError:
            raise ParameterError("radius_km", _("radius_km must be a number (kilometres)")) from None
        if not math.isfinite(radius) or radius <= 0 or radius > 5000:
            raise ParameterError("radius_km", _("radius_km must be greater than 0 and at most 5000"))
        if near is None:
            raise ParameterError("radius_km", _("radius_km needs near as well"))
    sort = (get("sort") or "relevance").strip() or "relevance"
    if sort not in SORTS:
        raise ParameterError("sort", _("sort must be relevance or distance"))
    if sort == "distance" and near is None:
        raise ParameterError("sort", _("sort=distance needs near=latitude,longitude as well"))
    params_get = {"free": get("free"), "include_expired": get("include_expired"), "open_now": get("open_now"),
                  "page": get("page"), "page_size": get("page_size")}
    open_now = parse_flag(params_get, "open_now")
    return FacilityQuery(
        q=q, region=region, services=services, near=near, radius_km=radius, sort=sort,
        free=parse_flag(params_get, "free"), include_expired=parse_flag(params_get, "include_expired"),
        only_ids=open_facility_ids() if open_now else None,
        page=parse_int(params_get, "page", 1, 1),
        page_size=parse_int(params_get, "page_size", default_page_size, 1, MAX_PAGE_SIZE),
    )


# ------------------------------------------------------------------ results

def finder_base_url(request: HttpRequest) -> str:
    """Facility pages live under the current site's finder page (/facilities/ in the demo)."""
    site = Site.find_for_request(request)
    finder = None
    if site is not None:
        finder = FacilityFinderPage.objects.live().descendant_of(site.root_page, inclusive=True).first()
    if finder is None:
        finder = FacilityFinderPage.objects.live().first()
    url = finder.get_url(request=request) if finder is not None else None
    return url or "/facilities/"


def load_facilities(result: SearchResult) -> list[Facility]:
    ids = [hit.facility_id for hit in result.hits]
    services = Prefetch("facility_services", queryset=FacilityService.objects.select_related("service"))
    by_id = Facility.objects.select_related("region__parent__parent", "referral_centre").prefetch_related(
        services).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def facility_json(facility: Facility, distance_km: float | None, base_url: str) -> dict:
    region = facility.region
    return {
        "id": facility.pk,
        "name": facility.name,
        "licence_number": facility.licence_number,
        "licence_valid_until": facility.licence_valid_until.isoformat() if facility.licence_valid_until else None,
        "licence_expired": facility.licence_expired,
        "region": {"code": region.code, "name": region.name, "path": region.path_name},
        "address": facility.address,
        "phones": facility.phone_list,
        "services": [{"code": fs.service.code, "name": fs.service.name, "free": fs.free}
                     for fs in facility.offered_services],
        "location": {"lat": facility.latitude, "lng": facility.longitude,
                     "approximate": facility.location_approximate},
        "distance_km": round(distance_km, 2) if distance_km is not None else None,
        "last_verified": facility.last_verified.isoformat(),
        "url": f"{base_url}{facility.pk}/",
    }


class RegionRef(Schema):
    code: str
    name: str
    path: str


class ServiceRef(Schema):
    code: str
    name: str
    free: bool


class Location(Schema):
    lat: float
    lng: float
    approximate: bool


class FacilityOut(Schema):
    id: int
    name: str
    licence_number: str
    licence_valid_until: str | None
    licence_expired: bool
    region: RegionRef
    address: str
    phones: list[str]
    services: list[ServiceRef]
    location: Location
    distance_km: float | None
    last_verified: str
    url: str


class Facets(Schema):
    service: dict[str, int]
    region: dict[str, int]


class FacilityList(Schema):
    count: int
    page: int
    page_size: int
    results: list[FacilityOut]
    facets: Facets


class FacilityFilters(Schema):
    q: str | None = None
    region: str | None = None
    service: list[str] | None = None
    free: str | None = None
    near: str | None = None
    radius_km: str | None = None
    sort: str | None = None
    include_expired: str | None = None
    open_now: str | None = None
    page: str | None = None
    page_size: str | None = None


@router.get("/facilities/", response=FacilityList, summary="Licensed facilities: search, filter, distance")
def facilities(request, filters: Query[FacilityFilters]):
    """`q` text (Chinese, aliases such as 唐筛, district names such as 武侯); `region` a division code
    (it and everything under it); `service` codes (repeat; all must match); `free=1`; `near=lat,lng`;
    `radius_km`; `sort=relevance|distance`; `include_expired=1`; `open_now=1` (open at this moment, Asia/Shanghai,
    by the structured opening hours); `page`; `page_size` (≤ 100)."""
    query = parse_facility_query(request.GET)
    result = search(query)
    base_url = finder_base_url(request)
    distances = {hit.facility_id: hit.distance_km for hit in result.hits}
    return {
        "count": result.count, "page": query.page, "page_size": query.page_size,
        "results": [facility_json(f, distances.get(f.pk), base_url) for f in load_facilities(result)],
        "facets": result.facets,
    }


def csv_columns() -> list[str]:
    """The import format's column names (data: an export can be corrected and imported again), with the
    columns that only an export has labelled in the active language."""
    return ["机构名称", "所在地区", _("Region name"), "地址", "联系电话", "许可项目", "许可证号", "发证机关", "有效期至",
            _("Licence expired"), "免费服务", "经度", "纬度", _("Location is the region's centre"),
            _("Distance (km)"), "网址", "开放时间", "备注", "最近核实", _("Link")]


@router.get("/facilities.csv", summary="The same search as a CSV file (UTF-8 with BOM, opens in Excel)")
def facilities_csv(request, filters: Query[FacilityFilters]):
    """All matching facilities (or the page asked with `page`/`page_size`), in the columns of the
    import format (so an export can be corrected and imported again) plus distance and link."""
    explicit_page = bool(request.GET.get("page") or request.GET.get("page_size"))
    query = parse_facility_query(request.GET)
    if not explicit_page:
        query = FacilityQuery(**{**query.__dict__, "page": 1, "page_size": CSV_MAX_ROWS})
    result = search(query)
    base_url = request.build_absolute_uri(finder_base_url(request))
    distances = {hit.facility_id: hit.distance_km for hit in result.hits}
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)  # a name such as =HYPERLINK(…) stays text in Excel
    writer.writerow(csv_columns())
    yes = _("Yes")
    for f in load_facilities(result):
        distance = distances.get(f.pk)
        writer.writerow([
            f.name, f.region_id, f.region.path_name, f.address, "、".join(f.phone_list), f.services_text,
            f.licence_number, f.licence_issuing_authority,
            f.licence_valid_until.isoformat() if f.licence_valid_until else "", yes if f.licence_expired else "",
            f.free_services_text, "" if f.location_approximate else f.longitude,
            "" if f.location_approximate else f.latitude, yes if f.location_approximate else "",
            f"{distance:.2f}" if distance is not None else "", f.website, f.opening_hours, f.notes,
            f.last_verified.isoformat(), f"{base_url}{f.pk}/",
        ])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="facilities-{stamp}.csv"'
    return response


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    path: str
    location: dict | None
    facility_count: int


class RegionList(Schema):
    count: int
    results: list[RegionOut]


@router.get("/regions/", response=RegionList, summary="Administrative divisions: the children of `parent`")
def regions(request, parent: str | None = None):
    """Provinces without `parent`; with it, the divisions directly under that code. A municipality's
    city level (北京市 under 北京市) is skipped so that its districts come at once. `facility_count` counts
    the listed facilities (licence current) in each division."""
    if parent is not None and parent.strip():
        code = directory().normalize_code(parent)
        if code is None:
            raise ParameterError("parent", _("%(name)s must be a known division code (6 or 12 digits)") % {
                "name": "parent"})
        children = list(Region.objects.filter(parent_id=code).select_related("parent__parent"))
        # 北京市 (province) → 北京市 (city level) → districts: answer with the districts.
        if len(children) >= 1 and all(c.name == children[0].parent.name for c in children):
            children = list(Region.objects.filter(parent__in=children).select_related("parent__parent"))
    else:
        children = list(Region.objects.filter(level=Region.PROVINCE).select_related("parent"))
    counts = facility_counts()
    results = [{
        "code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id, "path": r.path_name,
        "location": {"lat": r.latitude, "lng": r.longitude} if r.latitude is not None else None,
        "facility_count": counts.get(r.prefix, 0),
    } for r in children]
    return {"count": len(results), "results": results}


def facility_counts() -> dict[str, int]:
    """Listed facilities per region prefix (51, 5101, 510107); cached until the next reindex."""
    counts = cache.get(COUNTS_KEY)
    if counts is None:
        counts = {}
        for region_id in Facility.objects.licence_current().values_list("region_id", flat=True):
            for prefix in {region_id[:2], region_id[:4], region_id}:
                counts[prefix] = counts.get(prefix, 0) + 1
        cache.set(COUNTS_KEY, counts, timeout=300)
    return counts


class ServiceOut(Schema):
    code: str
    name: str
    aliases: list[str]
    life_stages: list[str]


class ServiceList(Schema):
    count: int
    results: list[ServiceOut]


@router.get("/services/", response=ServiceList, summary="The service taxonomy: codes, names, aliases, life stages")
def services(request):
    results = [{"code": s.code, "name": s.name, "aliases": s.alias_list,
                "life_stages": [stage.code for stage in s.life_stages.all()]}
               for s in Service.objects.prefetch_related("life_stages")]
    return {"count": len(results), "results": results}
