#!/usr/bin/env python
"""Load and fault run of the production profile on loopback: gunicorn (gunicorn.conf.py) + WhiteNoise.

    .venv/bin/python bench/load.py [--clients 8] [--duration 60] [--redis] [--kill-redis-at 30]
                                   [--es-closed] [--database-url URL] [--urls /healthz,/api/search/?q=叶酸]

Serves the database `make setup` built (db.sqlite3, or --database-url / DATABASE_URL) under
portal.settings.production on a free loopback port. With --redis a private redis-server is started
on a free port (never the machine's own), and --kill-redis-at N shuts it down N seconds into the run.
--es-closed points ELASTICSEARCH_URL at a closed port. 8 clients, bounded by --duration, each URL
in turn for duration/len(URLs) seconds: prints requests/s, p50/p95 per URL, its ratio to /healthz,
and every error (any status >= 400 or failed connection). Exits non-zero on any error."""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
URLS = [
    "/healthz",
    "/",
    "/library/",
    "RESOURCE",
    "/search/?q=%E5%8F%B6%E9%85%B8",
    "/api/search/?q=%E5%8F%B6%E9%85%B8",
    "/facilities/",
    "/api/facilities/?q=%E5%94%90%E7%AD%9B",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serving_env(database_url: str, port: int) -> dict:
    """The production profile (gunicorn.conf.py) on loopback over `database_url`, without Redis or
    Elasticsearch unless the caller adds them, plain HTTP, a throwaway secret key."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "ELASTICSEARCH_URL")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-only-" + "q7W!" * 14,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SERVE_MEDIA": "1",
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "STATIC_ROOT": str(ROOT / "var" / "static"),
        "LOG_FORMAT": "json",
    }


def private_redis() -> tuple[subprocess.Popen, str]:
    """A redis-server of our own on a free loopback port (never the machine's), keeping nothing on
    disk: (the process, its URL). The caller kills it."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def hammer(url: str, clients: int, seconds: float) -> tuple[list[float], list[int]]:
    latencies, errors, lock = [], [], threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            status, elapsed = fetch(url)
            with lock:
                latencies.append(elapsed)
                if status == 0 or status >= 400:
                    errors.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--redis", action="store_true", help="start a private Redis for cache and sessions")
    parser.add_argument("--kill-redis-at", type=float, default=None, help="seconds into the run")
    parser.add_argument("--es-closed", action="store_true", help="ELASTICSEARCH_URL at a closed port")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    )
    parser.add_argument("--urls", default="", help="comma-separated paths instead of the default set "
                                                   "(/healthz is always first: the ratios are to it)")
    args = parser.parse_args()
    chosen = URLS
    if args.urls:
        chosen = ["/healthz"] + [urllib.parse.quote(u.strip(), safe="/?=&%")
                                 for u in args.urls.split(",") if u.strip() and u.strip() != "/healthz"]
    args.duration = min(args.duration, 300)  # bounded
    work = Path(tempfile.mkdtemp(prefix="portal-load-"))
    port = free_port()
    env = serving_env(args.database_url, port)
    redis = None
    if args.redis:
        redis, env["REDIS_URL"] = private_redis()
    if args.es_closed:
        env["ELASTICSEARCH_URL"] = f"http://127.0.0.1:{free_port()}"
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if fetch(f"{base}/healthz")[0] == 200:
                break
            time.sleep(0.3)
        else:
            raise SystemExit("the server did not start: see " + str(work / "server.log"))
        with urllib.request.urlopen(f"{base}/library/", timeout=30) as response:
            html = response.read().decode()
        resource = next(m for m in re.findall(r'href="(/library/[^"/?#]+/)"', html) if m != "/library/feed/")
        urls = [resource if u == "RESOURCE" else u for u in chosen]
        for url in urls:  # warm up: the first render fills the page cache where there is one
            fetch(base + url)
        if args.kill_redis_at is not None and redis is not None:
            threading.Timer(args.kill_redis_at, redis.kill).start()
        per_url = args.duration / len(urls)
        results = {}
        started = time.monotonic()
        for url in urls:
            results[url] = hammer(base + url, args.clients, per_url)
        wall = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
        if redis is not None and redis.poll() is None:
            redis.kill()
        log.close()

    mode = (
        ("PostgreSQL" if args.database_url.startswith("postgres") else "SQLite")
        + (" + Redis" if args.redis else "")
        + (f", Redis killed at {args.kill_redis_at:.0f}s" if args.kill_redis_at is not None else "")
        + (", ES at a closed port" if args.es_closed else "")
    )
    print(
        f"{mode}: {args.clients} clients, {wall:.0f} s, "
        f"gunicorn workers: {os.environ.get('WEB_CONCURRENCY', 'default (2 x CPUs + 1)')}"
    )
    healthz_rps = len(results["/healthz"][0]) / per_url
    total_errors = 0
    print(f"{'url':48} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'÷healthz':>8} errors")
    for url, (latencies, errors) in results.items():
        rps = len(latencies) / per_url
        ordered = sorted(latencies)
        p50 = statistics.median(ordered) * 1000
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
        total_errors += len(errors)
        shown = urllib.request.unquote(url)
        print(
            f"{shown:48} {rps:7.1f} {p50:7.1f} {p95:7.1f} {rps / healthz_rps:7.0%}  {len(errors)}"
            + (f" {sorted(set(errors))}" if errors else "")
        )
    logged = (work / "server.log").read_text()
    print(
        f"requests: {sum(len(r[0]) for r in results.values())}, errors: {total_errors}, "
        f"server log lines with 'Traceback': {logged.count('Traceback')}, "
        f"cache errors logged: {logged.count('portal.cache')}; log: {work / 'server.log'}"
    )
    sys.exit(1 if total_errors else 0)


if __name__ == "__main__":
    main()
