import json

from django import template
from django.utils.safestring import mark_safe
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException
from wagtail.models import Site

from content.base.request_memo import default_site, public
from content.library.models import ResourceIndexPage, ResourcePage

register = template.Library()

# json.dumps leaves these as-is; inside <script> they could end it or start a comment.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """A dict as a schema.org JSON-LD script element."""
    text = json.dumps(data, ensure_ascii=False, indent=None, default=str).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@register.simple_tag
def video_embed(url):
    """The platform's player for a video URL, or None when it cannot be embedded (offline, unknown)."""
    try:
        return get_embed(url)
    except (EmbedException, OSError, ValueError):
        return None


def site_library(request):
    """This site's library; a site without one (the Sichuan demo) shares the default site's."""
    site = Site.find_for_request(request) if request else None
    pages = public(ResourceIndexPage.objects.live())
    if site is None:
        return pages.first()
    own = pages.descendant_of(site.root_page).first()
    if own is not None or site.is_default_site:
        return own
    default = default_site()
    return pages.descendant_of(default.root_page).first() if default else None


@register.inclusion_tag("library/includes/latest_resources.html", takes_context=True)
def latest_resources(context, stage=None, limit=4, heading_id="latest-resources"):
    """The newest resources of this site's library (for one life stage if given)."""
    request = context.get("request")
    library = site_library(request)
    resources = ResourcePage.objects.none()
    if library is not None:
        resources = library.resources()
        if stage is not None:
            resources = resources.filter(life_stages=stage)
        resources = resources.order_by("-date_published", "-pk")[:limit]
    return {"request": request, "library": library, "resources": resources, "stage": stage,
            "heading_id": heading_id}
