"""FacilityFinderPage: the finder and the facility page (content/facilities/finder.py, templates)."""

import json
import re

import pytest
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage
from content.facilities.models import FacilityFinderPage
from content.facilities.records import Facility

from .conftest import card_names as names
from .conftest import page_html as html

pytestmark = pytest.mark.django_db


def test_finder_defaults_to_the_sites_province(client, sample_facilities, finder_sites):
    beijing = html(client.get("/facilities/"))
    sichuan = html(client.get("/facilities/", HTTP_HOST="sichuan.localhost"))
    assert names(beijing) and all("川" not in n and "成都" not in n for n in names(beijing))
    assert "四川省妇幼保健院" in html(
        client.get("/facilities/", {"q": "四川省妇幼保健院"}, HTTP_HOST="sichuan.localhost")
    )
    assert "北京" not in "".join(names(sichuan))
    assert 'value="110000" selected' in beijing and 'value="510000" selected' in sichuan


def test_search_by_alias_shows_cards_with_free_badges_phones_and_licence(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"q": "婚检", "province": "110000", "city": "110101"}))
    assert names(page)[0] == "东城区妇幼保健院"
    assert 'class="badge badge--free"' in page
    assert 'href="tel:01065074657"' in page
    assert "京母婴许字〔2023〕0001号" in page
    assert "找到 1 家机构" in page


def test_all_provinces_when_the_area_is_cleared(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"q": "地贫", "province": ""}))
    assert "四川省妇幼保健院" in page


def test_service_filters_are_grouped_by_life_stage_with_counts(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"service": "thalassemia", "province": ""}))
    assert re.search(r"<legend>婚前.*?</legend>", page)
    assert 'name="service" value="thalassemia" checked' in page
    assert all("thalassemia" for _ in names(page))


def test_free_only_and_distance_from_the_district_centre(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"province": "110000", "city": "110105", "sort": "distance",
                                            "free": "1"}))
    assert names(page)[0] == "朝阳区妇幼保健院"
    assert "公里" in page
    browser = html(client.get("/facilities/", {"near": "39.77439,116.16075", "sort": "distance",
                                               "service": "prenatal_screening"}))
    assert names(browser)[0] == "北京房山长宁医院"


def test_empty_result_helps(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"province": "110000", "city": "110119", "service": "nipt"}))
    assert 'class="finder-empty"' in page
    assert "?q=&amp;province=110000&amp;service=nipt" in page or "province=110000" in page
    assert "在全部地区查找" in page


def test_pagination_keeps_the_filters(client, sample_facilities, finder_sites):
    page = html(client.get("/facilities/", {"province": ""}))
    assert 'rel="next"' in page and "province=&amp;page=2" in page
    second = html(client.get("/facilities/", {"province": "", "page": "2"}))
    assert set(names(page)).isdisjoint(names(second))


def test_stale_entries_ask_people_to_call(client, sample_facilities, finder_sites, settings):
    settings.FACILITY_STALE_AFTER_DAYS = -1  # everything counts as stale
    page = html(client.get("/facilities/"))
    assert page.count("信息可能已变更，请致电确认") == len(names(page)) > 0


def test_bad_input_never_breaks_the_page(client, sample_facilities, finder_sites):
    for params in ({"page": "abc"}, {"province": "zzz"}, {"service": "nope"}, {"q": '"*\x00'}, {"near": "x"},
                   {"sort": "distance", "province": ""}):
        assert client.get("/facilities/", params).status_code == 200


def test_facility_page_has_json_ld_report_link_and_no_map_without_tiles(client, sample_facilities, finder_sites):
    facility = Facility.objects.get(licence_number="京母婴许字〔2024〕0025号")
    page = html(client.get(f"/facilities/{facility.pk}/"))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "MedicalOrganization" and data["name"] == "北京房山长宁医院"
    assert data["address"]["addressLocality"] == "房山区"
    # 「报告信息有误」 is a form now (issue 15), posted with CSRF to the facility's report route
    assert f'<form method="post" action="/facilities/{facility.pk}/report/"' in page
    assert 'name="csrfmiddlewaretoken"' in page and "mailto:fuyou@example.org?subject=" not in page
    assert "leaflet" not in page and "facility-map-canvas" not in page
    assert "遗传咨询、医学影像" in page  # licensed sub-items


def test_facility_page_shows_a_map_when_tiles_are_configured(client, sample_facilities, finder_sites, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    facility = Facility.objects.first()
    page = html(client.get(f"/facilities/{facility.pk}/"))
    assert "leaflet/leaflet.js" in page and 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page


def test_facility_page_shows_the_referral_both_ways(client, sample_facilities, finder_sites):
    centre = Facility.objects.get(licence_number="京母婴许字〔2024〕0025号")
    screening = Facility.objects.get(licence_number="京母婴许字〔2024〕0024号")
    Facility.objects.filter(pk=screening.pk).update(referral_centre=centre)
    assert centre.name in html(client.get(f"/facilities/{screening.pk}/"))
    assert screening.name in html(client.get(f"/facilities/{centre.pk}/"))


def test_expired_facility_page_is_flagged(client, sample_facilities, finder_sites):
    expired = Facility.objects.get(licence_number="京母婴许字〔2023〕0008号")
    page = html(client.get(f"/facilities/{expired.pk}/"))
    assert "badge--warning" in page


def test_unknown_facility_is_404(client, finder_sites):
    assert client.get("/facilities/999999/").status_code == 404


class FinderPageRulesTests(WagtailPageTestCase):
    def test_finder_lives_under_a_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(FacilityFinderPage, {HomePage})
        self.assertAllowedSubpageTypes(FacilityFinderPage, {})
