"""The reviewed medical vocabulary (search/data/medical_vocabulary.tsv), its seeding migration and
the term index that finds its terms in a query without scanning the vocabulary."""

import time

from django.test import SimpleTestCase, TestCase

from search.analysis import ExpansionTable, SynonymTable, TermIndex, Thesaurus, analyse_query
from search.models import SynonymGroup
from search.vocabulary import KINDS, read_vocabulary

from .conftest import reset_search_state


class VocabularyFile(SimpleTestCase):
    def test_every_entry_is_valid_and_names_its_source(self):
        entries = read_vocabulary()
        self.assertGreaterEqual(len(entries), 150)
        for entry in entries:
            self.assertEqual(entry.errors(), [], f"line {entry.line}: {entry.terms}")
        kinds = {entry.kind for entry in entries}
        for kind in ("abbreviation", "english", "colloquial", "symptom", "habit", "regional", "standard"):
            self.assertIn(kind, kinds)
        self.assertTrue(kinds <= set(KINDS))

    def test_it_covers_every_service_of_the_taxonomy(self):
        from content.base.taxonomy import SERVICES

        table = SynonymTable([(e.terms + "、" + e.maps_to).split("、") for e in read_vocabulary()])
        for service in SERVICES:
            terms = (service.name, *service.aliases)
            self.assertTrue(any(table.canonical(term) for term in terms), service.code)


class SeededByMigration(TestCase):
    def test_the_synonym_list_holds_the_vocabulary_with_kinds_and_sources(self):
        groups = SynonymGroup.objects.all()
        self.assertGreaterEqual(groups.count(), 150)
        one_way = groups.exclude(maps_to="")
        self.assertGreaterEqual(one_way.count(), 50)
        hearing_aid = next(g for g in one_way if "hearing aid" in g.term_list())
        self.assertEqual(hearing_aid.kind, "english")
        self.assertEqual(hearing_aid.target_list(), ["助听器"])
        self.assertTrue(hearing_aid.source)
        nt = next(g for g in groups.filter(maps_to="") if "NT" in g.term_list())
        self.assertIn("颈项透明层", nt.term_list())
        self.assertTrue(nt.source)

    def test_seeding_again_adds_nothing_and_keeps_editors_changes(self):
        from search.vocabulary import seed_vocabulary

        group = SynonymGroup.objects.filter(maps_to="", terms__contains="地贫").first()
        group.active = False
        group.save()
        count = SynonymGroup.objects.count()
        self.assertEqual(seed_vocabulary(SynonymGroup), 0)
        self.assertEqual(SynonymGroup.objects.count(), count)
        group.refresh_from_db()
        self.assertFalse(group.active)

    def test_one_way_entries_do_not_make_the_targets_find_the_colloquial_word(self):
        reset_search_state()
        from search.synonyms import get_thesaurus

        thesaurus = get_thesaurus()
        self.assertIn("放射线", dict(thesaurus.expansions("拍片")))
        self.assertNotIn("拍片", dict(thesaurus.expansions("放射线")))

    def test_a_group_without_targets_needs_two_terms(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            SynonymGroup(terms="拍片").clean()
        SynonymGroup(terms="拍片", maps_to="放射线").clean()


class TermLookup(SimpleTestCase):
    def test_latin_terms_are_matched_as_stemmed_whole_words(self):
        table = ExpansionTable([(["hearing aid"], ["助听器"]), (["AIDS"], ["艾滋病"])])
        thesaurus = Thesaurus([(SynonymTable([["NT", "颈项透明层"]]), 1.0)], expansions_table=table)
        self.assertEqual(thesaurus.find_in("Hearing Aids for babies")[0], "hearing aids")
        # The longest term wins: the query is one concept, not hearing aid + AIDS.
        labels = [c.label for c in analyse_query("Hearing Aids", thesaurus).concepts]
        self.assertEqual(labels, ["hearing aids"])
        self.assertEqual(thesaurus.find_in("HEARING-AID"), ["hearing-aid"])
        self.assertEqual(thesaurus.find_in("aids"), ["aids"])
        self.assertEqual(thesaurus.find_in("aid"), [])  # an abbreviation is not stemmed into another word
        self.assertEqual(thesaurus.find_in("went"), [])  # nt only as a word
        self.assertEqual(thesaurus.find_in("NT检查几周做"), ["nt"])
        self.assertIn(("助听器", 0.9), thesaurus.expansions("hearing aids"))

    def test_an_english_query_is_analysed_never_dropped(self):
        query = analyse_query("What is THALASSEMIA screening")
        labels = [c.label for c in query.concepts]
        self.assertEqual(labels, ["thalassemia", "screening"])
        self.assertIn("screen", query.concepts[1].tokens)

    def test_lookup_cost_does_not_grow_with_the_vocabulary(self):
        small = TermIndex([f"词{i}" for i in range(100)])
        large = TermIndex([f"词{i}" for i in range(100_000)])
        text = "孩子三岁走路老摔跤是不是有病" * 10

        def timed(index):
            start = time.perf_counter()
            for _ in range(50):
                index.find(text)
            return time.perf_counter() - start

        timed(large)
        self.assertLess(timed(large), 3 * timed(small) + 0.02)
