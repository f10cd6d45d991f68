"""QR codes for printed and shared cards (segno): a phone camera opens the page the card came from."""

from __future__ import annotations

import io

import segno


def make(url: str) -> segno.QRCode:
    # Level M survives a crease or a smudge on a printed card and keeps the symbol small.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """An inline SVG (no extra request, sharp at any print size)."""
    # viewBox without a fixed size: the CSS of each card sets the printed size.
    return make(url).svg_inline(scale=scale, border=2, title=title or None, dark="#000", light="#fff", omitsize=True)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    make(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
