"""stemma on Spark: a corpus too big for one machine analysed with the answer of ``stemma analyze``.

Run it with ``python -m stemma_spark INPUT... --output REPORT.json [--master local[2]]`` or with
``spark-submit`` (see ``docs/distributed.md`` in the repository). :func:`run` is the job,
:func:`merge_reports` the merging of the parts' reports (it needs no Spark).
"""

from .merge import merge_reports

__all__ = ["NoArticles", "Reading", "merge_reports", "run", "write_tables"]


def __getattr__(name: str):  # pyspark is imported only by the job itself
    if name in ("run", "write_tables", "read_articles", "components", "Reading", "NoArticles",
                "shown_name"):
        from . import job

        return getattr(job, name)
    raise AttributeError(name)
