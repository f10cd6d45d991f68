"""The behaviour every facility search backend must show (run by test_database.py, and by
test_elasticsearch_live.py against a real cluster when ELASTICSEARCH_URL is set)."""

from content.facilities.search import FacilityQuery

CHAOYANG_MCH = "朝阳区妇幼保健院"


class BackendContract:
    """Subclasses provide `backend` (a fixture) on a database holding the sample list."""

    def names(self, backend, **kwargs):
        from content.facilities.records import Facility

        result = backend.search(FacilityQuery(**kwargs))
        by_id = Facility.objects.in_bulk([h.facility_id for h in result.hits])
        return [by_id[h.facility_id].name for h in result.hits], result

    def test_aliases_find_the_service(self, backend):
        for alias in ("唐筛", "唐氏筛查", "NT", "产前筛查"):
            names, result = self.names(backend, q=alias, region="110105")
            assert CHAOYANG_MCH in names, alias

    def test_district_names_short_or_full_filter_the_area(self, backend):
        for text in ("武侯 足跟血", "武侯区 足跟血", "成都武侯足跟血"):
            names, result = self.names(backend, q=text)
            assert names == ["四川省妇幼保健院"], text
            assert "510107" in result.regions_in_query

    def test_one_character_county_short_form(self, backend):
        names, _ = self.names(backend, q="珙 听力筛查")
        assert names == ["珙县人民医院"]

    def test_colloquial_names_rank_the_facility_first(self, backend):
        for query, expected in (("东城福安医院", "北京东城福安医院"), ("昌平怡和医院", "北京昌平怡和医院"),
                                ("青羊妇幼", "成都市青羊区妇幼保健院"), ("瑞安儿童医院", "四川瑞安儿童医院")):
            names, _ = self.names(backend, q=query)
            assert names and names[0] == expected, query

    def test_pinyin_of_names(self, backend):
        names, _ = self.names(backend, q="fuan", region="110000")
        assert "北京东城福安医院" in names

    def test_expired_licences_are_left_out_unless_asked(self, backend):
        names, _ = self.names(backend, q="北京朝阳康宁医院")
        assert "北京朝阳康宁医院" not in names
        names, _ = self.names(backend, q="北京朝阳康宁医院", include_expired=True)
        assert names[0] == "北京朝阳康宁医院"

    def test_filters_combine(self, backend):
        names, result = self.names(backend, region="110116", services=("premarital_checkup",), free=True)
        assert names == ["怀柔区妇幼保健院"] and result.count == 1

    def test_nearest_first(self, backend):
        _, result = self.names(backend, services=("prenatal_screening",), near=(39.77439, 116.16075),
                               sort="distance")
        distances = [h.distance_km for h in result.hits]
        assert distances == sorted(distances) and distances[0] < 2

    def test_radius(self, backend):
        _, result = self.names(backend, near=(30.6419, 104.0432), radius_km=10, page_size=100)
        assert result.count > 0 and all(h.distance_km <= 10 for h in result.hits)

    def test_facets_count_the_whole_result(self, backend):
        _, result = self.names(backend, region="510000", page_size=1)
        assert sum(result.facets["region"].values()) == result.count
        assert "510100" in result.facets["region"]
        assert result.facets["service"]["prenatal_screening"] <= result.count

    def test_nothing_breaks_on_odd_input(self, backend):
        for text in ('"', "*", "-", "\x00", "😀", "a" * 2000, "(", "OR", "%_"):
            backend.search(FacilityQuery(q=text))

    def test_free_in_the_text_asks_for_the_free_offer(self, backend):
        names, _ = self.names(backend, q="怀柔 免费婚检")
        assert names == ["怀柔区妇幼保健院"]
