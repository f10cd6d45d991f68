#!/usr/bin/env python
"""Generate bench data that goes through the real importers.

    .venv/bin/python bench/generate.py facilities N OUT.csv   # N facilities, import_facilities format
    .venv/bin/python bench/generate.py articles M OUT.jsonl   # M articles, import_resources format

Facilities: realistic Chinese names, districts across provinces from the cpca division table (the
same table the Region rows come from), services and aliases from the taxonomy, licence numbers,
coordinates near the district centre (20 % left empty → centroid). Deterministic for a seed."""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVICES = ["婚前医学检查", "婚检", "孕前优生健康检查", "孕检", "产前筛查", "唐筛",
            "孕妇外周血胎儿游离DNA产前筛查与诊断", "无创DNA", "产前超声筛查",
            "产前诊断（遗传咨询、医学影像、细胞遗传）", "遗传咨询", "新生儿遗传代谢病筛查",
            "新生儿听力筛查", "听力障碍诊治", "新生儿先天性心脏病筛查", "先天性心脏病诊治", "髋关节发育不良筛查",
            "地中海贫血防控", "出生缺陷干预救助"]
FREE = ["婚前医学检查", "孕前优生健康检查", "新生儿遗传代谢病筛查", "新生儿听力筛查", "地中海贫血防控"]
KINDS = ["妇幼保健院", "妇幼保健计划生育服务中心", "人民医院", "中医医院", "社区卫生服务中心", "镇卫生院", "妇产医院",
         "儿童医院", "第一人民医院", "中心医院"]
WORDS = ["福安", "康宁", "和睦", "仁和", "怡和", "博爱", "惠民", "长宁", "瑞安", "益康", "同济", "协和", "光华", "新桥",
         "华西", "安贞", "明德", "济民", "永康", "天佑"]
STREETS = ["人民路", "建国路", "文化街", "育才路", "健康路", "滨河路", "和平街", "学院路", "解放路", "中山路", "望江路"]
TOPICS = ["叶酸", "地中海贫血", "唐氏综合征", "新生儿筛查", "听力筛查", "先天性心脏病", "婚前检查", "孕前检查",
          "产前诊断", "无创DNA", "神经管缺陷", "苯丙酮尿症", "甲状腺功能减低", "髋关节发育不良"]
STAGES = ["婚前", "孕前", "孕期", "新生儿", "儿童"]


def districts() -> list[tuple[object, str]]:
    """(division row, full name) for every district/county with a centre, in every province."""
    from content.facilities.regions import read_divisions

    rows = read_divisions()
    by_code = {r.code: r for r in rows}
    out = []
    for row in rows:
        if row.level != 3 or row.latitude is None:
            continue
        chain, node = [], row
        while node:
            if not chain or chain[-1] != node.name:
                chain.append(node.name)
            node = by_code.get(node.parent) if node.parent else None
        out.append((row, "".join(reversed(chain))))
    return out


def facility_rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    places = districts()
    for i in range(count):
        region, full = rng.choice(places)
        short = region.name.rstrip("区县市旗") or region.name
        name = f"{short}{rng.choice(WORDS)}{rng.choice(KINDS)}" if i % 3 else f"{short}{rng.choice(KINDS)}"
        services = rng.sample(SERVICES, rng.randint(1, 6))
        free = [s for s in FREE if s in services and rng.random() < 0.4]
        located = rng.random() < 0.8
        year = rng.randint(2023, 2026)
        yield [
            f"{name}（{i}）", region.code if i % 2 else "", f"{full}{rng.choice(STREETS)}{rng.randint(1, 399)}号",
            f"0{rng.randint(10, 999)}-{rng.randint(60000000, 89999999)}", "、".join(services),
            f"{full[:2]}母婴许字〔{year}〕第{i:06d}号", f"{full[:3]}卫生健康委员会",
            f"{rng.randint(2026, 2031)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "、".join(free),
            f"{region.longitude + rng.uniform(-0.05, 0.05):.6f}" if located else "",
            f"{region.latitude + rng.uniform(-0.05, 0.05):.6f}" if located else "",
        ]


def write_facilities(path: Path, count: int, seed: int = 7) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["机构名称", "所在地区", "地址", "联系电话", "许可项目", "许可证号", "发证机关", "有效期至",
                         "免费服务", "经度", "纬度"])
        writer.writerows(facility_rows(count, seed))


def write_articles(path: Path, count: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            topic, stage = rng.choice(TOPICS), rng.choice(STAGES)
            title = f"{stage}知识：关于{topic}，你需要知道的第{i + 1}件事"
            paragraphs = [f"{topic}与出生缺陷防治密切相关。{stage}阶段的家庭可以向妇幼保健机构咨询，"
                          f"按医生建议完成{rng.choice(TOPICS)}相关检查。" for _ in range(rng.randint(2, 5))]
            handle.write(json.dumps({
                "title": title, "summary": paragraphs[0], "body_markdown": "\n\n".join(paragraphs),
                "format": "article", "life_stages": [stage], "topics": [], "tags": [topic],
                "published_at": f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": "基准测试生成数据", "reviewed_at": "2026-09-01",
            }, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["facilities", "articles"])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    (write_facilities if args.kind == "facilities" else write_articles)(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
