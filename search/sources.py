"""What site search searches: each source is a model (or Wagtail's page tree) that knows how to
list its public objects and how to present one as a result. Models are looked up by label, so
search/ works whatever feature apps are installed, and a content type the portal does not have
yet simply contributes nothing."""

from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError
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
        return _search_backend_hits(backend, query, queryset, limit, self.type_of, self.title_of)

    def queryset(self, site):
        qs = Page.objects.live().public().filter(depth__gt=1)
        if site is not None:
            qs = qs.descendant_of(site.root_page, inclusive=True)
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


class FacilitySource:
    """Licensed facilities, found by the facilities app's own search (content/facilities/search:
    names, addresses, regions and services with their aliases), which chooses its database or
    Elasticsearch backend. Asked once per query concept, with the words as typed."""

    key = "facilities"
    type_code = "facility"
    # A facility matches a concept mostly through a service it offers, which is what the
    # concept is *about* rather than a text using the word: ranked like a broader synonym.
    body_weight = 0.6
    # How rare a word is, is a property of the texts: the hundreds of facilities offering a
    # service would make every service word look common.
    counts_for_idf = False
    # The visiting site's province first among equally relevant facilities (唐筛 on the Beijing site
    # lists Beijing's facilities before Sichuan's), without hiding the others.
    own_province_bonus = 1.0
    province_prefix = ""

    @property
    def model(self):
        try:
            return apps.get_model("facilities", "Facility")
        except LookupError:
            return None

    def queryset(self, site):
        model = self.model
        if model is None:
            return None
        qs = model._default_manager.all()
        self.province_prefix = _site_province_prefix(site)
        return qs.licence_current() if hasattr(qs, "licence_current") else qs

    def type_of(self, obj) -> str:
        return self.type_code

    def title_of(self, obj) -> str:
        return obj.name

    def find(self, backend, query, queryset, *, tier_index, label, limit):
        if tier_index != 0:
            return []
        # The same words come back on every keystroke of a search-as-you-type session and in
        # many queries: keep each word's facilities for a while (a facility edit bumps the version).
        from hashlib import sha1

        from django.core.cache import cache

        from search.lexicon import VERSION_KEY

        key = (f"portal_search:facilities:{cache.get(VERSION_KEY, 0)}:{self.province_prefix}:"
               f"{sha1(label.encode()).hexdigest()}")
        rows = cache.get(key)
        if rows is None:
            rows = self._search(label, limit)
            cache.set(key, rows, 120)
        return [Found(pk, name, self.type_code, score, other) for pk, name, score, other in rows]

    def _search(self, label, limit):
        try:
            from content.facilities.search import FacilityQuery, search
        except ImportError:
            return []
        result = search(FacilityQuery(q=label, page_size=min(limit, 100)))
        if result.partial:
            return []
        ids = [hit.facility_id for hit in result.hits]
        found = {pk: (name, region) for pk, name, region in
                 self.model._default_manager.filter(pk__in=ids).values_list("pk", "name", "region_id")}
        rows = []
        for rank, hit in enumerate(result.hits):
            if hit.facility_id in found:
                name, region = found[hit.facility_id]
                score = abs(float(hit.score or 0) or 1.0 / (rank + 1))
                other = bool(self.province_prefix) and not str(region).startswith(self.province_prefix)
                if self.province_prefix and not other:
                    score += self.own_province_bonus
                rows.append((hit.facility_id, name, score, other))
        return rows

    def load(self, pks, request):
        items = {}
        for facility in self.model._default_manager.filter(pk__in=pks).select_related("region"):
            url = facility.get_absolute_url() if hasattr(facility, "get_absolute_url") else f"/facilities/{facility.pk}/"
            services = getattr(facility, "services_text", "")
            services = services() if callable(services) else services
            text = " ".join(part for part in (getattr(facility, "address", ""), services) if part)
            items[facility.pk] = Item(self.type_code, facility.name, url, text,
                                      self._other_province_name(facility.region_id))
        return items

    def _other_province_name(self, region_code) -> str:
        """The province's name when the facility is outside the visiting site's province, else ''."""
        code = str(region_code or "")
        if not self.province_prefix or not code or code.startswith(self.province_prefix):
            return ""
        regions = apps.get_model("facilities", "Region")._default_manager
        region = regions.filter(code=code[:2] + "0000").first()
        return region.name if region else code[:2] + "0000"


def _site_province_prefix(site) -> str:
    """The two-digit prefix of the site's province (SiteSettings.province_code), or ''."""
    if site is None:
        return ""
    try:
        code = apps.get_model("base", "SiteSettings").for_site(site).province_code or ""
    except (LookupError, DatabaseError):
        return ""
    return code[:2] if code[:2].isdigit() else ""


def get_sources():
    return [
        PageSource(),
        ModelSource("core_messages", "core_messages.CoreMessage", "core_message", "statement", {"live": True}),
        FacilitySource(),
    ]


def site_for(request):
    if request is None:
        return Site.objects.filter(is_default_site=True).first()
    return Site.find_for_request(request)
