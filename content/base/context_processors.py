from wagtail.models import Site

from .navigation import site_sections
from .request_memo import all_sites

TEXT_SIZE_COOKIE = "text_size"


def portal(request):
    """Large-text mode (适老化), the main navigation and the sister provincial sites, for every template."""
    current = Site.find_for_request(request)
    sections = site_sections(current, request)
    others = [site for site in all_sites() if current is None or site.pk != current.pk]
    return {
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "current_site": current,
        "nav_sections": sections["own"],
        "shared_sections": sections["shared"],
        "other_sites": others,
    }
