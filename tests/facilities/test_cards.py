"""Print and share (issue 15): a printable A6/A4 card per facility and per search with a QR code that
decodes to the page's URL (zxing-cpp reads it back), and an Open Graph share image."""

import io
import re

import pytest
import zxingcpp
from PIL import Image

from content.base.qr import qr_png, qr_svg
from content.facilities.records import Facility

pytestmark = pytest.mark.django_db


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_qr_library_round_trips_a_url():
    url = "https://portal.example.gov.cn/facilities/12/?q=%E5%A9%9A%E6%A3%80"
    assert decode(qr_png(url)) == [url]


def test_facility_card_has_a_qr_code_of_the_page(client, sample_facilities, finder_sites):
    facility = Facility.objects.get(licence_number="京母婴许字〔2024〕0025号")
    page_url = f"http://testserver/facilities/{facility.pk}/"
    response = client.get(f"/facilities/{facility.pk}/card/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "size: A6" in html and facility.name in html and facility.licence_number in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg == qr_svg(page_url, title="扫码打开本机构页面")  # the code of exactly this URL …
    assert decode(qr_png(page_url)) == [page_url]  # … which a reader decodes back
    assert "size: A4" in client.get(f"/facilities/{facility.pk}/card/", {"size": "a4"}).content.decode()
    assert "size: A6" in client.get(f"/facilities/{facility.pk}/card/", {"size": "zz"}).content.decode()
    detail = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert f'href="/facilities/{facility.pk}/card/"' in detail


def test_search_sheet_has_a_qr_code_of_the_search(client, sample_facilities, finder_sites):
    finder = client.get("/facilities/", {"q": "婚检", "province": "110000"}).content.decode()
    assert "/facilities/card/?q=" in finder
    html = client.get("/facilities/card/", {"q": "婚检", "province": "110000", "evil": "x"}).content.decode()
    assert "size: A4" in html and "东城区妇幼保健院" in html
    search_url = "http://testserver/facilities/?q=%E5%A9%9A%E6%A3%80&province=110000"
    assert re.search(r"<svg.*?</svg>", html, re.S).group(0) == qr_svg(search_url, title="扫码打开本次查询")


def test_share_image_for_wechat_previews(client, sample_facilities, finder_sites):
    facility = Facility.objects.first()
    detail = client.get(f"/facilities/{facility.pk}/").content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', detail).group(1)
    assert og == f"http://testserver/facilities/{facility.pk}/share-image/"
    response = client.get(f"/facilities/{facility.pk}/share-image/")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    assert decode(response.content) == [f"http://testserver/facilities/{facility.pk}/"]
    assert client.get("/facilities/999999/share-image/").status_code == 404
