"""/api/targets/ and /api/targets.csv: fields, filters, 400 for unknown filter values, the same numbers."""

import csv
import io
from decimal import Decimal

import pytest

from content.targets.models import Indicator, ReportedValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(db):
    """A few reported values on the seeded indicators (the migration seeds the indicators themselves)."""
    rows = {
        ("110000", "prenatal_screening_rate"): [(2023, "85.8", "北京市年报"), (2024, "88.1", "北京市年报")],
        ("110000", "infant_mortality_birth_defects"): [
            (2024, "1.2", "北京市年报"),
            (2025, "0.95", "=HYPERLINK()"),
        ],
        ("510000", "premarital_checkup_rate"): [(2025, "86.0", "四川省年报")],
    }
    for (province, code), entries in rows.items():
        indicator = Indicator.objects.get(province_code=province, code=code)
        indicator.values = [ReportedValue(year=y, value=Decimal(v), source=s) for y, v, s in entries]
        indicator.save()


def test_json_lists_every_live_indicator_with_values_latest_and_gap(client, values):
    data = client.get("/api/targets/").json()
    assert data["count"] == 32
    by_key = {(r["province_code"], r["code"]): r for r in data["results"]}
    screening = by_key[("110000", "prenatal_screening_rate")]
    assert screening["indicator"] == "产前筛查率"
    assert (screening["unit"], screening["direction"], screening["target"], screening["target_year"]) == (
        "%",
        "at_least",
        90.0,
        2027,
    )
    assert screening["values"][0] == {
        "year": 2023,
        "value": 85.8,
        "source": "北京市年报",
        "reported_on": None,
        "sample_data": False,
    }
    assert screening["latest"]["year"] == 2024 and screening["latest"]["value"] == 88.1
    assert screening["gap"] == {"met": False, "points": 1.9, "text": "还差 1.9 个百分点"}
    infant = by_key[("110000", "infant_mortality_birth_defects")]
    assert infant["unit"] == "‰" and infant["direction"] == "at_most"
    assert infant["gap"] == {"met": True, "points": 0.0, "text": "已达标"}
    assert by_key[("110000", "ddh_screening_rate")]["gap"] is None
    assert by_key[("110000", "ddh_screening_rate")]["latest"] is None


def test_filters_by_province_and_life_stage(client, values):
    sichuan = client.get("/api/targets/?province=510000").json()
    assert sichuan["count"] == 14 and {r["province_code"] for r in sichuan["results"]} == {"510000"}
    newborn = client.get("/api/targets/?province=110000&life_stage=newborn").json()
    assert newborn["count"] == 12
    assert {r["life_stage"] for r in newborn["results"]} == {"newborn"}
    csv_rows = list(
        csv.DictReader(io.StringIO(client.get("/api/targets.csv?life_stage=child").content.decode()[1:]))
    )
    assert {row["指标代码"] for row in csv_rows} == {
        "infant_mortality_birth_defects",
        "under5_mortality_birth_defects",
    }


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("province=990000", "province"),
        ("province=beijing", "province"),
        ("life_stage=elderly", "life_stage"),
        ("province=110000&life_stage=%22%3E%3Cscript%3E", "life_stage"),
    ],
)
@pytest.mark.parametrize("url", ["/api/targets/", "/api/targets.csv"])
def test_unknown_filter_values_answer_400_naming_the_parameter(client, url, query, parameter):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert "未知" in body["error"]


def test_csv_is_utf8_with_bom_neutralises_formulas_and_gives_the_same_numbers_as_the_json(client, values):
    response = client.get("/api/targets.csv?province=110000")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    data = client.get("/api/targets/?province=110000").json()["results"]
    assert len({row["指标代码"] for row in rows}) == len(data) == 18
    by_code = {r["code"]: r for r in data}
    compared = 0
    for row in rows:
        target = by_code[row["指标代码"]]
        assert float(row["目标值"]) == target["target"]
        assert int(row["目标年份"]) == target["target_year"]
        assert row["单位"] == target["unit"] and row["指标名称"] == target["indicator"]
        if target["latest"]:
            assert float(row["最新值"]) == target["latest"]["value"]
            assert float(row["差距"]) == target["gap"]["points"]
            assert row["差距说明"] == target["gap"]["text"]
        else:
            assert row["最新值"] == row["差距"] == row["年份"] == ""
        if row["年份"]:
            json_value = next(v for v in target["values"] if v["year"] == int(row["年份"]))
            assert float(row["数值"]) == json_value["value"]
            compared += 1
    assert compared == 4
    assert any(row["来源"] == "'=HYPERLINK()" for row in rows)


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/targets/" in schema["paths"] and "/api/targets.csv" in schema["paths"]
    props = schema["components"]["schemas"]["TargetOut"]["properties"]
    for name in (
        "province_code",
        "indicator",
        "code",
        "unit",
        "direction",
        "target",
        "target_year",
        "values",
        "latest",
        "gap",
    ):
        assert name in props
