"""The anonymous page cache: public GET pages and API answers served from the shared cache.

Keys carry a *generation* kept in the cache; any saved or deleted content (a page published, a
snippet, a site setting, a facility, a core message, an image…) bumps it, so the next request
renders afresh. Only anonymous requests are cached, only plain 200 answers that set no cookie and
hold nothing of one visitor's (CSRF token, flash message). A cache that fails (Redis down or
slow) is a miss: the site serves uncached and django-redis logs it
(DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS).

Why not Django's own cache middleware: it keys on `Vary: Cookie`, which every page sends once the
session is looked at, so it cached one copy per visitor; and it has no purge. wagtail-cache does not support
Wagtail 8 (it requires wagtail<8)."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from content.base.context_processors import TEXT_SIZE_COOKIE
from content.base.page_generation import advance, enabled, generation
from content.base.signals import content_changed

logger = logging.getLogger("portal.cache")

# Content whose change can show on a public page or in the public API.
WATCHED_APPS = {
    "base",
    "facilities",
    "core_messages",
    "library",
    "campaigns",
    "contests",
    "targets",
    "portal_search",  # the search app's label: editors' synonyms change what searches find
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "wagtailembeds",
    "taggit",
}
# Models written while serving or editing drafts, which no public page shows.
IGNORED_MODELS = {
    "portal_search.searchmiss",
    "wagtailsearchpromotions.query",
    "wagtailsearchpromotions.querydailyhits",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pageviewrestriction",
    "wagtailimages.rendition",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailsearch.indexentry",
}
HEADERS_KEPT = ("Content-Type", "Content-Language", "Content-Disposition", "Last-Modified", "ETag", "Link")


def purge(**_kwargs) -> None:
    """Start a new generation: every cached page is stale from now on."""
    if enabled():
        advance()


def _content_changed(sender, **_kwargs):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in WATCHED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    purge()
    # Again once the transaction commits, so a request that rendered the old data in between
    # cannot leave it cached under the new generation.
    transaction.on_commit(purge)


def connect_signals():
    post_save.connect(_content_changed, dispatch_uid="pagecache_post_save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache_post_delete")
    m2m_changed.connect(_content_changed, dispatch_uid="pagecache_m2m")
    content_changed.connect(_content_changed, dispatch_uid="pagecache_bulk_change")


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDE_PREFIXES)):
        return False
    # Anyone with a session (signed in, or an entrant in the middle of a contest form) is served
    # live; this also spares anonymous requests from loading a session at all.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _key(request, gen) -> str:
    variant = request.COOKIES.get(TEXT_SIZE_COOKIE, "")  # 大字版 renders differently
    raw = f"{request.get_host()}|{request.get_full_path()}|{variant}"
    return f"pagecache:{gen}:{hashlib.sha256(raw.encode()).hexdigest()}"


class FetchPageCacheMiddleware:
    """Placed after authentication: answers an anonymous request from the cache when it can."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        gen = generation()
        if gen is None:
            return self.get_response(request)
        key = _key(request, gen)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            request._page_cache_hit = True
            return response
        request._page_cache_key = key
        return self.get_response(request)


class UpdatePageCacheMiddleware:
    """Placed before sessions, so it sees the answer after CSRF and sessions have had their say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_page_cache_hit", False):
            return response
        key = getattr(request, "_page_cache_key", None)
        if key is None:
            return response
        response["X-Cache"] = "MISS"
        if self._storable(request, response):
            headers = [(name, response[name]) for name in HEADERS_KEPT if name in response]
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the page holds a CSRF token: it belongs to one visitor
        messages = getattr(request, "_messages", None)
        if messages is not None and getattr(messages, "_loaded_data", None):
            return False  # a flash message for this visitor
        cache_control = response.get("Cache-Control", "").lower()
        if "private" in cache_control or "no-cache" in cache_control or "no-store" in cache_control:
            return False
        # A page that used the CSP nonce must not be replayed with someone else's nonce.
        if getattr(request, "_csp_nonce", None):
            return False
        return getattr(request, "user", None) is None or not request.user.is_authenticated
