import pytest

from content.facilities.records import Region
from content.facilities.regions import directory, read_divisions, short_forms


@pytest.mark.django_db
def test_migrate_loads_every_division_with_six_digit_codes_and_parents():
    assert Region.objects.count() > 3000
    chaoyang = Region.objects.get(code="110105")
    assert (chaoyang.name, chaoyang.level, chaoyang.parent_id) == ("朝阳区", Region.DISTRICT, "110100")
    assert chaoyang.path_name == "北京市 朝阳区"
    assert Region.objects.get(code="510107").path_name == "四川省 成都市 武侯区"


@pytest.mark.django_db
def test_a_division_without_a_centroid_uses_its_parents():
    xinjin = Region.objects.get(code="510118")  # 新津区: no centroid in the table
    chengdu = Region.objects.get(code="510100")
    assert xinjin.centroid_inherited
    assert (xinjin.latitude, xinjin.longitude) == (chengdu.latitude, chengdu.longitude)


def test_reading_the_table_puts_parents_before_children():
    seen = set()
    for row in read_divisions():
        assert row.parent is None or row.parent in seen
        seen.add(row.code)


@pytest.mark.parametrize("name, forms", [
    ("朝阳区", ["朝阳"]), ("珙县", ["珙"]), ("凉山彝族自治州", ["凉山"]), ("内蒙古自治区", ["内蒙古"]),
    ("新疆维吾尔自治区", ["新疆"]), ("北川羌族自治县", ["北川"]), ("邛崃市", ["邛崃"]),
])
def test_short_forms_strip_suffixes_and_peoples_names(name, forms):
    assert short_forms(name) == forms


@pytest.mark.django_db
@pytest.mark.parametrize("text, codes", [
    ("北京市朝阳区", ["110105"]), ("成都市武侯区", ["510107"]), ("四川省成都市武侯区望江路63号", ["510107"]),
    ("四川省凉山彝族自治州昭觉县清风路192号", ["513431"]), ("北京朝阳区", ["110105"]),
    ("北京市海淀区朝阳路124号", ["110108"]), ("朝阳区", ["110105", "220104"]), ("望江路33号", []),
])
def test_parsing_reads_nested_divisions_from_the_start(text, codes):
    assert directory().parse(text) == codes
