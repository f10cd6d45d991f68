"""The Elasticsearch backend (elasticsearch-dsl), used when ELASTICSEARCH_URL names a reachable cluster.

Text reaches the index already segmented by the shared analysis module (the cluster needs no Chinese
plugin): `*_terms` fields hold jieba's words separated by spaces and are analysed by whitespace, with
the service aliases as a synonym_graph filter at search time (the same table the database backend
uses); `name` and `address` also keep the raw text under a CJK bigram analyzer for recall. The query
is built from the same plan as the database backend's, so both answer alike."""

from __future__ import annotations

import logging
import time
from datetime import date

from django.conf import settings
from django.utils import timezone
from elasticsearch_dsl import Date, Document, GeoPoint, Keyword, Q, Search, Text, analyzer, token_filter

from search.analysis import cjk_grams, normalize, segment

from ..records import Facility
from ..regions import directory
from .base import FacilityQuery, Hit, SearchResult
from .planning import REGION, SERVICE, Concept, Plan, Step, search_in_steps
from .terms import name_pinyin
from .vocabulary import service_vocabulary

logger = logging.getLogger(__name__)
NAME_BOOST, SERVICE_BOOST, REGION_BOOST, ADDRESS_BOOST, GRAM_BOOST = 10, 6, 4, 2, 1


def index_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_facilities"


def synonym_rules() -> list[str]:
    """Solr-format rules from the service names and aliases, whitespace-free tokens as indexed."""
    return [rule for rule in service_vocabulary().synonyms.as_elasticsearch_rules()]


def analyzers():
    synonyms = token_filter("facility_synonyms", type="synonym_graph", synonyms=synonym_rules(), lenient=True)
    terms_index = analyzer("facility_terms", tokenizer="whitespace", filter=["lowercase"])
    terms_search = analyzer("facility_terms_search", tokenizer="whitespace", filter=["lowercase", synonyms])
    cjk = analyzer("facility_cjk", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
    return terms_index, terms_search, cjk


def document_class():
    """The Document, built with the current synonym table (editors extend aliases)."""
    terms_index, terms_search, cjk = analyzers()

    def terms_field():
        return Text(analyzer=terms_index, search_analyzer=terms_search)

    class FacilityDocument(Document):
        name = Text(analyzer=cjk, fields={"keyword": Keyword()})
        name_terms = terms_field()
        name_grams = Text(analyzer="whitespace")
        pinyin = Keyword()
        address = Text(analyzer=cjk)
        address_terms = terms_field()
        service_terms = terms_field()
        services = Keyword()
        free_services = Keyword()
        region = Keyword()
        region_path = Keyword()
        region_l0 = Keyword()
        region_l1 = Keyword()
        region_l2 = Keyword()
        region_names = terms_field()
        location = GeoPoint()
        licence_number = Keyword()
        licence_valid_until = Date()

        class Index:
            name = index_name()
            settings = {"number_of_shards": 1, "number_of_replicas": 0}

    return FacilityDocument


def facet_chain(region_id: str) -> list[str]:
    regions = directory()
    chain = regions.ancestors(region_id)
    return [c for i, c in enumerate(chain) if i == 0 or regions.name(c) != regions.name(chain[i - 1])]


def facility_document(facility: Facility, document=None):
    document = document or document_class()
    vocabulary = service_vocabulary()
    chain = facet_chain(facility.region_id)
    levels = (chain + [chain[-1]] * 3)[:3]
    offered = list(facility.facility_services.all())
    service_words = []
    for fs in offered:
        service_words += vocabulary.terms_by_code.get(fs.service.code, [])
        service_words += segment(fs.service.name)
    return document(
        meta={"id": facility.pk},
        name=facility.name,
        name_terms=" ".join(segment(facility.name)),
        name_grams=" ".join(cjk_grams(facility.name)),
        pinyin=name_pinyin(normalize(facility.name)),
        address=facility.address,
        address_terms=" ".join(segment(facility.address)),
        service_terms=" ".join(w.replace(" ", "") for w in service_words),
        services=[fs.service.code for fs in offered],
        free_services=[fs.service.code for fs in offered if fs.free],
        region=facility.region_id,
        region_path=directory().ancestors(facility.region_id),
        region_l0=levels[0], region_l1=levels[1], region_l2=levels[2],
        region_names=" ".join(directory().names_of(facility.region_id)),
        location={"lat": facility.latitude, "lon": facility.longitude},
        licence_number=facility.licence_number,
        licence_valid_until=facility.licence_valid_until,
    )


# ------------------------------------------------------------------ queries (pure: tested as data)

def concept_query(concept: Concept):
    """A facility matches the concept through any of these clauses."""
    should = []
    if concept.kind == SERVICE:
        should.append(Q("constant_score", filter=Q("term", services=concept.service_code), boost=SERVICE_BOOST))
        should.append(Q("match", name_terms={"query": concept.text, "boost": NAME_BOOST}))
    elif concept.kind == REGION:
        should.append(Q("constant_score", filter=Q("terms", region_path=concept.regions), boost=REGION_BOOST))
        should.append(Q("match", name_terms={"query": concept.text, "boost": NAME_BOOST}))
    else:
        should += [
            Q("match", name_terms={"query": concept.text, "boost": NAME_BOOST}),
            Q("term", pinyin={"value": concept.text, "boost": NAME_BOOST / 2}),
            Q("match", service_terms={"query": concept.text, "boost": 3}),
            Q("match", region_names={"query": concept.text, "boost": REGION_BOOST}),
            Q("match", address_terms={"query": concept.text, "boost": ADDRESS_BOOST}),
        ]
        grams = concept.grams or ([concept.text] if len(concept.text) == 2 else [])
        if grams:
            should.append(Q("match", name_grams={"query": " ".join(grams), "operator": "and", "boost": GRAM_BOOST}))
    return Q("bool", should=should, minimum_should_match=1)


def build_search(query: FacilityQuery, plan: Plan | None, *, today: date | None = None, partial: bool = False,
                 index: str | None = None) -> Search:
    today = today or timezone.localdate()
    search = Search(index=index or index_name())
    filters = []
    if not query.include_expired:
        filters.append(Q("bool", should=[Q("range", licence_valid_until={"gte": today.isoformat()}),
                                         Q("bool", must_not=Q("exists", field="licence_valid_until"))],
                         minimum_should_match=1))
    if query.region:
        filters.append(Q("term", region_path=query.region))
    if query.only_ids is not None:
        filters.append(Q("ids", values=[str(pk) for pk in sorted(query.only_ids)]))
    for code in query.services:
        filters.append(Q("term", free_services=code) if query.free else Q("term", services=code))
    if query.free and not query.services:
        filters.append(Q("exists", field="free_services"))
    if query.near and query.radius_km is not None:
        filters.append(Q("geo_distance", distance=f"{query.radius_km}km",
                         location={"lat": query.near[0], "lon": query.near[1]}))
    if plan is not None and not plan.is_empty:
        clauses = [concept_query(c) for c in plan.concepts]
        # Names that read like the query rank first (昌平怡和医院 → 北京昌平怡和医院).
        clauses_should = (
            [Q("match", name_grams={"query": " ".join(plan.bigrams), "boost": 0.3})] if plan.bigrams else []
        )
        if partial:
            text = Q("bool", should=clauses + clauses_should, minimum_should_match=1)
        else:
            text = Q("bool", must=clauses, should=clauses_should)
        search = search.query(Q("bool", must=[text], filter=filters))
    else:
        search = search.query(Q("bool", filter=filters) if filters else Q("match_all"))

    geo_sort = None
    if query.near:
        geo_sort = {"_geo_distance": {"location": {"lat": query.near[0], "lon": query.near[1]},
                                      "order": "asc", "unit": "km", "distance_type": "arc"}}
    if query.sort == "distance" and geo_sort:
        sort = [geo_sort, "_score"]
    elif plan is not None and not plan.is_empty:
        sort = ["_score"] + ([geo_sort] if geo_sort else [])
    else:
        sort = ([geo_sort] if geo_sort else []) + ["region", "name.keyword"]
    search = search.sort(*sort, "licence_number")  # a stable order for equal scores
    search = search.extra(track_total_hits=True, from_=query.offset, size=query.page_size)
    search.aggs.bucket("service", "terms", field="services", size=100)
    search.aggs.bucket("region", "terms", field=f"region_l{facet_level(query.region)}", size=500)
    return search.source(False)


def facet_level(region: str | None) -> int:
    return min(len(facet_chain(region)), 2) if region else 0


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client=None):
        from search.elastic import get_client

        self.client = client or get_client()

    def search(self, query: FacilityQuery) -> SearchResult:
        return search_in_steps(query, self.run_step)

    def run_step(self, query: FacilityQuery, step: Step) -> SearchResult:
        return self._run(query, step.plan, partial=step.partial)

    def _run(self, query: FacilityQuery, plan: Plan | None, partial: bool = False) -> SearchResult:
        response = build_search(query, plan, partial=partial).using(self.client).execute()
        hits = []
        for hit in response.hits:
            distance = None
            if query.near:
                sort_values = list(hit.meta.sort)
                distance = sort_values[0] if query.sort == "distance" else (
                    sort_values[1] if plan is not None and not plan.is_empty else sort_values[0])
            hits.append(Hit(int(hit.meta.id), float(hit.meta.score or 0.0), distance))
        facets = {
            "service": {b.key: b.doc_count for b in response.aggregations.service.buckets},
            "region": {b.key: b.doc_count for b in sorted(response.aggregations.region.buckets, key=lambda b: b.key)
                       if b.key != query.region},
        }
        if query.region and not facets["region"]:
            facets["region"] = {query.region: response.hits.total.value}
        return SearchResult(count=response.hits.total.value, hits=hits, facets=facets,
                            partial=partial and bool(hits), backend=self.name)


# ------------------------------------------------------------------ index maintenance

def create_index(client=None, *, recreate: bool = False):
    from search.elastic import get_client

    client = client or get_client()
    document = document_class()
    if recreate and client.indices.exists(index=index_name()):
        client.indices.delete(index=index_name())
    if not client.indices.exists(index=index_name()):
        document.init(using=client)
    return document


def index_facilities(ids, client=None) -> int:
    """Index (or remove) these facilities."""
    from elasticsearch.helpers import bulk

    from search.elastic import get_client

    client = client or get_client()
    document = create_index(client)
    ids = list(ids)
    facilities = {f.pk: f for f in Facility.objects.filter(pk__in=ids).select_related("region")
                  .prefetch_related("facility_services__service")}
    actions = []
    for pk in ids:
        if pk in facilities:
            actions.append(facility_document(facilities[pk], document).to_dict(include_meta=True))
        else:
            actions.append({"_op_type": "delete", "_index": index_name(), "_id": pk})
    bulk(client, actions, raise_on_error=False, refresh="wait_for")
    return len(actions)


def rebuild_index(client=None) -> int:
    """Zero-downtime rebuild: fill a new index (picking up alias changes), then switch the alias
    `index_name()` to it in one atomic step and drop the old index. Searches see the old index
    until the switch, never a half-built one."""
    from elasticsearch.helpers import bulk

    from search.elastic import get_client, switch_alias

    client = client or get_client()
    alias = index_name()
    new_index = f"{alias}_{int(time.time() * 1000)}"
    document = document_class()
    document._index._name = new_index
    document.init(index=new_index, using=client)
    ids = list(Facility.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        facilities = (Facility.objects.filter(pk__in=ids[start : start + 500]).select_related("region")
                      .prefetch_related("facility_services__service"))
        actions = []
        for facility in facilities:
            action = facility_document(facility, document).to_dict(include_meta=True)
            action["_index"] = new_index
            actions.append(action)
        bulk(client, actions, refresh=False)
    client.indices.refresh(index=new_index)
    switch_alias(client, alias, new_index)
    return len(ids)
