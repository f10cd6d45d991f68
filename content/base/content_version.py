"""A version number for the published page tree, kept in the shared cache: any saved, moved or deleted
page, view restriction, site or site setting (and a bulk change announced with ``content_changed``)
starts a new version. What is derived from the tree (the main navigation, the home page's section
cards) is cached under the version, so the first request after a change builds it afresh and the
old copies simply expire."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .generations import Generation
from .signals import content_changed

logger = logging.getLogger(__name__)

KEY = "content:version"
# A safety net only: the version, not the timeout, is what keeps the copies current.
TIMEOUT = 60 * 60


_version = Generation(KEY, logger)


def current() -> int | None:
    """The version, or None when the cache cannot be reached (then nothing is cached)."""
    return _version.current()


def bump(**_kwargs) -> None:
    _version.advance()


def cached(key: str, compute):
    """``compute()`` cached for the current content version."""
    version = current()
    if version is None:
        return compute()
    full_key = f"content:{version}:{key}"
    try:
        value = cache.get(full_key)
    except Exception:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, TIMEOUT)
        except Exception as exc:
            logger.warning("content cache write failed: %s", exc)
    return value


def _watched(sender) -> bool:
    from wagtail.models import Page, PageViewRestriction, Site

    if not isinstance(sender, type):
        return False
    return issubclass(sender, (Page, PageViewRestriction, Site)) or sender._meta.label_lower == "base.sitesettings"


def _changed(sender, **_kwargs):
    if not _watched(sender):
        return
    bump()
    # Again once the transaction commits, so a request that read the old tree in between cannot
    # leave it cached under the new version.
    transaction.on_commit(bump)


def _bulk_changed(sender, **_kwargs):
    bump()
    transaction.on_commit(bump)


def connect_signals():
    from wagtail.signals import post_page_move

    post_save.connect(_changed, dispatch_uid="content_version_post_save")
    post_delete.connect(_changed, dispatch_uid="content_version_post_delete")
    post_page_move.connect(_bulk_changed, dispatch_uid="content_version_page_moved")
    content_changed.connect(_bulk_changed, dispatch_uid="content_version_bulk_change")
