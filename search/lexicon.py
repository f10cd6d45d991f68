"""An in-memory list of what people look for by name — page titles, service names and aliases,
synonyms, facility names — with their pinyin, for suggestions while typing, for turning a pinyin
query into Chinese words (yesuan → 叶酸) and for 「您是不是要找」.

Built per site from the database and kept per process; a publish, an edit of a synonym, a
service or a facility bumps a version in the cache so every process rebuilds on its next use
(and it is rebuilt every LIFETIME seconds in any case: without a shared cache other processes
never see the version bump)."""

import bisect
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from search.analysis import CJK_RUN, IS_CJK, LATIN_WORD, normalize, segment, to_pinyin
from search.sources import CONTENT_VERSION_KEY, get_sources
from search.synonyms import get_thesaurus, service_groups

LIFETIME = 120
# With a shared cache (Redis) every process sees the version bump at once: the lifetime is only a
# safety net there. Rebuilding is not free: ≈ 4 s of CPU for 20 000 facility names and 5 000 titles.
SHARED_LIFETIME = 3600


@dataclass
class Entry:
    label: str
    type: str  # resource, core_message, campaign, page, facility, service, term
    url: str
    normalized: str
    pinyin: str
    initials: str
    weight: float = 1.0


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    words_by_pinyin: dict[str, list[str]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)

    words_by_fuzzy_pinyin: dict[str, list[str]] = field(default_factory=dict)
    # Deletion index (SymSpell): every word and every form of it with one character (Latin: up to two)
    # left out → the words. A mistyped word is looked up by its own deletions, so finding the words
    # one edit away costs a few dictionary probes, whatever the size of the vocabulary.
    words_by_deletion: dict[str, list[str]] = field(default_factory=dict)
    # The thesaurus' expansions, so a vocabulary term typed whole (腿纹不对称, hearing aid) also
    # suggests the titles of what it means (宝宝髋关节发育不良的早期信号).
    expand: object = None

    def words_for_pinyin(self, latin: str) -> list[str]:
        """Chinese words of the site spelled by a pinyin string: yesuan → 叶酸, ys → 叶酸 (initials);
        failing that, with the sounds input methods forgive (diping → 地贫: in/ing, z/zh, c/ch, s/sh)."""
        key = normalize(latin).replace(" ", "")
        return self.words_by_pinyin.get(key) or self.words_by_fuzzy_pinyin.get(fuzzy_pinyin(key), [])

    def suggest(self, query: str, limit: int = 8) -> list[Entry]:
        """Entries whose name starts with (then contains) the query, or whose pinyin or initials
        start with it. Read from sorted keys and a bigram index (`SuggestIndex`), not by testing
        every entry: a national list has tens of thousands of names and this runs per keystroke."""
        q = normalize(query).strip()
        if not q:
            return []
        compact = q.replace(" ", "")
        latin = compact.isascii()
        index = self.suggest_index()
        entries = self.entries
        ranks: dict[int, int] = {}
        for i in index.starting(index.by_name, q):
            ranks[i] = 0
        if latin:
            for keys in (index.by_pinyin, index.by_initials):
                for i in index.starting(keys, compact):
                    ranks.setdefault(i, 1)
        if len(q) >= 2:
            for i in index.containing(entries, q):
                ranks.setdefault(i, 2)
        scored = sorted((rank, -entries[i].weight, len(entries[i].label), entries[i].label, i)
                        for i, rank in ranks.items())
        if self.expand is not None and len(q) >= 2 and len(scored) < limit:
            for target, weight in self.expand(q)[1:4]:
                if weight < 0.85 or target == q:
                    continue
                for i in index.containing(entries, target):
                    if entries[i].type != "term":
                        scored.append((3, -entries[i].weight, len(entries[i].label), entries[i].label, i))
        seen, result = set(), []
        for *_, i in scored:
            entry = entries[i]
            key = (entry.label, entry.url)
            if key not in seen:
                seen.add(key)
                result.append(entry)
            if len(result) >= limit:
                break
        return result

    def suggest_index(self) -> "SuggestIndex":
        index = self.__dict__.get("_suggest_index")
        if index is None or index.size != len(self.entries):
            index = self.__dict__["_suggest_index"] = SuggestIndex(self.entries)
        return index

    def correction(self, word: str) -> str | None:
        """A word of the site that the query word was probably meant to be: same pinyin (叶算 → 叶酸),
        for Latin input the pinyin of a site word, else a word one edit away (神经管缺限 → 神经管缺陷,
        thalasemia → thalassemia)."""
        word = normalize(word).strip()
        if not word or word in self.words:
            return None
        if IS_CJK.match(word):
            full, _ = to_pinyin(word)
            candidates = [w for w in self.words_by_pinyin.get(full, []) if w != word and len(w) == len(word)]
            return candidates[0] if candidates else self.nearest(word)
        candidates = self.words_for_pinyin(word)
        return candidates[0] if candidates else self.nearest(word)

    def nearest(self, word: str) -> str | None:
        """The site word closest to a word not on the site: one edit (Chinese, 3+ characters) or two
        (Latin, 5+ letters) away, the same length preferred, then the longest."""
        word = normalize(word).strip()
        latin = word.isascii()
        if len(word) < (5 if latin else 3) or word in self.words:
            return None
        limit = 2 if latin else 1
        candidates: dict[str, None] = {}
        for key in _deletions(word, limit):
            candidates.update(dict.fromkeys(self.words_by_deletion.get(key, ())))
        scored = [(edit_distance(word, c), abs(len(c) - len(word)), -len(c), c)
                  for c in candidates if c != word]
        scored = [item for item in scored if item[0] <= limit]
        return min(scored)[3] if scored else None

    def correct_text(self, text: str, unmatched: list[str]) -> str | None:
        """The text with its first mistyped span replaced: 3–8 characters of a Chinese run, one
        character away from a site word, the differing character inside a part of the query that
        matched nothing (颈项透名层 → 颈项透明层; 怀孕了 is left alone: 怀孕 matched)."""
        suspect = set()
        for label in unmatched:
            at = text.find(label)
            if at >= 0:
                suspect.update(range(at, at + len(label)))
        if not suspect:
            return None
        for match in CJK_RUN.finditer(text):
            run, offset = match.group(), match.start()
            for size in range(min(8, len(run)), 2, -1):
                for start in range(len(run) - size + 1):
                    chunk = run[start:start + size]
                    if chunk in self.words:
                        continue
                    near = self.nearest(chunk)
                    if not near or len(near) != len(chunk):
                        continue
                    changed = [i for i, (a, b) in enumerate(zip(chunk, near, strict=True)) if a != b]
                    if all(offset + start + i in suspect for i in changed):
                        return text[:offset + start] + near + text[offset + start + size:]
        return None


def _deletions(word: str, depth: int) -> set[str]:
    keys, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w)) if len(w) > 1}
        keys |= frontier
    return keys


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only: the candidates come from the deletion index)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def fuzzy_pinyin(text: str) -> str:
    return text.replace("zh", "z").replace("ch", "c").replace("sh", "s").replace("ng", "n")


_lock = threading.Lock()
_cache: dict = {}


def get_lexicon(site) -> Lexicon:
    version = cache.get(CONTENT_VERSION_KEY, 0)
    key = site.pk if site is not None else None
    cached = _cache.get(key)
    now = time.monotonic()
    lifetime = SHARED_LIFETIME if getattr(settings, "REDIS_URL", "") else LIFETIME
    if cached and cached[0] == version and now - cached[1] < lifetime:
        return cached[2]
    with _lock:
        lexicon = build_lexicon(site)
        _cache[key] = (version, now, lexicon)
    return lexicon


def invalidate(**kwargs) -> None:
    """Signal receiver: titles or names changed; every process rebuilds on its next use."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 1, None)
    cache.delete("portal_search:total_documents")
    _cache.clear()


def reset() -> None:
    """Forget everything built in this process (tests switch databases under it)."""
    _cache.clear()
    cache.delete(CONTENT_VERSION_KEY)
    cache.delete("portal_search:total_documents")


class SuggestIndex:
    """The entries' names, pinyin and initials sorted (a prefix is a range found by bisection), and
    the entries holding each bigram of their name (a substring of two or more characters is looked
    for only among the entries holding its first bigram)."""

    def __init__(self, entries: list[Entry]):
        self.size = len(entries)
        self.by_name = sorted((e.normalized, i) for i, e in enumerate(entries))
        self.by_pinyin = sorted((e.pinyin, i) for i, e in enumerate(entries) if e.pinyin)
        self.by_initials = sorted((e.initials, i) for i, e in enumerate(entries) if e.initials)
        self.by_bigram: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(entries):
            text = entry.normalized
            for bigram in dict.fromkeys(text[j : j + 2] for j in range(len(text) - 1)):
                self.by_bigram[bigram].append(i)

    @staticmethod
    def starting(keys: list[tuple[str, int]], prefix: str) -> list[int]:
        found = []
        for key, i in keys[bisect.bisect_left(keys, (prefix, -1)):]:
            if not key.startswith(prefix):
                break
            found.append(i)
        return found

    def containing(self, entries: list[Entry], text: str) -> list[int]:
        """Entries whose name contains the text (in entry order); one character: every entry."""
        candidates = self.by_bigram.get(text[:2], ()) if len(text) >= 2 else range(self.size)
        return [i for i in candidates if text in entries[i].normalized]


@lru_cache(maxsize=50_000)
def _label_pinyin(label: str) -> tuple[str, str]:
    """Kept across rebuilds: after a publish every worker rebuilds its lexicon, and the pinyin of 20 000
    unchanged facility names was most of the ≈ 4 s each rebuild took."""
    return to_pinyin(label)


def _entry(label, type_, url, weight=1.0) -> Entry:
    full, initials = _label_pinyin(label)
    return Entry(label=label, type=type_, url=url or "", normalized=normalize(label), pinyin=full,
                 initials=initials, weight=weight)


def build_lexicon(site) -> Lexicon:
    thesaurus = get_thesaurus()
    entries: list[Entry] = []
    words: set[str] = set(w for w in thesaurus.vocabulary if IS_CJK.match(w))

    for source in get_sources():
        if source.key == "facilities":  # below, with their detail URLs
            continue
        qs = source.queryset(site)
        if qs is None:
            continue
        try:
            objects = list(qs[:5000])
        except DatabaseError:
            continue
        for obj in objects:
            title = source.title_of(obj)
            if not title:
                continue
            url = ""
            try:
                url = obj.get_url() if hasattr(obj, "get_url") else getattr(obj, "url", "")
            except Exception:  # a page outside any site has no URL: suggest it without one
                url = ""
            entries.append(_entry(title, source.type_of(obj), url))
            words.update(w for w in segment(title) if len(w) >= 2 and IS_CJK.match(w))

    for term in thesaurus.vocabulary:  # the medical vocabulary: what people type, as suggestions
        if len(term) >= 2:
            entries.append(_entry(term, "term", "", weight=0.8))
    for group in service_groups():
        name = group[0]
        for term in group:
            entries.append(_entry(term, "service", "", weight=1.5 if term == name else 1.2))
    for label, url in _facility_names():
        entries.append(_entry(label, "facility", url))
        words.update(w for w in segment(label) if len(w) >= 2 and IS_CJK.match(w))

    by_pinyin: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words, key=len, reverse=True):
        if not CJK_RUN.fullmatch(word):
            continue
        full, initials = to_pinyin(word)
        for key in {full, initials if len(word) >= 3 else ""}:
            if key and word not in by_pinyin[key]:
                by_pinyin[key].append(word)
    by_fuzzy: dict[str, list[str]] = defaultdict(list)
    for key, listed in by_pinyin.items():
        if len(key) >= 4:
            for word in listed:
                if word not in by_fuzzy[fuzzy_pinyin(key)]:
                    by_fuzzy[fuzzy_pinyin(key)].append(word)
    by_deletion: dict[str, list[str]] = defaultdict(list)
    latin_words = {w for term in thesaurus.vocabulary if term.isascii() for w in LATIN_WORD.findall(term)}
    for word in sorted(words | latin_words):
        latin = word.isascii()
        if len(word) < (5 if latin else 3) or len(word) > 12:
            continue
        for key in _deletions(word, 2 if latin else 1):
            by_deletion[key].append(word)
    return Lexicon(entries=entries, words_by_pinyin=dict(by_pinyin), words=words | latin_words,
                   words_by_fuzzy_pinyin=dict(by_fuzzy), words_by_deletion=dict(by_deletion),
                   expand=thesaurus.expansions)


def _facility_names():
    """(name, url) of the listed facilities, once the facilities app has them."""
    try:
        Facility = apps.get_model("facilities", "Facility")
    except LookupError:
        return []
    try:
        qs = Facility.objects.all()
        if hasattr(qs, "licence_current"):
            qs = qs.licence_current()
        return [(name, f"/facilities/{pk}/") for pk, name in qs.values_list("pk", "name")[:20000]]
    except DatabaseError:
        return []
