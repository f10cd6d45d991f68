"""Background work: after an editor changes a service's aliases, the Elasticsearch index (whose
synonyms live in its settings) is rebuilt. The database backend needs nothing: it reads the aliases
at query time."""

import logging

from django.conf import settings
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def rebuild_elasticsearch_index() -> int:
    if not settings.ELASTICSEARCH_URL:
        return 0
    from search.elastic import cluster_reachable

    if not cluster_reachable():
        logger.warning("Facility index not rebuilt after a service change: Elasticsearch unreachable")
        return 0
    from .search.elastic import rebuild_index

    return rebuild_index()
