"""A generation: a number kept in the shared cache that derived copies are cached under. A change
advances it, so the old copies are never read again and simply expire. A cache that cannot be
reached gives no generation (then nothing is cached) and a failed advance is logged, never raised."""

import logging

from django.core.cache import cache


class Generation:
    def __init__(self, key: str, logger: logging.Logger):
        self.key, self.logger = key, logger

    def current(self) -> int | None:
        try:
            value = cache.get(self.key)
            if value is None:
                cache.add(self.key, 1, timeout=None)
                value = cache.get(self.key)
            return value
        except Exception as exc:  # a backend that raises rather than misses
            self.logger.warning("%s unavailable: %s", self.key, exc)
            return None

    def advance(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # none yet (or evicted): any new one differs from the cached keys
            cache.set(self.key, 2, timeout=None)
        except Exception as exc:
            self.logger.warning("%s not advanced: %s", self.key, exc)
