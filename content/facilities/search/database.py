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

from ..records import Facility, FacilityService, FacilityTerm, region_prefix
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
        for code in query.services:
            offered = FacilityService.objects.filter(service__code=code)
            if query.free:
                offered = offered.filter(free=True)
            queryset = queryset.filter(pk__in=offered.values("facility_id"))
        if query.free and not query.services:
            queryset = queryset.filter(pk__in=FacilityService.objects.filter(free=True).values("facility_id"))
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
            in_region = Q()
            for code in concept.regions:
                in_region |= Q(region__code__startswith=region_prefix(code))
            conditions.append(in_region)
            scores.append(Case(When(in_region, then=Value(REGION_WEIGHT)), default=Value(0.0),
                               output_field=FloatField()))
            prefilter |= in_region
        condition = Q()
        for c in conditions:
            condition |= c
        score = scores[0] if len(scores) == 1 else Greatest(*scores, output_field=FloatField())
        return annotations, condition, score, prefilter, len(conditions) == 1

    def _run(self, queryset, query: FacilityQuery, plan: Plan | None, partial: bool = False) -> SearchResult:
        score_expr = Value(0.0, output_field=FloatField())
        if plan is not None:
            matched_parts, score_parts = [], []
            for index, concept in enumerate(plan.concepts):
                annotations, condition, score, prefilter, simple = self._concept_expressions(concept, index)
                queryset = queryset.annotate(**annotations)
                if not partial:
                    queryset = queryset.filter(prefilter).filter(condition)
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
        queryset = queryset.annotate(_score=score_expr)

        order = []
        if query.near:
            queryset = queryset.annotate(_distance=haversine_km(*query.near))
            if query.radius_km is not None:
                queryset = queryset.filter(_distance__lte=query.radius_km)
        if query.sort == "distance" and query.near:
            order = ["_distance", "-_score"]
        elif plan is not None:
            order = ["-_score"] + (["_distance"] if query.near else [])
        elif query.near:
            order = ["_distance"]
        order += ["region_id", "name", "pk"]
        # One page is ranked and fetched by the database (ORDER BY … LIMIT); the count and the facets
        # come from GROUP BY queries over the same match, cached per query until the index changes.
        rows = list(queryset.order_by(*order).values_list("pk", "_score", "_distance" if query.near else "_score")
                    [query.offset : query.offset + query.page_size])
        hits = [Hit(pk, float(score or 0.0), float(distance) if query.near else None)
                for pk, score, distance in rows]
        if query.offset == 0 and len(rows) < query.page_size and not rows:
            count, facets = 0, {"service": {}, "region": {}}
        else:
            count, facets = counted_facets(queryset, query, plan, partial)
        return SearchResult(count=count, hits=hits, facets=facets, partial=partial and bool(count))


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
        signature = repr((replace(query, page=1, page_size=0, near=None if query.sort != "distance" and
                                  query.radius_km is None else query.near),
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
