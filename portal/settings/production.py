"""Production: refuses to start without its secrets, and passes `check --deploy` cleanly."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
# Static files: collected (`manage.py collectstatic`), hashed and pre-compressed; WhiteNoise serves
# them with far-future, immutable cache headers because a changed file gets a new name.
STORAGES = {
    "default": {"BACKEND": "content.contests.storage.MediaStorage"},  # MEDIA_ROOT; awarded works held apart
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Public media from Django only when no web server in front does it (`make serve` on loopback).
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "0") == "1"
WHITENOISE_MAX_AGE = 60 * 60  # unhashed names (favicon.ico…); hashed ones are cached for ten years

if os.environ.get("EMAIL_URL"):
    # smtp://user:password@host:587 (TLS) or smtps://…:465 (SSL)
    _email = urlsplit(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL

# Background work (search indexing, e-mails) is queued in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Logs: JSON lines on stderr, one per request (portal.requests), slow queries, cache failures.
LOGGING["formatters"]["json"] = {"()": "portal.logformat.JsonFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405
LOGGING["loggers"]["portal.requests"] = {"level": "INFO"}  # noqa: F405
