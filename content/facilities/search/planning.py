"""From what a person typed to what the backends look for: service concepts (any name or alias of a
service), region concepts (a division the query names: 武侯, 朝阳区, 珙) and plain words, each with
the index terms that satisfy it. Both backends search with the same plan."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache

from content.base.request_memo import remembered
from search.analysis import CJK_RUN, IS_CJK, read_query, to_pinyin

from ..records import Facility, FacilityTerm, region_prefix
from ..regions import RegionDirectory, directory
from .base import FacilityQuery, SearchResult
from .vocabulary import ServiceVocabulary, service_token, service_vocabulary

SERVICE, REGION, WORD = "service", "region", "word"
# 「免费婚检」: words that ask for the free (惠民项目) offer of a service. Not 惠民 itself: it is a
# common word in hospital names (北京通州惠民医院).
FREE_WORDS = ("免费", "不要钱", "不收费")


@dataclass
class Concept:
    """One unit of meaning; a facility matches it through any of its terms, its region, or (for a
    longer word the segmenter may have cut differently) all of its bigrams."""

    text: str
    kind: str
    terms: list[str] = field(default_factory=list)
    fields: list[int] | None = None  # None: any field
    regions: list[str] = field(default_factory=list)  # division codes (region concepts)
    grams: list[str] = field(default_factory=list)  # all must occur (words of 3+ characters)
    service_code: str | None = None


@dataclass
class Plan:
    text: str
    concepts: list[Concept]
    bigrams: list[str]  # of the whole query, for ranking names that read like it
    free: bool = False  # the query asked for free services
    suggestion: str | None = None  # 「您是不是要找」: the text with mistyped words corrected (堂筛 → 唐筛)

    @property
    def service_codes(self) -> tuple[str, ...]:
        return tuple(c.service_code for c in self.concepts if c.kind == SERVICE and c.service_code)

    @property
    def is_empty(self) -> bool:
        return not self.concepts

    @property
    def region_concepts(self) -> list[Concept]:
        return [c for c in self.concepts if c.kind == REGION]

    def without_regions(self) -> Plan:
        """The same plan with each region concept read as a plain word (the fall-back when a
        region-restricted search finds nothing: 瑞安 may be a hospital's name, not 瑞安市)."""
        return Plan(self.text, [word_concept(c.text) if c.kind == REGION else c for c in self.concepts],
                    self.bigrams, self.free, self.suggestion)


def word_concept(word: str) -> Concept:
    grams = [word[i : i + 2] for i in range(len(word) - 1)] if IS_CJK.match(word) and len(word) >= 3 else []
    return Concept(text=word, kind=WORD, terms=[word], grams=grams)


def plan_facility_query(query: str, services: ServiceVocabulary, regions: RegionDirectory,
                        is_live: Callable[[str], bool]) -> Plan:
    """Services first (longest alias wins), then divisions in what is left, then the words. A name
    counts only as a whole word of the text: 孕检 is not inside 怀孕检查, 怀柔 not inside 怀孕."""
    reading = read_query(query, services.thesaurus)
    text = reading.normalized
    concepts: list[Concept] = []
    remaining = text
    boundaries = word_boundaries(text)
    groups: dict[str, list[str]] = {}  # canonical → the group's terms found, in the order of the text
    for _position, term in reading.terms:
        canonical = services.synonyms.canonical(term)
        if canonical is not None:
            groups.setdefault(canonical, []).append(term)
    for canonical, found in groups.items():
        code = services.code_for(canonical)
        if code is None:
            continue
        candidates = [m for m in services.synonyms.members(canonical) if m in found]
        candidates += [m for m in services.synonyms.members(canonical) if m not in candidates]
        members = [m for m in candidates if occurs_as_word(m, text, boundaries)]
        if not members:
            continue
        for member in members:
            remaining = _remove(remaining, member)
        concepts.append(service_concept(members[0], [code]))

    free = any(word in remaining for word in FREE_WORDS)
    for word in FREE_WORDS:
        remaining = remaining.replace(word, " ")
    mentions, remaining = find_region_mentions(remaining, regions, is_live)
    accepted: list[str] = []
    for mention, codes in mentions:
        nested = not accepted or any(regions.is_within(c, a) or regions.is_within(a, c)
                                     for c in codes for a in accepted)
        if nested:
            accepted += codes
            concepts.append(Concept(text=mention, kind=REGION, regions=codes, terms=[mention],
                                    fields=[FacilityTerm.NAME, FacilityTerm.NAME_GRAM]))
        else:  # 东城 … 和平: a second, unrelated division is more likely part of a name
            concepts.append(word_concept(mention))

    seen = {c.text for c in concepts}
    corrections: dict[str, str] = {}
    for _position, word in read_query(remaining).words:
        if word in seen or not word.strip():
            continue
        seen.add(word)
        # tangshai, hunjian: pinyin of a service term; 唐氏: the start of a service's name.
        spelled = services.terms_for_pinyin(word)
        codes = list(dict.fromkeys(c for c in (services.code_for(t) for t in spelled) if c))
        codes = codes or services.codes_for_prefix(word)
        if codes:
            concepts.append(service_concept(word, codes))
            continue
        concepts.append(word_concept(word))
        sounds_like = services.sounds_like(word) or regions_sound_like(word, regions, is_live)
        if sounds_like:
            corrections[word] = sounds_like
    # A typo the segmenter cuts into single characters (堂筛 → 堂 筛): try each run left as a whole.
    for run in CJK_RUN.findall(remaining):
        if run not in corrections and 2 <= len(run) <= 8:
            sounds_like = services.sounds_like(run) or regions_sound_like(run, regions, is_live)
            if sounds_like:
                corrections[run] = sounds_like
    bigrams = []
    for run in CJK_RUN.findall(text):
        bigrams += [run[i : i + 2] for i in range(len(run) - 1)]
    suggestion = None
    if corrections:
        suggestion = text
        for word, replacement in corrections.items():
            suggestion = suggestion.replace(word, replacement)
        suggestion = " ".join(suggestion.split())
    return Plan(text, concepts, list(dict.fromkeys(bigrams)), free, suggestion)


def service_concept(text: str, codes: list[str]) -> Concept:
    """A service named by the text; several codes (听力 → 新生儿听力筛查 or 听力障碍诊治): any of them."""
    return Concept(text=text, kind=SERVICE if len(codes) == 1 else WORD,
                   service_code=codes[0] if len(codes) == 1 else None,
                   terms=[*(service_token(c) for c in codes), text])


def word_boundaries(text: str) -> set[int]:
    """Offsets where the segmenter (site search's precise cut, with the domain vocabulary) starts or
    ends a word, and the edges of every run of Chinese characters."""
    boundaries = set(read_query(text).boundaries)
    for run in re.finditer(r"\S+", text):
        boundaries.update((run.start(), run.end()))
    for run in CJK_RUN.finditer(text):
        boundaries.update((run.start(), run.end()))
    return boundaries


def occurs_as_word(member: str, text: str, boundaries: set[int]) -> bool:
    if not IS_CJK.match(member):
        return re.search(rf"(?<![a-z0-9]){re.escape(member)}(?![a-z0-9])", text) is not None
    start = text.find(member)
    while start >= 0:
        if start in boundaries and start + len(member) in boundaries:
            return True
        start = text.find(member, start + 1)
    return False


def regions_sound_like(word: str, regions: RegionDirectory, is_live: Callable[[str], bool]) -> str | None:
    """A division with facilities written with the same sounds (武候 → 武侯)."""
    if len(word) < 2 or not IS_CJK.match(word) or word in regions.by_full or word in regions.by_short:
        return None
    full, _ = to_pinyin(word)
    for name in regions.names_by_pinyin().get(full, []):
        codes = regions.by_full.get(name, []) + regions.by_short.get(name, [])
        if len(name) == len(word) and any(is_live(c) for c in codes):
            return name
    return None


def with_plan_constraints(query, plan: Plan):
    """「免费」 in the text means free=1 for the services the text names (or any service)."""
    from dataclasses import replace

    if not plan.free:
        return query
    return replace(query, free=True, services=tuple(dict.fromkeys(query.services + plan.service_codes)))


@dataclass(frozen=True)
class Step:
    """One try of a facility search: the plan to match (None: the query has no text) and whether a
    facility may match fewer than all of its concepts (then as many as the best one does)."""

    name: str
    plan: Plan | None
    partial: bool = False


def search_steps(plan: Plan) -> Iterator[Step]:
    """The fall-back sequence every backend follows, tried in order until a step finds something:
    `exact` (every concept; a named division as a division) → `regions_as_words` (the division names
    read as words of a name or address: 瑞安 may be a hospital, not 瑞安市) → `partial` (as many of
    the concepts as any facility matches)."""
    if plan.is_empty:
        yield Step("all", None)
        return
    yield Step("exact", plan)
    if plan.region_concepts:
        yield Step("regions_as_words", plan.without_regions())
    if len(plan.concepts) > 1:
        yield Step("partial", plan.without_regions(), partial=True)


def search_in_steps(query: FacilityQuery, run: Callable[[FacilityQuery, Step], SearchResult]) -> SearchResult:
    """A backend's search: the query's plan, its constraints (「免费」), then `run(query, step)` for each
    step of `search_steps` until one finds something; the divisions the text named are reported."""
    plan = plan_for(query.q)
    query = with_plan_constraints(query, plan)
    for step in search_steps(plan):
        result = run(query, step)
        if result.count:
            break
    if plan.region_concepts and result.count:
        result.regions_in_query = [code for c in plan.region_concepts for code in c.regions]
    return result


def _remove(text: str, member: str) -> str:
    if IS_CJK.match(member):
        return text.replace(member, " ")
    return re.sub(rf"(?<![a-z0-9]){re.escape(member)}(?![a-z0-9])", " ", text)


def find_region_mentions(text: str, regions: RegionDirectory,
                         is_live: Callable[[str], bool]) -> tuple[list[tuple[str, list[str]]], str]:
    """Division names in the text, longest first at each position: official names (朝阳区) and short
    forms (朝阳); a one-character short form (珙 for 珙县) only when typed on its own. Only divisions
    that have facilities count. Returns the mentions and the text without them."""
    mentions: list[tuple[str, list[str]]] = []
    kept: list[str] = []
    for chunk in re.split(r"(\s+)", text):
        if not chunk or chunk.isspace() or not CJK_RUN.search(chunk):
            kept.append(chunk)
            continue
        i, out = 0, []
        boundaries = word_boundaries(chunk)
        while i < len(chunk):
            match = None
            for length in range(min(regions.max_len, len(chunk) - i), 0, -1):
                piece = chunk[i : i + length]
                if length == 1 and piece != chunk:
                    break
                if i not in boundaries or i + length not in boundaries:
                    continue
                codes = regions.by_full.get(piece, []) + regions.by_short.get(piece, [])
                live = sorted({c for c in codes if is_live(c)})
                if live:
                    # 北京市 is the province and its city level: keep the outermost.
                    live = [c for c in live if not any(o != c and regions.is_within(c, o) for o in live)]
                    match = (piece, live)
                    break
            if match:
                mentions.append(match)
                out.append(" ")
                i += len(match[0])
            else:
                out.append(chunk[i])
                i += 1
        kept.append("".join(out))
    return mentions, " ".join(kept)


LIVE_KEY = "facilities:live-region-prefixes"


def live_region_prefixes() -> frozenset[str]:
    """Prefixes (51, 5101, 510107) of every division that has at least one facility; read from the
    cache once per request (a finder page plans its text three times)."""
    return remembered(LIVE_KEY, _live_region_prefixes)


def _live_region_prefixes() -> frozenset[str]:
    prefixes = cache.get(LIVE_KEY)
    if prefixes is None:
        prefixes = set()
        for region_id in Facility.objects.values_list("region_id", flat=True).distinct():
            prefixes.update({region_id[:2], region_id[:4], region_id})
        prefixes = frozenset(prefixes)
        cache.set(LIVE_KEY, prefixes, timeout=300)
    return prefixes


def plan_for(text: str) -> Plan:
    live = live_region_prefixes()
    return plan_facility_query(text or "", service_vocabulary(), directory(),
                               lambda code: region_prefix(code) in live)
