"""The page cache's *generation*, kept in the shared cache: any saved or deleted public content
starts a new one (portal/pagecache.py bumps it), so whatever is cached under it for anonymous
visitors — whole pages, API answers, search answers (search/answers.py) — is stale from then on.
It lives here, below the apps, so that an app can cache under it without importing the project."""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("portal.cache")

GENERATION_KEY = "pagecache:generation"


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def generation() -> int | None:
    """The current generation, or None when the cache cannot be reached (then nothing is cached)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception as exc:  # a non-redis backend that raises: treat as unavailable
        logger.warning("page cache unavailable: %s", exc)
        return None
