from django import template
from django.utils.safestring import mark_safe

from content.base.qr import qr_svg

register = template.Library()


@register.simple_tag
def qr_code(url, title="", scale=4):
    """{% qr_code url "扫码打开本页" %}: an inline SVG QR code of `url`."""
    if not url:
        return ""
    return mark_safe(qr_svg(str(url), scale=int(scale), title=str(title)))  # segno escapes the title
