"""Query statistics for editors: every search counts a hit on Wagtail's search-promotions Query
(the 「搜索词」 report lists the top ones), and a search without results also counts a SearchMiss.

A query counts once per visitor (address) per day, and an address counts at most RECORD_LIMIT
queries per hour, so nobody can pump the statistics with a loop. What the public sees as
「热门搜索」 is never raw statistics: only queries an editor approved — a search promotion exists
for them, or they are a term of the synonym list editors own — and that found something."""

import hashlib
import logging

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from search.analysis import normalize

logger = logging.getLogger(__name__)
MAX_LENGTH = 255
RECORD_LIMIT = (30, 3600)  # recorded queries per client address per window (seconds)
ONCE_PER = 24 * 3600  # the same query from the same address counts once in this many seconds


def _address_digest(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _counts(request, text: str) -> bool:
    """Whether this search should count: first time today for this address, within its hourly limit."""
    if request is None:
        return True
    digest = _address_digest(request)
    seen_key = "portal_search:seen:" + hashlib.sha256(f"{digest}:{text}".encode()).hexdigest()[:32]
    if not cache.add(seen_key, 1, timeout=ONCE_PER):
        return False
    limit, window = RECORD_LIMIT
    rate_key = f"portal_search:rate:{digest}"
    if cache.add(rate_key, 1, timeout=window):
        return True
    try:
        return cache.incr(rate_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(rate_key, 1, timeout=window)
        return True


def record(query: str, found: int, request=None) -> None:
    text = " ".join(normalize(query).split())[:MAX_LENGTH]
    if not text or not _counts(request, text):
        return
    try:
        with transaction.atomic():
            from wagtail.contrib.search_promotions.models import Query

            Query.get(text).add_hit()
            if found == 0:
                from search.models import SearchMiss

                miss, _ = SearchMiss.objects.get_or_create(query_string=text, date=timezone.localdate())
                SearchMiss.objects.filter(pk=miss.pk).update(hits=F("hits") + 1)
    except DatabaseError:  # statistics must never cost a visitor their results
        logger.warning("could not record search statistics", exc_info=True)


def promoted(query: str):
    """Editors' picks (search promotions) for exactly this query, in their order."""
    text = " ".join(normalize(query).split())[:MAX_LENGTH]
    if not text:
        return []
    try:
        from wagtail.contrib.search_promotions.models import Query
        from wagtail.search.utils import normalise_query_string

        query_obj = Query.objects.filter(query_string=normalise_query_string(text)).first()
        if query_obj is None:
            return []
        return list(query_obj.editors_picks.select_related("page").order_by("sort_order"))
    except DatabaseError:
        return []


def popular_queries(limit: int = 8) -> list[str]:
    """The most searched approved queries of the last 90 days that found something (「热门搜索」).

    Approved: an editor made a search promotion for the query, or it is a term of the synonym list.
    Anything else — however often it was sent — never reaches the public page."""
    from datetime import timedelta

    try:
        from wagtail.contrib.search_promotions.models import Query

        from search.analysis import term_key
        from search.models import SearchMiss
        from search.synonyms import get_thesaurus

        since = timezone.localdate() - timedelta(days=90)
        misses = set(SearchMiss.objects.filter(date__gte=since).values_list("query_string", flat=True))
        vocabulary = {term_key(term) for term in get_thesaurus().vocabulary}
        promoted_ids = set(Query.objects.filter(editors_picks__isnull=False).values_list("pk", flat=True))
        result = []
        for query in Query.get_most_popular(date_since=since)[: limit * 10]:
            approved = query.pk in promoted_ids or term_key(query.query_string) in vocabulary
            if approved and query.query_string not in misses:
                result.append(query.query_string)
            if len(result) >= limit:
                break
        return result
    except DatabaseError:
        return []
