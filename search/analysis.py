"""Chinese text analysis: one module for indexing and for querying, used by every search backend.

Chinese is written without spaces, so a database full-text index sees 备孕女性为什么要补叶酸 as one
"word" and 叶酸 never matches it. Everything that reaches an index or a query passes through here:

1. ``normalize``: NFKC (full-width → half-width), control characters out, traditional → simplified,
   Latin lower case.
2. ``segment``: search-mode segmentation (whole words plus the shorter words inside them) by
   rjieba (jieba-rs; same dictionary and tokens as jieba, measured ~13x faster on the resource
   corpus, see bench/segmenter.py), falling back to jieba when it is not installed;
   the domain vocabulary (service names, aliases, region names, editor synonyms) is added so
   大排畸, 足跟血, 无创DNA stay whole.
3. ``cjk_grams``: single characters and bigrams of every Chinese run — a recall net for words jieba
   does not know, ranked below whole words by the backends.
4. ``pinyin_terms``: full pinyin and initials of titles and names (yesuan, ys → 叶酸).
5. ``SynonymTable``: groups of equivalent terms (唐筛 = 唐氏筛查 = 产前筛查); expansion maps every
   member to the group's canonical token so index and query meet on it. ``Thesaurus`` stacks
   several tables with weights (the editors' exact synonyms above the broader service aliases).
6. ``index_text`` / ``read_query`` → ``analyse_query``: the token string a database index stores;
   the one reading of a query (vocabulary terms, then words), which site search turns into weighted
   concepts (word → synonyms → related service terms → pinyin → grams) and the facility finder into
   its plan; both build safe backend queries from them: raw user text never reaches a backend parser.

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
from snowballstemmer import stemmer as _snowball

jieba.setLogLevel(logging.WARNING)

try:  # jieba-rs: identical tokens to jieba, an order of magnitude faster (bench/segmenter.py)
    import rjieba

    _rjieba = rjieba.Jieba()
except ImportError:  # pragma: no cover - the pure-Python segmenter gives the same tokens, slower
    _rjieba = None

SEGMENTER = "rjieba" if _rjieba is not None else "jieba"


def _cut_for_search(text: str) -> list[str]:
    if _rjieba is not None:
        return _rjieba.cut_for_search(text, True)
    return list(jieba.cut_for_search(text, HMM=True))


def _cut(text: str) -> list[str]:
    if _rjieba is not None:
        return _rjieba.cut(text, True)
    return list(jieba.cut(text, HMM=True))


def _add_word(word: str) -> None:
    if _rjieba is not None:
        _rjieba.add_word(word, 200000, None)
    else:
        jieba.add_word(word, freq=200000)

MAX_QUERY_CHARS = 200
CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK_CHAR}]+")
IS_CJK = re.compile(f"^[{CJK_CHAR}]+$")
WORD = re.compile(f"[{CJK_CHAR}]+|[a-z0-9]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

# Words that carry no meaning for search: they would match almost every document.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 也 都 就 要 吗 呢 吧 啊 哪 哪里 哪儿 哪家 哪些 "
    "什么 怎么 怎样 如何 为什么 可以 能 能否 还 "
    "还能 我 你 他 她 我们 这 那 这个 那个 一 个 些 去 做 到 吃 把 被 让 给 对 从 向 "
    "之 其 该 请问 一下 附近 医院 哪个 机构 地方 "
    "怎么办 怎么样 是不是 有没有 能不能 会不会 要不要 好不好 一定 应该 需要 需不需要".split()
)
# Single characters that are too common to be useful even as a recall net.
STOP_CHARS = frozenset("的了和与及或是在有也都就要吗呢吧啊我你他她这那一个些去做到把被让给对从向之其该请问")

# Words that say who is asking or how, not what about (我老婆、宝宝、孩子、还想): kept — 宝宝 may be
# the only word of a query — but they weigh little against the medical concept of a question.
LIGHT_WORDS = frozenset(
    "老婆 老公 媳妇 妻子 丈夫 爱人 对象 宝宝 宝贝 孩子 小孩 小孩子 孩 儿子 女儿 "
    "男孩 女孩 男宝 女宝 家里 我家 自己 我们家 想 想要 还想 还要 打算 快 已经 "
    "刚 刚刚 总是 老是 经常 一直 有点 有些 有病 病 问题 情况 正常 严重 厉害 危险 "
    "影响 注意 事项 哪些 多少 多久 多大 几 几个 几周 几岁 时候 以后 之后 之前 "
    "现在 今年 岁 周岁 月 个月 天 周 真的 到底 究竟 会 能 了吗 没有 不 不是 "
    "不能 不会 可能 医生 说 听说 知道 办法 方法 建议".split()
)
LIGHT_WEIGHT = 0.25
# English function words: an English question (what is thalassemia) keeps only its content words.
ENGLISH_STOPWORDS = frozenset(
    "a the of and or for to in on at is are am be was were what how why when which who my our your i we you "
    "it its this that can could do does should with about from by after before my me".split()
)
# Ages from which a pregnancy counts as advanced maternal age (产前诊断技术管理办法: ≥35 at the
# expected date of delivery); a question that names such an age (「老婆快三十六了」「38岁还能生吗」)
# is about 高龄, even when it never says so.
ADVANCED_AGE = range(35, 56)
AGE_CONCEPT = "高龄"
_CN_DIGITS = dict(zip("零一二两三四五六七八九", (0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
AGE_NUMBER = re.compile(r"(?<![0-9孕第])([0-9]{2}|[二三四五][十][一二三四五六七八九]?)"
                        r"(?=\s*(?:岁|周岁|了|多|啦|的时候|$))")
NOT_AGE_AFTER = re.compile(r"^\s*(?:周|天|个|月|斤|公斤|kg|度|cm|mm|次|%|块|元)")

_english = _snowball("english")
LATIN_TERM = re.compile(r"^[a-z0-9][a-z0-9 '.\-]*$")
LATIN_WORD = re.compile(r"[a-z0-9]+")

_t2s = OpenCC("t2s")
_vocabulary_lock = threading.Lock()
_vocabulary: set[str] = set()
# The taught words of four characters or more, which index_text looks for inside a text.
_long_vocabulary: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """Full-width → half-width, control characters removed, traditional → simplified, lower case."""
    if not text:
        return ""
    if type(text) is str and len(text) <= 512:
        # segment, cjk_grams and pinyin_terms each normalise the same name or address again.
        return _normalize_cached(text)
    return _normalize(text)


@lru_cache(maxsize=16384)
def _normalize_cached(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    text = CONTROL.sub(" ", text)
    if CJK_RUN.search(text):
        text = _t2s.convert(text)
    return text.lower()


def add_vocabulary(words: Iterable[str]) -> None:
    """Teach the segmenter domain words (aliases, region names) so they are kept whole."""
    global _long_vocabulary
    with _vocabulary_lock:
        for term in words:
            # A mixed term (无创DNA, G6PD缺乏症) is indexed as its Latin and Chinese parts: teach
            # the Chinese part (无创, 缺乏症) so it stays whole too.
            for word in CJK_RUN.findall(normalize(term)):
                if len(word) >= 2 and word not in _vocabulary:
                    _add_word(word)
                    _vocabulary.add(word)
        _long_vocabulary = tuple(word for word in _vocabulary if len(word) >= 4)
    _segment_cached.cache_clear()
    text_tokens.cache_clear()


@lru_cache(maxsize=4096)
def _segment_cached(text: str) -> tuple[str, ...]:
    tokens = []
    for run in WORD.findall(text):
        if IS_CJK.match(run):
            tokens.extend(t for t in _cut_for_search(run) if t.strip())
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


def word_pinyin_terms(text: str, *, max_span: int = 6) -> list[str]:
    """Pinyin of every 2–6 character span of the text's Chinese runs (initials of 3–5 characters).

    A title 耳聋基因筛查能发现哪些听力风险 yields erlong, jiyin, erlongjiyin, eljy…, so a person who
    types the pinyin of a word or of a short phrase of the title finds it, whatever the segmenter
    made of the words. Spans that straddle two words add harmless tokens nobody types."""
    terms: dict[str, None] = {}
    for run in CJK_RUN.findall(normalize(text)):
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
        if len(syllables) != len(run):  # a character without a reading: spell the run piecewise
            syllables = [(lazy_pinyin(ch, errors="ignore") or [""])[0] for ch in run]
        for size in range(2, max_span + 1):
            for start in range(len(run) - size + 1):
                chunk = syllables[start:start + size]
                if not all(chunk):
                    continue
                terms["".join(chunk)] = None
                if 3 <= size <= 5:
                    terms["".join(p[0] for p in chunk)] = None
    return list(terms)


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


def stem(word: str) -> str:
    """English stem of a Latin word (hearing → hear, aids → aid); digits and short words unchanged."""
    if len(word) < 4 or not word.isalpha():
        return word
    return _stem_cached(word)


@lru_cache(maxsize=8192)
def _stem_cached(word: str) -> str:
    return _english.stemWord(word)


def latin_stems(text: str) -> list[str]:
    return [stem(w) for w in LATIN_WORD.findall(text)]


def is_latin_term(term: str) -> bool:
    """A term written in Latin letters only (hearing aid, NIPT, cell-free DNA): matched word by word
    and stemmed, so hearing aids, Hearing-Aid and HEARING AID are the same term."""
    return bool(LATIN_TERM.match(term))


def term_key(term: str) -> str:
    """How a thesaurus term is looked up first: normalised, Latin words separated by one space."""
    term = normalize(term).strip()
    if is_latin_term(term):
        return " ".join(LATIN_WORD.findall(term))
    return term


def stemmed_key(term: str) -> str | None:
    """The second key of a Latin term: its words stemmed (hearing aids → hear aid). None for a term
    of one short word — an abbreviation (AIDS, NIPT) is only ever looked up as written."""
    term = normalize(term).strip()
    if not is_latin_term(term):
        return None
    words = LATIN_WORD.findall(term)
    if len(words) == 1 and len(words[0]) < 5:
        return None
    return " ".join(stem(w) for w in words)


def lookup(mapping: dict, term: str):
    """The value for a term: by its written form, then by its stemmed form."""
    value = mapping.get(term_key(term))
    if value is None and is_latin_term(normalize(term).strip()):
        value = mapping.get("~" + " ".join(latin_stems(normalize(term))))
    return value


def keys_of(term: str) -> list[str]:
    """The keys a term is registered under: written form, and ~stemmed form for Latin terms."""
    keys = [term_key(term)]
    stemmed = stemmed_key(term)
    if stemmed:
        keys.append("~" + stemmed)
    return keys


class TermIndex:
    """Finds every known term in a text without scanning the vocabulary: one dictionary of the
    Chinese and mixed terms (probed at each position for each length up to the longest term) and
    one of the Latin terms as stemmed word sequences. Cost grows with the query, not the vocabulary."""

    def __init__(self, keys: Iterable[str]):
        self.surface: set[str] = set()
        self.latin: set[str] = set()
        self.max_chars = 0
        self.max_words = 0
        for key in keys:
            if not key:
                continue
            if key.startswith("~") or is_latin_term(key):
                self.latin.add(key)
                self.max_words = max(self.max_words, key.count(" ") + 1)
            elif len(key) >= 2:
                self.surface.add(key)
                self.max_chars = max(self.max_chars, len(key))

    def find(self, text: str) -> list[str]:
        """The matched spans of the (normalised) text, as written there, longest first."""
        found: dict[str, None] = {}
        n = len(text)
        if self.surface:
            for i in range(n):
                if text[i].isspace():
                    continue
                for size in range(min(self.max_chars, n - i), 1, -1):
                    chunk = text[i:i + size]
                    if chunk in self.surface and _latin_bounded(text, i, i + size):
                        found[chunk] = None
        if self.latin:
            words = list(LATIN_WORD.finditer(text))
            plain = [m.group() for m in words]
            stems = [stem(w) for w in plain]
            for i in range(len(words)):
                for size in range(min(self.max_words, len(words) - i), 0, -1):
                    if (" ".join(plain[i:i + size]) in self.latin
                            or "~" + " ".join(stems[i:i + size]) in self.latin):
                        found[text[words[i].start():words[i + size - 1].end()]] = None
        return sorted(found, key=len, reverse=True)


def _latin_bounded(text: str, start: int, stop: int) -> bool:
    """A term that begins or ends with a Latin letter or digit must not be part of a longer Latin word
    (nt is not inside went; b超 is not inside ab超)."""
    if text[start].isascii() and text[start].isalnum() and start > 0 and text[start - 1].isascii() \
            and text[start - 1].isalnum():
        return False
    return not (text[stop - 1].isascii() and text[stop - 1].isalnum() and stop < len(text)
                and text[stop].isascii() and text[stop].isalnum())


@dataclass
class SynonymTable:
    """Groups of terms that mean the same thing; each group is represented by its canonical token."""

    groups: list[list[str]] = field(default_factory=list)

    def __post_init__(self):
        self._canonical: dict[str, str] = {}  # term_key → canonical
        self._members: dict[str, list[str]] = {}
        self._index: TermIndex | None = None
        for group in self.groups:
            self.add_group(group)

    def add_group(self, terms: Iterable[str]) -> None:
        terms = [normalize(t).strip() for t in terms if t and normalize(t).strip()]
        if not terms:
            return
        self._index = None
        # A group that shares a term with an existing group joins it (synonymy is transitive).
        known = list(dict.fromkeys(self._canonical[term_key(t)] for t in terms
                                   if term_key(t) in self._canonical))
        canonical = known[0] if known else terms[0]
        members = self._members.setdefault(canonical, [canonical])
        for other in known[1:]:  # the group bridges two groups: they become one
            for member in self._members.pop(other, []):
                if member not in members:
                    members.append(member)
            for key, value in self._canonical.items():
                if value == other:
                    self._canonical[key] = canonical
        for term in terms:
            key = term_key(term)
            if key not in self._canonical:
                self._canonical[key] = canonical
                if term not in members:
                    members.append(term)
            for extra in keys_of(term)[1:]:
                self._canonical.setdefault(extra, canonical)

    def canonical(self, term: str) -> str | None:
        return lookup(self._canonical, term)

    def members(self, term: str) -> list[str]:
        canonical = self.canonical(term)
        return list(self._members.get(canonical, [])) if canonical else []

    @property
    def vocabulary(self) -> list[str]:
        return [member for members in self._members.values() for member in members]

    def token_for(self, canonical: str) -> str:
        """The index token of a group: its canonical term, added wherever any member occurs."""
        return canonical

    @property
    def index(self) -> TermIndex:
        if self._index is None:
            self._index = TermIndex(self._canonical)
        return self._index

    def find_spans(self, text: str) -> list[str]:
        return self.index.find(normalize(text))

    def find_in(self, text: str) -> list[str]:
        """Canonical forms of every synonym term that occurs in the (normalised) text, longest first."""
        found: dict[str, None] = {}
        for span in self.find_spans(text):
            canonical = self.canonical(span)
            if canonical:
                found[canonical] = None
        return list(found)

    def as_elasticsearch_rules(self) -> list[str]:
        """Solr-format equivalence rules for Elasticsearch's synonym_graph filter."""
        return [", ".join(members) for members in self._members.values() if len(members) > 1]

    @property
    def member_groups(self) -> list[list[str]]:
        return [list(members) for members in self._members.values()]


EMPTY_SYNONYMS = SynonymTable()


@dataclass
class ExpansionTable:
    """One-way expansions: a query for a term also looks for its targets, never the reverse
    (拍片 → 放射线; hearing aid → 助听器; 腿纹不对称 → 髋关节发育不良)."""

    entries: list[tuple[list[str], list[str]]] = field(default_factory=list)

    def __post_init__(self):
        self._targets: dict[str, list[str]] = {}
        self._surfaces: dict[str, list[str]] = {}
        for terms, targets in self.entries:
            self.add(terms, targets)

    def add(self, terms: Iterable[str], targets: Iterable[str]) -> None:
        targets = [normalize(t).strip() for t in targets if t and normalize(t).strip()]
        for term in terms:
            term = normalize(term).strip()
            if not term or not targets:
                continue
            for key in keys_of(term):
                listed = self._targets.setdefault(key, [])
                listed.extend(t for t in targets if t not in listed)
                surfaces = self._surfaces.setdefault(key, [])
                if term not in surfaces:
                    surfaces.append(term)

    def targets(self, term: str) -> list[str]:
        return list(lookup(self._targets, term) or [])

    @property
    def keys(self) -> list[str]:
        return list(self._targets)

    @property
    def vocabulary(self) -> list[str]:
        words: dict[str, None] = {}
        for key, surfaces in self._surfaces.items():
            words.update(dict.fromkeys(surfaces))
            words.update(dict.fromkeys(self._targets[key]))
        return list(words)

    def as_elasticsearch_rules(self) -> list[str]:
        """Solr explicit mappings ``a, b => a, b, t`` (the typed words still match themselves)."""
        by_targets: dict[tuple, list[str]] = {}
        for key, targets in self._targets.items():
            if key.startswith("~"):  # Elasticsearch stems the rules itself (stemmer before the filter)
                continue
            by_targets.setdefault(tuple(targets), []).extend(self._surfaces[key])
        rules = []
        for targets, surfaces in by_targets.items():
            left = [_es_term(s) for s in dict.fromkeys(surfaces)]
            right = list(dict.fromkeys(left + [_es_term(t) for t in targets]))
            rules.append(f"{', '.join(left)} => {', '.join(right)}")
        return rules


EXPANSION_WEIGHT = 0.9


@dataclass
class Thesaurus:
    """Synonym tables stacked by strength: exact synonyms (weight 1) above broader groups, and the
    one-way expansions of the medical vocabulary (a colloquial or English term → the article's term).

    The portal uses: the editors' synonym list (唐筛 = 唐氏筛查, PKU = 苯丙酮尿症), its one-way
    entries (拍片 → 放射线), and the service aliases of DESIGN §5 (every alias of 新生儿遗传代谢病筛查
    leads to the service, so 足跟血 also finds 新生儿筛查 — but less strongly than the term itself)."""

    tables: list[tuple[SynonymTable, float]] = field(default_factory=list)
    expansions_table: ExpansionTable | None = None
    expansion_weight: float = EXPANSION_WEIGHT

    def __post_init__(self):
        keys: list[str] = []
        for table, _ in self.tables:
            keys.extend(table._canonical)
        if self.expansions_table is not None:
            keys.extend(self.expansions_table.keys)
        self.index = TermIndex(keys)

    @property
    def vocabulary(self) -> list[str]:
        words: dict[str, None] = {}
        for table, _ in self.tables:
            words.update(dict.fromkeys(table.vocabulary))
        if self.expansions_table is not None:
            words.update(dict.fromkeys(self.expansions_table.vocabulary))
        return list(words)

    def find_in(self, text: str) -> list[str]:
        """Every thesaurus term occurring in the text (as written there; Latin terms as whole words,
        stemmed), longest first. One pass over the text, whatever the size of the vocabulary."""
        return self.index.find(normalize(text))

    def _members(self, term: str, weight: float, weights: dict[str, float]) -> None:
        if weights.get(term, 0.0) < weight:
            weights[term] = weight
        for table, table_weight in self.tables:
            for member in table.members(term):
                if weights.get(member, 0.0) < weight * table_weight:
                    weights[member] = weight * table_weight

    def knows(self, term: str) -> bool:
        """Whether a term is a member of one of the equivalence tables (无创 is; 检查 is not)."""
        return any(table.canonical(term) for table, _ in self.tables)

    def expansions(self, term: str) -> list[tuple[str, float]]:
        """(term, weight) pairs that mean the term: itself first at 1.0, then its synonyms by strength,
        then the one-way targets of the vocabulary (and their synonyms) a little lower."""
        term = normalize(term).strip()
        weights: dict[str, float] = {}
        self._members(term, 1.0, weights)
        if self.expansions_table is not None:
            sources = [term] + [m for m, w in list(weights.items()) if w >= 1.0 and m != term]
            for source in sources:
                for target in self.expansions_table.targets(source):
                    self._members(target, self.expansion_weight, weights)
        return sorted(weights.items(), key=lambda item: -item[1])

    def as_elasticsearch_rules(self) -> list[str]:
        """Equivalence rules of every table, merged where groups share a term, then the one-way
        mappings (synonym_graph, Solr format)."""
        merged = SynonymTable()
        for table, _ in self.tables:
            for group in table.member_groups:
                merged.add_group(group)
        rules = [", ".join(_es_term(m) for m in members)
                 for members in merged.member_groups if len(members) > 1]
        if self.expansions_table is not None:
            rules += self.expansions_table.as_elasticsearch_rules()
        return rules


def _es_term(term: str) -> str:
    # Solr synonym syntax reserves , => and \; normalised terms carry none, but be sure.
    return re.sub(r"[,=>\\]", " ", term).strip()


def _occurs(term: str, text: str) -> bool:
    if IS_CJK.match(term):
        return term in text
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None


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
class QueryReading:
    """What a person typed, read once for every search (site search's concepts, the facility finder's
    plan): the normalised text, the known terms of a vocabulary it contains, and the segmenter's
    words of the rest, each with its offset; `boundaries` are the offsets where the segmenter starts
    or ends a word (before orphan characters are joined), for telling a whole word from a part of one."""

    normalized: str
    terms: list[tuple[int, str]]
    words: list[tuple[int, str]]
    boundaries: frozenset[int]

    @property
    def pieces(self) -> list[tuple[int, str]]:
        """Terms and words in the order of the text."""
        return sorted(self.terms + self.words)


def read_query(query: str, vocabulary: Thesaurus | None = None) -> QueryReading:
    """Any input is accepted: it is normalised and cut to MAX_QUERY_CHARS, and only word tokens (runs
    of Chinese characters, of Latin letters and digits) survive, so quotes, operators, `*`, `-`, NUL
    and emoji can never reach a backend's query parser. The vocabulary's terms are taken first,
    longest first (唐氏筛查 before 筛查); the rest is cut by the segmenter, stopwords dropped, and
    consecutive single characters the segmenter could not place are kept together (排畸)."""
    normalized = normalize(query)[:MAX_QUERY_CHARS]
    terms: list[tuple[int, str]] = []
    remaining = normalized
    if vocabulary:
        for term in vocabulary.find_in(normalized):
            position = _find_token(remaining, term)
            if position < 0:
                continue
            terms.append((position, term))
            remaining = remaining[:position] + " " * len(term) + remaining[position + len(term):]
    boundaries: set[int] = set()
    words = _positioned_words(remaining, boundaries)
    return QueryReading(normalized, terms, words, frozenset(boundaries))


def index_text(text: str, *, pinyin: bool = False) -> str:
    """The token string a database full-text index stores for a text: words (search mode, so long
    words and the words inside them), then single characters and bigrams (the recall net), then,
    for titles and names, pinyin of words and word pairs. Tokens are separated by spaces, which is
    how SQLite FTS5 (unicode61) and PostgreSQL's parser split them."""
    normalized = normalize(text)
    tokens = [t for t in _segment_cached(normalized) if t not in STOPWORDS]
    # Domain terms inside longer domain terms (听力筛查 in 新生儿听力筛查): search mode only emits
    # the dictionary's two- and three-character parts, so add every known term the text contains.
    present = set(tokens)
    tokens += [word for word in _vocabulary_in(normalized) if word not in present]
    # English words also as their stems (screening → screen), so an English query finds them in any form.
    tokens += [stem(t) for t in tokens if t.isascii() and t.isalpha() and stem(t) != t]
    tokens += cjk_grams(normalized)
    if pinyin:
        tokens += word_pinyin_terms(normalized)
    return " ".join(tokens)


def _vocabulary_in(text: str) -> list[str]:
    return [word for word in _long_vocabulary if word in text]


@lru_cache(maxsize=8192)
def text_tokens(text: str, *, pinyin: bool = False) -> frozenset[str]:
    """The set of tokens ``index_text`` would store: used to test a title against query terms.
    Kept per process: the site search tests every candidate's title on every query, and the same
    titles come back again and again (cleared when the vocabulary grows, as the segmenter's cache)."""
    return frozenset(index_text(text, pinyin=pinyin).split())


@dataclass
class Tier:
    """Index tokens that express a concept with one strength: the word and its exact synonyms (1.0),
    broader service terms, Chinese words spelled by a pinyin query, or bigrams (the recall net)."""

    tokens: list[str]
    weight: float
    kind: str


@dataclass
class Concept:
    """One unit of meaning in a query, as the person typed it (label), with its tiers."""

    label: str
    tiers: list[Tier]
    fallback: Tier | None = None
    weight: float = 1.0

    @property
    def tokens(self) -> list[str]:
        return [token for tier in self.tiers for token in tier.tokens]


@dataclass
class AnalysedQuery:
    normalized: str
    concepts: list[Concept]

    @property
    def is_empty(self) -> bool:
        return not self.concepts

    def highlight_terms(self) -> list[str]:
        """Strings to mark in titles and snippets: what was typed and what it was expanded to."""
        terms: dict[str, None] = {}
        for concept in self.concepts:
            if len(concept.label) >= 2 or IS_CJK.match(concept.label):
                terms[concept.label] = None
            for tier in concept.tiers:
                for token in tier.tokens:
                    if tier.kind != "pinyin-latin":
                        terms[token] = None
        return sorted((t for t in terms if t and (len(t) >= 2 or IS_CJK.match(t))), key=len, reverse=True)


MAX_CONCEPTS = 8
RELATED_WEIGHT = 0.6
PINYIN_WEIGHT = 0.85
GRAM_WEIGHT = 0.3
SINGLE_CHAR_WEIGHT = 0.35


def _as_index_tokens(term: str, known=None) -> list[str]:
    """The index tokens a (normalised) thesaurus member is found by: itself when it is one word;
    for mixed Latin/Chinese members (无创dna, g6pd缺乏症, nt检查) the parts that are thesaurus terms
    themselves (无创), else Latin parts of four or more characters (g6pd) — a lone 检查 of nt检查,
    超声 of nt超声 or dna of 无创dna would match far too much."""
    parts = WORD.findall(term)
    if len(parts) <= 1:
        if parts and parts[0].isascii() and stem(parts[0]) != parts[0]:
            return [parts[0], stem(parts[0])]
        return parts
    if all(p.isascii() for p in parts):
        # A phrase of English words (hearing aid): the database backends cannot ask for a phrase, and
        # any one of its words would match far too much; the phrase works through what it maps to.
        return []
    if known is None:
        chinese = [p for p in parts if IS_CJK.match(p) and len(p) >= 2]
        return chinese or [max(parts, key=len)]
    chinese = [p for p in parts if IS_CJK.match(p) and len(p) >= 2 and known(p)]
    return chinese or [p for p in parts if p.isascii() and len(p) >= 4 and not p.isdigit()]


def _concept_for(term: str, thesaurus: Thesaurus | None, pinyin_lookup) -> Concept:
    expansions = thesaurus.expansions(term) if thesaurus else [(term, 1.0)]
    known = thesaurus.knows if thesaurus else None
    by_weight: dict[float, list[str]] = {}
    for member, weight in expansions:
        for token in _as_index_tokens(member, known):
            if token not in by_weight.setdefault(weight, []):
                by_weight[weight].append(token)
    tiers = []
    seen: set[str] = set()
    for weight in sorted(by_weight, reverse=True):
        tokens = [t for t in by_weight[weight] if t not in seen]
        seen.update(tokens)
        if tokens:
            kind = "word" if weight >= 1.0 else "expansion" if weight >= EXPANSION_WEIGHT else "related"
            tiers.append(Tier(tokens, min(weight, 1.0), kind))
    if pinyin_lookup and not IS_CJK.match(term) and re.search("[a-z]", term):
        # Chinese words the pinyin spells (tangshai → 唐筛), with their synonyms.
        spelled, related = [], []
        for word in pinyin_lookup(term)[:6]:
            for member, weight in (thesaurus.expansions(word) if thesaurus else [(word, 1.0)]):
                for token in _as_index_tokens(member, known):
                    if token not in seen:
                        seen.add(token)
                        (spelled if weight >= 1.0 else related).append(token)
        if spelled:
            tiers.append(Tier(spelled, PINYIN_WEIGHT, "pinyin"))
        if related:
            tiers.append(Tier(related, PINYIN_WEIGHT * RELATED_WEIGHT, "related"))
    fallback = None
    if IS_CJK.match(term) and len(term) >= 3:
        grams = [term[i : i + 2] for i in range(len(term) - 1)]
        fallback = Tier([g for g in dict.fromkeys(grams) if g not in seen], GRAM_WEIGHT, "gram")
    weight = SINGLE_CHAR_WEIGHT if len(term) == 1 else 1.0
    if is_light(term):
        weight = LIGHT_WEIGHT
    return Concept(label=term, tiers=tiers, fallback=fallback, weight=weight)


CJK_NUMBER = re.compile(r"^[0-9一二三四五六七八九十两几]+(?:岁|周岁|周|个月|天|次|年)?$")


def is_light(term: str) -> bool:
    """Family and filler words, and bare numbers (三岁, 36): they say who or when, not what."""
    return term in LIGHT_WORDS or bool(CJK_NUMBER.match(term))


def age_concept(text: str, thesaurus: Thesaurus | None) -> Concept | None:
    """高龄 when the text names an age of advanced maternal age (35–55), however it is written."""
    for match in AGE_NUMBER.finditer(text):
        if NOT_AGE_AFTER.match(text[match.end():]):
            continue
        if _age_value(match.group(1)) in ADVANCED_AGE:
            concept = _concept_for(AGE_CONCEPT, thesaurus, None)
            concept.tiers.append(Tier(["35岁", "35"], EXPANSION_WEIGHT, "expansion"))
            concept.fallback = None
            return concept
    return None


def _age_value(number: str) -> int:
    if number.isdigit():
        return int(number)
    tens, _, units = number.partition("十")
    return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def analyse_query(query: str, thesaurus: Thesaurus | None = None, *, pinyin_lookup=None) -> AnalysedQuery:
    """What a person typed (read by ``read_query``: thesaurus terms, then words), as concepts with
    weighted index tokens."""
    reading = read_query(query, thesaurus)
    normalized = reading.normalized
    labels = reading.pieces
    concepts: list[Concept] = []
    seen: set[str] = set()
    age = age_concept(normalized, thesaurus)
    if age is not None and not any(AGE_CONCEPT in label for _, label in labels):
        concepts.append(age)
    for _, label in labels:
        if label in seen:
            continue
        seen.add(label)
        concepts.append(_concept_for(label, thesaurus, pinyin_lookup))
    # The cap keeps the backend work bounded; the light words are the first to go.
    if len(concepts) > MAX_CONCEPTS:
        heavy = [c for c in concepts if c.weight > LIGHT_WEIGHT]
        concepts = (heavy + [c for c in concepts if c.weight <= LIGHT_WEIGHT])[:MAX_CONCEPTS]
    return AnalysedQuery(normalized=normalized, concepts=concepts)


def _find_token(text: str, term: str) -> int:
    if IS_CJK.match(term):
        return text.find(term)
    match = re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text)
    return match.start() if match else -1


def _positioned_words(text: str, boundaries: set[int]) -> list[tuple[int, str]]:
    """Words of the text with their offsets: segmenter words, stopwords out, orphan characters joined;
    the segmenter's word edges are added to `boundaries`."""
    words: list[tuple[int, str]] = []
    for match in WORD.finditer(text):
        run, offset = match.group(), match.start()
        boundaries.update((offset, match.end()))
        if not IS_CJK.match(run):
            if run not in ENGLISH_STOPWORDS:
                words.append((offset, run))
            continue
        pending: list[str] = []
        pending_at = offset
        cursor = offset
        for word in _cut(run):
            boundaries.update((cursor, cursor + len(word)))
            if len(word) == 1 and word not in STOP_CHARS and word not in STOPWORDS:
                if not pending:
                    pending_at = cursor
                pending.append(word)
            else:
                if pending:
                    words.append((pending_at, "".join(pending)))
                    pending = []
                if word not in STOPWORDS and not (len(word) == 1 and word in STOP_CHARS):
                    words.append((cursor, word))
            cursor += len(word)
        if pending:
            words.append((pending_at, "".join(pending)))
    return words
