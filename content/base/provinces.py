"""Which provinces a piece of content applies to: a list of provincial division codes, empty meaning
national. A site shows national content and its own province's (SiteSettings.province_code), never
another province's claims (docs/sites.md)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"^\d{2}0000$")


def parse_codes(value) -> list[str]:
    return [code for code in re.split(r"[\s,，、;；]+", value or "") if code]


def validate_province_codes(value):
    bad = [code for code in parse_codes(value) if not CODE.match(code)]
    if bad:
        message = _("Not a provincial division code: %(codes)s (e.g. 110000 Beijing, 510000 Sichuan)")
        raise ValidationError(message % {"codes": "、".join(bad)})


class ProvincesField(models.CharField):
    """Provincial division codes separated by spaces; blank = national."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("Provinces"))
        kwargs.setdefault("max_length", 250)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("help_text", _("Division codes of the provinces this applies to, e.g. 510000 for "
                                         "Sichuan; leave empty when it applies nationally."))
        kwargs.setdefault("validators", [validate_province_codes])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = " ".join(parse_codes(getattr(model_instance, self.attname)))
        setattr(model_instance, self.attname, value)
        return value


def applies_q(province_code, field="provinces") -> Q:
    """National content, and the given province's."""
    national = Q(**{field: ""})
    if not province_code:
        return national
    return national | Q(**{f"{field}__contains": province_code[:2] + "0000"})


def applies_to(obj, province_code, field="provinces") -> bool:
    codes = parse_codes(getattr(obj, field, ""))
    return not codes or bool(province_code) and province_code[:2] + "0000" in codes


def site_province(site) -> str:
    """The site's province code (SiteSettings), or ''."""
    if site is None:
        return ""
    from .models import SiteSettings

    return SiteSettings.for_site(site).province_code or ""  # once per request (SiteSettings.for_site)


def request_province(request) -> str:
    from wagtail.models import Site

    from .request_memo import default_site

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = default_site()
    return site_province(site)


# Provincial-level divisions by the names texts use for them (for inferring the province of existing
# content that names one).
PROVINCE_NAMES = {
    "110000": "北京", "120000": "天津", "130000": "河北", "140000": "山西", "150000": "内蒙古",
    "210000": "辽宁", "220000": "吉林", "230000": "黑龙江", "310000": "上海", "320000": "江苏",
    "330000": "浙江", "340000": "安徽", "350000": "福建", "360000": "江西", "370000": "山东",
    "410000": "河南", "420000": "湖北", "430000": "湖南", "440000": "广东", "450000": "广西",
    "460000": "海南", "500000": "重庆", "510000": "四川", "520000": "贵州", "530000": "云南",
    "540000": "西藏", "610000": "陕西", "620000": "甘肃", "630000": "青海", "640000": "宁夏",
    "650000": "新疆", "710000": "台湾", "810000": "香港", "820000": "澳门",
}


def infer_provinces(*texts) -> str:
    """The one province the texts name (四川全面实施… → 510000), or '' (national) when they name none
    or several (北京、四川都提出… is about both, so it stays national)."""
    text = " ".join(t or "" for t in texts)
    named = [code for code, name in PROVINCE_NAMES.items() if name in text]
    return named[0] if len(named) == 1 else ""


# Pages that carry provinces (campaign editions) ----------------------------------------------------


def province_page_models() -> list:
    """The page models with a ProvincesField of their own (a subclass is covered by its parent's query)."""
    from wagtail.models import get_page_models

    found = []
    for model in get_page_models():
        field = next((f for f in model._meta.concrete_fields if isinstance(f, ProvincesField)), None)
        if field is not None and field.model is model:
            found.append(model)
    return found


def pages_hidden_on(site) -> list[int]:
    """Ids of the pages in `site`'s tree that the site does not show (they answer 404 there): another
    province's campaign edition, or its alias. Search and the sitemap leave them out."""
    province = site_province(site)
    hidden = []
    for model in province_page_models():
        pages = model.objects.all()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        hidden.extend(pages.exclude(applies_q(province)).values_list("pk", flat=True))
    return hidden


def shown_on_own_site(page) -> bool:
    """Whether the site whose tree holds `page` shows it (a page without provinces: always)."""
    if not any(isinstance(f, ProvincesField) for f in page.specific_class._meta.concrete_fields):
        return True
    specific = page.specific_deferred
    # A page type that already knows its site's province (CampaignPage, for its events) saves a query.
    province = getattr(specific, "site_province", None)
    if not isinstance(province, str):
        province = site_province(specific.get_site())
    return applies_to(specific, province)
