"""The first page of a PDF entry file as a PNG, so reviewers and organisers see a PDF poster inline
as they see an image one. Rendered by PDFium (pypdfium2) on first view and kept beside the file in
private storage (`contests/previews/<key>.png`); deleted with the file."""

import io
import logging
import math

from django.core.files.base import ContentFile

from .storage import get_private_storage

logger = logging.getLogger(__name__)

FOLDER = "contests/previews"
MAX_WIDTH = 1200  # pixels: enough for a poster on a review screen
MAX_PIXELS = 4_000_000  # a page of absurd proportions is scaled down, never rendered huge


def preview_path(entry_file):
    return f"{FOLDER}/{entry_file.key}.png"


def render_first_page(data: bytes) -> bytes | None:
    """The PNG of the first page, or None when PDFium cannot read the file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        width, height = page.get_size()  # points (1/72 inch)
        if width <= 0 or height <= 0:
            return None
        scale = min(2.0, MAX_WIDTH / width, math.sqrt(MAX_PIXELS / (width * height)))
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()


def first_page_png(entry_file) -> bytes | None:
    """The cached preview of a PDF entry file, rendered now if it is not there yet."""
    if entry_file.kind != "pdf":
        return None
    storage = get_private_storage()
    path = preview_path(entry_file)
    if storage.exists(path):
        with storage.open(path, "rb") as handle:
            return handle.read()
    with entry_file.file.open("rb") as handle:
        png = render_first_page(handle.read())
    if png is None:
        logger.warning("no preview for PDF entry file %s: PDFium cannot read it", entry_file.key)
        return None
    storage.save(path, ContentFile(png))
    return png


def delete_preview(entry_file):
    get_private_storage().delete(preview_path(entry_file))
