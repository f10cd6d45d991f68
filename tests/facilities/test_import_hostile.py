"""Hostile import files: a zip bomb disguised as XLSX is refused before it is decompressed."""

import zipfile

import pytest
from openpyxl import Workbook

from content.facilities.importer import import_file
from content.facilities.records import Facility

pytestmark = pytest.mark.django_db
HEADER = ["机构名称", "所在地区", "地址", "许可项目", "许可证号"]


def workbook(path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["炸弹测试医院", "北京市朝阳区", "北京市朝阳区测试路1号", "产前筛查", "炸弹许字001号"])
    book.save(path)
    return path


def test_a_zip_bomb_xlsx_is_refused_with_a_chinese_report_and_nothing_written(tmp_path):
    path = workbook(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (40 * 1024 * 1024))  # 40 MB of zeros in ≈ 40 kB
    plan = import_file(path, source="测试")
    assert not plan.ok
    report = "\n".join(plan.report_lines())
    assert "XLSX 文件解压后" in report and "40 MB" in report
    assert not Facility.objects.exists()


def test_an_ordinary_xlsx_still_imports(tmp_path):
    plan = import_file(workbook(tmp_path / "ok.xlsx"), source="测试")
    assert plan.ok, plan.report_lines()
    assert Facility.objects.filter(name="炸弹测试医院").exists()
