"""gunicorn for the production profile: `make serve` locally, or `gunicorn -c gunicorn.conf.py portal.wsgi`.

Every value can be overridden from the environment (the names in brackets)."""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or "{}:{}".format(os.environ.get("HOST", "127.0.0.1"),
                                                     os.environ.get("PORT", "8000"))
# Sync workers, the usual 2 × cores + 1: requests are short and database-bound.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and its worker replaced (large imports run in the
# task worker, not here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that slow leaks cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application once in the master, so a broken configuration stops the start at once.
preload_app = True
# Access log to stdout, error log to stderr (the application's own JSON request log also goes to stderr).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-request-id}o)s"'
# The reverse proxy that sets X-Forwarded-Proto (see docs/deployment.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "birth-defect-portal"


def post_fork(server, worker):
    # Database connections must not be shared across the fork made after preload_app.
    from django.db import connections

    connections.close_all()
