"""The taxonomy (life stages, topics) as snippets editors maintain, grouped in one admin menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LifeStage, Topic


class LifeStageViewSet(SnippetViewSet):
    model = LifeStage
    icon = "list-ol"
    menu_label = _("Life stages")
    list_display = ["name", "code", "audience", "sort_order"]
    search_fields = ["name", "code"]
    ordering = ["sort_order"]
    list_export = ["code", "name", "audience", "description"]
    copy_view_enabled = False


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    list_export = ["code", "name", "description"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (LifeStageViewSet, TopicViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"
    menu_order = 400


register_snippet(TaxonomyViewSetGroup)
