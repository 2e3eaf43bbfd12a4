"""The examples of the docstrings and of the package README hold."""

import doctest
import re

import stemma
from conftest import ROOT


def test_docstring_examples():
    failed, attempted = doctest.testmod(stemma)
    assert attempted >= 3 and failed == 0


def test_every_public_function_has_a_docstring():
    for name in ["compare", "analyze", "read_html"]:
        assert len(getattr(stemma, name).__doc__) > 200, name
    for name in ["compare", "analyze", "read_html"]:
        assert getattr(stemma._stemma, name).__doc__, name


WIRE = (
    "Border villages were evacuated after heavy shelling on Monday, officials said. "
    "The governor said two civilians were injured while being evacuated from their homes. "
    "Temporary shelters were set up for about 9,300 displaced people in the district."
)
SPUN = (
    "Villages near the border were evacuated following intense shelling on Monday, authorities stated. "
    "Two civilians were hurt while being moved out of their homes, according to the governor. "
    "Temporary shelters were set up for some 9,300 displaced people in the district."
)


def test_the_readme_examples():
    result = stemma.compare(WIRE, SPUN, a_id="wire", b_id="spun")
    assert result["relation"] == "rewrite"
    assert result["verbatim_share"] == 0.5492
    group = result["alignments"][1]
    assert (group["a_sentences"], group["b_sentences"], group["kind"]) == ([1], [1], "one_to_one")
    assert group["diff"][:3] == [
        {"op": "delete", "a": "The governor said ", "b": ""},
        {"op": "equal", "a": "two civilians were ", "b": "Two civilians were "},
        {"op": "replace", "a": "injured ", "b": "hurt "},
    ]
    report = stemma.analyze(
        [
            {"id": "wire", "text": WIRE, "publisher": "Northwire", "published": "2025-03-03T08:12Z"},
            {"id": "spun", "text": SPUN, "published": "2025-03-03T19:48Z"},
            {"id": "other", "text": "The council approved a new budget for the city library on Thursday."},
        ]
    )
    assert report["edges"] == [
        {"source": "wire", "target": "spun", "relation": "rewrite", "direction": "timestamp", "confidence": 1.0}
    ]
    assert report["families"] == [{"members": ["wire", "spun"], "missing_sources": []}]


def test_the_version_is_the_workspaces():
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    [version] = re.findall(r'(?m)^version = "([^"]+)"', cargo)
    assert stemma.__version__ == version


def test_the_readme_stage_example():
    from collections import Counter

    articles = [{"id": "wire", "text": WIRE, "published": "2025-03-03T08:12Z"},
                {"id": "spun", "text": SPUN, "published": "2025-03-03T19:48Z"}]
    terms, lines = Counter(), Counter()
    for article in articles:
        k = stemma.keys(article)
        terms.update(k["terms"])
        lines.update(k["lines"])
    corpus = stemma.counts(len(articles), terms, lines)
    wire_p, spun_p = (stemma.prepare(a, corpus) for a in articles)
    pair = stemma.align(wire_p, spun_p)
    assert (pair.relation, pair.comparison["coverage_a"]) == ("rewrite", 1.0)
    assert stemma.derive([pair])["edges"] == [
        {"source": "wire", "target": "spun", "relation": "rewrite", "direction": "timestamp",
         "confidence": 1.0}]
