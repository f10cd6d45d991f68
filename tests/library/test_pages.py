"""content/library/models.py: page tree rules, the listing's filters, sorting and pagination, feeds,
the resource page (review dates, reading time, finder links, related content, JSON-LD)."""

import datetime
import json
import re

import pytest
from wagtail.test.utils import WagtailPageTestCase

from content.base.models import HomePage, LifeStage
from content.library.models import ResourceIndexPage, ResourcePage, ResourceSource

from .factories import CoreMessageFactory, ResourceIndexPageFactory, ResourcePageFactory, home_page


class TreeRulesTests(WagtailPageTestCase):
    def test_library_lives_under_a_home_page_and_holds_only_resources(self):
        self.assertAllowedParentPageTypes(ResourceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceIndexPage, {ResourcePage})
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceIndexPage})
        self.assertAllowedSubpageTypes(ResourcePage, set())
        self.assertCanNotCreateAt(HomePage, ResourcePage)


@pytest.fixture
def library(db):
    index = ResourceIndexPageFactory(parent=home_page())
    ResourcePageFactory(parent=index, title="地中海贫血携带者能生健康宝宝吗", format="article",
                        date_published=datetime.date(2024, 5, 6),
                        classify={"stages": ["premarital", "pregnancy"], "topics": ["thalassemia"], "tags": ["携带者"]})
    ResourcePageFactory(parent=index, title="5月8日世界地贫日", format="video",
                        date_published=datetime.date(2025, 5, 6),
                        classify={"stages": ["pregnancy"], "topics": ["thalassemia", "campaigns"], "tags": ["宣传日"]})
    ResourcePageFactory(parent=index, title="足跟血能查出哪些病", format="article",
                        date_published=datetime.date(2024, 4, 9),
                        classify={"stages": ["newborn"], "topics": ["newborn_screening", "pku"], "tags": ["宣传日"]})
    return index


def titles(response):
    return re.findall(r'class="resource-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["5月8日世界地贫日", "地中海贫血携带者能生健康宝宝吗", "足跟血能查出哪些病"]),
    ("?topic=thalassemia", ["5月8日世界地贫日", "地中海贫血携带者能生健康宝宝吗"]),
    ("?stage=newborn", ["足跟血能查出哪些病"]),
    ("?format=video", ["5月8日世界地贫日"]),
    ("?tag=宣传日", ["5月8日世界地贫日", "足跟血能查出哪些病"]),
    ("?topic=thalassemia&stage=premarital", ["地中海贫血携带者能生健康宝宝吗"]),
    ("?sort=oldest", ["足跟血能查出哪些病", "地中海贫血携带者能生健康宝宝吗", "5月8日世界地贫日"]),
    ("?topic=no-such-topic", []),
    ("?sort=<script>&page=x", ["5月8日世界地贫日", "地中海贫血携带者能生健康宝宝吗", "足跟血能查出哪些病"]),
])
def test_listing_filters_and_sorts(client, library, query, expected):
    response = client.get(f"/library/{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_listing_shows_the_count_and_an_empty_state(client, library):
    assert "2 个资源" in client.get("/library/?topic=thalassemia").content.decode()
    assert "没有符合条件的资源" in client.get("/library/?topic=pku&format=video").content.decode()


def test_listing_paginates_and_keeps_filters_in_page_links(client, library):
    for number in range(13):
        ResourcePageFactory(parent=library, title=f"新生儿资源{number:02d}", classify={"stages": ["newborn"]})
    first = client.get("/library/?stage=newborn").content.decode()
    assert len(titles(client.get("/library/?stage=newborn"))) == 12
    assert 'href="?stage=newborn&amp;page=2"' in first
    assert len(titles(client.get("/library/?stage=newborn&page=2"))) == 2


def test_drafts_are_not_listed(client, library):
    draft = ResourcePageFactory(parent=library, title="尚未发布的草稿", live=False)
    assert draft.title not in titles(client.get("/library/"))


def test_rss_and_atom_feeds_list_resources_and_respect_filters(client, library):
    rss = client.get("/library/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert body.count("<item>") == 3 and "地中海贫血携带者能生健康宝宝吗" in body
    atom = client.get("/library/feed/atom/?topic=pku")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert atom.content.decode().count("<entry>") == 1
    assert 'type="application/rss+xml"' in client.get("/library/").content.decode()


@pytest.fixture
def resource(library):
    page = ResourcePage.objects.get(title="地中海贫血携带者能生健康宝宝吗")
    page.reviewer = "王医生"
    page.last_reviewed = datetime.date(2025, 4, 28)
    page.body = [{"type": "paragraph", "value": "<p>" + "地" * 900 + "</p>"}]
    page.sources = [ResourceSource(citation="四川省出生缺陷防治能力提升计划实施方案")]
    page.save_revision().publish()
    return ResourcePage.objects.get(pk=page.pk)


def test_resource_page_shows_review_dates_reading_time_and_sources(client, resource):
    html = client.get(resource.url).content.decode()
    assert "审核专家" in html and "王医生" in html
    assert "2025年4月28日" in html  # last reviewed
    assert "2026年4月28日" in html  # next review defaults to a year later
    assert "阅读约 3 分钟" in html
    assert "<cite>四川省出生缺陷防治能力提升计划实施方案</cite>" in html


def test_resource_links_to_the_finder_for_its_topics_services(client, resource):
    html = client.get(resource.url).content.decode()
    assert 'href="/facilities/?service=thalassemia"' in html


def test_related_resources_share_topics_first(library, resource):
    ResourcePageFactory(parent=library, title="孕期一日三餐", date_published=datetime.date(2026, 1, 1),
                        classify={"stages": ["pregnancy"], "topics": ["nutrition"]})
    related = [page.title for page in resource.related_resources()]
    assert related == ["5月8日世界地贫日", "孕期一日三餐"]  # shares a topic, then only a life stage


def test_related_core_messages_are_live_messages_on_the_topic(client, resource):
    from content.base.models import Topic

    message = CoreMessageFactory(statement="地贫高发地区夫妇婚前孕前应做地贫筛查。")
    message.topics = [Topic.objects.get(code="thalassemia")]
    message.save()
    draft = CoreMessageFactory(statement="尚未审核的信息。", live=False)
    draft.topics = [Topic.objects.get(code="thalassemia")]
    draft.save()
    html = client.get(resource.url).content.decode()
    assert message.statement in html
    assert draft.statement not in html


def test_resource_page_has_medical_web_page_json_ld_and_canonical(client, resource):
    html = client.get(resource.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == resource.title
    assert data["lastReviewed"] == "2025-04-28"
    assert data["reviewedBy"] == {"@type": "Person", "name": "王医生"}
    assert data["mainEntity"]["@type"] == "Article"
    assert {"@type": "Thing", "name": "地中海贫血"} in data["about"]
    assert f'<link rel="canonical" href="{resource.full_url}">' in html
    assert '<meta property="og:type" content="article">' in html


def test_json_ld_cannot_break_out_of_its_script_element(client, library):
    page = ResourcePageFactory(parent=library, title="标题</script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in html


def test_sitemap_lists_the_library_and_its_resources(client, resource):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{resource.get_parent().full_url}</loc>" in xml
    assert f"<loc>{resource.full_url}</loc>" in xml


def test_resource_can_be_created_in_code_with_just_a_title_and_summary(library):
    page = ResourcePage(title="获奖作品：认识唐氏综合征", summary="竞赛获奖作品。", live=False)
    library.add_child(instance=page)
    page.save_revision()
    page.refresh_from_db()
    assert page.format == "article" and not page.live and page.date_published is not None


@pytest.mark.parametrize("fmt", ["video", "infographic", "document"])
def test_each_format_renders_without_its_media(client, library, fmt):
    page = ResourcePageFactory(parent=library, format=fmt, transcript="文字稿内容" if fmt == "video" else "")
    response = client.get(page.url)
    assert response.status_code == 200
    if fmt == "video":
        assert "文字稿内容" in response.content.decode()


def test_unknown_life_stage_journey_is_404_and_known_one_gathers_the_stage(client, library):
    assert client.get("/stages/nobody/").status_code == 404
    CoreMessageFactory(statement="宝宝出生后要做足跟血筛查。", life_stage=LifeStage.objects.get(code="newborn"))
    html = client.get("/stages/newborn/").content.decode()
    assert "宝宝出生后" in html
    assert "宝宝出生后要做足跟血筛查。" in html
    assert "足跟血能查出哪些病" in html
    assert 'href="/facilities/?service=newborn_metabolic_screening"' in html


def test_home_page_has_life_stage_entry_points_and_latest_resources(client, library):
    html = client.get("/").content.decode()
    for label in ("准备结婚", "准备怀孕", "已经怀孕", "宝宝出生后"):
        assert label in html
    assert 'href="/stages/premarital/"' in html
    assert "5月8日世界地贫日" in html  # the newest resource
    assert 'action="/facilities/"' in html
