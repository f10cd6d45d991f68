"""One page of site-search results, computed once per content generation and shared.

The search pipeline (analysis, one backend query per concept tier, ranking, loading and
highlighting the page's objects) costs far more than serving a cached page. Its answer depends only
on the visiting site, the query, the type filter and the page — never on who asks, since only live,
public content is searched — so the answer for anonymous visitors is kept in the shared cache under
the page cache's generation (portal/pagecache.py): any saved or deleted content starts a new
generation, so a published change shows on the next search. Search statistics are still recorded
per request (search/stats.py), outside this cache.

Caching follows the page cache: on only when it is (a shared cache, PAGE_CACHE_SECONDS > 0); a cache
that fails is a miss."""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator

from content.base import page_generation
from search import engine

logger = logging.getLogger(__name__)


@dataclass
class Topic:
    label: str
    url: str


@dataclass
class Answer:
    """What the search page and the API show for one page of results (picklable)."""

    query: str
    number: int  # the page shown (the search page moves a page past the end to the last one)
    results: list = field(default_factory=list)  # engine.Result
    count: int = 0  # results of the chosen type
    total: int = 0  # results of every type
    counts: dict = field(default_factory=dict)
    did_you_mean: str | None = None
    weak: bool = True
    closest: list = field(default_factory=list)  # Topic
    cached: bool = False

    @property
    def paginator(self) -> Paginator:
        return Paginator(range(self.count), engine.PER_PAGE, allow_empty_first_page=True)

    @property
    def page_obj(self):
        return self.paginator.get_page(self.number)


def compute(query: str, request, type_filter: str, number: int, *, clamp: bool) -> Answer:
    outcome = engine.run(query, request, type_filter=type_filter or None)
    if clamp:
        number = Paginator(outcome.ranked, engine.PER_PAGE, allow_empty_first_page=True).get_page(number).number
    start = (number - 1) * engine.PER_PAGE
    return Answer(
        query=query,
        number=number,
        results=engine.page_of(outcome, start, start + engine.PER_PAGE, request),
        count=outcome.count,
        total=outcome.total,
        counts=dict(outcome.counts),
        did_you_mean=outcome.did_you_mean,
        weak=outcome.weak,
        closest=[Topic(entry.label, entry.url or "") for entry in outcome.closest],
    )


def _key(request, query: str, type_filter: str, number: int, clamp: bool, generation) -> str:
    raw = "|".join([request.get_host(), query, type_filter, str(number), "c" if clamp else ""])
    return f"search:answer:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _shareable(request) -> bool:
    if not page_generation.enabled():
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def get(query: str, request, type_filter: str = "", number: int = 1, *, clamp: bool = False) -> Answer:
    """The answer for this page of results: from the shared cache when another anonymous visitor
    asked the same since the content last changed, else computed (and kept)."""
    if not _shareable(request):
        return compute(query, request, type_filter, number, clamp=clamp)
    generation = page_generation.generation()
    if generation is None:
        return compute(query, request, type_filter, number, clamp=clamp)
    key = _key(request, query, type_filter, number, clamp, generation)
    try:
        stored = cache.get(key)
    except Exception as exc:  # a cache backend that raises instead of logging: serve uncached
        logger.warning("search answer cache unavailable: %s", exc)
        stored = None
    if stored is not None:
        stored.cached = True
        return stored
    answer = compute(query, request, type_filter, number, clamp=clamp)
    try:
        cache.set(key, answer, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("could not keep a search answer: %s", exc)
    return answer
