"""The taxonomy (life stages, topics) as snippets editors maintain, grouped in one admin menu; the
pinyin slug field of the page editor."""

import json

from django.db import models
from django.templatetags.static import static
from django.urls import path, reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LifeStage, Topic
from .slugs import pinyin_slug_view


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


class PinyinSlugInput(SlugInput):
    """Wagtail's slug input whose title sync fills in pinyin (static/js/admin/pinyin-slug.js); blur
    still runs Wagtail's ASCII clean-up on what an editor types."""

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "data-controller": "w-slug portal-pinyin-slug",
            "data-action": ("blur->w-slug#slugify w-sync:check->portal-pinyin-slug#compare "
                            "w-sync:apply->portal-pinyin-slug#apply"),
            "data-portal-pinyin-slug-url-value": reverse_lazy("pinyin_slug"),
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, **kwargs)


def slug_field_override(db_field):
    # A page's slug may be left empty: the page sets its pinyin slug on save (ShareableSlugMixin), so
    # an editor without JavaScript still gets one.
    if issubclass(db_field.model, Page):
        return {"widget": PinyinSlugInput, "required": False}
    return {"widget": PinyinSlugInput}


register_form_field_override(models.SlugField, override=slug_field_override)


@hooks.register("register_admin_urls")
def register_pinyin_slug_url():
    return [path("pinyin-slug/", pinyin_slug_view, name="pinyin_slug")]


@hooks.register("insert_editor_js")
def pinyin_slug_js():
    return format_html('<script src="{}" defer></script>', static("js/admin/pinyin-slug.js"))


@hooks.register("insert_global_admin_js")
def translate_hidden_search_buttons():
    # Wagtail 8's header.html and home.html hard-code <input type="submit" value="Search"> (read out by
    # screen readers); until that is fixed upstream, give those buttons the translated label.
    return format_html(
        '<script>document.addEventListener("DOMContentLoaded",()=>{{for(const b of document.querySelectorAll('
        '\'input[type="submit"][value="Search"]\'))b.value={};}});</script>',
        mark_safe(json.dumps(str(_("Search"))).replace("<", "\\u003c")),  # a JS string literal
    )
