"""The database backend: the shared contract, and what is specific to its SQL."""

import pytest

from content.facilities.records import Facility, FacilityService, FacilityTerm, Service
from content.facilities.search import FacilityQuery
from content.facilities.search.database import DatabaseBackend
from content.facilities.search.indexing import rebuild_index
from content.facilities.search.vocabulary import vocabulary_changed

from .contract import BackendContract


class TestDatabaseBackend(BackendContract):
    @pytest.fixture
    def backend(self, sample_facilities):
        return DatabaseBackend()


@pytest.mark.django_db
def test_an_alias_added_by_an_editor_is_searchable_at_once(sample_facilities):
    service = Service.objects.get(code="thalassemia")
    service.aliases += "、海洋性贫血"
    service.save()
    vocabulary_changed()
    names = [h.facility_id for h in DatabaseBackend().search(FacilityQuery(q="海洋性贫血", region="510100")).hits]
    assert Facility.objects.get(licence_number="川母婴许字〔2024〕0063号").pk in names


@pytest.mark.django_db
def test_saving_a_facility_updates_its_terms(sample_facilities, django_capture_on_commit_callbacks):
    facility = Facility.objects.get(licence_number="京母婴许字〔2023〕0001号")
    with django_capture_on_commit_callbacks(execute=True):
        facility.name = "东城区星光妇幼保健院"
        facility.save()
    assert FacilityTerm.objects.filter(facility=facility, term="星光").exists()
    hits = DatabaseBackend().search(FacilityQuery(q="星光")).hits
    assert [h.facility_id for h in hits] == [facility.pk]


@pytest.mark.django_db
def test_rebuild_gives_the_same_terms(sample_facilities):
    before = set(FacilityTerm.objects.values_list("facility_id", "term", "field"))
    assert rebuild_index() == Facility.objects.count()
    assert set(FacilityTerm.objects.values_list("facility_id", "term", "field")) == before


@pytest.mark.django_db
def test_a_region_named_like_a_hospital_falls_back_to_the_name(sample_facilities):
    # 瑞安 is also 瑞安市 (Zhejiang) and 长宁 a county of 宜宾: neither filters when it finds nothing.
    hits = DatabaseBackend().search(FacilityQuery(q="长宁医院")).hits
    names = set(Facility.objects.filter(pk__in=[h.facility_id for h in hits]).values_list("name", flat=True))
    assert {"北京房山长宁医院", "成都长宁医院"} <= names


@pytest.mark.django_db
def test_partial_matches_when_no_facility_has_every_word(sample_facilities):
    result = DatabaseBackend().search(FacilityQuery(q="朝阳 唐筛 停车场"))
    assert result.partial and result.count > 0


@pytest.mark.django_db
def test_a_broad_query_pages_with_the_count_and_facets_of_every_match(sample_facilities, django_assert_max_num_queries):
    # 唐筛 matches most of the list: every page shows the same total and facets, the pages together
    # list each match once, in the order of the first page's ranking.
    everything = DatabaseBackend().search(FacilityQuery(q="唐筛", page_size=100))
    assert everything.count > 20 and len(everything.hits) == everything.count
    seen = []
    for page in range(1, everything.count // 10 + 2):
        with django_assert_max_num_queries(4):  # a page, not every match, once the facets are known
            result = DatabaseBackend().search(FacilityQuery(q="唐筛", page=page, page_size=10))
        assert result.count == everything.count and result.facets == everything.facets
        seen += [h.facility_id for h in result.hits]
    assert seen == [h.facility_id for h in everything.hits]
    assert sum(everything.facets["region"].values()) == everything.count
    assert everything.facets["service"]["prenatal_screening"] == everything.count


@pytest.mark.django_db
def test_the_count_follows_a_facility_that_adds_the_service(sample_facilities, django_capture_on_commit_callbacks):
    before = DatabaseBackend().search(FacilityQuery(q="唐筛")).count
    other = Facility.objects.licence_current().exclude(
        facility_services__service__code="prenatal_screening").first()
    with django_capture_on_commit_callbacks(execute=True):
        FacilityService.objects.create(facility=other, service=Service.objects.get(code="prenatal_screening"))
    after = DatabaseBackend().search(FacilityQuery(q="唐筛"))
    assert after.count == before + 1
    assert other.pk in [h.facility_id for h in DatabaseBackend().search(
        FacilityQuery(q="唐筛", page_size=100)).hits]
