"""The shapes of what :mod:`stemma` returns, as ``TypedDict``s for type checkers.

At run time the results are plain dicts and lists; these classes only describe them.
"""

from typing import Any, Dict, List, Literal, Optional, TypedDict

#: Who decides which pairs are links: the hand-set rules or the learned link model.
Decision = Literal["rules", "learned"]

#: A relation between two texts, or ``None`` for no reuse.
Relation = Optional[Literal["duplicate", "syndicated", "rewrite", "partial"]]


class DiffRun(TypedDict):
    """One run of a word diff: the same words, words only in A, only in B, or replaced.

    Concatenating the ``a`` of a group's runs gives its ``a_text`` exactly, and the ``b`` its
    ``b_text``.
    """

    op: Literal["equal", "delete", "insert", "replace"]
    a: str
    b: str


class AlignedGroup(TypedDict):
    """Sentences of A aligned with sentences of B (the group of ``stemma diff --format json``)."""

    #: A's sentence indices (from 0, over all sentences, page furniture included).
    a_sentences: List[int]
    #: B's sentence indices.
    b_sentences: List[int]
    #: The exact text of those sentences of A, joined by one space.
    a_text: str
    #: The exact text of those sentences of B, joined by one space.
    b_text: str
    #: Similarity of the group, in [0, 1].
    score: float
    #: Whether the group keeps the texts' order (``False`` for a moved sentence or block).
    in_order: bool
    #: One sentence facing one, one split into several, several merged into one, or several
    #: facing several.
    kind: Literal["one_to_one", "split", "merge", "group"]
    #: Word diff from ``a_text`` to ``b_text``.
    diff: List[DiffRun]


class Diagnostic(TypedDict):
    """A limit reached or an input set aside, named by where it happened."""

    source: str
    line: Optional[int]
    message: str


class Comparison(TypedDict):
    """Two texts compared (:func:`stemma.compare`); A is the first text given."""

    a: str
    b: str
    relation: Relation
    #: How much of the two texts the link covers (0 when there is no relation).
    score: float
    #: The link model's probability that the two share a text.
    probability: float
    #: Share of A's body text aligned.
    coverage_a: float
    #: Share of B's body text aligned.
    coverage_b: float
    #: Share of A's body text in groups that match on narrative words (not only names, numbers
    #: and quotes).
    narrative_coverage_a: float
    #: The same for B.
    narrative_coverage_b: float
    #: Share of the aligned text that is word for word the same.
    verbatim_share: float
    #: Share of the aligned weight that is names, numbers or quoted speech.
    immutable_share: float
    #: Aligned groups that match on narrative words.
    narrative_groups: int
    #: Share of groups in the order of both texts.
    order_consistency: float
    #: Longest run of groups that follow each other in both texts.
    longest_run: int
    #: The aligned groups, in A's sentence order.
    alignments: List[AlignedGroup]
    #: Limits reached (very long texts, repetitive text); usually empty.
    diagnostics: List[Diagnostic]


class Article(TypedDict):
    """An article as :func:`stemma.read_html` gives it and :func:`stemma.analyze` takes it."""

    id: str
    text: str
    title: Optional[str]
    publisher: Optional[str]
    url: Optional[str]
    #: Publication time (RFC 3339 in UTC, cut to its precision), if known.
    published: Optional[str]
    #: ``"text"`` when the time was read off the page, ``"metadata"`` when given by the user.
    published_from: Optional[Literal["metadata", "page", "text"]]


#: The report of :func:`stemma.analyze`: the JSON of ``stemma analyze --format json``, whose
#: fields (``documents``, ``pairs``, ``nodes``, ``edges``, ``families``, ``stats``,
#: ``diagnostics``) are documented in the repository's ``docs/json.md``.
Report = Dict[str, Any]


class ArticleKeys(TypedDict):
    """An article's keys (:func:`stemma.keys`): distinct term hashes and line fingerprints."""

    terms: List[int]
    lines: List[int]


class ArticleFeatures(TypedDict):
    """An article's candidate features in its corpus (:func:`stemma.features`)."""

    features: List[int]
    keys: List[int]
    short: bool


class Derivation(TypedDict):
    """The derivation graph of :func:`stemma.derive`: the report's ``nodes``, ``edges`` and
    ``families`` for the articles of the pairs given."""

    nodes: List[Dict[str, Any]]
    edges: List[Dict[str, Any]]
    families: List[Dict[str, Any]]
