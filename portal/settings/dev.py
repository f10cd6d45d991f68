"""Local development: DEBUG on, a fixed throw-away key unless one is given."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "sichuan.localhost", "[::1]", "testserver"]  # noqa: F405
INTERNAL_IPS = ["127.0.0.1"]
# WhiteNoise serves from the apps' folders here (WHITENOISE_USE_FINDERS) and warns when STATIC_ROOT
# does not exist yet, as on a fresh clone.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
