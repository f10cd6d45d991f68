"""The finder page's logic: read the form, search, and prepare what the templates show.
The page works without JavaScript (every control is a form field); static/js/facilities.js only
fills the city and district lists in place and offers the browser's location for 「离我最近」."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from content.base.errors import ParameterError
from content.base.models import LifeStage, SiteSettings
from content.base.request_memo import remembered

from .corrections import CorrectionForm
from .navigation import navigation_links
from .query import facility_counts, load_facilities, parse_facility_query
from .records import Facility, Region, Service, region_prefix
from .regions import directory
from .search import FacilityQuery, search
from .search.base import DEFAULT_PAGE_SIZE

FORM_FIELDS = ("q", "province", "city", "district", "service", "free", "open_now", "sort", "near", "include_expired")


@dataclass
class Option:
    code: str
    name: str
    count: int
    selected: bool


class ResultPage(PaginatorPage):
    """A paginator page over a search result (the backend already cut the page)."""


def default_region_code(page, request) -> str | None:
    if page.default_region_id:
        return page.default_region_id
    code = SiteSettings.for_request(request).province_code
    return directory().normalize_code(code) if code else None


def region_chain(code: str | None) -> list[str]:
    """[province, city, district] codes for the selects, skipping a municipality's city level."""
    if not code:
        return []
    regions = directory()
    chain = regions.ancestors(code)
    return [c for i, c in enumerate(chain) if i == 0 or regions.name(c) != regions.name(chain[i - 1])]


def _children(parent: str | None) -> list[str]:
    """Codes directly under `parent`, from the in-memory division table (no query per select)."""
    regions = directory()
    index = getattr(regions, "_children", None)
    if index is None:
        index = {}
        for code in sorted(regions.by_code):
            index.setdefault(regions.by_code[code][2], []).append(code)
        regions._children = index
    return index.get(parent, [])


def child_options(parent: str | None, selected: str | None, counts: dict[str, int]) -> list[Option]:
    """Divisions under `parent` (provinces when None) that have listed facilities."""
    regions = directory()
    if parent is None:
        codes = [c for c in _children(None) if regions.level(c) == Region.PROVINCE]
    else:
        codes = _children(parent)
        parent_name = regions.name(parent)
        if codes and all(regions.name(c) == parent_name for c in codes):  # 北京市 → 北京市 → districts
            codes = [grandchild for c in codes for grandchild in _children(c)]
    return [Option(c, regions.name(c), counts.get(region_prefix(c), 0), c == selected)
            for c in codes if counts.get(region_prefix(c), 0)]


def service_groups(selected: set[str], facet: dict[str, int]) -> list[dict]:
    """Services grouped by their first life stage (婚前 → 儿童), for the filter checkboxes."""
    services = list(Service.objects.prefetch_related("life_stages"))
    # The stages come with the services (one query fewer than listing LifeStage apart): a stage no
    # service belongs to would have been left out anyway.
    stages = sorted({stage for service in services for stage in service.life_stages.all()},
                    key=lambda s: (s.sort_order, s.pk))
    order = {s.pk: i for i, s in enumerate(stages)}
    groups: dict[int, list[dict]] = {s.pk: [] for s in stages}
    other: list[dict] = []
    for service in services:
        item = {"service": service, "checked": service.code in selected, "count": facet.get(service.code)}
        service_stages = sorted(service.life_stages.all(), key=lambda s: order.get(s.pk, 99))
        (groups[service_stages[0].pk] if service_stages else other).append(item)
    result = [{"stage": s, "services": groups[s.pk]} for s in stages if groups[s.pk]]
    if other:
        result.append({"stage": None, "services": other})
    return result


def finder_context(page, request) -> dict:
    params = request.GET
    regions = directory()
    explicit_region = any(key in params for key in ("province", "city", "district"))
    chosen = next((params.get(k) for k in ("district", "city", "province") if (params.get(k) or "").strip()), None)
    errors: list[str] = []
    region = None
    if chosen:
        region = regions.normalize_code(chosen)
        if region is None:
            errors.append(_("The chosen area is not valid: all areas are shown."))
    elif not explicit_region:
        region = default_region_code(page, request)

    near = (params.get("near") or "").strip()
    sort = params.get("sort") or "relevance"
    near_source = "browser" if near else None
    # The site's own province is only a default: a query naming another province's district (武侯 on
    # the Beijing site), or a visitor located nearer another province's facilities, searches there.
    switched_from = None
    if region and not explicit_region:
        other = province_asked_elsewhere(params.get("q", ""), region, near)
        if other:
            switched_from, region = region, other
    if sort == "distance" and not near:
        if region:
            r = Region.objects.get(code=region)
            if r.latitude is not None:
                near = f"{r.latitude},{r.longitude}"
                near_source = "region"
        if not near:
            errors.append(_("To sort by distance, choose an area or let the browser share your location."))
            sort = "relevance"

    api_params = {"q": params.get("q", ""), "service": params.getlist("service"), "sort": sort,
                  "free": "1" if params.get("free") else "", "near": near,
                  "include_expired": "1" if params.get("include_expired") else "",
                  "open_now": "1" if params.get("open_now") else "",
                  "page": params.get("page") or "1", "region": region or ""}
    try:
        query = parse_facility_query(api_params, default_page_size=DEFAULT_PAGE_SIZE)
    except ParameterError as exc:
        errors.append(exc.message)
        query = FacilityQuery(q=params.get("q", ""), region=region)
    result = search(query)
    # No dead ends: a link into the finder (a campaign's 「查找提供相关服务的机构」, a resource, the home
    # page) names services but no area; when the site's province has none, the nearest province with
    # them is searched instead, saying so (「已切换到…」).
    asked = tuple(query.services) or matching_service_codes(query.q)
    if result.count == 0 and region and not explicit_region and not switched_from and asked:
        nearest = nearest_province_with(asked, region, free=query.free)
        if nearest:
            switched_from, region = region, nearest[0]
            api_params["region"] = region  # the download and print links give the list shown
            query = dataclasses.replace(query, region=region)
            result = search(query)
    facilities = load_facilities(result)
    distances = {hit.facility_id: hit.distance_km for hit in result.hits}
    matched = set(query.services) | set(matching_service_codes(params.get("q", "")))
    for facility in facilities:
        facility.distance_km = distances.get(facility.pk)
        facility.card_services, facility.more_services = card_services(facility, matched)

    paginator = Paginator(range(result.count), query.page_size)
    page_obj = ResultPage(facilities, min(query.page, max(1, paginator.num_pages)), paginator)
    counts = facility_counts()
    chain = region_chain(region)
    province, city, district = (chain + [None, None, None])[:3]
    kept = [(k, v) for k in FORM_FIELDS for v in params.getlist(k)]
    if not explicit_region and region:
        kept.append(("province", province))
    querystring_without_page = urlencode(kept) + ("&" if kept else "")

    def link(**changes) -> str:
        pairs = [(k, v) for k, v in kept if k not in changes]
        for key, value in changes.items():
            if value is None:
                continue
            pairs += [(key, v) for v in (value if isinstance(value, list) else [value])]
        return "?" + urlencode(pairs)

    region_facets = [
        {"code": code, "name": regions.name(code), "count": count,
         "url": link(province=region_chain(code)[0], city=(region_chain(code) + [None, None])[1],
                     district=(region_chain(code) + [None, None, None])[2], page=None)}
        for code, count in result.facets.get("region", {}).items() if code != region
    ]
    selected_services = set(query.services)
    active_filter_count = (bool(region) + len(selected_services) + bool(query.free) + (sort == "distance")
                           + bool(query.include_expired) + (query.only_ids is not None))
    context = {
        "active_filter_count": active_filter_count,
        # Only what the visitor chose keeps the panel open (on wide screens CSS and JS open it anyway).
        "filters_open": bool(errors),
        # 「返回机构查询」 on a facility page goes back to this very search.
        "finder_return": params.urlencode(),
        "finder_url": page.get_url(request=request),
        "query": query,
        "result": result,
        "facilities": facilities,
        "page_obj": page_obj,
        "querystring_without_page": querystring_without_page,
        "errors": errors,
        "region": Region.objects.filter(code=region).first() if region else None,
        "regions_in_query": [Region.objects.get(code=c) for c in result.regions_in_query[:3]],
        "province_options": child_options(None, province, counts),
        "city_options": child_options(province, city, counts) if province else [],
        "district_options": child_options(city, district, counts) if city else [],
        "service_groups": service_groups(selected_services, result.facets.get("service", {})),
        "region_facets": region_facets,
        "switched_from": Region.objects.filter(code=switched_from).first() if switched_from else None,
        "switch_back_url": link(province=switched_from, city=None, district=None, q=None, page=None)
        if switched_from else None,
        "did_you_mean": did_you_mean(result, params.get("q", ""), link),
        "near_source": near_source,
        "near": near if near_source == "browser" else "",
        "sort": sort,
        "open_now_only": query.only_ids is not None,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_subdomains": settings.MAP_TILE_SUBDOMAINS,
        "map_points": [{"name": f.name, "lat": f.latitude, "lng": f.longitude, "approximate": f.location_approximate,
                        "url": f"{page.get_url(request=request)}{f.pk}/"} for f in facilities]
        if settings.MAP_TILE_URL else [],
        "stale_after_days": settings.FACILITY_STALE_AFTER_DAYS,
        "empty_help": empty_help(query, region, selected_services, link) if result.count == 0 else None,
        "print_url": f"{page.get_url(request=request)}card/?" + urlencode(kept),
        "csv_url": "/api/facilities.csv?" + urlencode(
            {k: v for k, v in api_params.items() if v and k != "page"}, doseq=True),
    }
    return context


CARD_SERVICES = 4


def matching_service_codes(q: str) -> tuple[str, ...]:
    """Services the query text names (婚检 → premarital_checkup), shown first on the cards."""
    if not q.strip():
        return ()
    from .search.planning import plan_for

    return plan_for(q).service_codes


def card_services(facility: Facility, matched: set[str]) -> tuple[list, int]:
    """The services a compact card shows: those the search asked for first, then the others, at
    most CARD_SERVICES (and how many more there are)."""
    offered = facility.offered_services
    for fs in offered:
        fs.matched = fs.service.code in matched
    ordered = sorted(offered, key=lambda fs: not fs.matched)
    shown = max(CARD_SERVICES, sum(fs.matched for fs in offered))
    return ordered[:shown], max(0, len(ordered) - shown)


def province_asked_elsewhere(q: str, region: str, near: str) -> str | None:
    """The province to search instead of the site's default one, or None: the province of a division
    the query names outside it, else that of the listed facilities nearest a located visitor."""
    from .search.planning import plan_for

    regions = directory()
    named = [code for concept in plan_for(q).region_concepts for code in concept.regions] if q.strip() else []
    if named:
        if any(regions.is_within(code, region) for code in named):
            return None
        return regions.ancestors(named[0])[0]
    if not near:
        return None
    try:
        lat, lng = (float(part) for part in near.split(","))
    except ValueError:
        return None
    nearest = nearest_listed_province(lat, lng)
    return nearest if nearest and not regions.is_within(region, nearest) else None


def nearest_province_with(services, from_code: str | None, *, free: bool = False) -> tuple[str, int] | None:
    """(province code, facilities) of the nearest province outside `from_code` whose listed facilities
    offer all `services` (free ones if `free`), measured from the centre of `from_code`. The finder asks
    twice for an empty result (to switch, then for its help), so a request answers it once."""
    return remembered(("nearest_province_with", frozenset(services), from_code, free),
                      lambda: _nearest_province_with(services, from_code, free=free))


def _nearest_province_with(services, from_code, *, free):
    from .records import FacilityService

    queryset = Facility.objects.licence_current()
    for code in services:
        offered = FacilityService.objects.filter(service__code=code)
        queryset = queryset.filter(pk__in=(offered.filter(free=True) if free else offered).values("facility_id"))
    origin = Region.objects.filter(code=from_code).values_list("latitude", "longitude").first() if from_code else None
    prefix = region_prefix(from_code) if from_code else None
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for region_id, lat, lng in queryset.values_list("region_id", "latitude", "longitude"):
        if prefix and region_id.startswith(prefix):
            continue
        province = region_id[:2] + "0000"
        counts[province] = counts.get(province, 0) + 1
        if origin and origin[0] is not None:
            d = (lat - origin[0]) ** 2 + ((lng - origin[1]) * math.cos(math.radians(origin[0]))) ** 2
        else:
            d = 0.0
        best[province] = min(best.get(province, math.inf), d)
    if not best:
        return None
    province = min(best, key=lambda code: (best[code], -counts[code]))
    return province, counts[province]


def finder_link_counts(services: list[str], province: str | None) -> dict:
    """For an editor saving a page with a finder link: how many listed facilities the link finds in the
    site's province, and where the finder will switch to if none."""
    query = FacilityQuery(services=tuple(services), region=province, page_size=1)
    count = search(query).count
    nearest = nearest_province_with(services, province) if count == 0 and province else None
    return {"count": count, "nearest": nearest}


def nearest_listed_province(lat: float, lng: float) -> str | None:
    """The province of the district with listed facilities whose centre is nearest (one query over
    the districts, not the facilities)."""
    import math

    live = [code for code in facility_counts() if len(code) == 6]
    best, best_distance = None, math.inf
    for code, r_lat, r_lng in Region.objects.filter(code__in=live).values_list("code", "latitude", "longitude"):
        if r_lat is None:
            continue
        d = (r_lat - lat) ** 2 + ((r_lng - lng) * math.cos(math.radians(lat))) ** 2
        if d < best_distance:
            best, best_distance = code, d
    return directory().ancestors(best)[0] if best else None


def did_you_mean(result, q: str, link) -> dict | None:
    """「您是不是要找」 when nothing (or only part) matched and a word looks mistyped (堂筛 → 唐筛)."""
    if not q.strip() or (result.count and not result.partial):
        return None
    from .search.planning import plan_for

    suggestion = plan_for(q).suggestion
    return {"text": suggestion, "url": link(q=suggestion, page=None)} if suggestion else None


def empty_help(query: FacilityQuery, region: str | None, services: set[str], link) -> dict:
    """What to try when nothing matched: a wider area, without 只看免费, related services."""
    regions = directory()
    wider = []
    if region:
        chain = region_chain(region)
        if len(chain) > 1:
            parent = chain[-2]
            wider.append({"label": _("Widen to %(region)s") % {"region": regions.name(parent)},
                          "url": link(province=chain[0], city=chain[1] if len(chain) > 2 else None,
                                      district=None, page=None)})
        wider.append({"label": _("Search in all areas"), "url": link(province="", city=None, district=None, page=None)})
    if query.free:
        wider.append({"label": _("Not only free services"), "url": link(free=None, page=None)})
    if query.only_ids is not None:
        wider.append({"label": _("Also facilities closed now"), "url": link(open_now=None, page=None)})
    if query.q:
        wider.append({"label": _("Clear the search words"), "url": link(q=None, page=None)})
    nearest = None
    asked = tuple(services) or matching_service_codes(query.q)
    if asked:
        found = nearest_province_with(asked, region, free=query.free)
        if found:
            nearest = {"name": regions.name(found[0]), "count": found[1],
                       "url": link(province=found[0], city=None, district=None, page=None)}
    related = []
    if services:
        stages = LifeStage.objects.filter(services__code__in=services)
        related = list(Service.objects.filter(life_stages__in=stages).exclude(code__in=services).distinct()[:6])
    else:
        related = list(Service.objects.all()[:6])
    return {"wider": wider, "nearest": nearest,
            "related": [{"service": s, "url": link(service=s.code, q=None, page=None)} for s in related]}


# ---------------------------------------------------------------- the facility page

def facility_context(page, request, facility_id: int) -> dict:
    facility = (Facility.objects.select_related("region__parent__parent", "referral_centre")
                .prefetch_related("facility_services__service").filter(pk=facility_id).first())
    if facility is None:
        raise Http404("No such facility")
    referred_from = list(facility.referred_from.licence_current().order_by("name")[:20])
    return {
        "facility": facility,
        "finder_url": page.get_url(request=request),
        "back_url": page.get_url(request=request) + finder_return_query(request.GET.get("back", "")),
        "facility_url": request.build_absolute_uri(page.facility_url(facility.pk, request)),
        "share_image_url": request.build_absolute_uri(f"{page.facility_url(facility.pk, request)}share-image/"),
        "referred_from": referred_from,
        "structured_data": json.dumps(structured_data(facility, request, page), ensure_ascii=False),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_subdomains": settings.MAP_TILE_SUBDOMAINS,
        "navigation_links": navigation_links(facility),
        "report_form": CorrectionForm(),
        "reported": request.GET.get("reported") == "1",
        "stale_after_days": settings.FACILITY_STALE_AFTER_DAYS,
        "today": timezone.localdate(),
    }


def print_size(request, default: str = "a6") -> str:
    size = (request.GET.get("size") or default).lower()
    return size if size in ("a4", "a6") else default


def search_card_context(page, request) -> dict:
    """The QR code of a printed search leads back to the same search on the finder."""
    pairs = [(k, v) for k in FORM_FIELDS for v in request.GET.getlist(k)]
    return {"search_url": request.build_absolute_uri(page.get_url(request=request)
                                                     + ("?" + urlencode(pairs) if pairs else ""))}


def finder_return_query(back: str) -> str:
    """The search a visitor came from (「返回机构查询」), cut down to the finder's own fields so the
    parameter cannot carry anything else."""
    from urllib.parse import parse_qsl

    pairs = [(k, v) for k, v in parse_qsl(back[:2000], keep_blank_values=True) if k in (*FORM_FIELDS, "page")]
    return "?" + urlencode(pairs) if pairs else ""


def structured_data(facility: Facility, request, page) -> dict:
    """schema.org MedicalOrganization for search engines."""
    region = facility.region
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalOrganization",
        "name": facility.name,
        "url": request.build_absolute_uri(page.facility_url(facility.pk, request)),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": facility.address,
            "addressRegion": region.ancestors[0].name,
            "addressLocality": region.name,
            "addressCountry": "CN",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": facility.latitude, "longitude": facility.longitude},
        "hasOfferCatalog": {
            "@type": "OfferCatalog",
            "name": _("Services"),
            "itemListElement": [
                {"@type": "Offer", "itemOffered": {"@type": "MedicalProcedure", "name": fs.service.name},
                 **({"price": 0, "priceCurrency": "CNY"} if fs.free else {})}
                for fs in facility.offered_services
            ],
        },
        "hasCredential": {
            "@type": "EducationalOccupationalCredential",
            "name": "母婴保健技术服务执业许可证",
            "identifier": facility.licence_number,
            **({"recognizedBy": {"@type": "GovernmentOrganization", "name": facility.licence_issuing_authority}}
               if facility.licence_issuing_authority else {}),
            **({"expires": facility.licence_valid_until.isoformat()} if facility.licence_valid_until else {}),
        },
    }
    if facility.phone_list:
        data["telephone"] = facility.phone_list[0]
    if facility.website:
        data["sameAs"] = facility.website
    if facility.opening_hours:
        data["description"] = _("Opening hours: %(hours)s") % {"hours": facility.opening_hours}
    if facility.opening.known:
        data["openingHoursSpecification"] = facility.opening.schema_org()
    return data
