"""What the search page and the search API accept as input: one reading of `q`, `type` and `page` for
both. The page forgives (a bad page is page 1, an unknown type is all types); the API's typed
`SearchFilters` refuses a page that is not a number and an unknown type with a 400 naming it."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from content.base.errors import invalid_parameter
from search.analysis import MAX_QUERY_CHARS
from search.sources import TYPES

MAX_PAGE = 1000
MAX_TEXT = MAX_QUERY_CHARS * 2


def clean_query(value) -> str:
    """What was typed, kept for display and for the search box (escaped by the templates); cut to a
    sane length and stripped of NUL and other control characters."""
    text = "".join(ch for ch in str(value or "") if ch >= " " or ch in "\t")
    return text.strip()[:MAX_TEXT]


def page_number(value) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def check_page(value) -> int:
    """An integer, clamped to 1…MAX_PAGE as the page does; anything else is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    try:
        int(str(value).strip())
    except ValueError:
        raise invalid_parameter(_("%(name)s must be an integer") % {"name": "page"}) from None
    return page_number(str(value).strip())


def check_type(value: str) -> str:
    value = value.strip()
    if value and value not in dict(TYPES):
        raise invalid_parameter(_("Unknown type: use one of %(types)s") % {
            "types": ", ".join(code for code, _label in TYPES)})
    return value


class SearchFilters(Schema):
    """/api/search/'s parameters, typed (and so listed in /api/openapi.json)."""

    q: Annotated[str, AfterValidator(clean_query)] = Field(
        "", description=f"检索词；控制字符会被去掉，超过 {MAX_TEXT} 个字符的部分不参与检索")
    type: Annotated[str, AfterValidator(check_type)] = Field(
        "", description="只看一类结果（留空为全部）",
        json_schema_extra={"enum": ["", *(code for code, _label in TYPES)]})
    page: Annotated[int, BeforeValidator(check_page)] = Field(
        1, description=f"页码，1 到 {MAX_PAGE}（超出范围的按最近的一端计）")
