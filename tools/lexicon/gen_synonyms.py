#!/usr/bin/env python3
"""Generate stemma's built-in synonym table from WordNet 3.0.

Reads the WordNet database (Debian package `wordnet-base`: /usr/share/wordnet/index.*, data.*
and *.exc) and writes `crates/align/data/synonyms.txt`. Python 3 standard library only.

Model (tools/lexicon/README.md explains the choices and the measurements behind the defaults):

* A *class* is a WordNet synset restricted to the single-word lowercase lemmas that hold the
  synset among their first --senses senses of that part of speech (WordNet's index files list a
  lemma's senses most frequent first). Words sharing a class are tier-1 synonyms.
* A *link* joins two classes one hop apart: a synset and its direct hypernym (nouns and verbs;
  not instance hypernyms), climbing through hypernyms that have no single-word lemma ("car" ->
  "motor vehicle" -> ... -> "vehicle"), and an adjective and the adjectives it is "similar to".
  Very general hypernyms ("person", "change") are not linked. Words whose classes are linked
  are tier-2 ("related").
* Irregular inflections from the *.exc files (slain -> slay, mice -> mouse) form a second
  section, so that the loader can key an irregular form with its lemma's classes.

Output format:
    # comments
    @classes
    <lemma> <lemma> ...[|<id> <id> ...]     one line per class; class k is the k-th line (from 0);
                                            after '|', later classes one hop away
    @irregular
    <form> <lemma> [<lemma> ...]            irregular form and its lemma(s)
    !<form> <lemma> [<lemma> ...]           the same, but the form is a common word of its own
                                            ("wound", "ground"): lemma lookup only, no classes
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
WORD_RE = re.compile(r"^[a-z]{2,}$")
# Adjective syntactic markers in data.adj: "galore(ip)", "elect(p)", "former(a)".
ADJ_MARKER_RE = re.compile(r"\((?:a|p|ip)\)$")

# Very common verbs whose many senses are vague ("take" ~ "lead", "get" ~ "become", "go" ~
# "depart"): their verb senses are cut to --light-senses (default: the first, which is the usual
# meaning: make/create, get/acquire, keep/maintain, let/allow). Cutting them to none would also
# cut "brought" from "bring" and "went" from "go".
LIGHT_VERBS = set(
    "be have do make take get go give put set run come keep let seem become hold bring".split()
)

# Number words: WordNet makes "one" a synonym of "united" and "nine" of a baseball team; in news
# numbers are facts that must match exactly, never by synonymy.
NUMBER_WORDS = set(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion trillion dozen first third fourth fifth sixth seventh
    eighth ninth tenth eleventh twelfth""".split()
)

# Irregular forms that are words of their own more often than inflections of their WordNet lemma,
# left out of the irregular list (stemma maps every word through it before stemming, so "wound"
# -> "wind" would split "wound" from "wounds" and "wounded"). The rules in irregular_forms()
# catch most such forms ("ground" -> "grind", "dive" -> "diva"); these are the rest, found by
# inspecting the frequent forms by eye.
OWN_WORD_FORMS = {
    "wound", "born", "borne", "flatter", "hinder", "abode", "tanner", "collier", "overlay",
    "bespoke", "fitter", "lander", "downer", "kent", "dove", "bore", "stove", "lei", "cola", "roma",
    "capita", "manning", "dui", "ora", "gan", "bok", "soles", "tori", "rami", "ottomans", "redding",
    "canning", "canned", "upped", "pent", "smelt", "sera",
}

# Regular inflectional endings: a form whose regular analysis is another, more frequent WordNet
# lemma ("imagines" = "imagine" + "s", not the plural of "imago") is left out.
REGULAR_ENDINGS = [("s", ""), ("es", ""), ("es", "e"), ("ies", "y"), ("ed", ""), ("ed", "e"),
                   ("d", ""), ("ing", ""), ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""),
                   ("est", "e")]

# An irregular form that is itself a WordNet lemma is left out when it is more frequent than its
# exception-list lemma by more than this (Zipf): "dive" (4.1) vs "diva" (3.4) is out, "teeth"
# (4.6) vs "tooth" (4.1) and "men" vs "man" stay.
MAX_MARGIN = 0.6

# Frequencies for the irregular-form filter: stemma's own background table (gen_background.py).
BACKGROUND = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "align",
                          "data", "background.txt")


def read_lines(path: str):
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            if line.startswith("  "):  # the licence header's lines start with two spaces
                continue
            yield line.rstrip("\n")


def parse_index(wndir: str, pos_name: str) -> dict[str, list[str]]:
    """lemma -> synset offsets in sense order (most frequent first)."""
    senses: dict[str, list[str]] = {}
    for line in read_lines(os.path.join(wndir, f"index.{pos_name}")):
        f = line.split()
        synset_cnt, p_cnt = int(f[2]), int(f[3])
        offsets = f[4 + p_cnt + 2:]
        if len(offsets) != synset_cnt:
            raise ValueError(f"index.{pos_name}: bad line {line!r}")
        senses[f[0]] = offsets
    return senses


def parse_data(wndir: str, pos_name: str):
    """offset -> (words as written, [(pointer symbol, target offset, target pos)])."""
    synsets = {}
    for line in read_lines(os.path.join(wndir, f"data.{pos_name}")):
        f = line.split(" | ", 1)[0].split()
        offset, w_cnt = f[0], int(f[3], 16)
        words = [ADJ_MARKER_RE.sub("", f[4 + 2 * i]) for i in range(w_cnt)]
        i = 4 + 2 * w_cnt
        p_cnt = int(f[i])
        i += 1
        ptrs = []
        for _ in range(p_cnt):
            sym, tgt, tpos = f[i], f[i + 1], f[i + 2]
            ptrs.append((sym, tgt, "a" if tpos == "s" else tpos))
            i += 4
        synsets[offset] = (words, ptrs)
    return synsets


def parse_exc(wndir: str, pos_name: str):
    for line in read_lines(os.path.join(wndir, f"{pos_name}.exc")):
        f = line.split()
        if len(f) >= 2:
            yield f[0], f[1:]


def read_zipf(path: str) -> dict[str, float]:
    """word -> Zipf frequency from background.txt ('<zipf> <word> <word> ...' lines)."""
    zipf = {}
    if not os.path.exists(path):
        print(f"warning: {path} not found; irregular forms are not filtered by frequency", file=sys.stderr)
        return zipf
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            value, *words = line.split()
            for w in words:
                zipf[w] = float(value)
    return zipf


def irregular_forms(wndir: str, background: str):
    """Irregular form -> lemmas from the noun, verb and adjective exception lists, and the forms
    left out with the reason.

    stemma maps every word through this list before stemming, so a form must be left out when it
    is more often a word of its own: when it is also its own lemma ("feed" -> "feed", "fee"), when
    it is a WordNet lemma clearly more frequent than its exception-list lemma ("ground" vs
    "grind", "bit" vs "bite", "dive" vs "diva", "data" vs "datum"), and OWN_WORD_FORMS. The
    adverb list is not used: its forms are in the adjective list too, or wrong for stemma
    ("deeper" -> "deeply").
    """
    any_lemma = set()
    for name in POS_FILES.values():
        any_lemma.update(parse_index(wndir, name))
    zipf = read_zipf(background)
    rare = 2.0  # below the background table's cut-off (about 2.5)
    out: dict[str, list[str]] = {}
    dropped: dict[str, str] = {}
    for name in ("noun", "verb", "adj"):
        for form, lemmas in parse_exc(wndir, name):
            if not WORD_RE.match(form) or form in NUMBER_WORDS or form in dropped:
                continue
            lemmas = [lemma for lemma in lemmas if WORD_RE.match(lemma)]
            if not lemmas:
                continue
            margin = zipf.get(form, rare) - max(zipf.get(lemma, rare) for lemma in lemmas)
            regular = [form[: len(form) - len(end)] + rep for end, rep in REGULAR_ENDINGS
                       if form.endswith(end) and len(form) > len(end) + 1]
            regular = [r for r in regular if len(r) >= 3 and r in any_lemma]
            # A regular analysis that is also listed goes first ("leaves" -> "leave", then "leaf").
            lemmas = sorted(lemmas, key=lambda lemma: lemma not in regular)
            if form in lemmas:
                dropped[form] = "its own lemma"
            elif form in OWN_WORD_FORMS:
                dropped[form] = "OWN_WORD_FORMS"
            elif (not set(regular) & set(lemmas)
                  and any(zipf.get(r, rare) > max(zipf.get(lemma, rare) for lemma in lemmas) for r in regular)):
                dropped[form] = f"regular form of the more frequent {'/'.join(sorted(set(regular)))}"
            elif form in any_lemma and margin > MAX_MARGIN:
                dropped[form] = f"a WordNet lemma {margin:.1f} more frequent (Zipf) than {'/'.join(lemmas)}"
            else:
                for lemma in lemmas:
                    if lemma not in out.get(form, []):
                        out.setdefault(form, []).append(lemma)
                continue
            out.pop(form, None)
    return out, dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", default="/usr/share/wordnet", help="WordNet dict directory")
    ap.add_argument("--out", default=None, help="output file (default: crates/align/data/synonyms.txt)")
    ap.add_argument("--senses", type=int, default=3, help="senses kept per lemma and part of speech")
    ap.add_argument("--light-senses", type=int, default=1,
                    help="senses kept for the verb senses of LIGHT_VERBS (0 drops them)")
    ap.add_argument("--hypernyms", type=int, default=1, help="link noun and verb synsets to their hypernyms (0/1)")
    ap.add_argument("--skip-empty", type=int, default=3,
                    help="climb through up to this many hypernyms that have no single-word lemma")
    ap.add_argument("--max-hyponyms", type=int, default=50,
                    help="do not link a hypernym that would get more hyponym classes than this (0: no limit)")
    ap.add_argument("--similar", type=int, default=1, help="link adjectives 'similar to' each other (0/1)")
    ap.add_argument("--verb-groups", type=int, default=0, help="link verb groups (0/1)")
    ap.add_argument("--deriv", type=int, default=0, help="link derivationally related synsets (0/1)")
    ap.add_argument("--proper", type=int, default=0,
                    help="keep lemmas that WordNet writes capitalised only (proper nouns, acronyms) (0/1)")
    ap.add_argument("--background", default=BACKGROUND, help="word frequencies for the irregular-form filter")
    ap.add_argument("--show-hubs", action="store_true", help="list the hypernyms cut by --max-hyponyms")
    ap.add_argument("--show-irregular", action="store_true", help="list the irregular forms left out, and why")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    out_path = args.out or os.path.join(here, "..", "..", "crates", "align", "data", "synonyms.txt")

    # (pos, offset) -> lowercase lemmas that hold the synset among their first senses.
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    synsets: dict[str, dict] = {}
    for pos, name in POS_FILES.items():
        synsets[pos] = parse_data(args.wordnet, name)
        for lemma, offsets in parse_index(args.wordnet, name).items():
            if not WORD_RE.match(lemma) or lemma in NUMBER_WORDS:
                continue
            limit = args.light_senses if pos == "v" and lemma in LIGHT_VERBS else args.senses
            for off in offsets[:limit]:
                written = [w for w in synsets[pos][off][0] if w.lower() == lemma]
                if not written:
                    continue
                if not args.proper and all(w != w.lower() for w in written):
                    continue  # "Sun" (Sunday), "Mar" (March), "AIDS": only capitalised here
                members[(pos, off)].append(lemma)

    def hypernyms_through_empty(b, depth):
        """b when it has members; otherwise, up to `depth` levels up, its nearest hypernyms that do."""
        if b in members or depth == 0:
            return [b]
        out = []
        for sym, tgt, tpos in synsets[b[0]][b[1]][1]:
            if sym == "@":
                out.extend(hypernyms_through_empty((tpos, tgt), depth - 1))
        return out

    links: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    hyponyms: dict[tuple[str, str], set] = defaultdict(set)  # hypernym -> its linked hyponyms

    def add_link(a, b):
        if a != b and a in members and b in members:
            links.add((min(a, b), max(a, b)))

    for pos in POS_FILES:
        for off, (_, ptrs) in synsets[pos].items():
            a = (pos, off)
            if a not in members:
                continue
            for sym, tgt, tpos in ptrs:
                b = (tpos, tgt)
                if sym == "@" and args.hypernyms and pos in "nv":
                    for h in hypernyms_through_empty(b, args.skip_empty):
                        if h in members and h != a:
                            hyponyms[h].add(a)
                elif sym == "&" and args.similar and pos == "a":
                    add_link(a, b)
                elif sym == "$" and args.verb_groups and pos == "v":
                    add_link(a, b)
                elif sym == "+" and args.deriv:
                    add_link(a, b)

    # A very general synset ("person", "change", "device") is the hypernym of hundreds of classes;
    # linking it would relate it to everything below it, so it is not linked at all.
    for h, below in sorted(hyponyms.items(), key=lambda kv: -len(kv[1])):
        if args.max_hyponyms and len(below) > args.max_hyponyms:
            if args.show_hubs:
                print(f"hub {len(below):4} {h[0]} {' '.join(members[h])}", file=sys.stderr)
            continue
        for a in below:
            add_link(a, h)

    # Keep the classes that say something: two or more lemmas, or a link.
    linked = defaultdict(set)
    for a, b in links:
        linked[a].add(b)
        linked[b].add(a)
    kept = sorted(k for k, v in members.items() if len(v) >= 2 or linked.get(k))
    ids = {k: i for i, k in enumerate(kept)}
    has_class = set()
    for k in kept:
        has_class.update(members[k])

    irregular, dropped = irregular_forms(args.wordnet, args.background)
    if args.show_irregular:
        for form, why in sorted(dropped.items()):
            print(f"irregular dropped: {form}: {why}", file=sys.stderr)

    n_links = 0
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# stemma synonym classes, generated by tools/lexicon/gen_synonyms.py from WordNet 3.0.\n")
        out.write("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.\n")
        out.write("# Licence and disclaimer: crates/align/data/WORDNET-LICENSE.\n")
        opts = " ".join(f"{k}={v}" for k, v in sorted(vars(args).items())
                        if k not in ("out", "wordnet", "background", "show_hubs", "show_irregular"))
        out.write(f"# Options: {opts}\n")
        out.write("# @classes: line k (from 0) is class k: lemmas, then optionally '|' and the numbers of\n")
        out.write("#   later classes one hop away (hypernym, similar-to).\n")
        out.write("# @irregular: 'form lemma...' for irregular inflections (slain slay), first lemma first.\n")
        out.write("@classes\n")
        for i, k in enumerate(kept):
            line = " ".join(sorted(set(members[k])))
            up = sorted(ids[b] for b in linked.get(k, ()) if ids[b] > i)
            n_links += len(up)
            if up:
                line += "|" + " ".join(map(str, up))
            out.write(line + "\n")
        out.write("@irregular\n")
        for form in sorted(irregular):
            out.write(f"{form} {' '.join(irregular[form])}\n")
    print(f"{out_path}: {len(kept)} classes, {n_links} links, {len(has_class)} lemmas, "
          f"{len(irregular)} irregular forms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
