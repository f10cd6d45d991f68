"""content/targets/importer.py and the admin import: all-or-nothing with a per-row report, preview then
apply, history kept, editors' imports go to medical review; and value entry in the snippet admin."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from wagtail.models import WorkflowState

from content.base.roles import EDITOR, MEDICAL_REVIEWER, ensure_roles
from content.targets.importer import apply_plan, plan_import
from content.targets.models import Indicator, ReportedValue

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/targets/import/"
HEADER = "省份代码,指标代码,年份,数值,来源,报告日期,备注\n"


def csv_file(*rows, header=HEADER):
    return ("\ufeff" + header + "".join(row + "\n" for row in rows)).encode("utf-8")


def indicator(province, code):
    return Indicator.objects.get(province_code=province, code=code)


def user_with(django_user_model, role, name):
    ensure_roles()
    user = django_user_model.objects.create_user(name, password="pw")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reviewer(client, django_user_model):
    user = user_with(django_user_model, MEDICAL_REVIEWER, "medical")
    client.force_login(user)
    return user


def upload(client, content, name="values.csv", **fields):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), **fields})


GOOD = [
    "110000,prenatal_screening_rate,2025,91.2,北京市妇幼健康统计年报 2025,2026-04-30,",
    "110000,infant_mortality_birth_defects,2025,0.98‰,北京市妇幼健康统计年报 2025,2026/4/30,初步数",
    "510000,premarital_checkup_rate,2025,86.5%,四川省妇幼健康统计年报 2025,2026年4月30日,",
]


def test_a_bad_file_is_rejected_whole_with_a_report_of_every_bad_row():
    content = csv_file(
        GOOD[0],
        "110000,prenatal_screening_rate,2025,101,年报,,",  # % above 100
        "110000,infant_mortality_birth_defects,2025,-0.3,年报,,",  # negative ‰
        "110000,no_such_indicator,2025,50,年报,,",  # unknown code
        "510000,ddh_screening_rate,2025,97,年报,,",  # Sichuan has no 髋关节 target
        "110000,chd_screening_rate,20x5,97,年报,,",  # bad year
        "110000,chd_diagnosis_rate,2025,八十,年报,,",  # not a number
        "110000,chd_intervention_rate,2025,80,,明年,",  # no source, bad date
        GOOD[2],
    )
    plan = plan_import(content, "values.csv")
    assert not plan.ok
    report = {(e.row, e.column): e.reason for e in plan.errors}
    assert report[(3, "数值")] == "百分比数值必须在 0 到 100 之间。"
    assert "千分率不能为负数" in report[(4, "数值")]
    assert "没有这个指标代码" in report[(5, "指标代码")] and "没有这个指标代码" in report[(6, "指标代码")]
    assert "2000 到 2100" in report[(7, "年份")]
    assert report[(8, "数值")] == "不是数字"
    assert (9, "来源") in report and (9, "报告日期") in report
    assert {row for row, _ in report} == {3, 4, 5, 6, 7, 8, 9}  # the good rows are not reported
    with pytest.raises(ValueError):
        apply_plan(plan)
    assert not ReportedValue.objects.exists()


def test_a_file_without_the_required_columns_or_with_a_duplicate_row_is_refused():
    plan = plan_import(
        csv_file("110000,prenatal_screening_rate,91", header="省份代码,指标代码,数值\n"), "x.csv"
    )
    assert {e.column for e in plan.errors} == {"来源", "年份"}
    twice = plan_import(csv_file(GOOD[0], GOOD[0]), "x.csv")
    assert [(e.row, e.column) for e in twice.errors] == [(3, "年份")]
    assert "第 2 行" in twice.errors[0].reason
    assert not plan_import(b"", "empty.csv").ok
    assert not plan_import(b"PK\x03\x04 not really a workbook", "broken.xlsx").ok


def test_preview_then_apply_publishes_for_a_reviewer_and_keeps_the_replaced_value(
    client, reviewer, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    screening = indicator("110000", "prenatal_screening_rate")
    screening.values = [ReportedValue(year=2025, value=Decimal("88.0"), source="快报")]
    screening.save()
    screening.save_revision().publish()
    preview = upload(client, csv_file(*GOOD))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "88 → 91.2%" in html and "确认导入这些变更" in html
    assert indicator("110000", "prenatal_screening_rate").values.get().value == Decimal("88.0")  # nothing yet
    token = preview.context["apply_form"].initial["token"]
    applied = client.post(IMPORT_URL, {"token": token, "name": "values.csv", "province": "", "year": ""})
    assert applied.status_code == 302
    screening = indicator("110000", "prenatal_screening_rate")
    assert screening.values.get(year=2025).value == Decimal("91.2")
    assert screening.values.get(year=2025).reported_on.isoformat() == "2026-04-30"
    assert indicator("110000", "infant_mortality_birth_defects").values.get().note == "初步数"
    assert indicator("510000", "premarital_checkup_rate").values.get().value == Decimal("86.5")
    previous = screening.revisions.order_by("-created_at")[1].as_object()
    assert [v.value for v in previous.values.all()] == [Decimal("88.0")]
    assert screening.latest_revision.user == reviewer
    # the same file again changes nothing
    again = plan_import(csv_file(*GOOD), "values.csv")
    assert again.ok and not again.created and not again.changed and len(again.unchanged) == 3


def test_an_editors_import_waits_for_medical_review(client, django_user_model, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(user_with(django_user_model, EDITOR, "editor"))
    preview = upload(client, csv_file(GOOD[0]))
    assert "提交医学审核" in preview.content.decode()
    token = preview.context["apply_form"].initial["token"]
    client.post(IMPORT_URL, {"token": token, "name": "values.csv"})
    screening = indicator("110000", "prenatal_screening_rate")
    assert not screening.values.exists()  # not live yet
    assert screening.has_unpublished_changes
    assert WorkflowState.objects.filter(object_id=str(screening.pk), status="in_progress").exists()
    draft = screening.get_latest_revision_as_object()
    assert [v.value for v in draft.values.all()] == [Decimal("91.2")]
    # while it waits, a second import of the same indicator is refused rather than overwriting the draft
    assert "未发布的修改" in plan_import(csv_file(GOOD[0]), "x.csv").errors[0].reason


def test_xlsx_with_the_year_and_province_given_in_the_form(admin_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["指标代码", "数值", "来源"])
    sheet.append(["chd_screening_rate", 91.5, "四川省年报"])
    sheet.append(["infant_mortality_birth_defects", 1.05, "四川省年报"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_import(buffer.getvalue(), "values.xlsx", province="510000", year=2024)
    assert plan.ok, plan.errors
    apply_plan(plan, user=admin_user)
    values = ReportedValue.objects.filter(indicator__province_code="510000", year=2024)
    assert sorted(v.value for v in values) == [Decimal("1.05"), Decimal("91.5")]


def test_people_without_the_permission_cannot_open_the_import(client, django_user_model):
    ensure_roles()
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(IMPORT_URL).status_code in (302, 403)


def test_values_entered_in_the_snippet_admin_are_checked_against_the_unit(admin_client):
    target = indicator("110000", "prenatal_screening_rate")
    url = f"/admin/snippets/targets/indicator/edit/{target.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "报告值" in page.content.decode()
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = (
            [t.pk for t in value] if name == "topics" else (value.pk if hasattr(value, "pk") else value)
        )
    data.update(
        {
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "0",
            "values-MAX_NUM_FORMS": "1000",
            "values-0-year": "2025",
            "values-0-value": "120",
            "values-0-source": "年报",
            "values-0-ORDER": "1",
        }
    )
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "百分比数值必须在 0 到 100 之间。" in refused.content.decode()
    assert not target.values.exists()
    data["values-0-value"] = "92.5"
    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    assert indicator(
        "110000", "prenatal_screening_rate"
    ).get_latest_revision_as_object().values.get().value == Decimal("92.5")
