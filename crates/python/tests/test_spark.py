"""The Spark job (`python -m stemma_spark`) on `local[2]` gives the report of `stemma.analyze`
(the CLI's JSON, tests/test_analyze.py) on the same articles. Skipped without pyspark or Java."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

import stemma

from conftest import ROOT, demo_articles, read_text, run_json

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime for Spark (java is not on PATH and JAVA_HOME is unset)",
                allow_module_level=True)

from stemma_spark import NoArticles, run, write_tables  # noqa: E402

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("stemma-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def write_jsonl(path, articles):
    with open(path, "w", encoding="utf-8") as f:
        for article in articles:
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    return str(path)


def assert_same_answer(job, whole):
    """The job's report equals analyze's: related pairs with relations, probabilities and aligned
    groups, edges, families, nodes, documents; and the stats."""
    assert [(p["a"], p["b"], p["relation"], p["probability"]) for p in job["pairs"]] == [
        (p["a"], p["b"], p["relation"], p["probability"]) for p in whole["pairs"]
    ]
    assert job["edges"] == whole["edges"]
    assert job["families"] == whole["families"]
    assert job["nodes"] == whole["nodes"]
    assert job["documents"] == whole["documents"]
    assert job["pairs"] == whole["pairs"]
    assert job["stats"] == whole["stats"]
    assert sorted(map(json.dumps, job["diagnostics"])) == sorted(map(json.dumps, whole["diagnostics"]))


def test_the_demo_corpus_as_the_command(tmp_path):
    # The command line as a user runs it, a JVM of its own; a bad line is said and skipped.
    source = write_jsonl(tmp_path / "demo.jsonl", demo_articles())
    with open(source, "a", encoding="utf-8") as f:
        f.write('{"id": "wire", "text": "A second wire."}\n')
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "stemma_spark", source, "--output", str(out), "--master", "local[2]",
         "--tables", str(tmp_path / "tables")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    said = f'{source}:7: duplicate id "wire": already read from {source}:6; this one is skipped'
    assert said in done.stderr.splitlines()
    job = json.loads(out.read_text(encoding="utf-8"))
    assert job["diagnostics"][0]["line"] == 7
    job["diagnostics"] = job["diagnostics"][1:]
    assert_same_answer(job, stemma.analyze(demo_articles()))
    assert len(job["pairs"]) == 10 and len(job["edges"]) >= 4
    assert '"candidate_pairs"' in done.stderr
    assert (tmp_path / "tables" / "edges.parquet").is_dir()


def test_the_demo_corpus_from_parquet_with_the_tables(spark, tmp_path):
    articles = demo_articles()
    frame = spark.createDataFrame(
        [tuple(a.get(k) for k in ("id", "text", "title", "publisher", "url", "published"))
         for a in articles],
        "id string, text string, title string, publisher string, url string, published string",
    )
    frame.write.parquet(str(tmp_path / "demo.parquet"))
    job, info = run(spark, [str(tmp_path / "demo.parquet")], parts=3)
    assert_same_answer(job, stemma.analyze(articles))
    assert info["components"] == 1 and info["largest_component"] == 6
    write_tables(spark, job, str(tmp_path / "tables"))
    edges = spark.read.parquet(str(tmp_path / "tables" / "edges.parquet")).collect()
    assert sorted((e.source, e.target) for e in edges) == sorted(
        (e["source"], e["target"]) for e in job["edges"])


def test_a_generated_corpus_of_10000_articles(spark, stemma_bin, tmp_path):
    # Issue 17's "same answer" on 10,000 generated articles (about two minutes on local[2]; the
    # largest component holds most of the corpus, so the last stage is one long task).
    subprocess.run([stemma_bin, "bench", "generate", "--docs", "10000", "--seed", "3", "--out",
                    str(tmp_path)], check=True, capture_output=True)
    corpus = tmp_path / "corpus.jsonl"
    articles = [json.loads(line) for line in read_text(corpus).splitlines() if line.strip()]
    started = time.perf_counter()
    # stemma.analyze is `stemma analyze --format json` in-process (test_analyze.py checks the two
    # equal); the binary CI builds is a debug one, ten times slower.
    whole = stemma.analyze(articles)
    alone = time.perf_counter() - started
    del articles
    started = time.perf_counter()
    job, info = run(spark, [str(corpus)])
    on_spark = time.perf_counter() - started
    print(f"\n10000 generated articles: stemma.analyze {alone:.1f} s, local[2] {on_spark:.1f} s; {info}")
    assert len(whole["pairs"]) > 10000 and info["components"] > 100
    assert info["skipped"] == {"lines": 0, "duplicate_ids": 0, "empty_files": 0}
    assert_same_answer(job, whole)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason=f"{SHARED_SEEDS} is absent")
def test_the_seeds(spark, tmp_path):
    articles = [{"id": p.stem, "text": read_text(p)} for p in sorted(SHARED_SEEDS.glob("*.txt"))]
    job, _ = run(spark, [write_jsonl(tmp_path / "seeds.jsonl", articles)])
    assert_same_answer(job, stemma.analyze(articles))


def malformed_corpus(tmp_path):
    """The demo corpus in two JSONL files with every kind of bad line between its articles, a file
    of noise (more bad lines than are reported one by one) and an empty file."""
    articles = demo_articles()
    good = [json.dumps(a, ensure_ascii=False).encode("utf-8") for a in articles]
    one = [
        b"\xef\xbb\xbf" + good[0],                       # 1: a byte-order mark, read
        b'{"id": "bad-json", "text": ',                   # 2: not JSON
        b"",                                              # 3: blank, ignored
        b'{"text": "no id at all"}',                      # 4: no id
        good[1],                                          # 5
        b'{"id": "no-text"}',                             # 6: no text
        b'{"id": "blank-text", "text": "   "}',           # 7: empty text
        b'{"id": "x\xff", "text": "not UTF-8"}',          # 8: not UTF-8
        good[2] + b"\r",                                  # 9: a CRLF line end, read
        json.dumps({**articles[0], "text": "A second wire."}).encode(),  # 10: duplicate id
        json.dumps({"id": "late", "text": articles[3]["text"] + " Late edition.",
                    "published": "2023-02-30"}).encode(),  # 11: read without its time
        b'["an", "array"]',                               # 12: not an object
    ]
    two = [good[3], good[4], json.dumps({**articles[1], "text": "Again."}).encode(), good[5]]
    noise = [b"not json"] * 25 + [b'{"id": "kept", "text": "The mill closed on Friday."}']
    paths = []
    for name, lines in (("one.jsonl", one), ("two.jsonl", two), ("noise.jsonl", noise),
                        ("empty.jsonl", [])):
        path = tmp_path / name
        path.write_bytes(b"\n".join(lines) + (b"\n" if lines else b""))
        paths.append(str(path))
    return paths


def test_malformed_lines_are_reported_as_the_cli_reports_them(spark, stemma_bin, tmp_path):
    paths = malformed_corpus(tmp_path)
    job, info = run(spark, paths)
    cli = run_json(stemma_bin, "analyze", "--format", "json", *paths)
    # Nothing dropped silently: each bad line, empty file and duplicate id named with its file and
    # line, in the CLI's words and order, before the analysis's own diagnostics.
    assert job["diagnostics"] == cli["diagnostics"]
    assert_same_answer(job, cli)
    def said(name, line, start):
        return any(pathlib.Path(d["source"]).name == name and d["line"] == line
                   and d["message"].startswith(start) for d in job["diagnostics"])

    assert said("one.jsonl", 2, "not valid JSON: EOF while parsing")
    assert said("one.jsonl", 4, "not an article: missing field `id`")
    assert said("one.jsonl", 6, "not an article: missing field `text`")
    assert said("one.jsonl", 7, '"text" is empty; skipped')
    assert said("one.jsonl", 8, "not valid UTF-8; skipped")
    assert said("one.jsonl", 10, f'duplicate id "independent": already read from {paths[0]}:1;')
    assert said("one.jsonl", 11, 'cannot read "2023-02-30" as a time')
    assert said("two.jsonl", 3, f'duplicate id "partial": already read from {paths[0]}:5;')
    assert said("noise.jsonl", 20, "not valid JSON") and not said("noise.jsonl", 21, "")
    assert said("noise.jsonl", None, "5 more bad lines not shown")
    assert said("empty.jsonl", None, "empty file (no lines); nothing read")
    assert {d["id"] for d in job["documents"]} >= {"late", "kept", "wire"}
    assert info["skipped"] == {"lines": 6 + 25, "duplicate_ids": 2, "empty_files": 1}


def test_nothing_readable_is_an_error_with_the_reasons(spark, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(NoArticles, match="no article could be read") as raised:
        run(spark, [str(bad)])
    assert [(d["line"], d["message"][:34]) for d in raised.value.diagnostics] == [
        (1, "not an article: missing field `tex"), (2, "not valid JSON: expected ident (co")]
