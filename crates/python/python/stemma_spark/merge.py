"""Merging the reports of the parts of a corpus into the report of the whole (no Spark needed).

Each part is a union of connected components of the corpus's candidate pairs, analysed by
:func:`stemma.analyze_part`. The related pairs, relations, probabilities, families and edges of a
part are the whole corpus's; what changes is only where things go in the lists and the numbering
of missing sources, which ``stemma analyze`` gives family by family:

- ``documents`` sorted by id; ``pairs`` sorted by ``(a, b)``;
- ``families`` sorted by their smallest member id (members in time order, as each part wrote them);
- ``edges`` family by family in that order, each family's edges in the order its part wrote them
  (the edges from its missing source first);
- missing sources renumbered ``missing-source-1``, ``-2``, ... in family order; ``nodes`` the
  articles sorted by id, then the missing sources;
- ``stats`` summed (``all_pairs`` is n(n-1)/2 of the whole, ``banal_features`` the job's count);
- ``diagnostics`` of all parts, stably sorted by the article they name (``stemma analyze`` puts the
  ones about reading first and those about aligned pairs last, so their order can differ there).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional


def merge_reports(parts: Iterable[Dict[str, Any]], *, banal_features: Optional[int] = None) -> Dict[str, Any]:
    """The report of a corpus from the reports of its parts (see the module's docstring).

    Args:
        parts: The reports of :func:`stemma.analyze_part`, one per part, in any order.
        banal_features: The corpus's count of banal candidate keys (a part sees only its own);
            ``None`` sums the parts' counts.
    """
    parts = list(parts)
    documents = sorted((d for p in parts for d in p["documents"]), key=lambda d: d["id"])
    ids = [d["id"] for d in documents]
    if len(set(ids)) != len(ids):
        raise ValueError("an article is in two parts: the parts of a corpus must not overlap")
    pairs = sorted((q for p in parts for q in p["pairs"]), key=lambda q: (q["a"], q["b"]))

    # Each family with its edges, under the names its part gave its missing sources.
    families: List[Dict[str, Any]] = []
    for part in parts:
        family_of: Dict[str, int] = {}
        own: List[Dict[str, Any]] = []
        for family in part["families"]:
            for member in family["members"]:
                family_of[member] = len(own)
            own.append({"family": family, "edges": []})
        for edge in part["edges"]:
            own[family_of[edge["target"]]]["edges"].append(edge)
        families.extend(own)
    families.sort(key=lambda f: min(f["family"]["members"]))

    out_families: List[Dict[str, Any]] = []
    out_edges: List[Dict[str, Any]] = []
    missing: List[str] = []
    for entry in families:
        names: Dict[str, str] = {}
        for old in entry["family"]["missing_sources"]:
            missing.append(f"missing-source-{len(missing) + 1}")
            names[old] = missing[-1]
        out_families.append(
            {
                **entry["family"],
                "missing_sources": [names[m] for m in entry["family"]["missing_sources"]],
            }
        )
        for edge in entry["edges"]:
            out_edges.append({**edge, "source": names.get(edge["source"], edge["source"])})

    nodes = [{"id": i, "kind": "article"} for i in ids]
    nodes += [{"id": m, "kind": "missing_source"} for m in missing]
    n = len(documents)

    def total(key: str) -> int:
        return sum(p["stats"][key] for p in parts)

    stats = {
        "documents": n,
        "all_pairs": n * (n - 1) // 2,
        "aligned_pairs": total("aligned_pairs"),
        "related_pairs": len(pairs),
        "banal_features": total("banal_features") if banal_features is None else banal_features,
        "repeated_lines": total("repeated_lines"),
    }
    diagnostics = sorted(
        (d for p in parts for d in p["diagnostics"]), key=lambda d: d["source"]
    )
    return {
        "documents": documents,
        "pairs": pairs,
        "nodes": nodes,
        "edges": out_edges,
        "families": out_families,
        "stats": stats,
        "diagnostics": diagnostics,
    }
