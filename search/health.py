"""The search backend's state for /healthz."""

from django.conf import settings


def search_backend_state() -> dict:
    if not settings.ELASTICSEARCH_URL:
        return {"status": "ok", "backend": "database"}
    from search.elastic import cluster_reachable

    if cluster_reachable():
        return {"status": "ok", "backend": "elasticsearch"}
    return {"status": "degraded", "backend": "database", "reason": "elasticsearch unreachable, using database"}
