"""The database backend's inverted index (FacilityTerm): which terms each facility has, in which field,
with what weight. Built from the shared analysis module so index and query meet on the same words."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from content.base.request_memo import forget
from content.base.signals import content_changed

from ..records import Facility, FacilityService, FacilityTerm
from .planning import LIVE_KEY
from .terms import TermBuilder, term_builder

logger = logging.getLogger(__name__)

_local = threading.local()


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


# (name, region_id, address, phones, licence_number, services): what TermBuilder.terms reads of a row
TermArgs = tuple[str, str, str, list[str], str, list[tuple[str, bool, str]]]
# (term, field, weight, position of the row in its batch), in row order
BatchTerms = list[tuple[str, int, float, int]]


def analyse_batch(builder: TermBuilder, rows: Sequence[TermArgs]) -> BatchTerms:
    """The terms of a batch of rows. In row (facility) order: sorted by term instead, SQLite's
    inserts were slower (measured at 10 000 and 50 000 facilities: the unique (facility, term,
    field) index then takes them out of order, and the (term, facility) index gained nothing)."""
    return [(term, field, weight, position) for position, args in enumerate(rows)
            for (term, field), weight in builder.terms(*args).items()]


_worker_builder: TermBuilder | None = None  # the builder a forked analysis worker inherited


def _analyse_in_worker(rows: Sequence[TermArgs]) -> BatchTerms:
    return analyse_batch(_worker_builder, rows)


def analysis_workers() -> int:
    """Worker processes for the import's term analysis: one when a second CPU is free (the main
    process writes meanwhile), none on a single CPU, without fork, or when the load average says
    the other CPUs are busy. On the shared 2-core machine (load 3–4) the worker cost ≈ 10 CPU s
    more per 100 000 rows than it saved and the import took 107 s instead of 80 s
    (docs/performance.md)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    if cpus < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if os.getloadavg()[0] > cpus - 1:
        return 0
    return 1


class TermAnalyser:
    """Computes the terms of batches of rows, in a forked worker process when `workers` is 1 (the
    segmentation, pinyin and OpenCC of a facility were ≈ 45 % of an import's CPU), else in this
    process when the result is asked for. Either way the same builder gives the same terms.

    The worker is forked after the builder, the segmenter's vocabulary and the analysis caches are
    ready; it touches no database connection and exits without running the parent's finalisers."""

    def __init__(self, builder: TermBuilder, workers: int | None = None):
        self.builder = builder
        self.workers = analysis_workers() if workers is None else workers
        self._pool = None
        self._submitted = 0

    def submit(self, rows: Sequence[TermArgs]) -> Callable[[], BatchTerms]:
        """Start analysing `rows`; call the returned function for the result. The first batch is
        analysed here: a file of one batch (an admin upload of a city's list) forks nothing."""
        self._submitted += 1
        if not self.workers or self._submitted == 1:
            return lambda: analyse_batch(self.builder, rows)
        if self._pool is None:
            global _worker_builder
            _worker_builder = self.builder
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        pending = self._pool.apply_async(_analyse_in_worker, (rows,))
        return pending.get

    def close(self) -> None:
        global _worker_builder
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _worker_builder = None

    def __enter__(self) -> TermAnalyser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# SQLite's page cache while an import writes (KiB; the default is 2 000): the (term, facility) index
# of a national list is hundreds of MB, and with 2 MB of cache nearly every insert re-read and
# re-wrote a page through the WAL. A cap, not a reservation: the cache only fills as pages are used.
IMPORT_CACHE_KIB = 32 * 1024


@contextlib.contextmanager
def bulk_write_tuning():
    """A larger SQLite page cache for the duration of a bulk index write (restored after); nothing
    to tune on PostgreSQL, whose buffers are the server's."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextlib.contextmanager
def deferred_term_indexes():
    """Inside a transaction, on SQLite, when the term table is empty (a first import, the millions
    of rows of a national list): drop its secondary indexes and build them again at the end, one
    sort each, instead of inserting every row into them (≈ 30 % fewer CPU seconds for the inserts,
    measured at 50 000 facilities). The same CREATE INDEX statements run again, so the schema
    after is the migrations' schema; a rollback restores the indexes with everything else. Not on
    PostgreSQL, where DROP INDEX would lock searches out until the import commits."""
    if connection.vendor != "sqlite" or FacilityTerm.objects.exists():
        yield
        return
    table = FacilityTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                       "AND sql IS NOT NULL", [table])
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                for _name, sql in indexes:
                    cursor.execute(sql)


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


def after_reindex(ids: list[int]) -> None:
    """The database index has just been rebuilt for these facilities: refresh what depends on it."""
    from .database import facets_changed

    cache.delete_many([LIVE_KEY, "facilities:region-counts"])
    forget(LIVE_KEY)  # this request's own copy (request_memo)
    facets_changed()
    content_changed.send(sender=Facility)  # bulk writes send no model signal (the page cache listens)
    if settings.ELASTICSEARCH_URL:
        # Only what the database has committed reaches the cluster: a rolled-back import sends nothing.
        ids = list(ids)
        transaction.on_commit(lambda: _index_in_elasticsearch(ids))


def _index_in_elasticsearch(ids: list[int]) -> None:
    from search.elastic import cluster_reachable

    if cluster_reachable():
        from .elastic import index_facilities

        try:
            index_facilities(ids)
        except Exception:
            logger.exception("Facility search: could not update the Elasticsearch index")

