#!/usr/bin/env python3
"""Generate stemma's British -> American spelling table.

Writes `crates/align/data/spelling.txt` ("british american" per line, sorted). Needs the
`wordfreq` package (pip install wordfreq) for the word list and frequencies, and WordNet 3.0
(Debian package `wordnet-base`) for a sanity check; otherwise standard library only.

Method
------
1. Candidates: every word of wordfreq's English list with Zipf >= --min-british goes through
   British -> American rewrite rules (our -> or, ise -> ize, yse -> yze, tre/bre/gre/vre ->
   ter/ber/ger/ver, ence -> ense for defence/offence/licence/pretence, ogue -> og, travelled ->
   traveled, ae/oe -> e, dgement -> dgment), singly and combined.
2. Frequency: the American form must be in wordfreq's list with Zipf >= --min-american and be at
   most --max-drop rarer than the British one (wordfreq's sources are mostly American, so a real
   American spelling is rarely much rarer; "surprise" -> "surprize" fails here).
3. WordNet decides the rest. If a base form of each word shares a synset (WordNet lists colour
   and color, centre and center together), the pair is kept. If WordNet knows the British form
   but not as a synonym of the American one, the pair is two distinct words (poets/pets,
   filled/filed, mourning/morning, devises/Devizes) and is dropped. If WordNet does not know the
   British form (most inflections and derivations), the pair is kept when it contains a pair
   already confirmed ("multicoloured" from "colour"), or when only the productive rules made it
   (-ise, -yse, doubled l, -ogue, judgement, defence); the error-prone rules (-our, -re, ae/oe)
   would otherwise turn names and French words into pairs (lettre/letter, aera/era).
4. NOT_PAIRS drops pairs found wrong by inspecting the output by eye, and HAND adds irregular
   pairs no rule finds (aluminium -> aluminum, grey -> gray, tyre -> tire), with their
   inflections when both forms are in wordfreq's list.
5. No chains: an American form is never itself rewritten.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys

# Words whose "our" is not the British -our ending, and other pairs that pass the filters but are
# distinct words or not spelling variants (checked by eye on the generated list).
NOT_PAIRS = {
    ("four", "for"), ("hour", "hor"), ("tour", "tor"), ("our", "or"), ("your", "yor"),
    ("pour", "por"), ("sour", "sor"), ("flour", "flor"), ("dour", "dor"), ("amour", "amor"),
    ("contour", "contor"), ("velour", "velor"), ("hours", "hors"), ("tours", "tors"),
    ("yours", "yors"), ("ours", "ors"), ("fours", "fors"), ("pours", "pors"),
    ("glamour", "glamor"),  # American English writes "glamour" too; "glamor" is marginal
    ("analyses", "analyzes"), ("paralyses", "paralyzes"),  # also plurals of -ysis nouns
    ("vise", "vize"), ("prise", "prize"), ("prised", "prized"), ("prises", "prizes"),
    ("prising", "prizing"),  # prise (lever open) vs prize (value)
    ("franchise", "franchize"), ("advise", "advize"), ("revise", "revize"),
    ("guise", "guize"), ("cerise", "cerize"), ("precise", "precize"),
    ("lise", "lize"), ("elise", "elize"), ("louise", "louize"), ("denise", "denize"),
    ("lises", "lizes"),
    ("timbre", "timber"), ("timbres", "timbers"),  # WordNet lists "timber" as a variant of timbre
    # American English also writes "aesthetic"; mapping only the plural would split the family.
    ("aesthetics", "esthetics"), ("aesthetician", "esthetician"),
}

# Greek-derived stems whose words WordNet lacks (anaesthesiologist, glycaemic, oesophageal).
EXTRA_ROOTS = [("anaesthes", "anesthes"), ("glycaem", "glycem"), ("oesophag", "esophag")]

# Pairs no rule finds. Inflections are added when both forms are frequent enough.
HAND = [
    ("aluminium", "aluminum"), ("tyre", "tire"), ("kerb", "curb"), ("grey", "gray"),
    ("plough", "plow"), ("cheque", "check"), ("storey", "story"), ("storeys", "stories"),
    ("programme", "program"), ("programmes", "programs"), ("pyjamas", "pajamas"),
    ("mould", "mold"), ("moult", "molt"), ("smoulder", "smolder"), ("sceptic", "skeptic"),
    ("draught", "draft"), ("gaol", "jail"), ("jewellery", "jewelry"), ("ageing", "aging"),
    ("fulfil", "fulfill"), ("fulfilment", "fulfillment"), ("enrol", "enroll"),
    ("enrolment", "enrollment"), ("instalment", "installment"), ("skilful", "skillful"),
    ("wilful", "willful"), ("distil", "distill"), ("instil", "instill"), ("sulphur", "sulfur"),
    ("sulphate", "sulfate"), ("sulphide", "sulfide"), ("aeroplane", "airplane"),
    ("practise", "practice"), ("cosy", "cozy"), ("artefact", "artifact"), ("annexe", "annex"),
    ("moustache", "mustache"), ("speciality", "specialty"), ("whisky", "whiskey"),
    ("doughnut", "donut"), ("mum", "mom"), ("arse", "ass"), ("carburettor", "carburetor"),
    ("woollen", "woolen"), ("aesthetic", "esthetic"),
    ("manoeuvre", "maneuver"), ("manoeuvred", "maneuvered"), ("manoeuvring", "maneuvering"),
    ("manoeuvrable", "maneuverable"), ("manoeuvrability", "maneuverability"),
    ("practised", "practiced"), ("practising", "practicing"),
]
# "mum"/"mom" and "arse"/"ass" are dialect, not spelling; "aesthetic" is standard in American
# English too ("esthetic" is rare). The generator drops them below (kept here as a record).
HAND_DROPPED = {("mum", "mom"), ("arse", "ass"), ("aesthetic", "esthetic"), ("whisky", "whiskey")}
HAND_SUFFIXES = ["", "s", "es", "ed", "ing", "er", "ers", "ish", "y", "ly", "al", "ally", "ism",
                 "isms", "ment", "ments", "ness", "ier", "iest"]

VOWELS = "aeiouy"


# Rules whose output is almost always a genuine variant when both forms are common words.
PRODUCTIVE = {"ise", "yse", "ll", "dgement", "ence", "ogue"}


def rule_candidates(word: str) -> set[tuple[str, str]]:
    """(American candidate, rule) for a British word, one rewrite at a time."""
    out = set()
    # -our -> -or, before the end or a suffix: colour, colours, coloured, colourful, favourite.
    m = re.match(r"^(.*[a-z]{2})our(s|ed|ing|ite|ites|itism|ful|fully|able|ably|er|ers|ist|ists|"
                 r"hood|hoods|less|ism|ize|ise|ized|ised|izing|ising|ization|isation|y|ies|ly|"
                 r"al)?$", word)
    if m:
        out.add((m.group(1) + "or" + (m.group(2) or ""), "our"))
    # -ise family -> -ize (organise, organised, organising, organisation, organiser).
    m = re.match(r"^(.*[a-z]{4})is(e|ed|es|ing|ation|ations|er|ers|able|ational)$", word)
    if m:
        out.add((m.group(1) + "iz" + m.group(2), "ise"))
    # -yse -> -yze (analyse, paralyse, catalyse).
    m = re.match(r"^(.*[a-z]{3})ys(e|ed|es|ing|er|ers)$", word)
    if m:
        out.add((m.group(1) + "yz" + m.group(2), "yse"))
    # -tre/-bre/-gre/-vre -> -ter/-ber/-ger/-ver (centre, fibre, meagre, manoeuvre).
    m = re.match(r"^(.*[a-z])([tbgv])re(s|d)?$", word)
    if m:
        suffix = {None: "", "s": "s", "d": "ed"}[m.group(3)]
        out.add((m.group(1) + m.group(2) + "er" + suffix, "re"))
    m = re.match(r"^(.*[a-z])([tbgv])ring$", word)  # centring -> centering
    if m:
        out.add((m.group(1) + m.group(2) + "ering", "re"))
    # -ence -> -ense for the defence/offence/licence/pretence family only.
    m = re.match(r"^(.*)(defen|offen|licen|preten)c(e|es|eless|ed|ing)$", word)
    if m:
        out.add((m.group(1) + m.group(2) + "s" + m.group(3), "ence"))
    # -ogue -> -og (catalogue, analogue, dialogue).
    m = re.match(r"^(.*[a-z]{3})ogu(e|es|ed|ing)$", word)
    if m:
        suffix = {"e": "", "es": "s", "ed": "ed", "ing": "ing"}[m.group(2)]
        out.add((m.group(1) + "og" + suffix, "ogue"))
    # Doubled l before a suffix in an unstressed final syllable: travelled, cancelling, modeller.
    m = re.match(r"^(.*[a-z])ll(ed|ing|er|ers|ous)$", word)
    if m and len(re.findall(f"[{VOWELS}]+", m.group(1))) >= 2:
        out.add((m.group(1) + "l" + m.group(2), "ll"))
    # ae/oe -> e before a consonant (paediatric, foetus, oestrogen, manoeuvre).
    for m in re.finditer(r"(?<![aeiou])(ae|oe)(?=[^aeiouy\W][a-z])", word):
        out.add((word[: m.start()] + "e" + word[m.end():], "aeoe"))
    # judgement, acknowledgement, abridgement -> -dgment.
    if "dgement" in word:
        out.add((word.replace("dgement", "dgment"), "dgement"))
    return {(w, r) for w, r in out if w != word}


def all_candidates(word: str) -> dict[str, set[str]]:
    """American candidate -> rules used, applying rules singly and in combination (up to 3)."""
    found: dict[str, set[str]] = {}
    frontier = {word: set()}
    for _ in range(3):
        nxt: dict[str, set[str]] = {}
        for w, rules in frontier.items():
            for cand, rule in rule_candidates(w):
                if cand != word and cand not in found:
                    nxt.setdefault(cand, set()).update(rules | {rule})
        found.update(nxt)
        frontier = nxt
    return found


class WordNet:
    """Just enough WordNet for the sanity check: lemma -> synsets, with morphy-like bases."""

    SUFFIXES = [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
                ("shes", "sh"), ("men", "man"), ("ies", "y"), ("es", "e"), ("es", ""),
                ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("er", ""), ("est", ""),
                ("er", "e"), ("est", "e"), ("ly", ""), ("ness", "")]

    def __init__(self, wndir: str):
        self.synsets: dict[str, set[str]] = {}
        self.exc: dict[str, set[str]] = {}
        for pos in ("noun", "verb", "adj", "adv"):
            with open(os.path.join(wndir, f"index.{pos}"), encoding="latin-1") as fh:
                for line in fh:
                    if line.startswith("  "):
                        continue
                    f = line.split()
                    p_cnt = int(f[3])
                    self.synsets.setdefault(f[0], set()).update(pos[0] + o for o in f[4 + p_cnt + 2:])
            with open(os.path.join(wndir, f"{pos}.exc"), encoding="latin-1") as fh:
                for line in fh:
                    f = line.split()
                    self.exc.setdefault(f[0], set()).update(f[1:])

    def bases(self, word: str) -> set[str]:
        out = {word} if word in self.synsets else set()
        out |= {b for b in self.exc.get(word, ()) if b in self.synsets}
        for suf, rep in self.SUFFIXES:
            if word.endswith(suf) and len(word) > len(suf) + 2:
                base = word[: -len(suf)] + rep
                if base in self.synsets:
                    out.add(base)
        return out

    def synsets_of(self, word: str) -> set[str]:
        return set().union(*(self.synsets[b] for b in self.bases(word)))

    def verdict(self, british: str, american: str) -> str:
        """"same": a base of each shares a synset (WordNet lists colour and color together);
        "distinct": WordNet knows the British form but not as a synonym of the American one
        (poets/pets, filled/filed, devises/Devizes); "unknown": WordNet does not know the
        British form (most inflections and derivations: travelled, accessorise)."""
        sb = self.synsets_of(british)
        if not sb:
            return "unknown"
        return "same" if sb & self.synsets_of(american) else "distinct"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--min-british", type=float, default=1.5, help="minimum Zipf of the British form")
    ap.add_argument("--min-american", type=float, default=1.5, help="minimum Zipf of the American form")
    ap.add_argument("--max-drop", type=float, default=1.5,
                    help="the American form may be at most this much rarer (Zipf) than the British")
    ap.add_argument("--out", default=None, help="output (default: crates/align/data/spelling.txt)")
    ap.add_argument("--rejected", default=None, help="also write rejected candidate pairs here")
    args = ap.parse_args()

    import wordfreq  # noqa: PLC0415 - optional dependency

    here = os.path.dirname(os.path.abspath(__file__))
    out_path = args.out or os.path.join(here, "..", "..", "crates", "align", "data", "spelling.txt")

    freq = wordfreq.get_frequency_dict("en", wordlist="best")
    zipf = {w: math.log10(f) + 9 for w, f in freq.items() if re.fullmatch(r"[a-z]+", w)}
    wn = WordNet(args.wordnet)

    # Candidate pairs that pass the frequency filters, with the rules that made them.
    cands: list[tuple[str, str, set[str], str]] = []
    rejected: list[tuple[str, str, str]] = []
    for uk, z_uk in zipf.items():
        if z_uk < args.min_british:
            continue
        for us, rules in sorted(all_candidates(uk).items()):
            z_us = zipf.get(us)
            if z_us is None:
                continue
            if z_us < args.min_american or z_us < z_uk - args.max_drop:
                rejected.append((uk, us, f"frequency {z_uk:.2f} -> {z_us:.2f}"))
            elif (uk, us) in NOT_PAIRS:
                rejected.append((uk, us, "NOT_PAIRS"))
            else:
                cands.append((uk, us, rules, wn.verdict(uk, us)))

    # 1. WordNet puts both in one synset: a pair, whatever the rules.
    pairs: dict[str, str] = {}

    def accept(uk: str, us: str) -> None:
        if uk in pairs and zipf[pairs[uk]] >= zipf[us]:
            rejected.append((uk, us, f"less frequent than {pairs[uk]}"))
            return
        if uk in pairs:
            rejected.append((uk, pairs[uk], f"less frequent than {us}"))
        pairs[uk] = us

    for uk, us, rules, verdict in cands:
        if verdict == "same":
            accept(uk, us)
    roots = sorted([(uk, us) for uk, us in pairs.items() if len(uk) >= 5] + EXTRA_ROOTS,
                   key=lambda p: -len(p[0]))
    # 2. WordNet does not know the British form: accept it when it contains a confirmed root
    #    (multicoloured -> multicolored from colour -> color), or when only productive rules made it.
    for uk, us, rules, verdict in cands:
        if verdict == "same":
            continue
        if verdict == "distinct":
            rejected.append((uk, us, "WordNet: distinct words"))
        elif any(root in uk and uk.replace(root, am) == us for root, am in roots):
            accept(uk, us)
        elif rules <= PRODUCTIVE:
            accept(uk, us)
        else:
            rejected.append((uk, us, "rules " + "+".join(sorted(rules)) + " need WordNet or a root"))

    n_rules = len(pairs)
    for uk, us in HAND:
        if (uk, us) in HAND_DROPPED:
            continue
        pairs[uk] = us
        for suf in HAND_SUFFIXES[1:]:
            a, b = uk + suf, us + suf
            if a.endswith("ys") and b.endswith("ys") and uk.endswith("ey") is False:
                continue
            if zipf.get(a, 0) >= args.min_british and zipf.get(b, 0) >= args.min_american:
                if (a, b) not in NOT_PAIRS and wn.verdict(a, b) != "distinct":
                    pairs.setdefault(a, b)

    # An American form must not itself be rewritten (a chain would make the mapping order-dependent).
    for uk in list(pairs):
        if pairs[uk] in pairs:
            rejected.append((uk, pairs[uk], "chain"))
            del pairs[uk]

    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# stemma British -> American spelling variants, generated by tools/lexicon/gen_spelling.py\n")
        out.write("# from wordfreq's English word list (CC BY-SA 4.0) and WordNet 3.0 (sanity check).\n")
        out.write("# Each line: british american\n")
        for uk in sorted(pairs):
            out.write(f"{uk} {pairs[uk]}\n")
    if args.rejected:
        with open(args.rejected, "w", encoding="utf-8") as fh:
            for uk, us, why in sorted(rejected):
                fh.write(f"{uk} {us}\t{why}\n")
    print(f"{out_path}: {len(pairs)} pairs ({n_rules} from rules), {len(rejected)} rejected", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
