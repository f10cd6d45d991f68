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


def alias_switch_actions(alias: str, new_index: str, aliased: list[str], plain_index: bool) -> list[dict]:
    """The one `_aliases` request that moves `alias` to a freshly built index.

    `aliased` are the indices the alias points to now; `plain_index` says a concrete index carries the
    alias's name (a cluster indexed before rebuilds were atomic). Adding and removing in one request
    is atomic in Elasticsearch: every search sees either the old index or the new one, never both
    (twice the results) and never none. A plain index of that name is removed in the same request
    (`remove_index`), since an alias cannot share a name with an index."""
    actions: list[dict] = [{"add": {"index": new_index, "alias": alias}}]
    if plain_index:
        actions.append({"remove_index": {"index": alias}})
    actions += [{"remove": {"index": name, "alias": alias}} for name in sorted(aliased) if name != new_index]
    return actions


def switch_alias(client, alias: str, new_index: str) -> list[str]:
    """Point `alias` at `new_index` in one step, then delete the indices it pointed to before;
    returns their names. Pages (search.backends.pages_elasticsearch) and facilities
    (content.facilities.search.elastic) rebuild through this."""
    aliased = list(client.indices.get_alias(name=alias)) if client.indices.exists_alias(name=alias) else []
    plain_index = not aliased and bool(client.indices.exists(index=alias))
    client.indices.update_aliases(actions=alias_switch_actions(alias, new_index, aliased, plain_index))
    old = [name for name in aliased if name != new_index]
    for name in old:
        client.indices.delete(index=name, ignore_unavailable=True)
    return old
