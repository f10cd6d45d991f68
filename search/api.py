"""/api/search/ and /api/search/suggest/: site search and suggestions as JSON (DESIGN §6)."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema

from search import answers, engine, stats
from search.lexicon import get_lexicon
from search.params import SearchFilters, clean_query
from search.sources import site_for

router = Router(tags=["search"])
SUGGESTIONS = 8


class SearchResultOut(Schema):
    type: str
    title: str
    url: str
    snippet: str


class SearchOut(Schema):
    count: int
    page: int
    page_size: int
    counts: dict[str, int]
    did_you_mean: str | None = None
    results: list[SearchResultOut]


class SuggestionOut(Schema):
    text: str
    type: str
    url: str


class SuggestOut(Schema):
    query: str
    suggestions: list[SuggestionOut]


@router.get("/search/", response=SearchOut, summary=gettext_lazy("Site search"))
def search(request: HttpRequest, filters: Query[SearchFilters]):
    """Pages, resources, core messages, campaigns and facilities on one ranked list. `type` limits
    the results to one of resource, core_message, campaign, facility, page; `count` and
    `counts` say how many there are in all and per type; `snippet` marks matches with <mark>
    (the text around them is HTML-escaped)."""
    query, number, type = filters.q, filters.page, filters.type
    if not query:
        return {"count": 0, "page": number, "page_size": engine.PER_PAGE, "counts": {}, "results": []}
    answer = answers.get(query, request, type, number)
    if number == 1:
        stats.record(query, answer.total, request)
    return {
        "count": answer.count,
        "page": number,
        "page_size": engine.PER_PAGE,
        "counts": answer.counts,
        "did_you_mean": answer.did_you_mean,
        "results": [result.as_dict() for result in answer.results],
    }


@router.get("/search/suggest/", response=SuggestOut, summary=gettext_lazy("Suggestions while typing"))
def suggest(request: HttpRequest, q: str = ""):
    """Titles, service names and aliases and facility names that start with what was typed, in
    Chinese or in pinyin (full or initials): 叶 / yes / ys → 叶酸…"""
    query = clean_query(q)[:50]
    if not query:
        return {"query": "", "suggestions": []}
    lexicon = get_lexicon(site_for(request))
    suggestions = []
    for entry in lexicon.suggest(query, limit=SUGGESTIONS):
        url = entry.url or _search_url(entry.label)
        suggestions.append({"text": entry.label, "type": entry.type, "url": url})
    return {"query": query, "suggestions": suggestions}


def _search_url(text: str) -> str:
    from urllib.parse import urlencode

    return "/search/?" + urlencode({"q": text})
