"""The site search page, /search/: results of every type on one ranked list, a type filter with
counts, highlighted snippets, 「您是不是要找」, and a helpful page when nothing is found."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from search import answers, stats
from search.params import clean_query, page_number
from search.sources import TYPES


def search_page(request):
    query = clean_query(request.GET.get("q"))
    type_filter = request.GET.get("type") or ""
    if type_filter not in dict(TYPES):
        type_filter = ""
    context = {
        "search_query": query,
        "type_filter": type_filter,
        "types": [],
        "results": [],
        "page_obj": None,
        "promotions": [],
        "outcome": None,
    }
    if query:
        answer = answers.get(query, request, type_filter, page_number(request.GET.get("page")), clamp=True)
        page_obj = answer.page_obj
        context.update(
            outcome=answer,
            page_obj=page_obj,
            results=answer.results,
            types=[{"code": code, "label": label, "count": answer.counts.get(code, 0)} for code, label in TYPES],
            querystring_without_page=_querystring(query, type_filter),
            promotions=stats.promoted(query) if page_obj.number == 1 else [],
        )
        if page_obj.number == 1:
            stats.record(query, answer.total, request)
    if not query or not context["results"]:
        context["popular_queries"] = stats.popular_queries()
    if not query or not context["results"] or context["outcome"].weak:
        context["finder_url"] = _finder_url()
    return render(request, "search/search_page.html", context)


def _querystring(query, type_filter) -> str:
    from urllib.parse import urlencode

    params = [("q", query)]
    if type_filter:
        params.append(("type", type_filter))
    return urlencode(params) + "&"


def _finder_url() -> str:
    try:
        return reverse("facilities:finder")
    except Exception:  # the finder is a page in the tree: its section slug is the contract
        return "/facilities/"


def title(_request=None):
    return _("Search")
