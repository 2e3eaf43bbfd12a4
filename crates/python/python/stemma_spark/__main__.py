"""``python -m stemma_spark INPUT... --output REPORT.json``: the Spark job (docs/distributed.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stemma_spark",
        description="Analyse a corpus on Spark; the report equals `stemma analyze --format json`'s.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSONL files of articles (id, text, title, publisher, url, published), "
                             "or Parquet files or folders with those columns")
    parser.add_argument("--output", "-o", required=True, help="where to write the JSON report")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, else local[2])")
    parser.add_argument("--parts", type=int,
                        help="parts the components are hashed into (default: 2 x the parallelism)")
    parser.add_argument("--decision", choices=("rules", "learned"), default="rules")
    parser.add_argument("--tables", metavar="FOLDER",
                        help="also write FOLDER/pairs.parquet and FOLDER/edges.parquet")
    args = parser.parse_args(argv)

    # Local workers run this Python (with stemma installed), not whatever `python3` is first.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from stemma_spark.job import NoArticles, run, write_tables

    builder = SparkSession.builder.appName("stemma")
    if args.master:
        builder = builder.master(args.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit (which starts the JVM first and passes its master on).
        builder = builder.master("local[2]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    started = time.perf_counter()
    try:
        report, info = run(
            spark, args.inputs, parts=args.parts, decision=args.decision,
            log=lambda line: print(line, file=sys.stderr),
        )
        with open(args.output, "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False, indent=2)
            out.write("\n")
        if args.tables:
            write_tables(spark, report, args.tables)
    except NoArticles as e:
        # As `stemma analyze`: why each input gave nothing, then exit status 2.
        for d in e.diagnostics:
            print(_shown(d), file=sys.stderr)
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    info["seconds"]["total"] = round(time.perf_counter() - started, 2)
    # Every input skipped, line by line, as the CLI says it (also in the report's "diagnostics").
    for d in report["diagnostics"]:
        print(_shown(d), file=sys.stderr)
    print(f"stemma_spark: {json.dumps(info)}", file=sys.stderr)
    return 0


def _shown(d: "dict[str, object]") -> str:
    """A diagnostic as the CLI prints it: ``source:line: message`` or ``source: message``."""
    if d.get("line") is not None:
        return f"{d['source']}:{d['line']}: {d['message']}"
    return f"{d['source']}: {d['message']}"


if __name__ == "__main__":
    sys.exit(main())
