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

from conftest import ROOT, demo_articles, read_text

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime for Spark (java is not on PATH and JAVA_HOME is unset)",
                allow_module_level=True)

from stemma_spark import run, write_tables  # noqa: E402

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
    # The command line as a user runs it, a JVM of its own.
    source = write_jsonl(tmp_path / "demo.jsonl", demo_articles())
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "stemma_spark", source, "--output", str(out), "--master", "local[2]",
         "--tables", str(tmp_path / "tables")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    job = json.loads(out.read_text(encoding="utf-8"))
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


def test_a_generated_corpus_of_2000_articles(spark, stemma_bin, tmp_path):
    subprocess.run([stemma_bin, "bench", "generate", "--docs", "2000", "--seed", "5", "--out",
                    str(tmp_path)], check=True, capture_output=True)
    corpus = tmp_path / "corpus.jsonl"
    articles = [json.loads(line) for line in read_text(corpus).splitlines() if line.strip()]
    started = time.perf_counter()
    whole = stemma.analyze(articles)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    job, info = run(spark, [str(corpus)])
    on_spark = time.perf_counter() - started
    print(f"\n2000 generated articles: stemma.analyze {alone:.1f} s, local[2] {on_spark:.1f} s; {info}")
    assert len(whole["pairs"]) > 1000 and info["components"] > 10
    assert_same_answer(job, whole)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason=f"{SHARED_SEEDS} is absent")
def test_the_seeds(spark, tmp_path):
    articles = [{"id": p.stem, "text": read_text(p)} for p in sorted(SHARED_SEEDS.glob("*.txt"))]
    job, _ = run(spark, [write_jsonl(tmp_path / "seeds.jsonl", articles)])
    assert_same_answer(job, stemma.analyze(articles))
