"""content/targets models: the seeded plan indicators, the value rules, the history of a changed value."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from content.targets.models import Indicator, ReportedValue
from content.targets.plans import TARGETS

pytestmark = pytest.mark.django_db


def indicator(province, code):
    return Indicator.objects.get(province_code=province, code=code)


def test_every_target_of_both_plans_is_seeded_from_the_plans_wording():
    beijing = Indicator.objects.for_province("110000")
    sichuan = Indicator.objects.for_province("510000")
    assert beijing.count() == 18 and sichuan.count() == 14
    assert beijing.live().count() == 18 and sichuan.live().count() == 14
    assert sum(len(targets) for _, targets in TARGETS.values()) == 32
    premarital = indicator("110000", "premarital_checkup_rate")
    assert (premarital.target_value, premarital.unit, premarital.direction, premarital.target_year) == (
        Decimal(70),
        "%",
        "at_least",
        2027,
    )
    assert premarital.life_stage.code == "premarital"
    assert "婚前医学检查率、孕前优生健康检查目标人群覆盖率分别保持在70%和80%以上" in premarital.plan_clause
    assert premarital.numerator and premarital.denominator
    assert indicator("510000", "premarital_checkup_rate").target_value == 85
    assert indicator("510000", "preconception_checkup_coverage").target_value == 85
    # Sichuan sets no 髋关节 target and no 严重结构畸形 target; Beijing does.
    assert not sichuan.filter(code__startswith="ddh").exists()
    assert beijing.filter(code__startswith="ddh").count() == 3
    assert indicator("110000", "structural_anomaly_prenatal_diagnosis_rate").target_value == 95
    assert indicator("510000", "newborn_hearing_screening_rate").target_value == 90
    assert indicator("510000", "newborn_hearing_screening_rate").name == "新生儿听力障碍筛查率"
    assert indicator("110000", "newborn_hearing_screening_rate").target_value == 98
    assert indicator("510000", "chd_screening_rate").target_value == 90
    assert indicator("110000", "chd_diagnosis_rate").target_value == 80
    infant = indicator("510000", "infant_mortality_birth_defects")
    assert (infant.target_value, infant.unit, infant.direction) == (Decimal("1.0"), "‰", "at_most")
    assert indicator("110000", "under5_mortality_birth_defects").target_value == Decimal("1.1")
    assert "2027年筛查率达到90%" in indicator("510000", "chd_screening_rate").plan_clause
    assert list(indicator("110000", "ddh_screening_rate").topics.values_list("code", flat=True)) == ["ddh"]


def test_a_percentage_outside_0_to_100_is_refused_with_a_chinese_message():
    screening = indicator("110000", "prenatal_screening_rate")
    with pytest.raises(ValidationError) as error:
        ReportedValue(indicator=screening, year=2025, value=Decimal("100.5"), source="统计年报").full_clean()
    assert error.value.message_dict["value"] == ["百分比数值必须在 0 到 100 之间。"]
    with pytest.raises(ValidationError):
        ReportedValue(indicator=screening, year=2025, value=Decimal("-1"), source="统计年报").full_clean()
    ReportedValue(indicator=screening, year=2025, value=Decimal("100"), source="统计年报").full_clean()


def test_a_negative_per_mille_rate_is_refused_and_so_is_an_impossible_target():
    infant = indicator("110000", "infant_mortality_birth_defects")
    with pytest.raises(ValidationError) as error:
        ReportedValue(indicator=infant, year=2025, value=Decimal("-0.2"), source="统计年报").full_clean()
    assert "千分率不能为负数" in error.value.message_dict["value"][0]
    ReportedValue(indicator=infant, year=2025, value=Decimal("1.3"), source="统计年报").full_clean()
    infant.unit, infant.target_value = "%", Decimal("120")
    with pytest.raises(ValidationError) as error:
        infant.full_clean()
    assert "target_value" in error.value.message_dict


def test_a_changed_value_keeps_its_previous_value_in_the_revision_history():
    screening = indicator("510000", "prenatal_screening_rate")
    screening.values.add(ReportedValue(year=2025, value=Decimal("86.4"), source="四川省妇幼卫生年报 2025"))
    screening.save()
    first = screening.save_revision()
    first.publish()
    value = screening.values.get(year=2025)
    value.value = Decimal("87.1")
    screening.values = [value]
    screening.save_revision().publish()
    screening.refresh_from_db()
    assert screening.values.get(year=2025).value == Decimal("87.1")
    assert screening.revisions.count() == 2
    old = first.as_object()
    assert [(v.year, v.value) for v in old.values.all()] == [(2025, Decimal("86.4"))]


def test_latest_value_and_gap_follow_the_most_recent_year():
    hearing = indicator("110000", "newborn_hearing_screening_rate")
    hearing.values = [
        ReportedValue(year=2024, value=Decimal("97.5"), source="年报"),
        ReportedValue(year=2023, value=Decimal("96.0"), source="年报"),
    ]
    hearing.save()
    hearing = Indicator.objects.with_values().get(pk=hearing.pk)
    assert hearing.latest.year == 2024
    assert hearing.gap.text == "还差 0.5 个百分点"
    assert hearing.target_text == "≥ 98%"
    assert indicator("110000", "ddh_screening_rate").gap is None
