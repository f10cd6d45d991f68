"""Each provincial site is whole: the shared library, campaigns and contests answer under the visiting
site's own address (Wagtail alias pages, docs/sites.md), with a canonical URL to the original, and the
site's search finds what it shows."""

import re

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Site

from content.library.models import ResourceIndexPage, ResourcePage

SHARED = {"科普资源库": "/library/", "宣传活动": "/campaigns/", "科普作品征集": "/contests/"}


def sichuan_host():
    site = Site.objects.get(hostname="sichuan.localhost")
    return f"sichuan.localhost:{site.port}"


def hrefs(body):
    return re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', body, flags=re.S)


class ProvincialSitesTest(TestCase):
    """The demo is loaded once for the class (it takes most of a minute); each test rolls back."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", force=True, stdout=open("/dev/null", "w"))

    def test_sichuan_home_links_stay_on_the_sichuan_site(self):
        body = self.client.get("/", HTTP_HOST=sichuan_host()).content.decode()
        nav = body.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        links = {re.sub(r"<[^>]+>", "", text).strip(): href for href, text in hrefs(nav)}
        for title, path in SHARED.items():
            assert links[title] == path  # relative: this host, not http://localhost/…
        cards = re.findall(r'class="resource-card.*?href="([^"]+)"', body, flags=re.S)
        assert cards and all(href.startswith("/library/") for href in cards)
        # The only link to the other site says where it goes.
        for href, text in hrefs(body):
            if href.startswith("http://localhost"):
                assert "前往北京市" in text

    def test_shared_pages_render_under_the_sichuan_header_with_a_canonical_to_the_original(self):
        beijing = Site.objects.get(is_default_site=True)
        for path in ("/library/", "/campaigns/thalassaemia-day-2027/", "/contests/thalassaemia-day-video/"):
            response = self.client.get(path, HTTP_HOST=sichuan_host())
            assert response.status_code == 200, path
            body = response.content.decode()
            brand = body.split('class="site-brand__name">', 1)[1].split("<", 1)[0]
            assert brand == "四川省出生缺陷防治科普平台"
            assert f'<link rel="canonical" href="{beijing.root_url}{path}">' in body

    def test_a_resource_published_later_in_the_shared_library_appears_on_sichuan(self):
        beijing_library = ResourceIndexPage.objects.get(alias_of__isnull=True)
        page = ResourcePage(title="新发布的叶酸科普", slug="new-folic-acid", summary="补叶酸的时间和剂量。",
                            date_published="2026-11-01")
        beijing_library.add_child(instance=page)
        page.save_revision().publish()
        response = self.client.get("/library/new-folic-acid/", HTTP_HOST=sichuan_host())
        assert response.status_code == 200
        assert "四川省出生缺陷防治科普平台" in response.content.decode()

    def test_sichuan_search_finds_the_folic_acid_articles_of_its_library(self):
        answer = self.client.get("/api/search/", {"q": "叶酸"}, HTTP_HOST=sichuan_host()).json()
        resources = [result for result in answer["results"] if result["type"] == "resource"]
        assert len(resources) >= 4
        assert all(result["url"].startswith("/library/") for result in resources)
        assert any("叶酸" in result["title"] for result in resources)

    def test_an_entry_sent_from_the_sichuan_contest_page_belongs_to_the_one_contest(self):
        from content.contests.models import ContestPage

        alias = ContestPage.objects.get(slug="thalassaemia-day-video", alias_of__isnull=False)
        assert alias.original.pk == alias.alias_of_id
        assert alias.get_rubric() is not None and alias.get_rubric() == alias.original.get_rubric()
