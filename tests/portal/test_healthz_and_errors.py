import json

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_search_state(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["search"]["backend"] == "database"


@pytest.mark.django_db
def test_healthz_says_degraded_when_elasticsearch_is_unreachable(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    from search import elastic

    elastic._last_check.update(at=0.0, ok=False)
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["search"]["backend"] == "database"
    elastic._last_check.update(at=0.0, ok=False)


@pytest.mark.django_db
def test_unknown_url_answers_the_chinese_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert 'lang="zh-Hans"' in text


@pytest.mark.django_db
def test_500_page_is_chinese_and_self_contained(rf):
    from portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "抱歉，出错了" in response.content.decode()


@pytest.mark.django_db
def test_large_text_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.post("/display/text-size/", {"size": "large", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert response.cookies["text_size"].value == "large"
    page = client.get("/")
    assert 'class="text-large"' in page.content.decode()


@pytest.mark.django_db
def test_large_text_switch_refuses_to_redirect_off_site(client):
    response = client.post("/display/text-size/", {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_a_badly_typed_api_parameter_answers_400_in_chinese(client):
    response = client.get("/api/search/", {"q": "叶酸", "page": "x"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "page"
    assert response.json()["error"] == "page 必须是整数"


def test_a_type_error_without_a_message_of_ours_is_still_named_in_chinese():
    """A schema field typed but without its own check: pydantic's words, inside the portal's sentence."""
    import pydantic
    from django.utils import translation

    from content.base.errors import parameter_errors

    class Paged(pydantic.BaseModel):
        page: int

    with pytest.raises(pydantic.ValidationError) as caught:
        Paged.model_validate({"page": "x"})
    with translation.override("zh-hans"):
        (error,) = parameter_errors(caught.value.errors())
    assert error.parameter == "page"
    assert error.message.startswith("参数 page 无效：")


def test_the_api_schema_is_titled_in_chinese(client):
    assert client.get("/api/openapi.json").json()["info"]["title"] == "出生缺陷防治科普平台 API"
