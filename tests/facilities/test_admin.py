"""The admin: the import (upload → preview → apply), the facility listing and the role."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from content.base.roles import FACILITY_MANAGER, ensure_roles
from content.facilities.records import Facility

from .conftest import make_csv, row

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/facilities/import/"


@pytest.fixture
def manager(client, django_user_model):
    ensure_roles()
    user = django_user_model.objects.create_user("manager", password="pw")
    user.groups.add(Group.objects.get(name=FACILITY_MANAGER))
    client.force_login(user)
    return user


def upload(client, content, name="list.csv", source="公告"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), "source": source})


def test_upload_preview_apply_and_history(client, manager, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    preview = upload(client, make_csv([row(), row(name="第二家", licence="测试许字002号")]))
    page = preview.content.decode()
    assert preview.status_code == 200 and "测试许字002号" in page and "确认导入这些变更" in page
    assert Facility.objects.count() == 0  # nothing yet
    token = preview.context["apply_form"].initial["token"]
    applied = client.post(IMPORT_URL, {"token": token, "name": "list.csv", "source": "公告"})
    assert applied.status_code == 302
    assert Facility.objects.count() == 2
    entries = ModelLogEntry.objects.filter(action="facilities.import")
    assert entries.count() == 2 and all(e.user_id == manager.pk for e in entries)
    history = client.get(reverse("wagtailsnippets_facilities_facility:history_results",
                                 args=[Facility.objects.first().pk]))
    assert "从机构名单导入" in history.content.decode()


def test_a_bad_file_shows_every_error_and_writes_nothing(client, manager):
    preview = upload(client, make_csv([row(services="婚检、量子筛查"), row(licence="X", valid="明年")]))
    page = preview.content.decode()
    assert "量子筛查" in page and "有效期至" in page and "确认导入这些变更" not in page
    assert Facility.objects.count() == 0


def test_an_expired_upload_token_is_refused(client, manager):
    response = client.post(IMPORT_URL, {"token": "6c1b0a52-3c1e-4c2f-9a5e-3f0e5f6c1b0a", "name": "x.csv"})
    assert response.status_code == 302 and Facility.objects.count() == 0


def test_people_without_the_role_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    user.user_permissions.add(*__import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects
                              .filter(codename="access_admin"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code in (302, 403)


def test_listing_flags_expired_licences_filters_and_exports(client, manager, sample_facilities):
    listing_url = reverse("wagtailsnippets_facilities_facility:list")
    expired = client.get(listing_url, {"licence": "expired"}).content.decode()
    assert "北京朝阳康宁医院" in expired and "已过期" in expired and "东城区妇幼保健院" not in expired
    assert "导入" in client.get(listing_url).content.decode()
    export = client.get(listing_url, {"export": "csv", "region": "110101"})
    body = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "许可证号" in body and "东城区妇幼保健院" in body and "成都" not in body


def test_an_alias_added_in_the_admin_is_searchable(client, manager, sample_facilities):
    from content.facilities.records import Service

    service = Service.objects.get(code="thalassemia")
    url = reverse("wagtailsnippets_facilities_service:edit", args=[service.pk])
    response = client.post(url, {"code": service.code, "name": service.name, "aliases": service.aliases + "、海贫",
                                 "life_stages": [s.pk for s in service.life_stages.all()], "description": "",
                                 "sort_order": service.sort_order})
    assert response.status_code == 302
    found = client.get("/api/facilities/", {"q": "海贫", "region": "510100"}).json()
    assert "四川省妇幼保健院" in [r["name"] for r in found["results"]]


def test_the_preview_shows_the_real_change_apart_from_source_only_updates(client, manager, settings,
                                                                          tmp_path):
    """Issue 18: the demo list again with one changed phone and a new 来源公告: one facility changes
    (old → new shown), 113 only get the new source, listed apart; the summary counts the one."""
    from content.facilities.importer import import_file

    from .conftest import SAMPLE

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    assert import_file(SAMPLE, source="2025 年公告").ok
    changed = SAMPLE.read_bytes().replace(b"010-65074657", b"010-65070000", 1)
    response = upload(client, changed, name="facilities.csv", source="2026 年第 3 号公告")
    page = response.content.decode()
    assert "新增 0 家，信息变更 1 家，仅更新来源或核实日期 113 家，未变 0 家" in page
    changed_table = page.split('id="changed-facilities"')[1].split("</table>")[0]
    assert "东城区妇幼保健院" in changed_table and "联系电话" in changed_table
    assert "<del>010-65074657</del>" in changed_table and "<ins>010-65070000</ins>" in changed_table
    assert "北京东城福安医院" not in changed_table  # a source-only update is not listed as a change
    refreshed = page.split('id="refreshed-facilities"')[1].split("</section>")[0]
    assert "113 家机构仅更新来源或核实日期" in refreshed
    assert "北京东城福安医院" in refreshed and "2025 年公告 → 2026 年第 3 号公告" in refreshed


def test_error_rows_name_the_facility(client, manager):
    content = make_csv([row(), row(name="第二家机构", licence="测试许字002号", valid="明年")])
    page = upload(client, content).content.decode()
    errors = page.split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>3</td><td>第二家机构</td><td>有效期至</td>" in errors
