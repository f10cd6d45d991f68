"""Settings shared by every profile. Everything that differs by deployment comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "portal",
    "content.base",
    "content.editorial",
    "content.facilities",
    "content.core_messages",
    "content.library",
    "content.campaigns",
    "content.targets",
    "content.contests",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "leaflet",
    "csp",
    "axes",
    # With ninja installed as an app, /api/docs/ uses its bundled Swagger UI instead of a CDN
    # (which the CSP would refuse, and which may be unreachable).
    "ninja",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves /static/ to WhiteNoise too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # its catalogue translates Wagtail's naturaltime ("3 分钟前")
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files before anything that touches the database or the session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestLogMiddleware",
    # One memo per request for the site, its settings and the private sections (content/base/request_memo.py).
    "content.base.request_memo.RequestMemoMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    # The anonymous page cache sits outside sessions and auth (see portal/pagecache.py).
    "portal.pagecache.UpdatePageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.pagecache.FetchPageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "content.base.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]


def database_from_env(default_url: str) -> dict:
    """The default database: SQLite in WAL mode with a busy timeout, or whatever DATABASE_URL names."""
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
            # on upgrade from a read to a write transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"] == "django.db.backends.postgresql":
            # Short web queries: JIT compiled a facility search's plan for 0.9 s to run it in 0.2 s, and
            # a parallel gather took 17 ms to start a 3 ms page (docs/performance.md). Settable per site.
            options = os.environ.get("POSTGRES_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0")
            config.setdefault("OPTIONS", {}).setdefault("options", options)
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A dead or slow Redis costs at most this long per call, then the site goes on uncached.
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
            },
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis outage
    # neither signs anyone out nor breaks a request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Every cache call that fails (connection refused, timeout) is logged and treated as a miss.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache"

# The anonymous page cache (portal/pagecache.py): seconds a public page may be served from the cache.
# Any published change (page, snippet, setting, facility, core message) empties it at once.
# On by default only with Redis: a per-process cache could not be purged across gunicorn workers.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))
# Never cached: the admin, the health check, anything per visitor (forms with CSRF, search
# statistics, contest status), downloads with their own checks.
PAGE_CACHE_EXCLUDE_PREFIXES = ["/admin/", "/healthz", "/search/", "/api/search/", "/contests/", "/documents/",
                               "/display/", "/django-admin/"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: the public site and the admin speak Simplified Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# locale_admin/: Chinese for the admin strings Wagtail and other packages leave untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_admin"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Files that must never be public (contest entries) live outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))

STORAGES = {
    "default": {"BACKEND": "content.contests.storage.MediaStorage"},  # MEDIA_ROOT; awarded works held apart
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves /static/ in every profile: from the apps' folders in development and tests,
# from the collected, hashed and compressed STATIC_ROOT in production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
# Public media under MEDIA_URL are served by Django only where no web server does it (make run).
SERVE_MEDIA = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
LOGIN_URL = "wagtailadmin_login"

# Admin sign-in throttling (django-axes): 5 failures for one user name from one address lock that
# pair out for 15 minutes; the lockout page is templates/axes/lockout.html.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

# Content-Security-Policy (django-csp), in every profile. Public pages run only our own scripts and
# inline ones carrying the request's nonce; the admin's exception is in portal/middleware.py.
_tile_host = os.environ.get("MAP_TILE_URL", "").split("/{", 1)[0]
_tile_origin = "/".join(_tile_host.split("/")[:3]) if _tile_host.startswith("http") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Wagtail's admin and the leaflet map set style attributes.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "frame-src": [SELF, *os.environ.get("CSP_FRAME_SRC", "").split()],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_INLINE_SCRIPT_PREFIXES = ["/admin/"]
# Browser features no page uses are switched off; geolocation stays for the finder's 离我最近.
PERMISSIONS_POLICY = {
    "camera": "()", "microphone": "()", "payment": "()", "usb": "()",
    "geolocation": "(self)",
}
# Queries slower than this are logged (logger portal.slow_queries) with the request id.
SLOW_QUERY_MS = int(os.environ.get("SLOW_QUERY_MS", "200"))

# Wagtail
WAGTAIL_SITE_NAME = _("Birth Defect Prevention Portal")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: a third-party request from every admin screen (and refused by the CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_WORKFLOW_ENABLED = True
# Slugs are ASCII (pinyin of the title, content/base/slugs.py): a Chinese slug becomes a long run of
# percent-escapes when a link is shared.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip", "ics"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "gif": "gif"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Draftail, tolerant of a forged non-JSON value (content/base/richtext.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "content.base.richtext.PlainTextTolerantDraftail"}}

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal")

# Pages: Wagtail's database backend (modelsearch) by default; Elasticsearch 8 when a cluster is named.
# Chinese analysis (segmentation, synonyms, pinyin) is applied by search/ before text reaches either.
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.pages_elasticsearch",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX_PREFIX}_",
            "TIMEOUT": 10,
        },
        # Site search falls back to this when the cluster cannot be reached (search/engine.py).
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background work: run at once in dev and test; a DB-backed worker in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "出生缺陷防治科普平台 <noreply@localhost>")

# Maps: no tile server by default, so no page shows a broken map. Set MAP_TILE_URL to enable.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# {s} in MAP_TILE_URL is replaced by one of these characters (天地图: 01234567). See docs/facilities.md.
MAP_TILE_SUBDOMAINS = os.environ.get("MAP_TILE_SUBDOMAINS", "abc")
LEAFLET_CONFIG = {"TILES": [("", MAP_TILE_URL, MAP_TILE_ATTRIBUTION)] if MAP_TILE_URL else []}

# Facilities not verified for this many days show 「信息可能已变更，请致电确认」.
FACILITY_STALE_AFTER_DAYS = 180

# Contests (content/contests): entry files are typed by content, limited per type, kept in
# PRIVATE_MEDIA_ROOT; see docs/contests.md.
CONTEST_UPLOAD_MAX_BYTES = {
    "pdf": 20 * 1024 * 1024, "docx": 20 * 1024 * 1024, "pptx": 50 * 1024 * 1024,
    "jpg": 10 * 1024 * 1024, "png": 10 * 1024 * 1024, "webp": 10 * 1024 * 1024, "mp4": 300 * 1024 * 1024,
}
CONTEST_UPLOAD_MAX_FILES = 5
CONTEST_IMAGE_MAX_PIXELS = 40_000_000  # larger images are refused as possible decompression bombs
CONTEST_ENTRY_RATE_LIMIT = (10, 3600)  # entry form posts per client address per window (seconds)
CONTEST_STATUS_RATE_LIMIT = (20, 3600)  # tracking-code look-ups per client address per window
CONTEST_CONTACT_RETENTION_DAYS = int(os.environ.get("CONTEST_CONTACT_RETENTION_DAYS", "180"))

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "changeme")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "portal": {"level": "INFO"},
        # One line per request; the production profile turns it on, as JSON.
        "portal.requests": {"level": "WARNING"},
        "content": {"level": "INFO"},
        "search": {"level": "INFO"},
        "jieba": {"level": "WARNING"},
    },
}
