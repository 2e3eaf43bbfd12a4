"""The Spark job: a corpus analysed in stages whose rules all come from stemma's Rust library.

1. **keys** (a map, then a ``reduceByKey`` of term and line keys): the documents of every term and
   body line, and N; keys found in one document only are dropped (they count as 0 outside the
   article that has them either way). Collected on the driver into a :class:`stemma.Counts` and
   broadcast.
2. **features** (a map with the broadcast counts): each article's candidate features and keys,
   with the whole corpus's term weights and repeated lines; the features' document counts are
   reduced, collected and broadcast with the rest (:func:`stemma.analyze_part` needs them).
3. **candidates** (a shuffle by key, ``groupByKey``): each key's documents paired by
   :func:`stemma.posting_pairs` (none for a banal key, in more than 64 documents), then a
   ``reduceByKey`` per pair of how many keys it shares, narrative ones apart, and the rule
   :func:`stemma.is_candidate`.
4. **components** (iterated joins): every document labelled with the smallest id of its connected
   component of candidate pairs, by repeated min-label propagation until nothing changes (as many
   rounds as the longest shortest path in a component, plus one).
5. **parts** (a shuffle of the articles by part): components (and the documents in no candidate
   pair) hashed into parts; each part analysed by :func:`stemma.analyze_part` with the broadcast
   counts; the reports collected and merged on the driver (:func:`stemma_spark.merge_reports`).

``stemma analyze`` caps each document's candidate partners at the 1000 it shares most with. The job
does not: a component of the uncapped pairs is a union of components of the capped ones, and
:func:`stemma.analyze_part` applies the cap inside it, so the answer is the same and only the parts
can be bigger.
"""

from __future__ import annotations

import json
import operator
import time
import zlib
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import stemma

from .merge import merge_reports

#: The article fields the job keeps (what stemma reads); the others are dropped when read.
FIELDS = ("id", "text", "title", "publisher", "url", "published", "published_from")


def _fields(row: Dict[str, Any]) -> Dict[str, Any]:
    return {k: row.get(k) for k in FIELDS if row.get(k) is not None}


def read_articles(spark: Any, paths: Sequence[str]) -> Any:
    """The articles of JSONL files (one JSON object per line) or Parquet files/folders (by a
    ``.parquet`` name or a folder of them), as an RDD of article dicts."""
    sc = spark.sparkContext
    rdds = []
    for path in paths:
        if path.rstrip("/").endswith(".parquet") or _is_parquet_dir(path):
            rows = spark.read.parquet(path).rdd.map(lambda r: _fields(r.asDict()))
        else:
            rows = (
                sc.textFile(path)
                .filter(lambda line: line.strip())
                .map(lambda line: _fields(json.loads(line)))
            )
        rdds.append(rows)
    return rdds[0] if len(rdds) == 1 else sc.union(rdds)


def _is_parquet_dir(path: str) -> bool:
    import os

    return os.path.isdir(path) and any(f.endswith(".parquet") for f in os.listdir(path))


def _stable_hash(text: str) -> int:
    """A hash that every Python worker agrees on (``hash`` of a str is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def _key_entries(article: Dict[str, Any]) -> Iterator[Tuple[Tuple[int, int], int]]:
    k = stemma.keys(article)
    for term in k["terms"]:
        yield (0, term), 1
    for line in k["lines"]:
        yield (1, line), 1


def _with_features(counts: Any) -> Any:
    def run(articles: Iterable[Dict[str, Any]]) -> Iterator[Tuple[str, Dict[str, Any]]]:
        corpus = counts.value
        for article in articles:
            yield article["id"], stemma.features(article, corpus)

    return run


def _pairs_of(entry: Tuple[int, Iterable[Tuple[str, bool]]]) -> List[Tuple[Any, Any]]:
    key, postings = entry
    pairs = stemma.posting_pairs(list(postings))
    if pairs is None:
        return [("banal", 1)]
    narrative = int(stemma.key_is_narrative(key))
    return [((a, b), (1, narrative, short)) for a, b, short in pairs]


def _add_shared(x: Tuple[int, int, bool], y: Tuple[int, int, bool]) -> Tuple[int, int, bool]:
    return x[0] + y[0], x[1] + y[1], x[2] or y[2]


def components(edges: Any, partitions: int, max_rounds: int = 1000) -> Tuple[Any, int]:
    """``(id, label)`` for every document in a candidate pair, the label being the smallest id of
    its connected component: min-label propagation over ``edges`` (both directions), repeated until
    no label changes. Returns the labels and the number of rounds. Edges and labels are kept in
    ``partitions`` hash partitions, so that the joins do not shuffle the edges again and the
    partitions do not multiply round after round."""
    edges = edges.partitionBy(partitions).cache()
    labels = edges.keys().distinct(partitions).map(lambda v: (v, v), True).cache()
    for rounds in range(1, max_rounds + 1):
        offers = edges.join(labels, partitions).map(lambda e: (e[1][0], e[1][1]))
        updated = labels.union(offers).reduceByKey(min, partitions).cache()
        changed = updated.join(labels, partitions).filter(lambda e: e[1][0] != e[1][1]).count()
        labels.unpersist()
        labels = updated
        if changed == 0:
            edges.unpersist()
            return labels, rounds
    raise RuntimeError(f"connected components did not settle in {max_rounds} rounds")


def run(
    spark: Any,
    paths: Sequence[str],
    *,
    parts: Optional[int] = None,
    decision: str = "rules",
    log: Any = None,
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Analyse the articles of ``paths`` on ``spark``: the report of ``stemma analyze`` on the
    same articles, and what the job did (stage times, sizes)."""
    sc = spark.sparkContext
    parts = parts or 2 * sc.defaultParallelism
    info: Dict[str, Any] = {"parts": parts, "seconds": {}}
    clock = [time.perf_counter()]

    def done(stage: str) -> None:
        now = time.perf_counter()
        info["seconds"][stage] = round(now - clock[0], 2)
        clock[0] = now
        if log:
            log(f"stemma_spark: {stage}: {info['seconds'][stage]:.1f} s")

    articles = read_articles(spark, paths).cache()
    ids = articles.map(lambda a: (a.get("id"), 1)).reduceByKey(operator.add)
    twice = ids.filter(lambda kv: kv[1] > 1).keys().take(1)
    if twice:
        raise ValueError(f"duplicate id {json.dumps(twice[0], ensure_ascii=False)}: ids must be unique")
    n = ids.count()
    info["documents"] = n

    # 1. Keys: documents per term and per line.
    keyed = articles.flatMap(_key_entries).reduceByKey(operator.add).filter(lambda kv: kv[1] > 1)
    terms: List[Tuple[int, int]] = []
    lines: List[Tuple[int, int]] = []
    for (kind, key), count in keyed.collect():
        (terms if kind == 0 else lines).append((key, count))
    counts = sc.broadcast(stemma.counts(n, terms, lines))
    done("keys")

    # 2. Features with the whole corpus's weights.
    featured = articles.mapPartitions(_with_features(counts)).cache()
    feature_counts = (
        featured.flatMap(lambda x: ((f, 1) for f in x[1]["features"]))
        .reduceByKey(operator.add)
        .filter(lambda kv: kv[1] > 1)
        .collect()
    )
    corpus = stemma.counts(n, terms, lines, feature_counts)
    info["counts"] = dict(zip(("terms", "lines", "features"), corpus.sizes()))
    counts.unpersist()
    whole = sc.broadcast(corpus)
    done("features")

    # 3. Candidate pairs: shuffle by key, pair, count per pair, keep by the rule.
    postings = featured.flatMap(lambda x: ((k, (x[0], x[1]["short"])) for k in x[1]["keys"]))
    shared = postings.groupByKey().flatMap(_pairs_of).cache()
    banal = shared.filter(lambda kv: kv[0] == "banal").count()
    candidates = (
        shared.filter(lambda kv: kv[0] != "banal")
        .reduceByKey(_add_shared)
        .filter(lambda kv: stemma.is_candidate(*kv[1]))
        .keys()
        .cache()
    )
    info["candidate_pairs"] = candidates.count()
    info["banal_features"] = banal
    shared.unpersist()
    featured.unpersist()
    done("candidates")

    # 4. Connected components of the candidate pairs.
    edges = candidates.flatMap(lambda p: ((p[0], p[1]), (p[1], p[0]))).cache()
    labels, rounds = components(edges, sc.defaultParallelism)
    sizes = labels.map(lambda kv: (kv[1], 1)).reduceByKey(operator.add).values()
    info["component_rounds"] = rounds
    info["components"] = sizes.count()
    info["largest_component"] = sizes.max() if info["components"] else 1
    done("components")

    # 5. Parts: components hashed into parts, each analysed with the counts of the whole.
    def part_of(entry: Tuple[str, Tuple[Dict[str, Any], Optional[str]]]) -> Tuple[int, Dict[str, Any]]:
        article, label = entry[1]
        return _stable_hash(label if label is not None else entry[0]) % parts, article

    def analyze(entry: Tuple[int, Iterable[Dict[str, Any]]]) -> Dict[str, Any]:
        return stemma.analyze_part(list(entry[1]), whole.value, decision=decision)

    reports = (
        articles.map(lambda a: (a["id"], a))
        .leftOuterJoin(labels)
        .map(part_of)
        .groupByKey(numPartitions=parts)
        .map(analyze)
        .collect()
    )
    report = merge_reports(reports, banal_features=banal)
    done("parts")
    whole.unpersist()
    labels.unpersist()
    edges.unpersist()
    candidates.unpersist()
    articles.unpersist()
    return report, info


def write_tables(spark: Any, report: Dict[str, Any], folder: str) -> None:
    """The related pairs (without their aligned groups) and the edges as Parquet tables
    ``folder/pairs.parquet`` and ``folder/edges.parquet``."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    pair_fields = ["a", "b", "relation", "score", "probability", "coverage_a", "coverage_b",
                   "verbatim_share", "immutable_share"]
    pair_schema = StructType(
        [StructField(f, StringType() if f in ("a", "b", "relation") else DoubleType(), f == "relation")
         for f in pair_fields]
    )
    rows = [tuple(p[f] if f in ("a", "b", "relation") else float(p[f]) for f in pair_fields)
            for p in report["pairs"]]
    spark.createDataFrame(rows, pair_schema).coalesce(1).write.mode("overwrite").parquet(
        f"{folder}/pairs.parquet"
    )
    edge_fields = ["source", "target", "relation", "direction", "confidence"]
    edge_schema = StructType(
        [StructField(f, DoubleType() if f == "confidence" else StringType(), f == "relation")
         for f in edge_fields]
    )
    rows = [tuple(float(e[f]) if f == "confidence" else e[f] for f in edge_fields)
            for e in report["edges"]]
    spark.createDataFrame(rows, edge_schema).coalesce(1).write.mode("overwrite").parquet(
        f"{folder}/edges.parquet"
    )
