//! The native half of the `stemma` Python package, imported as `stemma._stemma`;
//! `python/stemma/__init__.py` is the public face (argument checks of Python types, pandas
//! DataFrames, `json.loads`).
//!
//! Results cross to Python as JSON text: the corpus report is then written by the very function
//! `stemma analyze --format json` writes it with ([`stemma_report::write_report`]), so the two
//! cannot drift apart. Articles are read by the rules of the CLI's JSONL reader, with the public
//! pieces of `stemma-input` and `stemma-graph` (its line parser is private): text as prose, blank
//! optional fields absent, times by [`stemma_graph::parse_timestamp`], a time still unknown looked
//! for in the text, a time in the future set aside. `tests/test_analyze.py` checks that a corpus
//! given as dicts and as a JSONL file to the binary gives one report. Where the CLI reports a bad
//! article and goes on, the Python API refuses the call with a `ValueError`: a program that passes
//! a corpus wants to hear that one of its rows was wrong, not to get a report without it.

use std::collections::{BTreeSet, HashMap};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;
use stemma_align::Document;
use stemma_graph::{
    AnalyzeOptions, Article, Decision, Diagnostic, Provenance, Relation, RelationOptions, Scope,
    Sourced, TimestampError,
};
use stemma_report::{DiffGroup, diff_groups, round};

mod stages;

/// A bad argument, reported to Python as a `ValueError` with this message.
#[derive(Debug, thiserror::Error)]
enum InputError {
    #[error("{at}: {field:?} is missing")]
    Missing { at: String, field: &'static str },
    #[error("{at}: {field:?} is empty")]
    Blank { at: String, field: &'static str },
    #[error(
        "{at}: the id {id:?} has control characters, which would forge lines in reports; \
         remove them"
    )]
    ControlInId { at: String, id: String },
    #[error("{at}: duplicate id {id:?}: already given by {first}")]
    DuplicateId {
        at: String,
        id: String,
        first: String,
    },
    #[error("{at}: {source}")]
    Time {
        at: String,
        #[source]
        source: TimestampError,
    },
    #[error("{at}: \"published_from\" must be \"metadata\", \"page\" or \"text\", not {value:?}")]
    PublishedFrom { at: String, value: String },
    #[error("sources: {0:?} is not the id of any article")]
    UnknownSource(String),
    #[error("decision must be \"rules\" or \"learned\", not {0:?}")]
    Decision(String),
    #[error("a_id and b_id are both {0:?}; the two texts need different ids")]
    SameIds(String),
    #[error("{id:?}: {message}")]
    Html { id: String, message: String },
}

impl From<InputError> for PyErr {
    fn from(e: InputError) -> PyErr {
        PyValueError::new_err(e.to_string())
    }
}

/// One article as `python/stemma/__init__.py` hands it over: every key present, each value a
/// string or `None` (Python types were checked there).
#[derive(FromPyObject)]
struct Record {
    #[pyo3(item)]
    id: Option<String>,
    #[pyo3(item)]
    text: Option<String>,
    #[pyo3(item)]
    title: Option<String>,
    #[pyo3(item)]
    publisher: Option<String>,
    #[pyo3(item)]
    url: Option<String>,
    #[pyo3(item)]
    published: Option<String>,
    #[pyo3(item)]
    published_from: Option<String>,
}

/// The relation settings of a `decision` argument (`--decision` of the CLI).
fn relation_options(decision: &str) -> Result<RelationOptions, InputError> {
    let decision = match decision {
        "rules" => Decision::Rules,
        "learned" => Decision::Learned,
        other => return Err(InputError::Decision(other.to_owned())),
    };
    Ok(RelationOptions {
        decision,
        ..RelationOptions::default()
    })
}

/// An id the reports can show: not blank, no control characters. The CLI rewrites such an id
/// with escapes and says so; a caller of the library would then hold results under an id it never
/// gave, so it is refused instead.
fn check_id(id: &str, at: &str, field: &'static str) -> Result<(), InputError> {
    if id.trim().is_empty() {
        return Err(InputError::Blank {
            at: at.to_owned(),
            field,
        });
    }
    if id.chars().any(char::is_control) {
        return Err(InputError::ControlInId {
            at: at.to_owned(),
            id: id.to_owned(),
        });
    }
    Ok(())
}

/// A required text, not blank.
fn required(value: Option<String>, at: &str, field: &'static str) -> Result<String, InputError> {
    let at = at.to_owned();
    match value {
        None => Err(InputError::Missing { at, field }),
        Some(v) if v.trim().is_empty() => Err(InputError::Blank { at, field }),
        Some(v) => Ok(v),
    }
}

/// An optional field as the JSONL reader keeps it: trimmed, and absent when blank.
fn optional(value: Option<String>) -> Option<String> {
    value.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The article of `articles[k]`, read as the CLI reads a JSONL article.
fn article_of(k: usize, record: Record) -> Result<Article, InputError> {
    let at = format!("articles[{k}]");
    let id = match record.id {
        None => return Err(InputError::Missing { at, field: "id" }),
        Some(id) => id,
    };
    check_id(&id, &at, "id")?;
    let at = format!("{at} ({id:?})");
    let text = required(record.text, &at, "text")?;
    let mut article = Article::new(id, stemma_input::as_prose(text));
    article.title = optional(record.title).map(Sourced::metadata);
    article.publisher = optional(record.publisher).map(Sourced::metadata);
    article.url = optional(record.url).map(Sourced::metadata);
    if let Some(published) = optional(record.published) {
        let value =
            stemma_graph::parse_timestamp(&published).map_err(|source| InputError::Time {
                at: at.clone(),
                source,
            })?;
        // `read_html` says where a page's time came from; handing its article back keeps that.
        let from = match optional(record.published_from).as_deref() {
            None | Some("metadata") => Provenance::Metadata,
            Some("page") => Provenance::Page,
            Some("text") => Provenance::Text,
            Some(other) => {
                return Err(InputError::PublishedFrom {
                    at,
                    value: other.to_owned(),
                });
            }
        };
        article.published = Some(Sourced { value, from });
    }
    article.resolve_published();
    Ok(article)
}

/// The articles of a corpus, ids unique, with the diagnostics of times set aside.
fn load(records: Vec<Record>, now_unix_millis: i64) -> Result<stemma_input::Loaded, InputError> {
    let mut first: HashMap<String, usize> = HashMap::with_capacity(records.len());
    let mut articles = Vec::with_capacity(records.len());
    for (k, record) in records.into_iter().enumerate() {
        let article = article_of(k, record)?;
        if let Some(&j) = first.get(&article.id) {
            return Err(InputError::DuplicateId {
                at: format!("articles[{k}]"),
                id: article.id,
                first: format!("articles[{j}]"),
            });
        }
        first.insert(article.id.clone(), k);
        articles.push(article);
    }
    articles.sort_by(|x, y| x.id.cmp(&y.id));
    let mut loaded = stemma_input::Loaded {
        articles,
        diagnostics: Vec::new(),
    };
    loaded.set_aside_future_times(now_unix_millis);
    Ok(loaded)
}

/// The caller's clock, for times in the future (the CLI's check; 0 if the clock is before 1970).
fn now_unix_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The JSON report of `stemma analyze --format json` (docs/json.md) for `records`, as UTF-8 bytes.
///
/// `records` are dicts with the keys id, text, title, publisher, url, published and
/// published_from (strings or None); `sources`, when given, are the ids compared against all the
/// other articles (`--sources`/`--targets`).
#[pyfunction]
#[pyo3(signature = (records, decision, all_pairs, sources))]
fn analyze<'py>(
    py: Python<'py>,
    records: Vec<Record>,
    decision: &str,
    all_pairs: bool,
    sources: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let relation = relation_options(decision)?;
    let loaded = load(records, now_unix_millis())?;
    let scope = match sources {
        None => Scope::All,
        Some(sources) => {
            let sources: BTreeSet<String> = sources.into_iter().collect();
            if let Some(unknown) = sources.iter().find(|id| {
                loaded
                    .articles
                    .binary_search_by(|a| a.id.as_str().cmp(id.as_str()))
                    .is_err()
            }) {
                return Err(InputError::UnknownSource(unknown.clone()).into());
            }
            Scope::Across { sources }
        }
    };
    let options = AnalyzeOptions {
        all_pairs,
        relation,
        scope,
        ..AnalyzeOptions::default()
    };
    // Other Python threads run while the corpus is analysed.
    let report = py.detach(move || -> serde_json::Result<Vec<u8>> {
        let mut analysis = stemma_graph::analyze(loaded.articles, &options);
        // As in the CLI: what reading set aside first, then what the analysis did.
        analysis.diagnostics.splice(0..0, loaded.diagnostics);
        let mut out = Vec::new();
        stemma_report::write_report(&analysis, &mut out)?;
        Ok(out)
    });
    let report = report.map_err(|e| PyRuntimeError::new_err(format!("writing the report: {e}")))?;
    Ok(PyBytes::new(py, &report))
}

/// Two articles compared, oriented as the caller gave them.
#[derive(Debug, Serialize)]
pub(crate) struct ComparisonJson {
    a: String,
    b: String,
    relation: Option<Relation>,
    score: f64,
    probability: f64,
    coverage_a: f64,
    coverage_b: f64,
    narrative_coverage_a: f64,
    narrative_coverage_b: f64,
    verbatim_share: f64,
    immutable_share: f64,
    narrative_groups: usize,
    order_consistency: f64,
    longest_run: usize,
    alignments: Vec<GroupJson>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// An aligned group: `stemma diff --format json`'s group with its shape named.
#[derive(Debug, Serialize)]
struct GroupJson {
    #[serde(flatten)]
    group: DiffGroup,
    kind: &'static str,
}

/// The comparison of two texts as `stemma analyze` compares two articles alone.
fn comparison(a: Article, b: Article, options: &AnalyzeOptions) -> ComparisonJson {
    let a_id = a.id.clone();
    let pair = stemma_graph::compare_articles(a, b, options);
    comparison_of(&a_id, &pair.documents, &pair.evidence)
}

/// A pair's comparison (its documents sorted by id, `evidence.a` the first), oriented so that `a` is
/// the article `a_id`.
pub(crate) fn comparison_of(
    a_id: &str,
    documents: &[Document; 2],
    e: &stemma_graph::PairEvidence,
) -> ComparisonJson {
    // The documents are sorted by id; the caller's first text stays `a` here.
    let swapped = documents[0].id != a_id;
    let (doc_a, doc_b): (&Document, &Document) = if swapped {
        (&documents[1], &documents[0])
    } else {
        (&documents[0], &documents[1])
    };
    let (alignment, narrative_a, narrative_b) = if swapped {
        let swapped = e.alignment.swapped();
        (swapped, e.narrative_coverage_b, e.narrative_coverage_a)
    } else {
        (
            e.alignment.clone(),
            e.narrative_coverage_a,
            e.narrative_coverage_b,
        )
    };
    let alignments = diff_groups(doc_a, doc_b, &alignment)
        .into_iter()
        .map(|group| GroupJson {
            kind: group.shape(),
            group,
        })
        .collect();
    // The limits reached, as `stemma diff` reports them: never silent.
    let mut diagnostics = Vec::new();
    for doc in [doc_a, doc_b] {
        diagnostics.extend(
            doc.segmentation
                .limits_reached()
                .into_iter()
                .map(|message| Diagnostic {
                    source: doc.id.clone(),
                    line: None,
                    message,
                }),
        );
    }
    if let Some(message) = alignment.limit_reached() {
        diagnostics.push(Diagnostic {
            source: doc_a.id.clone(),
            line: None,
            message: format!("with {}: {message}", doc_b.id),
        });
    }
    ComparisonJson {
        a: doc_a.id.clone(),
        b: doc_b.id.clone(),
        relation: e.relation,
        score: round(e.score),
        probability: round(e.probability),
        coverage_a: round(alignment.coverage_a),
        coverage_b: round(alignment.coverage_b),
        narrative_coverage_a: round(narrative_a),
        narrative_coverage_b: round(narrative_b),
        verbatim_share: round(e.verbatim_share),
        immutable_share: round(e.immutable_share),
        narrative_groups: e.narrative_groups,
        order_consistency: round(e.order_consistency),
        longest_run: e.longest_run,
        alignments,
        diagnostics,
    }
}

/// The comparison of texts `a` and `b` (ids `a_id`, `b_id`) as JSON: relation, evidence, aligned
/// groups with word diffs.
#[pyfunction]
#[pyo3(signature = (a, b, a_id, b_id, decision))]
fn compare<'py>(
    py: Python<'py>,
    a: String,
    b: String,
    a_id: String,
    b_id: String,
    decision: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let relation = relation_options(decision)?;
    check_id(&a_id, "compare", "a_id")?;
    check_id(&b_id, "compare", "b_id")?;
    if a_id == b_id {
        return Err(InputError::SameIds(a_id).into());
    }
    let a = required(Some(a), "compare", "a")?;
    let b = required(Some(b), "compare", "b")?;
    let options = AnalyzeOptions {
        relation,
        ..AnalyzeOptions::default()
    };
    let json = py.detach(move || {
        let a = Article::new(a_id, stemma_input::as_prose(a));
        let b = Article::new(b_id, stemma_input::as_prose(b));
        serde_json::to_vec(&comparison(a, b, &options))
    });
    let json = json.map_err(|e| PyRuntimeError::new_err(format!("writing the comparison: {e}")))?;
    Ok(PyBytes::new(py, &json))
}

/// An article read from a web page, in the shape `analyze` takes.
#[derive(Debug, Serialize)]
struct ArticleJson {
    id: String,
    text: String,
    title: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    published: Option<String>,
    published_from: Option<Provenance>,
}

/// The article of an HTML page (`stemma_input::article_from_html`, its time looked for in the
/// text when the page's tags give none), as JSON.
#[pyfunction]
#[pyo3(signature = (id, html))]
fn read_html<'py>(py: Python<'py>, id: String, html: String) -> PyResult<Bound<'py, PyBytes>> {
    check_id(&id, "read_html", "id")?;
    let article = py.detach(|| {
        stemma_input::article_from_html(&id, &html).map(|mut article| {
            article.resolve_published();
            article
        })
    });
    let article = article.map_err(|message| InputError::Html {
        id: id.clone(),
        message,
    })?;
    let json = serde_json::to_vec(&article_json(article))
        .map_err(|e| PyRuntimeError::new_err(format!("writing the article: {e}")))?;
    Ok(PyBytes::new(py, &json))
}

/// The article of an [`Article`] as `read_html` gives it.
fn article_json(article: Article) -> ArticleJson {
    let value = |s: Option<Sourced<String>>| s.map(|s| s.value);
    ArticleJson {
        published: article.published.as_ref().map(|p| p.value.to_string()),
        published_from: article.published.as_ref().map(|p| p.from),
        id: article.id,
        text: article.text,
        title: value(article.title),
        publisher: value(article.publisher),
        url: value(article.url),
    }
}

/// What [`read_jsonl_line`] gives: `None` for a blank line, else the article's JSON (`None` when
/// the line is skipped) and the line's diagnostics.
type LineRead<'py> = Option<(Option<Bound<'py, PyBytes>>, Vec<String>)>;

/// Line `number` (1-based) of a JSONL file of articles, read as `stemma analyze` reads it
/// (`stemma_input::read_article_line`): `None` for a blank line, else the article as JSON (`None`
/// when the line is skipped) and the messages of its diagnostics at that line.
#[pyfunction]
#[pyo3(signature = (line, number))]
fn read_jsonl_line<'py>(py: Python<'py>, line: &[u8], number: usize) -> PyResult<LineRead<'py>> {
    if number == 0 {
        return Err(PyValueError::new_err(
            "number is a 1-based line number, not 0",
        ));
    }
    Ok(match stemma_input::read_article_line(line, number) {
        stemma_input::JsonlLine::Blank => None,
        stemma_input::JsonlLine::Skipped(message) => Some((None, vec![message])),
        stemma_input::JsonlLine::Article { article, problems } => {
            let json = serde_json::to_vec(&article_json(article))
                .map_err(|e| PyRuntimeError::new_err(format!("writing the article: {e}")))?;
            Some((Some(PyBytes::new(py, &json)), problems))
        }
    })
}

/// The CLI's message for an article whose id was read before at `first` (`file:line`).
#[pyfunction]
fn duplicate_id_message(id: &str, first: &str) -> String {
    stemma_input::duplicate_id(id, first)
}

/// The CLI's message for the bad lines of a file beyond the first `MAX_LINE_DIAGNOSTICS`.
#[pyfunction]
fn more_bad_lines_message(suppressed: usize) -> String {
    stemma_input::more_bad_lines(suppressed)
}

/// stemma's native functions; use them through the `stemma` package.
#[pymodule]
mod _stemma {
    #[pymodule_export]
    use super::stages::{
        AlignedPair, Counts, Prepared, align, analyze_part, count_shared_keys, derive, features,
        is_candidate, key_is_narrative, keys, posting_pairs, prepare,
    };
    #[pymodule_export]
    use super::{
        analyze, compare, duplicate_id_message, more_bad_lines_message, read_html, read_jsonl_line,
    };

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("MAX_LINE_DIAGNOSTICS", stemma_input::MAX_LINE_DIAGNOSTICS)?;
        m.add("EMPTY_FILE_MESSAGE", stemma_input::EMPTY_FILE)?;
        m.add(
            "BANAL_LIMIT",
            stemma_graph::CandidateOptions::default().banal_limit(),
        )
    }
}
