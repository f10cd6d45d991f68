"""Choosing the backend, the shared query plan, and what happens after facilities are reindexed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ..models import Facility, region_prefix
from ..regions import directory
from .base import FacilityQuery, SearchResult
from .planning import Plan, plan_facility_query
from .vocabulary import service_vocabulary

logger = logging.getLogger(__name__)
LIVE_KEY = "facilities:live-region-prefixes"


def live_region_prefixes() -> frozenset[str]:
    """Prefixes (51, 5101, 510107) of every division that has at least one facility."""
    prefixes = cache.get(LIVE_KEY)
    if prefixes is None:
        prefixes = set()
        for region_id in Facility.objects.values_list("region_id", flat=True).distinct():
            prefixes.update({region_id[:2], region_id[:4], region_id})
        prefixes = frozenset(prefixes)
        cache.set(LIVE_KEY, prefixes, timeout=300)
    return prefixes


def plan_for(text: str) -> Plan:
    live = live_region_prefixes()
    return plan_facility_query(text or "", service_vocabulary(), directory(),
                               lambda code: region_prefix(code) in live)


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def get_backend():
    """Elasticsearch when configured and reachable; otherwise the database (logged once per check)."""
    from .database import DatabaseBackend

    if elasticsearch_enabled():
        from search.elastic import cluster_reachable

        if cluster_reachable():
            from .elastic import ElasticsearchBackend

            return ElasticsearchBackend()
        logger.warning("Facility search: Elasticsearch unreachable, using the database backend")
    return DatabaseBackend()


def search(query: FacilityQuery) -> SearchResult:
    backend = get_backend()
    try:
        return backend.search(query)
    except Exception:
        if backend.name == "database":
            raise
        logger.exception("Facility search: Elasticsearch query failed, answering from the database")
        from .database import DatabaseBackend

        return DatabaseBackend().search(query)


def after_reindex(ids: list[int]) -> None:
    """The database index has just been rebuilt for these facilities: refresh what depends on it."""
    cache.delete_many([LIVE_KEY, "facilities:region-counts"])
    if elasticsearch_enabled():
        # Only what the database has committed reaches the cluster: a rolled-back import sends nothing.
        ids = list(ids)
        transaction.on_commit(lambda: _index_in_elasticsearch(ids))


def _index_in_elasticsearch(ids: list[int]) -> None:
    from search.elastic import cluster_reachable

    if cluster_reachable():
        from .elastic import index_facilities

        try:
            index_facilities(ids)
        except Exception:
            logger.exception("Facility search: could not update the Elasticsearch index")
