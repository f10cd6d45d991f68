"""Wagtail's Elasticsearch 8 backend, for Chinese: settings.WAGTAILSEARCH_BACKENDS names this
module when ELASTICSEARCH_URL is set.

Index settings give every full-text field a CJK-capable analyzer: the standard tokenizer cuts
Chinese into single characters (so a phrase query finds a word anywhere in running text: 叶酸
inside 备孕女性为什么要补叶酸), width folding (cjk_width), lower case. At search time the same
chain adds the portal's synonym list — editors' synonyms and the service aliases of DESIGN §5,
from search.synonyms — as a ``synonym_graph`` filter, so 唐筛 matches 唐氏筛查 and 产前筛查.
Fields analysed for the database backends (search.indexing.AnalysedSearchField) reach
Elasticsearch as their original text; titles also get a ``<field>_pinyin`` field of pinyin terms
(yesuan, dzh…). The site search asks for index tokens as phrases (search.engine.backend_query).

Synonyms are part of the index settings: after changing many of them, ``manage.py update_index``
rebuilds the index (atomically, under an alias) with the new list.
"""

from copy import deepcopy

from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
    Elasticsearch8SearchResults,
)
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder

from search.analysis import word_pinyin_terms
from search.indexing import AnalysedSearchField

ANALYZER = "portal_chinese"
SEARCH_ANALYZER = "portal_chinese_search"
PINYIN_ANALYZER = "portal_pinyin"
SYNONYM_FILTER = "portal_synonyms"
STEM_FILTER = "portal_english_stem"
PINYIN_SUFFIX = "_pinyin"
CHINESE_TEXT = {"analyzer": ANALYZER, "search_analyzer": SEARCH_ANALYZER}


def chinese_analysis(synonym_rules: list[str]) -> dict:
    """The analysis section of the index settings, for a list of Solr-format synonym rules."""
    return {
        "filter": {
            SYNONYM_FILTER: {"type": "synonym_graph", "synonyms": list(synonym_rules), "lenient": True},
            # English words stemmed on both sides (hearing aids → hear aid), before the synonym filter so
            # its rules are stemmed the same way; Chinese characters pass through unchanged.
            STEM_FILTER: {"type": "stemmer", "language": "english"},
        },
        "analyzer": {
            ANALYZER: {"type": "custom", "tokenizer": "standard",
                       "filter": ["cjk_width", "lowercase", STEM_FILTER]},
            SEARCH_ANALYZER: {"type": "custom", "tokenizer": "standard",
                              "filter": ["cjk_width", "lowercase", STEM_FILTER, SYNONYM_FILTER]},
            PINYIN_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        },
    }


def synonym_rules() -> list[str]:
    from search.synonyms import get_thesaurus

    return get_thesaurus().as_elasticsearch_rules()


class ChineseMapping(Elasticsearch8Mapping):
    def get_field_mapping(self, field):
        name, mapping = super().get_field_mapping(field)
        if mapping.get("type") == "text" and "analyzer" not in mapping:
            mapping.update(CHINESE_TEXT)
        return name, mapping

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        for name, field_mapping in properties.items():
            if field_mapping.get("type") == "text" and name != "_edgengrams" and "analyzer" not in field_mapping:
                field_mapping.update(CHINESE_TEXT)
        for field in self.model.get_search_fields():
            if isinstance(field, AnalysedSearchField) and field.pinyin:
                properties[self.get_field_column_name(field) + PINYIN_SUFFIX] = {
                    "type": "text", "analyzer": PINYIN_ANALYZER, "copy_to": "_all_text",
                }
        return mapping

    def _get_document_field_data(self, field, obj):
        if isinstance(field, AnalysedSearchField):
            return self.get_field_column_name(field), field.get_raw_value(obj), []
        return super()._get_document_field_data(field, obj)

    def get_document(self, obj):
        document = super().get_document(obj)
        for field in self.model.get_search_fields():
            if isinstance(field, AnalysedSearchField) and field.pinyin:
                document[self.get_field_column_name(field) + PINYIN_SUFFIX] = " ".join(
                    word_pinyin_terms(field.get_raw_value(obj))
                )
        return document


class ChineseSearchQueryCompiler(Elasticsearch8SearchQueryCompiler):
    mapping_class = ChineseMapping


class ChineseAutocompleteQueryCompiler(Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = ChineseMapping


class ChineseIndex(Elasticsearch8Index):
    def put(self):
        # The synonym list is read when the index is created (update_index creates a new one).
        self.es.indices.create(index=self.name, **self.backend.index_settings())


class ChineseSearchResults(Elasticsearch8SearchResults):
    pass


class AliasSwitchRebuilder(ElasticsearchAtomicIndexRebuilder):
    """`update_index` fills a new index, then moves the alias to it. Wagtail's own rebuilder adds the
    alias to the new index and deletes the old one in separate requests, so for a moment searches
    read both (every page twice); here the switch is one `_aliases` request (search.elastic)."""

    def finish(self):
        from search.elastic import switch_alias

        self.index.refresh()
        switch_alias(self.index.es, self.alias.name, self.index.name)


class ChineseElasticsearchBackend(Elasticsearch8SearchBackend):
    mapping_class = ChineseMapping
    index_class = ChineseIndex
    query_compiler_class = ChineseSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseAutocompleteQueryCompiler
    results_class = ChineseSearchResults
    atomic_rebuilder_class = AliasSwitchRebuilder

    def index_settings(self, rules: list[str] | None = None) -> dict:
        """Wagtail's index settings with the Chinese analyzers and the current synonym list."""
        settings = deepcopy(self.settings)
        analysis = settings.setdefault("settings", {}).setdefault("analysis", {})
        chinese = chinese_analysis(synonym_rules() if rules is None else rules)
        for section, entries in chinese.items():
            analysis.setdefault(section, {}).update(entries)
        return settings


SearchBackend = ChineseElasticsearchBackend
