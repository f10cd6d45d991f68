"""The phone-first finder (issue 15) as HTML: compact cards with the matching services first, the
「筛选」 panel with its active-filter count, and 「返回机构查询」 keeping the search (issue 18)."""

import html as html_lib
import re

import pytest

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get("/facilities/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_cards_show_the_matching_service_first_and_a_tap_to_call(client, sample_facilities, finder_sites):
    text = page(client, q="地贫", province="")
    card = text[text.index('class="card facility-card"'):].split("</li>\n</ol>")[0].split('<li class="card')[0]
    services = re.findall(r'<li( class="facility-services__match")?>([^<]+)', card)
    assert services[0] == (' class="facility-services__match"', "地中海贫血防控")
    assert re.search(r'class="button facility-call" href="tel:[\d+]+">致电 ', card)
    assert re.search(r'class="facility-card__licence">许可证 \S+ · 有效期至 \d{4}-\d\d-\d\d', card)
    assert "最近核实" not in card and "对口诊断机构" not in card  # the full record is on the facility page


def test_the_filters_panel_counts_what_is_active(client, sample_facilities, finder_sites):
    assert "（已选 1 项）" in page(client, q="婚检")  # the site's province
    active = page(client, province="110000", service=["prenatal_screening", "nipt"], free="1", open_now="1")
    assert "（已选 5 项）" in active
    assert "已选" not in page(client, province="").split("finder-filters__summary")[1].split("</summary>")[0]


def test_back_to_the_finder_keeps_the_search(client, sample_facilities, finder_sites):
    text = page(client, q="婚检", province="110000", city="110105")
    detail_url = html_lib.unescape(re.search(r'class="facility-card__name"><a href="([^"]+)"', text).group(1))
    assert "back=" in detail_url
    detail = client.get(detail_url).content.decode()
    back = html_lib.unescape(re.search(r'class="facility-back" href="([^"]+)"', detail).group(1))
    assert back.startswith("/facilities/?") and "city=110105" in back and "q=%E5%A9%9A%E6%A3%80" in back
    returned = client.get(back).content.decode()
    assert "朝阳区妇幼保健院" in returned and 'value="110105" selected' in returned


def test_the_back_parameter_cannot_carry_anything_else(client, sample_facilities, finder_sites):
    from content.facilities.records import Facility

    facility = Facility.objects.first()
    detail = client.get(f"/facilities/{facility.pk}/",
                        {"back": "q=x&next=https://evil.example&province=110000"}).content.decode()
    back = html_lib.unescape(re.search(r'class="facility-back" href="([^"]+)"', detail).group(1))
    assert back == "/facilities/?q=x&province=110000"
    plain = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert 'class="facility-back" href="/facilities/"' in plain
