"""Site search as a visitor and an editor meet it: /search/, /api/search/, suggestions, stats."""

from urllib.parse import urlencode

from django.contrib.auth.models import Group, User
from django.test import TestCase
from wagtail.models import Site

from content.base.models import StandardPage
from search.models import SearchMiss, SynonymGroup

from .conftest import reset_search_state


def add_page(title, introduction="", slug=None):
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(title=title, introduction=introduction, slug=slug or f"p{StandardPage.objects.count()}")
    home.add_child(instance=page)
    return page


class SiteSearch(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        cls.folic = add_page("备孕女性为什么要补叶酸", "叶酸能预防神经管缺陷。", slug="folic")
        cls.body_only = add_page("孕前准备清单", "孕前三个月开始补充叶酸，还要做孕前优生健康检查。", slug="checklist")
        cls.bigram_only = add_page("酸奶与孕期营养", "孕期可以喝酸奶，叶子菜也要多吃。", slug="yogurt")
        cls.markup = add_page("<b>地中海贫血</b>携带者须知",
                              "地中海贫血 <script>alert(1)</script> 基因携带者比例 < 5% & 南方高发。",
                              slug="thal")
        for i in range(14):
            add_page(f"新生儿听力筛查问答{i}", "听力筛查很重要。", slug=f"hearing{i}")

    def setUp(self):
        reset_search_state()

    def api(self, q, **params):
        response = self.client.get("/api/search/?" + urlencode({"q": q, **params}))
        self.assertEqual(response.status_code, 200)
        return response.json()

    def titles(self, q, **params):
        return [r["title"] for r in self.api(q, **params)["results"]]

    def test_a_word_inside_running_text_is_found_on_a_standard_page(self):
        self.assertIn("备孕女性为什么要补叶酸", self.titles("叶酸"))

    def test_title_matches_outrank_body_matches_and_words_outrank_bigrams(self):
        titles = self.titles("叶酸")
        self.assertEqual(titles[0], "备孕女性为什么要补叶酸")
        self.assertLess(titles.index("孕前准备清单"), len(titles))
        # 酸奶 and 叶子 contain the characters of 叶酸 but not the word: not a result.
        self.assertNotIn("酸奶与孕期营养", titles)

    def test_pinyin_finds_the_title(self):
        self.assertEqual(self.titles("yesuan")[0], "备孕女性为什么要补叶酸")
        self.assertIn("<b>地中海贫血</b>携带者须知", self.titles("dizhonghai"))

    def test_service_aliases_are_synonyms(self):
        self.assertIn("<b>地中海贫血</b>携带者须知", self.titles("地贫"))

    def test_a_synonym_added_by_an_editor_works_at_once(self):
        # A brand name the seeded vocabulary does not know.
        self.assertNotIn("备孕女性为什么要补叶酸", self.titles("福施福"))
        SynonymGroup.objects.create(terms="叶酸、福施福")
        self.assertIn("备孕女性为什么要补叶酸", self.titles("福施福"))

    def test_snippets_mark_matches_and_escape_the_text(self):
        result = next(r for r in self.api("地中海贫血")["results"] if r["url"].endswith("/thal/"))
        self.assertIn("<mark>地中海贫血</mark>", result["snippet"])
        self.assertIn("比例 &lt; 5% &amp; 南方", result["snippet"])
        self.assertNotIn("<script>", result["snippet"])
        html = self.client.get("/search/?q=地中海贫血").content.decode()
        self.assertIn("&lt;b&gt;<mark>地中海贫血</mark>&lt;/b&gt;携带者须知", html)

    def test_type_filter_counts_and_pagination(self):
        data = self.api("听力筛查")
        self.assertEqual(data["count"], 14)
        self.assertEqual(data["counts"], {"page": 14})
        self.assertEqual(len(data["results"]), 10)
        self.assertEqual(len(self.api("听力筛查", page=2)["results"]), 4)
        self.assertEqual(self.api("听力筛查", type="resource")["count"], 0)
        html = self.client.get("/search/?q=听力筛查").content.decode()
        self.assertIn("其他页面", html)
        self.assertIn('rel="next"', html)
        self.assertIn("page=2", html)

    def test_results_carry_type_title_url_snippet(self):
        result = self.api("叶酸")["results"][0]
        self.assertEqual(set(result), {"type", "title", "url", "snippet"})
        self.assertEqual(result["type"], "page")
        self.assertTrue(result["url"].endswith("/folic/"))

    def test_near_miss_offers_did_you_mean(self):
        data = self.api("叶算")
        self.assertEqual(data["count"], 0)
        self.assertEqual(data["did_you_mean"], "叶酸")
        html = self.client.get("/search/?q=叶算").content.decode()
        self.assertIn("您是不是要找", html)
        self.assertIn("?q=%E5%8F%B6%E9%85%B8", html)

    def test_empty_result_shows_popular_searches_and_the_finder(self):
        self.client.get("/search/?q=叶酸")
        html = self.client.get("/search/?q=完全不存在的词").content.decode()
        self.assertIn("/facilities/", html)
        self.assertIn(">叶酸</a>", html)

    def test_queries_are_counted_and_misses_listed(self):
        from wagtail.contrib.search_promotions.models import Query

        self.client.get("/search/?q=叶酸")
        self.api("叶酸")  # the same visitor again: counted once
        self.client.get("/api/search/?q=叶酸", REMOTE_ADDR="10.0.0.2")
        self.api("完全不存在的词")
        self.assertEqual(Query.get("叶酸").hits, 2)
        self.assertEqual(SearchMiss.objects.get(query_string="完全不存在的词").hits, 1)

    def test_editors_see_the_search_reports_and_the_synonym_list(self):
        from content.base.roles import EDITOR, ensure_roles

        ensure_roles()
        editor = User.objects.create_user("ed", password="x")
        editor.groups.add(Group.objects.get(name=EDITOR))
        self.client.force_login(editor)
        self.api("完全不存在的词")
        response = self.client.get("/admin/reports/searches-without-results/")
        self.assertContains(response, "完全不存在的词")
        self.assertEqual(self.client.get("/admin/reports/searches/").status_code, 200)
        self.assertEqual(self.client.get("/admin/snippets/portal_search/synonymgroup/").status_code, 200)


class Suggestions(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        add_page("增补叶酸为什么能预防神经管缺陷", slug="folic")
        add_page("羊水穿刺前后需要注意什么", slug="amnio")

    def setUp(self):
        reset_search_state()

    def suggest(self, q):
        response = self.client.get("/api/search/suggest/?" + urlencode({"q": q}))
        self.assertEqual(response.status_code, 200)
        return response.json()["suggestions"]

    def test_pinyin_prefix_suggests_titles(self):
        texts = [s["text"] for s in self.suggest("zengbuye")]
        self.assertIn("增补叶酸为什么能预防神经管缺陷", texts)
        self.assertIn("羊水穿刺前后需要注意什么", [s["text"] for s in self.suggest("yscc")])

    def test_chinese_prefix_suggests_titles_and_services(self):
        suggestions = self.suggest("羊水")
        self.assertIn("羊水穿刺前后需要注意什么", [s["text"] for s in suggestions])
        self.assertIn("羊水穿刺", [s["text"] for s in suggestions if s["type"] == "service"])
        page = next(s for s in suggestions if s["text"] == "羊水穿刺前后需要注意什么")
        self.assertTrue(page["url"].endswith("/amnio/"))

    def test_service_alias_by_pinyin_leads_to_a_search(self):
        suggestion = next(s for s in self.suggest("tangs") if s["text"] == "唐筛")
        self.assertEqual(suggestion["url"], "/search/?q=%E5%94%90%E7%AD%9B")

    def test_nothing_typed_nothing_suggested(self):
        self.assertEqual(self.suggest(""), [])
        self.assertEqual(self.suggest("   "), [])


class FacilitiesInSiteSearch(TestCase):
    @classmethod
    def setUpTestData(cls):
        from django.core.management import call_command

        from .conftest import FACILITIES

        reset_search_state()
        call_command("import_facilities", str(FACILITIES), stdout=open("/dev/null", "w"))
        add_page("唐氏综合征血清学筛查报告怎么看", "唐氏筛查的结果分为高风险和低风险。", slug="tang")

    def setUp(self):
        reset_search_state()

    def test_a_service_alias_finds_articles_first_then_facilities(self):
        data = self.client.get("/api/search/?" + urlencode({"q": "唐筛"})).json()
        self.assertEqual(data["results"][0]["title"], "唐氏综合征血清学筛查报告怎么看")
        self.assertGreater(data["counts"]["facility"], 5)
        facilities = self.client.get("/api/search/?" + urlencode({"q": "唐筛", "type": "facility"})).json()
        self.assertTrue(all(r["type"] == "facility" and r["url"].startswith("/facilities/")
                            for r in facilities["results"]))

    def test_facility_names_are_suggested(self):
        from content.facilities.records import Facility

        name = Facility.objects.order_by("pk").values_list("name", flat=True).first()
        data = self.client.get("/api/search/suggest/?" + urlencode({"q": name[:4]})).json()
        self.assertIn(name, [s["text"] for s in data["suggestions"] if s["type"] == "facility"] + [
            s["text"] for s in self.client.get("/api/search/suggest/?" + urlencode({"q": name})).json()["suggestions"]])


class FuzzyPinyin(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        add_page("地中海贫血携带者能生健康宝宝吗", "地贫携带者婚前应做基因检测。", slug="thal")

    def setUp(self):
        reset_search_state()

    def test_pinyin_of_a_synonym_with_an_input_method_slip_finds_the_article(self):
        # 地贫 is dipin; people type diping (in/ing) as often.
        for q in ("dipin", "diping"):
            titles = [r["title"] for r in self.client.get("/api/search/?" + urlencode({"q": q})).json()["results"]]
            self.assertIn("地中海贫血携带者能生健康宝宝吗", titles, q)


class LifeStageInQuery(TestCase):
    """「婚前 地贫」: the resource written for 婚前 (its life stage) outranks one that only mentions 婚前."""

    @classmethod
    def setUpTestData(cls):
        import json

        from content.library.importer import import_resources

        reset_search_state()
        base = {"summary": "地中海贫血是常见的遗传病。", "format": "article", "topics": ["thalassemia"],
                "tags": [], "published_at": "2025-05-08", "source": "示例", "reviewed_at": "2025-05-01"}
        lines = [
            json.dumps({**base, "title": "地贫知识问答之一", "life_stages": ["pregnancy"],
                        "body_markdown": "婚前没有做地贫筛查的夫妇，怀孕后要尽早补做。"}, ensure_ascii=False),
            json.dumps({**base, "title": "地贫知识问答之二", "life_stages": ["premarital"],
                        "body_markdown": "地贫携带者可以通过筛查和遗传咨询降低风险。"}, ensure_ascii=False),
        ]
        import_resources(lines)

    def setUp(self):
        reset_search_state()

    def test_the_resource_for_the_named_stage_ranks_first(self):
        data = self.client.get("/api/search/?" + urlencode({"q": "婚前 地贫"})).json()
        titles = [r["title"] for r in data["results"]]
        self.assertEqual(titles[0], "地贫知识问答之二")
        self.assertIn("地贫知识问答之一", titles)
