from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content.base.discovery import project_app_modules
from content.base.sitemaps import SiteSitemap

from . import views
from .api import api

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("display/text-size/", views.set_text_size, name="set_text_size"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}, name="sitemap"),
]

# Feature apps' own (non-page) URLs: contest downloads, site search…
for module in project_app_modules("urls"):
    urlpatterns.append(path("", include(module)))

# /static/ is WhiteNoise's in every profile (portal/settings/base.py). Public media are the web
# server's job in production; `make run` and `make serve` (SERVE_MEDIA) serve them here. Private
# contest files live outside MEDIA_ROOT, so no URL here can reach them.
if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_file,
                {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include(wagtail_urls)))
