"""Measure jieba against rjieba (jieba-rs) on the portal's own kind of text: speed and word recall.

    python bench/segmenter.py [resources.jsonl]

Recall: for every domain term (service names and aliases, taxonomy topics) that occurs in a
document, is it one of the tokens search-mode segmentation emits for that document, once the
domain vocabulary has been added to the segmenter? A term that is not a token is only reachable
through bigrams. Speed: characters per second of search-mode segmentation over the corpus.
rjieba is optional; install it into any path on PYTHONPATH to compare.
"""

import json
import sys
import time
from pathlib import Path

from search.service_aliases import SERVICES


def domain_terms():
    from content.base.taxonomy import TOPICS

    terms = {name for _, name in TOPICS}
    for service in SERVICES:
        terms.add(service.name)
        terms.update(service.aliases)
    return sorted(t for t in terms if len(t) >= 2 and not t.isascii())


def load_corpus(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                item = json.loads(line)
                docs.append(" ".join([item["title"], item.get("summary", ""), item.get("body_markdown", "")]))
    return docs


def measure(name, cut_for_search, add_word, docs, terms):
    for term in terms:
        add_word(term)
    started = time.perf_counter()
    segmented = [set(cut_for_search(doc)) for doc in docs]
    elapsed = time.perf_counter() - started
    chars = sum(len(doc) for doc in docs)
    found = missed = 0
    misses = []
    for doc, tokens in zip(docs, segmented, strict=True):
        for term in terms:
            if term in doc:
                if term in tokens:
                    found += 1
                else:
                    missed += 1
                    misses.append(term)
    recall = found / ((found + missed) or 1)
    print(f"{name:8} {chars / elapsed / 1000:8.0f} k chars/s   domain-term recall {recall:.3f} "
          f"({found}/{found + missed})   misses: {sorted(set(misses))[:12]}")


def main():
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "resources_public.jsonl"
    path = sys.argv[1] if len(sys.argv) > 1 else str(default)
    docs = load_corpus(path) * 5
    terms = domain_terms()

    import jieba

    jieba.initialize()
    measure("jieba", lambda t: jieba.cut_for_search(t, HMM=True), lambda w: jieba.add_word(w, freq=200000),
            docs, terms)
    try:
        import rjieba
    except ImportError:
        print("rjieba   not installed: skipped")
        return
    segmenter = rjieba.Jieba()
    measure("rjieba", lambda t: segmenter.cut_for_search(t, True), lambda w: segmenter.add_word(w, 200000, None),
            docs, terms)


if __name__ == "__main__":
    main()
