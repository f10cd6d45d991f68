"""What a facility search accepts, read once for the finder page and the JSON API: parameters
validated into a FacilityQuery (a ParameterError names the bad one), and the loading of a page of
results. Neither the page nor the API imports the other."""

from __future__ import annotations

import math
import re

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from content.base.errors import ParameterError

from .records import Facility, FacilityService, Service
from .regions import directory
from .search import FacilityQuery, SearchResult
from .search.base import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS

TRUE = {"1", "true", "yes", "on"}


FALSE = {"0", "false", "no", "off", ""}


COUNTS_KEY = "facilities:region-counts"


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
        raise ParameterError(
            "region", _("%(name)s must be a known division code (6 or 12 digits)") % {"name": "region"}
        )
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


def load_facilities(result: SearchResult) -> list[Facility]:
    ids = [hit.facility_id for hit in result.hits]
    services = Prefetch("facility_services", queryset=FacilityService.objects.select_related("service"))
    by_id = Facility.objects.select_related("region__parent__parent", "referral_centre").prefetch_related(
        services).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


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


def open_facility_ids(moment=None) -> frozenset[int]:
    """Facilities open at `moment` (default now, Asia/Shanghai) by their structured hours; those whose
    hours are unknown are not counted as open."""
    from .hours import OpeningHours

    return frozenset(pk for pk, hours in Facility.objects.exclude(opening_hours="").values_list("pk", "hours")
                     if OpeningHours.from_json(hours).is_open(moment))
