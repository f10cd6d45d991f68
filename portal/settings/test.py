"""The test suite: the same apps as production, fast hashing, mail kept in memory."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "content.contests.storage.MediaStorage"},  # MEDIA_ROOT; awarded works held apart
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that exercise the page cache or login throttling turn them on themselves.
PAGE_CACHE_SECONDS = 0
AXES_ENABLED = False  # Client.login() passes no request, which django-axes needs
# WhiteNoise serves from the apps' folders here (WHITENOISE_USE_FINDERS) and warns when STATIC_ROOT
# does not exist yet, as on a fresh clone.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
