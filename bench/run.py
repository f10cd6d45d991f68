#!/usr/bin/env python
"""The benchmark `make bench` runs: imports, then the production server under bounded loopback load,
on SQLite and on PostgreSQL, printed as one table.

    .venv/bin/python bench/run.py [--facilities 1000] [--articles 40] [--databases sqlite postgres]
                                  [--postgres-url postgres://postgres@127.0.0.1:5432/portal_bench]
                                  [--clients 4] [--seconds 5]
    .venv/bin/python bench/run.py --serve-only DATABASE_URL [--label "SQLite 100 000"] [--cache none|redis|both]

For each database: a fresh database (bench/imports.py's `fresh_database`: SQLite in a temp dir, the
PostgreSQL database `<name>_bench` dropped and created), `migrate` and `load_demo` (not timed), then
the generated facility list and articles (bench/generate.py) through `import_facilities` and
`import_resources`, each timed in a child process (rows/s, CPU seconds, peak RSS from wait4). Then
gunicorn with gunicorn.conf.py under portal.settings.production (as `make serve`) on a free
loopback port, and each URL below for `--seconds` with `--clients` concurrent clients (bench/load.py's
`hammer`): requests/s, p50, p95, and the p50 as a multiple of /healthz's p50 in the same run. With
`--cache both` (the default) every URL is measured twice: without a shared cache (each request pays
the whole pipeline: what a query nobody asked before costs) and with a private Redis (the production
profile docs/deployment.md recommends: the page cache and the search answers).
`--serve-only` skips the set-up and measures an existing database (e.g. one a 100 000-row import
built). The machine's load average is printed: on a shared machine, compare ratios, not
milliseconds."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from imports import fresh_database, timed  # noqa: E402
from load import fetch, free_port, hammer, private_redis, serving_env  # noqa: E402

PYTHON = sys.executable
Q = urllib.parse.quote
URLS = [
    ("/healthz", "/healthz"),
    ("home page", "/"),
    ("/library/ with filters", "/library/?stage=pregnancy&format=article"),
    ("resource page", "RESOURCE"),
    ("/facilities/ text", f"/facilities/?q={Q('唐筛')}"),
    ("/facilities/ filters + distance",
     "/facilities/?service=prenatal_screening&near=30.64,104.04&sort=distance"),
    ("/api/facilities/ broad text 唐筛", f"/api/facilities/?q={Q('唐筛')}"),
    ("/api/facilities/ broad text 婚检", f"/api/facilities/?q={Q('婚检')}"),
    ("/api/facilities/ district + service", "/api/facilities/?region=510107&service=prenatal_screening"),
    ("/api/facilities/ distance",
     "/api/facilities/?near=39.92,116.44&sort=distance&service=prenatal_screening"),
    ("/api/search/ short word", f"/api/search/?q={Q('叶酸')}"),
    ("/api/search/ long question", f"/api/search/?q={Q('怀孕多少周做唐氏筛查比较合适，需要空腹吗')}"),
    ("/api/search/suggest/", f"/api/search/suggest/?q={Q('叶')}"),
]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def set_up(kind: str, workdir: Path, args) -> tuple[str, list[tuple]]:
    """A fresh database with the demo, the generated facilities and articles; the import rows."""
    url = fresh_database(kind, workdir, args.postgres_url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.pop("REDIS_URL", None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    rows = []
    for what, count, command in (
        ("facilities", args.facilities, ["import_facilities", "{file}", "--source", "bench"]),
        ("articles", args.articles, ["import_resources", "{file}"]),
    ):
        if not count:
            continue
        data = workdir / f"{what}-{count}.{'csv' if what == 'facilities' else 'jsonl'}"
        if not data.exists():
            subprocess.run([PYTHON, "bench/generate.py", what, str(count), str(data)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        load = os.getloadavg()[0]
        wall, cpu, rss, code = timed([PYTHON, "manage.py", *(str(data) if c == "{file}" else c for c in command)],
                                     env)
        rows.append(("", f"import {count} {what}", f"{count / wall:.1f}", f"{count / cpu:.1f}", f"{rss:.0f}",
                     "", "", "", "", f"{wall:.1f} s wall, {cpu:.1f} s CPU, load {load:.1f}"
                     + ("" if code == 0 else f", FAILED ({code})")))
    return url, rows


def serve_and_measure(database_url: str, args, redis: bool = False) -> list[tuple]:
    """Each URL under load, without a shared cache (every request pays the pipeline) or with a private
    Redis (the production profile as docs/deployment.md recommends: page cache and search answers)."""
    port = free_port()
    env = serving_env(database_url, port)
    redis_process = None
    if redis:
        redis_process, env["REDIS_URL"] = private_redis()
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    log_path = Path(tempfile.mkdtemp(prefix="bench-run-")) / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen([str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(300):
            if fetch(f"{base}/healthz")[0] == 200:
                break
            time.sleep(0.3)
        else:
            raise SystemExit(f"the server did not start: see {log_path}")
        urls = []
        for label, url in URLS:
            if url == "RESOURCE":
                with urllib.request.urlopen(f"{base}/library/", timeout=60) as response:
                    html = response.read().decode()
                found = [m for m in re.findall(r'href="(/library/[^"/?#]+/)"', html) if m != "/library/feed/"]
                if not found:
                    continue
                url = found[0]
            urls.append((label, url))
        # Warm-up: first renders, caches and each worker's vocabulary and suggestion lexicon (≈ 4 s of
        # CPU per worker at 100 000 facilities, docs/performance.md): the table is the steady state.
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1
        for _label, url in urls:
            for _ in range(2 * workers + 1):
                fetch(base + url)
        for label, url in urls:
            latencies, errors = hammer(base + url, args.clients, args.seconds)
            results[label] = (latencies, errors)
    finally:
        server.terminate()
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
        if redis_process is not None:
            redis_process.kill()
        log.close()
    rows = []
    base_p50 = statistics.median(results["/healthz"][0])
    for label, (latencies, errors) in results.items():
        ordered = sorted(latencies)
        p50 = statistics.median(ordered)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        rows.append(("Redis" if redis else "none", label, "", "", "", f"{len(latencies) / args.seconds:.1f}",
                     f"{p50 * 1000:.1f}",
                     f"{p95 * 1000:.1f}", f"{p50 / base_p50:.1f}",
                     f"{len(errors)} errors {sorted(set(errors))}" if errors else ""))
    return rows


def caches(args) -> list[bool]:
    return {"none": [False], "redis": [True], "both": [False, True]}[args.cache]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="per URL (bounded to 60)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--serve-only", metavar="DATABASE_URL", help="measure an existing database, no set-up")
    parser.add_argument("--label", default="", help="the database column with --serve-only")
    parser.add_argument("--cache", choices=["none", "redis", "both"], default="both",
                        help="serve without a shared cache, with a private Redis, or both in turn")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60.0)
    args.clients = max(1, min(args.clients, 16))

    table = []
    load_before = os.getloadavg()
    if args.serve_only:
        label = args.label or ("PostgreSQL" if args.serve_only.startswith("postgres") else "SQLite")
        for redis in caches(args):
            table += [(label, *row) for row in serve_and_measure(args.serve_only, args, redis)]
    else:
        with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
            for kind in args.databases:
                label = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[kind]
                print(f"{label}: setting up ({args.facilities} facilities, {args.articles} articles)…",
                      file=sys.stderr, flush=True)
                url, rows = set_up(kind, Path(tmp), args)
                table += [(label, *row) for row in rows]
                print(f"{label}: serving and measuring…", file=sys.stderr, flush=True)
                for redis in caches(args):
                    table += [(label, *row) for row in serve_and_measure(url, args, redis)]

    load_after = os.getloadavg()
    print(f"\n{args.clients} clients, {args.seconds:.0f} s per URL, gunicorn workers: "
          f"{args.workers or 'gunicorn.conf.py default (2 × CPUs + 1)'}; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after, {os.cpu_count()} CPUs\n")
    print("| database | shared cache | measure | rows/s | rows per CPU s | peak RSS MB | req/s | p50 ms | p95 ms "
          "| × /healthz p50 | note |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in table:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
