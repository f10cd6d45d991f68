from django import template
from wagtail.models import Page

from content.base.sharing import canonical_page

register = template.Library()


@register.simple_tag
def canonical_url(page):
    """{% canonical_url page as url %}: the full address search engines should index for this page —
    the original's for an alias, or the alias that shows it when the original's own site does not."""
    if not isinstance(page, Page):
        return ""
    canonical = canonical_page(page) or page
    return canonical.full_url or ""
