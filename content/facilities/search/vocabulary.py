"""The facility search's vocabulary: the service synonym table (built from the Service names and
aliases editors maintain) and the region names taught to the segmenter."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.core.cache import cache

from search.analysis import (
    IS_CJK,
    SynonymTable,
    Thesaurus,
    add_vocabulary,
    normalize,
    to_pinyin,
)

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

    def __post_init__(self):
        # Pinyin of every Chinese service term (tangshai → 唐筛), also with the sounds input methods
        # forgive (z/zh, c/ch, s/sh, n/ng), for pinyin queries and 「您是不是要找」.
        # The service terms as a vocabulary for search.analysis.read_query (one table, at full weight).
        self.thesaurus = Thesaurus([(self.synonyms, 1.0)])
        self.terms_by_pinyin: dict[str, list[str]] = {}
        self.terms_by_fuzzy_pinyin: dict[str, list[str]] = {}
        for term in self.synonyms.vocabulary:
            if IS_CJK.match(term):
                full, _ = to_pinyin(term)
                self.terms_by_pinyin.setdefault(full, []).append(term)
                self.terms_by_fuzzy_pinyin.setdefault(fuzzy_pinyin(full), []).append(term)

    def code_for(self, term: str) -> str | None:
        canonical = self.synonyms.canonical(term)
        return self.code_for_canonical.get(canonical) if canonical else None

    def codes_for_prefix(self, word: str) -> list[str]:
        """Services a word begins the name of (唐氏 → 唐氏筛查 → prenatal_screening): a Chinese word of two
        or more characters covering at least half of a service term."""
        if len(word) < 2 or not IS_CJK.match(word):
            return []
        codes = []
        for term in self.synonyms.vocabulary:
            if term != word and term.startswith(word) and 2 * len(word) >= len(term):
                code = self.code_for(term)
                if code and code not in codes:
                    codes.append(code)
        return codes

    def terms_for_pinyin(self, latin: str) -> list[str]:
        key = normalize(latin).replace(" ", "")
        if not key.isascii() or not key.isalpha():
            return []
        return self.terms_by_pinyin.get(key) or self.terms_by_fuzzy_pinyin.get(fuzzy_pinyin(key), [])

    def sounds_like(self, word: str) -> str | None:
        """A service term written with the same sounds as a mistyped word (堂筛 → 唐筛, 婚简 → 婚检)."""
        if len(word) < 2 or not IS_CJK.match(word) or self.synonyms.canonical(word):
            return None
        full, _ = to_pinyin(word)
        candidates = [t for t in self.terms_by_pinyin.get(full, []) if len(t) == len(word) and t != word]
        return candidates[0] if candidates else None


def fuzzy_pinyin(text: str) -> str:
    """The same reduction as site search's lexicon (search/lexicon.py)."""
    return text.replace("zh", "z").replace("ch", "c").replace("sh", "s").replace("ng", "n")


def service_token(code: str) -> str:
    """The index term standing for a service, whatever name or alias was typed."""
    return f"{SERVICE_TOKEN_PREFIX}{code}"


def build_service_vocabulary() -> ServiceVocabulary:
    from search.synonyms import editor_groups

    from ..records import Service

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
    # The editors' synonym list names tests the taxonomy lacks (四维彩超 = 产前超声筛查): a group that
    # shares a term with exactly one service joins that service; a group bridging two is ignored.
    for group in editor_groups():
        codes = {code_for_canonical.get(table.canonical(term) or "") for term in group} - {None}
        if len(codes) == 1:
            table.add_group(group)
    return ServiceVocabulary(table, code_for_canonical, terms_by_code)


def service_vocabulary() -> ServiceVocabulary:
    """Cached per process; rebuilt when a service is saved anywhere (the version lives in the cache)."""
    from search.synonyms import VERSION_KEY as SYNONYMS_VERSION_KEY

    version = (cache.get(VERSION_KEY, 0), cache.get(SYNONYMS_VERSION_KEY, 0))
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

