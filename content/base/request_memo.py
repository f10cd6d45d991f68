"""What one request asks the database for many times over, asked once per request.

A page's header, its body and the template tags it includes each want the site a page belongs to,
that site's settings (``SiteSettings.for_site`` remembers them here) and the list of private
sections (Wagtail's ``PageQuerySet.public()`` reads every view restriction again on each call;
``Page.get_site()`` and ``SiteSettings.for_site()`` query on each call). ``RequestMemoMiddleware``
opens a memo for the request and drops it when the response is ready, so nothing kept here outlives
the request and none of it can go stale; outside
a request (management commands, tasks, the shell) every call asks the database as before."""

from contextvars import ContextVar

from django.db.models import Q

_memo: ContextVar[dict | None] = ContextVar("portal_request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def remembered(key, compute):
    """``compute()``, once per request for the same key."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(*keys):
    """Drop what this request remembered under these keys (after it changed them itself)."""
    memo = _memo.get()
    if memo is not None:
        for key in keys:
            memo.pop(key, None)


def all_sites() -> list:
    """Every site with its root page, the default site first."""
    from wagtail.models import Site

    return remembered("sites", lambda: list(
        Site.objects.select_related("root_page").order_by("-is_default_site", "site_name")))


def default_site():
    return next((site for site in all_sites() if site.is_default_site), None)


def page_site(page):
    """``page.get_site()`` without its query: the site root paths are Wagtail's cached ones, the site
    comes from this request's list of sites."""
    url_parts = page.get_url_parts()
    if url_parts is None:
        return None
    site_id = url_parts[0]
    return next((site for site in all_sites() if site.pk == site_id), None)


def _private_sections() -> list[tuple[str, int]]:
    from wagtail.models import PageViewRestriction

    return remembered("private_sections", lambda: list(
        PageViewRestriction.objects.values_list("page__path", "page__depth").distinct()))


def public(pages):
    """``pages.public()``: the pages outside every section with a view restriction (login, password,
    groups), reading the restrictions once per request."""
    private = Q()
    for path, depth in _private_sections():
        private |= Q(path__startswith=path, depth__gte=depth)
    return pages.exclude(private) if private else pages
