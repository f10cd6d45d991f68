"""「导航」 links on the facility page: 高德, 百度, 腾讯 and geo: at the facility's coordinates."""

from urllib.parse import parse_qs, urlsplit

import pytest

from content.facilities.records import Facility

pytestmark = pytest.mark.django_db


def links(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<a class="facility-nav__link" data-app="(\w+)" href="([^"]+)"', page))


def test_navigation_links_open_the_map_apps_at_the_coordinates(client, sample_facilities, finder_sites):
    import html

    facility = Facility.objects.get(licence_number="京母婴许字〔2024〕0025号")
    found = {app: html.unescape(url) for app, url in
             links(client.get(f"/facilities/{facility.pk}/").content.decode()).items()}
    assert set(found) == {"amap", "baidu", "tencent", "geo"}
    amap = parse_qs(urlsplit(found["amap"]).query)
    assert amap["position"] == [f"{facility.longitude:.6f},{facility.latitude:.6f}"]
    assert amap["coordinate"] == ["wgs84"] and amap["name"] == [facility.name]
    baidu = parse_qs(urlsplit(found["baidu"]).query)
    assert baidu["location"] == [f"{facility.latitude:.6f},{facility.longitude:.6f}"]
    assert baidu["coord_type"] == ["wgs84"]
    tencent = parse_qs(urlsplit(found["tencent"]).query)
    assert tencent["marker"][0].startswith(f"coord:{facility.latitude:.6f},{facility.longitude:.6f};title:")
    assert found["geo"].startswith(f"geo:{facility.latitude:.6f},{facility.longitude:.6f}")


def test_an_approximate_location_says_so(client, sample_facilities, finder_sites):
    facility = Facility.objects.filter(location_approximate=False).first()
    page = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert "位置为区县中心，仅供参考" not in page
    Facility.objects.filter(pk=facility.pk).update(location_approximate=True)
    page = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert "位置为区县中心，仅供参考" in page


def test_the_finder_offers_a_map_only_with_a_tile_source(client, sample_facilities, finder_sites, settings):
    import json
    import re

    plain = client.get("/facilities/", {"q": "婚检"}).content.decode()
    assert "leaflet" not in plain and "data-finder-view" not in plain  # no map code where it is not used
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=test&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    settings.MAP_TILE_SUBDOMAINS = "01234567"
    page = client.get("/facilities/", {"q": "婚检"}).content.decode()
    assert "leaflet/leaflet.js" in page and "data-finder-view" in page and 'data-subdomains="01234567"' in page
    points = json.loads(re.search(r'<script id="finder-map-points" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    cards = re.findall(r'class="facility-card__name"><a href="[^"]+">([^<]+)</a>', page)
    assert [p["name"] for p in points] == cards and all(p["url"].startswith("/facilities/") for p in points)
    facility = Facility.objects.get(name=cards[0])
    assert points[0]["lat"] == facility.latitude
