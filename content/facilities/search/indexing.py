"""The database backend's inverted index (FacilityTerm): which terms each facility has, in which field,
with what weight. Built from the shared analysis module so index and query meet on the same words."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable

from django.db import transaction
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
    terms: dict[tuple[str, int], float] = {}

    def add(words: Iterable[str], field: int, weight: float | None = None):
        weight = WEIGHTS[field] if weight is None else weight
        for word in words:
            word = word.strip()[:MAX_TERM]
            if word and terms.get((word, field), 0.0) < weight:
                terms[(word, field)] = weight

    vocabulary = service_vocabulary()
    name = normalize(facility.name)
    add(segment(name), F.NAME)
    add([service_token(vocabulary.code_for(c)) for c in vocabulary.synonyms.find_in(name)
         if vocabulary.code_for(c)], F.NAME, WEIGHTS[F.SERVICE])
    add(cjk_grams(name), F.NAME_GRAM)
    add(name_pinyin(name), F.PINYIN)

    for facility_service in facility.facility_services.all():
        code = facility_service.service.code
        add([service_token(code)], F.SERVICE)
        if facility_service.free:
            add([f"free:{code}"], F.OTHER)
        for term in vocabulary.terms_by_code.get(code, []):
            add(segment(term), F.SERVICE, SERVICE_WORD_WEIGHT)
        add(segment(facility_service.sub_items), F.OTHER)

    region_names = directory().names_of(facility.region_id)
    add(region_names, F.REGION)
    add([to_pinyin(n)[0] for n in region_names if len(n) >= 2], F.REGION)  # wuhou → 武侯
    address = normalize(facility.address)
    add(segment(address), F.ADDRESS)
    add(cjk_grams(address), F.ADDRESS_GRAM)
    add([re.sub(r"\D", "", phone) for phone in facility.phone_list], F.OTHER)
    add([normalize(facility.licence_number)], F.OTHER)
    return terms


def name_pinyin(name: str) -> list[str]:
    """Pinyin of the name's words and of the whole name: 妇幼 → fuyou, fy; 北京东城福安医院 → bjdcfayy."""
    words = [w for w in segment(name) if len(w) >= 2]
    terms = []
    for text in [*words, name]:
        terms += pinyin_terms(text)
    return [t for t in dict.fromkeys(terms) if len(t) >= 2]


def reindex_facilities(ids: Iterable[int]) -> None:
    """Replace the index rows of these facilities (and drop those of deleted ones)."""
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        facilities = Facility.objects.filter(pk__in=chunk).prefetch_related("facility_services__service")
        rows = []
        for facility in facilities:
            rows += [FacilityTerm(facility=facility, term=term, field=field, weight=weight)
                     for (term, field), weight in facility_terms(facility).items()]
        FacilityTerm.objects.filter(facility_id__in=chunk).delete()
        FacilityTerm.objects.bulk_create(rows, batch_size=1000)
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
