"""A fixed-window counter per client address in the Django cache (local memory or Redis)."""

import hashlib

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and the production proxy passes the real address as REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, request, limit: int, window: int) -> bool:
    """Count one attempt; True while the address is within `limit` attempts per `window` seconds."""
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"contests:rate:{scope}:{digest}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
