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

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use stemma_graph::{
    AnalyzeOptions, Article, CandidateOptions, CorpusCounts, CountTable, Silent, article_counts,
    candidate_key, count_keys, is_narrative,
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
        let t = &self.table;
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
        PyBytes::new(py, &out)
    }

    /// Counts read back from `Counts.to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
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
        Ok(Counts {
            table: CountTable {
                documents,
                terms,
                features,
                lines,
            },
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
