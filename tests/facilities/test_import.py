"""content/facilities/importer.py and the import_facilities command."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from content.facilities.importer import parse_date, run_import, split_items
from content.facilities.records import Facility, FacilityTerm

from .conftest import HEADER, SAMPLE, make_csv, row

pytestmark = pytest.mark.django_db


def run(content: bytes, name="list.csv", source=None):
    """Check and write, as the command does (nothing is written if any row is bad)."""
    return run_import(io.BytesIO(content), name, source, write=True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(encoding):
    plan = run(make_csv([row(name="朝阳区测试妇幼保健院")], encoding=encoding))
    assert plan.ok, plan.errors
    assert Facility.objects.get().name == "朝阳区测试妇幼保健院"


def test_english_headers_in_any_order_with_extra_columns_ignored():
    header = ["licence_number", "services", "name", "address", "region", "unused column"]
    content = make_csv(
        [["EN-1", "唐筛、NIPT", "Test Clinic 测试", "北京市朝阳区某路1号", "110105", "x"]], header=header
    )
    plan = run(content)
    assert plan.ok, plan.errors
    facility = Facility.objects.get()
    assert facility.region_id == "110105"
    assert {fs.service.code for fs in facility.facility_services.all()} == {"prenatal_screening", "nipt"}


def test_aliases_and_parenthesised_sub_items_belong_to_their_service():
    services = "婚检；产前诊断（遗传咨询、医学影像、细胞遗传）；无创DNA，大排畸"
    run(make_csv([row(services=services, free="婚检")]))
    offered = {fs.service.code: fs for fs in Facility.objects.get().facility_services.all()}
    assert set(offered) == {"premarital_checkup", "prenatal_diagnosis", "nipt", "prenatal_ultrasound"}
    assert offered["prenatal_diagnosis"].sub_item_list == ["遗传咨询", "医学影像", "细胞遗传"]
    assert offered["premarital_checkup"].free and not offered["nipt"].free


def test_split_items_keeps_parentheses_whole():
    assert split_items("产前诊断（遗传咨询、医学影像），遗传咨询;地贫") == [
        "产前诊断（遗传咨询、医学影像）",
        "遗传咨询",
        "地贫",
    ]


@pytest.mark.parametrize("value, expected", [
    ("2027-06-30", datetime.date(2027, 6, 30)), ("2027/6/30", datetime.date(2027, 6, 30)),
    ("2027年6月30日", datetime.date(2027, 6, 30)), ("2027年06月30日", datetime.date(2027, 6, 30)),
    ("2027.6.30", datetime.date(2027, 6, 30)), ("20270630", datetime.date(2027, 6, 30)),
    ("46568", datetime.date(2027, 6, 30)), (46568, datetime.date(2027, 6, 30)),
    (datetime.datetime(2027, 6, 30, 0, 0), datetime.date(2027, 6, 30)), ("", None), ("长期", None),
])
def test_date_forms(value, expected):
    assert parse_date(value) == expected


def test_xlsx_with_excel_dates_and_numeric_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["表格妇幼保健院", 510107, "四川省成都市武侯区某路1号", 2887654321, "唐筛", "X-1", "四川省卫健委",
                  datetime.datetime(2028, 3, 3), None, 104.04, 30.64])
    sheet.append(["表格医院二", None, "四川省成都市青羊区某路2号", None, "地贫", "X-2", None, 46568, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = run(buffer.getvalue(), "list.xlsx")
    assert plan.ok, plan.errors
    first, second = Facility.objects.order_by("licence_number")
    assert first.region_id == "510107" and first.licence_valid_until == datetime.date(2028, 3, 3)
    assert first.phone_list == ["2887654321"]
    assert second.region_id == "510105" and second.licence_valid_until == datetime.date(2027, 6, 30)


@pytest.mark.parametrize("region, address, expected", [
    ("110105", "北京市朝阳区某路1号", "110105"),
    ("110105000000", "某路1号", "110105"),
    ("四川省成都市武侯区", "某路1号", "510107"),
    ("成都市武侯区", "某路1号", "510107"),
    ("", "四川省成都市郫都区某路1号", "510117"),
    ("北京市", "北京市海淀区某路1号", "110108"),  # the address refines a coarse region
    ("朝阳区", "北京市朝阳区某路1号", "110105"),  # an ambiguous name settled by the address
])
def test_region_from_code_name_or_address(region, address, expected):
    plan = run(make_csv([row(region=region, address=address)]))
    assert plan.ok, plan.errors
    assert Facility.objects.get().region_id == expected


def test_missing_coordinates_use_the_region_centroid_marked_approximate():
    run(make_csv([row(region="510118", address="成都市新津区某路", lng="", lat="")]))  # 新津区: parent's centroid
    facility = Facility.objects.get()
    assert facility.location_approximate
    assert (facility.latitude, facility.longitude) == (30.572893, 104.066794)


def test_reimporting_the_same_file_changes_nothing():
    content = SAMPLE.read_bytes()
    first = run(content, source="公告一")
    assert len(first.created) == 114
    stamp = {f.pk: f.updated_at for f in Facility.objects.all()}
    second = run(content, source="公告一")
    assert (len(second.created), len(second.changed), len(second.unchanged)) == (0, 0, 114)
    assert {f.pk: f.updated_at for f in Facility.objects.all()} == stamp


def test_a_changed_row_updates_its_facility_found_by_licence_number():
    run(make_csv([row(phone="010-1"), row(name="另一家", licence="测试许字002号")]))
    plan = run(make_csv([row(phone="010-2", services="产前筛查、唐筛、婚检"),
                         row(name="另一家", licence="测试许字002号")]))
    assert [c.row.licence_number for c in plan.changed] == ["测试许字001号"]
    assert set(plan.changed[0].changed_fields) == {"联系电话", "许可项目"}
    facility = Facility.objects.get(licence_number="测试许字001号")
    assert facility.phone_list == ["010-2"]
    assert facility.facility_services.count() == 2
    assert FacilityTerm.objects.filter(facility=facility, term="svc:premarital_checkup").exists()


def test_any_bad_row_rejects_the_whole_file_with_a_report_of_every_bad_row():
    rows = [
        row(licence="OK-1"),
        row(licence="BAD-1", services="唐筛、量子筛查", valid="明年"),
        row(licence="OK-1"),  # duplicate
        row(licence="BAD-2", region="火星市", lat="95"),
        row(licence="BAD-3", name="", address=""),
    ]
    plan = run(make_csv(rows))
    assert not plan.ok
    assert Facility.objects.count() == 0
    found = {(e.row, e.column) for e in plan.errors}
    assert {(3, "许可项目"), (3, "有效期至"), (4, "许可证号"), (5, "所在地区"), (5, "纬度"),
            (6, "机构名称"), (6, "地址")} <= found
    unknown = next(e for e in plan.errors if e.column == "许可项目")
    assert unknown.value == "唐筛、量子筛查" and "量子筛查" in unknown.reason


def test_missing_required_columns_are_reported():
    plan = run(make_csv([["某机构", "北京市朝阳区"]], header=["机构名称", "所在地区"]))
    assert {e.column for e in plan.errors} == {"地址", "许可项目", "许可证号"}


def test_not_a_spreadsheet_is_rejected_cleanly():
    plan = run(b"PK\x03\x04garbage", "list.xlsx")
    assert not plan.ok and plan.errors[0].row == 1


def test_ambiguous_or_unknown_regions_ask_for_a_code():
    plan = run(make_csv([row(region="朝阳区", address="某路1号")]))
    assert "歧义" in plan.errors[0].reason


def test_dry_run_command_reports_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(make_csv([row()]))
    call_command("import_facilities", str(path), "--dry-run")
    assert "would create 1" in capsys.readouterr().out
    assert Facility.objects.count() == 0
    call_command("import_facilities", str(path), "--source", "北京市卫健委公告")
    assert Facility.objects.get().source == "北京市卫健委公告"


def test_command_fails_with_the_row_report(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(make_csv([row(valid="2027-13-45")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_facilities", str(path))
    assert "第 2 行（测试妇幼保健院）有效期至「2027-13-45」：不是有效的日期" in capsys.readouterr().err


def test_reports_are_in_chinese():
    plan = run(make_csv([row(), row(licence="BAD-1", services="量子筛查")]))
    assert plan.summary() == "1 处错误，未导入任何数据"
    assert plan.report_lines() == ["第 3 行（测试妇幼保健院）许可项目「量子筛查」："
                                   "未知的服务项目：量子筛查（请使用服务目录中的名称或别名）"]
    assert run(b"", "list.csv").report_lines() == ["第 1 行 文件：文件是空的"]


def test_an_import_is_recorded_in_the_admin_history():
    run(make_csv([row()]), source="公告")
    entry = ModelLogEntry.objects.get(action="facilities.import")
    assert entry.object_id == str(Facility.objects.get().pk)
    assert entry.data["source"] == "公告" and entry.data["created"] is True


def test_referral_column_links_to_the_designated_centre():
    header = HEADER + ["对口诊断机构"]
    rows = [row(licence="C-1", name="诊断中心") + [""], row(licence="S-1", name="筛查机构") + ["C-1"]]
    assert run(make_csv(rows, header=header)).ok
    assert Facility.objects.get(licence_number="S-1").referral_centre.name == "诊断中心"
    bad = run(make_csv([row(licence="S-2") + ["不存在的中心"]], header=header))
    assert bad.errors[0].column == "对口诊断机构"


def test_a_bad_row_after_several_written_batches_still_writes_nothing(monkeypatch):
    """The file is streamed and written a batch at a time, in one transaction: a bad last row rolls
    back the batches already written."""
    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 3)
    rows = [row(name=f"第{i}家", licence=f"批量-{i}") for i in range(10)]
    rows.append(row(licence="批量-坏", valid="明年"))
    plan = run(make_csv(rows))
    assert [(e.row, e.column) for e in plan.errors] == [(12, "有效期至")]
    assert Facility.objects.count() == 0 and FacilityTerm.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action="facilities.import").exists()


def test_import_writes_in_bulk_not_row_by_row(django_assert_max_num_queries):
    rows = [row(name=f"批量{i}号妇幼保健院", licence=f"批量-{i}", services="唐筛、婚检") for i in range(60)]
    with django_assert_max_num_queries(40):
        plan = run(make_csv(rows))
    assert plan.ok and len(plan.created) == 60
    facility = Facility.objects.get(licence_number="批量-7")
    assert {fs.service.code for fs in facility.facility_services.all()} == {"prenatal_screening",
                                                                            "premarital_checkup"}
    assert FacilityTerm.objects.filter(facility=facility, term="svc:prenatal_screening").exists()
    assert ModelLogEntry.objects.filter(action="facilities.import").count() == 60


# ---------------------------------------------------------------- issue 14: clean identifiers, encodings

@pytest.mark.parametrize("dressed", ["测试许字\u200b001号", "\ufeff测试许字001号", "测试许字001号\u2060",
                                     "测试许字００１号", "测试许字\u00ad001号"])
def test_an_invisible_or_full_width_character_does_not_make_a_new_licence(dressed):
    run(make_csv([row()]))
    plan = run(make_csv([row(licence=dressed)]))
    assert plan.ok, plan.errors
    assert (len(plan.created), len(plan.unchanged)) == (0, 1)
    assert list(Facility.objects.values_list("licence_number", flat=True)) == ["测试许字001号"]


def test_a_nul_in_a_cell_is_refused_with_a_row_report():
    plan = run(make_csv([row(), row(licence="测试许字\x00002号", name="第二家")]))
    assert not plan.ok and Facility.objects.count() == 0
    assert plan.report_lines() == ["第 3 行（第二家）许可证号「测试许字\\0002号」："
                                   "含有 NUL 空字符（\\0）：文件已损坏，或不是正常导出的表格"]


def test_a_big5_file_is_reported_as_the_wrong_encoding_not_as_missing_columns():
    header = ["機構名稱", "所在地區", "地址", "聯繫電話", "許可項目", "許可證號", "發證機關", "有效期至",
              "免費服務", "經度", "緯度"]
    traditional = row(name="臺北測試醫院", region="北京市朝陽區", address="北京市朝陽區測試路1號", services="產前篩查",
                      licence="測試許字001號", authority="北京市衛生健康委員會")
    content = make_csv([traditional], header=header, encoding="big5")
    plan = run(content)
    assert [str(e) for e in plan.errors] == [
        "第 1 行 文件：文件是 Big5（繁体中文）编码，导入不能读取：请另存为 UTF-8 编码的 CSV 后重新导入"]
    assert Facility.objects.count() == 0


def test_a_gb18030_file_with_unknown_headers_is_still_reported_as_missing_columns():
    plan = run(make_csv([["某机构", "北京市朝阳区"]], header=["机构名称", "所在地区"], encoding="gb18030"))
    assert {e.column for e in plan.errors} == {"地址", "许可项目", "许可证号"}


# ---------------------------------------------------------------- issue 10: bounded memory, worker analysis

@pytest.mark.parametrize("workers", [0, 1])
def test_the_analysis_worker_writes_the_same_index_as_the_serial_path(monkeypatch, workers):
    """Terms are analysed in a second process (workers=1) while the next batch is written; a batch's
    terms then go in after the next batch: every facility still gets exactly its own terms."""
    from content.facilities.search.terms import facility_terms

    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 4)
    rows = [row(name=f"第{i}妇幼保健院", licence=f"并行-{i}", address=f"北京市朝阳区测试路{i}号",
                services="唐筛、婚检" if i % 2 else "产前诊断（遗传咨询、医学影像）") for i in range(11)]
    plan = run_import(io.BytesIO(make_csv(rows)), "list.csv", write=True, workers=workers)
    assert plan.ok and plan.written == 11
    for facility in Facility.objects.prefetch_related("facility_services__service"):
        stored = {(t.term, t.field): t.weight for t in FacilityTerm.objects.filter(facility=facility)}
        assert stored == facility_terms(facility), facility.name


def test_a_long_file_keeps_the_first_rows_of_each_group_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr("content.facilities.importer.KEEP_ROWS", 3)
    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 4)
    plan = run(make_csv([row(name=f"第{i}家", licence=f"多-{i}") for i in range(10)]))
    assert plan.ok and len(plan.created) == 10 and plan.written == 10
    assert [c.row.licence_number for c in plan.created] == ["多-0", "多-1", "多-2"]
    assert plan.created[:2] == plan.created.kept[:2]
    assert Facility.objects.count() == 10
    lines = plan.report_lines()
    assert len(lines) == 4 and "7" in lines[-1]


def test_every_bad_row_is_still_reported_when_the_groups_are_bounded(monkeypatch):
    monkeypatch.setattr("content.facilities.importer.KEEP_ROWS", 2)
    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 3)
    monkeypatch.setattr("content.facilities.importer.FileRegister.FLUSH_EVERY", 2)
    rows = [row(name=f"第{i}家", licence=f"坏-{i}", valid="明年" if i % 3 == 0 else "2030-01-01")
            for i in range(12)]
    rows.append(row(name="重复", licence="坏-1"))  # a duplicate of row 3, long since flushed to disk
    plan = run(make_csv(rows))
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "有效期至"), (5, "有效期至"), (8, "有效期至"), (11, "有效期至"), (14, "许可证号")]
    assert "第 3 行" in str(plan.errors[-1])
    assert Facility.objects.count() == 0 and FacilityTerm.objects.count() == 0


def test_a_referral_to_a_facility_many_batches_later_in_the_file(monkeypatch):
    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 2)
    monkeypatch.setattr("content.facilities.importer.FileRegister.FLUSH_EVERY", 2)
    header = HEADER + ["对口诊断机构"]
    rows = [row(licence="S-1", name="筛查机构") + ["远方诊断中心"]]
    rows += [row(licence=f"中-{i}", name=f"中间{i}") + [""] for i in range(6)]
    rows.append(row(licence="C-9", name="远方诊断中心") + [""])
    plan = run(make_csv(rows, header=header))
    assert plan.ok, plan.errors
    assert Facility.objects.get(licence_number="S-1").referral_centre.licence_number == "C-9"


def _term_indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, FacilityTerm._meta.db_table)
    return sorted((tuple(c["columns"]), bool(c["unique"])) for c in constraints.values() if c["index"])


def test_a_first_import_leaves_the_term_table_with_its_indexes(monkeypatch):
    """On SQLite a first import builds the term table's secondary indexes at the end instead of
    inserting into them; they are there afterwards, and after a rolled-back import, as before."""
    monkeypatch.setattr("content.facilities.importer.BATCH_SIZE", 3)
    before = _term_indexes()
    assert (("term", "field", "facility_id"), False) in before
    bad = run(make_csv([row(name=f"第{i}家", licence=f"索引-{i}") for i in range(7)] + [row(valid="明年")]))
    assert not bad.ok and _term_indexes() == before and FacilityTerm.objects.count() == 0
    plan = run(make_csv([row(name=f"第{i}家", licence=f"索引-{i}") for i in range(7)]))
    assert plan.ok and _term_indexes() == before
    assert FacilityTerm.objects.filter(term="svc:prenatal_screening").count() == 7
