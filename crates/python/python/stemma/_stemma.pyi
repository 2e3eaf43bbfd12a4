"""Type stubs of stemma's native module. Use the functions of :mod:`stemma`, which check their
arguments' Python types and read these functions' JSON."""

from typing import Dict, List, Optional

__version__: str

def compare(a: str, b: str, a_id: str, b_id: str, decision: str) -> bytes:
    """The comparison of two texts as UTF-8 JSON (see :func:`stemma.compare`)."""

def analyze(
    records: List[Dict[str, Optional[str]]],
    decision: str,
    all_pairs: bool,
    sources: Optional[List[str]],
) -> bytes:
    """The report of ``stemma analyze --format json`` as UTF-8 JSON (see :func:`stemma.analyze`).

    Every record has the keys id, text, title, publisher, url, published and published_from, each
    a string or None."""

def read_html(id: str, html: str) -> bytes:
    """A web page's article as UTF-8 JSON (see :func:`stemma.read_html`)."""
