from wagtail.models import Site

from .request_memo import all_sites, public

TEXT_SIZE_COOKIE = "text_size"


def sections_shared_with(site, own_sections, default):
    """The default site's menu sections a smaller site lacks (the Sichuan demo has no library or campaigns of
    its own): linked, not copied, so one editorial team keeps them."""
    if site.is_default_site or default is None:
        return []
    own_slugs = {page.slug for page in own_sections}
    return [page for page in public(default.root_page.get_children().live().in_menu()).specific()
            if page.slug not in own_slugs]


def portal(request):
    """Large-text mode (适老化), the main navigation and the sister provincial sites, for every template."""
    current = Site.find_for_request(request)
    sites = all_sites()
    default = next((site for site in sites if site.is_default_site), None)
    nav_sections = []
    shared_sections = []
    if current is not None:
        nav_sections = public(current.root_page.get_children().live().in_menu())
        shared_sections = sections_shared_with(current, nav_sections, default)
    others = [site for site in sites if current is None or site.pk != current.pk]
    return {
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "current_site": current,
        "nav_sections": nav_sections,
        "shared_sections": shared_sections,
        "other_sites": others,
    }
