"""Site-wide views: the health check, the large-text switch and the error pages."""

import logging

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from content.base.context_processors import TEXT_SIZE_COOKIE

logger = logging.getLogger(__name__)


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the site cannot serve
        logger.error("health check: database unreachable: %s", exc)
        return {"status": "down", "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def search_state() -> dict:
    from search.health import search_backend_state

    return search_backend_state()


@never_cache
def healthz(request):
    """200 while the site can serve pages (a degraded search falls back to the database), else 503."""
    database = database_state()
    search = search_state()
    if database["status"] != "ok":
        status = "down"
    elif search["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "search": search},
        status=503 if status == "down" else 200,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
@require_POST
def set_text_size(request):
    """The 大字版 switch: a plain form post, so it works without JavaScript.

    Exempt from CSRF on purpose: it only sets a display cookie and redirects on-site, and a CSRF
    token in the header of every page would make every public page per-visitor (uncacheable)."""
    size = request.POST.get("size")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if size == "large":
        response.set_cookie(TEXT_SIZE_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE)
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: they may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
