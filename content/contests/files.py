"""Checks on an uploaded entry file: its type by content (never by name), its size, and for images,
that Pillow can read it and it is not a decompression bomb."""

import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

# filetype's extension → the kind we store; anything else is refused.
KINDS = {
    "pdf": "pdf",
    "docx": "docx",
    "pptx": "pptx",
    "jpg": "jpg",
    "png": "png",
    "webp": "webp",
    "mp4": "mp4",
}
IMAGE_KINDS = {"jpg", "png", "webp"}
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (docx)",
    "pptx": "PowerPoint (pptx)",
    "jpg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "mp4": "MP4",
}
HEAD_BYTES = 8192
# What each kind is served as: the kind was detected from the file's content when it was checked.
KIND_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "mp4": "video/mp4",
}
INLINE_KINDS = {"pdf", "jpg", "png", "webp"}  # shown in the browser; anything else is downloaded


def detect_kind(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    return KINDS.get(guess.extension)


def verify_image(uploaded, kind):
    """Pillow must read the whole image; more than CONTEST_IMAGE_MAX_PIXELS is refused before decoding."""
    max_pixels = settings.CONTEST_IMAGE_MAX_PIXELS
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise Image.DecompressionBombError(f"{width}×{height}")
                image.verify()
            uploaded.seek(0)
            with Image.open(uploaded) as image:
                image.load()  # verify() does not decode; load() finds truncated data
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("“%(name)s” has too many pixels (at most %(max)s million). Please reduce the image size."),
            code="image_too_large",
            params={"name": uploaded.name, "max": max_pixels // 1_000_000},
        ) from None
    except Exception:  # Pillow raises many types for damaged files
        raise ValidationError(
            _("“%(name)s” is not a readable image."), code="bad_image", params={"name": uploaded.name}
        ) from None
    finally:
        uploaded.seek(0)


def validate_upload(uploaded, allowed_kinds) -> str:
    """The file's kind, or a ValidationError in Chinese saying what is wrong with it."""
    kind = detect_kind(uploaded)
    allowed_labels = "、".join(KIND_LABELS[k] for k in allowed_kinds)
    if kind is None or kind not in allowed_kinds:
        raise ValidationError(
            _(
                "“%(name)s” is not an accepted file type for this category (accepted: %(allowed)s). "
                "The type is read from the file's content, not its name."
            ),
            code="bad_type",
            params={"name": uploaded.name, "allowed": allowed_labels},
        )
    limit = settings.CONTEST_UPLOAD_MAX_BYTES[kind]
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; %(kind)s files may be at most %(limit)s."),
            code="too_big",
            params={
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "kind": KIND_LABELS[kind],
                "limit": filesizeformat(limit),
            },
        )
    if kind in IMAGE_KINDS:
        verify_image(uploaded, kind)
    return kind
