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

# Bumped whenever searchable content changes (a publish, a facility edit: search.lexicon.invalidate),
# so every cache derived from the content (suggestions, facility hits) is renewed at once.
CONTENT_VERSION_KEY = "portal_search:lexicon_version"

PAGE_TYPES = {
    "library.resourcepage": "resource",
    "campaigns.campaignpage": "campaign",
    "campaigns.campaignindexpage": "campaign",
}


@dataclass
class Found:
    """A hit of one backend request: enough to rank it without loading the object."""

    pk: int
    title: str
    type: str
    score: float
    other_province: bool = False  # a facility outside the visiting site's province: listed after


def _search_backend_hits(backend, query, queryset, limit, type_of, title_of):
    results = backend.search(query, queryset).annotate_score("_score")
    return [Found(obj.pk, title_of(obj), type_of(obj), abs(float(getattr(obj, "_score", 0) or 0)))
            for obj in results[:limit]]


@dataclass
class Item:
    """One result as every source presents it."""

    type: str
    title: str
    url: str
    text: str  # plain searchable text, for the snippet
    other_province: str = ""  # the province's name, for a facility outside the site's province


class PageSource:
    key = "pages"
    body_weight = 1.0
    counts_for_idf = True

    def find(self, backend, query, queryset, *, tier_index, label, limit):
        # Ranking needs the id, the title and the type of up to 200 candidates a request: not the
        # thirty-odd columns of each page row.
        return _search_backend_hits(backend, query, queryset.only("id", "title", "content_type_id"), limit,
                                    self.type_of, self.title_of)

    def queryset(self, site):
        from content.base.provinces import pages_hidden_on

        qs = Page.objects.live().public().filter(depth__gt=1)
        if site is not None:
            qs = qs.descendant_of(site.root_page, inclusive=True)
        # Exactly what the site shows: not another province's campaign edition (nor its alias), which
        # answers 404 here.
        hidden = _cached_hidden_pages(site, pages_hidden_on)
        if hidden:
            qs = qs.exclude(pk__in=hidden)
        return qs

    def type_of(self, obj) -> str:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_id(obj.content_type_id)
        return PAGE_TYPES.get(f"{content_type.app_label}.{content_type.model}", "page")

    def title_of(self, obj) -> str:
        return obj.title

    def load(self, pks, request):
        from search.indexing import plain_text

        pages = Page.objects.filter(pk__in=pks).specific()
        items = {}
        for page in pages:
            url = page.get_url(request=request) or page.url or ""
            items[page.pk] = Item(self.type_of(page), page.title, url, _page_text(page, plain_text))
        return items


def _cached_hidden_pages(site, pages_hidden_on) -> list[int]:
    """pages_hidden_on(site), cached until searchable content changes (a publish bumps the version)."""
    from django.core.cache import cache

    key = f"portal_search:hidden_pages:{getattr(site, 'pk', '')}:{cache.get(CONTENT_VERSION_KEY, 0)}"
    hidden = cache.get(key)
    if hidden is None:
        hidden = pages_hidden_on(site)
        cache.set(key, hidden, 300)
    return hidden


def _page_text(page, plain_text):
    text = plain_text(page)
    if not text:
        text = page.search_description or ""
    return text


class ModelSource:
    """A snippet or plain model with ``index.Indexed`` search fields (core messages…)."""

    body_weight = 1.0
    counts_for_idf = True

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
        qs = model._default_manager.filter(**self.live_filter)
        # Content that carries provinces (core messages): national and the site's own only, as a
        # list of ids (the search backends filter on indexed fields, not on arbitrary lookups).
        if hasattr(qs, "for_site"):
            qs = qs.filter(pk__in=list(qs.for_site(site).values_list("pk", flat=True)))
        return qs

    def type_of(self, obj) -> str:
        return self.type_code

    def title_of(self, obj) -> str:
        return str(getattr(obj, self.title_field, "") or obj)

    def find(self, backend, query, queryset, *, tier_index, label, limit):
        return _search_backend_hits(backend, query, queryset, limit, self.type_of, self.title_of)

    def load(self, pks, request):
        from search.indexing import plain_text

        items = {}
        for obj in self.model._default_manager.filter(pk__in=pks):
            url = obj.get_url(request) if hasattr(obj, "get_url") else getattr(obj, "url", "")
            text = plain_text(obj, title_field=self.title_field) or plain_text(obj, exclude_title=False)
            items[obj.pk] = Item(self.type_code, self.title_of(obj), url or "", text)
        return items


_registered = {}


def register_source(key, factory) -> None:
    """Make a content app's objects searchable: ``factory()`` returns a fresh source (an object with
    ``key``, ``type_code``, ``queryset``, ``find``, ``load``…, like ModelSource). Apps call it from
    their AppConfig.ready(), so search/ needs to know none of them."""
    _registered[key] = factory


def get_sources():
    """Pages first, then each registered source in the order of TYPES (a fresh instance per call:
    a source may keep per-request state, such as the visiting site's province)."""
    order = [code for code, _label in TYPES]
    registered = sorted((factory() for factory in _registered.values()),
                        key=lambda source: order.index(source.type_code) if source.type_code in order else len(order))
    return [PageSource(), *registered]


def site_for(request):
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)
