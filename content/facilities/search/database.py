"""The database backend: the same SQL on SQLite and PostgreSQL.

Text: each concept of the query plan must match (a facility's terms in the FacilityTerm table, its
region for a named division, or every bigram of a longer word); the score is the weighted sum of the
best match of each concept, plus a little for each bigram of the query found in the name (so 昌平怡和
医院 ranks 北京昌平怡和医院 above 北京怡和医学检验实验室). Distance: haversine in SQL, with a bounding box
first when a radius is given."""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import replace
from functools import lru_cache

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ASin, Coalesce, Cos, Greatest, Least, Power, Radians, Sin, Sqrt

from ..records import Facility, FacilityService, FacilityTerm, within_any_region
from ..regions import directory
from .base import FacilityQuery, Hit, SearchResult
from .planning import Concept, Plan, Step, live_region_prefixes, search_in_steps
from .terms import SERVICE_WORD_WEIGHT, WEIGHTS, regions_named, service_codes_with_words
from .vocabulary import SERVICE_TOKEN_PREFIX, service_token, service_vocabulary

EARTH_RADIUS_KM = 6371.0088
NAME_BIGRAM_WEIGHT = 0.3
REGION_WEIGHT = 4.0
GRAM_MATCH_WEIGHT = 1.0


class DatabaseBackend:
    name = "database"

    def search(self, query: FacilityQuery) -> SearchResult:
        result = search_in_steps(query, self.run_step)
        result.backend = self.name
        return result

    def run_step(self, query: FacilityQuery, step: Step) -> SearchResult:
        return self._run(self.filtered(query), query, step.plan, partial=step.partial)

    # ---------------------------------------------------------------- filters

    def filtered(self, query: FacilityQuery):
        queryset = Facility.objects.all()
        if not query.include_expired:
            queryset = queryset.licence_current()
        if query.region:
            queryset = queryset.in_region(query.region)
        if query.only_ids is not None:
            queryset = queryset.filter(pk__in=query.only_ids)
        # EXISTS per facility (the unique (facility, service) index), not `pk IN (every facility offering
        # it)`: SQLite would walk the 28 000 offering 唐筛 instead of the region or the bounding box.
        for code in query.services:
            offered = FacilityService.objects.filter(facility=OuterRef("pk"), service__code=code)
            if query.free:
                offered = offered.filter(free=True)
            queryset = queryset.filter(Exists(offered))
        if query.free and not query.services:
            queryset = queryset.filter(Exists(FacilityService.objects.filter(facility=OuterRef("pk"), free=True)))
        if query.near and query.radius_km is not None:
            lat, lng = query.near
            dlat = query.radius_km / 111.32
            dlng = query.radius_km / max(0.01, 111.32 * math.cos(math.radians(lat)))
            queryset = queryset.filter(latitude__range=(lat - dlat, lat + dlat),
                                       longitude__range=(lng - dlng, lng + dlng))
        return queryset

    # ---------------------------------------------------------------- text

    def _concept_expressions(self, concept: Concept, index: int):
        """(match condition, score expression, prefilter) of one concept."""
        terms = FacilityTerm.objects.filter(facility=OuterRef("pk"), term__in=concept.terms)
        if concept.fields:
            terms = terms.filter(field__in=concept.fields)
        best = Coalesce(Subquery(terms.values("facility").annotate(w=Max("weight")).values("w")[:1]),
                        Value(0.0), output_field=FloatField())
        shared = shared_matches(concept)
        if shared:
            best = Greatest(best, *(Case(When(match, then=Value(weight)), default=Value(0.0),
                                         output_field=FloatField()) for match, weight in shared),
                            output_field=FloatField())
        conditions = [Q(**{f"_best_{index}__gt": 0})]
        annotations = {f"_best_{index}": best}
        scores = [F(f"_best_{index}")]
        prefilter_terms = list(concept.terms)
        if concept.grams:
            grams = FacilityTerm.objects.filter(
                facility=OuterRef("pk"), term__in=concept.grams,
                field__in=[FacilityTerm.NAME_GRAM, FacilityTerm.ADDRESS_GRAM],
            ).values("facility").annotate(n=Count("term", distinct=True)).values("n")[:1]
            annotations[f"_grams_{index}"] = Coalesce(Subquery(grams), Value(0), output_field=IntegerField())
            conditions.append(Q(**{f"_grams_{index}__gte": len(set(concept.grams))}))
            scores.append(Case(When(conditions[-1], then=Value(GRAM_MATCH_WEIGHT)), default=Value(0.0),
                               output_field=FloatField()))
            prefilter_terms += concept.grams
        prefilter = Q(pk__in=FacilityTerm.objects.filter(term__in=prefilter_terms).values("facility_id"))
        for match, _weight in shared:
            prefilter |= match
        if concept.regions:
            in_region = within_any_region(concept.regions)
            conditions.append(in_region)
            scores.append(Case(When(in_region, then=Value(REGION_WEIGHT)), default=Value(0.0),
                               output_field=FloatField()))
            prefilter |= in_region
        condition = Q()
        for c in conditions:
            condition |= c
        score = scores[0] if len(scores) == 1 else Greatest(*scores, output_field=FloatField())
        return annotations, condition, score, prefilter, len(conditions) == 1

    def _matched(self, queryset, plan: Plan | None, partial: bool, prefilter: bool = True):
        """The facilities the plan matches, annotated with `_score` (every concept matched, or with
        `partial` as many as the best match does). `prefilter`: first narrow to the facilities with a
        row for one of the terms (for a few facilities already chosen, probing each is cheaper)."""
        score_expr = Value(0.0, output_field=FloatField())
        if plan is not None:
            matched_parts, score_parts = [], []
            for index, concept in enumerate(plan.concepts):
                annotations, condition, score, narrow, simple = self._concept_expressions(concept, index)
                queryset = queryset.annotate(**annotations)
                if not partial:
                    queryset = (queryset.filter(narrow) if prefilter else queryset).filter(condition)
                if partial:
                    matched_parts.append(Case(When(condition, then=Value(1)), default=Value(0),
                                              output_field=IntegerField()))
                # Matched only by its best term (score > 0 exactly when it matches): the score itself,
                # without a CASE that would repeat the term subquery in the SQL.
                score_parts.append(score if simple else Case(When(condition, then=score), default=Value(0.0),
                                                             output_field=FloatField()))
            if plan.bigrams:
                name_bigrams = FacilityTerm.objects.filter(
                    facility=OuterRef("pk"), field=FacilityTerm.NAME_GRAM, term__in=plan.bigrams
                ).values("facility").annotate(n=Count("term", distinct=True)).values("n")[:1]
                queryset = queryset.annotate(_name_bigrams=Coalesce(Subquery(name_bigrams), Value(0),
                                                                    output_field=IntegerField()))
                score_parts.append(ExpressionWrapper(F("_name_bigrams") * Value(NAME_BIGRAM_WEIGHT),
                                                     output_field=FloatField()))
            score_expr = _sum(score_parts)
            if partial:
                queryset = queryset.annotate(_matched=_sum(matched_parts)).filter(_matched__gt=0)
                best = queryset.aggregate(m=Max("_matched"))["m"] or 0
                queryset = queryset.filter(_matched=best)
        return queryset.annotate(_score=score_expr)

    def _run(self, queryset, query: FacilityQuery, plan: Plan | None, partial: bool = False) -> SearchResult:
        if plan is not None and not partial and not query.near:
            result = self._uniform_page(queryset, query, plan)
            if result is not None:
                return result
        matched = self._matched(queryset, plan, partial)

        order = []
        if query.near:
            matched = matched.annotate(_distance=haversine_km(*query.near))
            if query.radius_km is not None:
                matched = matched.filter(_distance__lte=query.radius_km)
        if query.sort == "distance" and query.near:
            order = ["_distance", "-_score"]
        elif plan is not None:
            order = ["-_score"] + (["_distance"] if query.near else [])
        elif query.near:
            order = ["_distance"]
        order += ["region_id", "name", "pk"]
        # One page is ranked and fetched by the database (ORDER BY … LIMIT); the count and the facets
        # come from GROUP BY queries over the same match, cached per query until the index changes.
        columns = ("pk", "_score", "_distance" if query.near else "_score")
        if order[0] == "_distance" and query.radius_km is None:
            rows = nearest_page(matched, query, order, columns)
        else:
            rows = list(matched.order_by(*order).values_list(*columns)[query.offset : query.offset + query.page_size])
        hits = [Hit(pk, float(score or 0.0), float(distance) if query.near else None)
                for pk, score, distance in rows]
        if query.offset == 0 and not rows:
            count, facets = 0, {"service": {}, "region": {}}
        else:
            count, facets = counted_facets(matched, query, plan, partial)
        return SearchResult(count=count, hits=hits, facets=facets, partial=partial and bool(count))

    # ---------------------------------------------------------------- broad matches

    def _uniform_page(self, queryset, query: FacilityQuery, plan: Plan) -> SearchResult | None:
        """The page of a broad match without scoring every match: 唐筛 matches a quarter of the country's
        facilities, nearly all by their svc: token alone, so with the same score.

        A facility can score more (or less) than that common score only through an index row other
        than its service tokens: a word of its name or address, a gram, its pinyin. Those facilities
        (`rare`, a short index range) are scored exactly by the same SQL as always; every other match
        scores exactly `common` (each concept matched the one way it can be without such a row), and
        among equals the order is (region, name, id), which an index reads with LIMIT. Pages are cut
        from the exact order: the rare ones above `common`, then the common ones (with the rare ones
        that tie) from the index, then the rare ones below. None when it does not apply (a concept
        that can be met in ways that score differently, or too many rare matches): the caller ranks
        everything in SQL as before."""
        ways = [bulk_match(concept) for concept in plan.concepts]
        if any(way is False for way in ways):
            return None
        rare = rare_matches(plan, RARE_LIMIT)
        if rare is None:
            return None
        scored = list(self._matched(queryset.filter(pk__in=rare), plan, False, prefilter=False)
                      .order_by("-_score", "region_id", "name", "pk").values_list("pk", "_score")) if rare else []
        if any(way is None for way in ways):  # some concept is met only through rare rows
            common_match, common = None, None
        else:
            common_match = Q()
            for condition, _weight in ways:
                common_match &= condition
            common_match &= ~Q(pk__in=rare)
            common = 0.0
            for _condition, weight in ways:
                common = common + weight
        above = [(pk, s) for pk, s in scored if common is None or s > common]
        tied = [pk for pk, s in scored if common is not None and s == common]
        below = [(pk, s) for pk, s in scored if common is not None and s < common]
        if common_match is None:
            everything = Q(pk__in=[pk for pk, _ in scored])
        else:
            everything = Q(pk__in=[pk for pk, _ in scored]) | common_match
        count, facets = counted_facets(queryset.filter(everything), query, plan, False)
        if not count:
            return SearchResult(count=0, hits=[], facets={"service": {}, "region": {}})
        middle = count - len(above) - len(below)
        start, end = query.offset, query.offset + query.page_size
        hits = [Hit(pk, float(s)) for pk, s in above[start:end]]
        low, high = max(start - len(above), 0), min(end - len(above), middle)
        if high > low:
            ties = Q(pk__in=tied) | common_match if common_match is not None else Q(pk__in=tied)
            page = queryset.filter(ties).order_by("region_id", "name", "pk").values_list("pk", flat=True)
            hits += [Hit(pk, float(common)) for pk in page[low:high]]
        low, high = max(start - len(above) - middle, 0), end - len(above) - middle
        if high > 0:
            hits += [Hit(pk, float(s)) for pk, s in below[low:high]]
        return SearchResult(count=count, hits=hits, facets=facets)


RARE_LIMIT = 400
RARE_ROWS_PER_FACILITY = 4


def bulk_match(concept: Concept):
    """How a facility meets the concept with no index row but its service tokens: (condition, weight)
    when every such way scores the same; None when there is no such way (only name, address … rows
    meet it); False when the ways score differently (a facility offering the service scores 6, one
    only in the named region 4: no common score)."""
    ways = []
    tokens = [t for t in concept.terms if t.startswith(SERVICE_TOKEN_PREFIX)]
    if tokens and (concept.fields is None or FacilityTerm.SERVICE in concept.fields):
        offered = FacilityTerm.objects.filter(facility=OuterRef("pk"), term__in=tokens, field=FacilityTerm.SERVICE)
        ways.append((Exists(offered), WEIGHTS[FacilityTerm.SERVICE]))
    ways += shared_matches(concept)
    if concept.regions:
        ways.append((within_any_region(concept.regions), REGION_WEIGHT))
    if not ways:
        return None
    if len({weight for _condition, weight in ways}) > 1:
        return False
    condition = Q()
    for way, _weight in ways:
        condition |= way if isinstance(way, Q) else Q(way)
    return condition, ways[0][1]


def rare_matches(plan: Plan, limit: int) -> list[int] | None:
    """The facilities with an index row, other than a service token, that can score for the plan: a
    concept's terms in its fields, its grams, the query's bigrams in names (at most `limit`; None when
    there are more). 北京 in every Beijing address does not count for the division 北京 (names only)."""
    any_field = [f for f, _label in FacilityTerm.FIELDS]
    reach = Q(term__in=plan.bigrams, field=FacilityTerm.NAME_GRAM) if plan.bigrams else Q()
    for concept in plan.concepts:
        fields = concept.fields or any_field
        tokens = [t for t in concept.terms if t.startswith(SERVICE_TOKEN_PREFIX)]
        words = [t for t in concept.terms if t not in tokens]
        if tokens:
            reach |= Q(term__in=tokens, field__in=[f for f in fields if f != FacilityTerm.SERVICE])
        if words:
            reach |= Q(term__in=words, field__in=fields)
        if concept.grams:
            reach |= Q(term__in=concept.grams, field__in=[FacilityTerm.NAME_GRAM, FacilityTerm.ADDRESS_GRAM])
    # Rows, not DISTINCT facilities: with DISTINCT … LIMIT PostgreSQL walks the whole table in
    # facility order to stop early. A facility has a few such rows; more rows than that is "too many".
    rows = list(FacilityTerm.objects.filter(reach).order_by().values_list("facility_id", flat=True)
                [: limit * RARE_ROWS_PER_FACILITY + 1])
    ids = list(dict.fromkeys(rows))
    if len(rows) > limit * RARE_ROWS_PER_FACILITY or len(ids) > limit:
        return None
    return ids


NEAREST_RADII_KM = (5.0, 20.0, 80.0, 320.0)


def nearest_page(matched, query: FacilityQuery, order: list[str], columns: tuple[str, ...]) -> list[tuple]:
    """The nearest page without the distance of every match: within a growing radius (a bounding box
    the latitude/longitude index reads, then the exact distance), until the radius holds every row up
    to the page's end; those are then the nearest of all. The last try has no radius."""
    needed = query.offset + query.page_size
    lat, lng = query.near
    for radius in NEAREST_RADII_KM:
        dlat = radius / 111.32 * 1.2
        dlng = radius / max(0.01, 111.32 * math.cos(math.radians(min(abs(lat) + dlat, 89.0)))) * 1.2
        within = matched.filter(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng),
                                _distance__lte=radius)
        rows = list(within.order_by(*order).values_list(*columns)[:needed])
        if len(rows) == needed:
            return rows[query.offset :]
    return list(matched.order_by(*order).values_list(*columns)[query.offset : needed])


FACETS_VERSION_KEY = "facilities:facets-version"
FACETS_TIMEOUT = 300


def facets_changed() -> None:
    """The index changed (indexing.after_reindex): cached counts and facets are stale."""
    try:
        cache.incr(FACETS_VERSION_KEY)
    except ValueError:
        cache.set(FACETS_VERSION_KEY, 1, timeout=None)


def counted_facets(queryset, query: FacilityQuery, plan: Plan | None, partial: bool):
    """(count, facets) of everything the query matches. Cached for the query without its page (the
    next pages and the same search by other people reuse it), except 「正在营业」 (changes by the minute);
    the key carries today's date, since a licence expires at midnight."""
    key = None
    if query.only_ids is None:
        # Without a radius the point changes the order, not what matches.
        signature = repr((replace(query, page=1, page_size=0, near=query.near if query.radius_km is not None else None,
                                  sort="relevance"),
                          plan.text if plan else None, [(c.text, c.kind) for c in plan.concepts] if plan else None,
                          partial, datetime.date.today().isoformat()))
        version = cache.get(FACETS_VERSION_KEY, 0)
        key = f"facilities:facets:{version}:{hashlib.sha1(signature.encode()).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    matched = Facility.objects.filter(pk__in=queryset.order_by().values("pk"))
    by_region = dict(matched.order_by().values_list("region_id").annotate(n=Count("pk")))
    count = sum(by_region.values())
    service_counts = dict(FacilityService.objects.filter(facility_id__in=queryset.order_by().values("pk"))
                          .order_by().values_list("service__code").annotate(n=Count("facility_id", distinct=True)))
    order = {code: i for i, code in enumerate(service_vocabulary().terms_by_code)}
    services = dict(sorted(service_counts.items(), key=lambda item: order.get(item[0], 999)))
    result = (count, {"service": services, "region": region_facets(by_region, query.region)})
    if key is not None:
        cache.set(key, result, timeout=FACETS_TIMEOUT)
    return result


def shared_matches(concept: Concept) -> list[tuple[Q, float]]:
    """The terms a facility gets from its services' names and its region's names, which the index does
    not copy onto every facility (terms.py): (condition, weight) for the services whose names contain
    one of the concept's terms, and for the regions named by one of them."""
    matches = []
    if concept.fields is None or FacilityTerm.SERVICE in concept.fields:
        # A facility offering a service whose token the concept already asks for (svc:code, weight 6)
        # outscores that service's name words (weight 3): those codes need no second condition.
        tokens = {t for t in concept.terms if t.startswith(SERVICE_TOKEN_PREFIX)}
        codes = [c for c in service_codes_with_words(concept.terms) if service_token(c) not in tokens]
        if codes:
            offered = FacilityService.objects.filter(service__code__in=codes).values("facility_id")
            matches.append((Q(pk__in=offered), SERVICE_WORD_WEIGHT))
    if concept.fields is None or FacilityTerm.REGION in concept.fields:
        codes = regions_named(concept.terms)
        if codes:
            region_ids = facility_regions_within(tuple(codes), live_region_prefixes())
            if region_ids:
                matches.append((Q(region_id__in=region_ids), WEIGHTS[FacilityTerm.REGION]))
    return matches


@lru_cache(maxsize=1024)
def facility_regions_within(codes: tuple[str, ...], live: frozenset[str]) -> list[str]:
    """The facilities' regions (the six-digit codes among `live`) in or under one of the divisions."""
    regions = directory()
    wanted = set(codes)
    return sorted(r for r in live if len(r) == 6 and r in regions.by_code
                  and not wanted.isdisjoint(regions.ancestors(r)))


def _sum(parts):
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return ExpressionWrapper(total, output_field=FloatField())


def haversine_km(lat: float, lng: float):
    """Great-circle distance from (lat, lng) to each facility, in SQL (Django provides the
    trigonometric functions on SQLite)."""
    lat_r, lng_r = math.radians(lat), math.radians(lng)
    half_dlat = (Radians(F("latitude")) - Value(lat_r)) / Value(2.0)
    half_dlng = (Radians(F("longitude")) - Value(lng_r)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat_r)) * Cos(Radians(F("latitude"))) * Power(Sin(half_dlng), 2)
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))),
                             output_field=FloatField())


def region_facets(by_region: dict[str, int], region: str | None) -> dict[str, int]:
    """Counts by the level below the region asked (provinces when none), skipping a level named like
    its parent (北京市 → 北京市 → 朝阳区), so each key is a choice the finder can offer next."""
    regions = directory()
    counts: dict[str, int] = {}
    for region_id, n in by_region.items():
        chain = regions.ancestors(region_id)
        chain = [c for i, c in enumerate(chain) if i == 0 or regions.name(c) != regions.name(chain[i - 1])]
        asked = sum(1 for c in chain if regions.is_within(region, c)) if region else 0
        key = chain[min(asked, len(chain) - 1)]
        counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items()))
