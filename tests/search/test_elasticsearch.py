"""The Elasticsearch backend for pages, as data: index settings, mappings, documents and the
queries site search sends. No cluster is needed (tests/search/test_elasticsearch_live.py runs
against one when ELASTICSEARCH_URL is set)."""

from django.test import TestCase
from wagtail.models import Site

from content.base.models import StandardPage
from search.backends.pages_elasticsearch import (
    ANALYZER,
    PINYIN_ANALYZER,
    SEARCH_ANALYZER,
    SYNONYM_FILTER,
    ChineseElasticsearchBackend,
    ChineseMapping,
)
from search.engine import backend_query
from search.models import SynonymGroup

from .conftest import reset_search_state


def backend():
    # Building the client does not connect: nothing listens on port 9.
    return ChineseElasticsearchBackend({"URLS": ["http://127.0.0.1:9"], "INDEX_PREFIX": "test_"})


class IndexSettings(TestCase):
    def setUp(self):
        reset_search_state()

    def test_chinese_analyzers_and_the_synonym_list(self):
        SynonymGroup.objects.create(terms="叶酸片剂、维生素B9片")
        reset_search_state()
        analysis = backend().index_settings()["settings"]["analysis"]
        index_analyzer = analysis["analyzer"][ANALYZER]
        self.assertEqual(index_analyzer["tokenizer"], "standard")  # one token per Chinese character
        self.assertIn("cjk_width", index_analyzer["filter"])
        self.assertEqual(analysis["analyzer"][SEARCH_ANALYZER]["filter"][-1], SYNONYM_FILTER)
        synonyms = analysis["filter"][SYNONYM_FILTER]
        self.assertEqual(synonyms["type"], "synonym_graph")
        self.assertIn("叶酸片剂, 维生素b9片", synonyms["synonyms"])
        # The service aliases of DESIGN §5 are there too: the same list the database search uses.
        self.assertTrue(any("唐筛" in rule and "产前筛查" in rule for rule in synonyms["synonyms"]))
        # Wagtail's own analyzers (autocomplete) are kept.
        self.assertIn("edgengram_analyzer", analysis["analyzer"])

    def test_rules_are_valid_solr_syntax(self):
        for rule in backend().index_settings()["settings"]["analysis"]["filter"][SYNONYM_FILTER]["synonyms"]:
            sides = rule.split("=>")
            self.assertLessEqual(len(sides), 2, rule)
            for side in sides:
                terms = [t.strip() for t in side.split(",")]
                self.assertTrue(all(terms), rule)
            if len(sides) == 1:
                self.assertGreaterEqual(len(sides[0].split(",")), 2, rule)

    def test_the_medical_vocabulary_is_in_the_analyzer_as_data(self):
        """Equivalences as Solr groups, one-way entries as explicit mappings that keep the typed words,
        and English stemmed before the synonym filter, so the rules' words meet the query's stems."""
        analysis = backend().index_settings()["settings"]["analysis"]
        rules = analysis["filter"][SYNONYM_FILTER]["synonyms"]
        # An abbreviation the articles never write: NT = 颈项透明层 (both ways).
        self.assertTrue(any("=>" not in r and "nt" in r.split(", ") and "颈项透明层" in r for r in rules))
        # One-way: hearing aid finds 助听器, an article about 助听器 is not rewritten to English.
        mapping = next(r for r in rules if "=>" in r and "hearing aid" in r.split(" => ")[0].split(", "))
        left, right = (side.split(", ") for side in mapping.split(" => "))
        self.assertIn("hearing aid", left)
        self.assertIn("助听器", right)
        self.assertNotIn("助听器", left)
        self.assertTrue(set(left) <= set(right))
        # Habits and exposures map to the articles' words.
        self.assertTrue(any(r.split(" => ")[0].count("拍片") and "放射线" in r.split(" => ")[1] for r in rules
                            if "=>" in r))
        search_filters = analysis["analyzer"][SEARCH_ANALYZER]["filter"]
        index_filters = analysis["analyzer"][ANALYZER]["filter"]
        self.assertLess(search_filters.index("portal_english_stem"), search_filters.index(SYNONYM_FILTER))
        self.assertIn("portal_english_stem", index_filters)
        self.assertEqual(analysis["filter"]["portal_english_stem"],
                         {"type": "stemmer", "language": "english"})

    def test_page_mapping_uses_the_chinese_analyzers_and_adds_title_pinyin(self):
        from content.library.models import ResourcePage

        properties = ChineseMapping(ResourcePage).get_mapping()["properties"]
        for name in ("title", "_all_text", "library_resourcepage__summary", "library_resourcepage__body"):
            self.assertEqual(properties[name]["analyzer"], ANALYZER, name)
            self.assertEqual(properties[name]["search_analyzer"], SEARCH_ANALYZER, name)
        self.assertEqual(properties["title_pinyin"], {"type": "text", "analyzer": PINYIN_ANALYZER,
                                                      "copy_to": "_all_text"})
        self.assertEqual(properties["_edgengrams"]["analyzer"], "edgengram_analyzer")


class Documents(TestCase):
    def test_documents_carry_the_original_text_and_title_pinyin(self):
        home = Site.objects.get(is_default_site=True).root_page
        page = home.add_child(instance=StandardPage(title="增补叶酸为什么能预防神经管缺陷", slug="folic",
                                                    introduction="每天补充 0.4 毫克叶酸。"))
        document = ChineseMapping(StandardPage).get_document(page)
        self.assertEqual(document["title"], "增补叶酸为什么能预防神经管缺陷")
        self.assertEqual(document["base_standardpage__introduction"], "每天补充 0.4 毫克叶酸。")
        self.assertIn("yesuan", document["title_pinyin"].split())


class Queries(TestCase):
    def test_site_search_sends_phrases_of_index_tokens(self):
        from content.base.models import StandardPage

        es = backend()
        compiler = es.query_compiler_class(StandardPage.objects.all(),
                                           backend_query(["唐筛", "产前筛查"], "or", es))
        query = compiler.get_query()
        should = query["bool"]["must"]["dis_max"]["queries"][0]["bool"]["should"]
        self.assertEqual(should, [{"match_phrase": {"_all_text": "唐筛"}},
                                  {"match_phrase": {"_all_text": "产前筛查"}}])

    def test_bigram_fallback_requires_every_bigram(self):
        from modelsearch.query import And, Phrase

        query = backend_query(["刚出", "出生"], "and", backend())
        self.assertIsInstance(query, And)
        self.assertTrue(all(isinstance(q, Phrase) for q in query.subqueries))


class Fallback(TestCase):
    def test_an_unreachable_cluster_falls_back_to_the_database_index_when_one_is_kept(self):
        from django.test import override_settings

        from search import elastic
        from search.engine import search_backend

        backends = {
            "default": {"BACKEND": "search.backends.pages_elasticsearch", "URLS": ["http://127.0.0.1:9"]},
            "database": {"BACKEND": "wagtail.search.backends.database"},
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=backends, ELASTICSEARCH_URL="http://127.0.0.1:9"):
            elastic._last_check.update(at=0.0, ok=False)
            backend = search_backend()
            self.assertNotIn("elasticsearch", type(backend).__module__)
            response = self.client.get("/api/search/?q=%E5%8F%B6%E9%85%B8")
            self.assertEqual(response.status_code, 200)
        elastic._last_check.update(at=0.0, ok=False)


class AliasSwitch(TestCase):
    """The requests of a zero-downtime rebuild, as data (search.elastic.alias_switch_actions): the live
    module (test_elasticsearch_live.py) runs them against a cluster when ELASTICSEARCH_URL is set."""

    def test_the_first_rebuild_only_adds_the_alias(self):
        from search.elastic import alias_switch_actions

        self.assertEqual(alias_switch_actions("portal_pages", "portal_pages_b", [], False),
                         [{"add": {"index": "portal_pages_b", "alias": "portal_pages"}}])

    def test_a_rebuild_moves_the_alias_in_one_request(self):
        from search.elastic import alias_switch_actions

        self.assertEqual(alias_switch_actions("portal_pages", "portal_pages_c", ["portal_pages_b"], False), [
            {"add": {"index": "portal_pages_c", "alias": "portal_pages"}},
            {"remove": {"index": "portal_pages_b", "alias": "portal_pages"}},
        ])

    def test_a_plain_index_of_the_alias_name_is_replaced_in_the_same_request(self):
        from search.elastic import alias_switch_actions

        self.assertEqual(alias_switch_actions("portal_facilities", "portal_facilities_1", [], True), [
            {"add": {"index": "portal_facilities_1", "alias": "portal_facilities"}},
            {"remove_index": {"index": "portal_facilities"}},
        ])

    def test_every_old_index_leaves_the_alias_but_never_the_new_one(self):
        from search.elastic import alias_switch_actions

        actions = alias_switch_actions("a", "a_3", ["a_2", "a_1", "a_3"], False)
        self.assertEqual(actions, [{"add": {"index": "a_3", "alias": "a"}},
                                   {"remove": {"index": "a_1", "alias": "a"}},
                                   {"remove": {"index": "a_2", "alias": "a"}}])

    def test_update_index_uses_the_one_request_switch(self):
        """update_index (pages) uses the one-request switch, not Wagtail's add-then-delete."""
        from search.backends.pages_elasticsearch import AliasSwitchRebuilder

        self.assertIs(backend().rebuilder_class, AliasSwitchRebuilder)
