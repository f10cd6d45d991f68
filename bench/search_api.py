#!/usr/bin/env python
"""Site search latency against a running portal, on loopback, next to /healthz as the floor.

    .venv/bin/python bench/search_api.py http://127.0.0.1:8000 [--rounds 3]

Times /healthz, /api/search/ for every query of tests/data/search_queries_public.tsv and
search_queries_hard_public.tsv (colloquial questions, English, typos: what the medical vocabulary
adds work to), and /api/search/suggest/ for their first two characters. Prints p50 / p95 / max."""

import argparse
import statistics
import time
import urllib.parse
import urllib.request
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FILES = ("search_queries_public.tsv", "search_queries_hard_public.tsv")


def queries() -> list[str]:
    found = []
    for name in FILES:
        with open(DATA / name, encoding="utf-8") as f:
            next(f)
            found += [line.split("\t")[1] for line in f if line.strip()]
    return found


def timed(base: str, paths: list[str], rounds: int) -> dict:
    timings = []
    for _ in range(rounds):
        for path in paths:
            start = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {"n": len(timings), "p50": statistics.median(timings),
            "p95": timings[int(0.95 * (len(timings) - 1))], "max": timings[-1]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    qs = queries()
    search = ["/api/search/?" + urllib.parse.urlencode({"q": q}) for q in qs]
    suggest = ["/api/search/suggest/?" + urllib.parse.urlencode({"q": q[:2]}) for q in qs]
    timed(base, search[:5], 1)  # warm the per-process thesaurus and lexicon
    print(f"{'endpoint':<20}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, paths in (("/healthz", ["/healthz"] * len(qs)), ("/api/search/", search),
                        ("/api/search/suggest/", suggest)):
        r = timed(base, paths, args.rounds)
        print(f"{name:<20}{r['n']:>5}{r['p50']:>10.1f}{r['p95']:>10.1f}{r['max']:>10.1f}")


if __name__ == "__main__":
    main()
