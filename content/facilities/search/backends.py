"""Choosing the backend, the shared query plan, and what happens after facilities are reindexed."""

from __future__ import annotations

import logging

from django.conf import settings

from .base import FacilityQuery, SearchResult

logger = logging.getLogger(__name__)


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

