import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from content.base.models import SiteSettings
from content.base.roles import ROLES


def load(**kwargs):
    call_command("load_demo", stdout=open("/dev/null", "w"), **kwargs)


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    load(force=True)
    counts = (Page.objects.count(), Site.objects.count(), get_user_model().objects.count())
    load(force=True)
    assert (Page.objects.count(), Site.objects.count(), get_user_model().objects.count()) == counts


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        load()


@pytest.mark.django_db
def test_demo_has_two_provincial_sites_marked_as_sample_data(client):
    load(force=True)
    beijing = Site.objects.get(is_default_site=True)
    sichuan = Site.objects.get(hostname="sichuan.localhost")
    assert SiteSettings.for_site(beijing).province_code == "110000"
    assert SiteSettings.for_site(sichuan).province_code == "510000"
    page = client.get("/", HTTP_HOST=f"sichuan.localhost:{sichuan.port}").content.decode()
    assert "四川省出生缺陷防治科普平台" in page
    assert "示例数据" in page
    assert "前往北京市出生缺陷防治科普平台" in page  # the link between the sites


@pytest.mark.django_db
def test_demo_accounts_exist_for_every_role_and_can_sign_in(client, settings):
    load(force=True)
    users = get_user_model().objects
    for name in ["admin", "editor", "medical_reviewer", "organiser", "reviewer1", "reviewer2", "reviewer3"]:
        assert client.login(username=name, password=settings.DEMO_PASSWORD), name
        assert client.get("/admin/").status_code == 200, name
        client.logout()
    assert users.get(username="admin").is_superuser
    assert set(users.get(username="reviewer1").groups.values_list("name", flat=True)) == {"评审专家"}
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.django_db
def test_wagtail_admin_is_in_chinese(client):
    load(force=True)
    client.login(username="editor", password="changeme")
    assert "仪表板" in client.get("/admin/").content.decode() or "控制面板" in client.get("/admin/").content.decode()
