"""The finder knows where the person is: a district of another province in the query, or a location
nearer another province's facilities, searches that province and says so, with a link back."""

import html as html_lib
import re

import pytest

from content.facilities.records import Facility

from .conftest import card_names as names
from .conftest import page_html as page_of

pytestmark = pytest.mark.django_db


def back_link(page_html: str) -> str:
    return html_lib.unescape(re.search(r'<a href="([^"]+)">返回北京市</a>', page_html).group(1))


def test_a_district_of_another_province_switches_to_it(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "武侯 婚检"}))
    assert "已切换到四川省" in page
    found = names(page)
    assert found[0] == "成都市武侯区妇幼保健院"
    beijing = set(Facility.objects.filter(region__code__startswith="11").values_list("name", flat=True))
    assert not beijing.intersection(found)
    assert "部分符合" not in page
    back = page_of(client.get("/facilities/" + back_link(page)))
    assert "已切换" not in back and "province=110000" in back_link(page)


def test_a_district_of_the_sites_own_province_does_not_switch(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "朝阳 唐筛"}))
    assert "已切换" not in page
    assert names(page) and all("四川" not in n and "成都" not in n for n in names(page))


def test_a_visitor_located_in_chengdu_is_offered_sichuan(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "唐筛", "sort": "distance", "near": "30.65,104.07"}))
    assert "已切换到四川省" in page
    nearest = Facility.objects.get(name=names(page)[0])
    assert nearest.region_id.startswith("51")


def test_a_visitor_located_in_beijing_stays(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "唐筛", "sort": "distance", "near": "39.92,116.44"}))
    assert "已切换" not in page
    assert Facility.objects.get(name=names(page)[0]).region_id.startswith("11")


def test_an_explicit_area_is_never_switched(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "唐筛", "province": "110000", "sort": "distance",
                                               "near": "30.65,104.07"}))
    assert "已切换" not in page


def test_a_mistyped_word_offers_the_word_it_sounds_like(client, sample_facilities, finder_sites):
    page = page_of(client.get("/facilities/", {"q": "堂筛"}))
    link = re.search(r'您是不是要找： <a href="([^"]+)">唐筛</a>', page)
    assert link
    corrected = page_of(client.get("/facilities/" + html_lib.unescape(link.group(1))))
    assert len(names(corrected)) >= 10 and "您是不是要找" not in corrected


def test_each_sites_examples_name_its_own_districts(client, sample_facilities, finder_sites):
    for host, own, other in (("localhost", "11", "51"), ("sichuan.localhost", "51", "11")):
        for url in ("/", "/facilities/"):
            page = page_of(client.get(url, HTTP_HOST=host))
            placeholder = re.search(r'id="(?:quick-finder-q|finder-q)"[^>]*placeholder="([^"]+)"|'
                                    r'placeholder="([^"]+)"[^>]*id="(?:quick-finder-q|finder-q)"', page)
            text = next(g for g in placeholder.groups() if g)
            words = re.findall(r"[\u4e00-\u9fff]+", text.replace("如", ""))
            districts = [w for w in words if w not in ("婚检", "唐筛")]
            assert len(districts) == 2, text
            names_by_prefix = {p: " ".join(Facility.objects.filter(region__code__startswith=p)
                                           .values_list("region__name", flat=True)) for p in (own, other)}
            assert all(d in names_by_prefix[own] and d not in names_by_prefix[other] for d in districts), text


def test_site_search_lists_the_sites_own_facilities_first(client, sample_facilities, finder_sites):
    for host, own in (("localhost", "11"), ("sichuan.localhost", "51")):
        data = client.get("/api/search/", {"q": "唐筛", "type": "facility"}, HTTP_HOST=host).json()
        titles = [r["title"] for r in data["results"]]
        own_names = set(Facility.objects.filter(region__code__startswith=own).values_list("name", flat=True))
        assert len(titles) >= 5 and all(t in own_names for t in titles[:5]), (host, titles[:5])


def test_site_search_lists_another_provinces_facilities_after_its_own_and_labelled(client, sample_facilities,
                                                                                    finder_sites):
    own_names = set(Facility.objects.filter(region__code__startswith="11").values_list("name", flat=True))
    results = []
    for page in range(1, 20):
        data = client.get("/api/search/", {"q": "唐筛", "type": "facility", "page": page}).json()
        results += data["results"]
        if len(results) >= data["count"] or not data["results"]:
            break
    own_flags = [r["title"] in own_names for r in results]
    assert True in own_flags and False in own_flags
    first_other = own_flags.index(False)
    assert all(own_flags[:first_other]) and not any(own_flags[first_other:])  # every Beijing one first
    # The results page of the first Sichuan facility labels it; the first page (all Beijing's) labels none.
    page_number = first_other // 10 + 1
    listing = page_of(client.get("/search/", {"q": "唐筛", "type": "facility", "page": page_number}))
    others_on_page = own_flags[(page_number - 1) * 10:page_number * 10].count(False)
    assert listing.count("四川省（外省机构）") == others_on_page > 0
    assert "外省机构" not in page_of(client.get("/search/", {"q": "唐筛", "type": "facility"}))
