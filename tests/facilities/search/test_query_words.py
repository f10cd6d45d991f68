"""What the finder understands in what a person typed: whole region names only, service names by
their start, their pinyin, the editors' synonyms, and a 「您是不是要找」 for a mistyped word."""

import pytest

from content.facilities.records import Facility
from content.facilities.search import FacilityQuery, search
from content.facilities.search.planning import plan_for
from content.facilities.search.vocabulary import vocabulary_changed
from search import synonyms

pytestmark = pytest.mark.django_db


def names(q: str) -> list[str]:
    result = search(FacilityQuery(q=q, page_size=100))
    by_id = dict(Facility.objects.filter(pk__in=[h.facility_id for h in result.hits]).values_list("pk", "name"))
    return [by_id[h.facility_id] for h in result.hits]


def service_count(code: str) -> int:
    return Facility.objects.licence_current().filter(facility_services__service__code=code).distinct().count()


def test_a_character_inside_another_word_never_names_a_district(sample_facilities):
    # Before: 孕检 was read inside 怀[孕检]查 and the leftover 怀 matched 怀柔区 — two 怀柔 facilities.
    plan = plan_for("怀孕检查")
    assert not plan.region_concepts
    assert [c.text for c in plan.concepts] == ["怀孕", "检查"]
    found = names("怀孕检查")
    assert sum("怀柔" not in name for name in found) > 0


def test_a_whole_short_name_of_a_district_still_does(sample_facilities):
    assert names("武侯 婚检")[0] == "成都市武侯区妇幼保健院"
    assert [c.text for c in plan_for("朝阳 唐筛").region_concepts] == ["朝阳"]


@pytest.mark.parametrize("typed", ["唐氏", "tangshai", "唐筛"])
def test_the_start_or_the_pinyin_of_a_service_finds_its_facilities(sample_facilities, typed):
    found = names(typed)
    assert len(found) == service_count("prenatal_screening") > 0


def test_hunjian_finds_the_premarital_checkups(sample_facilities):
    assert len(names("hunjian")) == service_count("premarital_checkup") > 0


def test_an_editors_synonym_names_a_test_the_taxonomy_lacks(sample_facilities):
    from search.models import SynonymGroup

    # The seeded vocabulary knows 四维彩超: without it, the finder does not.
    SynonymGroup.objects.filter(terms__contains="四维彩超").update(active=False)
    synonyms.invalidate()
    vocabulary_changed()
    assert names("四维彩超") == []
    SynonymGroup.objects.create(terms="四维彩超、产前超声筛查", note="俗称")
    synonyms.invalidate()
    vocabulary_changed()
    assert len(names("四维彩超")) == service_count("prenatal_ultrasound") > 0


@pytest.mark.parametrize("typed, service", [
    ("四维彩超", "prenatal_ultrasound"),  # colloquial name of the seeded medical vocabulary
    ("扎脚后跟", "newborn_metabolic_screening"),  # one-way: 扎脚后跟 → 足跟血
    ("hip dysplasia", "ddh_screening"),  # English name
])
def test_the_medical_vocabulary_reaches_the_finder(sample_facilities, typed, service):
    assert len(names(typed)) == service_count(service) > 0


@pytest.mark.parametrize("typed, meant", [("堂筛", "唐筛"), ("婚简", "婚检"), ("武候 婚检", "武侯 婚检")])
def test_a_mistyped_word_gets_a_did_you_mean(sample_facilities, typed, meant):
    assert plan_for(typed).suggestion == meant
    assert plan_for(meant).suggestion is None
