"""``python -m stemma_spark.measure CORPUS.jsonl --stemma BIN``: the job measured against the CLI.

Runs ``stemma analyze --format json --timings`` (the binary given, a release build) on the corpus,
then the Spark job on ``--master`` (default ``local[2]``) in this process with the Spark UI on, and
prints one JSON object: both wall times, the CLI's stage times, the job's stage times and sizes,
and for each job stage the bytes Spark read from the input and wrote and read in shuffles (from the
REST API of the UI: ``/api/v1/applications/<id>/jobs`` and ``/stages``, jobs described
``stemma_spark: STAGE``), with whether the two reports are equal. docs/distributed.md has the
numbers it gave.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from typing import Any, Dict, List


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def shuffle_by_stage(ui: str, app: str) -> Dict[str, Dict[str, int]]:
    """Input, shuffle write and shuffle read bytes (and tasks) summed over the Spark stages of the
    jobs described ``stemma_spark: STAGE``, per STAGE."""
    base = f"{ui}/api/v1/applications/{app}"
    stage_of: Dict[int, str] = {}
    for job in _get(f"{base}/jobs"):
        description = job.get("description") or ""
        if description.startswith("stemma_spark: "):
            for stage_id in job.get("stageIds", []):
                stage_of[stage_id] = description[len("stemma_spark: "):]
    out: Dict[str, Dict[str, int]] = {}
    for stage in _get(f"{base}/stages?status=complete"):
        name = stage_of.get(stage["stageId"])
        if name is None:
            continue
        sums = out.setdefault(name, {"input": 0, "shuffle_write": 0, "shuffle_read": 0,
                                     "tasks": 0, "executor_run_ms": 0})
        sums["input"] += stage.get("inputBytes", 0)
        sums["shuffle_write"] += stage.get("shuffleWriteBytes", 0)
        sums["shuffle_read"] += stage.get("shuffleReadBytes", 0)
        sums["tasks"] += stage.get("numCompleteTasks", 0)
        sums["executor_run_ms"] += stage.get("executorRunTime", 0)
    return out


def main(argv: "List[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stemma_spark.measure")
    parser.add_argument("corpus", help="a JSONL corpus (stemma bench generate's corpus.jsonl)")
    parser.add_argument("--stemma", required=True, help="the stemma binary (a release build)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="8g")
    parser.add_argument("--work", default=".", help="folder for the two reports")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    cli_report = os.path.join(args.work, "cli-report.json")
    started = time.perf_counter()
    with open(cli_report, "wb") as out:
        done = subprocess.run([args.stemma, "analyze", "--format", "json", "--timings", args.corpus],
                              stdout=out, stderr=subprocess.PIPE, check=True)
    cli_seconds = time.perf_counter() - started
    timings: Any = None
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        if line.lstrip().startswith("{"):
            try:
                timings = json.loads(line)
            except ValueError:
                pass

    from pyspark.sql import SparkSession

    from stemma_spark.job import run

    spark = (
        SparkSession.builder.master(args.master).appName("stemma-measure")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.driver.maxResultSize", "0")
        .config("spark.ui.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    try:
        started = time.perf_counter()
        report, info = run(spark, [args.corpus], log=lambda line: print(line, file=sys.stderr))
        job_seconds = time.perf_counter() - started
        sc = spark.sparkContext
        shuffles = shuffle_by_stage(sc.uiWebUrl, sc.applicationId)
    finally:
        spark.stop()
    with open(cli_report, encoding="utf-8") as f:
        cli = json.load(f)
    same = {key: report[key] == cli[key] for key in ("documents", "pairs", "nodes", "edges",
                                                     "families", "stats")}
    same["diagnostics"] = sorted(map(json.dumps, report["diagnostics"])) == sorted(
        map(json.dumps, cli["diagnostics"]))
    print(json.dumps({
        "documents": info["documents"],
        "cli_seconds": round(cli_seconds, 1),
        "cli_timings": timings,
        "job_seconds": round(job_seconds, 1),
        "job": info,
        "shuffle_bytes": shuffles,
        "same_as_cli": same,
        "related_pairs": len(cli["pairs"]),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
