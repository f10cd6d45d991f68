"""The database backend's inverted index (FacilityTerm): which terms each facility has, in which field,
with what weight. Built from the shared analysis module so index and query meet on the same words."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from search.analysis import cjk_grams, normalize, pinyin_terms, segment, to_pinyin

from ..models import Facility, FacilityService, FacilityTerm
from ..regions import directory
from .vocabulary import service_token, service_vocabulary

F = FacilityTerm
# name words > service synonym tokens > region names > address words > grams
WEIGHTS = {F.NAME: 10.0, F.SERVICE: 6.0, F.PINYIN: 5.0, F.REGION: 4.0, F.ADDRESS: 2.0, F.OTHER: 1.0,
           F.NAME_GRAM: 1.0, F.ADDRESS_GRAM: 0.5}
SERVICE_WORD_WEIGHT = 3.0  # words of a service's names (新生儿, 筛查), below the service token itself
MAX_TERM = 64
_local = threading.local()


def facility_terms(facility: Facility) -> dict[tuple[str, int], float]:
    """(term, field) → weight for one facility (its services prefetched or not)."""
    services = [(fs.service.code, fs.free, fs.sub_items) for fs in facility.facility_services.all()]
    return term_builder().terms(facility.name, facility.region_id, facility.address, facility.phone_list,
                                facility.licence_number, services)


class TermBuilder:
    """Builds a facility's index terms. What repeats across facilities (a service's synonym words, a
    region's names, the pinyin of a word such as 妇幼) is computed once per builder: the import of
    100 000 rows spent most of its analysis time re-segmenting the same service aliases."""

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary
        self._service: dict[tuple[str, bool, str], dict[tuple[str, int], float]] = {}
        self._region: dict[str, dict[tuple[str, int], float]] = {}
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
        key = (code, free, sub_items)
        part = self._service.get(key)
        if part is None:
            part = {}
            self._add(part, [service_token(code)], F.SERVICE)
            if free:
                self._add(part, [f"free:{code}"], F.OTHER)
            for term in self.vocabulary.terms_by_code.get(code, []):
                self._add(part, segment(term), F.SERVICE, SERVICE_WORD_WEIGHT)
            self._add(part, segment(sub_items), F.OTHER)
            self._service[key] = part
        return part

    def region_part(self, region_id: str) -> dict[tuple[str, int], float]:
        part = self._region.get(region_id)
        if part is None:
            part = {}
            region_names = directory().names_of(region_id)
            self._add(part, region_names, F.REGION)
            self._add(part, [to_pinyin(n)[0] for n in region_names if len(n) >= 2], F.REGION)  # wuhou → 武侯
            self._region[region_id] = part
        return part

    def word_pinyin(self, word: str) -> list[str]:
        terms = self._pinyin.get(word)
        if terms is None:
            terms = pinyin_terms(word)
            if len(self._pinyin) < 100_000:
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
        self._merge(terms, self.region_part(region_id))
        address = normalize(address)
        add(terms, segment(address), F.ADDRESS)
        add(terms, cjk_grams(address), F.ADDRESS_GRAM)
        add(terms, [re.sub(r"\D", "", phone) for phone in phones], F.OTHER)
        add(terms, [normalize(licence_number)], F.OTHER)
        return terms


def term_builder() -> TermBuilder:
    return TermBuilder(service_vocabulary())


def name_pinyin(name: str) -> list[str]:
    """Pinyin of the name's words and of the whole name: 妇幼 → fuyou, fy; 北京东城福安医院 → bjdcfayy."""
    return term_builder().name_pinyin(name)


def write_terms(rows: list[tuple[int, str, int, float]], replace_ids: Iterable[int] = ()) -> None:
    """Replace the term rows of `replace_ids` and insert `rows` (facility_id, term, field, weight) in
    raw SQL: the ORM's bulk_create spent most of the import preparing values field by field. On
    PostgreSQL the rows go in by COPY, on SQLite by executemany."""
    table = connection.ops.quote_name(FacilityTerm._meta.db_table)
    replace_ids = list(replace_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(replace_ids), 500):
            chunk = replace_ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE facility_id IN ({placeholders})", chunk)
        if not rows:
            return
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (facility_id, term, field, weight) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            insert = f"INSERT INTO {table} (facility_id, term, field, weight) VALUES (%s, %s, %s, %s)"
            cursor.executemany(insert, rows)


def reindex_facilities(ids: Iterable[int], *, fresh: bool = False,
                       builder: TermBuilder | None = None) -> None:
    """Replace the index rows of these facilities (and drop those of deleted ones). `fresh`: the
    facilities were just created and have no rows to delete; `builder`: share its caches across calls."""
    ids = list(dict.fromkeys(ids))
    builder = builder or term_builder()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        facilities = (Facility.objects.filter(pk__in=chunk)
                      .only("pk", "name", "region_id", "address", "phones", "licence_number")
                      .prefetch_related("facility_services__service"))
        rows = []
        for facility in facilities:
            services = [(fs.service.code, fs.free, fs.sub_items) for fs in facility.facility_services.all()]
            rows += [(facility.pk, term, field, weight) for (term, field), weight in builder.terms(
                facility.name, facility.region_id, facility.address, facility.phone_list,
                facility.licence_number, services).items()]
        write_terms(rows, () if fresh else chunk)
    from .backends import after_reindex

    after_reindex(ids)


def rebuild_index() -> int:
    """Every facility again (after aliases or the analysis changed): `update_index` calls this."""
    ids = list(Facility.objects.values_list("pk", flat=True))
    with transaction.atomic():
        FacilityTerm.objects.all().delete()
        reindex_facilities(ids)
    return len(ids)


# -------------------------------------------------------------- keep the index current on save

@contextlib.contextmanager
def suspended_auto_index():
    """The importer indexes in bulk at the end; saves inside this block do not each reindex."""
    previous = getattr(_local, "suspended", False)
    _local.suspended = True
    try:
        yield
    finally:
        _local.suspended = previous


def _schedule(facility_id: int | None) -> None:
    """Reindex after the transaction commits; a rolled-back save leaves its id for the next flush."""
    if facility_id is None or getattr(_local, "suspended", False):
        return
    if not hasattr(_local, "pending"):
        _local.pending = set()
    _local.pending.add(facility_id)
    transaction.on_commit(_flush)


def _flush() -> None:
    ids, _local.pending = getattr(_local, "pending", set()), set()
    if ids:
        reindex_facilities(ids)


@receiver(post_save, sender=Facility)
def facility_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule(instance.pk)


@receiver(post_save, sender=FacilityService)
@receiver(post_delete, sender=FacilityService)
def facility_service_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _schedule(instance.facility_id)
