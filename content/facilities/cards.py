"""The share image of a facility page (Open Graph / WeChat preview): 1200×630 PNG with the name,
address, phone and a QR code back to the page, drawn with Pillow on request and cached."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.cache import cache
from django.http import Http404, HttpResponse
from PIL import Image, ImageDraw, ImageFont

from content.base.qr import qr_png

FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]


def _font(size: int):
    for candidate in FONTS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def share_image(facility, url: str) -> bytes:
    canvas = Image.new("RGB", (1200, 630), (243, 247, 246))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, 1200, 120], fill=(11, 95, 86))
    draw.text((56, 36), "持证机构 · 出生缺陷防治", font=_font(40), fill="white")
    draw.text((56, 170), facility.name[:22], font=_font(56), fill=(26, 26, 26))
    lines = [facility.address[:28], "、".join(facility.phone_list[:2]),
             "、".join(fs.service.name for fs in facility.offered_services[:4])]
    for number, line in enumerate(line for line in lines if line):
        draw.text((56, 270 + number * 56), line, font=_font(34), fill=(40, 55, 52))
    code = Image.open(io.BytesIO(qr_png(url, scale=8))).convert("RGB")
    code = code.resize((340, 340), Image.NEAREST)
    canvas.paste(code, (1200 - 340 - 56, 630 - 340 - 56))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def share_image_response(page, request, facility_id: int) -> HttpResponse:
    from .records import Facility

    facility = Facility.objects.prefetch_related("facility_services__service").filter(pk=facility_id).first()
    if facility is None:
        raise Http404("No such facility")
    url = request.build_absolute_uri(page.facility_url(facility.pk, request))
    key = f"facility-share:{facility.pk}:{facility.updated_at.timestamp()}:{url}"
    content = cache.get(key)
    if content is None:
        content = share_image(facility, url)
        cache.set(key, content, 24 * 3600)
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
