"""The stage functions of a distributed analysis, driven in plain Python as the Spark job drives
them: the parts' reports, merged, equal `stemma.analyze`'s report of the whole corpus."""

import pickle
from collections import Counter, defaultdict

import pytest

import stemma
from stemma_spark import merge_reports

from conftest import demo_articles, demo_text

# Unrelated articles beside the demo corpus, so that the corpus has several parts.
OTHERS = [
    {"id": "mill", "text": "The Harlow paper mill closed on Friday after ninety-one years. "
     "Forty-two workers lost their jobs, the owners said, blaming energy prices. "
     "The town council promised retraining grants for every worker."},
    {"id": "mill-copy", "text": "The Harlow paper mill closed on Friday after ninety-one years. "
     "Forty-two workers lost their jobs, the owners said, blaming energy prices. "
     "The town council promised retraining grants for every worker. Shares fell."},
    {"id": "budget", "text": "The council approved a new budget for the city library on Thursday."},
]


def corpus_counts(articles, with_features=True):
    """The counts of a corpus as a job builds them: keys, then features with those counts."""
    terms, lines = Counter(), Counter()
    for article in articles:
        k = stemma.keys(article)
        terms.update(k["terms"])
        lines.update(k["lines"])
    # As the job does: keys of one document only left out.
    once = lambda c: {k: v for k, v in c.items() if v > 1}  # noqa: E731
    corpus = stemma.counts(len(articles), once(terms), once(lines))
    found = {a["id"]: stemma.features(a, corpus) for a in articles}
    feature_counts = Counter(f for x in found.values() for f in x["features"])
    if with_features:
        corpus = stemma.counts(len(articles), once(terms), once(lines), once(feature_counts))
    return corpus, found


def postings_of(found):
    """Each candidate key's postings: (id, short) of the articles that have it."""
    postings = defaultdict(list)
    for id, x in found.items():
        for key in x["keys"]:
            postings[key].append((id, x["short"]))
    return postings


def shared_key_counts(postings):
    """Per pair, [shared keys, shared narrative keys, either short], and the banal key count, by
    the stage rules applied one key at a time."""
    shared, banal = defaultdict(lambda: [0, 0, False]), 0
    for key, docs in postings.items():
        pairs = stemma.posting_pairs(docs)
        if pairs is None:
            banal += 1
            continue
        for a, b, short in pairs:
            s = shared[(a, b)]
            s[0] += 1
            s[1] += stemma.key_is_narrative(key)
            s[2] = s[2] or short
    return shared, banal


def candidate_pairs(found):
    """Candidate pairs and the banal key count from the articles' features, by the stage rules."""
    shared, banal = shared_key_counts(postings_of(found))
    return [p for p, s in shared.items() if stemma.is_candidate(*s)], banal


def components(ids, pairs):
    parent = {i: i for i in ids}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    return list(groups.values())


def test_the_parts_merge_into_the_whole_corpus_report():
    articles = demo_articles() + OTHERS
    corpus, found = corpus_counts(articles)
    pairs, banal = candidate_pairs(found)
    assert ("mill", "mill-copy") in pairs
    parts = components([a["id"] for a in articles], pairs)
    assert len(parts) >= 3  # the demo story, the mill, and singletons
    by_id = {a["id"]: a for a in articles}
    reports = [stemma.analyze_part([by_id[i] for i in part], corpus) for part in parts]
    merged = merge_reports(reports, banal_features=banal)
    whole = stemma.analyze(articles)
    assert merged == whole
    assert len(whole["pairs"]) > 10 and whole["edges"]


def test_parts_packed_together_give_the_same_report():
    articles = demo_articles() + OTHERS
    corpus, found = corpus_counts(articles)
    pairs, banal = candidate_pairs(found)
    parts = components([a["id"] for a in articles], pairs)
    by_id = {a["id"]: a for a in articles}
    # Two bins, each a union of components.
    bins = [[], []]
    for k, part in enumerate(parts):
        bins[k % 2].extend(by_id[i] for i in part)
    merged = merge_reports([stemma.analyze_part(b, corpus) for b in bins], banal_features=banal)
    assert merged == stemma.analyze(articles)


def test_one_component_alone_has_its_pairs_of_the_whole_corpus():
    articles = demo_articles() + OTHERS
    corpus, _ = corpus_counts(articles)
    whole = stemma.analyze(articles)
    part = stemma.analyze_part(OTHERS[:2], corpus)
    assert part["pairs"] == [p for p in whole["pairs"] if p["a"].startswith("mill")]
    assert part["stats"]["documents"] == 2
    with pytest.raises(ValueError, match="fewer than the 6 articles given"):
        stemma.analyze_part(demo_articles(), stemma.counts(0, {}, {}))


def test_features_depend_on_the_corpus_and_not_on_the_article_being_counted():
    wire = {"id": "wire", "text": demo_text("wire")}
    corpus, found = corpus_counts(demo_articles())
    assert stemma.features(wire, corpus) == found["wire"]
    # A corpus of the article alone weighs every term as unseen elsewhere: other rare pairs.
    alone, _ = corpus_counts([wire])
    assert stemma.features(wire, alone)["keys"] != found["wire"]["keys"]
    assert not found["wire"]["short"]


def test_counts_survive_pickling():
    corpus, _ = corpus_counts(demo_articles())
    back = pickle.loads(pickle.dumps(corpus))
    assert back.documents == corpus.documents == 6
    assert back.sizes() == corpus.sizes() and corpus.sizes()[0] > 100
    assert back.to_bytes() == corpus.to_bytes()
    term = next(iter(stemma.keys(demo_articles()[0])["terms"]))
    assert back.get("terms", term) == corpus.get("terms", term)
    with pytest.raises(ValueError, match="not the bytes"):
        stemma.Counts.from_bytes(b"nonsense-bytes")


def test_keys_are_the_article_terms_and_lines():
    k = stemma.keys({"id": "a", "text": "The mill closed on Friday. Forty people lost their jobs."})
    assert len(k["lines"]) == 2 and all(0 <= x < 2**128 for x in k["lines"])
    assert k["terms"] == sorted(set(k["terms"])) and all(0 <= t < 2**64 for t in k["terms"])


def test_the_candidate_rule_and_banal_keys():
    assert stemma.is_candidate(3, 3, False)
    assert not stemma.is_candidate(5, 2, False)  # names, numbers and quotes alone
    assert stemma.is_candidate(1, 1, True) and not stemma.is_candidate(1, 0, True)
    postings = [(f"d{k:02}", False) for k in range(64)]
    assert len(stemma.posting_pairs(postings)) == 64 * 63 // 2
    assert stemma.posting_pairs(postings + [("d64", False)]) is None
    assert stemma.posting_pairs([("b", False), ("a", True)]) == [("a", "b", True)]


def test_stage_errors_name_the_article():
    corpus, _ = corpus_counts(demo_articles())
    with pytest.raises(ValueError, match=r'^article \("x"\): "text" is empty'):
        stemma.features({"id": "x", "text": " "}, corpus)
    with pytest.raises(ValueError, match=r'^article: "id" is missing'):
        stemma.keys({"text": "no id"})
    with pytest.raises(TypeError, match="must be a stemma.Counts"):
        stemma.features({"id": "x", "text": "Some text."}, {})


def test_a_jsonl_line_is_read_as_the_cli_reads_it(stemma_bin, tmp_path):
    lines = [
        b'\xef\xbb\xbf{"id": "a", "text": "The mill closed on Friday."}',
        b'{"id": "b", "text": ',
        b"   ",
        b'{"id": "c"}',
        b'{"id": "d", "text": "Forty people lost their jobs.", "published": "someday", "title": 7}\r',
        b'{"id": "e\xff", "text": "x"}',
        b'[1, 2]',
    ]
    read = [stemma.read_jsonl_line(line, k) for k, line in enumerate(lines, 1)]
    assert read[0][0]["id"] == "a" and read[0][1] == []
    assert read[2] is None
    assert [r[0] is None for r in read if r] == [False, True, True, False, True, True]
    assert read[4][0]["id"] == "d" and "published" not in {k for k, v in read[4][0].items() if v}
    # The messages are the CLI's diagnostics of the same lines.
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    from conftest import run_json

    cli = run_json(stemma_bin, "analyze", "--format", "json", path)
    want = [(d["line"], d["message"]) for d in cli["diagnostics"] if d["source"] == str(path)]
    got = [(k, m) for k, r in enumerate(read, 1) if r for m in r[1]]
    assert got == want and len(got) == 6
    assert stemma.read_jsonl_line("  ") is None
    with pytest.raises(ValueError, match="1-based"):
        stemma.read_jsonl_line(b"{}", 0)
    with pytest.raises(TypeError, match="bytes or a str"):
        stemma.read_jsonl_line(7)


def test_align_of_a_pair_prepared_alone_is_compare():
    wire, spun = demo_text("wire"), demo_text("spun")
    pair = [{"id": "wire", "text": wire}, {"id": "spun", "text": spun}]
    corpus, _ = corpus_counts(pair)
    a, b = (stemma.prepare(x, corpus) for x in pair)
    aligned = stemma.align(a, b)
    assert aligned.comparison == stemma.compare(wire, spun, a_id="wire", b_id="spun")
    assert aligned.ids == ("spun", "wire") and aligned.relation == "rewrite"
    # Given the other way round, the comparison is oriented that way.
    assert stemma.align(b, a).comparison == stemma.compare(spun, wire, a_id="spun", b_id="wire")


def test_align_in_a_corpus_gives_the_corpus_pairs_and_derive_the_corpus_edges():
    articles = demo_articles() + OTHERS
    corpus, _ = corpus_counts(articles)
    whole = stemma.analyze(articles)
    prepared = {a["id"]: stemma.prepare(a, corpus) for a in articles}
    aligned = {}
    for p in whole["pairs"]:
        pair = stemma.align(prepared[p["a"]], prepared[p["b"]])
        c = pair.comparison
        # The pair's alignment, measurements and relation are the whole corpus's (its probability
        # is the pair's alone: the corpus context weighs a pair against its articles' other pairs).
        assert (c["relation"], c["score"], c["coverage_a"], c["coverage_b"], c["verbatim_share"],
                c["immutable_share"]) == (p["relation"], p["score"], p["coverage_a"],
                                          p["coverage_b"], p["verbatim_share"], p["immutable_share"])
        assert [(g["a_sentences"], g["b_sentences"], g["score"]) for g in c["alignments"]] == [
            (g["a_sentences"], g["b_sentences"], g["score"]) for g in p["aligned"]]
        aligned[(p["a"], p["b"])] = pair
    # Each family derived from its related pairs alone: the report's edges and family.
    assert len(whole["families"]) == 2
    missing = iter(m for f in whole["families"] for m in f["missing_sources"])
    for family in whole["families"]:
        members = set(family["members"])
        pairs = [pair for (x, y), pair in aligned.items() if x in members]
        derived = stemma.derive(pickle.loads(pickle.dumps(pairs)))
        names = {m: next(missing) for m in (f for fam in derived["families"] for f in fam["missing_sources"])}
        rename = lambda x: names.get(x, x)  # noqa: E731
        assert [{**e, "source": rename(e["source"])} for e in derived["edges"]] == [
            e for e in whole["edges"] if e["target"] in members]
        assert [{**f, "missing_sources": [rename(m) for m in f["missing_sources"]]}
                for f in derived["families"]] == [family]
    # All pairs at once: every family.
    everything = stemma.derive(aligned.values())
    assert [f["members"] for f in everything["families"]] == [f["members"] for f in whole["families"]]


def test_prepared_and_aligned_survive_pickling_and_errors_are_named():
    articles = demo_articles()
    corpus, _ = corpus_counts(articles)
    a = stemma.prepare(articles[0], corpus)
    b = pickle.loads(pickle.dumps(stemma.prepare(articles[1], corpus)))
    assert (b.id, b.documents) == (articles[1]["id"], 6)
    pair = stemma.align(a, b)
    back = pickle.loads(pickle.dumps(pair))
    assert back.comparison == pair.comparison and back.ids == pair.ids
    with pytest.raises(ValueError, match="need different ids"):
        stemma.align(a, a)
    other, _ = corpus_counts(articles[:3])
    with pytest.raises(ValueError, match="corpus of 6 documents"):
        stemma.align(a, stemma.prepare(articles[2], other))
    with pytest.raises(TypeError, match="must be a stemma.Prepared"):
        stemma.align(a, articles[1])
    with pytest.raises(ValueError, match="given twice"):
        stemma.derive([pair, back])
    with pytest.raises(TypeError, match="not a single one"):
        stemma.derive(pair)
    with pytest.raises(ValueError, match=r'^article \("x"\): "text" is empty'):
        stemma.prepare({"id": "x", "text": ""}, corpus)
    with pytest.raises(ValueError, match="not the bytes"):
        stemma.Prepared.from_bytes(b"nonsense")


def test_count_shared_keys_is_posting_pairs_counted_per_pair():
    articles = demo_articles() + OTHERS
    _, found = corpus_counts(articles)
    postings = postings_of(found)
    want, banal = shared_key_counts(postings)
    got, got_banal = stemma.count_shared_keys(postings.items())
    assert got == sorted((a, b, *s) for (a, b), s in want.items()) and got_banal == banal
    many = [(1, [(f"d{k:02}", False) for k in range(65)]), (2, [("x", True), ("y", False)])]
    assert stemma.count_shared_keys(many) == ([("x", "y", 1, int(stemma.key_is_narrative(2)), True)], 1)
