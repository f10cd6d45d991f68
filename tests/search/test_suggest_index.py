"""Suggestions read from the lexicon's sorted keys and bigram index give exactly what testing every
entry gives (the rule, written out below as the oracle), in the same order."""

import random

from search.lexicon import Lexicon, _entry

LABELS = [
    "叶酸", "叶酸怎么补", "孕前优生健康检查", "孕期知识：关于叶酸，你需要知道的第1件事", "唐筛", "唐氏综合征产前筛查",
    "无创DNA", "无创DNA产前检测", "新生儿听力筛查", "新生儿遗传代谢病筛查", "地中海贫血", "地贫", "婚前医学检查",
    "婚检", "羊水穿刺前后需要注意什么", "hearing aid", "北京市朝阳区妇幼保健院", "成都市武侯区妇幼保健院",
    "四川省妇幼保健院", "先天性心脏病筛查", "髋关节发育不良", "宝宝髋关节发育不良的早期信号", "DNA",
]
TYPES = ["resource", "service", "term", "facility", "core_message", "page"]


def brute_force(lexicon: Lexicon, query: str, limit: int = 8):
    from search.analysis import normalize

    q = normalize(query).strip()
    if not q:
        return []
    compact = q.replace(" ", "")
    latin = compact.isascii()
    scored = []
    for entry in lexicon.entries:
        if entry.normalized.startswith(q):
            rank = 0
        elif latin and (entry.pinyin.startswith(compact) or entry.initials.startswith(compact)):
            rank = 1
        elif len(q) >= 2 and q in entry.normalized:
            rank = 2
        else:
            continue
        scored.append((rank, -entry.weight, len(entry.label), entry.label, entry))
    scored.sort(key=lambda item: item[:4])
    if lexicon.expand is not None and len(q) >= 2 and len(scored) < limit:
        for target, weight in lexicon.expand(q)[1:4]:
            if weight < 0.85 or target == q:
                continue
            for entry in lexicon.entries:
                if entry.type != "term" and target in entry.normalized:
                    scored.append((3, -entry.weight, len(entry.label), entry.label, entry))
    seen, result = set(), []
    for *_, entry in scored:
        if (entry.label, entry.url) not in seen:
            seen.add((entry.label, entry.url))
            result.append(entry)
        if len(result) >= limit:
            break
    return result


def expansions(q):
    known = {"地贫": [("地贫", 1.0), ("地中海贫血", 0.9)], "腿纹": [("腿纹", 1.0), ("髋关节发育不良", 0.9)]}
    return known.get(q, [(q, 1.0)])


def lexicon() -> Lexicon:
    rng = random.Random(3)
    entries = []
    for n in range(600):  # repeated labels, with other types, URLs and weights: ties and duplicates
        label = rng.choice(LABELS) + (str(n) if n % 3 else "")
        entries.append(_entry(label, rng.choice(TYPES), f"/x/{n % 7}/", weight=rng.choice([0.8, 1.0, 1.2, 1.5])))
    return Lexicon(entries=entries, expand=expansions)


def test_indexed_suggestions_equal_testing_every_entry():
    built = lexicon()
    queries = ["叶", "叶酸", "酸", "孕", "孕期", "筛查", "唐", "dna", "DNA", "无创", "ys", "yesuan", "tangs", "x",
               "hearing", "hear", "aid", "地贫", "腿纹", "妇幼", "保健院", "朝阳区", "1", "12", "事", " 叶 ", "zz", "",
               "关节发育", "知道的第1"]
    for query in queries:
        for limit in (1, 8, 50):
            assert built.suggest(query, limit) == brute_force(built, query, limit), (query, limit)


def test_the_index_follows_new_entries():
    built = lexicon()
    assert not [e for e in built.suggest("地中海贫血防控中心", 8) if e.label == "地中海贫血防控中心"]
    built.entries.append(_entry("地中海贫血防控中心", "facility", "/f/1/"))
    assert built.suggest("地中海贫血防控", 8)[0].label == "地中海贫血防控中心"
