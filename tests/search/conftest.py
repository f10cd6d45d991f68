import json
from pathlib import Path

import pytest
from django.core.cache import cache

# The public evaluation set (shared/eval), kept in the repository so the suite runs on its own:
# the articles and facilities are the demo's own data files, the labelled queries are in tests/data.
ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "content" / "library" / "demo_data" / "resources_public.jsonl"
QUERIES = ROOT / "tests" / "data" / "search_queries_public.tsv"
FACILITIES = ROOT / "content" / "facilities" / "demo_data" / "facilities_sample.csv"


def reset_search_state():
    """Caches built per process (thesaurus, suggestions, document counts) must not outlive a test."""
    from search import lexicon, synonyms

    cache.clear()
    lexicon.reset()
    synonyms.reset()


@pytest.fixture(autouse=True)
def fresh_search_state():
    reset_search_state()
    yield
    reset_search_state()


def import_public_resources():
    """The public evaluation articles as ResourcePages under /library/, published and indexed."""
    from content.library.importer import import_resources

    with open(RESOURCES, encoding="utf-8") as f:
        import_resources(f)


def public_queries():
    with open(QUERIES, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(head, line.rstrip("\n").split("\t"), strict=False)) for line in f if line.strip()]
    for row in rows:
        row["kind"] = row["note"].split(":")[0]
        row["relevant"] = [t.strip() for t in row["relevant"].split("|") if t.strip()]
    return rows


def resource_titles():
    with open(RESOURCES, encoding="utf-8") as f:
        return [json.loads(line)["title"] for line in f if line.strip()]
