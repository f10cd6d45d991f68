#!/usr/bin/env python
"""Facility API latency over a generated list, on loopback.

    .venv/bin/python bench/facilities_api.py [--facilities 3000] [--rounds 5] [--max-seconds 240]

Builds a throw-away database (SQLite in a temp dir, or DATABASE_URL when given — it must be an empty
database you can drop), imports a generated facility list with `import_facilities` (timed), starts
`runserver` on a free port and times typical /api/facilities/ queries (text, alias + district,
filters, distance). Prints p50 / p95 / max per query kind. Bounded in facility count and wall time."""

import argparse
import csv
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["婚前医学检查", "孕前优生健康检查", "产前筛查", "孕妇外周血胎儿游离DNA产前筛查与诊断", "产前超声筛查",
            "产前诊断（遗传咨询、医学影像、细胞遗传）", "遗传咨询", "新生儿遗传代谢病筛查", "新生儿听力筛查",
            "听力障碍诊治", "新生儿先天性心脏病筛查", "先天性心脏病诊治", "髋关节发育不良筛查", "地中海贫血防控",
            "出生缺陷干预救助"]
KINDS = ["妇幼保健院", "人民医院", "中医医院", "社区卫生服务中心", "镇卫生院", "妇产医院", "儿童医院"]
WORDS = ["福安", "康宁", "和睦", "仁和", "怡和", "博爱", "惠民", "长宁", "瑞安", "益康", "同济", "协和", "光华", "新桥"]
STREETS = ["人民路", "建国路", "文化街", "育才路", "健康路", "滨河路", "和平街", "学院路", "朝阳路", "望江路"]
QUERIES = {
    "alias": [{"q": "唐筛"}, {"q": "无创DNA"}, {"q": "足跟血"}, {"q": "地贫"}],
    "district+alias": [{"q": "武侯 大排畸"}, {"q": "朝阳 唐筛"}, {"q": "海淀 听筛"}, {"q": "青羊 婚检"}],
    "name": [{"q": "福安医院"}, {"q": "朝阳妇幼"}, {"q": "和睦医院"}],
    "filters": [{"region": "510100", "service": "prenatal_screening", "free": "1"},
                {"region": "110000", "service": ["prenatal_screening", "nipt"]}],
    "distance": [{"near": "39.92,116.44", "sort": "distance", "service": "prenatal_screening"},
                 {"near": "30.64,104.04", "sort": "distance", "radius_km": "20"}],
    "no filter": [{}],
}


def districts():
    from content.facilities.regions import read_divisions

    rows = read_divisions()
    names = {r.code: r for r in rows}
    wanted = [r for r in rows if r.level == 3 and r.code[:2] in ("11", "51", "44", "32", "22") and r.latitude]

    def full_name(row):
        chain, node = [], row
        while node:
            chain.append(node.name)
            node = names.get(node.parent) if node.parent else None
        out = []
        for name in reversed(chain):
            if not out or out[-1] != name:
                out.append(name)
        return "".join(out)

    return [(r, full_name(r)) for r in wanted]


def generate(path: Path, count: int, seed: int = 7):
    random.seed(seed)
    places = districts()
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["机构名称", "所在地区", "地址", "联系电话", "许可项目", "许可证号", "有效期至", "免费服务",
                         "经度", "纬度"])
        for i in range(count):
            region, full = random.choice(places)
            short = region.name.rstrip("区县市")
            name = f"{short}{random.choice(WORDS)}{random.choice(KINDS)}" if i % 3 else f"{short}{random.choice(KINDS)}"
            services = random.sample(SERVICES, random.randint(1, 6))
            free = [s for s in services if "（" not in s and random.random() < 0.3]
            has_location = random.random() < 0.8
            writer.writerow([
                f"{name}{i}", region.code, f"{full}{random.choice(STREETS)}{random.randint(1, 300)}号",
                f"0{random.randint(10, 999)}-{random.randint(60000000, 89999999)}", "、".join(services),
                f"测试许字〔2025〕{i:05d}号", f"{random.randint(2026, 2030)}-{random.randint(1, 12):02d}-15",
                "、".join(free),
                f"{region.longitude + random.uniform(-0.05, 0.05):.6f}" if has_location else "",
                f"{region.latitude + random.uniform(-0.05, 0.05):.6f}" if has_location else "",
            ])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--facilities", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=240)
    args = parser.parse_args()
    args.facilities = max(10, min(args.facilities, 20000))
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bench-facilities-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'db.sqlite3'}")
    env.pop("ELASTICSEARCH_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)

    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()
    data = workdir / "facilities.csv"
    generate(data, args.facilities)
    t0 = time.monotonic()
    subprocess.run(manage + ["import_facilities", str(data), "--source", "bench"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    import_seconds = time.monotonic() - t0

    port = free_port()
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/services/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        results = {}
        for kind, queries in QUERIES.items():
            timings = []
            for round_number in range(args.rounds + 1):
                for params in queries:
                    if time.monotonic() - started > args.max_seconds:
                        break
                    url = f"{base}/api/facilities/?{urllib.parse.urlencode(params, doseq=True)}"
                    t = time.perf_counter()
                    with urllib.request.urlopen(url, timeout=60) as response:
                        body = json.loads(response.read())
                    if round_number:  # the first round warms caches
                        timings.append((time.perf_counter() - t) * 1000)
                    assert "results" in body
            if timings:
                timings.sort()
                results[kind] = {"n": len(timings), "p50_ms": round(statistics.median(timings), 1),
                                 "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
                                 "max_ms": round(timings[-1], 1)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"facilities: {args.facilities}, import: {import_seconds:.1f} s "
          f"({args.facilities / import_seconds:.0f}/s), database: {env['DATABASE_URL'].split(':')[0]}")
    print(f"{'query':<16}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, r in results.items():
        print(f"{kind:<16}{r['n']:>5}{r['p50_ms']:>10}{r['p95_ms']:>10}{r['max_ms']:>10}")
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
