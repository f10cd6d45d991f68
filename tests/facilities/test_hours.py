"""Opening hours: the Chinese forms facility lists use, 「正在营业」 in Asia/Shanghai with 法定节假日 and
调休, the 「只看正在营业」 filter on the page and the API, and schema.org in the JSON-LD."""

import datetime
import json
import re

import pytest

from content.facilities.hours import SHANGHAI, parse_hours

WEEKDAYS = [0, 1, 2, 3, 4]


def at(y, m, d, hh, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text, days, periods", [
    ("周一至周五 8:00-12:00，13:30-17:00", WEEKDAYS, [("08:00", "12:00"), ("13:30", "17:00")]),
    ("周一到周五上午8:00-11:30，下午2:00-5:00", WEEKDAYS, [("08:00", "11:30"), ("14:00", "17:00")]),
    ("星期一至星期日 7:30—11:30 13:30—16:30", list(range(7)), [("07:30", "11:30"), ("13:30", "16:30")]),
    ("工作日 08:00～17:00，周末休息", WEEKDAYS, [("08:00", "17:00")]),
    ("每天8点-17点半", list(range(7)), [("08:00", "17:30")]),
    ("8:00-17:00（午休12:00-13:30）", list(range(7)), [("08:00", "12:00"), ("13:30", "17:00")]),
    ("周一、三、五 8：00-12：00", [0, 2, 4], [("08:00", "12:00")]),
    ("周六上午", [5], [("08:00", "12:00")]),
    ("周二下午", [1], [("13:30", "17:00")]),
    ("门诊时间：周一至周五 8:00-17:00", WEEKDAYS, [("08:00", "17:00")]),
])
def test_common_forms(text, days, periods):
    hours = parse_hours(text)
    assert hours.unparsed == []
    assert sorted(hours.days) == days
    assert all(hours.days[d] == periods for d in days)


def test_several_groups_holidays_and_words():
    hours = parse_hours("周一至周五 8:00-12:00，13:30-17:00；周六上午；节假日休息")
    assert hours.days[5] == [("08:00", "12:00")] and 6 not in hours.days
    assert hours.holidays == "closed"
    assert hours.describe() == ["周一至周五 08:00–12:00、13:30–17:00", "周六 08:00–12:00", "法定节假日休息"]


def test_twenty_four_hours():
    for text in ("24小时", "全天24小时急诊", "24小时开放", "全年无休"):
        hours = parse_hours(text)
        assert hours.always and hours.unparsed == [] and hours.is_open(at(2026, 12, 6, 3)) is True
    assert parse_hours("24小时").describe() == ["24小时开放"]


def test_what_cannot_be_read_is_reported():
    assert parse_hours("请电话预约").unparsed == ["请电话预约"]
    assert not parse_hours("请电话预约").known
    assert parse_hours("周一至周五").unparsed  # days without times
    assert parse_hours("周一 25:00-26:00").unparsed
    assert parse_hours("").unparsed == [] and parse_hours("").is_open() is None


def test_open_now_in_shanghai_time_with_lunch_break_and_holidays():
    hours = parse_hours("周一至周五 8:00-12:00，13:30-17:00；周六上午；节假日休息")
    assert hours.is_open(at(2026, 12, 3, 9)) is True  # Thursday morning
    assert hours.is_open(at(2026, 12, 3, 12, 30)) is False  # lunch break
    assert hours.is_open(at(2026, 12, 3, 17, 0)) is False  # closing time
    assert hours.is_open(at(2026, 12, 5, 10)) is True and hours.is_open(at(2026, 12, 5, 14)) is False  # Saturday
    assert hours.is_open(at(2026, 12, 6, 10)) is False  # Sunday
    # 09:00 in Shanghai is 01:00 UTC: the time zone of the moment does not matter
    assert hours.is_open(datetime.datetime(2026, 12, 3, 1, 0, tzinfo=datetime.UTC)) is True
    assert hours.is_open(at(2025, 10, 1, 9)) is False  # 国庆节 (a Wednesday)
    assert hours.is_open(at(2025, 9, 28, 9)) is True  # Sunday 28 Sep 2025 was a 调休 working day


def test_schema_org_specification():
    spec = parse_hours("周六上午").schema_org()
    assert spec == [{"@type": "OpeningHoursSpecification", "dayOfWeek": "Saturday", "opens": "08:00",
                     "closes": "12:00"}]


@pytest.mark.django_db
def test_saving_a_facility_reads_its_hours(sample_facilities):
    from content.facilities.records import Facility

    facility = Facility.objects.exclude(opening_hours="").first()
    assert facility.hours["days"]
    facility.opening_hours = "24小时"
    facility.save()
    facility.refresh_from_db()
    assert facility.hours["always"] is True


@pytest.mark.django_db
def test_import_reports_hours_it_cannot_read(tmp_path):
    from content.facilities.importer import import_file

    from .conftest import HEADER, make_csv, row

    path = tmp_path / "list.csv"
    path.write_bytes(make_csv([row() + ["", "逢单日上午看诊"],
                               row(licence="测试许字002号") + ["", "周一至周五 8:00-17:00"]],
                              header=HEADER + ["网址", "开放时间"]))
    plan = import_file(path, dry_run=True)
    assert plan.ok
    warnings = [line for line in plan.report_lines() if "开放时间无法识别" in line]
    assert len(warnings) == 1 and "第 2 行" in warnings[0] and "逢单日" in warnings[0]


@pytest.fixture
def hours_set(sample_facilities, db):
    from content.facilities.records import Facility

    open_one = Facility.objects.get(licence_number="京母婴许字〔2023〕0001号")
    closed_one = Facility.objects.get(licence_number="京母婴许字〔2024〕0025号")
    start = (datetime.datetime.now(SHANGHAI).hour + 3) % 22  # an hour that is never the current one
    open_one.opening_hours, closed_one.opening_hours = "24小时", f"每天 {start}:00-{start + 1}:00"
    open_one.save()
    closed_one.save()
    yield open_one, closed_one


def test_open_now_filter_on_the_api(client, hours_set):
    open_one, closed_one = hours_set
    data = client.get("/api/facilities/", {"open_now": "1", "page_size": "100"}).json()
    ids = [r["id"] for r in data["results"]]
    assert open_one.pk in ids and closed_one.pk not in ids
    assert data["count"] == len(ids) >= 1
    bad = client.get("/api/facilities/", {"open_now": "yes-please"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "open_now"


def test_open_now_on_the_finder_and_the_facility_page(client, hours_set, finder_sites):
    open_one, closed_one = hours_set
    page = client.get("/facilities/", {"open_now": "1", "province": ""}).content.decode()
    assert 'name="open_now" value="1" checked' in page
    assert open_one.name in page and closed_one.name not in page
    assert "正在营业" in page
    detail = client.get(f"/facilities/{closed_one.pk}/").content.decode()
    opens = closed_one.opening.days[0][0][0]
    assert "已下班" in detail and f"周一至周日 {opens}–" in detail
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', detail, re.S).group(1))
    assert data["openingHoursSpecification"][0]["opens"] == opens
