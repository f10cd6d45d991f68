"""content/base/spreadsheets.py: every CSV the portal writes keeps formula-looking text as text."""

import csv
import io

import pytest
from django.urls import reverse

from content.base.spreadsheets import safe_cell
from content.facilities.importer import run_import
from tests.facilities.conftest import make_csv, row

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/","点此领取补贴")'


@pytest.fixture
def planted(db):
    plan = run_import(io.BytesIO(make_csv([row(name=EVIL), row(name="@SUM(1+1)", licence="测试许字002号")])),
                      "list.csv", "公告", write=True)
    assert plan.ok, plan.errors
    return plan


def cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_public_facility_csv_exports_a_formula_as_text(client, planted):
    rows = cells(client.get("/api/facilities.csv").content)
    names = [r[0] for r in rows[1:]]
    assert sorted(names) == sorted(["'" + EVIL, "'@SUM(1+1)"])
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_the_admin_list_export_csv_exports_a_formula_as_text(client, planted, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    response = client.get(reverse("wagtailsnippets_facilities_facility:list"), {"export": "csv"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    names = [r[0] for r in cells(body)[1:]]
    assert "'" + EVIL in names and EVIL not in names


def test_numbers_and_ordinary_text_are_left_alone():
    assert safe_cell(-3.5) == -3.5 and safe_cell(12) == 12 and safe_cell(None) is None
    assert safe_cell("北京市朝阳区妇幼保健院") == "北京市朝阳区妇幼保健院"
    assert [safe_cell(v) for v in ["+8610", "-1", "\t=1", "＝1"]] == ["'+8610", "'-1", "'\t=1", "'＝1"]
