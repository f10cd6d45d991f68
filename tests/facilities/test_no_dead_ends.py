"""No dead ends (issue 15): a finder link naming services but no area never lands on zero results; a
zero-result page offers the nearest province with the service, the consultation line and related
services, in that order; saving a page with a finder link tells the editor the count."""

import datetime
import re

import pytest

from .conftest import card_names as names

pytestmark = pytest.mark.django_db


@pytest.fixture
def thalassaemia_only_in_sichuan(sample_facilities):
    """The demo's situation: Beijing lists no facility for 地贫."""
    from content.facilities.records import FacilityService

    beijing = FacilityService.objects.filter(service__code="thalassemia", facility__region__code__startswith="11")
    beijing.delete()  # rolled back with the test's transaction
    return "thalassemia"


def test_a_campaign_link_switches_to_the_nearest_province_with_the_service(client, thalassaemia_only_in_sichuan,
                                                                           finder_sites):
    page = client.get("/facilities/", {"service": "thalassemia", "q": ""}).content.decode()
    assert names(page), "the 世界地贫日 link must not land on zero results"
    assert "已切换到四川省" in page and "返回北京市" in page
    assert 'value="510000" selected' in page


def test_an_area_chosen_by_the_visitor_is_kept_but_the_empty_page_helps_in_order(client, thalassaemia_only_in_sichuan,
                                                                                  finder_sites):
    from wagtail.models import Site

    from content.base.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_phone = "010-12320"
    site_settings.save()
    page = client.get("/facilities/", {"service": "thalassemia", "province": "110000"}).content.decode()
    assert names(page) == [] and "已切换到" not in page
    nearest = re.search(r'<a class="button" href="([^"]+)">到四川省查找（(\d+) 家）</a>', page)
    assert nearest and int(nearest.group(2)) > 0 and "province=510000" in nearest.group(1)
    assert (
        page.index("到四川省查找") < page.index('也可拨打咨询电话： <a href="tel:010-12320"') < page.index("相关服务")
    )
    followed = client.get("/facilities/" + nearest.group(1).replace("&amp;", "&")).content.decode()
    assert len(names(followed)) > 0


def test_saving_a_page_with_a_finder_link_shows_the_editor_the_count(rf, thalassaemia_only_in_sichuan,
                                                                     finder_sites):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from content.facilities.wagtail_hooks import report_finder_link_counts

    from ..library.factories import CampaignIndexPageFactory, CampaignPageFactory, home_page

    index = CampaignIndexPageFactory(parent=home_page())
    page = CampaignPageFactory(parent=index, title="世界地贫日", slug="thal", day="thalassaemia_day",
                               date=datetime.date(2026, 5, 8),
                               body=[{"type": "finder", "value": {"title": "查找提供相关服务的机构",
                                                                  "services": ["thalassemia"]}},
                                     {"type": "finder",
                                      "value": {"title": "婚检", "services": ["premarital_checkup"]}}])
    request = rf.post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    report_finder_link_counts(request, page)
    shown = [str(m) for m in get_messages(request)]
    assert any("地中海贫血防控" in m and "北京市找不到机构" in m and "四川省" in m for m in shown), shown
    assert any("婚前医学检查" in m and re.search(r"在北京市可找到 \d+ 家机构", m) for m in shown), shown
