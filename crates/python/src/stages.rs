//! The stage functions of a distributed analysis (`stemma_spark`): each a pure function of its
//! inputs, so that a job can run them on any machine in any order and still get the answer of
//! `stemma analyze`. The rules all come from `stemma-graph`; a job only moves their results.
//!
//! 1. [`keys`]: an article's term hashes and line fingerprints; a job counts the documents of each
//!    into a [`Counts`] of the whole corpus.
//! 2. [`features`]: an article's candidate features given those counts (term weights and repeated
//!    lines are the whole corpus's), and its candidate keys, the features folded as candidate
//!    generation folds them for a corpus of that size.
//! 3. [`posting_pairs`] and [`is_candidate`]: the documents of one key paired (none when the key
//!    is banal), and the rule that keeps a pair by how many keys it shares.
//! 4. [`analyze_part`]: a union of connected components of the candidate pairs analysed with the
//!    counts of the rest of the corpus, as the JSON report of `stemma analyze`.
//!
//! Counts are of the whole corpus, the articles a stage is given included; each stage takes the
//! given articles' own counts off in Rust ([`Minus`]). A key found in one document only may be left
//! out of a [`Counts`] (a job drops them to keep the table small): the article that has it then
//! reads its count outside itself as 0, which it is.

use std::collections::{BTreeMap, HashMap};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::{Deserialize, Serialize};
use stemma_align::{AlignedGroup, Overlap};
use stemma_graph::{
    AnalyzeOptions, Article, CandidateOptions, CorpusCounts, CountTable, Link, NodeKind,
    PairEvidence, Precision, Relation, Silent, Timestamp, article_counts, candidate_key,
    count_keys, is_narrative, is_narrative_group,
};

use crate::{InputError, Record, load, now_unix_millis, relation_options};

/// The counts of a corpus: documents, and the documents of each term, line and feature.
#[pyclass(module = "stemma._stemma", frozen)]
pub struct Counts {
    pub(crate) table: CountTable,
}

/// Reads little-endian numbers off a byte slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> PyResult<[u8; N]> {
        if self.0.len() < N {
            return Err(PyValueError::new_err(
                "Counts.from_bytes: the bytes end too early (not written by Counts.to_bytes)",
            ));
        }
        let (head, tail) = self.0.split_at(N);
        self.0 = tail;
        Ok(head.try_into().expect("N bytes"))
    }
    fn u32(&mut self) -> PyResult<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> PyResult<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    fn u128(&mut self) -> PyResult<u128> {
        self.take::<16>().map(u128::from_le_bytes)
    }
    fn len(&mut self) -> PyResult<usize> {
        usize::try_from(self.u64()?)
            .map_err(|_| PyValueError::new_err("Counts.from_bytes: a length too large"))
    }
}

/// A magic prefix of [`Counts::to_bytes`], with a format version.
const MAGIC: &[u8; 8] = b"stemmaC1";

#[pymethods]
impl Counts {
    #[new]
    #[pyo3(signature = (documents, terms, lines, features=None))]
    fn new(
        documents: usize,
        terms: Vec<(u64, u32)>,
        lines: Vec<(u128, u32)>,
        features: Option<Vec<(u64, u32)>>,
    ) -> Self {
        let table = CountTable {
            documents,
            terms: terms.into_iter().collect(),
            lines: lines.into_iter().collect(),
            features: features.unwrap_or_default().into_iter().collect(),
        };
        Counts { table }
    }

    /// How many documents were counted.
    #[getter]
    fn documents(&self) -> usize {
        self.table.documents
    }

    /// How many of them have the term, line or feature `key` (`kind`: "terms", "lines" or
    /// "features"); 0 for a key not held.
    fn get(&self, kind: &str, key: u128) -> PyResult<u32> {
        let narrow = || {
            u64::try_from(key)
                .map_err(|_| PyValueError::new_err(format!("a {kind} key is a 64-bit number")))
        };
        Ok(match kind {
            "terms" => self.table.term_documents(narrow()?),
            "features" => self.table.feature_documents(narrow()?),
            "lines" => self.table.line_documents(key),
            other => {
                return Err(PyValueError::new_err(format!(
                    "kind must be \"terms\", \"lines\" or \"features\", not {other:?}"
                )));
            }
        })
    }

    /// `(terms, lines, features)`: how many keys of each kind are held.
    fn sizes(&self) -> (usize, usize, usize) {
        (
            self.table.terms.len(),
            self.table.lines.len(),
            self.table.features.len(),
        )
    }

    /// The counts as bytes (little-endian, keys sorted), for `Counts.from_bytes` and pickling.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &table_bytes(&self.table))
    }

    /// Counts read back from `Counts.to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Counts {
            table: table_of(data)?,
        })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = py.get_type::<Counts>().getattr("from_bytes")?;
        Ok((from_bytes, (slf.get().to_bytes(py),)))
    }

    fn __repr__(&self) -> String {
        let (t, l, f) = self.sizes();
        format!(
            "Counts(documents={}, terms: {t} keys, lines: {l} keys, features: {f} keys)",
            self.table.documents
        )
    }
}

/// The counts of a corpus minus those of some of its articles: what the rest of the corpus counts.
/// A key the corpus does not hold counts 0 (it may have been left out as found once).
struct Minus<'a> {
    corpus: &'a CountTable,
    own: &'a CountTable,
}

impl CorpusCounts for Minus<'_> {
    fn documents(&self) -> usize {
        self.corpus.documents - self.own.documents
    }
    fn term_documents(&self, term: u64) -> u32 {
        self.corpus
            .term_documents(term)
            .saturating_sub(self.own.term_documents(term))
    }
    fn feature_documents(&self, feature: u64) -> u32 {
        self.corpus
            .feature_documents(feature)
            .saturating_sub(self.own.feature_documents(feature))
    }
    fn line_documents(&self, line: u128) -> u32 {
        self.corpus
            .line_documents(line)
            .saturating_sub(self.own.line_documents(line))
    }
}

/// The articles of `records`, read as `stemma.analyze` reads them.
fn articles_of(records: Vec<Record>) -> Result<stemma_input::Loaded, InputError> {
    load(records, now_unix_millis())
}

/// The term and line keys of `articles`, each article counted once per key, as a table.
fn own_keys(articles: &[Article]) -> CountTable {
    let mut own = CountTable::default();
    for article in articles {
        let keys = count_keys(vec![article.clone()]);
        own.add(&stemma_graph::ArticleCounts {
            terms: keys.terms,
            features: Vec::new(),
            lines: keys.lines,
        });
    }
    own
}

/// Fails unless the corpus counts at least the given articles.
fn check_documents(corpus: &CountTable, given: usize) -> PyResult<()> {
    if corpus.documents < given {
        return Err(PyValueError::new_err(format!(
            "the counts are of {} documents, fewer than the {given} articles given: they must \
             count the whole corpus, these articles included",
            corpus.documents
        )));
    }
    Ok(())
}

/// One article's term hashes and line fingerprints (`stemma_graph::count_keys`).
#[pyfunction]
pub fn keys(py: Python<'_>, record: Record) -> PyResult<(Vec<u64>, Vec<u128>)> {
    let loaded = articles_of(vec![record])?;
    let keys = py.detach(move || count_keys(loaded.articles));
    Ok((keys.terms, keys.lines))
}

/// One article's candidate features in the corpus `corpus` counts (the article included), its
/// candidate keys (the features folded to the corpus size, distinct) and whether it is short.
#[pyfunction]
pub fn features(
    py: Python<'_>,
    record: Record,
    corpus: &Counts,
) -> PyResult<(Vec<u64>, Vec<u64>, bool)> {
    let loaded = articles_of(vec![record])?;
    let corpus = &corpus.table;
    check_documents(corpus, 1)?;
    Ok(py.detach(move || {
        let options = AnalyzeOptions::default();
        let own = own_keys(&loaded.articles);
        let rest = Minus { corpus, own: &own };
        let counted = article_counts(loaded.articles, &rest, &options)
            .pop()
            .expect("one article, one count");
        let mut keys: Vec<u64> = counted
            .features
            .iter()
            .map(|&f| candidate_key(f, corpus.documents))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let short = options.candidates.is_short(keys.len());
        (counted.features, keys, short)
    }))
}

/// The pairs of the documents that have one candidate key, `postings` being `(id, short)` for each
/// (distinct ids): `None` when the key is banal (in more documents than candidate generation
/// allows), else `(a, b, short)` for every pair with `a < b` and `short` when either is short.
#[pyfunction]
pub fn posting_pairs(postings: Vec<(String, bool)>) -> Option<Vec<(String, String, bool)>> {
    let options = CandidateOptions::default();
    if postings.len() > options.banal_limit() {
        return None;
    }
    let mut postings = postings;
    postings.sort();
    let mut pairs = Vec::with_capacity(postings.len() * postings.len().saturating_sub(1) / 2);
    for (x, (a, short_a)) in postings.iter().enumerate() {
        for (b, short_b) in &postings[x + 1..] {
            pairs.push((a.clone(), b.clone(), *short_a || *short_b));
        }
    }
    Some(pairs)
}

/// Whether a candidate key involves narrative words (`stemma_graph::is_narrative`).
#[pyfunction]
pub fn key_is_narrative(key: u64) -> bool {
    is_narrative(key)
}

/// Whether two documents that share `shared` keys, `narrative` of them narrative, are a candidate
/// pair (`CandidateOptions::pairs`); `short` when either is short.
#[pyfunction]
pub fn is_candidate(shared: usize, narrative: usize, short: bool) -> bool {
    CandidateOptions::default().pairs(shared, narrative, short)
}

/// The report of `records`, a union of connected components of the corpus's candidate pairs,
/// analysed in the corpus `corpus` counts (these articles included), as UTF-8 JSON.
#[pyfunction]
#[pyo3(signature = (records, corpus, decision))]
pub fn analyze_part<'py>(
    py: Python<'py>,
    records: Vec<Record>,
    corpus: &Counts,
    decision: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let relation = relation_options(decision)?;
    let loaded = articles_of(records)?;
    let corpus = &corpus.table;
    check_documents(corpus, loaded.articles.len())?;
    let options = AnalyzeOptions {
        relation,
        ..AnalyzeOptions::default()
    };
    let report = py.detach(move || -> serde_json::Result<Vec<u8>> {
        // The part's own counts, features computed in the whole corpus as the job computed them.
        let mut own = own_keys(&loaded.articles);
        let features = article_counts(
            loaded.articles.clone(),
            &Minus { corpus, own: &own },
            &options,
        );
        for counted in &features {
            for &f in &counted.features {
                *own.features.entry(f).or_default() += 1;
            }
        }
        let rest = Minus { corpus, own: &own };
        let mut analysis = stemma_graph::analyze_part(loaded.articles, &rest, &options, &Silent);
        analysis.diagnostics.splice(0..0, loaded.diagnostics);
        let mut out = Vec::new();
        stemma_report::write_report(&analysis, &mut out)?;
        Ok(out)
    });
    let report = report.map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("writing the report: {e}"))
    })?;
    Ok(PyBytes::new(py, &report))
}

/// An article's fields as the caller gave them, kept to read the article again (pickling).
#[derive(Clone, Serialize, Deserialize)]
struct Fields {
    id: Option<String>,
    text: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    published: Option<String>,
    published_from: Option<String>,
}

impl Fields {
    fn of(record: &Record) -> Self {
        Fields {
            id: record.id.clone(),
            text: record.text.clone(),
            title: record.title.clone(),
            publisher: record.publisher.clone(),
            url: record.url.clone(),
            published: record.published.clone(),
            published_from: record.published_from.clone(),
        }
    }

    fn record(&self) -> Record {
        let f = self.clone();
        Record {
            id: f.id,
            text: f.text,
            title: f.title,
            publisher: f.publisher,
            url: f.url,
            published: f.published,
            published_from: f.published_from,
        }
    }
}

/// The bytes of a count table (little-endian, keys sorted): what `Counts.to_bytes` writes.
fn table_bytes(t: &CountTable) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(40 + 12 * (t.terms.len() + t.features.len()) + 20 * t.lines.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(t.documents as u64).to_le_bytes());
    // Sorted by key: the same counts give the same bytes.
    for map in [&t.terms, &t.features] {
        let mut entries: Vec<(&u64, &u32)> = map.iter().collect();
        entries.sort_unstable();
        out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (k, v) in entries {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut lines: Vec<(&u128, &u32)> = t.lines.iter().collect();
    lines.sort_unstable();
    out.extend_from_slice(&(lines.len() as u64).to_le_bytes());
    for (k, v) in lines {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// A count table read back from [`table_bytes`].
fn table_of(data: &[u8]) -> PyResult<CountTable> {
    let mut r = Reader(data);
    if r.take::<8>()? != *MAGIC {
        return Err(PyValueError::new_err(
            "Counts.from_bytes: not the bytes of Counts.to_bytes",
        ));
    }
    let documents = r.len()?;
    let mut maps: [HashMap<u64, u32>; 2] = Default::default();
    for map in &mut maps {
        let n = r.len()?;
        map.reserve(n.min(data.len() / 12));
        for _ in 0..n {
            let k = r.u64()?;
            map.insert(k, r.u32()?);
        }
    }
    let n = r.len()?;
    let mut lines = HashMap::with_capacity(n.min(data.len() / 20));
    for _ in 0..n {
        let k = r.u128()?;
        lines.insert(k, r.u32()?);
    }
    let [terms, features] = maps;
    Ok(CountTable {
        documents,
        terms,
        features,
        lines,
    })
}

/// `magic, u64 length, JSON of length, rest`: the bytes of a prepared article or an aligned pair.
fn framed(magic: &[u8; 8], json: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + json.len() + rest.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&(json.len() as u64).to_le_bytes());
    out.extend_from_slice(json);
    out.extend_from_slice(rest);
    out
}

/// The JSON and the rest of [`framed`] bytes.
fn unframed<'a>(magic: &[u8; 8], data: &'a [u8], what: &str) -> PyResult<(&'a [u8], &'a [u8])> {
    let bad = || {
        PyValueError::new_err(format!(
            "{what}.from_bytes: not the bytes of {what}.to_bytes"
        ))
    };
    let mut r = Reader(data);
    if r.take::<8>().map_err(|_| bad())? != *magic {
        return Err(bad());
    }
    let n = r.len().map_err(|_| bad())?;
    if r.0.len() < n {
        return Err(bad());
    }
    Ok(r.0.split_at(n))
}

const PREPARED_MAGIC: &[u8; 8] = b"stemmaP1";
const PAIR_MAGIC: &[u8; 8] = b"stemmaA1";

/// An article prepared for [`align`] in its corpus: the article and the counts of the whole corpus
/// for its own terms and lines (what weighs its words and finds its repeated lines), so that two
/// prepared articles can be aligned anywhere, without the corpus's counts.
#[pyclass(module = "stemma._stemma", frozen)]
pub struct Prepared {
    fields: Fields,
    id: String,
    table: CountTable,
}

#[pymethods]
impl Prepared {
    /// The article's id.
    #[getter]
    fn id(&self) -> &str {
        &self.id
    }

    /// How many documents its corpus has.
    #[getter]
    fn documents(&self) -> usize {
        self.table.documents
    }

    /// The prepared article as bytes, for `Prepared.from_bytes` and pickling.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let json = serde_json::to_vec(&self.fields)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyBytes::new(
            py,
            &framed(PREPARED_MAGIC, &json, &table_bytes(&self.table)),
        ))
    }

    /// A prepared article read back from `Prepared.to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let (json, rest) = unframed(PREPARED_MAGIC, data, "Prepared")?;
        let fields: Fields = serde_json::from_slice(json)
            .map_err(|_| PyValueError::new_err("Prepared.from_bytes: a damaged article"))?;
        let id = fields.id.clone().unwrap_or_default();
        Ok(Prepared {
            fields,
            id,
            table: table_of(rest)?,
        })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = py.get_type::<Prepared>().getattr("from_bytes")?;
        Ok((from_bytes, (slf.get().to_bytes(py)?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Prepared(id={:?}, in a corpus of {} documents)",
            self.id, self.table.documents
        )
    }
}

/// An article prepared in the corpus `corpus` counts (the article included): the article with the
/// corpus's counts of its terms and lines.
#[pyfunction]
pub fn prepare(py: Python<'_>, record: Record, corpus: &Counts) -> PyResult<Prepared> {
    let fields = Fields::of(&record);
    let loaded = articles_of(vec![record])?;
    let corpus = &corpus.table;
    check_documents(corpus, 1)?;
    let id = loaded.articles[0].id.clone();
    let table = py.detach(move || {
        let own = own_keys(&loaded.articles);
        let mut slice = CountTable {
            documents: corpus.documents,
            ..CountTable::default()
        };
        for &t in own.terms.keys() {
            let n = corpus.term_documents(t);
            if n > 0 {
                slice.terms.insert(t, n);
            }
        }
        for &l in own.lines.keys() {
            let n = corpus.line_documents(l);
            if n > 0 {
                slice.lines.insert(l, n);
            }
        }
        slice
    });
    Ok(Prepared { fields, id, table })
}

/// What [`derive`] knows of an article: its publication time (Unix milliseconds, precision code) and
/// its sentence count.
type Facts = (Option<(i64, u8)>, usize);

/// The sentences of each group a link aligned on narrative words (`Link::groups`).
type NarrativeGroups = Vec<(Vec<usize>, Vec<usize>)>;

/// What [`derive`] needs of an aligned pair: exactly the values `stemma_graph::derive` reads.
#[derive(Clone, Serialize, Deserialize)]
struct PairData {
    /// The two ids, sorted.
    ids: [String; 2],
    /// Their publication times: (Unix milliseconds, precision 0–3).
    published: [Option<(i64, u8)>; 2],
    /// Their sentence counts.
    sentences: [usize; 2],
    relation: Option<String>,
    score: f64,
    verbatim_bytes: usize,
    /// The aligned groups: (a start, a end, b start, b end, score, narrative).
    groups: Vec<(usize, usize, usize, usize, f64, bool)>,
}

fn precision_code(p: Precision) -> u8 {
    match p {
        Precision::Date => 0,
        Precision::Minute => 1,
        Precision::Second => 2,
        Precision::Millisecond => 3,
    }
}

fn precision_of(code: u8) -> Precision {
    match code {
        0 => Precision::Date,
        1 => Precision::Minute,
        2 => Precision::Second,
        _ => Precision::Millisecond,
    }
}

fn relation_name(r: Relation) -> &'static str {
    match r {
        Relation::Duplicate => "duplicate",
        Relation::Syndicated => "syndicated",
        Relation::Rewrite => "rewrite",
        Relation::Partial => "partial",
    }
}

fn relation_of(name: &str) -> PyResult<Relation> {
    Ok(match name {
        "duplicate" => Relation::Duplicate,
        "syndicated" => Relation::Syndicated,
        "rewrite" => Relation::Rewrite,
        "partial" => Relation::Partial,
        other => {
            return Err(PyValueError::new_err(format!(
                "AlignedPair.from_bytes: unknown relation {other:?}"
            )));
        }
    })
}

/// Two prepared articles aligned ([`align`]): the comparison (the dict of `stemma.compare`) and
/// what [`derive`] needs of the pair.
#[pyclass(module = "stemma._stemma", frozen)]
pub struct AlignedPair {
    data: PairData,
    comparison: Vec<u8>,
}

#[pymethods]
impl AlignedPair {
    /// The two ids, sorted.
    #[getter]
    fn ids(&self) -> (String, String) {
        (self.data.ids[0].clone(), self.data.ids[1].clone())
    }

    /// The relation under the rules, or `None`.
    #[getter]
    fn relation(&self) -> Option<&str> {
        self.data.relation.as_deref()
    }

    /// The comparison as UTF-8 JSON (the shape of `stemma.compare`'s result).
    fn comparison_json<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.comparison)
    }

    /// The comparison, the dict of `stemma.compare` (`a` the first article given to `align`).
    #[getter]
    fn comparison<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (PyBytes::new(py, &self.comparison),))
    }

    /// The aligned pair as bytes, for `AlignedPair.from_bytes` and pickling.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let json = serde_json::to_vec(&self.data)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyBytes::new(
            py,
            &framed(PAIR_MAGIC, &json, &self.comparison),
        ))
    }

    /// An aligned pair read back from `AlignedPair.to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let (json, rest) = unframed(PAIR_MAGIC, data, "AlignedPair")?;
        let data: PairData = serde_json::from_slice(json)
            .map_err(|_| PyValueError::new_err("AlignedPair.from_bytes: a damaged pair"))?;
        if let Some(r) = &data.relation {
            relation_of(r)?;
        }
        Ok(AlignedPair {
            data,
            comparison: rest.to_vec(),
        })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = py.get_type::<AlignedPair>().getattr("from_bytes")?;
        Ok((from_bytes, (slf.get().to_bytes(py)?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "AlignedPair({:?}, {:?}, relation={})",
            self.data.ids[0],
            self.data.ids[1],
            self.data.relation.as_deref().unwrap_or("None")
        )
    }
}

/// Two prepared articles aligned as `stemma analyze` aligns them in their corpus: the counts both
/// carry are the whole corpus's for their terms and lines, so the pair's term weights and repeated
/// lines are the corpus's. Returns the comparison and what [`derive`] needs.
#[pyfunction]
#[pyo3(signature = (a, b, decision))]
pub fn align(py: Python<'_>, a: &Prepared, b: &Prepared, decision: &str) -> PyResult<AlignedPair> {
    let relation = relation_options(decision)?;
    if a.id == b.id {
        return Err(InputError::SameIds(a.id.clone()).into());
    }
    if a.table.documents != b.table.documents {
        return Err(PyValueError::new_err(format!(
            "{:?} was prepared in a corpus of {} documents and {:?} in one of {}: prepare both \
             with the counts of one corpus",
            a.id, a.table.documents, b.id, b.table.documents
        )));
    }
    let mut union = a.table.clone();
    union
        .terms
        .extend(b.table.terms.iter().map(|(&k, &v)| (k, v)));
    union
        .lines
        .extend(b.table.lines.iter().map(|(&k, &v)| (k, v)));
    let loaded = articles_of(vec![a.fields.record(), b.fields.record()])?;
    check_documents(&union, 2)?;
    let a_id = a.id.clone();
    let options = AnalyzeOptions {
        relation,
        all_pairs: true,
        keep_unrelated: true,
        ..AnalyzeOptions::default()
    };
    let (data, comparison) = py.detach(move || {
        let own = own_keys(&loaded.articles);
        let rest = Minus {
            corpus: &union,
            own: &own,
        };
        let mut analysis = stemma_graph::analyze_part(loaded.articles, &rest, &options, &Silent);
        let evidence = analysis
            .pairs
            .pop()
            .expect("two documents make one pair, kept");
        let second = analysis.documents.pop().expect("two documents");
        let first = analysis.documents.pop().expect("two documents");
        let documents = [first, second];
        let published = |k: usize| {
            analysis.articles[k]
                .published
                .as_ref()
                .map(|p| (p.value.unix_millis, precision_code(p.value.precision)))
        };
        let data = PairData {
            ids: [documents[0].id.clone(), documents[1].id.clone()],
            published: [published(0), published(1)],
            sentences: [documents[0].sentences.len(), documents[1].sentences.len()],
            relation: evidence.relation.map(|r| relation_name(r).to_owned()),
            score: evidence.score,
            verbatim_bytes: evidence.verbatim_bytes,
            groups: evidence
                .alignment
                .groups
                .iter()
                .map(|g| {
                    let narrative = is_narrative_group(g, &options.align);
                    (g.a.start, g.a.end, g.b.start, g.b.end, g.score, narrative)
                })
                .collect(),
        };
        let mut comparison = crate::comparison_of(&a_id, &documents, &evidence);
        comparison.diagnostics.splice(0..0, loaded.diagnostics);
        (data, serde_json::to_vec(&comparison))
    });
    let comparison = comparison.map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("writing the comparison: {e}"))
    })?;
    Ok(AlignedPair { data, comparison })
}

/// The derivation graph of `pairs` in the report's shape.
#[derive(Serialize)]
struct DerivationJson {
    nodes: Vec<stemma_report::NodeJson>,
    edges: Vec<stemma_report::EdgeJson>,
    families: Vec<stemma_report::FamilyJson>,
}

/// The derivation graph (nodes, edges, families with their missing sources) of the articles of
/// `pairs`, from the related ones, as `stemma analyze` derives it: as UTF-8 JSON.
#[pyfunction]
pub fn derive<'py>(
    py: Python<'py>,
    pairs: Vec<PyRef<'py, AlignedPair>>,
) -> PyResult<Bound<'py, PyBytes>> {
    // The articles, sorted by id, each told the same by every pair it is in.
    let mut articles: BTreeMap<&str, Facts> = BTreeMap::new();
    for pair in &pairs {
        for k in 0..2 {
            let facts = (pair.data.published[k], pair.data.sentences[k]);
            let id = pair.data.ids[k].as_str();
            if let Some(known) = articles.insert(id, facts) {
                if known != facts {
                    return Err(PyValueError::new_err(format!(
                        "{id:?} is in two pairs with different texts or times: align articles \
                         prepared once"
                    )));
                }
            }
        }
    }
    let ids: Vec<String> = articles.keys().map(|&id| id.to_owned()).collect();
    let index = |id: &str| {
        ids.binary_search_by(|x| x.as_str().cmp(id))
            .expect("an id of a pair")
    };
    let published: Vec<Option<Timestamp>> = articles
        .values()
        .map(|(p, _)| {
            p.map(|(unix_millis, code)| Timestamp {
                unix_millis,
                precision: precision_of(code),
            })
        })
        .collect();
    let sentences: Vec<usize> = articles.values().map(|&(_, n)| n).collect();
    let mut evidences: Vec<(PairEvidence, NarrativeGroups)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for pair in &pairs {
        let d = &pair.data;
        let (a, b) = (index(&d.ids[0]), index(&d.ids[1]));
        if !seen.insert((a, b)) {
            return Err(PyValueError::new_err(format!(
                "the pair {:?}, {:?} is given twice",
                d.ids[0], d.ids[1]
            )));
        }
        let Some(relation) = &d.relation else {
            continue;
        };
        let groups: Vec<AlignedGroup> = d
            .groups
            .iter()
            .map(|&(a0, a1, b0, b1, score, _)| AlignedGroup {
                a: a0..a1,
                b: b0..b1,
                score,
                overlap: Overlap::default(),
                in_order: true,
            })
            .collect();
        let narrative = d
            .groups
            .iter()
            .filter(|g| g.5)
            .map(|&(a0, a1, b0, b1, _, _)| ((a0..a1).collect(), (b0..b1).collect()))
            .collect();
        let evidence = PairEvidence::for_derivation(
            a,
            b,
            groups,
            relation_of(relation)?,
            d.score,
            d.verbatim_bytes,
        );
        evidences.push((evidence, narrative));
    }
    // In the order `stemma analyze` gives its links: by the pair's documents.
    evidences.sort_by_key(|(e, _)| (e.a, e.b));
    let json = py.detach(|| {
        let links: Vec<Link<'_>> = evidences
            .iter()
            .map(|(evidence, groups)| Link {
                evidence,
                groups: groups.clone(),
            })
            .collect();
        let graph = stemma_graph::derive(&ids, &published, None, &sentences, &links);
        let out = DerivationJson {
            nodes: graph
                .nodes()
                .map(|node| stemma_report::NodeJson {
                    id: node.id.clone(),
                    kind: match node.kind {
                        NodeKind::Article(_) => "article",
                        NodeKind::MissingSource => "missing_source",
                    },
                })
                .collect(),
            edges: graph
                .edges()
                .map(|e| stemma_report::EdgeJson {
                    source: graph.node(e.source).id.clone(),
                    target: graph.node(e.target).id.clone(),
                    relation: e.edge.relation,
                    direction: e.edge.direction,
                    confidence: stemma_report::round(e.edge.confidence),
                })
                .collect(),
            families: graph
                .families
                .iter()
                .map(|f| stemma_report::FamilyJson {
                    members: f.members.iter().map(|&m| ids[m].clone()).collect(),
                    missing_sources: f
                        .missing_sources
                        .iter()
                        .map(|&n| graph.node(n).id.clone())
                        .collect(),
                })
                .collect(),
        };
        serde_json::to_vec(&out)
    });
    let json = json.map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("writing the derivation: {e}"))
    })?;
    Ok(PyBytes::new(py, &json))
}

/// What [`count_shared_keys`] gives: `(a, b, shared, narrative, short)` per pair, and how many keys
/// were banal.
type SharedKeys = (Vec<(String, String, u32, u32, bool)>, usize);

/// The documents of many candidate keys paired at once and the keys counted per pair: for each
/// `(key, postings)` (`postings` the `(id, short)` of the documents with the key, ids distinct), the
/// pairs [`posting_pairs`] gives (none for a banal key, counted instead), then per pair `(a, b)`
/// with `a < b` how many of the keys it shares, how many of those are narrative
/// ([`key_is_narrative`]) and whether either is short. What a job does with `posting_pairs` one
/// key at a time, in one call: a pair shares tens of keys, and each crossing between Python and a
/// shuffle costs more than counting it here. Pairs sorted.
#[pyfunction]
pub fn count_shared_keys(py: Python<'_>, groups: Vec<(u64, Vec<(String, bool)>)>) -> SharedKeys {
    py.detach(move || {
        let limit = CandidateOptions::default().banal_limit();
        let mut banal = 0;
        let mut counts: HashMap<(String, String), (u32, u32, bool)> = HashMap::new();
        for (key, mut postings) in groups {
            if postings.len() > limit {
                banal += 1;
                continue;
            }
            postings.sort();
            let narrative = u32::from(is_narrative(key));
            for (x, (a, short_a)) in postings.iter().enumerate() {
                for (b, short_b) in &postings[x + 1..] {
                    let entry = counts.entry((a.clone(), b.clone())).or_default();
                    entry.0 += 1;
                    entry.1 += narrative;
                    entry.2 |= *short_a || *short_b;
                }
            }
        }
        let mut pairs: Vec<(String, String, u32, u32, bool)> = counts
            .into_iter()
            .map(|((a, b), (shared, narrative, short))| (a, b, shared, narrative, short))
            .collect();
        pairs.sort_unstable();
        (pairs, banal)
    })
}
