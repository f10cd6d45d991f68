"""The Elasticsearch backend as data: index settings, mapping and query bodies (no cluster needed),
and the logged fall-back to the database when the cluster cannot be reached."""

import datetime
import logging

import pytest

from content.facilities.records import Facility, Service
from content.facilities.search import FacilityQuery, get_backend, search
from content.facilities.search.elastic import build_search, document_class, facility_document
from content.facilities.search.planning import plan_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def test_index_settings_carry_the_service_synonyms_and_a_cjk_analyzer():
    index = document_class()._index.to_dict()
    analysis = index["settings"]["analysis"]
    rules = analysis["filter"]["facility_synonyms"]["synonyms"]
    # The service's own aliases, then the editors' synonyms that share one of them (颈项透明层 = NT).
    assert any(rule.startswith("产前筛查, 唐筛, 唐氏筛查, 血清学筛查, 早唐, 中唐, nt") for rule in rules)
    assert analysis["filter"]["facility_synonyms"]["type"] == "synonym_graph"
    assert analysis["analyzer"]["facility_cjk"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    assert analysis["analyzer"]["facility_terms_search"]["filter"] == ["lowercase", "facility_synonyms"]


def test_synonyms_follow_the_editors_aliases():
    service = Service.objects.get(code="thalassemia")
    service.aliases += "、海洋性贫血"
    service.save()
    from content.facilities.search.vocabulary import vocabulary_changed

    vocabulary_changed()
    rules = document_class()._index.to_dict()["settings"]["analysis"]["filter"]["facility_synonyms"]["synonyms"]
    assert any("海洋性贫血" in rule and "地贫" in rule for rule in rules)


def test_mapping_has_geo_point_and_keyword_region_path_and_services():
    properties = document_class()._index.to_dict()["mappings"]["properties"]
    assert properties["location"] == {"type": "geo_point"}
    assert properties["region_path"] == {"type": "keyword"}
    assert properties["services"] == {"type": "keyword"}
    assert properties["name_terms"]["search_analyzer"] == "facility_terms_search"


def test_document_is_pre_segmented_with_the_region_path(sample_facilities):
    facility = Facility.objects.get(licence_number="川母婴许字〔2024〕0063号")
    source = facility_document(facility).to_dict()
    assert source["region_path"] == ["510000", "510100", "510107"]
    assert (source["region_l0"], source["region_l1"], source["region_l2"]) == ("510000", "510100", "510107")
    assert "妇幼" in source["name_terms"].split()
    assert "prenatal_diagnosis" in source["services"]
    assert source["location"] == {"lat": facility.latitude, "lon": facility.longitude}


def test_query_with_filters_geo_sort_and_facets(sample_facilities):
    query = FacilityQuery(q="武侯 足跟血", region="510000", services=("thalassemia",), free=True,
                          near=(30.6, 104.0), radius_km=20, sort="distance", page=2, page_size=10)
    body = build_search(query, plan_for(query.q), today=TODAY).to_dict()
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"region_path": "510000"}} in filters
    assert {"term": {"free_services": "thalassemia"}} in filters
    assert {"geo_distance": {"distance": "20km", "location": {"lat": 30.6, "lon": 104.0}}} in filters
    expiry = filters[0]["bool"]["should"]
    assert {"range": {"licence_valid_until": {"gte": "2026-11-22"}}} in expiry
    concepts = body["query"]["bool"]["must"][0]["bool"]["must"]
    service_clause = concepts[0]["bool"]["should"][0]
    assert service_clause["constant_score"]["filter"] == {"term": {"services": "newborn_metabolic_screening"}}
    region_clause = concepts[1]["bool"]["should"][0]
    assert region_clause["constant_score"]["filter"] == {"terms": {"region_path": ["510107"]}}
    assert list(body["sort"][0]) == ["_geo_distance"]
    assert body["aggs"] == {"service": {"terms": {"field": "services", "size": 100}},
                            "region": {"terms": {"field": "region_l1", "size": 500}}}
    assert (body["from"], body["size"]) == (10, 10)


def test_query_without_text_or_expired_filter():
    body = build_search(FacilityQuery(include_expired=True), None, today=TODAY).to_dict()
    assert body["query"] == {"match_all": {}}
    assert body["sort"][0] == "region"


def test_unreachable_cluster_falls_back_to_the_database_and_says_so(sample_facilities, settings, caplog):
    import search.elastic as elastic_health

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    elastic_health._last_check.update(at=0.0, ok=False)
    with caplog.at_level(logging.WARNING):
        backend = get_backend()
        result = search(FacilityQuery(q="唐筛"))
    assert backend.name == "database" and result.backend == "database" and result.count > 0
    assert "unreachable" in caplog.text
    elastic_health._last_check.update(at=0.0, ok=False)


def test_one_client_per_process_and_per_address(settings):
    from search.elastic import get_client

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    first = get_client()
    assert get_client() is first
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:19"
    assert get_client() is not first


def test_elasticsearch_hears_of_a_change_only_after_the_database_commits(
        sample_facilities, settings, django_capture_on_commit_callbacks):
    import search.elastic as elastic_health
    from content.facilities.records import Facility
    from content.facilities.search.indexing import after_reindex

    ids = list(Facility.objects.values_list("pk", flat=True)[:5])
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    elastic_health._last_check.update(at=0.0, ok=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        after_reindex(ids)
    assert elastic_health._last_check["at"] == 0.0  # the cluster was not contacted inside the transaction
    assert callbacks  # the cluster update (and the page-cache purge) wait for the commit
    for callback in callbacks:  # the commit
        callback()
    assert elastic_health._last_check["at"] > 0.0 and elastic_health._last_check["ok"] is False
    elastic_health._last_check.update(at=0.0, ok=False)
