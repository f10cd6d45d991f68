"""The public facility evaluation (shared/eval/facility_queries_public.tsv) as a test, on whichever
database the suite runs on, scored exactly as eval_search.py scores it."""

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
FACILITIES = ROOT / "content" / "facilities" / "demo_data" / "facilities_sample.csv"
QUERIES = ROOT / "tests" / "data" / "facility_queries_public.tsv"


def load_queries():
    with open(QUERIES, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        return [dict(zip(head, line.rstrip("\n").split("\t"), strict=False)) for line in f if line.strip()]


def score(kind, relevant, got):
    if kind == "text":
        k = min(10, len(relevant))
        return len(set(got[:k]) & set(relevant)) / k
    if kind in ("name", "near"):
        return 1.0 / (got.index(relevant[0]) + 1) if relevant[0] in got[:10] else 0.0
    return 0.0 if relevant[0] in got else 1.0  # expired


@pytest.mark.django_db
def test_public_facility_queries_score_at_least_095_per_kind(client):
    call_command("import_facilities", str(FACILITIES), stdout=open("/dev/null", "w"))
    by_kind, misses = {}, []
    for row in load_queries():
        params = ([("q", row["q"])] if row["q"] else []) + parse_qsl(row["params"]) + [("page_size", "20")]
        response = client.get("/api/facilities/", params)
        assert response.status_code == 200, (row["id"], response.content)
        got = [r["licence_number"] for r in response.json()["results"]]
        relevant = [x for x in row["relevant"].split(";") if x]
        value = score(row["kind"], relevant, got)
        by_kind.setdefault(row["kind"], []).append(value)
        if value < 1:
            misses.append((row["id"], row["q"], row["params"], got[:3]))
    assert set(by_kind) == {"text", "name", "near", "expired"}
    for kind, values in by_kind.items():
        assert sum(values) / len(values) >= 0.95, (kind, misses)
