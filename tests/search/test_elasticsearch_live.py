"""Against a real Elasticsearch 8 cluster: runs when ELASTICSEARCH_URL is set, and says it is
skipped otherwise (no cluster can be installed on the development machines; none is faked)."""

import os
import uuid

import pytest
from django.test import TransactionTestCase, override_settings

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if not ELASTICSEARCH_URL:
    print("\nSKIPPING tests/search/test_elasticsearch_live.py: ELASTICSEARCH_URL is not set")
pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set: no live Elasticsearch"),
]

BACKENDS = {
    "default": {
        "BACKEND": "search.backends.pages_elasticsearch",
        "URLS": [ELASTICSEARCH_URL or "http://127.0.0.1:9200"],
        "INDEX_PREFIX": f"portal_test_{uuid.uuid4().hex[:8]}_",
        "TIMEOUT": 30,
    }
}


@override_settings(WAGTAILSEARCH_BACKENDS=BACKENDS, ELASTICSEARCH_URL=ELASTICSEARCH_URL)
class LiveElasticsearch(TransactionTestCase):
    def setUp(self):
        from django.core.management import call_command
        from wagtail.models import Site

        from content.base.models import StandardPage

        from .conftest import reset_search_state

        reset_search_state()
        home = Site.objects.get(is_default_site=True).root_page
        home.add_child(instance=StandardPage(title="备孕女性为什么要补叶酸", slug="folic",
                                             introduction="叶酸能预防神经管缺陷。"))
        home.add_child(instance=StandardPage(title="唐氏综合征血清学筛查报告怎么看", slug="screening",
                                             introduction="血清学筛查是一种产前筛查。"))
        call_command("update_index", stdout=open(os.devnull, "w"))
        from wagtail.search.backends import get_search_backend

        self.backend = get_search_backend()
        for index in list(self.backend.es.indices.get(index=BACKENDS["default"]["INDEX_PREFIX"] + "*")):
            self.backend.es.indices.refresh(index=index)

    def tearDown(self):
        self.backend.es.indices.delete(index=BACKENDS["default"]["INDEX_PREFIX"] + "*")

    def titles(self, q):
        return [r["title"] for r in self.client.get("/api/search/", {"q": q}).json()["results"]]

    def test_a_word_inside_running_text(self):
        self.assertIn("备孕女性为什么要补叶酸", self.titles("叶酸"))

    def test_synonyms_from_the_index_settings(self):
        self.assertIn("唐氏综合征血清学筛查报告怎么看", self.titles("唐筛"))

    def test_pinyin(self):
        self.assertIn("备孕女性为什么要补叶酸", self.titles("yesuan"))

    def test_hostile_input(self):
        for q in ['"', "*", "-", "\x00", "叶酸\"", "😀" * 100]:
            self.assertLess(self.client.get("/api/search/", {"q": q}).status_code, 500)

    def test_a_rebuild_moves_the_alias_to_one_new_index(self):
        from django.core.management import call_command

        prefix = BACKENDS["default"]["INDEX_PREFIX"]
        before = self.backend.es.indices.get_alias(name=prefix + "*")
        call_command("update_index", stdout=open(os.devnull, "w"))
        after = self.backend.es.indices.get_alias(name=prefix + "*")
        aliases = {alias for body in after.values() for alias in body["aliases"]}
        self.assertTrue(aliases)
        for alias in aliases:  # each alias on exactly one index, a new one; the old ones are gone
            holders = [name for name, body in after.items() if alias in body["aliases"]]
            self.assertEqual(len(holders), 1, alias)
            self.assertNotIn(holders[0], before)
        self.assertFalse(set(before) & set(after))
        self.assertIn("备孕女性为什么要补叶酸", self.titles("叶酸"))
