"""What people search for, for editors: the most searched queries and the ones that found
nothing (add a synonym or a promotion for those)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

PERMISSION = "portal_search.view_searchmiss"
DAYS = 90


def _since():
    return timezone.localdate() - datetime.timedelta(days=DAYS)


def _search_url(item):
    return "/search/?" + urlencode({"q": item["query_string"]})


class EditorReportView(ReportView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TopQueriesReportView(EditorReportView):
    page_title = _("Top searches (last 90 days)")
    header_icon = "search"
    index_url_name = "portal_search_top_queries"
    index_results_url_name = "portal_search_top_queries_results"
    paginate_by = 50
    columns = [
        TitleColumn("query_string", label=_("Query"), get_url=_search_url),
        NumberColumn("hits", label=_("Searches")),
    ]
    list_export = ["query_string", "hits"]
    export_headings = {"query_string": _("Query"), "hits": _("Searches")}

    def get_queryset(self):
        from wagtail.contrib.search_promotions.models import Query

        return (Query.objects.filter(daily_hits__date__gte=_since())
                .values("query_string").annotate(hits=Sum("daily_hits__hits")).order_by("-hits", "query_string"))


class ZeroResultReportView(EditorReportView):
    page_title = _("Searches without results (last 90 days)")
    header_icon = "warning"
    index_url_name = "portal_search_misses"
    index_results_url_name = "portal_search_misses_results"
    paginate_by = 50
    columns = [
        TitleColumn("query_string", label=_("Query"), get_url=_search_url),
        NumberColumn("hits", label=_("Searches")),
        DateColumn("last_seen", label=_("Last searched")),
    ]
    list_export = ["query_string", "hits", "last_seen"]
    export_headings = {"query_string": _("Query"), "hits": _("Searches"), "last_seen": _("Last searched")}

    def get_queryset(self):
        from search.models import SearchMiss

        return (SearchMiss.objects.filter(date__gte=_since()).values("query_string")
                .annotate(hits=Sum("hits"), last_seen=Max("date")).order_by("-hits", "query_string"))


def report_urls():
    from django.urls import path

    return [
        path("reports/searches/", TopQueriesReportView.as_view(), name="portal_search_top_queries"),
        path("reports/searches/results/", TopQueriesReportView.as_view(results_only=True),
             name="portal_search_top_queries_results"),
        path("reports/searches-without-results/", ZeroResultReportView.as_view(), name="portal_search_misses"),
        path("reports/searches-without-results/results/", ZeroResultReportView.as_view(results_only=True),
             name="portal_search_misses_results"),
    ]

