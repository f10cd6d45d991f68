"""The facilities as one source of site search (search/sources.py): registered by the app's
AppConfig.ready(), so search/ imports nothing of this app."""

from hashlib import sha1

from django.core.cache import cache
from django.db import DatabaseError

from content.base.models import SiteSettings
from search.sources import CONTENT_VERSION_KEY, Found, Item

from .records import Facility, Region
from .search import FacilityQuery, search


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

    model = Facility

    def queryset(self, site):
        self.province_prefix = _site_province_prefix(site)
        return Facility.objects.licence_current()

    def type_of(self, obj) -> str:
        return self.type_code

    def title_of(self, obj) -> str:
        return obj.name

    def find(self, backend, query, queryset, *, tier_index, label, limit):
        if tier_index != 0:
            return []
        # The same words come back on every keystroke of a search-as-you-type session and in
        # many queries: keep each word's facilities for a while (a facility edit bumps the version).
        key = (f"portal_search:facilities:{cache.get(CONTENT_VERSION_KEY, 0)}:{self.province_prefix}:"
               f"{sha1(label.encode()).hexdigest()}")
        rows = cache.get(key)
        if rows is None:
            rows = self._search(label, limit)
            cache.set(key, rows, 120)
        return [Found(pk, name, self.type_code, score, other) for pk, name, score, other in rows]

    def _search(self, label, limit):
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
        for facility in (self.model._default_manager.filter(pk__in=pks).select_related("region")
                         .prefetch_related("facility_services__service")):
            url = f"/facilities/{facility.pk}/"  # the finder's sub-route on the visiting site
            text = " ".join(part for part in (facility.address, facility.services_text) if part)
            items[facility.pk] = Item(self.type_code, facility.name, url, text,
                                      self._other_province_name(facility.region_id))
        return items

    def _other_province_name(self, region_code) -> str:
        """The province's name when the facility is outside the visiting site's province, else ''."""
        code = str(region_code or "")
        if not self.province_prefix or not code or code.startswith(self.province_prefix):
            return ""
        region = Region.objects.filter(code=code[:2] + "0000").first()
        return region.name if region else code[:2] + "0000"


def _site_province_prefix(site) -> str:
    """The two-digit prefix of the site's province (SiteSettings.province_code), or ''."""
    if site is None:
        return ""
    try:
        code = SiteSettings.for_site(site).province_code or ""
    except DatabaseError:
        return ""
    return code[:2] if code[:2].isdigit() else ""
