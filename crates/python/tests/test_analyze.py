"""stemma.analyze: a corpus, the report of `stemma analyze --format json`."""

import datetime
import json
import random
import re

import pytest

import stemma
from conftest import EXAMPLES, demo_articles, run_json

TEXT = (
    "Border villages were evacuated after heavy shelling on Monday, officials said. "
    "The governor said two civilians were injured while being evacuated from their homes. "
    "Temporary shelters were set up for about 9,300 displaced people in the district."
)


def test_the_demo_corpus_report_equals_the_cli_json(stemma_bin):
    expected = run_json(stemma_bin, "analyze", EXAMPLES, "--format", "json")
    assert stemma.analyze(demo_articles()) == expected


def test_articles_as_dicts_equal_the_same_articles_as_a_jsonl_file(stemma_bin, tmp_path):
    corpus = tmp_path / "demo.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in demo_articles()), encoding="utf-8")
    expected = run_json(stemma_bin, "analyze", corpus, "--format", "json")
    assert stemma.analyze(demo_articles()) == expected


def test_the_demo_corpus_relations():
    # What README.md says of the demo corpus, checked without the binary.
    report = stemma.analyze(demo_articles())
    assert report["stats"]["documents"] == 6
    assert report["stats"]["related_pairs"] == 10
    [family] = report["families"]
    assert family["members"] == ["wire", "syndicated", "second_generation", "spun", "partial"]
    relations = {(p["a"], p["b"]): p["relation"] for p in report["pairs"]}
    assert relations[("spun", "wire")] == "rewrite"
    assert relations[("syndicated", "wire")] == "syndicated"
    assert relations[("partial", "wire")] == "partial"
    assert not any("independent" in pair for pair in relations)
    edges = {(e["source"], e["target"]) for e in report["edges"]}
    assert ("syndicated", "second_generation") in edges and ("wire", "partial") in edges
    wire = next(d for d in report["documents"] if d["id"] == "wire")
    assert (wire["published"], wire["published_from"]) == ("2025-03-03T08:12:00Z", "metadata")
    assert wire["publisher"] == "Northwire"


def test_the_report_does_not_depend_on_the_input_order():
    articles = demo_articles()
    shuffled = articles[:]
    random.Random(17).shuffle(shuffled)
    assert shuffled != articles
    assert stemma.analyze(iter(shuffled)) == stemma.analyze(articles)


def test_all_pairs_aligns_every_pair_and_finds_the_same_links():
    candidates = stemma.analyze(demo_articles())
    every = stemma.analyze(demo_articles(), all_pairs=True)
    assert every["stats"]["aligned_pairs"] == every["stats"]["all_pairs"] == 15
    assert every["pairs"] == candidates["pairs"]


def test_the_learned_decision_equals_the_cli(stemma_bin):
    expected = run_json(stemma_bin, "analyze", EXAMPLES, "--format", "json", "--decision", "learned")
    assert stemma.analyze(demo_articles(), decision="learned") == expected


def test_sources_against_targets_equals_the_cli(stemma_bin):
    targets = [EXAMPLES / f"{name}.txt" for name in ["partial", "spun", "syndicated"]]
    expected = run_json(
        stemma_bin,
        "analyze",
        "--sources",
        EXAMPLES / "wire.txt",
        EXAMPLES / "independent.txt",
        "--targets",
        *targets,
        "--format",
        "json",
    )
    wanted = {"wire", "independent", "partial", "spun", "syndicated"}
    articles = [a for a in demo_articles() if a["id"] in wanted]
    assert stemma.analyze(articles, sources=["wire", "independent"]) == expected


def test_sources_compare_only_across():
    report = stemma.analyze(demo_articles(), sources=("wire",))
    assert report["stats"]["all_pairs"] == 5
    assert report["pairs"], "the wire is related to its copies"
    assert all("wire" in (p["a"], p["b"]) for p in report["pairs"])
    # syndicated → second_generation is not compared: both are targets.
    assert all(e["source"] == "wire" for e in report["edges"])


def test_sources_declare_the_direction_when_times_do_not():
    articles = [{"id": "wire", "text": TEXT}, {"id": "copy-1", "text": TEXT}]
    report = stemma.analyze(articles, sources=["wire"])
    [edge] = report["edges"]
    assert (edge["source"], edge["target"], edge["direction"]) == ("wire", "copy-1", "declared")


def dataframe(rows):
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    return pandas, pandas.DataFrame(rows)


def test_a_dataframe_gives_the_same_report():
    articles = demo_articles()
    pandas, frame = dataframe(articles)
    assert stemma.analyze(frame) == stemma.analyze(articles)
    # Times as a datetime column, a title missing (NaN): the same as strings and an absent key.
    frame["published"] = pandas.to_datetime(frame["published"], utc=True)
    frame.loc[frame["id"] == "spun", "title"] = float("nan")
    without_title = [{k: v for k, v in a.items() if not (a["id"] == "spun" and k == "title")} for a in articles]
    assert stemma.analyze(frame) == stemma.analyze(without_title)


def test_a_dataframe_with_nullable_strings():
    articles = [{"id": "wire", "text": TEXT, "title": None}, {"id": "copy", "text": TEXT, "title": "Copy"}]
    pandas, frame = dataframe(articles)
    assert stemma.analyze(frame.astype("string")) == stemma.analyze(articles)
    # Older pandas hand pandas.NA itself over in records.
    with_na = [{**articles[0], "title": pandas.NA}, articles[1]]
    assert stemma.analyze(with_na) == stemma.analyze(articles)


def test_a_dataframe_with_missing_times():
    pandas, frame = dataframe([{"id": "wire", "text": TEXT, "published": None}, {"id": "copy", "text": TEXT, "published": "2025-03-03"}])
    frame["published"] = pandas.to_datetime(frame["published"], utc=True)
    documents = {d["id"]: d for d in stemma.analyze(frame)["documents"]}
    assert documents["wire"]["published"] is None
    assert documents["copy"]["published"] == "2025-03-03T00:00:00Z"


def test_times_in_the_forms_the_cli_reads():
    articles = [
        {"id": "a", "text": TEXT, "published": "3 March 2025 08:12 GMT"},
        {"id": "b", "text": TEXT, "published": datetime.date(2025, 3, 4)},
        {"id": "c", "text": TEXT, "published": datetime.datetime(2025, 3, 5, 9, 30, 15, 250000)},
        {"id": "d", "text": TEXT + "\nPublished: 6 March 2025\n"},
    ]
    documents = {d["id"]: d for d in stemma.analyze(articles)["documents"]}
    assert documents["a"]["published"] == "2025-03-03T08:12Z"
    assert documents["b"]["published"] == "2025-03-04"
    assert documents["c"]["published"] == "2025-03-05T09:30:15.250Z"
    # A time only in the text is found there, and said to come from the text.
    assert (documents["d"]["published"], documents["d"]["published_from"]) == ("2025-03-06", "text")


def test_a_time_in_the_future_is_set_aside_and_said():
    report = stemma.analyze([{"id": "typo", "text": TEXT, "published": "2999-01-01"}])
    assert report["documents"][0]["published"] is None
    [diagnostic] = report["diagnostics"]
    assert diagnostic["source"] == "typo"
    assert "in the future" in diagnostic["message"]


def test_an_empty_corpus_gives_an_empty_report():
    report = stemma.analyze([])
    assert report["documents"] == [] and report["pairs"] == []
    assert report["stats"]["documents"] == 0


def test_other_keys_are_ignored_and_blank_fields_absent():
    report = stemma.analyze([{"id": "a", "text": TEXT, "title": "  ", "lang": "en", "score": 3}])
    assert report["documents"][0]["title"] is None


@pytest.mark.parametrize(
    "articles, message",
    [
        ([{"text": TEXT}], 'articles[0]: "id" is missing'),
        ([{"id": " ", "text": TEXT}], 'articles[0]: "id" is empty'),
        ([{"id": "a"}], 'articles[0] ("a"): "text" is missing'),
        ([{"id": "a", "text": "\n"}], 'articles[0] ("a"): "text" is empty'),
        (
            [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}, {"id": "a", "text": TEXT}],
            'articles[2]: duplicate id "a": already given by articles[0]',
        ),
        (
            [{"id": "a", "text": TEXT}, {"id": "late", "text": TEXT, "published": "someday"}],
            'articles[1] ("late"): cannot read "someday" as a time: no date found',
        ),
        (
            [{"id": "a", "text": TEXT, "published": "2023-02-30"}],
            'articles[0] ("a"): cannot read "2023-02-30" as a time: February 2023 has no day 30',
        ),
        ([{"id": "a\tb", "text": TEXT}], "control characters"),
        (
            [{"id": "a", "text": TEXT, "published": "2025-03-03", "published_from": "dateline"}],
            '"published_from" must be "metadata", "page" or "text", not "dateline"',
        ),
    ],
)
def test_bad_articles_raise_value_errors_naming_them(articles, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        stemma.analyze(articles)


def test_bad_options_raise():
    articles = [{"id": "a", "text": TEXT}]
    with pytest.raises(ValueError, match=re.escape('sources: "wyre" is not the id of any article')):
        stemma.analyze(articles, sources=["wyre"])
    with pytest.raises(ValueError, match=re.escape('not "vote"')):
        stemma.analyze(articles, decision="vote")
    with pytest.raises(TypeError, match="sources must be an iterable of ids, not a single string"):
        stemma.analyze(articles, sources="a")
    with pytest.raises(TypeError, match="all_pairs must be a bool"):
        stemma.analyze(articles, all_pairs="yes")


@pytest.mark.parametrize(
    "articles, message",
    [
        ({"id": "a", "text": TEXT}, "not a single dict"),
        ("wire", "not a single str"),
        (42, "not int"),
        (["wire"], "articles[0] must be a dict, not str"),
        ([{"id": 7, "text": TEXT}], 'articles[0]: "id" must be a str, not int'),
        ([{"id": "a", "text": TEXT, "title": 3}], 'articles[0] ("a"): "title" must be a str, not int'),
        ([{"id": "a", "text": TEXT, "published": 2025}], '"published" must be a str or a datetime, not int'),
    ],
)
def test_wrong_types_raise_type_errors(articles, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        stemma.analyze(articles)


def test_the_report_is_plain_json_data():
    report = stemma.analyze(demo_articles())
    assert json.loads(json.dumps(report)) == report
