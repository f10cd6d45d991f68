"""What a facility is found by: the weighted terms of its name, region, address, phones, licence
number and services (with pinyin). The database index (indexing.py) stores the terms that belong to
the facility itself; the words of its services' names and of its region's names (the same for every
facility with that service or region: ≈ 53 of the 130 rows a facility used to get) are matched at
query time from the vocabulary and the division table (`service_codes_with_words`,
`regions_named`). The Elasticsearch backend indexes the same name pinyin."""

from __future__ import annotations

import re
from collections.abc import Iterable

from search.analysis import (
    cjk_grams,
    normalize,
    pinyin_terms,
    segment,
)

from ..records import Facility, FacilityTerm
from ..regions import directory
from .vocabulary import service_token, service_vocabulary

F = FacilityTerm


# name words > service synonym tokens > region names > address words > grams
WEIGHTS = {F.NAME: 10.0, F.SERVICE: 6.0, F.PINYIN: 5.0, F.REGION: 4.0, F.ADDRESS: 2.0, F.OTHER: 1.0,
           F.NAME_GRAM: 1.0, F.ADDRESS_GRAM: 0.5}


SERVICE_WORD_WEIGHT = 3.0  # words of a service's names (新生儿, 筛查), below the service token itself


MAX_TERM = 64


def facility_terms(facility: Facility) -> dict[tuple[str, int], float]:
    """(term, field) → weight for one facility (its services prefetched or not)."""
    services = [(fs.service.code, fs.free, fs.sub_items) for fs in facility.facility_services.all()]
    return term_builder().terms(facility.name, facility.region_id, facility.address, facility.phone_list,
                                facility.licence_number, services)


class TermBuilder:
    """Builds a facility's index terms. What repeats across facilities (a service's synonym words, a
    region's names, the pinyin of a word such as 妇幼) is computed once per builder: the import of
    100 000 rows spent most of its analysis time re-segmenting the same service aliases."""

    # The caches stop growing at these sizes (what repeats is met early; a national list's 100 000
    # numbered names would otherwise each leave an entry).
    MAX_SERVICE_PARTS = 10_000
    MAX_PINYIN_WORDS = 20_000

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary
        self._service: dict[tuple[str, bool, str], dict[tuple[str, int], float]] = {}
        self._pinyin: dict[str, list[str]] = {}

    @staticmethod
    def _add(terms: dict, words: Iterable[str], field: int, weight: float | None = None) -> None:
        weight = WEIGHTS[field] if weight is None else weight
        for word in words:
            word = word.strip()[:MAX_TERM]
            if word and terms.get((word, field), 0.0) < weight:
                terms[(word, field)] = weight

    def _merge(self, terms: dict, part: dict) -> None:
        for key, weight in part.items():
            if terms.get(key, 0.0) < weight:
                terms[key] = weight

    def service_part(self, code: str, free: bool, sub_items: str) -> dict[tuple[str, int], float]:
        """The service's token (svc:code), its free offer and the facility's own sub-items; the words
        of the service's names are matched at query time (`service_codes_with_words`)."""
        key = (code, free, sub_items)
        part = self._service.get(key)
        if part is None:
            part = {}
            self._add(part, [service_token(code)], F.SERVICE)
            if free:
                self._add(part, [f"free:{code}"], F.OTHER)
            self._add(part, segment(sub_items), F.OTHER)
            if len(self._service) < self.MAX_SERVICE_PARTS:
                self._service[key] = part
        return part

    def word_pinyin(self, word: str) -> list[str]:
        terms = self._pinyin.get(word)
        if terms is None:
            terms = pinyin_terms(word)
            if terms and len(self._pinyin) < self.MAX_PINYIN_WORDS:  # not a number: it has pinyin
                self._pinyin[word] = terms
        return terms

    def name_pinyin(self, name: str) -> list[str]:
        words = [w for w in segment(name) if len(w) >= 2]
        terms = []
        for word in words:
            terms += self.word_pinyin(word)
        terms += pinyin_terms(name)
        return [t for t in dict.fromkeys(terms) if len(t) >= 2]

    def terms(self, name: str, region_id: str, address: str, phones: list[str], licence_number: str,
              services: Iterable[tuple[str, bool, str]]) -> dict[tuple[str, int], float]:
        terms: dict[tuple[str, int], float] = {}
        add = self._add
        vocabulary = self.vocabulary
        name = normalize(name)
        add(terms, segment(name), F.NAME)
        add(terms, [service_token(vocabulary.code_for(c)) for c in vocabulary.synonyms.find_in(name)
                    if vocabulary.code_for(c)], F.NAME, WEIGHTS[F.SERVICE])
        add(terms, cjk_grams(name), F.NAME_GRAM)
        add(terms, self.name_pinyin(name), F.PINYIN)
        for code, free, sub_items in services:
            self._merge(terms, self.service_part(code, free, sub_items))
        address = normalize(address)
        add(terms, segment(address), F.ADDRESS)
        add(terms, cjk_grams(address), F.ADDRESS_GRAM)
        add(terms, [re.sub(r"\D", "", phone) for phone in phones], F.OTHER)
        add(terms, [normalize(licence_number)], F.OTHER)
        return terms


def service_words(vocabulary) -> dict[str, set[str]]:
    """Word → codes of the services whose names or aliases contain it as a segmented word (新生儿,
    筛查), as the index used to store them with every facility offering the service (weight 3)."""
    words = getattr(vocabulary, "_service_words", None)
    if words is None:
        words = {}
        for code, names in vocabulary.terms_by_code.items():
            for name in names:
                for word in segment(name):
                    word = word.strip()[:MAX_TERM]
                    if word:
                        words.setdefault(word, set()).add(code)
        vocabulary._service_words = words
    return words


def service_codes_with_words(terms: Iterable[str]) -> list[str]:
    words = service_words(service_vocabulary())
    return sorted({code for term in terms for code in words.get(term, ())})


def regions_named(terms: Iterable[str]) -> list[str]:
    """Division codes one of whose official or short names, or (two characters or more) its pinyin,
    is among the terms: a facility in or under such a division has that name as a region term
    (朝阳, 朝阳区, chaoyang, 北京市 …), matched at query time instead of copied onto every facility."""
    regions = directory()
    codes: set[str] = set()
    for term in terms:
        codes.update(regions.by_full.get(term, ()))
        codes.update(regions.by_short.get(term, ()))
        if term.isascii() and term.isalpha():
            for name in regions.names_by_pinyin().get(term, ()):
                if len(name) >= 2:
                    codes.update(regions.by_full.get(name, ()))
                    codes.update(regions.by_short.get(name, ()))
    return sorted(codes)


def term_builder() -> TermBuilder:
    return TermBuilder(service_vocabulary())


def name_pinyin(name: str) -> list[str]:
    """Pinyin of the name's words and of the whole name: 妇幼 → fuyou, fy; 北京东城福安医院 → bjdcfayy."""
    return term_builder().name_pinyin(name)
