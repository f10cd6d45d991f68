"""Each query kind of shared/eval/search_queries_public.tsv, through /api/search/, on whichever
database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL): every relevant
title must be among the first five results, as eval_search.py scores it."""

from urllib.parse import urlencode

from django.test import TestCase

from .conftest import import_public_resources, public_queries, reset_search_state

QUERIES = public_queries()


class PublicQueryKinds(TestCase):
    @classmethod
    def setUpTestData(cls):
        reset_search_state()
        import_public_resources()

    def setUp(self):
        reset_search_state()

    def assert_kind(self, kind):
        rows = [row for row in QUERIES if row["kind"] == kind]
        self.assertTrue(rows, kind)
        for row in rows:
            response = self.client.get("/api/search/?" + urlencode({"q": row["q"]}))
            self.assertEqual(response.status_code, 200)
            titles = [result["title"] for result in response.json()["results"][:5]]
            for title in row["relevant"]:
                self.assertIn(title, titles, f"{row['id']} {row['q']!r}: {row['note']}")

    def test_segmentation_finds_words_inside_running_text(self):
        self.assert_kind("kind1-segmentation")

    def test_synonyms_find_the_full_name(self):
        self.assert_kind("kind2-synonym")

    def test_questions_find_the_answer(self):
        self.assert_kind("kind3-question")

    def test_pinyin_and_initials_find_titles(self):
        self.assert_kind("kind4-pinyin")

    def test_life_stage_plus_term(self):
        self.assert_kind("kind5-stage+term")

    def test_abbreviations(self):
        self.assert_kind("kind6-abbreviation")
