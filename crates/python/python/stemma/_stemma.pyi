"""Type stubs of stemma's native module. Use the functions of :mod:`stemma`, which check their
arguments' Python types and read these functions' JSON."""

from typing import Any, Dict, List, Optional, Tuple

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
#: The most documents a candidate key may have and still pair them (more: banal).
BANAL_LIMIT: int

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

def count_shared_keys(
    groups: List[Tuple[int, List[Tuple[str, bool]]]],
) -> Tuple[List[Tuple[str, str, int, int, bool]], int]:
    """Keys' documents paired and counted per pair (see :func:`stemma.count_shared_keys`)."""

def key_is_narrative(key: int) -> bool:
    """Whether a candidate key involves narrative words."""

def is_candidate(shared: int, narrative: int, short: bool) -> bool:
    """The candidate rule (see :func:`stemma.is_candidate`)."""

def analyze_part(records: List[Dict[str, Optional[str]]], corpus: Counts, decision: str) -> bytes:
    """The report of one part of a corpus as UTF-8 JSON (see :func:`stemma.analyze_part`)."""

class Prepared:
    """An article prepared in its corpus (see :func:`stemma.prepare`); picklable."""

    @property
    def id(self) -> str:
        """The article's id."""
    @property
    def documents(self) -> int:
        """How many documents its corpus has."""
    def to_bytes(self) -> bytes:
        """The prepared article as bytes, for :meth:`from_bytes` (and pickling)."""
    @staticmethod
    def from_bytes(data: bytes) -> "Prepared":
        """A prepared article read back from :meth:`to_bytes`."""

class AlignedPair:
    """Two prepared articles aligned (see :func:`stemma.align`); picklable."""

    @property
    def ids(self) -> Tuple[str, str]:
        """The two ids, sorted."""
    @property
    def relation(self) -> Optional[str]:
        """The relation under the rules, or None."""
    @property
    def comparison(self) -> Dict[str, Any]:
        """The comparison, the dict of :func:`stemma.compare`."""
    def comparison_json(self) -> bytes:
        """The comparison as UTF-8 JSON."""
    def to_bytes(self) -> bytes:
        """The aligned pair as bytes, for :meth:`from_bytes` (and pickling)."""
    @staticmethod
    def from_bytes(data: bytes) -> "AlignedPair":
        """An aligned pair read back from :meth:`to_bytes`."""

def prepare(record: Dict[str, Optional[str]], corpus: Counts) -> Prepared:
    """An article prepared in its corpus (see :func:`stemma.prepare`)."""

def align(a: Prepared, b: Prepared, decision: str) -> AlignedPair:
    """Two prepared articles aligned (see :func:`stemma.align`)."""

def derive(pairs: List[AlignedPair]) -> bytes:
    """The derivation graph of the pairs as UTF-8 JSON (see :func:`stemma.derive`)."""
