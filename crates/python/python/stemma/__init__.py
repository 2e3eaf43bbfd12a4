"""stemma: news text reuse and provenance.

Which articles of a set are copies, syndicated edits, spun rewrites or partial reuses of which
others, with the evidence sentence by sentence. The main functions:

- :func:`compare` -- two texts: their relation, the evidence and each aligned group's word diff;
- :func:`analyze` -- a corpus: the report of ``stemma analyze --format json`` as dicts;
- :func:`read_html` -- a web page's main text and facts as an article dict;
- :func:`read_jsonl_line` -- one line of a JSONL file of articles, read and checked as the CLI
  reads it.

And the stage functions of a distributed analysis (the ``stemma_spark`` job), each a pure function
of its inputs: :func:`keys`, :class:`Counts`, :func:`features`, :func:`posting_pairs`,
:func:`key_is_narrative`, :func:`is_candidate` and :func:`analyze_part`; and one pair or one family
at a time, :func:`prepare`, :func:`align` and :func:`derive`. Corpus-level weights (how rare each
word is, which lines repeat across the corpus) are an explicit argument, a :class:`Counts` of the
whole corpus, wherever a stage needs them.

The work is done by stemma's Rust libraries (``stemma._stemma``); this module checks the Python
types of the arguments and turns the results into plain dicts and lists.
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
from collections.abc import Mapping as _Mapping
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union, cast

from . import _stemma
from ._stemma import AlignedPair, Counts, Prepared
from ._types import (
    AlignedGroup,
    Article,
    ArticleFeatures,
    ArticleKeys,
    Comparison,
    Decision,
    Derivation,
    Diagnostic,
    DiffRun,
    Report,
)

__all__ = [
    "AlignedGroup",
    "AlignedPair",
    "Article",
    "ArticleFeatures",
    "ArticleKeys",
    "Comparison",
    "Counts",
    "Decision",
    "Derivation",
    "Diagnostic",
    "DiffRun",
    "Prepared",
    "Report",
    "align",
    "analyze",
    "analyze_part",
    "compare",
    "count_shared_keys",
    "counts",
    "derive",
    "features",
    "is_candidate",
    "key_is_narrative",
    "keys",
    "posting_pairs",
    "prepare",
    "read_html",
    "read_jsonl_line",
]

__version__: str = _stemma.__version__

#: The keys of an article dict that stemma reads; any other key is ignored.
_FIELDS = ("id", "text", "title", "publisher", "url", "published", "published_from")


def compare(
    a: str,
    b: str,
    *,
    a_id: str = "a",
    b_id: str = "b",
    decision: Decision = "rules",
) -> Comparison:
    """Compare two texts as ``stemma analyze`` compares two articles alone.

    The texts are aligned sentence by sentence (1:1, splits, merges, moved sentences), the pair's
    evidence is measured, and its relation decided: ``"duplicate"``, ``"syndicated"``,
    ``"rewrite"``, ``"partial"`` or ``None`` (no reuse: two reports of one event that share names,
    numbers and quotes get ``None``).

    Args:
        a: The first text (plain text, paragraphs on their own lines).
        b: The second text.
        a_id: The first text's id, as reports and diagnostics name it.
        b_id: The second text's id; it must differ from ``a_id``.
        decision: ``"rules"`` (the default) or ``"learned"``, as ``--decision`` of the CLI.

    Returns:
        A dict (see :class:`stemma.Comparison`) with ``a`` and ``b`` (the ids), ``relation``,
        ``score``, ``probability``, ``coverage_a``/``coverage_b``,
        ``narrative_coverage_a``/``narrative_coverage_b``, ``verbatim_share``,
        ``immutable_share``, ``narrative_groups``, ``order_consistency``, ``longest_run``,
        ``alignments`` (the aligned groups in ``a``'s order, each with sentence indices, texts,
        score, ``in_order``, ``kind`` and the word ``diff``, the group shape of
        ``stemma diff --format json``) and ``diagnostics`` (limits reached). Numbers are rounded
        to 4 decimals; ``a`` is always the first text given.

    Raises:
        TypeError: An argument is not a string.
        ValueError: A text or id is empty, the ids are equal or have control characters, or
            ``decision`` is unknown.

    Example:
        >>> import stemma
        >>> wire = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of about 4,000 people from villages downstream, officials said. No deaths had been reported by mid-morning, but one man was missing after his car was swept off the river road."
        >>> result = stemma.compare(wire, wire, a_id="wire", b_id="copy")
        >>> result["relation"]
        'duplicate'
    """
    for name, value in (("a", a), ("b", b), ("a_id", a_id), ("b_id", b_id), ("decision", decision)):
        _require_str(value, name)
    return cast(Comparison, _json.loads(_stemma.compare(a, b, a_id, b_id, decision)))


def analyze(
    articles: Any,
    *,
    decision: Decision = "rules",
    all_pairs: bool = False,
    sources: Optional[Iterable[str]] = None,
) -> Report:
    """Analyse a corpus: families of related articles, each related pair, the derivation graph.

    The result equals the JSON report of ``stemma analyze --format json`` for the same articles
    (documented in the repository's ``docs/json.md``), read with ``json.loads``.

    Args:
        articles: An iterable of article dicts, or a pandas DataFrame with those columns. An
            article has ``id`` and ``text`` (strings, not blank) and may have ``title``,
            ``publisher``, ``url`` (strings) and ``published`` (a time as a string in any form the
            CLI reads, such as ``"2025-03-03T08:12:00Z"``, ``"2025-03-03"`` or
            ``"3 March 2025 08:12 GMT"``; a ``datetime`` or ``date`` is accepted too, a naive one
            read as UTC). ``None``, NaN and NaT count as absent; other keys are ignored.
            ``published_from`` (``"metadata"``, the default, ``"page"`` or ``"text"``) says where the time
            came from, as :func:`read_html` gives it.
        decision: ``"rules"`` (the default) or ``"learned"``: who decides which pairs are links.
        all_pairs: Align every pair instead of the candidate pairs (slow; to check candidates).
        sources: Ids of the articles to compare against all the others (a wire archive against
            a crawl): only source-target pairs are compared, and a source is the source of a
            related target unless publication times say otherwise. ``None`` compares all pairs.

    Returns:
        The report as a dict: ``documents``, ``pairs``, ``nodes``, ``edges``, ``families``,
        ``stats`` and ``diagnostics``.

    Raises:
        TypeError: ``articles`` is not an iterable of dicts, or a field has a wrong type.
        ValueError: An article lacks ``id`` or ``text`` or has it blank, two articles share an
            id, a time cannot be read, a source id names no article, or ``decision`` is unknown.
            The message names the article (``articles[3] ("wire"): ...``).

    Example:
        >>> import stemma
        >>> text = "Border villages were evacuated after heavy shelling on Monday, officials said. The governor said two civilians were injured while being evacuated from their homes. Temporary shelters were set up for about 9,300 displaced people in the district."
        >>> report = stemma.analyze([{"id": "wire", "text": text}, {"id": "copy", "text": text}])
        >>> [(p["a"], p["b"], p["relation"]) for p in report["pairs"]]
        [('copy', 'wire', 'duplicate')]
    """
    _require_str(decision, "decision")
    if not isinstance(all_pairs, bool):
        raise TypeError(f"all_pairs must be a bool, not {type(all_pairs).__name__}")
    records = [_record(k, item) for k, item in enumerate(_rows(articles))]
    source_ids = None if sources is None else _source_ids(sources)
    return cast(Report, _json.loads(_stemma.analyze(records, decision, all_pairs, source_ids)))


def read_html(id: str, html: str) -> Article:
    """Read a web page as an article: its main text and what the page says of itself.

    Menus, share bars, comments and other boilerplate are left out and paragraph breaks kept; the
    title, publisher, canonical URL and publication time come from the page's tags (a time the
    tags do not give is looked for in the text). This is how ``stemma analyze`` reads ``.html``
    files, and the result can be passed to :func:`analyze` as is.

    Args:
        id: The article's id.
        html: The page's HTML source.

    Returns:
        A dict (see :class:`stemma.Article`) with ``id``, ``text``, ``title``, ``publisher``,
        ``url``, ``published`` (a time string such as ``"2025-03-03T08:12Z"``, cut to the
        precision the page gives) and ``published_from`` (``"page"`` for a time the page states in its
        markup, ``"text"`` for one read off its text,
        ``None`` without a time); unknown fields are ``None``.

    Raises:
        TypeError: An argument is not a string.
        ValueError: The id is blank or has control characters, or the page is refused
            (pathologically nested or too large).

    Example:
        >>> import stemma
        >>> page = "<html><head><title>Mill shuts</title></head><body><article><p>The mill closed on Friday after ninety years of work in the town.</p></article></body></html>"
        >>> stemma.read_html("mill", page)["text"]
        'The mill closed on Friday after ninety years of work in the town.'
    """
    _require_str(id, "id")
    _require_str(html, "html")
    return cast(Article, _json.loads(_stemma.read_html(id, html)))


def read_jsonl_line(
    line: Union[bytes, bytearray, str], number: int = 1
) -> Optional[Tuple[Optional[Article], List[str]]]:
    """Read one line of a JSONL file of articles as ``stemma analyze`` reads it.

    For a reader of lines outside the CLI (the Spark job reads files a line at a time on many
    machines): the line is checked and read by the CLI's own rules (``stemma_input``), and a bad
    line gets the message the CLI's diagnostic gives it, so that it can be reported as
    ``FILE:LINE: message`` and the rest read on.

    Args:
        line: The line's bytes (or text), without its ``\\n``; a final ``\\r`` is dropped, and a
            UTF-8 byte-order mark on line 1.
        number: The line's 1-based number in its file (line 1 may start with a byte-order mark).

    Returns:
        ``None`` for a blank line. Otherwise ``(article, messages)``: ``article`` an article dict
        (as :func:`read_html` gives one; the text as written) or ``None`` when the line is skipped
        (not UTF-8, not JSON, no ``id`` or ``text``, a blank one, longer than 64 MiB), and
        ``messages`` the diagnostics of the line: the reason it is skipped (ending ``"; skipped"``),
        or the problems of fields the article is read without (a ``published`` that is no time, a
        ``title`` that is a number). Duplicate ids are the caller's to find.

    Raises:
        TypeError: ``line`` is not bytes or str.
        ValueError: ``number`` is less than 1.

    Example:
        >>> import stemma
        >>> stemma.read_jsonl_line(b'{"id": "a", "text": " "}', 4)
        (None, ['"text" is empty; skipped'])
        >>> article, messages = stemma.read_jsonl_line('{"id": "a", "text": "Flood water rose."}')
        >>> article["id"], messages
        ('a', [])
    """
    if isinstance(line, str):
        data = line.encode("utf-8")
    elif isinstance(line, (bytes, bytearray)):
        data = bytes(line)
    else:
        raise TypeError(f"line must be bytes or a str, not {type(line).__name__}")
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError(f"number must be an int, not {type(number).__name__}")
    if number < 1:
        raise ValueError(f"number is a 1-based line number, not {number}")
    read = _stemma.read_jsonl_line(data, number)
    if read is None:
        return None
    article, messages = read
    return (None if article is None else cast(Article, _json.loads(article))), messages


def keys(article: Any) -> ArticleKeys:
    """The keys whose document counts weigh an article in its corpus (first stage of a job).

    A distributed analysis counts, over the whole corpus, the documents of every term and every
    line, and builds a :class:`Counts` from them (:func:`counts`); term weights and the lines
    repeated across the corpus (page furniture) come from those counts.

    Args:
        article: An article dict, as :func:`analyze` takes it.

    Returns:
        ``{"terms": [...], "lines": [...]}``: the article's distinct term hashes (64-bit) and
        body-line fingerprints (128-bit), as Python ints, sorted.

    Raises:
        TypeError, ValueError: As :func:`analyze` for a bad article, naming it.

    Example:
        >>> import stemma
        >>> k = stemma.keys({"id": "a", "text": "The mill closed on Friday after ninety years."})
        >>> len(k["lines"]), len(k["terms"]) > 3
        (1, True)
    """
    terms, lines = _one(_stemma.keys, article)
    return {"terms": terms, "lines": lines}


def counts(
    documents: int,
    terms: Union[Mapping[int, int], Iterable[Tuple[int, int]]],
    lines: Union[Mapping[int, int], Iterable[Tuple[int, int]]],
    features: Union[Mapping[int, int], Iterable[Tuple[int, int]], None] = None,
) -> Counts:
    """The counts of a whole corpus, for :func:`features` and :func:`analyze_part`.

    Args:
        documents: How many articles the corpus has.
        terms: Documents per term hash (the ``terms`` of :func:`keys`), a dict or ``(key, count)``
            pairs.
        lines: Documents per line fingerprint (the ``lines`` of :func:`keys`).
        features: Documents per feature (the ``features`` of :func:`features`); needed by
            :func:`analyze_part`, not by :func:`features`.

    A key found in one document only may be left out: the article that has it reads its count
    outside itself as 0 either way. A job drops them to keep the table small.

    Returns:
        A :class:`Counts`, picklable (a Spark broadcast), held in Rust.
    """

    def pairs(value: Any) -> List[Tuple[int, int]]:
        items = value.items() if isinstance(value, Mapping) else value
        return [(int(k), int(v)) for k, v in items]

    if not isinstance(documents, int) or documents < 0:
        raise ValueError(f"documents must be a count (an int >= 0), not {documents!r}")
    return Counts(documents, pairs(terms), pairs(lines), None if features is None else pairs(features))


def features(article: Any, corpus: Counts) -> ArticleFeatures:
    """An article's candidate features in its corpus (second stage of a job).

    Features are shingles of content terms and pairs of rare terms, as ``stemma analyze`` takes
    them; which terms are rare, and which lines are furniture, depends on the whole corpus, so
    ``corpus`` counts the whole corpus (this article included: its own keys are taken off in Rust).

    Args:
        article: An article dict, as :func:`analyze` takes it.
        corpus: The :func:`counts` of the whole corpus's terms and lines (features not needed).

    Returns:
        ``{"features": [...], "keys": [...], "short": bool}``: ``features`` what the article adds
        to the corpus's feature counts (for :func:`counts`'s ``features``); ``keys`` its
        candidate keys, the features folded as candidate generation folds them in a corpus of
        ``corpus.documents`` articles (the index a job groups documents by); ``short`` whether
        the article has so few keys that one shared key can pair it.

    Raises:
        TypeError, ValueError: As :func:`analyze` for a bad article, naming it; ``ValueError``
            when ``corpus`` counts no documents.
    """
    if not isinstance(corpus, Counts):
        raise TypeError(f"corpus must be a stemma.Counts, not {type(corpus).__name__}")
    found, keyed, short = _one(lambda record: _stemma.features(record, corpus), article)
    return {"features": found, "keys": keyed, "short": short}


def posting_pairs(postings: Iterable[Tuple[str, bool]]) -> Optional[List[Tuple[str, str, bool]]]:
    """The pairs of the documents that share one candidate key (third stage of a job).

    Args:
        postings: ``(id, short)`` of every document with the key (ids distinct; ``short`` from
            :func:`features`).

    Returns:
        ``None`` when the key is banal (more documents have it than candidate generation allows,
        64): it pairs no one and counts in ``stats["banal_features"]``. Otherwise every pair
        ``(a, b, short)`` with ``a < b`` and ``short`` true when either is short.
    """
    return cast(
        Optional[List[Tuple[str, str, bool]]],
        _stemma.posting_pairs([(str(i), bool(s)) for i, s in postings]),
    )


def count_shared_keys(
    groups: Iterable[Tuple[int, Iterable[Tuple[str, bool]]]],
) -> Tuple[List[Tuple[str, str, int, int, bool]], int]:
    """Many candidate keys' documents paired at once, and the keys each pair shares counted (third
    stage of a job, a partition of keys at a time).

    The same as :func:`posting_pairs` on each key, then, per pair, the number of keys it shares, of
    them narrative (:func:`key_is_narrative`), and whether either document is short: the arguments
    of :func:`is_candidate`. A pair shares tens of keys; counting them here instead of one Python
    record per pair and key is what makes the stage fast.

    Args:
        groups: ``(key, postings)`` for each key, ``postings`` the ``(id, short)`` of the documents
            with it (ids distinct).

    Returns:
        ``(pairs, banal)``: ``pairs`` the ``(a, b, shared, narrative, short)`` of every pair, ``a <
        b``, sorted; ``banal`` how many keys were banal (more than 64 documents) and paired no one.

    Example:
        >>> import stemma
        >>> stemma.count_shared_keys([(7, [("b", False), ("a", False)]), (9, [("a", False), ("b", True)])])[1]
        0
    """
    items = [(int(key), [(str(i), bool(s)) for i, s in postings]) for key, postings in groups]
    return cast(Tuple[List[Tuple[str, str, int, int, bool]], int], _stemma.count_shared_keys(items))


def key_is_narrative(key: int) -> bool:
    """Whether a candidate key involves narrative words (ordinary words outside quotes) rather
    than names, numbers and quoted speech only, which independent reports of one event share."""
    return bool(_stemma.key_is_narrative(key))


def is_candidate(shared: int, narrative: int, short: bool) -> bool:
    """Whether two documents are a candidate pair: they share ``shared`` candidate keys,
    ``narrative`` of them narrative; ``short`` when either is short. The rule of
    ``stemma analyze`` (two keys, three of them narrative, or one when a text is short).

    Example:
        >>> import stemma
        >>> stemma.is_candidate(3, 3, False), stemma.is_candidate(5, 2, False), stemma.is_candidate(1, 1, True)
        (True, False, True)
    """
    return bool(_stemma.is_candidate(shared, narrative, short))


def analyze_part(articles: Any, corpus: Counts, *, decision: Decision = "rules") -> Report:
    """Analyse one part of a corpus in the whole corpus (last stage of a job).

    ``articles`` must be a union of connected components of the corpus's candidate pairs: no
    candidate pair joins one of them to an article outside. Then the part's related pairs,
    probabilities, relations, families and edges are exactly those ``stemma analyze`` finds for
    these articles in the whole corpus, and the reports of the parts merge into its report
    (``stemma_spark.merge_reports``).

    Args:
        articles: The part's article dicts, as :func:`analyze` takes them.
        corpus: The :func:`counts` of the whole corpus (these articles included), with
            ``features``: the part's own counts are taken off in Rust.
        decision: ``"rules"`` (the default) or ``"learned"``.

    Returns:
        The report of the part, in the shape of :func:`analyze`'s; ``stats`` and ``nodes`` count
        the part only, and missing sources are numbered within it.

    Raises:
        TypeError, ValueError: As :func:`analyze`; ``ValueError`` when ``corpus`` counts fewer
            documents than the part has.
    """
    _require_str(decision, "decision")
    if not isinstance(corpus, Counts):
        raise TypeError(f"corpus must be a stemma.Counts, not {type(corpus).__name__}")
    records = [_record(k, item) for k, item in enumerate(_rows(articles))]
    return cast(Report, _json.loads(_stemma.analyze_part(records, corpus, decision)))


def prepare(article: Any, corpus: Counts) -> Prepared:
    """An article prepared for :func:`align` in its corpus.

    How two texts align depends on the corpus: a word's weight is how rare it is in the corpus, and a
    line repeated on many of its pages is page furniture. A prepared article carries, beside the
    article, the corpus's counts of its own terms and lines (taken from ``corpus``), so that two
    prepared articles can be aligned on any machine without the corpus's whole :class:`Counts`.

    Args:
        article: An article dict, as :func:`analyze` takes it.
        corpus: The :func:`counts` of the whole corpus's terms and lines (this article included;
            features not needed).

    Returns:
        A :class:`Prepared` (``id``, ``documents``), held in Rust and picklable.

    Raises:
        TypeError, ValueError: As :func:`analyze` for a bad article, naming it; ``ValueError``
            when ``corpus`` counts no documents.
    """
    if not isinstance(corpus, Counts):
        raise TypeError(f"corpus must be a stemma.Counts, not {type(corpus).__name__}")
    return cast(Prepared, _one(lambda record: _stemma.prepare(record, corpus), article))


def align(a: Prepared, b: Prepared, *, decision: Decision = "rules") -> AlignedPair:
    """Two prepared articles aligned as ``stemma analyze`` aligns them in their corpus.

    The sentence alignment, the pair's measurements and its relation under the rules are those
    ``stemma analyze`` finds for this pair in the corpus the two were prepared in: their words are
    weighed and their repeated lines found with the whole corpus's counts. In a corpus of these two
    articles only, the result is :func:`compare`'s exactly.

    What a pair alone cannot give: the link model's ``probability`` (and with it the learned
    decision) weighs a pair against its articles' other aligned pairs in the corpus, so here it is
    the pair's alone; only :func:`analyze_part` over a whole connected part gives the corpus's. And
    a line repeated on many pages is furniture when its block is a small part of the median page
    that carries it, a median taken here over the two pages (as :func:`analyze_part` takes it over
    its part's).

    Args:
        a, b: Articles from :func:`prepare`, with different ids, prepared with one corpus's counts.
        decision: ``"rules"`` (the default) or ``"learned"`` (the learned decision of the pair
            alone).

    Returns:
        An :class:`AlignedPair`: ``ids`` (sorted), ``relation`` (or ``None``) and ``comparison``,
        the dict :func:`compare` returns (``a`` is the article given first); picklable, and what
        :func:`derive` takes.

    Raises:
        TypeError: ``a`` or ``b`` is not a :class:`Prepared`.
        ValueError: The ids are the same, or the two were prepared in corpora of different sizes.
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Prepared):
            raise TypeError(f"{name} must be a stemma.Prepared, not {type(value).__name__}")
    _require_str(decision, "decision")
    return cast(AlignedPair, _stemma.align(a, b, decision))


def derive(pairs: Iterable[AlignedPair]) -> Derivation:
    """The derivation graph of a family (or of any set of families) from its aligned pairs.

    Who derives from whom, found as ``stemma analyze`` finds it: from the related pairs among
    ``pairs`` (pairs without a relation are ignored), the articles' publication times and the
    aligned sentences, with missing sources where two copies share a text their sources do not.
    Given the related pairs of one family of ``stemma analyze``'s report, aligned by :func:`align`
    with the corpus's counts, the result has that family's edges (``stemma_spark`` numbers missing
    sources across families as the report does).

    Args:
        pairs: :class:`AlignedPair` values, each pair of articles at most once; an article in several
            pairs must have been prepared once (same text, same time).

    Returns:
        ``{"nodes", "edges", "families"}`` in the shape of the report's (docs/json.md): the
        articles of the pairs and the missing sources (``missing-source-1``, ... in family order),
        the edges, the families with their members in time order.

    Raises:
        TypeError: An element is not an :class:`AlignedPair`.
        ValueError: A pair is given twice, or an article has two different texts or times.
    """
    if isinstance(pairs, AlignedPair):
        raise TypeError("pairs must be an iterable of stemma.AlignedPair, not a single one")
    pairs = list(pairs)
    for k, pair in enumerate(pairs):
        if not isinstance(pair, AlignedPair):
            raise TypeError(f"pairs[{k}] must be a stemma.AlignedPair, not {type(pair).__name__}")
    return cast(Derivation, _json.loads(_stemma.derive(pairs)))


def _one(call: Any, article: Any) -> Any:
    """``call`` on one article's record; errors name it ``article`` rather than ``articles[0]``."""
    try:
        return call(_record(0, article))
    except (TypeError, ValueError) as e:
        message = str(e)
        if message.startswith("articles[0]"):
            message = "article" + message[len("articles[0]"):]
        raise type(e)(message) from None


def _require_str(value: object, name: str) -> None:
    """Raise ``TypeError`` unless ``value`` is a string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")


def _rows(articles: Any) -> Iterable[Any]:
    """The rows of ``articles``: a DataFrame's records, or the iterable itself."""
    # A DataFrame, recognised without importing pandas (which stays optional).
    if hasattr(articles, "to_dict") and hasattr(articles, "columns"):
        return cast(Iterable[Any], articles.to_dict("records"))
    if isinstance(articles, (str, bytes, _Mapping)):
        raise TypeError(
            f"articles must be an iterable of article dicts or a DataFrame, "
            f"not a single {type(articles).__name__}"
        )
    try:
        return cast(Iterable[Any], iter(articles))
    except TypeError:
        raise TypeError(
            f"articles must be an iterable of article dicts or a DataFrame, "
            f"not {type(articles).__name__}"
        ) from None


def _is_missing(value: object) -> bool:
    """Whether a value stands for "absent": ``None``, or pandas' NaN, NaT and NA."""
    if value is None:
        return True
    if isinstance(value, (float, _datetime.datetime)):
        # NaN and NaT are the values unequal to themselves.
        return value != value
    # pandas.NA (nullable columns), recognised without importing pandas.
    kind = type(value)
    return kind.__name__ == "NAType" and kind.__module__.startswith("pandas")


def _record(k: int, item: Any) -> Dict[str, Optional[str]]:
    """Article ``k`` as the native module takes it: every field, each a string or ``None``."""
    if not isinstance(item, _Mapping):
        raise TypeError(f"articles[{k}] must be a dict, not {type(item).__name__}")
    record: Dict[str, Optional[str]] = {}
    for field in _FIELDS:
        value = item.get(field)
        if _is_missing(value):
            record[field] = None
        elif isinstance(value, str):
            record[field] = value
        elif field == "published" and isinstance(value, _datetime.datetime):
            # Milliseconds are the finest precision stemma keeps; whole seconds stay seconds.
            spec = "milliseconds" if value.microsecond else "seconds"
            record[field] = value.isoformat(timespec=spec)
        elif field == "published" and isinstance(value, _datetime.date):
            record[field] = value.isoformat()
        else:
            at = f"articles[{k}]"
            if isinstance(item.get("id"), str):
                at += f" ({_json.dumps(item['id'], ensure_ascii=False)})"
            expected = "a str or a datetime" if field == "published" else "a str"
            raise TypeError(f'{at}: "{field}" must be {expected}, not {type(value).__name__}')
    return record


def _source_ids(sources: Iterable[str]) -> List[str]:
    """The ids of ``sources``, checked to be strings."""
    if isinstance(sources, (str, bytes)):
        raise TypeError("sources must be an iterable of ids, not a single string")
    ids = list(sources)
    for k, source in enumerate(ids):
        if not isinstance(source, str):
            raise TypeError(f"sources[{k}] must be a str, not {type(source).__name__}")
    return ids
