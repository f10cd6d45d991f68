from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content.base.discovery import project_app_modules

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
    path("sitemap.xml", sitemap, name="sitemap"),
]

# Feature apps' own (non-page) URLs: contest downloads, site search…
for module in project_app_modules("urls"):
    urlpatterns.append(path("", include(module)))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
