import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone: str) -> str:
    """010-6507 4657 → tel:01065074657 (an extension after 转 is dropped)."""
    number = re.split(r"[转xX#]", phone or "", maxsplit=1)[0]
    return "tel:" + re.sub(r"[^\d+]", "", number)


@register.filter
def km(value) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"
