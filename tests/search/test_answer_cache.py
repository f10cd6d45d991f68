"""search/answers.py: identical anonymous searches share one computed answer until content changes."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from content.base.models import StandardPage
from search.models import SynonymGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache_on(settings):
    from content.base.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # created on first use: a change itself
    settings.PAGE_CACHE_SECONDS = 600  # as in production with Redis (the test cache is one process)


def add_page(title, introduction, slug):
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(title=title, introduction=introduction, slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def titles(client, q, **params):
    response = client.get("/api/search/", {"q": q, **params})
    assert response.status_code == 200
    return [r["title"] for r in response.json()["results"]]


def queries_of(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_anonymous_search_is_answered_from_the_cache(client):
    add_page("备孕女性为什么要补叶酸", "叶酸能预防神经管缺陷。", "folic")
    first = client.get("/api/search/", {"q": "叶酸"}).json()
    cold = queries_of(client, "/api/search/", {"q": "叶酸", "page": 2})
    warm = queries_of(client, "/api/search/", {"q": "叶酸", "page": 2})
    assert client.get("/api/search/", {"q": "叶酸"}).json() == first
    assert first["results"][0]["title"] == "备孕女性为什么要补叶酸"
    assert warm < cold and warm <= 6, (cold, warm)  # the site lookup and the statistics, not the search


def test_a_published_page_shows_on_the_next_search(client):
    add_page("孕期营养", "均衡饮食。", "nutrition")
    assert titles(client, "碘盐") == []
    assert titles(client, "碘盐") == []  # now cached: nothing
    add_page("孕妇要吃碘盐吗", "碘盐预防碘缺乏。", "iodine")
    assert titles(client, "碘盐") == ["孕妇要吃碘盐吗"]


def test_an_unpublished_page_disappears_from_the_next_search(client):
    page = add_page("新生儿听力筛查问答", "听力筛查很重要。", "hearing")
    assert titles(client, "听力筛查") == ["新生儿听力筛查问答"]
    page.unpublish()
    assert titles(client, "听力筛查") == []


def test_the_search_page_uses_the_same_answer_and_shows_a_change_at_once(client):
    add_page("备孕女性为什么要补叶酸", "叶酸能预防神经管缺陷。", "folic")
    assert "备孕女性为什么要补" in client.get("/search/", {"q": "叶酸"}).content.decode()  # 叶酸 is marked
    page = StandardPage.objects.get(slug="folic")
    page.title = "备孕为什么要补叶酸（更新）"
    page.save_revision().publish()
    html = client.get("/search/", {"q": "叶酸"}).content.decode()
    assert "（更新）" in html and "备孕女性为什么要补" not in html


def test_a_synonym_added_by_an_editor_applies_to_the_next_search(client):
    add_page("备孕女性为什么要补叶酸", "叶酸能预防神经管缺陷。", "folic")
    assert "备孕女性为什么要补叶酸" not in titles(client, "福施福")  # a brand name nobody taught it
    SynonymGroup.objects.create(terms="叶酸、福施福")
    assert "备孕女性为什么要补叶酸" in titles(client, "福施福")


def test_each_site_gets_its_own_answer(client):
    """The Sichuan site searches its own tree: a Beijing page is not served to it from the cache."""
    add_page("北京婚检指南", "婚检免费。", "beijing-premarital")
    assert titles(client, "婚检指南") == ["北京婚检指南"]
    sichuan = Site.objects.create(hostname="sichuan.example", port=80, site_name="四川",
                                  root_page=StandardPage.objects.get(slug="beijing-premarital").get_parent()
                                  .add_child(instance=StandardPage(title="四川首页", slug="sc-home")))
    response = client.get("/api/search/", {"q": "婚检指南"}, HTTP_HOST=sichuan.hostname)
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == []


def test_signed_in_people_are_answered_live(rf):
    from django.contrib.auth.models import AnonymousUser

    from search import answers

    add_page("备孕女性为什么要补叶酸", "叶酸能预防神经管缺陷。", "folic")
    anonymous = rf.get("/api/search/", {"q": "叶酸"})
    anonymous.user = AnonymousUser()
    signed_in = rf.get("/api/search/", {"q": "叶酸"})
    signed_in.user = User.objects.create_user("someone", password="pw-123456789")
    assert not answers.get("叶酸", anonymous).cached
    assert answers.get("叶酸", anonymous).cached
    live = answers.get("叶酸", signed_in)
    assert not live.cached and live.results[0].title == "备孕女性为什么要补叶酸"


def test_without_a_shared_cache_nothing_is_kept(rf, settings):
    from django.contrib.auth.models import AnonymousUser

    from search import answers

    settings.PAGE_CACHE_SECONDS = 0  # per-process cache only: a purge could not reach other workers
    request = rf.get("/api/search/", {"q": "叶酸"})
    request.user = AnonymousUser()
    answers.get("叶酸", request)
    assert not answers.get("叶酸", request).cached
