"""Admin: the synonym list (搜索同义词) and the search reports for editors."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SynonymGroup
from search.reports import PERMISSION, report_urls


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 800
    add_to_admin_menu = True
    list_display = ["__str__", "note", "active", "updated_at"]
    list_filter = ["active"]
    list_export = ["terms", "note", "active"]
    search_fields = ["terms", "note"]


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
