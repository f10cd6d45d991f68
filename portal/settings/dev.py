"""Local development (`make run`): a fixed throw-away key unless one is given.

DEBUG is off unless DEBUG=1 is set: a mistyped public URL shows the portal's own Chinese 404, not
Django's English debug page listing every URL pattern (static files and media are served anyway)."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "0") == "1"
SERVE_MEDIA = True
DEMO_CONTENT_ALLOWED = True  # load_demo's guard is for production databases
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "sichuan.localhost", "[::1]", "testserver"]  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
# WhiteNoise serves from the apps' folders here (WHITENOISE_USE_FINDERS) and warns when STATIC_ROOT
# does not exist yet, as on a fresh clone.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
