#!/usr/bin/env python3
"""Consistency check for the stemma demo corpus (stdlib only).

Checks that
  * every article named in truth.json / meta.jsonl / alignments.json has a .txt file;
  * every gold sentence in alignments.json is an exact substring of its file,
    occurs there exactly once and sits on sentence boundaries (start of a line or
    after a space; end of a line or before a space);
  * no sentence is used twice on the same side of a pair, and every group is
    1:1, 1:2 (split) or 2:1 (merge);
  * truth.json's related_pairs and independent_pairs together cover every
    unordered pair of articles exactly once, derived_pairs agree with
    derived_from, and every derived pair and gold pair is a related pair;
  * meta.jsonl has one RFC 3339 time per article, each derived article is
    published after its source, and each title is a line of its file.

Usage: python3 examples/check_gold.py   (from anywhere)
Exit status 0 when everything holds, 1 otherwise.
"""
import itertools
import json
import os
import re
import sys
from collections import Counter
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []


def err(msg):
    errors.append(msg)
    print("ERROR:", msg)


def load_text(doc_id, cache={}):
    if doc_id not in cache:
        path = os.path.join(HERE, doc_id + ".txt")
        if not os.path.isfile(path):
            err(f"missing article file {doc_id}.txt")
            cache[doc_id] = None
        else:
            with open(path, encoding="utf-8") as f:
                cache[doc_id] = f.read()
    return cache[doc_id]


def check_sentence(doc_id, sent, where):
    text = load_text(doc_id)
    if text is None:
        return
    n = text.count(sent)
    if n == 0:
        err(f"{where}: not found in {doc_id}.txt: {sent[:70]!r}")
        return
    if n > 1:
        err(f"{where}: occurs {n} times in {doc_id}.txt: {sent[:70]!r}")
    i = text.find(sent)
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + len(sent)] if i + len(sent) < len(text) else "\n"
    if before not in " \n" or after not in " \n":
        err(f"{where}: not on a sentence boundary in {doc_id}.txt: {sent[:70]!r}")
    if sent != sent.strip() or "\n" in sent:
        err(f"{where}: sentence has stray whitespace or a line break: {sent[:70]!r}")


def main():
    with open(os.path.join(HERE, "truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    with open(os.path.join(HERE, "alignments.json"), encoding="utf-8") as f:
        gold = json.load(f)
    with open(os.path.join(HERE, "meta.jsonl"), encoding="utf-8") as f:
        meta = [json.loads(line) for line in f if line.strip()]

    # ---- articles -------------------------------------------------------
    ids = sorted(truth["articles"])
    on_disk = sorted(n[:-4] for n in os.listdir(HERE) if n.endswith(".txt"))
    if ids != on_disk:
        err(f"truth.json articles {ids} != .txt files {on_disk}")
    for i in ids:
        load_text(i)

    # ---- truth.json pairs -----------------------------------------------
    all_pairs = {frozenset(p) for p in itertools.combinations(ids, 2)}
    seen = Counter()
    for key in ("related_pairs", "independent_pairs"):
        for p in truth[key]:
            if len(p) != 2 or p[0] == p[1] or not set(p) <= set(ids):
                err(f"{key}: bad pair {p}")
                continue
            seen[frozenset(p)] += 1
    for p in sorted(all_pairs, key=sorted):
        if seen[p] != 1:
            err(f"pair {sorted(p)} covered {seen[p]} times (must be exactly once)")
    for p in seen:
        if p not in all_pairs:
            err(f"pair {sorted(p)} is not a pair of corpus articles")
    related = {frozenset(p) for p in truth["related_pairs"]}
    edges = {tuple(p) for p in truth["derived_pairs"]}
    from_derived_from = {(s, d) for d, a in truth["articles"].items() for s in a["derived_from"]}
    if edges != from_derived_from:
        err(f"derived_pairs {sorted(edges)} disagree with derived_from {sorted(from_derived_from)}")
    for s, d in edges:
        if frozenset((s, d)) not in related:
            err(f"derived pair {[s, d]} is not listed as related")
    if truth.get("missing_sources"):
        err("missing_sources should be empty for this corpus")
    print(f"truth.json: {len(ids)} articles, {len(all_pairs)} unordered pairs "
          f"({len(truth['related_pairs'])} related, {len(truth['independent_pairs'])} independent), "
          f"{len(edges)} derivation edges")

    # ---- meta.jsonl -----------------------------------------------------
    times = {}
    for m in meta:
        for k in ("id", "title", "publisher", "url", "published"):
            if k not in m:
                err(f"meta.jsonl: {m.get('id')} lacks {k}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", m.get("published", "")):
            err(f"meta.jsonl: {m.get('id')} published is not RFC 3339: {m.get('published')!r}")
            continue
        times[m["id"]] = datetime.fromisoformat(m["published"].replace("Z", "+00:00"))
        text = load_text(m["id"])
        if text is not None and m["title"] not in text.split("\n"):
            err(f"meta.jsonl: title of {m['id']} is not a line of its file")
    if sorted(times) != ids or len(meta) != len(ids):
        err(f"meta.jsonl ids {sorted(m.get('id') for m in meta)} != articles {ids}")
    for s, d in edges:
        if s in times and d in times and not times[s] < times[d]:
            err(f"{d} is not published after its source {s}")

    # ---- alignments.json ------------------------------------------------
    if gold.get("format") != "stemma gold alignments v1":
        err(f"alignments.json: unexpected format {gold.get('format')!r}")
    for pair in gold["pairs"]:
        a, b = pair["a"], pair["b"]
        if frozenset((a, b)) not in related:
            err(f"gold pair {a}~{b} is not a related pair")
        used = {"a": Counter(), "b": Counter()}
        shapes = Counter()
        for gi, g in enumerate(pair["groups"]):
            for side, doc in (("a", a), ("b", b)):
                for s in g[side]:
                    check_sentence(doc, s, f"{a}~{b} group {gi} side {side}")
                    used[side][s] += 1
            shape = f"{len(g['a'])}:{len(g['b'])}"
            if shape not in ("1:1", "1:2", "2:1"):
                err(f"{a}~{b} group {gi}: unexpected shape {shape}")
            shapes[shape] += 1
        for side in ("a", "b"):
            for s, n in used[side].items():
                if n > 1:
                    err(f"{a}~{b}: sentence used {n} times on side {side}: {s[:60]!r}")
        print(f"alignments {a}~{b}: {len(pair['groups'])} groups "
              f"(1:1 {shapes['1:1']}, splits 1:2 {shapes['1:2']}, merges 2:1 {shapes['2:1']})")

    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        return 1
    print("OK: gold sentences and truth pairs are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
