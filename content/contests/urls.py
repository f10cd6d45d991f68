from django.urls import path

from . import views

urlpatterns = [
    # Not under /contests/: that is the page tree, where a contest could be given the slug "files".
    path("contest-files/<uuid:key>/", views.entry_file, name="contests_entry_file"),
    path("contest-files/<uuid:key>/preview.png", views.entry_file_preview, name="contests_entry_file_preview"),
    path("contest-files/held/<path:name>", views.held_media, name="contests_held_media"),
]
