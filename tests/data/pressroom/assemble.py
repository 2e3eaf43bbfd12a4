#!/usr/bin/env python3
"""Builds the pressroom corpus's truth.json, corpus/meta.jsonl and alignments.json (stdlib only).

The writers left their metadata and gold alignments in parts/*.json; how each text was made is
fixed by the corpus design (README.md), so the truth follows from the file names:

  SLUG-wire     the original agency story
  SLUG-copy     syndicated copy of the wire        SLUG-second  copy of SLUG-copy (second generation)
  SLUG-spun     spun rewrite of the wire           SLUG-partial own reporting + a reused wire block
  SLUG-brief    3-5 sentence rewrite of the wire's lede
  SLUG-digest   rewrite of SLUG-agency2            SLUG-roundup copy of part of SLUG-agency2
  SLUG-indep1..3  independent reports, each written from the fact sheet alone
  withheld/SLUG-agency2  a second agency's story, withheld: the digest's and roundup's missing source

Publication times are the event day plus a fixed offset per role (one independent report comes
before the wire). Usage: python3 tests/data/pressroom/assemble.py
"""
import itertools
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

EVENTS = {
    "resinworks": "2025-10-14",
    "busstrike": "2026-03-03",
    "pensionfraud": "2026-03-27",
    "sunrisesofa": "2026-01-12",
    "kellowmere": "2026-02-05",
    "millrace": "2026-04-18",
}
# Minutes after 08:00Z on the event day.
OFFSETS = {
    "indep1": -25,
    "wire": 0,
    "agency2": 15,
    "copy": 120,
    "brief": 180,
    "indep2": 200,
    "second": 330,
    "digest": 360,
    "roundup": 480,
    "spun": 560,
    "indep3": 600,
    "partial": 1500,
}
KINDS = {
    "wire": ("original", []),
    "copy": ("syndicated", ["wire"]),
    "second": ("syndicated", ["copy"]),
    "spun": ("spun", ["wire"]),
    "partial": ("partial", ["wire"]),
    "brief": ("spun", ["wire"]),
    "digest": ("spun", ["missing:agency2"]),
    "roundup": ("partial", ["missing:agency2"]),
    "indep1": ("independent", []),
    "indep2": ("independent", []),
    "indep3": ("independent", []),
}
WIRE_FAMILY = ["wire", "copy", "second", "spun", "partial", "brief"]
AGENCY_FAMILY = ["digest", "roundup"]


def time_of(slug, role):
    y, m, d = (int(x) for x in EVENTS[slug].split("-"))
    minutes = 8 * 60 + OFFSETS[role]
    day = d + minutes // 1440
    minutes %= 1440
    return f"{y:04d}-{m:02d}-{day:02d}T{minutes // 60:02d}:{minutes % 60:02d}:00Z"


def main():
    parts = {}
    alignments = []
    for name in sorted(os.listdir(os.path.join(HERE, "parts"))):
        with open(os.path.join(HERE, "parts", name), encoding="utf-8") as f:
            part = json.load(f)
        for m in part.get("meta", []):
            parts[m["id"]] = m
        alignments.extend(part.get("alignments", []))

    articles, missing, derived, related, independent = {}, {}, [], [], []
    ids = []
    for slug in EVENTS:
        for role, (kind, sources) in KINDS.items():
            doc = f"{slug}-{role}"
            if not os.path.exists(os.path.join(HERE, "corpus", doc + ".txt")):
                raise SystemExit(f"missing corpus/{doc}.txt")
            from_ids = [
                f"missing:{slug}-agency2" if s.startswith("missing:") else f"{slug}-{s}"
                for s in sources
            ]
            articles[doc] = {"kind": kind, "derived_from": from_ids}
            derived.extend([s, doc] for s in from_ids)
            ids.append(doc)
        missing[f"{slug}-agency2"] = {
            "derived_from": [],
            "published": time_of(slug, "agency2"),
        }
        for family in (WIRE_FAMILY, AGENCY_FAMILY):
            for x, y in itertools.combinations(family, 2):
                related.append(sorted([f"{slug}-{x}", f"{slug}-{y}"]))
    related_set = {tuple(p) for p in related}
    for x, y in itertools.combinations(sorted(ids), 2):
        if (x, y) not in related_set:
            independent.append([x, y])

    truth = {
        "format": "stemma truth v1: document-level relations only",
        "articles": dict(sorted(articles.items())),
        "missing_sources": missing,
        "derived_pairs": sorted(derived),
        "related_pairs": sorted(related),
        "independent_pairs": independent,
    }
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")

    with open(os.path.join(HERE, "corpus", "meta.jsonl"), "w", encoding="utf-8") as f:
        for doc in sorted(ids):
            slug, role = doc.rsplit("-", 1)
            m = parts.get(doc)
            if m is None:
                raise SystemExit(f"no metadata for {doc} in parts/")
            line = {
                "id": doc,
                "title": m["title"].rstrip("<").strip(),
                "publisher": m["publisher"],
                "url": m["url"],
                "published": time_of(slug, role),
            }
            f.write(json.dumps(line, ensure_ascii=False) + "\n")

    alignments.sort(key=lambda p: (p["a"], p["b"]))
    gold = {"format": "stemma gold alignments v1", "pairs": alignments}
    with open(os.path.join(HERE, "alignments.json"), "w", encoding="utf-8") as f:
        json.dump(gold, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(
        f"{len(ids)} articles, {len(related)} related pairs, {len(independent)} independent pairs, "
        f"{len(alignments)} gold pairs"
    )


if __name__ == "__main__":
    main()
