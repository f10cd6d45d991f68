"""The portal's URLs plus public media served from MEDIA_ROOT, as the web server does in production
(read at request time: each test has its own MEDIA_ROOT)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from portal.urls import urlpatterns as portal_urlpatterns


def public_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", public_media), *portal_urlpatterns]
