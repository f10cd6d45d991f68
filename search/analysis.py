"""Chinese text analysis: one module for indexing and for querying, used by every search backend.

Chinese is written without spaces, so a database full-text index sees 备孕女性为什么要补叶酸 as one
"word" and 叶酸 never matches it. Everything that reaches an index or a query passes through here:

1. ``normalize``: NFKC (full-width → half-width), control characters out, traditional → simplified,
   Latin lower case.
2. ``segment``: jieba's search-mode segmentation (whole words plus the shorter words inside them),
   with the domain vocabulary (service names, aliases, region names, editor synonyms) added so
   大排畸, 足跟血, 无创DNA stay whole.
3. ``cjk_grams``: single characters and bigrams of every Chinese run — a recall net for words jieba
   does not know, ranked below whole words by the backends.
4. ``pinyin_terms``: full pinyin and initials of titles and names (yesuan, ys → 叶酸).
5. ``SynonymTable``: groups of equivalent terms (唐筛 = 唐氏筛查 = 产前筛查); expansion maps every
   member to the group's canonical token so index and query meet on it.

Pure functions: this module imports no models. The search app builds the synonym table from the
service taxonomy and the editors' synonym list and passes it in.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_CHARS = 200
CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK_CHAR}]+")
IS_CJK = re.compile(f"^[{CJK_CHAR}]+$")
WORD = re.compile(f"[{CJK_CHAR}]+|[a-z0-9]+(?:[.][0-9]+)?")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

# Words that carry no meaning for search: they would match almost every document.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 也 都 就 要 吗 呢 吧 啊 哪 哪里 哪儿 哪家 哪些 什么 怎么 怎样 如何 为什么 可以 能 能否 还 "
    "还能 我 你 他 她 我们 这 那 这个 那个 一 个 些 去 做 到 吃 把 被 让 给 对 从 向 之 其 该 请问 一下 附近 医院 哪个".split()
)
# Single characters that are too common to be useful even as a recall net.
STOP_CHARS = frozenset("的了和与及或是在有也都就要吗呢吧啊我你他她这那一个些去做到把被让给对从向之其该请问")

_t2s = OpenCC("t2s")
_vocabulary_lock = threading.Lock()
_vocabulary: set[str] = set()


def normalize(text: str) -> str:
    """Full-width → half-width, control characters removed, traditional → simplified, lower case."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = CONTROL.sub(" ", text)
    if CJK_RUN.search(text):
        text = _t2s.convert(text)
    return text.lower()


def add_vocabulary(words: Iterable[str]) -> None:
    """Teach the segmenter domain words (aliases, region names) so they are kept whole."""
    with _vocabulary_lock:
        for word in words:
            word = normalize(word).strip()
            if len(word) >= 2 and word not in _vocabulary and IS_CJK.match(word):
                jieba.add_word(word, freq=200000)
                _vocabulary.add(word)
    _segment_cached.cache_clear()


@lru_cache(maxsize=4096)
def _segment_cached(text: str) -> tuple[str, ...]:
    tokens = []
    for run in WORD.findall(text):
        if IS_CJK.match(run):
            tokens.extend(t for t in jieba.cut_for_search(run, HMM=True) if t.strip())
        else:
            tokens.append(run)
    return tuple(tokens)


def segment(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Words of the text, in order, as jieba's search mode cuts them (long words and their parts)."""
    tokens = _segment_cached(normalize(text))
    if keep_stopwords:
        return list(tokens)
    return [t for t in tokens if t not in STOPWORDS]


def cjk_grams(text: str) -> list[str]:
    """Single characters and bigrams of every Chinese run (the recall net)."""
    grams: list[str] = []
    for run in CJK_RUN.findall(normalize(text)):
        grams.extend(ch for ch in run if ch not in STOP_CHARS)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def pinyin_terms(text: str) -> list[str]:
    """Full pinyin and initials of each Chinese word and of the whole text: 叶酸 → yesuan, ys."""
    terms: list[str] = []
    runs = CJK_RUN.findall(normalize(text))
    for run in runs:
        full = lazy_pinyin(run, errors="ignore")
        if not full:
            continue
        terms.append("".join(full))
        terms.append("".join(p[0] for p in full if p))
    return terms


def to_pinyin(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of a whole title or name, for prefix suggestions."""
    syllables = lazy_pinyin(normalize(text), style=Style.NORMAL, errors="ignore")
    syllables = [s for s in syllables if s.isalnum()]
    return "".join(syllables), "".join(s[0] for s in syllables)


def is_latin_query(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9 ]+", normalize(text).strip()))


@dataclass
class SynonymTable:
    """Groups of terms that mean the same thing; each group is represented by its canonical token."""

    groups: list[list[str]] = field(default_factory=list)

    def __post_init__(self):
        self._canonical: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        for group in self.groups:
            self.add_group(group)

    def add_group(self, terms: Iterable[str]) -> None:
        terms = [normalize(t).strip() for t in terms if t and normalize(t).strip()]
        if not terms:
            return
        canonical = self._canonical.get(terms[0]) or terms[0]
        members = self._members.setdefault(canonical, [canonical])
        for term in terms:
            if term not in self._canonical:
                self._canonical[term] = canonical
                if term not in members:
                    members.append(term)

    def canonical(self, term: str) -> str | None:
        return self._canonical.get(normalize(term))

    def members(self, term: str) -> list[str]:
        canonical = self.canonical(term)
        return list(self._members.get(canonical, [])) if canonical else []

    @property
    def vocabulary(self) -> list[str]:
        return list(self._canonical)

    def token_for(self, canonical: str) -> str:
        """The index token of a group: its canonical term, added wherever any member occurs."""
        return canonical

    def find_in(self, text: str) -> list[str]:
        """Canonical forms of every synonym term that occurs in the (normalised) text, longest first."""
        text = normalize(text)
        found = []
        for term in sorted(self._canonical, key=len, reverse=True):
            if len(term) >= 2 or not IS_CJK.match(term):
                if term in text if IS_CJK.match(term) else re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])",
                                                                        text):
                    canonical = self._canonical[term]
                    if canonical not in found:
                        found.append(canonical)
        return found

    def as_elasticsearch_rules(self) -> list[str]:
        """Solr-format equivalence rules for Elasticsearch's synonym_graph filter."""
        return [", ".join(members) for members in self._members.values() if len(members) > 1]


EMPTY_SYNONYMS = SynonymTable()


@dataclass
class IndexTerms:
    words: list[str]
    synonyms: list[str]
    grams: list[str]
    pinyin: list[str]

    def as_text(self) -> str:
        """Space-separated tokens for a database full-text column (the backends weigh the parts)."""
        return " ".join(self.words + self.synonyms + self.grams + self.pinyin)


def index_terms(text: str, synonyms: SynonymTable = EMPTY_SYNONYMS, *, with_pinyin: bool = False) -> IndexTerms:
    words = segment(text)
    found = synonyms.find_in(text)
    return IndexTerms(
        words=words,
        synonyms=[synonyms.token_for(c) for c in found],
        grams=cjk_grams(text),
        pinyin=pinyin_terms(text) if with_pinyin else [],
    )


@dataclass
class QueryTerm:
    """One unit of meaning in a query: a word, the synonym group it belongs to, and its fall-backs."""

    text: str
    synonym_token: str | None = None
    alternatives: list[str] = field(default_factory=list)
    grams: list[str] = field(default_factory=list)


@dataclass
class QueryPlan:
    normalized: str
    terms: list[QueryTerm]
    latin: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms


def plan_query(query: str, synonyms: SynonymTable = EMPTY_SYNONYMS) -> QueryPlan:
    """Turn what a person typed into terms: synonym groups first (longest match), then jieba words.

    Any input is accepted: it is normalised and cut to MAX_QUERY_CHARS, and everything that is not
    a word (quotes, operators, emoji, NUL) is dropped rather than passed to a backend's parser."""
    normalized = normalize(query)[:MAX_QUERY_CHARS]
    terms: list[QueryTerm] = []
    remaining = normalized
    for canonical in synonyms.find_in(normalized):
        members = synonyms.members(canonical)
        matched = [m for m in members if m in remaining]
        if not matched:
            continue
        for member in matched:
            remaining = remaining.replace(member, " ")
        terms.append(
            QueryTerm(
                text=matched[0],
                synonym_token=synonyms.token_for(canonical),
                alternatives=[m for m in members if m != matched[0]],
                grams=cjk_grams(matched[0]),
            )
        )
    seen = {t.text for t in terms}
    for word in _longest_words(remaining):
        if word in seen:
            continue
        seen.add(word)
        terms.append(QueryTerm(text=word, grams=cjk_grams(word)))
    return QueryPlan(normalized=normalized, terms=terms, latin=is_latin_query(normalized))


def _longest_words(text: str) -> list[str]:
    """jieba's precise mode (no overlapping parts), without stopwords and lone common characters."""
    words = []
    for run in WORD.findall(text):
        if IS_CJK.match(run):
            for word in jieba.cut(run, HMM=True):
                if word in STOPWORDS or (len(word) == 1 and word in STOP_CHARS):
                    continue
                words.append(word)
        else:
            words.append(run)
    return words
