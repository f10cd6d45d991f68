"""The database backend's shortcuts return exactly what ranking every match in SQL returns: a broad
match's page cut from the common score (`_uniform_page`: 唐筛 across a national list) and the nearest
page from a growing radius (`nearest_page`)."""

import math
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.facilities.search import FacilityQuery, database
from content.facilities.search.database import DatabaseBackend
from content.facilities.search.indexing import rebuild_index
from tests.factories.facilities import FacilityFactory

# Districts of Beijing and Sichuan (the sample's provinces) and one far away.
REGIONS = ["110101", "110105", "110108", "110114", "510104", "510107", "510108", "510115", "511502", "460105"]
SERVICES = ["prenatal_screening", "premarital_checkup", "preconception_checkup", "nipt", "newborn_hearing",
            "thalassemia", "prenatal_diagnosis"]
NAMES = ["妇幼保健院", "人民医院", "社区卫生服务中心", "唐筛门诊", "产前筛查中心", "婚检中心", "福安医院", "中医医院"]

QUERIES = [
    {"q": "唐筛"}, {"q": "婚检"}, {"q": "朝阳 唐筛"}, {"q": "北京 婚检"}, {"q": "听力"}, {"q": "无创DNA"},
    {"q": "成都 产前筛查"}, {"q": "产前筛查", "region": "510000"}, {"q": "唐筛", "services": ("premarital_checkup",)},
    {"q": "婚检", "free": True}, {"q": "福安医院"}, {"q": "dongcheng"}, {"q": "tangshai"}, {"q": "地贫"},
    {"q": "唐筛", "near": (39.92, 116.44), "sort": "distance"},
    {"near": (30.64, 104.04), "sort": "distance", "services": ("prenatal_screening",)},
    {"near": (39.9, 116.4), "sort": "distance"}, {"near": (18.0, 109.5), "sort": "distance"},
    {"q": "婚检", "near": (30.6, 104.0)},
]


@pytest.fixture
def national_list(sample_facilities):
    """The sample plus facilities whose names carry service words (they outscore, tie with or score
    below the common score) in and out of the sample's provinces, some of them far from any other."""
    rng = random.Random(5)
    for i in range(90):
        region = rng.choice(REGIONS)
        lat = 39.9 if region.startswith("11") else 30.6 if region.startswith("51") else 20.0
        lng = 116.4 if region.startswith("11") else 104.0 if region.startswith("51") else 110.3
        FacilityFactory(name=f"测试{rng.choice(NAMES)}{i}", region__code=region,
                        latitude=lat + rng.uniform(-0.6, 0.6), longitude=lng + rng.uniform(-0.6, 0.6),
                        services=rng.sample(SERVICES, rng.randint(1, 3)))
    rebuild_index()


def ranking(query: FacilityQuery):
    cache.clear()  # counts and facets are cached per query: each side computes its own
    result = DatabaseBackend().search(query)
    hits = [(h.facility_id, round(h.score, 6), None if h.distance_km is None else round(h.distance_km, 6))
            for h in result.hits]
    return result.count, hits, result.facets, result.partial


def every_page(query_args: dict, page_size: int):
    first = ranking(FacilityQuery(**query_args, page_size=page_size))
    pages = [first]
    for page in range(2, math.ceil(first[0] / page_size) + 2):
        pages.append(ranking(FacilityQuery(**query_args, page=page, page_size=page_size)))
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("query_args", QUERIES, ids=[repr(q) for q in QUERIES])
def test_the_shortcuts_page_exactly_like_ranking_every_match(national_list, monkeypatch, query_args):
    shortcut = {page_size: every_page(query_args, page_size) for page_size in (7, 100)}
    with monkeypatch.context() as patched:
        patched.setattr(DatabaseBackend, "_uniform_page", lambda *args: None)
        patched.setattr(database, "NEAREST_RADII_KM", ())
        everything = {page_size: every_page(query_args, page_size) for page_size in (7, 100)}
    assert shortcut == everything
    assert shortcut[7][0][0] > 0, "each query finds something"


@pytest.mark.django_db
def test_a_broad_service_query_takes_the_shortcut(national_list, monkeypatch):
    taken = []
    original = DatabaseBackend._uniform_page

    def spy(self, *args):
        result = original(self, *args)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(DatabaseBackend, "_uniform_page", spy)
    result = DatabaseBackend().search(FacilityQuery(q="唐筛"))
    assert taken == [True] and result.count > 40
    # The names that carry the word rank first; the rest share the service's score, by region and name.
    first = result.hits[0]
    assert first.score > result.hits[-1].score


@pytest.mark.django_db
def test_the_nearest_page_of_a_dense_list_is_read_within_a_radius(national_list):
    with CaptureQueriesContext(connection) as queries:
        result = DatabaseBackend().search(FacilityQuery(near=(39.9, 116.4), sort="distance", page_size=5))
    assert len(result.hits) == 5
    assert [h.distance_km for h in result.hits] == sorted(h.distance_km for h in result.hits)
    pages = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "_distance" in q["sql"]]
    assert pages and all("BETWEEN" in sql for sql in pages), "no page query measured every facility"
