"""Search that forgives real people (issue 12): typos, traditional characters, abbreviations and
English names the articles never write, colloquial questions; the hard public set as a suite test;
weak answers that say so; did-you-mean beyond homophones; the zero-result report's one-click synonym;
popular searches nobody can plant (issue 14). On SQLite by default, PostgreSQL with DATABASE_URL."""

from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.models import Group, User
from django.test import TestCase

from search.analysis import LIGHT_WEIGHT, analyse_query
from search.models import SearchMiss

from .conftest import import_public_resources, reset_search_state

HARD = Path(__file__).resolve().parents[1] / "data" / "search_queries_hard_public.tsv"


def hard_queries():
    with open(HARD, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(head, line.rstrip("\n").split("\t"), strict=True)) for line in f if line.strip()]
    for row in rows:
        row["kind"] = row["note"].split(":")[0]
        row["relevant"] = [t.strip() for t in row["relevant"].split("|") if t.strip()]
    return rows


class ForgivingSearch(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        import_public_resources()

    def setUp(self):
        reset_search_state()

    def api(self, q, **params):
        response = self.client.get("/api/search/?" + urlencode({"q": q, **params}))
        self.assertEqual(response.status_code, 200)
        return response.json()

    def titles(self, q, **params):
        return [r["title"] for r in self.api(q, **params)["results"]]

    def assert_first(self, cases, **params):
        for q, title in cases:
            found = self.titles(q, **params)
            self.assertTrue(found, q)
            self.assertEqual(found[0], title, f"{q!r}: {found[:3]}")

    # The hard public set, scored as eval_search.py scores it (every relevant title in the top five).
    def test_the_hard_public_set_scores_at_least_095(self):
        rows = hard_queries()
        scores = []
        for row in rows:
            top = self.titles(row["q"])[:5]
            scores.append(sum(t in top for t in row["relevant"]) / len(row["relevant"]))
        self.assertGreaterEqual(sum(scores) / len(scores), 0.95,
                                [r["q"] for r, s in zip(rows, scores, strict=True) if s < 1])

    # Each kind, with queries beyond the public twelve: the article that answers ranks first.
    def test_typos_beyond_homophones(self):
        self.assert_first([("颈项透名层", "孕11到13周别错过颈项透明层检查"),
                           ("苯丙酮尿证", "苯丙酮尿症宝宝的饮食管理要点")])

    def test_traditional_characters(self):
        self.assert_first([("婚前醫學檢查的主要內容", "一图读懂婚前医学检查的主要内容"),
                           ("甲狀腺功能減低", "先天性甲状腺功能减低症早治疗不影响智力"),
                           ("羊水穿刺前後注意", "羊水穿刺前后需要注意什么")])

    def test_abbreviations_the_text_never_writes(self):
        self.assert_first([("NT检查几周做", "孕11到13周别错过颈项透明层检查"),
                           ("G6PD", "G6PD缺乏症宝宝的日常护理"),
                           ("ddh", "宝宝髋关节发育不良的早期信号")])

    def test_english_names_find_the_chinese_articles(self):
        self.assert_first([("amniocentesis", "羊水穿刺前后需要注意什么"),
                           ("Folic Acid", "增补叶酸为什么能预防神经管缺陷"),
                           ("phenylketonuria diet", "苯丙酮尿症宝宝的饮食管理要点"),
                           ("hip dysplasia", "宝宝髋关节发育不良的早期信号"),
                           ("Down syndrome screening", "唐氏综合征血清学筛查报告怎么看")])
        # Plural, capitals and stemming: the words are analysed, never dropped.
        self.assert_first([("Hearing Aids", "助听器还是人工耳蜗？听障儿童干预怎么选"),
                           ("cochlear implants", "助听器还是人工耳蜗？听障儿童干预怎么选")], type="resource")

    def test_colloquial_questions_rank_the_answer_first(self):
        self.assert_first([
            ("孩子三岁走路老摔跤是不是有病", "杜氏肌营养不良：男孩走路易摔要警惕"),
            ("怀孕了发烧能不能吃退烧药", "孕期生病了能吃药吗？安全用药五原则"),
            ("吃了感冒药才发现怀孕", "孕期生病了能吃药吗？安全用药五原则"),
            ("老婆快三十六了还想要孩子", "35岁以后怀孕要注意哪些风险"),
            ("38岁还能生孩子吗", "35岁以后怀孕要注意哪些风险"),
            ("宝宝腿纹不对称", "宝宝髋关节发育不良的早期信号"),
            ("宝宝臀纹不对称", "宝宝髋关节发育不良的早期信号"),
            ("怀孕了拍了X光怎么办", "孕期职场防护指南：远离有毒有害物质和放射线"),
        ])

    def test_suggestions_know_the_vocabulary(self):
        def texts(q):
            response = self.client.get("/api/search/suggest/?" + urlencode({"q": q}))
            return [s["text"] for s in response.json()["suggestions"]]

        self.assertIn("hearing aid", texts("Hearing a"))
        self.assertIn("宝宝髋关节发育不良的早期信号", texts("腿纹不对称"))
        self.assertIn("助听器还是人工耳蜗？听障儿童干预怎么选", texts("hearing aid"))

    def test_family_and_filler_words_weigh_little(self):
        query = analyse_query("我老婆怀孕了宝宝还能要吗")
        weights = {c.label: c.weight for c in query.concepts}
        self.assertEqual(weights["怀孕"], 1.0)
        for word in ("老婆", "宝宝"):
            self.assertLessEqual(weights[word], LIGHT_WEIGHT)

    # When nothing answers the whole question the page says so, never an empty page.
    def test_a_weak_answer_says_so_and_offers_topics_and_the_finder(self):
        html = self.client.get("/search/?" + urlencode({"q": "怀孕了能不能坐飞机"})).content.decode()
        self.assertIn("没有完全符合您问题的结果", html)
        self.assertIn('class="search-weak__topics"', html)
        self.assertIn("/facilities/", html)
        html = self.client.get("/search/?" + urlencode({"q": "宝宝腿纹不对称"})).content.decode()
        self.assertNotIn("没有完全符合您问题的结果", html)

    def test_nothing_found_still_offers_the_finder(self):
        html = self.client.get("/search/?q=zzqqxx").content.decode()
        self.assertIn("暂时没有与此搜索匹配的内容", html)
        self.assertIn("/facilities/", html)

    def test_did_you_mean_by_edit_distance(self):
        self.assertEqual(self.api("苯丙酮尿证")["did_you_mean"], "苯丙酮尿症")
        self.assertEqual(self.api("thalasemia")["did_you_mean"], "thalassemia")
        self.assertEqual(self.api("颈项透名层")["did_you_mean"], "颈项透明层")
        # A correct word is never "corrected" into another one (怀孕 → 怀上).
        self.assertIsNone(self.api("怀孕了能不能坐飞机")["did_you_mean"])


class ZeroResultReport(TestCase):
    def test_an_editor_adds_a_synonym_from_a_recorded_query_in_one_click(self):
        from content.base.roles import EDITOR, ensure_roles

        reset_search_state()
        import_public_resources()
        self.client.get("/api/search/?q=zzqqxx")
        self.assertTrue(SearchMiss.objects.filter(query_string="zzqqxx").exists())
        ensure_roles()
        editor = User.objects.create_user("ed", password="x")
        editor.groups.add(Group.objects.get(name=EDITOR))
        self.client.force_login(editor)
        report = self.client.get("/admin/reports/searches-without-results/").content.decode()
        link = "/admin/snippets/portal_search/synonymgroup/add/?terms=zzqqxx"
        self.assertTrue(link in report and "添加同义词" in report, "no one-click synonym link in the report")
        form = self.client.get(link).content.decode()
        self.assertTrue("zzqqxx</textarea>" in form, "the form is not filled in with the query")
        response = self.client.post("/admin/snippets/portal_search/synonymgroup/add/",
                                    {"terms": "zzqqxx", "maps_to": "叶酸", "kind": "colloquial",
                                     "source": "无结果的搜索", "note": "", "active": "on"})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        reset_search_state()
        self.assertEqual(self.client.get("/api/search/?q=zzqqxx").json()["results"][0]["title"],
                         "增补叶酸为什么能预防神经管缺陷")


class PopularSearches(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        import_public_resources()

    def setUp(self):
        reset_search_state()

    def popular(self):
        html = self.client.get("/search/").content.decode()
        return html.split('class="search-help__popular"', 1)[1].split("</ul>", 1)[0]

    def test_ten_anonymous_requests_cannot_plant_a_popular_search(self):
        planted = "叶酸代购加微信"
        self.assertTrue(self.client.get("/api/search/?" + urlencode({"q": planted})).json()["count"])
        for i in range(10):
            self.client.get("/api/search/?" + urlencode({"q": planted}), REMOTE_ADDR=f"10.0.0.{i % 2}")
        self.assertNotIn(planted, self.popular())

    def test_many_addresses_cannot_plant_it_either(self):
        planted = "叶酸代购加微信"
        for i in range(20):
            self.client.get("/api/search/?" + urlencode({"q": planted}), REMOTE_ADDR=f"10.1.0.{i}")
        self.assertNotIn(planted, self.popular())

    def test_approved_terms_that_people_search_are_shown(self):
        from wagtail.contrib.search_promotions.models import Query, SearchPromotion
        from wagtail.models import Page

        for i in range(3):
            self.client.get("/api/search/?q=唐筛", REMOTE_ADDR=f"10.2.0.{i}")  # a term of the synonym list
            self.client.get("/api/search/?q=新生儿要查什么", REMOTE_ADDR=f"10.2.0.{i}")
        page = Page.objects.live().filter(depth__gt=2).first()
        SearchPromotion.objects.create(query=Query.get("新生儿要查什么"), page=page, sort_order=0)
        popular = self.popular()
        self.assertIn(">唐筛</a>", popular)
        self.assertIn(">新生儿要查什么</a>", popular)

    def test_one_address_counts_a_query_once(self):
        from wagtail.contrib.search_promotions.models import Query

        for _ in range(10):
            self.client.get("/api/search/?q=唐筛")
        self.assertEqual(Query.get("唐筛").hits, 1)
