"""The Spark job: a corpus analysed in stages whose rules all come from stemma's Rust library.

1. **keys** (a map, then a ``reduceByKey`` of term and line keys): the documents of every term and
   body line, and N; keys found in one document only are dropped (they count as 0 outside the
   article that has them either way). Collected on the driver into a :class:`stemma.Counts` and
   broadcast.
2. **features** (a map with the broadcast counts): each article's candidate features and keys,
   with the whole corpus's term weights and repeated lines; the features' document counts are
   reduced, collected and broadcast with the rest (:func:`stemma.analyze_part` needs them), and so
   are the candidate keys' (a key in one document, or in more than the banal limit, pairs no one:
   only the keys between the two are paired in stage 3, the banal ones counted here).
3. **candidates** (a shuffle by key, ``groupByKey``): each key's documents paired and the keys
   each pair shares counted, narrative ones apart, by :func:`stemma.count_shared_keys` on a batch
   of keys at a time (none for a banal key, in more than 64 documents), then a ``reduceByKey`` per
   pair of those counts, and the rule :func:`stemma.is_candidate`.
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
from stemma import _stemma

from .merge import merge_reports

#: The article fields the job keeps (what stemma reads); the others are dropped when read.
FIELDS = ("id", "text", "title", "publisher", "url", "published", "published_from")

#: A line's place while the job runs: (input index, file URI, start of its block in the file, row in
#: the block). Tuples of places sort in reading order; the line number is found once the blocks are
#: counted (:class:`Reading`).
Place = Tuple[int, str, int, int]


class NoArticles(ValueError):
    """Nothing readable was given: every input was empty, unreadable or made of bad lines (the
    CLI's exit status 2). ``diagnostics`` says why, input by input."""

    def __init__(self, diagnostics: List[Dict[str, Any]]) -> None:
        super().__init__("no article could be read")
        self.diagnostics = diagnostics


def _local_path(uri: str) -> Optional[str]:
    """The path of a ``file:`` URI, else ``None``."""
    from urllib.parse import unquote

    if not uri.startswith("file:"):
        return None
    path = uri[len("file:"):]
    if path.startswith("//"):
        path = path[2:]
    return unquote(path)


def _same_file(uri: str) -> str:
    """A file's URI in one spelling (``file:///x`` and ``file:/x`` are the same file)."""
    local = _local_path(uri)
    return uri if local is None else "file:" + local


def shown_name(given: str, uri: str) -> str:
    """A file as the CLI would name it in a diagnostic: the input as given when it is that file, the
    input's name joined with the file's place under it when it is a folder, else the file's path
    (a URI outside the local file system as it is)."""
    import os

    local = _local_path(uri)
    if local is None or "://" in given:
        return uri
    base = os.path.abspath(given).rstrip("/") or "/"
    if local == base:
        return given
    if local.startswith(base.rstrip("/") + "/"):
        return os.path.join(given, local[len(base.rstrip("/")) + 1:])
    return local


def _parquet_line(row: Any, columns: Sequence[str]) -> bytes:
    """A Parquet row as the JSONL line of its article, so that one reader checks both."""
    out: Dict[str, Any] = {}
    for column in columns:
        value = row[column]
        if value is not None and hasattr(value, "isoformat"):
            value = value.isoformat()
        out[column] = value
    return json.dumps(out, ensure_ascii=False, default=str).encode("utf-8")


def _read_rows(index: int, columns: Optional[Sequence[str]]) -> Any:
    """Reads a partition of one input's rows (``(bytes or columns..., file, start)``), a JSONL line
    or a Parquet row at a time, by the CLI's rules (:func:`stemma.read_jsonl_line`). Yields
    ``("line", place, article or None, messages)`` for each non-blank row and, at the end of each
    block of a file, ``("block", (index, file, start), (rows, non-blank rows))``."""

    def run(rows: Iterable[Any]) -> Iterator[Tuple[Any, ...]]:
        block: Optional[Tuple[str, int]] = None
        k = non_blank = 0
        for row in rows:
            here = (row["file"], row["start"])
            if here != block:
                if block is not None:
                    yield "block", (index, *block), (k, non_blank)
                block, k, non_blank = here, 0, 0
            if columns is None:
                data = bytes(row["line"])
                number = 1 if here[1] == 0 and k == 0 else 2  # only line 1 may carry a BOM
            else:
                data, number = _parquet_line(row, columns), 2
            read = stemma.read_jsonl_line(data, number)
            if read is not None:
                non_blank += 1
                article, messages = read
                if article is not None:
                    article = _fields(article)
                yield "line", (index, here[0], here[1], k), article, messages
            k += 1
        if block is not None:
            yield "block", (index, *block), (k, non_blank)

    return run


def _fields(row: Dict[str, Any]) -> Dict[str, Any]:
    return {k: row.get(k) for k in FIELDS if row.get(k) is not None}


def _is_parquet_dir(path: str) -> bool:
    import os

    return os.path.isdir(path) and any(f.endswith(".parquet") for f in os.listdir(path))


def _first_messages(limit: int) -> Tuple[Any, Any, Any]:
    """``combineByKey`` functions that keep, per file, how many messages it has and the first
    ``limit`` of them in line order."""
    import heapq

    def create(m: Any) -> Tuple[int, List[Any]]:
        return 1, [m]

    def add(acc: Tuple[int, List[Any]], m: Any) -> Tuple[int, List[Any]]:
        return acc[0] + 1, heapq.nsmallest(limit, acc[1] + [m])

    def merge(x: Tuple[int, List[Any]], y: Tuple[int, List[Any]]) -> Tuple[int, List[Any]]:
        return x[0] + y[0], heapq.nsmallest(limit, x[1] + y[1])

    return create, add, merge


class Reading:
    """The articles of a job's inputs, read as ``stemma analyze`` reads JSONL files: every bad line
    (not JSON, no ``id`` or ``text``, a blank one, not UTF-8, too long), every field an article is
    read without, every empty file and every duplicate id (the first in reading order kept) gets the
    CLI's diagnostic, with the file and its line, and the job goes on with the rest.

    ``articles`` is an RDD of article dicts (ids unique), ``diagnostics`` the list of what reading
    reported, in the CLI's order (input by input, file by file; a file's bad lines in line order,
    the first :data:`stemma._stemma.MAX_LINE_DIAGNOSTICS` of them and then a count, then its
    duplicates), ``skipped`` the counts of what was left out.
    """

    def __init__(self, spark: Any, paths: Sequence[str]) -> None:
        from pyspark.sql import functions as F

        sc = spark.sparkContext
        rdds = []
        #: Every file of every input, empty ones included: (input index, URI) -> the name shown.
        self._shown: Dict[Tuple[int, str], str] = {}
        for index, path in enumerate(paths):
            if path.rstrip("/").endswith(".parquet") or _is_parquet_dir(path):
                frame = spark.read.parquet(path)
                columns: Optional[List[str]] = [c for c in FIELDS if c in frame.columns]
                body = [F.col(f"`{c}`") for c in columns]
            else:
                frame = spark.read.option("lineSep", "\n").text(path)
                columns = None
                body = [F.col("value").cast("binary").alias("line")]
            for uri in frame.inputFiles():
                self._shown[(index, _same_file(uri))] = shown_name(path, uri)
            rows = frame.select(
                *body,
                F.col("_metadata.file_path").alias("file"),
                F.col("_metadata.file_block_start").alias("start"),
            )
            rdds.append(rows.rdd.mapPartitions(_read_rows(index, columns)))
        parsed = (rdds[0] if len(rdds) == 1 else sc.union(rdds)).map(
            lambda r: (r[0], (r[1][0], _same_file(r[1][1]), *r[1][2:]), *r[2:])
        ).cache()
        self._parsed = parsed

        # Line numbers: the rows of each block of each file, blocks in file order.
        blocks = sorted(parsed.filter(lambda r: r[0] == "block").map(lambda r: r[1:]).collect())
        self._first_line: Dict[Tuple[int, str, int], int] = {}
        non_blank: Dict[Tuple[int, str], int] = {}
        line = {}
        for (index, uri, start), (rows_in_block, full) in blocks:
            line.setdefault((index, uri), 1)
            self._first_line[(index, uri, start)] = line[(index, uri)]
            line[(index, uri)] += rows_in_block
            non_blank[(index, uri)] = non_blank.get((index, uri), 0) + full
            self._shown.setdefault((index, uri), shown_name(paths[index], uri))

        # (input index, file URI, phase, line, k, diagnostic): sorted, the CLI's order.
        found: List[Tuple[int, str, int, int, int, Dict[str, Any]]] = []
        limit = _stemma.MAX_LINE_DIAGNOSTICS
        per_file = (
            parsed.filter(lambda r: r[0] == "line" and r[3])
            .flatMap(lambda r: (((r[1][0], r[1][1]), (r[1][2], r[1][3], j, m))
                                for j, m in enumerate(r[3])))
            .combineByKey(*_first_messages(limit))
            .collect()
        )
        for (index, uri), (total, first) in per_file:
            for start, k, j, message in first:
                number = self._first_line[(index, uri, start)] + k
                found.append((index, uri, 0, number, j, self._diagnostic(index, uri, number, message)))
            if total > limit:
                message = _stemma.more_bad_lines_message(total - limit)
                found.append((index, uri, 1, 0, 0, self._diagnostic(index, uri, None, message)))
        for (index, uri) in self._shown:
            if non_blank.get((index, uri), 0) == 0:
                found.append((index, uri, 2, 0, 0,
                              self._diagnostic(index, uri, None, _stemma.EMPTY_FILE_MESSAGE)))

        # Duplicate ids: the first in reading order is kept, every other one reported and skipped.
        articles = parsed.filter(lambda r: r[0] == "line" and r[2] is not None)
        twice = (
            articles.map(lambda r: (r[2]["id"], r[1]))
            .groupByKey()
            .filter(lambda kv: len(kv[1]) > 1)
            .mapValues(sorted)
            .collect()
        )
        skip = set()
        for id, places in twice:
            first = self._place(places[0])
            for index, uri, start, k in places[1:]:
                skip.add((index, uri, start, k))
                number = self._first_line[(index, uri, start)] + k
                message = _stemma.duplicate_id_message(id, first)
                found.append((index, uri, 3, number, 0, self._diagnostic(index, uri, number, message)))
        found.sort(key=lambda f: f[:5])
        self.diagnostics = [f[5] for f in found]
        self.skipped = {
            "lines": parsed.filter(lambda r: r[0] == "line" and r[2] is None).count(),
            "duplicate_ids": len(skip),
            "empty_files": sum(1 for f in found if f[2] == 2),
        }
        skipped = sc.broadcast(skip)
        self.articles = articles.filter(lambda r: r[1] not in skipped.value).map(lambda r: r[2])

    def _diagnostic(self, index: int, uri: str, line: Optional[int], message: str) -> Dict[str, Any]:
        return {"source": self._shown[(index, uri)], "line": line, "message": message}

    def _place(self, place: Place) -> str:
        index, uri, start, k = place
        return f"{self._shown[(index, uri)]}:{self._first_line[(index, uri, start)] + k}"

    def unpersist(self) -> None:
        self._parsed.unpersist()


def read_articles(spark: Any, paths: Sequence[str]) -> Any:
    """The articles of JSONL files (one JSON object per line) or Parquet files/folders (by a
    ``.parquet`` name or a folder of them), as an RDD of article dicts; what reading reported is
    in :class:`Reading`, which this is the ``articles`` of."""
    return Reading(spark, paths).articles


def _stable_hash(text: str) -> int:
    """A hash that every Python worker agrees on (``hash`` of a str is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def _key_entries(article: Dict[str, Any]) -> Iterator[Tuple[Tuple[int, int], int]]:
    k = stemma.keys(article)
    for term in k["terms"]:
        yield (0, term), 1
    for line in k["lines"]:
        yield (1, line), 1


_U64 = (1 << 64) - 1


def _signed(key: int) -> int:
    """A 64-bit unsigned key as the signed number a Spark ``long`` holds (``& _U64`` undoes it)."""
    return key - (1 << 64) if key >= 1 << 63 else key


def _feature_and_key_entries(x: Tuple[str, Dict[str, Any]]) -> Iterator[Tuple[int, int]]:
    """``(0, feature)`` for each of an article's features, ``(1, key)`` for each candidate key."""
    for feature in x[1]["features"]:
        yield 0, _signed(feature)
    for key in x[1]["keys"]:
        yield 1, _signed(key)


def _with_features(counts: Any) -> Any:
    def run(articles: Iterable[Dict[str, Any]]) -> Iterator[Tuple[str, Dict[str, Any]]]:
        corpus = counts.value
        for article in articles:
            yield article["id"], stemma.features(article, corpus)

    return run


#: Postings handed to :func:`stemma.count_shared_keys` at a time (bounds a batch's memory).
PAIRING_BATCH = 200_000


def _count_pairs(groups: Iterable[Tuple[int, Iterable[Tuple[str, bool]]]]) -> Iterator[Tuple[Any, Any]]:
    """A partition of ``(key, postings)`` groups paired in batches by
    :func:`stemma.count_shared_keys`: ``((a, b), (shared, narrative, short))`` per pair and batch,
    and ``("banal", n)``."""

    def flush(batch: List[Tuple[int, List[Tuple[str, bool]]]]) -> Iterator[Tuple[Any, Any]]:
        pairs, banal = stemma.count_shared_keys(batch)
        if banal:
            yield "banal", banal
        for a, b, shared, narrative, short in pairs:
            yield (a, b), (shared, narrative, short)

    batch: List[Tuple[int, List[Tuple[str, bool]]]] = []
    size = 0
    for key, postings in groups:
        postings = list(postings)
        batch.append((key, postings))
        size += len(postings)
        if size >= PAIRING_BATCH:
            yield from flush(batch)
            batch, size = [], 0
    if batch:
        yield from flush(batch)


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


#: The job's stages, in order: each one's Spark jobs are described ``stemma_spark: STAGE``.
STAGES = ("read", "keys", "features", "candidates", "components", "parts")


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
        later = STAGES[STAGES.index(stage) + 1:]
        if later:
            sc.setJobDescription(f"stemma_spark: {later[0]}")

    # The Spark jobs of each stage are described by its name (the UI, the REST API's jobs).
    sc.setJobDescription("stemma_spark: read")
    reading = Reading(spark, paths)
    articles = reading.articles.cache()
    n = articles.count()
    info["documents"] = n
    info["skipped"] = reading.skipped
    reading.unpersist()
    if n == 0:
        raise NoArticles(reading.diagnostics)
    done("read")

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
    # The documents of each feature (analyze_part needs them) and of each candidate key: a key in
    # one document pairs no one, and one in more than the banal limit pairs no one either (it is
    # counted), so only the postings of the keys between the two are shuffled in stage 3.
    feature_counts: List[Tuple[int, int]] = []
    pairing_keys = set()
    banal = 0
    limit = _stemma.BANAL_LIMIT
    # Counted in the JVM (a DataFrame's groupBy): most features and keys are in one document, and a
    # Python reduceByKey of millions of distinct keys was slower (docs/distributed.md).
    entries = spark.createDataFrame(featured.flatMap(_feature_and_key_entries), "kind byte, key long")
    for kind, signed, count in (
        entries.groupBy("kind", "key").count().filter("count > 1").collect()
    ):
        key = signed & _U64
        if kind == 0:
            feature_counts.append((key, count))
        elif count > limit:
            banal += 1
        else:
            pairing_keys.add(key)
    corpus = stemma.counts(n, terms, lines, feature_counts)
    info["pairing_keys"] = len(pairing_keys)
    info["counts"] = dict(zip(("terms", "lines", "features"), corpus.sizes()))
    counts.unpersist()
    whole = sc.broadcast(corpus)
    done("features")

    # 3. Candidate pairs: shuffle by key, pair, count per pair, keep by the rule.
    pairing = sc.broadcast(frozenset(pairing_keys))
    del pairing_keys
    postings = featured.flatMap(
        lambda x: ((k, (x[0], x[1]["short"])) for k in x[1]["keys"] if k in pairing.value)
    )
    shared = postings.groupByKey().mapPartitions(_count_pairs)
    candidates = (
        shared.filter(lambda kv: kv[0] != "banal")
        .reduceByKey(_add_shared)
        .filter(lambda kv: stemma.is_candidate(*kv[1]))
        .keys()
        .cache()
    )
    info["candidate_pairs"] = candidates.count()
    info["banal_features"] = banal
    pairing.unpersist()
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
    # As the CLI: what reading reported first, then what the analysis did.
    report["diagnostics"][0:0] = reading.diagnostics
    done("parts")
    sc.setJobDescription(None)
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
