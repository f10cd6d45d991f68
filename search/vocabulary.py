"""The reviewed medical vocabulary (search/data/medical_vocabulary.tsv): what people type — abbreviations,
English names, colloquial and regional words, body parts and symptoms, habits and exposures — mapped
to the terms the articles use, each with its source. Migrations seed the synonym list from it;
editors own the entries from then on (admin → 搜索同义词)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "medical_vocabulary.tsv"
KINDS = ("synonym", "abbreviation", "english", "colloquial", "regional", "symptom", "habit", "standard")


@dataclass(frozen=True)
class VocabularyEntry:
    line: int
    kind: str
    terms: str
    maps_to: str
    source: str

    def errors(self) -> list[str]:
        from search.models import split_terms

        problems = []
        if self.kind not in KINDS:
            problems.append(f"unknown kind {self.kind!r}")
        if not self.source:
            problems.append("no source")
        terms, targets = split_terms(self.terms), split_terms(self.maps_to)
        if targets and not terms:
            problems.append("no terms")
        if not targets and len(terms) < 2:
            problems.append("an equivalence needs two terms")
        return problems


def read_vocabulary(path: Path = VOCABULARY_FILE) -> list[VocabularyEntry]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip() and not line.startswith("#")]
    reader = csv.reader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    entries = []
    for (number, _), row in zip(lines[1:], reader, strict=False):
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        entries.append(VocabularyEntry(number, values.get("kind", ""), values.get("terms", ""),
                                       values.get("maps_to", ""), values.get("source", "")))
    return entries


def seed_vocabulary(SynonymGroup, entries: list[VocabularyEntry] | None = None) -> int:
    """Add every entry not in the list yet; returns how many groups were added or extended.

    An equivalence entry that shares a term with an existing equivalence group adds its missing terms
    to that group (groups sharing a term mean the same thing anyway) and fills in its kind and source
    when they are empty; a one-way entry is added unless a group with the same terms and targets
    exists. Editors' deactivated groups stay deactivated."""
    from search.analysis import term_key
    from search.models import split_terms

    groups = {}  # term key → existing equivalence group
    known_mappings: set[tuple] = set()
    for group in SynonymGroup.objects.all():
        keys = frozenset(term_key(t) for t in split_terms(group.terms))
        if group.maps_to:
            known_mappings.add((keys, frozenset(term_key(t) for t in split_terms(group.maps_to))))
        else:
            for key in keys:
                groups.setdefault(key, group)
    added, changed = [], {}
    for entry in entries if entries is not None else read_vocabulary():
        if entry.errors():
            continue
        terms = split_terms(entry.terms)
        keys = frozenset(term_key(t) for t in terms)
        targets = frozenset(term_key(t) for t in split_terms(entry.maps_to))
        if targets:
            if (keys, targets) not in known_mappings:
                known_mappings.add((keys, targets))
                added.append(SynonymGroup(terms=entry.terms, maps_to=entry.maps_to, kind=entry.kind,
                                          source=entry.source[:200]))
            continue
        existing = next((groups[k] for k in keys if k in groups), None)
        if existing is None:
            group = SynonymGroup(terms=entry.terms, kind=entry.kind, source=entry.source[:200])
            added.append(group)
            groups.update(dict.fromkeys(keys, group))
            continue
        present = {term_key(t) for t in split_terms(existing.terms)}
        missing = [t for t in terms if term_key(t) not in present]
        dirty = bool(missing)
        if missing:
            existing.terms = "、".join(split_terms(existing.terms) + missing)
        if not existing.source:
            existing.source = entry.source[:200]
            dirty = True
            if existing.kind in ("", "synonym"):
                existing.kind = entry.kind
        if existing.pk and dirty:
            changed[existing.pk] = existing
        groups.update(dict.fromkeys(keys, existing))
    SynonymGroup.objects.bulk_create(added)
    for group in changed.values():
        group.save(update_fields=["terms", "kind", "source"])
    return len(added) + len(changed)
