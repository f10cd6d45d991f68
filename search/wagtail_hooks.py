"""Admin: the synonym list (搜索同义词) and the search reports for editors."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from search.models import SynonymGroup
from search.reports import PERMISSION, report_urls


class SynonymCreateView(CreateView):
    """The add form, filled in from the query string (?terms=…&maps_to=…): the zero-result report
    links each recorded query here, so an editor turns it into a synonym in one step."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        if self.request.method != "GET" or "terms" not in self.request.GET:
            return instance
        instance = instance or SynonymGroup()
        instance.terms = self.request.GET.get("terms", "")[:255]
        instance.maps_to = self.request.GET.get("maps_to", "")[:255]
        instance.source = str(_("Search without results"))
        return instance


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    add_view_class = SynonymCreateView
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 800
    add_to_admin_menu = True
    list_display = ["__str__", "maps_to", "kind", "source", "active", "updated_at"]
    list_filter = ["active", "kind"]
    list_export = ["terms", "maps_to", "kind", "source", "note", "active"]
    search_fields = ["terms", "maps_to", "source", "note"]


register_snippet(SynonymGroupViewSet)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return report_urls()


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_top_searches_menu_item():
    return PermissionMenuItem(_("Top searches"), reverse("portal_search_top_queries"), icon_name="search",
                              order=1310)


@hooks.register("register_reports_menu_item")
def register_zero_result_menu_item():
    return PermissionMenuItem(_("Searches without results"), reverse("portal_search_misses"),
                              icon_name="warning", order=1320)
