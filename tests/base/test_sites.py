"""Each provincial site is whole: the shared library, campaigns and contests answer under the visiting
site's own address (Wagtail alias pages, docs/sites.md), with a canonical URL to the original, and the
site's search finds what it shows."""

import re

import pytest
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Site

from content.library.models import ResourceIndexPage, ResourcePage

SHARED = {"科普资源库": "/library/", "宣传活动": "/campaigns/", "科普作品征集": "/contests/"}


def sichuan_host():
    site = Site.objects.get(hostname="sichuan.localhost")
    return f"sichuan.localhost:{site.port}"


def demo_slug(position):
    """The slug of a demo campaign edition (dated from today): 0 the coming 世界地贫日, 3 the last one,
    4 Beijing's own from two years before."""
    from content.campaigns.demo import editions

    return editions()[position]["slug"]


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
        for path in ("/library/", f"/campaigns/{demo_slug(0)}/", "/contests/thalassaemia-day-video/"):
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
        originals = ContestPage.objects.filter(slug="thalassaemia-day-video").originals()
        assert list(originals) == [alias.original]  # counted once, not once per site

    # Province-aware content ---------------------------------------------------------------------

    def test_a_sichuan_core_message_shows_on_sichuan_and_never_on_beijing(self):
        from content.core_messages.models import CoreMessage

        claim = "四川全面实施新生儿先天性心脏病免费筛查项目"
        message = CoreMessage.objects.get(explanation__contains=claim)
        assert message.provinces == "510000"
        assert claim in self.client.get("/core-messages/", HTTP_HOST=sichuan_host()).content.decode()
        assert claim not in self.client.get("/core-messages/").content.decode()
        assert self.client.get(f"/core-messages/{message.pk}/").status_code == 404
        assert claim not in self.client.get("/stages/newborn/").content.decode()
        found = self.client.get("/api/search/", {"q": "先心病筛查"}).json()["results"]
        assert f"/core-messages/{message.pk}/" not in [result["url"] for result in found]
        # National messages are on both sites.
        national = "从计划怀孕前3个月起每天补充叶酸"
        for host in ("localhost", sichuan_host()):
            assert national in self.client.get("/core-messages/", HTTP_HOST=host).content.decode()

    def test_campaign_events_show_on_their_own_province_s_site(self):
        path = f"/campaigns/{demo_slug(0)}/"
        beijing = self.client.get(path).content.decode()
        sichuan = self.client.get(path, HTTP_HOST=sichuan_host()).content.decode()
        assert "地贫防控知识进企业" in beijing and "地贫防控知识进企业" not in sichuan
        assert "地贫筛查与婚育咨询进社区（成都）" in sichuan and "地贫筛查与婚育咨询进社区（成都）" not in beijing

    def test_a_campaign_edition_for_one_province_is_not_listed_or_served_on_the_other(self):
        from content.campaigns.models import CampaignPage

        slug = demo_slug(3)
        original = CampaignPage.objects.get(slug=slug, alias_of__isnull=True)
        original.provinces = "110000"
        original.save_revision().publish()
        assert self.client.get(f"/campaigns/{slug}/").status_code == 200
        assert self.client.get(f"/campaigns/{slug}/", HTTP_HOST=sichuan_host()).status_code == 404
        listing = self.client.get("/campaigns/", HTTP_HOST=sichuan_host()).content.decode()
        assert f"/campaigns/{slug}/" not in listing

    # Search and sitemaps list exactly what each site shows ---------------------------------------

    def test_every_search_result_answers_on_the_site_that_lists_it(self):
        beijing_only = f"/campaigns/{demo_slug(4)}/"
        for host in ("localhost", sichuan_host()):
            urls = []
            for query in ("世界地贫日", "地贫", "宣传活动", "叶酸", "征集", "新生儿筛查", "唐筛"):
                for page in range(1, 20):
                    answer = self.client.get("/api/search/", {"q": query, "page": page}, HTTP_HOST=host).json()
                    urls += [result["url"] for result in answer["results"]]
                    if not answer["results"] or len(urls) >= answer["count"]:
                        break
            assert len(urls) > 50, host
            for url in dict.fromkeys(urls):
                assert url.startswith("/"), (host, url)  # this site's address, never another host
                assert self.client.get(url, HTTP_HOST=host).status_code == 200, (host, url)
            # Beijing's own edition: found on Beijing, never on Sichuan (where it is a 404).
            assert (beijing_only in urls) == (host == "localhost"), host
        listing = self.client.get("/search/", {"q": "世界地贫日"}, HTTP_HOST=sichuan_host()).content.decode()
        assert beijing_only not in listing and f"/campaigns/{demo_slug(0)}/" in listing

    def sitemap(self, host):
        response = self.client.get("/sitemap.xml", HTTP_HOST=host)
        assert response.status_code == 200
        return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())

    def test_each_sitemap_lists_its_own_pages_once_under_their_canonical_address(self):
        beijing, sichuan = Site.objects.get(is_default_site=True).root_url, f"http://{sichuan_host()}"
        beijing_urls, sichuan_urls = self.sitemap("localhost"), self.sitemap(sichuan_host())
        for urls, root in ((beijing_urls, beijing), (sichuan_urls, sichuan)):
            assert len(urls) == len(set(urls))
            assert all(url.startswith(root + "/") for url in urls), root  # never another site's pages
        # The shared sections are listed once, by the site that keeps the originals.
        assert f"{beijing}/library/" in beijing_urls and f"{sichuan}/library/" not in sichuan_urls
        assert not any(url.startswith(f"{sichuan}/{section}/") for url in sichuan_urls
                       for section in ("library", "campaigns", "contests"))
        assert {f"{sichuan}/", f"{sichuan}/facilities/", f"{sichuan}/core-messages/"} <= set(sichuan_urls)
        # Every listed address answers, and its page's canonical link is that address.
        for url in beijing_urls + sichuan_urls:
            host, path = url.split("://", 1)[1].split("/", 1)
            response = self.client.get(f"/{path}", HTTP_HOST=host)
            assert response.status_code == 200, url
            assert f'<link rel="canonical" href="{url}">' in response.content.decode(), url

    def test_a_sichuan_only_edition_is_listed_and_canonical_on_sichuan(self):
        from content.campaigns.models import CampaignPage

        slug = demo_slug(3)
        original = CampaignPage.objects.get(slug=slug, alias_of__isnull=True)
        original.provinces = "510000"
        original.save_revision().publish()
        beijing, sichuan = Site.objects.get(is_default_site=True).root_url, f"http://{sichuan_host()}"
        assert self.client.get(f"/campaigns/{slug}/").status_code == 404
        assert f"{beijing}/campaigns/{slug}/" not in self.sitemap("localhost")
        assert f"{sichuan}/campaigns/{slug}/" in self.sitemap(sichuan_host())
        body = self.client.get(f"/campaigns/{slug}/", HTTP_HOST=sichuan_host()).content.decode()
        assert f'<link rel="canonical" href="{sichuan}/campaigns/{slug}/">' in body
        found = self.client.get("/api/search/", {"q": original.title}, HTTP_HOST=sichuan_host()).json()["results"]
        assert f"/campaigns/{slug}/" in [result["url"] for result in found]
        found = self.client.get("/api/search/", {"q": original.title}).json()["results"]
        assert f"/campaigns/{slug}/" not in [result["url"] for result in found]

    def test_both_home_pages_announce_a_coming_campaign(self):
        from django.utils import timezone

        from content.campaigns.demo import editions

        coming = editions()[0]
        assert coming["date"] >= timezone.localdate()
        for host in ("localhost", sichuan_host()):
            body = self.client.get("/", HTTP_HOST=host).content.decode()
            block = body.split('class="next-campaign"', 1)[1].split("</section>", 1)[0]
            assert "下一个宣传日" in block and coming["title"] in block, host
            assert f'href="/campaigns/{coming["slug"]}/"' in block, host


def test_province_codes_are_checked_with_a_clear_message():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from content.base.provinces import validate_province_codes

    validate_province_codes("510000 110000")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_province_codes("5100")
    assert "不是省级行政区划代码：5100" in error.value.messages[0]
