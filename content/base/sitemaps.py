"""Each site's /sitemap.xml lists the pages the site shows under their canonical address, each once
across all sites: a shared section's aliases are left out (their canonical link points to the original,
which the original's own site lists), and so are the pages a site does not show (another province's
campaign edition, which answers 404 there). docs/sites.md."""

from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page

from .provinces import pages_hidden_on, province_page_models
from .sharing import canonical_page


class SiteSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        pages = super().items()
        hidden = set(pages_hidden_on(site))
        aliases = Page.objects.descendant_of(site.root_page, inclusive=True).filter(alias_of__isnull=False)
        # An alias is canonical only where the original's own site does not show it (then the first
        # alias that shows it is): that can only happen to page types carrying provinces.
        with_provinces = aliases.type(*province_page_models()) if province_page_models() else aliases.none()
        hidden.update(aliases.exclude(pk__in=with_provinces.values("pk")).values_list("pk", flat=True))
        for alias in with_provinces.exclude(pk__in=hidden):
            canonical = canonical_page(alias)
            if canonical is None or canonical.pk != alias.pk:
                hidden.add(alias.pk)
        # The original whose own site does not show it is hidden by pages_hidden_on above.
        return pages.exclude(pk__in=hidden)
