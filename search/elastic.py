"""Connection to the Elasticsearch cluster named by ELASTICSEARCH_URL (pages and facilities share it)."""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)
_last_check = {"at": 0.0, "ok": False}
CHECK_INTERVAL_SECONDS = 30


def get_client():
    """The process's one client for ELASTICSEARCH_URL (elasticsearch-dsl's connection registry keeps
    it, with its connection pool, for every later request; a changed URL gets its own)."""
    from elasticsearch.dsl import connections

    alias = f"portal:{settings.ELASTICSEARCH_URL}"
    try:
        return connections.get_connection(alias)
    except KeyError:
        return connections.create_connection(alias, hosts=[settings.ELASTICSEARCH_URL], request_timeout=5,
                                             max_retries=0)


def cluster_reachable() -> bool:
    """Ping at most every CHECK_INTERVAL_SECONDS; a failure is logged once per check."""
    now = time.monotonic()
    if now - _last_check["at"] < CHECK_INTERVAL_SECONDS:
        return _last_check["ok"]
    try:
        ok = bool(get_client().ping())
    except Exception as exc:  # connection refused, DNS, TLS: all mean "not reachable"
        logger.warning("Elasticsearch at %s unreachable: %s", settings.ELASTICSEARCH_URL, exc)
        ok = False
    _last_check.update(at=now, ok=ok)
    return ok
