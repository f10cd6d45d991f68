"""Private file storage for contest entries: outside MEDIA_ROOT, with no public URL.

Files are served only by `content.contests.views.entry_file`, which checks who is asking."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; link to the permission-checked view.")


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage
