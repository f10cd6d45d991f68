"""The backend contract against a real Elasticsearch cluster. Runs only when ELASTICSEARCH_URL is set;
otherwise every test here is reported as skipped, with the reason (pytest -ra prints it)."""

import os

import pytest

from .contract import BackendContract

URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: the live Elasticsearch facility tests "
                                       "did not run (no cluster on this machine)"),
]


class TestElasticsearchBackend(BackendContract):
    @pytest.fixture
    def backend(self, sample_facilities, settings):
        from content.facilities.search.elastic import ElasticsearchBackend, rebuild_index

        settings.ELASTICSEARCH_URL = URL
        settings.ELASTICSEARCH_INDEX_PREFIX = "portal_test"
        rebuild_index()
        return ElasticsearchBackend()


def test_the_cluster_named_by_elasticsearch_url_answers(settings):
    from search.elastic import cluster_reachable, get_client

    settings.ELASTICSEARCH_URL = URL
    assert get_client().ping(), f"Elasticsearch at {URL} did not answer"
    assert cluster_reachable()


def test_a_rebuild_moves_the_alias_to_one_new_index(sample_facilities, settings):
    from content.facilities.search.elastic import index_name, rebuild_index
    from search.elastic import get_client

    settings.ELASTICSEARCH_URL = URL
    settings.ELASTICSEARCH_INDEX_PREFIX = "portal_test"
    client = get_client()
    rebuild_index()
    first = set(client.indices.get_alias(name=index_name()))
    from content.facilities.records import Facility

    assert rebuild_index() == Facility.objects.count()
    second = set(client.indices.get_alias(name=index_name()))
    assert len(first) == len(second) == 1 and first != second
    assert not client.indices.exists(index=list(first)[0])  # the old index is deleted
