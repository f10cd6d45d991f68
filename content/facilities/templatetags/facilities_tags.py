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


@register.simple_tag(takes_context=True)
def finder_placeholder(context) -> str:
    """「如：武侯 婚检、锦江 唐筛」 with districts of the visiting site's own province (the two with the
    most listed facilities), so the Sichuan site never suggests a Beijing district."""
    from django.utils.translation import gettext as _

    from content.base.models import SiteSettings

    from ..query import facility_counts
    from ..regions import directory, short_forms

    request = context.get("request")
    province = SiteSettings.for_request(request).province_code if request is not None else ""
    regions = directory()
    code = regions.normalize_code(province or "") if province else None
    prefix = code[:2] if code else ""
    counts = facility_counts()
    districts = sorted((c for c in counts if len(c) == 6 and c.startswith(prefix) and c in regions.by_code),
                       key=lambda c: (-counts[c], c))[:2]
    if len(districts) < 2:
        return _("e.g. 唐筛, 无创DNA, 婚检")
    first, second = ((short_forms(regions.name(c)) or [regions.name(c)])[0] for c in districts)
    return _("e.g. %(first)s 婚检, %(second)s 唐筛") % {"first": first, "second": second}
