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
        SynonymGroup.objects.create(terms="叶酸、维生素B9")
        reset_search_state()
        analysis = backend().index_settings()["settings"]["analysis"]
        index_analyzer = analysis["analyzer"][ANALYZER]
        self.assertEqual(index_analyzer["tokenizer"], "standard")  # one token per Chinese character
        self.assertIn("cjk_width", index_analyzer["filter"])
        self.assertEqual(analysis["analyzer"][SEARCH_ANALYZER]["filter"][-1], SYNONYM_FILTER)
        synonyms = analysis["filter"][SYNONYM_FILTER]
        self.assertEqual(synonyms["type"], "synonym_graph")
        self.assertIn("叶酸, 维生素b9", synonyms["synonyms"])
        # The service aliases of DESIGN §5 are there too: the same list the database search uses.
        self.assertTrue(any("唐筛" in rule and "产前筛查" in rule for rule in synonyms["synonyms"]))
        # Wagtail's own analyzers (autocomplete) are kept.
        self.assertIn("edgengram_analyzer", analysis["analyzer"])

    def test_rules_are_valid_solr_syntax(self):
        for rule in backend().index_settings()["settings"]["analysis"]["filter"][SYNONYM_FILTER]["synonyms"]:
            self.assertNotIn("=>", rule)
            terms = [t.strip() for t in rule.split(",")]
            self.assertTrue(all(terms) and len(terms) >= 2, rule)

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
