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


# An awarded work's files in the resource library (its image and renditions, document or MP4) are
# named `award-<16 hex>…` and stay *held* — outside MEDIA_ROOT, with a permission-checked URL — until
# both its library page and its contest's results page are live (awarded_resources.sync_award_files).
# The name never changes, so page revisions keep pointing at the same file wherever it lies.
HELD_PREFIX = "award-"
HELD_STEM_LENGTH = len(HELD_PREFIX) + 16


def held_root():
    return os.path.abspath(os.path.join(str(settings.PRIVATE_MEDIA_ROOT), "held-media"))


def held_stem(name) -> str | None:
    base = os.path.basename(name or "")
    return base[:HELD_STEM_LENGTH] if base.startswith(HELD_PREFIX) else None


def _marker(stem):
    return os.path.join(held_root(), ".held", stem)


def is_held(name) -> bool:
    stem = held_stem(name)
    return stem is not None and os.path.exists(_marker(stem))


class MediaStorage(FileSystemStorage):
    """The public media storage (MEDIA_ROOT), except for held award files: those live under
    PRIVATE_MEDIA_ROOT/held-media/ and their URL is the view that checks who is asking."""

    def path(self, name):
        if is_held(name):
            from django.utils._os import safe_join

            return safe_join(held_root(), name)
        return super().path(name)

    def _save(self, name, content):
        if is_held(name):  # names stay relative to the root the file lies in
            return FileSystemStorage(location=held_root())._save(name, content)
        return super()._save(name, content)

    def url(self, name):
        if is_held(name):
            from django.urls import reverse

            return reverse("contests_held_media", args=[name])
        return super().url(name)


def set_held(stem, names, held: bool):
    """Move the files `names` (all of stem `stem`) out of or back into the public media folder."""
    import shutil

    from django.utils._os import safe_join

    public_root = os.path.abspath(str(settings.MEDIA_ROOT))
    moves = []
    for name in names:
        if held_stem(name) != stem:
            continue
        public, private = safe_join(public_root, name), safe_join(held_root(), name)
        moves.append((public, private) if held else (private, public))
    if held:  # files first, then the marker: never a moment with a public copy and a held URL
        _move_all(moves, shutil)
        os.makedirs(os.path.dirname(_marker(stem)), exist_ok=True)
        open(_marker(stem), "a").close()
    else:
        if os.path.exists(_marker(stem)):
            os.remove(_marker(stem))
        _move_all(moves, shutil)


def _move_all(moves, shutil):
    for source, target in moves:
        if os.path.exists(source):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(source, target)


def hold_new(stem):
    """Mark a stem held before its first file is saved, so the file never lands in MEDIA_ROOT."""
    set_held(stem, [], True)
