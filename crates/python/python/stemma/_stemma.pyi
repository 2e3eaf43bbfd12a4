"""Type stubs of stemma's native module. Use the functions of :mod:`stemma`, which check their
arguments' Python types and read these functions' JSON."""

from typing import Dict, List, Optional, Tuple

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

MAX_LINE_DIAGNOSTICS: int
EMPTY_FILE_MESSAGE: str

def read_jsonl_line(line: bytes, number: int) -> Optional[Tuple[Optional[bytes], List[str]]]:
    """One JSONL line read as the CLI reads it (see :func:`stemma.read_jsonl_line`); the article as
    UTF-8 JSON."""

def duplicate_id_message(id: str, first: str) -> str:
    """The CLI's message for an article whose id was read before at ``first``."""

def more_bad_lines_message(suppressed: int) -> str:
    """The CLI's message for a file's bad lines beyond the first ``MAX_LINE_DIAGNOSTICS``."""

class Counts:
    """The counts of a corpus (see :func:`stemma.counts`), held in Rust; picklable."""

    def __init__(
        self,
        documents: int,
        terms: List[Tuple[int, int]],
        lines: List[Tuple[int, int]],
        features: Optional[List[Tuple[int, int]]] = None,
    ) -> None: ...
    @property
    def documents(self) -> int:
        """How many documents were counted."""
    def get(self, kind: str, key: int) -> int:
        """Documents with the key of ``kind`` ("terms", "lines" or "features"); 0 if not held."""
    def sizes(self) -> Tuple[int, int, int]:
        """How many term, line and feature keys are held."""
    def to_bytes(self) -> bytes:
        """The counts as bytes, for :meth:`from_bytes` (and pickling)."""
    @staticmethod
    def from_bytes(data: bytes) -> "Counts":
        """Counts read back from :meth:`to_bytes`."""

def keys(record: Dict[str, Optional[str]]) -> Tuple[List[int], List[int]]:
    """An article's term hashes and line fingerprints (see :func:`stemma.keys`)."""

def features(record: Dict[str, Optional[str]], corpus: Counts) -> Tuple[List[int], List[int], bool]:
    """An article's features, candidate keys and shortness (see :func:`stemma.features`)."""

def posting_pairs(postings: List[Tuple[str, bool]]) -> Optional[List[Tuple[str, str, bool]]]:
    """The pairs of one key's documents, None when banal (see :func:`stemma.posting_pairs`)."""

def key_is_narrative(key: int) -> bool:
    """Whether a candidate key involves narrative words."""

def is_candidate(shared: int, narrative: int, short: bool) -> bool:
    """The candidate rule (see :func:`stemma.is_candidate`)."""

def analyze_part(records: List[Dict[str, Optional[str]]], corpus: Counts, decision: str) -> bytes:
    """The report of one part of a corpus as UTF-8 JSON (see :func:`stemma.analyze_part`)."""
