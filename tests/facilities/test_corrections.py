"""「报告信息有误」 (issue 15): the public form (CSRF, clear Chinese errors, rate limit), the moderation
queue in the admin for facility data managers, the e-mail through the task queue, and resolving a
report updating 「最近核实」. Nothing submitted is shown publicly."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.base.roles import FACILITY_MANAGER
from content.facilities.records import Facility, FacilityCorrection
from tests.factories.facilities import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(finder_sites):
    return FacilityFactory(name="朝阳区妇幼保健院", services=["premarital_checkup", "prenatal_screening"])


@pytest.fixture
def manager(django_user_model):
    from content.base.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user("data", email="data@example.org", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=FACILITY_MANAGER))
    return user


def report_url(facility):
    return f"/facilities/{facility.pk}/report/"


def test_a_report_is_stored_mailed_and_never_shown(client, facility, manager):
    page = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and f'action="/facilities/{facility.pk}/report/"' in page
    response = client.post(report_url(facility), {"field": "phone", "message": "电话已改为 010-12345678，原号码是空号",
                                                 "contact": "13800000000"})
    assert response.status_code == 302 and response["Location"].endswith("?reported=1#report")
    correction = FacilityCorrection.objects.get()
    assert correction.facility == facility and correction.field == "phone" and correction.status == "new"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["data@example.org"]
    assert facility.name in mail.outbox[0].subject and "原号码是空号" in mail.outbox[0].body
    thanks = client.get(response["Location"]).content.decode()
    assert "谢谢" in thanks and "原号码是空号" not in thanks and "13800000000" not in thanks


def test_csrf_is_enforced(facility):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(report_url(facility), {"field": "phone", "message": "电话打不通了"})
    assert response.status_code == 403 and not FacilityCorrection.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"field": "", "message": ""}, "请选择哪项信息有误。"),
    ({"field": "phone", "message": ""}, "请说明哪里有误。"),
    ({"field": "phone", "message": "错"}, "至少 4 个字"),
    ({"field": "phone", "message": "很" * 1001}, "最多 1000 个字（您写了 1001 个字）"),
    ({"field": "teleport", "message": "电话打不通了"}, "请选择哪项信息有误。"),
    ({"field": "phone", "message": "电话打不通了", "contact": "1" * 101}, "最多 100 个字"),
])
def test_bad_reports_get_a_clear_chinese_message(client, facility, data, message):
    response = client.post(report_url(facility), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FacilityCorrection.objects.exists()


def test_too_many_reports_from_one_address(client, facility):
    cache.clear()
    for n in range(5):
        assert client.post(report_url(facility), {"field": "hours", "message": f"周六不开门了 {n}"}).status_code == 302
    refused = client.post(report_url(facility), {"field": "hours", "message": "周六不开门了 再报一次"})
    assert refused.status_code == 400 and "一小时内提交的报告过多" in refused.content.decode()
    assert FacilityCorrection.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(report_url(facility), {"field": "hours", "message": "另一位市民的报告"}).status_code == 302


def test_unknown_facility_and_get(client, facility):
    assert client.post("/facilities/999999/report/", {"field": "phone", "message": "电话打不通了"}).status_code == 404
    assert client.get(report_url(facility)).status_code == 302


def test_managers_see_the_queue_and_resolving_verifies_the_facility(client, facility, manager):
    Facility.objects.filter(pk=facility.pk).update(last_verified=datetime.date(2025, 1, 1))
    correction = FacilityCorrection.objects.create(facility=facility, field="address", message="已搬到新院区")
    client.force_login(manager)
    listing = client.get(reverse("wagtailsnippets_facilities_facilitycorrection:list"))
    assert listing.status_code == 200 and facility.name in listing.content.decode()
    edit_url = reverse("wagtailsnippets_facilities_facilitycorrection:edit", args=[correction.pk])
    edit = client.get(edit_url).content.decode()
    assert "已搬到新院区" in edit
    response = client.post(edit_url, {"status": "resolved", "moderator_note": "已电话核实并更新地址"})
    assert response.status_code == 302
    correction.refresh_from_db()
    facility.refresh_from_db()
    assert correction.status == "resolved" and correction.resolved_by == manager and correction.resolved_at
    assert facility.last_verified == timezone.localdate()  # 「最近核实」 is today
    assert correction.message == "已搬到新院区"  # the public's text is kept as sent


def test_people_without_the_role_do_not_see_reports(client, facility, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_facilities_facilitycorrection:list"))
    assert response.status_code in (302, 403)
    assert re.search("已搬到新院区", response.content.decode()) is None
