"""The facility API of DESIGN §6: /api/facilities/, /api/facilities.csv, /api/regions/, /api/services/.

Parameters are the typed `query.FacilityFilters` schema (one place for the rules, shared with the finder
page): a bad one answers 400 {"error", "parameter"} in Chinese (the portal's handlers turn ninja's 422 and
ParameterError into it); never a 500."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from wagtail.models import Site

from content.base import content_version
from content.base.errors import ParameterError
from content.base.spreadsheets import SafeCsvWriter

from .models import FacilityFinderPage
from .query import FacilityFilters, facility_counts, load_facilities
from .records import Facility, Region, Service
from .regions import directory
from .search import FacilityQuery, search

router = Router(tags=["facilities"])
CSV_MAX_ROWS = 10_000

# ------------------------------------------------------------------ results

def finder_base_url(request: HttpRequest) -> str:
    """Facility pages live under the current site's finder page (/facilities/ in the demo): looked up
    once per host and content version (each API request asked the sites and pages again)."""
    return content_version.cached(f"facilities:finder-url:{request.get_host().lower()}",
                                  lambda: _finder_base_url(request))


def _finder_base_url(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    finder = None
    if site is not None:
        finder = FacilityFinderPage.objects.live().descendant_of(site.root_page, inclusive=True).first()
    if finder is None:
        finder = FacilityFinderPage.objects.live().first()
    url = finder.get_url(request=request) if finder is not None else None
    return url or "/facilities/"


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


@router.get("/facilities/", response=FacilityList, summary="Licensed facilities: search, filter, distance")
def facilities(request, filters: Query[FacilityFilters]):
    """`q` text (Chinese, aliases such as 唐筛, district names such as 武侯); `region` a division code
    (it and everything under it); `service` codes (repeat; all must match); `free=1`; `near=lat,lng`;
    `radius_km`; `sort=relevance|distance`; `include_expired=1`; `open_now=1` (open at this moment, Asia/Shanghai,
    by the structured opening hours); `page`; `page_size` (≤ 100)."""
    query = filters.to_query()
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
    return ["机构名称", "所在地区", _("Region name"), "地址", "联系电话", "许可项目", "许可证号", "发证机关",
            "有效期至", _("Licence expired"), "免费服务", "经度", "纬度", _("Location is the region's centre"),
            _("Distance (km)"), "网址", "开放时间", "备注", "最近核实", _("Link")]


@router.get("/facilities.csv", summary="The same search as a CSV file (UTF-8 with BOM, opens in Excel)")
def facilities_csv(request, filters: Query[FacilityFilters]):
    """All matching facilities (or the page asked with `page`/`page_size`), in the columns of the
    import format (so an export can be corrected and imported again) plus distance and link."""
    explicit_page = bool(request.GET.get("page") or request.GET.get("page_size"))
    query = filters.to_query()
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
