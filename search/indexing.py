"""How models give their Chinese text to the search index.

Wagtail's database backends (modelsearch on SQLite FTS5 and PostgreSQL) split text on spaces and
punctuation, so a run of Chinese characters would be a single "word". A model that wraps its
``search_fields`` in ``analysed_search_fields`` indexes every text field as the analysis module's
token string instead — words, single characters and bigrams, and for the title the pinyin of its
spans — so 叶酸 finds 备孕女性为什么要补叶酸 on both databases::

    search_fields = analysed_search_fields(Page.search_fields + [index.SearchField("summary", boost=2)])

The field names stay the same, so a SearchField named ``title`` still fills the backends' title
column (which ranks above the body). Elasticsearch receives the original text and analyses it with
its own CJK analyzer and the same synonyms (search/backends/pages_elasticsearch.py).
"""

import logging
from contextlib import contextmanager

from django.utils.html import strip_tags
from wagtail.search import index

from search.analysis import index_text

logger = logging.getLogger(__name__)

TITLE_FIELD = "title"


def _flatten(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return " ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_flatten(item) for item in value.values())
    if hasattr(value, "all") and callable(value.all):  # a related manager (tags)
        return " ".join(str(item) for item in value.all())
    return str(value)


class AnalysedSearchField(index.SearchField):
    """A SearchField whose value reaches the database backends as analysed tokens."""

    def __init__(self, field_name, *, pinyin=False, **kwargs):
        super().__init__(field_name, **kwargs)
        self.pinyin = pinyin

    def __eq__(self, other):
        # The same field as the plain SearchField it replaces (Wagtail's W001 check looks for
        # Page.search_fields entries in a page type's search_fields).
        if type(other) is index.SearchField:
            return other.field_name == self.field_name
        return self is other

    __hash__ = object.__hash__

    def get_raw_value(self, obj) -> str:
        """The field's plain text (HTML stripped): for Elasticsearch and for result snippets."""
        text = _flatten(super().get_value(obj))
        return strip_tags(text) if "<" in text else text

    def get_value(self, obj) -> str:
        from search.synonyms import get_thesaurus

        get_thesaurus()  # the segmenter must know the domain vocabulary before it cuts the text
        return index_text(self.get_raw_value(obj), pinyin=self.pinyin)


def analysed_search_fields(search_fields, *, title=TITLE_FIELD):
    """The same fields, with every SearchField (also inside RelatedFields) analysed; the title
    field also indexes pinyin. Filter and autocomplete fields are kept as they are."""
    result = []
    for field in search_fields:
        if isinstance(field, index.SearchField) and not isinstance(field, AnalysedSearchField):
            kwargs = {k: v for k, v in field.kwargs.items()}
            result.append(AnalysedSearchField(field.field_name, boost=field.boost,
                                              pinyin=field.field_name == title, **kwargs))
        elif isinstance(field, index.RelatedFields):
            result.append(index.RelatedFields(field.field_name, analysed_search_fields(field.fields, title=None)))
        else:
            result.append(field)
    return result


def plain_text(obj, *, exclude_title=True, title_field=TITLE_FIELD) -> str:
    """The searchable text of an object (what its analysed fields index) without its title, for
    snippets; ``title_field`` names the field shown as the title (a core message's statement)."""
    parts = []
    for field in obj.get_search_fields():
        if isinstance(field, AnalysedSearchField):
            if exclude_title and field.field_name == title_field:
                continue
            parts.append(field.get_raw_value(obj))
        elif isinstance(field, index.RelatedFields):
            continue
    return normalize_space(" ".join(p for p in parts if p))


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def is_analysed(model) -> bool:
    return any(isinstance(f, AnalysedSearchField) for f in model.get_search_fields())


def unanalysed_models(models) -> list[str]:
    """Labels of the given models whose ``search_fields`` are not analysed: their Chinese text would
    be one unsearchable "word" each (reported by the ``portal_search.W001`` check)."""
    return [model._meta.label for model in models if not model._meta.abstract and not is_analysed(model)]


@contextmanager
def index_once_at_the_end():
    """Inside the block, a saved object is indexed once, when the block ends (in bulk,
    `add_in_bulk`), instead of on every save: importing a resource saves its page five times (the page, its
    revision, the publish, its alias on the other province's site and the alias's update), and the
    index update was 45 % of an import's time (docs/performance.md). An exception in the block
    queues nothing (its transaction rolls back), nor does clearing the yielded queue (a dry run).
    Inline, not through the task queue: an import waits for its pages anyway. For management
    commands and imports: the switch is process-wide while the block runs."""
    from django.db.models.signals import post_save
    from modelsearch import index as model_index
    from modelsearch.signal_handlers import post_save_signal_handler

    pending: dict[tuple[str, str, str], None] = {}

    def collect(instance, **kwargs):
        if not kwargs.get("raw", False):
            pending[(instance._meta.app_label, instance._meta.model_name, str(instance.pk))] = None

    models = [m for m in model_index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(collect, sender=model, weak=False, dispatch_uid=("index-once", model))
    try:
        yield pending
    finally:
        for model in models:
            post_save.disconnect(sender=model, dispatch_uid=("index-once", model))
            post_save.connect(post_save_signal_handler, sender=model)
    add_in_bulk(pending)


def add_in_bulk(keys, chunk: int = 500) -> None:
    """Index the objects named by (app label, model name, pk) a model and 500 at a time: the SQLite
    backend recomputes every entry's title norm after each `add` (an aggregate over the whole index),
    which made indexing 40 000 imported pages one by one quadratic. A failing backend is logged, as
    modelsearch's own signal handler does."""
    from django.apps import apps
    from modelsearch.backends import get_search_backends_with_name

    by_model: dict[tuple[str, str], list[str]] = {}
    for app_label, model_name, pk in keys:
        by_model.setdefault((app_label, model_name), []).append(pk)
    for (app_label, model_name), pks in by_model.items():
        model = apps.get_model(app_label, model_name)
        for start in range(0, len(pks), chunk):
            by_type: dict[type, list] = {}  # a page's indexed instance is its specific page
            for obj in model.get_indexed_objects().filter(pk__in=pks[start : start + chunk]):
                indexed = obj.get_indexed_instance()
                if indexed is not None:
                    by_type.setdefault(type(indexed), []).append(indexed)
            for indexed_model, objects in by_type.items():
                for name, backend in get_search_backends_with_name(with_auto_update=True):
                    try:
                        backend.add_bulk(indexed_model, objects)
                    except Exception:
                        logger.exception("Indexing %d %s objects in the %r search backend failed",
                                         len(objects), indexed_model._meta.label, name)
