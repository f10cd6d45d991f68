"""Query statistics for editors: every search counts a hit on Wagtail's search-promotions Query
(the 「搜索词」 report lists the top ones), and a search without results also counts a SearchMiss."""

import logging

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from search.analysis import normalize

logger = logging.getLogger(__name__)
MAX_LENGTH = 255


def record(query: str, found: int) -> None:
    text = " ".join(normalize(query).split())[:MAX_LENGTH]
    if not text:
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
    """The most searched queries of the last 90 days that found something (for the empty result)."""
    from datetime import timedelta

    try:
        from wagtail.contrib.search_promotions.models import Query

        from search.models import SearchMiss

        since = timezone.localdate() - timedelta(days=90)
        misses = set(SearchMiss.objects.filter(date__gte=since).values_list("query_string", flat=True))
        result = []
        for query in Query.get_most_popular(date_since=since)[: limit * 3]:
            if query.query_string not in misses:
                result.append(query.query_string)
            if len(result) >= limit:
                break
        return result
    except DatabaseError:
        return []
