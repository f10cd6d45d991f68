"""Demo media made on the fly (no binary files in the repository): images drawn with Pillow and a
one-page PDF, stored as Wagtail images and documents. Idempotent by title."""

import io
import zlib
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents.models import Document
from wagtail.images.models import Image

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
]


def _font(size):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None  # no CJK font on this machine: draw shapes only


def demo_image(title, lines=(), size=(1200, 800), colour=(11, 95, 86)) -> Image:
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", size, (243, 247, 246))
    draw = ImageDraw.Draw(canvas)
    width, height = size
    draw.rectangle([0, 0, width, height // 5], fill=colour)
    for step in range(5):
        x = 80 + step * (width - 160) // 5
        draw.ellipse([x, height // 2 - 60, x + 120, height // 2 + 60], outline=colour, width=10)
    big, small = _font(56), _font(34)
    if big:
        draw.text((60, height // 10 - 34), title[:18], font=big, fill="white")
        for number, line in enumerate(lines[:6]):
            draw.text((80, height // 2 + 110 + number * 48), line, font=small, fill=(26, 26, 26))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    image = Image(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"demo-{zlib.crc32(title.encode())}.png")
    image.save()
    return image


def demo_pdf(title, text="Sample document") -> Document:
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    document = Document(title=title)
    document.file.save(f"demo-{zlib.crc32(title.encode())}.pdf", ContentFile(body), save=False)
    document.save()
    return document
