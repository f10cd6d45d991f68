"""What site search searches: each source is a model (or Wagtail's page tree) that knows how to
list its public objects and how to present one as a result. Models are looked up by label, so
search/ works whatever feature apps are installed, and a content type the portal does not have
yet simply contributes nothing."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

# Result types in the order the type filter lists them (codes are the API's "type" values).
TYPES = [
    ("resource", _("Resources")),
    ("core_message", _("Core messages")),
    ("campaign", _("Campaigns")),
    ("facility", _("Facilities")),
    ("page", _("Other pages")),
]
TYPE_LABELS = dict(TYPES)

PAGE_TYPES = {
    "library.resourcepage": "resource",
    "campaigns.campaignpage": "campaign",
    "campaigns.campaignindexpage": "campaign",
}


@dataclass
class Item:
    """One result as every source presents it."""

    type: str
    title: str
    url: str
    text: str  # plain searchable text, for the snippet


class PageSource:
    key = "pages"

    def queryset(self, site):
        qs = Page.objects.live().public().filter(depth__gt=1)
        if site is not None:
            qs = qs.descendant_of(site.root_page, inclusive=True)
        return qs

    def type_of(self, obj) -> str:
        return PAGE_TYPES.get(obj.content_type.app_label + "." + obj.content_type.model, "page") \
            if hasattr(obj, "content_type") else "page"

    def title_of(self, obj) -> str:
        return obj.title

    def load(self, pks, request):
        from search.indexing import plain_text

        pages = Page.objects.filter(pk__in=pks).specific().select_related("content_type") \
            if hasattr(Page.objects, "specific") else Page.objects.filter(pk__in=pks)
        items = {}
        for page in pages:
            url = page.get_url(request=request) or page.url or ""
            items[page.pk] = Item(self.type_of(page), page.title, url, _page_text(page, plain_text))
        return items


def _page_text(page, plain_text):
    text = plain_text(page)
    if not text:
        text = page.search_description or ""
    return text


class ModelSource:
    """A snippet or plain model with ``index.Indexed`` search fields (core messages…)."""

    def __init__(self, key, model_label, type_code, title_field, live_filter=None):
        self.key = key
        self.model_label = model_label
        self.type_code = type_code
        self.title_field = title_field
        self.live_filter = live_filter or {}

    @property
    def model(self):
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    def queryset(self, site):
        model = self.model
        if model is None:
            return None
        return model._default_manager.filter(**self.live_filter)

    def type_of(self, obj) -> str:
        return self.type_code

    def title_of(self, obj) -> str:
        return str(getattr(obj, self.title_field, "") or obj)

    def load(self, pks, request):
        from search.indexing import plain_text

        items = {}
        for obj in self.model._default_manager.filter(pk__in=pks):
            url = obj.get_url(request) if hasattr(obj, "get_url") else getattr(obj, "url", "")
            items[obj.pk] = Item(self.type_code, self.title_of(obj), url or "", plain_text(obj, exclude_title=False)
                                 if self.title_field != "title" else plain_text(obj))
        return items


def get_sources():
    return [
        PageSource(),
        ModelSource("core_messages", "core_messages.CoreMessage", "core_message", "statement", {"live": True}),
    ]


def site_for(request):
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)
