"""content/facilities/api.py: the contract of DESIGN §6 and every 400."""

import csv
import io

import pytest

from content.facilities.records import Facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, sample_facilities):
    def get(path="/api/facilities/", **params):
        return client.get(path, params)

    return get


def test_response_shape(api):
    data = api(q="唐筛", region="110101").json()
    assert set(data) == {"count", "page", "page_size", "results", "facets"}
    assert (data["page"], data["page_size"]) == (1, 20)
    result = data["results"][0]
    assert set(result) == {"id", "name", "licence_number", "licence_valid_until", "licence_expired", "region",
                           "address", "phones", "services", "location", "distance_km", "last_verified", "url"}
    assert result["region"] == {"code": "110101", "name": "东城区", "path": "北京市 东城区"}
    assert set(result["location"]) == {"lat", "lng", "approximate"}
    assert set(result["services"][0]) == {"code", "name", "free"}
    assert result["url"] == f"/facilities/{result['id']}/"
    assert set(data["facets"]) == {"service", "region"}


@pytest.mark.parametrize("params, parameter", [
    ({"near": "abc"}, "near"), ({"near": "91,10"}, "near"), ({"near": "39.9"}, "near"),
    ({"near": "nan,nan"}, "near"), ({"sort": "distance"}, "sort"), ({"sort": "price"}, "sort"),
    ({"service": "teleportation"}, "service"), ({"page_size": "101"}, "page_size"),
    ({"page_size": "0"}, "page_size"), ({"page": "0"}, "page"), ({"page": "abc"}, "page"), ({"page": "-1"}, "page"),
    ({"region": "999999"}, "region"), ({"region": "beijing"}, "region"), ({"region": "1101"}, "region"),
    ({"radius_km": "5"}, "radius_km"), ({"near": "39.9,116.4", "radius_km": "-1"}, "radius_km"),
    ({"near": "39.9,116.4", "radius_km": "x"}, "radius_km"), ({"free": "maybe"}, "free"),
    ({"include_expired": "2"}, "include_expired"),
])
@pytest.mark.parametrize("path", ["/api/facilities/", "/api/facilities.csv"])
def test_bad_parameters_answer_400_naming_the_parameter(api, path, params, parameter):
    response = api(path, **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


def test_a_bad_parameter_is_explained_in_chinese(api):
    assert api(near="abc").json()["error"] == "near 应为「纬度,经度」，例如 near=39.92,116.44"
    assert api(page_size="101").json()["error"] == "page_size 必须在 1 到 100 之间"
    assert "未知的服务代码：teleportation" in api(service="teleportation").json()["error"]
    assert api(page="abc").json()["error"] == "page 必须是正整数"
    assert api(page="0").json()["error"] == "page 不能小于 1"
    assert api(sort="price").json()["error"] == "sort 只能是 relevance 或 distance"
    assert api(sort="distance").json()["error"] == "sort=distance 需要同时提供 near=纬度,经度"
    assert api(free="maybe").json()["error"] == "free 只能是 1 或 0"
    assert api(near="39.9,116.4", radius_km="x").json()["error"] == "radius_km 必须是数字（公里）"


def test_a_bad_parameter_is_reported_alone_in_the_projects_format(api):
    """Ninja's own validation answers 422 with pydantic's English; the portal answers 400 in its format."""
    response = api(page="abc", near="abc")
    assert response.status_code == 400
    data = response.json()
    assert {e["parameter"] for e in data["errors"]} == {"page", "near"}
    assert data["parameter"] in {"page", "near"}
    assert "Input should" not in response.content.decode()


def test_empty_parameters_are_the_same_as_none(api):
    """A form submitted with empty fields (near=, page=, sort=) searches as if they were not sent."""
    empty = api(q="唐筛", near="", page="", page_size="", sort="", radius_km="", region="", free="", service="")
    assert empty.status_code == 200
    assert empty.json() == api(q="唐筛").json()


def test_a_very_long_query_is_answered_as_its_beginning(api):
    answered = api(q="唐筛" + "啊" * 3000)
    assert answered.status_code == 200
    assert answered.json()["count"] > 0


def test_csv_export_headings_are_chinese(api):
    header = next(csv.reader(io.StringIO(api("/api/facilities.csv").content.decode("utf-8-sig"))))
    assert {"许可证已过期", "位置为地区中心点", "距离（公里）", "链接"} <= set(header)


@pytest.mark.parametrize("q", ['"', "*", "-", "\x00", "😀" * 50, "a" * 2000, "' OR 1=1 --", "%", "_", "\\"])
def test_any_text_is_answered_without_a_server_error(api, q):
    assert api(q=q).status_code == 200


def test_region_matches_it_and_everything_under_it(api):
    data = api(region="510100", page_size=100).json()
    assert data["count"] > 10
    assert all(r["region"]["code"].startswith("5101") for r in data["results"])
    assert set(data["facets"]["region"]) <= {f"5101{n:02d}" for n in range(100)}
    assert api(region="510100000000").json()["count"] == data["count"]


def test_services_all_must_match_and_free_means_free_for_those(api):
    both = api(service=["prenatal_diagnosis", "thalassemia"], page_size=100).json()
    assert both["count"] > 0
    for result in both["results"]:
        assert {"prenatal_diagnosis", "thalassemia"} <= {s["code"] for s in result["services"]}
    free = api(service="premarital_checkup", free="1", region="110116").json()
    assert [r["licence_number"] for r in free["results"]] == ["京母婴许字〔2024〕0044号"]
    assert all(s["free"] for r in free["results"] for s in r["services"] if s["code"] == "premarital_checkup")


def test_distance_sort_and_radius(api):
    data = api(near="39.93696,116.42616", sort="distance", service="prenatal_screening").json()
    distances = [r["distance_km"] for r in data["results"]]
    assert distances == sorted(distances)
    assert data["results"][0]["licence_number"] == "京母婴许字〔2025〕0007号"
    within = api(near="39.93696,116.42616", radius_km="5", page_size=100).json()
    assert within["count"] > 0 and all(r["distance_km"] <= 5 for r in within["results"])
    assert within["count"] < api(near="39.93696,116.42616", radius_km="50").json()["count"]


def test_expired_licences_are_hidden_unless_asked_and_then_flagged(api):
    name = "北京朝阳康宁医院"  # licence valid until 2026-04-30
    assert name not in [r["name"] for r in api(q=name).json()["results"]]
    flagged = [r for r in api(q=name, include_expired="1").json()["results"] if r["name"] == name]
    assert flagged and flagged[0]["licence_expired"] is True


def test_facets_count_services_and_the_next_region_level(api):
    data = api(region="110000", page_size=1).json()
    assert "110105" in data["facets"]["region"]  # districts, not the municipality's city level
    assert sum(data["facets"]["region"].values()) == data["count"]
    assert data["facets"]["service"]["prenatal_screening"] <= data["count"]


def test_paging(api):
    first = api(region="110000", page_size=5).json()
    second = api(region="110000", page_size=5, page=2).json()
    assert len(first["results"]) == 5 and second["page"] == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert api(region="110000", page=999).json()["results"] == []


def test_csv_has_a_bom_and_the_import_columns(api):
    response = api("/api/facilities.csv", region="110101")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["机构名称", "所在地区", "地区名称"]
    assert len(rows) - 1 == api(region="110101").json()["count"]


def test_regions_api(client, sample_facilities):
    provinces = client.get("/api/regions/").json()
    assert {"110000", "510000"} <= {r["code"] for r in provinces["results"]}
    beijing = client.get("/api/regions/", {"parent": "110000"}).json()["results"]
    chaoyang = next(r for r in beijing if r["code"] == "110105")  # districts straight away
    assert chaoyang["facility_count"] > 0 and chaoyang["path"] == "北京市 朝阳区"
    assert client.get("/api/regions/", {"parent": "abc"}).json()["parameter"] == "parent"


def test_services_api(client, db):
    services = {s["code"]: s for s in client.get("/api/services/").json()["results"]}
    assert len(services) == 15
    assert "唐筛" in services["prenatal_screening"]["aliases"]
    assert services["premarital_checkup"]["life_stages"] == ["premarital"]


def test_openapi_documents_the_facility_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/facilities/", "/api/facilities.csv", "/api/regions/", "/api/services/"} <= set(paths)


def test_openapi_lists_the_facility_filters_typed(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/facilities/", "/api/facilities.csv"):
        parameters = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert set(parameters) == {"q", "region", "service", "free", "near", "radius_km", "sort",
                                   "include_expired", "open_now", "page", "page_size"}
        assert parameters["page"]["type"] == "integer" and parameters["page"]["minimum"] == 1
        assert (parameters["page_size"]["type"], parameters["page_size"]["maximum"]) == ("integer", 100)
        assert parameters["sort"]["enum"] == ["relevance", "distance"]
        assert parameters["service"]["type"] == "array"
        assert {parameters[name]["type"] for name in ("free", "include_expired", "open_now")} == {"boolean"}
        assert {"type": "number", "exclusiveMinimum": 0, "maximum": 5000} in [
            {k: v for k, v in choice.items() if k in ("type", "exclusiveMinimum", "maximum")}
            for choice in parameters["radius_km"]["anyOf"]]
        assert any(choice.get("pattern") == r"^\d{6}(\d{6})?$" for choice in parameters["region"]["anyOf"])


def test_facility_url_points_to_the_sites_finder(client, sample_facilities, finder_sites):
    result = client.get("/api/facilities/", {"page_size": 1}, HTTP_HOST="sichuan.localhost").json()["results"][0]
    assert result["url"] == f"/facilities/{result['id']}/"
    assert client.get(result["url"], HTTP_HOST="sichuan.localhost").status_code == 200
    assert Facility.objects.filter(pk=result["id"]).exists()
