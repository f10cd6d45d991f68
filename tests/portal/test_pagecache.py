"""portal/pagecache.py: anonymous pages come from the cache, and any published change shows at once."""

import logging
import socket

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from wagtail.models import Site

    from content.base.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # created on first use: a change itself
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home():
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client, home):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert "Content-Security-Policy" in second  # headers are added afresh to a cached answer


def test_publishing_a_page_shows_on_the_next_request(client, home):
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    home.title = "更新后的首页标题"
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "更新后的首页标题" in response.content.decode()


def test_a_site_setting_change_shows_on_the_next_request(client, home):
    from wagtail.models import Site

    from content.base.models import SiteSettings

    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_phone = "010-88886666"
    site_settings.save()
    assert "010-88886666" in client.get("/").content.decode()


def test_a_facility_change_shows_in_the_api_on_the_next_request(client, tmp_path):
    from content.facilities.importer import import_file

    assert client.get("/api/facilities/").json()["count"] == 0
    assert client.get("/api/facilities/")["X-Cache"] == "HIT"
    csv_file = tmp_path / "one.csv"
    csv_file.write_text(
        "机构名称,所在地区,地址,许可项目,许可证号\n缓存测试妇幼保健院,北京市朝阳区,北京市朝阳区测试路1号,产前筛查,缓存许字001号\n",
        encoding="utf-8",
    )
    assert import_file(csv_file, source="测试").ok
    data = client.get("/api/facilities/").json()
    assert data["count"] == 1 and data["results"][0]["name"] == "缓存测试妇幼保健院"


def test_a_core_message_change_purges_the_cache(client):
    from content.base.models import LifeStage
    from content.core_messages.models import CoreMessage

    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    stage = LifeStage.objects.first() or LifeStage.objects.create(name="孕前", slug="preconception")
    CoreMessage.objects.create(
        life_stage=stage, number=99, statement="每天补充叶酸0.4毫克。", explanation="<p>x</p>"
    )
    assert client.get("/")["X-Cache"] == "MISS"


def test_signed_in_users_and_forms_are_never_cached(client, home, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    assert "X-Cache" not in client.get("/")
    assert "X-Cache" not in client.get("/admin/")


def test_large_text_visitors_get_their_own_copy(client, home):
    normal = client.get("/")
    client.cookies["text_size"] = "large"
    large = client.get("/")
    assert large["X-Cache"] == "MISS"
    assert large.content != normal.content


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


def test_a_dead_redis_serves_uncached_and_logs(client, home, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    with caplog.at_level(logging.ERROR, logger="portal.cache"):
        responses = [client.get("/"), client.get("/"), client.get("/api/facilities/")]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "HIT" not in {r.get("X-Cache") for r in responses}
    assert any(record.name == "portal.cache" for record in caplog.records)
