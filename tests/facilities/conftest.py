import csv
import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "facilities" / "demo_data" / "facilities_sample.csv"
HEADER = [
    "机构名称",
    "所在地区",
    "地址",
    "联系电话",
    "许可项目",
    "许可证号",
    "发证机关",
    "有效期至",
    "免费服务",
    "经度",
    "纬度",
]


@pytest.fixture(autouse=True)
def fresh_caches():
    """Search caches (regions with facilities, the service vocabulary) must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


def make_csv(rows, header=HEADER, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(name="测试妇幼保健院", region="北京市朝阳区", address="北京市朝阳区测试路1号", phone="010-12345678",
        services="产前筛查", licence="测试许字001号", authority="北京市卫生健康委员会", valid="2030-01-01",
        free="", lng="116.44", lat="39.92"):
    return [name, region, address, phone, services, licence, authority, valid, free, lng, lat]


@pytest.fixture(scope="module")
def committed_sample(django_db_setup, django_db_blocker):
    """The demo list (114 facilities in Beijing and Sichuan), imported once per test module and
    committed (so read-only tests share it), then removed."""
    from wagtail.models import ModelLogEntry

    from content.facilities.importer import import_file
    from content.facilities.records import Facility

    with django_db_blocker.unblock():
        cache.clear()
        plan = import_file(SAMPLE, source="测试")
        assert plan.ok, plan.report_lines()[:5]
    yield plan
    with django_db_blocker.unblock():
        Facility.objects.all().delete()
        ModelLogEntry.objects.filter(action="facilities.import").delete()


@pytest.fixture
def sample_facilities(committed_sample, db):
    return committed_sample


@pytest.fixture
def finder_sites(db):
    """The two provincial sites, each with a finder page at /facilities/ (what the demo builds)."""
    from tests.factories.facilities import provincial_site, sichuan_home

    return {
        "110000": provincial_site("110000"),
        "510000": provincial_site("510000", sichuan_home(), hostname="sichuan.localhost", site_name="四川"),
    }


def page_html(response) -> str:
    """The page's HTML, once it is known to have been served."""
    assert response.status_code == 200
    return response.content.decode()


def card_names(html: str) -> list[str]:
    """The facilities listed on a finder page, in order."""
    return re.findall(r'class="facility-card__name"><a href="[^"]+">([^<]+)</a>', html)
