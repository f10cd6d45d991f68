"""Connection to the Elasticsearch cluster named by ELASTICSEARCH_URL (pages and facilities share it)."""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)
_last_check = {"at": 0.0, "ok": False}
CHECK_INTERVAL_SECONDS = 30


def get_client():
    from elasticsearch import Elasticsearch

    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=5, max_retries=0)


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
