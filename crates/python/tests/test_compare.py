"""stemma.compare: two texts, their relation, evidence and word diffs."""

import re
import shutil

import pytest

import stemma
from conftest import EXAMPLES, demo_text, run_json

# An invented wire paragraph and an edited copy of it, and an unrelated text.
WIRE = (
    "Border villages were evacuated after heavy shelling on Monday, officials said. "
    "The governor said two civilians were injured while being evacuated from their homes. "
    "Temporary shelters were set up for about 9,300 displaced people in the district."
)
UNRELATED = (
    "The council approved a new budget for the city library on Thursday. "
    "Opening hours will be extended on weekends from next month, the head librarian told reporters. "
    "A reading programme for children starts in the spring."
)


def check_groups(result, a_text, b_text):
    """What every comparison must hold: groups in A's order, texts cut from the inputs, diffs
    that rebuild the texts, kinds that match the sentence counts."""
    starts = [g["a_sentences"][0] for g in result["alignments"]]
    assert starts == sorted(starts)
    for g in result["alignments"]:
        # A group's sentences are joined by one space; one sentence is the input's exact text.
        if g["kind"] == "one_to_one":
            assert g["a_text"] in a_text and g["b_text"] in b_text
        assert g["a_text"][:20] in a_text and g["b_text"][:20] in b_text
        assert "".join(run["a"] for run in g["diff"]) == g["a_text"]
        assert "".join(run["b"] for run in g["diff"]) == g["b_text"]
        assert {run["op"] for run in g["diff"]} <= {"equal", "delete", "insert", "replace"}
        shape = (len(g["a_sentences"]), len(g["b_sentences"]))
        expected = {(1, 1): "one_to_one"}.get(shape) or (
            "split" if shape[0] == 1 else "merge" if shape[1] == 1 else "group"
        )
        assert g["kind"] == expected
        assert 0.0 <= g["score"] <= 1.0


def test_a_copy_is_a_duplicate():
    result = stemma.compare(WIRE, WIRE, a_id="wire", b_id="copy")
    assert result["relation"] == "duplicate"
    assert (result["a"], result["b"]) == ("wire", "copy")
    assert result["coverage_a"] == result["coverage_b"] == 1.0
    assert result["verbatim_share"] == 1.0
    assert [g["kind"] for g in result["alignments"]] == ["one_to_one"] * 3
    assert all([r["op"] for r in g["diff"]] == ["equal"] for g in result["alignments"])
    check_groups(result, WIRE, WIRE)


def test_a_syndicated_copy_and_a_spun_rewrite():
    wire = demo_text("wire")
    syndicated = stemma.compare(wire, demo_text("syndicated"), a_id="wire", b_id="syndicated")
    assert syndicated["relation"] == "syndicated"
    assert syndicated["verbatim_share"] >= 0.6
    spun_text = demo_text("spun")
    spun = stemma.compare(wire, spun_text, a_id="wire", b_id="spun")
    assert spun["relation"] == "rewrite"
    assert spun["verbatim_share"] < 0.6
    assert min(spun["narrative_coverage_a"], spun["narrative_coverage_b"]) >= 0.45
    assert spun["narrative_groups"] >= 10
    # A spun rewrite splits and merges sentences and moves blocks (README's excerpt of diff).
    kinds = {g["kind"] for g in spun["alignments"]}
    assert {"one_to_one", "split", "merge"} <= kinds
    assert any(not g["in_order"] for g in spun["alignments"])
    assert any(r["op"] == "replace" for g in spun["alignments"] for r in g["diff"])
    check_groups(spun, wire, spun_text)
    check_groups(syndicated, wire, demo_text("syndicated"))


def test_unrelated_texts_and_independent_reports_of_one_event_have_no_relation():
    unrelated = stemma.compare(WIRE, UNRELATED)
    assert unrelated["relation"] is None
    assert unrelated["score"] == 0.0
    assert unrelated["alignments"] == []
    # Same names, numbers and quotes, a different telling: aligned in places, but no relation.
    independent = stemma.compare(demo_text("wire"), demo_text("independent"))
    assert independent["relation"] is None
    assert independent["score"] == 0.0
    assert independent["alignments"], "the shared quotes and facts still align"


def test_the_first_text_stays_a_whatever_the_ids():
    wire, spun = demo_text("wire"), demo_text("spun")
    forward = stemma.compare(wire, spun, a_id="wire", b_id="spun")
    # "spun" sorts before "wire": the library compares them the other way round.
    backward = stemma.compare(spun, wire, a_id="spun", b_id="wire")
    assert (backward["a"], backward["b"]) == ("spun", "wire")
    for x, y in [("coverage_a", "coverage_b"), ("narrative_coverage_a", "narrative_coverage_b")]:
        assert forward[x] == backward[y] and forward[y] == backward[x]
    for key in ["relation", "score", "probability", "verbatim_share", "narrative_groups"]:
        assert forward[key] == backward[key]
    mirrored = sorted(
        (g["b_sentences"], g["a_sentences"], g["b_text"], g["a_text"], g["score"])
        for g in backward["alignments"]
    )
    assert mirrored == sorted(
        (g["a_sentences"], g["b_sentences"], g["a_text"], g["b_text"], g["score"])
        for g in forward["alignments"]
    )
    check_groups(backward, spun, wire)


def test_the_relation_and_evidence_are_those_of_analyze_on_the_two_alone(stemma_bin, tmp_path):
    # The two files alone, without the demo's metadata (its titles would mark the headlines).
    for name in ["wire", "spun"]:
        shutil.copy(EXAMPLES / f"{name}.txt", tmp_path / f"{name}.txt")
    report = run_json(stemma_bin, "analyze", tmp_path, "--format", "json")
    [pair] = report["pairs"]
    assert (pair["a"], pair["b"]) == ("spun", "wire")
    result = stemma.compare(demo_text("spun"), demo_text("wire"), a_id="spun", b_id="wire")
    for key in [
        "relation",
        "score",
        "probability",
        "coverage_a",
        "coverage_b",
        "verbatim_share",
        "immutable_share",
    ]:
        assert result[key] == pair[key], key
    fields = ["a_sentences", "b_sentences", "a_text", "b_text", "score"]
    assert [{k: g[k] for k in fields} for g in result["alignments"]] == pair["aligned"]


def test_groups_have_the_shape_of_stemma_diff_json(stemma_bin):
    diff = run_json(stemma_bin, "diff", "--format", "json", "examples/wire.txt", "examples/spun.txt")
    result = stemma.compare(demo_text("wire"), demo_text("spun"), a_id="wire", b_id="spun")
    assert set(diff) - {"alignments"} <= set(result)
    assert set(diff["alignments"][0]) <= set(result["alignments"][0])
    assert set(diff["alignments"][0]["diff"][0]) == set(result["alignments"][0]["diff"][0])


def test_the_learned_decision():
    result = stemma.compare(demo_text("wire"), demo_text("syndicated"), decision="learned")
    assert result["relation"] == "syndicated"
    assert result["probability"] > 0.5


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"a_id": "x", "b_id": "x"}, ValueError, 'a_id and b_id are both "x"'),
        ({"a_id": "  "}, ValueError, '"a_id" is empty'),
        ({"b_id": "b\n"}, ValueError, "control characters"),
        ({"decision": "vote"}, ValueError, 'decision must be "rules" or "learned", not "vote"'),
        ({"a_id": 1}, TypeError, "a_id must be a str, not int"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        stemma.compare(WIRE, UNRELATED, **kwargs)


def test_bad_texts():
    with pytest.raises(ValueError, match='"b" is empty'):
        stemma.compare(WIRE, " \n")
    with pytest.raises(TypeError, match="a must be a str, not bytes"):
        stemma.compare(WIRE.encode(), WIRE)
