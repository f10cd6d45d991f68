"""The thesaurus every search uses: the editors' synonym list plus the facility services' aliases.

Built once per process and rebuilt when a synonym group or a service changes (a version number in
the cache tells every process). Its vocabulary is taught to the segmenter, so the terms stay
whole in indexed text and in queries. Synonyms are applied when querying: a new synonym works at
once, without re-indexing."""

import logging
import threading
import time

from django.apps import apps
from django.core.cache import cache
from django.db import DatabaseError

from content.base.taxonomy import SERVICES
from search.analysis import SynonymTable, Thesaurus, add_vocabulary

logger = logging.getLogger(__name__)
VERSION_KEY = "portal_search:thesaurus_version"
EXACT_WEIGHT = 1.0
SERVICE_WEIGHT = 0.6
# With a per-process cache (no Redis) other processes don't see the version bump: rebuild anyway.
LIFETIME = 120

_lock = threading.Lock()
_state = {"version": None, "thesaurus": None, "built": 0.0}


def service_groups() -> list[list[str]]:
    """[name, *aliases] of every service: from the database once the facilities app has them,
    with DESIGN §5's table filling in any service the database does not have."""
    groups = {}
    try:
        Service = apps.get_model("facilities", "Service")
    except LookupError:
        Service = None
    if Service is not None:
        try:
            for service in Service.objects.all():
                groups[service.code] = [service.name, *_aliases(service)]
        except DatabaseError:  # table not migrated yet
            groups = {}
    for service in SERVICES:
        groups.setdefault(service.code, [service.name, *service.aliases])
    return list(groups.values())


def _aliases(service) -> list[str]:
    aliases = getattr(service, "alias_list", None)
    if callable(aliases):
        aliases = aliases()
    if aliases is None:
        from search.models import TERM_SEPARATORS

        aliases = [a.strip() for a in TERM_SEPARATORS.split(getattr(service, "aliases", "") or "") if a.strip()]
    return list(aliases)


def editor_groups() -> list[list[str]]:
    from search.models import SynonymGroup

    try:
        return [group.term_list() for group in SynonymGroup.objects.filter(active=True)]
    except DatabaseError:
        return []


def build_thesaurus() -> Thesaurus:
    thesaurus = Thesaurus([(SynonymTable(editor_groups()), EXACT_WEIGHT),
                           (SynonymTable(service_groups()), SERVICE_WEIGHT)])
    add_vocabulary(thesaurus.vocabulary)
    return thesaurus


def _stale(version) -> bool:
    return (_state["thesaurus"] is None or _state["version"] != version
            or time.monotonic() - _state["built"] > LIFETIME)


def get_thesaurus() -> Thesaurus:
    version = cache.get(VERSION_KEY, 0)
    if _stale(version):
        with _lock:
            if _stale(version):
                _state["thesaurus"] = build_thesaurus()
                _state["version"] = version
                _state["built"] = time.monotonic()
    return _state["thesaurus"]


def invalidate(**kwargs) -> None:
    """Signal receiver: a synonym or a service changed; every process rebuilds on its next search."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
    _state["thesaurus"] = None


def reset() -> None:
    """Forget the thesaurus built in this process (tests switch databases under it)."""
    _state["thesaurus"] = None
    _state["version"] = None
