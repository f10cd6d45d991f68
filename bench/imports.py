#!/usr/bin/env python
"""Facility import throughput and memory, through the real command.

    .venv/bin/python bench/imports.py [--rows 10000 100000] [--databases sqlite postgres] [--analysis-workers 0|1]
                                      [--postgres-url postgres://postgres@127.0.0.1:5432/portal_imports]

For each database and size: a fresh database (SQLite in a temp dir; on PostgreSQL the database
`<name>_bench`, dropped and created again), `migrate` (not timed), a generated list
(bench/generate.py), then `manage.py import_facilities FILE --source bench` timed in a child
process: wall seconds, rows/s, CPU seconds of that process and its peak RSS (from wait4). With
`--reimport` the same file is imported a second time (nothing changes: the compare path alone).
Prints one table. The machine's load average is printed too: on a shared 2-core machine the wall
time of one run depends on what else runs, the CPU time much less."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def fresh_database(kind: str, workdir: Path, postgres_url: str) -> str:
    if kind == "sqlite":
        path = workdir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(postgres_url)
    name = f"{parts.path.lstrip('/') or 'portal'}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def timed(command: list[str], env: dict) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, exit code) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/portal_imports"))
    parser.add_argument("--reimport", action="store_true", help="also time a second, unchanged import")
    parser.add_argument("--analysis-workers", type=int, choices=[0, 1], default=None,
                        help="passed to import_facilities (default: its own choice, 1 when a second CPU is free)")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        workdir = Path(tmp)
        for rows in args.rows:
            data = workdir / f"facilities-{rows}.csv"
            subprocess.run([PYTHON, "bench/generate.py", "facilities", str(rows), str(data)],
                           cwd=ROOT, check=True)
            for kind in args.databases:
                env = {**os.environ, "DATABASE_URL": fresh_database(kind, workdir, args.postgres_url),
                       "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
                subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
                               cwd=ROOT, env=env, check=True)
                command = [PYTHON, "manage.py", "import_facilities", str(data), "--source", "bench"]
                if args.analysis_workers is not None:
                    command += ["--analysis-workers", str(args.analysis_workers)]
                runs = [("import", command)] + ([("re-import", command)] if args.reimport else [])
                for label, cmd in runs:
                    load = os.getloadavg()[0]
                    wall, cpu, rss, code = timed(cmd, env)
                    results.append((kind, rows, label, wall, rows / wall, cpu, rss, load, code))
                    print(f"{kind:8} {rows:>7} {label:9} {wall:7.1f} s {rows / wall:7.0f} rows/s "
                          f"cpu {cpu:6.1f} s  peak {rss:5.0f} MB  load {load:4.1f}"
                          + ("" if code == 0 else f"  FAILED ({code})"), flush=True)

    print("\n| database | rows | run | wall s | rows/s | CPU s | rows per CPU s | peak RSS MB | load avg |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for kind, rows, label, wall, rate, cpu, rss, load, code in results:
        print(f"| {kind} | {rows} | {label}{'' if code == 0 else ' (failed)'} | {wall:.1f} | {rate:.0f} | "
              f"{cpu:.1f} | {rows / cpu:.0f} | {rss:.0f} | {load:.1f} |")


if __name__ == "__main__":
    main()
