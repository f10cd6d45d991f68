"""The facility search's vocabulary: the service synonym table (built from the Service names and
aliases editors maintain) and the region names taught to the segmenter."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.core.cache import cache

from search.analysis import SynonymTable, add_vocabulary, normalize

VERSION_KEY = "facilities:vocabulary-version"
SERVICE_TOKEN_PREFIX = "svc:"
_lock = threading.Lock()
_state: dict = {"version": None, "vocabulary": None}
_regions_taught = {"done": False}


@dataclass
class ServiceVocabulary:
    synonyms: SynonymTable
    code_for_canonical: dict[str, str]
    terms_by_code: dict[str, list[str]]

    def code_for(self, term: str) -> str | None:
        canonical = self.synonyms.canonical(term)
        return self.code_for_canonical.get(canonical) if canonical else None


def service_token(code: str) -> str:
    """The index term standing for a service, whatever name or alias was typed."""
    return f"{SERVICE_TOKEN_PREFIX}{code}"


def build_service_vocabulary() -> ServiceVocabulary:
    from ..models import Service

    table = SynonymTable()
    code_for_canonical: dict[str, str] = {}
    terms_by_code: dict[str, list[str]] = {}
    for service in Service.objects.all():
        terms = service.terms
        table.add_group(terms)
        canonical = table.canonical(terms[0])
        if canonical:
            code_for_canonical.setdefault(canonical, service.code)
        terms_by_code[service.code] = [normalize(t) for t in terms]
    return ServiceVocabulary(table, code_for_canonical, terms_by_code)


def service_vocabulary() -> ServiceVocabulary:
    """Cached per process; rebuilt when a service is saved anywhere (the version lives in the cache)."""
    version = cache.get(VERSION_KEY, 0)
    with _lock:
        if _state["vocabulary"] is None or _state["version"] != version:
            vocabulary = build_service_vocabulary()
            add_vocabulary(vocabulary.synonyms.vocabulary)
            _state.update(vocabulary=vocabulary, version=version)
        teach_region_names()
        return _state["vocabulary"]


def vocabulary_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    _state["vocabulary"] = None


def teach_region_names() -> None:
    """Region names and their short forms (朝阳, 武侯, 郫都) stay whole words for the segmenter."""
    if _regions_taught["done"]:
        return
    from ..regions import directory

    regions = directory()
    if not regions.by_code:
        return
    add_vocabulary(list(regions.by_full) + [s for s in regions.by_short if len(s) >= 2])
    _regions_taught["done"] = True
