"""content/facilities/search/planning.py's fall-back steps, written once: the sequence both backends
follow, what each step asks Elasticsearch (as data), and the database stopping at the first step
that finds something."""

import datetime

import pytest

from content.facilities.search import FacilityQuery
from content.facilities.search.base import SearchResult
from content.facilities.search.database import DatabaseBackend
from content.facilities.search.elastic import ElasticsearchBackend, build_search
from content.facilities.search.planning import plan_for, search_in_steps, search_steps

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def names(text):
    return [step.name for step in search_steps(plan_for(text))]


def test_the_steps_depend_on_what_the_text_names(sample_facilities):
    assert names("") == ["all"]
    assert names("唐筛") == ["exact"]
    assert names("唐筛 火星") == ["exact", "partial"]
    assert names("武侯 唐筛") == ["exact", "regions_as_words", "partial"]


def test_each_step_asks_elasticsearch_for_less(sample_facilities):
    query = FacilityQuery(q="武侯 唐筛")
    bodies = {step.name: build_search(query, step.plan, partial=step.partial, today=TODAY).to_dict()
              for step in search_steps(plan_for(query.q))}
    exact = bodies["exact"]["query"]["bool"]["must"][0]["bool"]
    assert len(exact["must"]) == 2  # both concepts must match
    assert {"constant_score": {"filter": {"terms": {"region_path": ["510107"]}}, "boost": 4.0}} in [
        clause for concept in exact["must"] for clause in concept["bool"]["should"]]
    as_words = bodies["regions_as_words"]["query"]["bool"]["must"][0]["bool"]
    assert len(as_words["must"]) == 2
    assert "region_path" not in str(as_words["must"])  # 武侯 is now a word of a name or an address
    partial = bodies["partial"]["query"]["bool"]["must"][0]["bool"]
    assert "must" not in partial and partial["minimum_should_match"] == 1
    assert ElasticsearchBackend.run_step is not DatabaseBackend.run_step  # each backend runs a step its way


def test_the_search_stops_at_the_first_step_that_finds_something(sample_facilities):
    tried = []

    class Recording(DatabaseBackend):
        def run_step(self, query, step):
            tried.append(step.name)
            return super().run_step(query, step)

    found = Recording().search(FacilityQuery(q="唐筛 火星"))
    assert tried == ["exact", "partial"]
    assert found.count > 0 and found.partial
    tried.clear()
    assert Recording().search(FacilityQuery(q="唐筛")).count > 0
    assert tried == ["exact"]


def test_the_divisions_named_are_reported_whichever_step_found(sample_facilities):
    def nothing_until_partial(query, step):
        return SearchResult(count=1 if step.partial else 0, hits=[])

    result = search_in_steps(FacilityQuery(q="武侯 唐筛"), nothing_until_partial)
    assert result.count == 1 and result.regions_in_query == ["510107"]
