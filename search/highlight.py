"""Highlighted titles and snippets: the text is escaped, the matched words wrapped in <mark>.

Matching runs on the normalised text (full-width folded, traditional → simplified, lower case)
and maps back to the original characters, so 「產前篩查」 in a page is marked for a query 产前筛查
and the snippet shows the page's own characters."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import normalize

SNIPPET_CHARS = 120


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset of the original character.

    Width folding and case are applied per character (they may change the length: ㎏ → kg);
    traditional → simplified runs once over the whole text, and is kept only when it maps
    character for character, which it does for all but a few phrases."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).lower() if not ch.isascii() else ch.lower()
        for f in folded:
            chars.append(f)
            offsets.append(i)
    folded = "".join(chars)
    simplified = normalize(folded)
    if len(simplified) == len(folded):
        folded = simplified
    return folded, offsets


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the original text where any term occurs, longest terms first."""
    terms = [t for t in dict.fromkeys(terms) if t]
    if not text or not terms:
        return []
    folded, offsets = _normalised_with_offsets(text)
    taken = [False] * len(folded)
    spans = []
    for term in sorted(terms, key=len, reverse=True):
        if term.isascii():
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])")
        else:
            pattern = re.compile(re.escape(term))
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            spans.append((offsets[start], offsets[end - 1] + 1))
    return sorted(spans)


def highlight(text: str, terms: list[str], spans=None) -> SafeString:
    """The whole text, escaped, with matches in <mark>."""
    spans = match_spans(text, terms) if spans is None else spans
    out, cursor = [], 0
    for start, end in spans:
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def snippet(text: str, terms: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around its first match (or its beginning), escaped and highlighted."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    spans = match_spans(text, terms)
    if spans:
        # Start a little before the first match, at a sentence boundary when one is near.
        first = spans[0][0]
        start = max(0, first - length // 4)
        boundary = max(text.rfind(mark, start, first) for mark in "。！？；.!?")
        if boundary >= 0 and first - boundary < length // 2:
            start = boundary + 1
    else:
        start = 0
    end = min(len(text), start + length)
    window = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = highlight(text[start:end], [], spans=window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by highlight()
