from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CoreMessage


class CoreMessageFilterSet(WagtailFilterSet):
    class Meta:
        model = CoreMessage
        fields = ["life_stage", "live", "topics"]


class CoreMessageViewSet(SnippetViewSet):
    model = CoreMessage
    icon = "openquote"
    menu_label = _("Core health messages")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["statement", "life_stage", "number", "next_review"]
    list_per_page = 50
    filterset_class = CoreMessageFilterSet
    search_fields = ["statement"]
    ordering = ["life_stage__sort_order", "number"]
    list_export = ["life_stage", "number", "statement", "source", "reviewer", "last_reviewed", "next_review", "live"]
    inspect_view_enabled = True


register_snippet(CoreMessageViewSet)
