from wagtail.models import Site

TEXT_SIZE_COOKIE = "text_size"


def portal(request):
    """Large-text mode (适老化), the main navigation and the sister provincial sites, for every template."""
    current = Site.find_for_request(request)
    nav_sections = []
    if current is not None:
        nav_sections = current.root_page.get_children().live().public().in_menu()
    others = [site for site in Site.objects.order_by("-is_default_site", "site_name")
              if current is None or site.pk != current.pk]
    return {
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "current_site": current,
        "nav_sections": nav_sections,
        "other_sites": others,
    }
