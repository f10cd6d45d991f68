"""Site-wide middleware: request ids and one JSON log line per request, the CSP per path and
Permissions-Policy."""

import logging
import re
import time
import uuid

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import connections

request_logger = logging.getLogger("portal.requests")
slow_query_logger = logging.getLogger("portal.slow_queries")

# A caller-supplied id (from the reverse proxy) is kept only if it looks like one: no log injection.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane), returns it, and logs one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        timer = QueryTimer(request.id)
        with connections["default"].execute_wrapper(timer):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": str(user.pk) if user is not None and user.is_authenticated else "anonymous",
                "queries": timer.count,
                "cache": response.get("X-Cache", ""),
            },
        )
        return response


class QueryTimer:
    """A database execute wrapper: counts a request's queries and logs any slower than SLOW_QUERY_MS."""

    def __init__(self, request_id):
        self.request_id = request_id
        self.count = 0
        self.threshold = settings.SLOW_QUERY_MS / 1000

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            if elapsed >= self.threshold:
                slow_query_logger.warning(
                    "slow query",
                    extra={
                        "request_id": self.request_id,
                        "duration_ms": round(elapsed * 1000, 1),
                        "sql": sql[:2000],
                        "vendor": context["connection"].vendor,
                    },
                )


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with one exception: the Wagtail admin's own widgets (date pickers, inline panels)
    render inline <script>s that carry no nonce, so under /admin/ scripts may be inline. Everything
    else (sources, objects, frames, forms, base) is as strict there as on the public site, where
    scripts need the per-request nonce."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(tuple(settings.CSP_INLINE_SCRIPT_PREFIXES)):
            # A nonce in the header would make browsers ignore 'unsafe-inline'.
            parts.nonce = None
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page here uses (geolocation stays for 离我最近)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
