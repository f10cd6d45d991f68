"""「导航」: links that open the big Chinese map apps (and the phone's default maps app) at a facility.

The stored coordinates are WGS-84; each app is told so (高德 coordinate=wgs84, 百度 coord_type=wgs84,
腾讯 coord_type=1), so it converts to its own GCJ-02/BD-09 system rather than placing the pin
hundreds of metres off."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

APP_NAME = "birth-defect-portal"  # 百度 and 腾讯 ask the calling app to name itself


@dataclass
class MapLink:
    label: str
    url: str
    app: str


def navigation_links(facility) -> list[MapLink]:
    lat, lng, name, address = facility.latitude, facility.longitude, facility.name, facility.address
    return [
        MapLink(_("Amap (高德地图)"), "https://uri.amap.com/marker?" + urlencode(
            {"position": f"{lng:.6f},{lat:.6f}", "name": name, "coordinate": "wgs84", "callnative": 1,
             "src": APP_NAME}, quote_via=quote), "amap"),
        MapLink(_("Baidu Maps (百度地图)"), "https://api.map.baidu.com/marker?" + urlencode(
            {"location": f"{lat:.6f},{lng:.6f}", "title": name, "content": address, "coord_type": "wgs84",
             "output": "html", "src": APP_NAME}, quote_via=quote), "baidu"),
        MapLink(_("Tencent Maps (腾讯地图)"), "https://apis.map.qq.com/uri/v1/marker?" + urlencode(
            {"marker": f"coord:{lat:.6f},{lng:.6f};title:{name};addr:{address}", "coord_type": 1,
             "referer": APP_NAME}, quote_via=quote), "tencent"),
        MapLink(_("Phone's maps app"), f"geo:{lat:.6f},{lng:.6f}?q={lat:.6f},{lng:.6f}({quote(name)})", "geo"),
    ]
