"""The page cache's *generation*, kept in the shared cache: any saved or deleted public content
starts a new one (portal/pagecache.py bumps it), so whatever is cached under it for anonymous
visitors — whole pages, API answers, search answers (search/answers.py) — is stale from then on.
It lives here, below the apps, so that an app can cache under it without importing the project."""

import logging

from django.conf import settings

from .generations import Generation

logger = logging.getLogger("portal.cache")

GENERATION_KEY = "pagecache:generation"


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


_pages = Generation(GENERATION_KEY, logger)


def generation() -> int | None:
    """The current generation, or None when the cache cannot be reached (then nothing is cached)."""
    return _pages.current()


def advance() -> None:
    """Start a new generation: everything cached for anonymous visitors is stale from now on."""
    _pages.advance()
