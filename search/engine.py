"""Site search: one ranked list over pages, core messages and facilities, on any backend.

A query is analysed into concepts (search/analysis.py). For each concept the backend is asked,
tier by tier, for the objects that contain its tokens — the word and its exact synonyms, then
broader service terms and Chinese words a pinyin query spells; bigrams only when nothing else
matched. Every request to the backend is built from index tokens only (never from the raw
query), so no input can break its parser.

The backends' own scores are not comparable across tiers and they cannot weight single terms
(SQLite's bm25 has no per-term boost, PostgreSQL ignores Boost), so the final rank is computed
here, the same way for every model and every backend:

    score = Σ_concepts weight × idf × (body + TITLE_WEIGHT × title) × (½ + ½ coverage)

where body is the tier weight × the backend score normalised within the tier, title says whether
the concept's tokens are in the title (analysed here, the same way as for the index), idf comes
from how many objects the concept matched, and coverage is the share of the query's concepts an
object matches. Titles and whole words therefore outrank bodies and bigrams, and results of
different types are merged on one scale.
"""

import logging
import math
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DatabaseError
from wagtail.search.backends import get_search_backend

from search.analysis import LIGHT_WEIGHT, AnalysedQuery, Concept, analyse_query, normalize, text_tokens
from search.highlight import highlight, snippet
from search.lexicon import get_lexicon
from search.sources import TYPE_LABELS, get_sources, site_for
from search.synonyms import get_thesaurus

logger = logging.getLogger(__name__)

CANDIDATES_PER_TIER = 200
TITLE_WEIGHT = 2.0
# A resource's life stages say whom it is written for: a query naming a stage (「婚前 地贫」) matches
# them almost as strongly as a title word.
SUBJECT_WEIGHT = 0.75
PHRASE_BONUS = 1.5
KEEP_RATIO = 0.12  # results scoring below this share of the best one are noise for this query
PER_PAGE = 10
WEAK_COVERAGE = 0.5  # the best result matches less than half of what the query means
CLOSEST_TOPICS = 5


@dataclass
class Result:
    type: str
    title: str
    url: str
    title_html: str
    snippet: str
    score: float
    other_province: str = ""  # a facility of another province: its name, shown as a label

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.type, self.type)

    def as_dict(self):
        return {"type": self.type, "title": self.title, "url": self.url, "snippet": str(self.snippet)}


@dataclass
class Outcome:
    query: str
    analysed: AnalysedQuery | None
    ranked: list = field(default_factory=list)  # [(score, source, pk, type)] of the chosen type
    counts: dict = field(default_factory=dict)  # type → number of results
    total: int = 0
    did_you_mean: str | None = None
    best_coverage: float = 0.0  # share of the query's meaning the best result matches
    closest: list = field(default_factory=list)  # lexicon entries of the closest topics, when weak

    @property
    def weak(self) -> bool:
        """Nothing answers the whole query: the page says so and offers the closest topics."""
        return self.total == 0 or self.best_coverage < WEAK_COVERAGE

    @property
    def count(self):
        return len(self.ranked)


@dataclass
class _Doc:
    source: object
    found: object
    title_tokens: frozenset
    body: dict = field(default_factory=dict)  # concept index → best tier score
    subject_tokens: frozenset = frozenset()


def _is_elasticsearch(backend) -> bool:
    return "elasticsearch" in type(backend).__module__


def search_backend():
    """The default backend; when it is an unreachable Elasticsearch and settings also keep a
    backend named "database" (Wagtail indexes into every configured backend), that one."""
    from django.conf import settings

    backend = get_search_backend()
    if _is_elasticsearch(backend) and "database" in getattr(settings, "WAGTAILSEARCH_BACKENDS", {}):
        from search.elastic import cluster_reachable

        if not cluster_reachable():
            logger.warning("site search: Elasticsearch unreachable, searching the database index")
            return get_search_backend("database")
    return backend


def backend_query(tokens, operator, backend):
    """A backend query object made of index tokens only."""
    from modelsearch.query import And, Or, Phrase, PlainText

    if _is_elasticsearch(backend):
        phrases = [Phrase(token) for token in tokens]
        if len(phrases) == 1:
            return phrases[0]
        return And(phrases) if operator == "and" else Or(phrases)
    return PlainText(" ".join(tokens), operator=operator)


def _backend_hits(backend, sources, tokens, operator="or", *, tier_index=0, label=""):
    """[(source, Found)] of every source for these tokens; a failing source is logged, not raised."""
    tokens = [t for t in dict.fromkeys(tokens) if t]
    if not tokens:
        return []
    query = backend_query(tokens, operator, backend)
    hits = []
    for source, queryset in sources:
        try:
            found = source.find(backend, query, queryset, tier_index=tier_index, label=label,
                                limit=CANDIDATES_PER_TIER)
        except (DatabaseError, NotImplementedError, ValueError) as exc:
            logger.warning("search backend failed for %s on %r: %s", source.key, tokens, exc)
            continue
        except Exception as exc:  # an unreachable Elasticsearch must not break the page
            logger.exception("search backend error for %s: %s", source.key, exc)
            continue
        hits.extend((source, item) for item in found)
    return hits


def _total_documents(sources) -> int:
    key = "portal_search:total_documents"
    total = cache.get(key)
    if total is None:
        total = 0
        for source, queryset in sources:
            if not source.counts_for_idf:
                continue
            try:
                total += queryset.count()
            except DatabaseError:
                pass
        cache.set(key, total, 300)
    return max(total, 1)


def _attach_subjects(docs: dict) -> None:
    """Tokens of the life stages of the resource pages among the candidates (one query)."""
    from django.apps import apps

    resource_pks = [doc.found.pk for doc in docs.values() if doc.found.type == "resource"]
    if not resource_pks:
        return
    try:
        model = apps.get_model("library.ResourcePage")
    except LookupError:
        return
    names: dict[int, list[str]] = {}
    for pk, name in model.objects.filter(pk__in=resource_pks).values_list("pk", "life_stages__name"):
        if name:
            names.setdefault(pk, []).append(name)
    for doc in docs.values():
        if doc.found.type == "resource" and doc.found.pk in names:
            doc.subject_tokens = frozenset(text_tokens(" ".join(names[doc.found.pk])))


def _title_score(concept: Concept, title_tokens: frozenset, used_fallback: bool) -> float:
    best = 0.0
    for tier in concept.tiers:
        if any(token in title_tokens for token in tier.tokens):
            best = max(best, tier.weight)
    if used_fallback and concept.fallback and concept.fallback.tokens:
        share = sum(token in title_tokens for token in concept.fallback.tokens) / len(concept.fallback.tokens)
        best = max(best, concept.fallback.weight * share)
    return best


def run(query: str, request=None, *, type_filter: str | None = None) -> Outcome:
    """Rank everything that matches the query; the page of results is loaded by ``page_of``."""
    site = site_for(request)
    lexicon = get_lexicon(site)
    analysed = analyse_query(query or "", get_thesaurus(), pinyin_lookup=lexicon.words_for_pinyin)
    outcome = Outcome(query=query or "", analysed=analysed)
    if analysed.is_empty:
        return outcome

    backend = search_backend()
    sources = [(source, qs) for source in get_sources() if (qs := source.queryset(site)) is not None]
    docs: dict = {}
    concept_df: list[int] = []
    used_fallback: list[bool] = []

    def take(ci, hits, weight):
        top = max((found.score for _, found in hits), default=0.0) or 1.0
        for source, found in hits:
            key = (source.key, found.pk)
            doc = docs.get(key)
            if doc is None:
                doc = docs[key] = _Doc(source, found, text_tokens(found.title, pinyin=True))
            value = weight * source.body_weight * (found.score / top if top else 1.0)
            # A hit with a zero backend score (tiny corpora) still counts as a match.
            value = max(value, weight * 0.05)
            doc.body[ci] = max(doc.body.get(ci, 0.0), value)

    for ci, concept in enumerate(analysed.concepts):
        df, matched = 0, False
        for tier_index, tier in enumerate(concept.tiers):
            hits = _backend_hits(backend, sources, tier.tokens, tier_index=tier_index, label=concept.label)
            if hits:
                matched = True
                df = max(df, len({(source.key, found.pk) for source, found in hits if source.counts_for_idf}))
                take(ci, hits, tier.weight)
        fallback = False
        if not matched and concept.fallback and concept.fallback.tokens:
            hits = _backend_hits(backend, sources, concept.fallback.tokens, operator="and",
                                 tier_index=len(concept.tiers), label=concept.label)
            if hits:
                fallback = matched = True
                df = len({(source.key, found.pk) for source, found in hits if source.counts_for_idf})
                take(ci, hits, concept.fallback.weight)
        concept_df.append(max(df, 1) if matched else 0)
        used_fallback.append(fallback)

    total = _total_documents(sources)
    idf = [math.log(1 + total / (1 + df)) if df else 0.0 for df in concept_df]
    weights = [c.weight * idf[i] for i, c in enumerate(analysed.concepts)]
    weight_sum = sum(weights) or 1.0
    # What the query means includes the concepts nothing matched (坐飞机 in 怀孕了能不能坐飞机): for
    # telling a weak answer, they count as rare words.
    unmatched = sum(c.weight * math.log(1 + total) for i, c in enumerate(analysed.concepts)
                    if not idf[i] and c.weight > LIGHT_WEIGHT)
    meaning_share = weight_sum / (weight_sum + unmatched) if weights and sum(weights) else 0.0
    compact = "".join(analysed.normalized.split())
    _attach_subjects(docs)

    scored = []
    for _key, doc in docs.items():
        score, covered = 0.0, 0.0
        for ci, concept in enumerate(analysed.concepts):
            body = doc.body.get(ci, 0.0)
            title = max(_title_score(concept, doc.title_tokens, used_fallback[ci]),
                        SUBJECT_WEIGHT * _title_score(concept, doc.subject_tokens, used_fallback[ci]))
            if body or title:
                covered += weights[ci]
                score += weights[ci] * (body + TITLE_WEIGHT * title)
        coverage = covered / weight_sum
        score *= 0.5 + 0.5 * coverage
        if len(compact) >= 2 and compact in "".join(normalize(doc.found.title).split()):
            score += PHRASE_BONUS * weight_sum
        if score > 0:
            scored.append((score, doc.source, doc.found.pk, doc.found.type, coverage,
                           getattr(doc.found, "other_province", False)))

    # Another province's facilities come after everything of the site's own (and are labelled).
    scored.sort(key=lambda item: (item[5], -item[0], item[1].key, -item[2]))
    if scored:
        # Objects that match only a small part of a long query are noise; one that matches every
        # concept is a result however low it ranks (a facility offering the service asked for).
        floor = max(item[0] for item in scored) * KEEP_RATIO
        outcome.best_coverage = max(item[4] for item in scored[:PER_PAGE]) * meaning_share
        scored = [item[:4] for item in scored if item[0] >= floor or item[4] >= 0.999]
    outcome.counts = dict(Counter(item[3] for item in scored))
    outcome.total = len(scored)
    outcome.ranked = [item for item in scored if not type_filter or item[3] == type_filter]
    if outcome.total < 3 or outcome.weak:
        outcome.did_you_mean = _did_you_mean(analysed, lexicon, concept_df)
    if outcome.weak:
        outcome.closest = closest_topics(analysed, lexicon)
    return outcome


def closest_topics(analysed: AnalysedQuery, lexicon, limit: int = CLOSEST_TOPICS) -> list:
    """Titles and services nearest to what the query means: suggestions for its heaviest concepts and
    the terms they expand to (宝宝腿纹 → 髋关节发育不良 → its articles), from the in-memory lexicon."""
    concepts = sorted(analysed.concepts, key=lambda c: -c.weight)
    seen, topics = set(), []
    for concept in concepts:
        for text in [concept.label] + [t for tier in concept.tiers for t in tier.tokens[:3]]:
            if len(text) < 2:
                continue
            for entry in lexicon.suggest(text, limit=3):
                key = (entry.label, entry.url)
                if key not in seen and entry.type != "term":
                    seen.add(key)
                    topics.append(entry)
            if len(topics) >= limit:
                return topics[:limit]
    return topics


def _did_you_mean(analysed: AnalysedQuery, lexicon, concept_df) -> str | None:
    corrected = analysed.normalized
    changed = False
    for concept, df in zip(analysed.concepts, concept_df, strict=True):
        if df:
            continue
        replacement = lexicon.correction(concept.label)
        if replacement:
            corrected = corrected.replace(concept.label, replacement)
            changed = True
    if not changed:  # a typo the segmenter cut into pieces (颈项透名层 → 颈项 / 透 / 名层)
        unmatched = [c.label for c, df in zip(analysed.concepts, concept_df, strict=True) if not df]
        corrected = lexicon.correct_text(analysed.normalized, unmatched) or corrected
        changed = corrected != analysed.normalized
    return " ".join(corrected.split()) if changed else None


def page_of(outcome: Outcome, start: int, stop: int, request=None) -> list[Result]:
    """Load and present the results ranked[start:stop]: titles and snippets highlighted."""
    window = outcome.ranked[start:stop]
    by_source: dict = {}
    for _, source, pk, _ in window:
        by_source.setdefault(source.key, (source, []))[1].append(pk)
    items = {}
    for source, pks in by_source.values():
        try:
            for pk, item in source.load(pks, request).items():
                items[(source.key, pk)] = item
        except DatabaseError:
            logger.exception("could not load %s results", source.key)
    terms = outcome.analysed.highlight_terms() if outcome.analysed else []
    site = site_for(request)
    root_url = site.root_url if site is not None else ""
    results = []
    for score, source, pk, _ in window:
        item = items.get((source.key, pk))
        if item is None:
            continue
        url = item.url
        if root_url and url.startswith(root_url + "/"):  # a link on this very site: keep it relative
            url = url[len(root_url):]
        results.append(Result(type=item.type, title=item.title, url=url,
                              title_html=highlight(item.title, terms), snippet=snippet(item.text, terms),
                              score=score, other_province=getattr(item, "other_province", "")))
    return results
