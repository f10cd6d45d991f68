"""Site search knows its sources and page types by registration, not by importing the content apps."""

from django.core import checks
from wagtail.models import Page

from content.facilities.models import FacilityFinderPage
from content.library.models import ResourcePage
from search.checks import check_analysed_search_fields, publicly_searched_models
from search.indexing import unanalysed_models
from search.sources import TYPES, get_sources


def test_every_page_type_and_source_indexes_analysed_chinese_text():
    models = publicly_searched_models()
    labels = {model._meta.label for model in models}
    assert {"library.ResourcePage", "campaigns.CampaignIndexPage", "core_messages.CoreMessage"} <= labels
    assert check_analysed_search_fields() == []


def test_a_page_type_with_plain_search_fields_is_reported():
    assert unanalysed_models([Page, ResourcePage, FacilityFinderPage]) == ["wagtailcore.Page"]
    warnings = checks.run_checks(tags=[checks.Tags.models])
    assert not [w for w in warnings if w.id == "portal_search.W001"]


def test_content_apps_register_their_sources_in_the_type_filter_order():
    sources = get_sources()
    assert sources[0].key == "pages"
    codes = [source.type_code for source in sources[1:]]
    order = [code for code, _label in TYPES]
    assert codes == ["core_message", "facility"]
    assert codes == sorted(codes, key=order.index)
    # a fresh instance per call: per-request state (the visiting site's province) is never shared
    assert get_sources()[2] is not sources[2]
