"""The main navigation and the home page's section cards: the live, public, in-menu children of a
site's root, with what their links and cards show. Building them takes a query per section page type
(their introductions live on the specific models), so they are kept per content version
(``content_version.cached``): a published, moved, hidden or restricted section shows on the next
request."""

from .content_version import cached
from .request_memo import default_site, public


def _entry(page, request) -> dict:
    return {
        "title": page.title,
        "url": page.get_url(request=request),
        "path": page.path,
        "summary": page.search_description or getattr(page, "introduction", ""),
        "site_name": "",
    }


def _children(parent):
    return list(public(parent.get_children().live().in_menu()).specific())


def _build(site, request) -> dict:
    own = _children(site.root_page)
    default = default_site()
    shared = []
    if not site.is_default_site and default is not None:
        # The default site's sections a smaller site lacks (the Sichuan demo has no library or campaigns
        # of its own): linked, not copied, so one editorial team keeps them.
        own_slugs = {page.slug for page in own}
        for page in _children(default.root_page):
            if page.slug not in own_slugs:
                entry = _entry(page, request)
                entry["site_name"] = default.site_name
                shared.append(entry)
    return {"own": [_entry(page, request) for page in own], "shared": shared}


def site_sections(site, request) -> dict:
    """{"own": [...], "shared": [...]} for ``site`` as seen from ``request`` (links to another site's
    sections are absolute)."""
    if site is None:
        return {"own": [], "shared": []}
    return cached(f"navigation:{site.pk}", lambda: _build(site, request))


def child_sections(page, request) -> list[dict]:
    """The in-menu children of a page that is not a site root (a second home page)."""
    return cached(f"sections:{page.pk}:{request.get_host()}", lambda: [_entry(p, request) for p in _children(page)])
