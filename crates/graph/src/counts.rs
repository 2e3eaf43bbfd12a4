//! What an analysis needs to know of the articles of its corpus that it does not hold.
//!
//! A corpus analysis weighs terms by how many documents contain them, drops candidate features
//! that too many documents share, and marks as furniture the lines that recur on many pages. All
//! three are counts over the whole corpus. An archive index ([`analyze_with_archive`]) holds most of
//! the corpus on disk: it keeps those counts, and the analysis of a few new pages against the
//! archive reads them through [`CorpusCounts`] instead of re-reading the archive.
//!
//! [`article_counts`] gives what one article adds to the counts, computed exactly as the analysis
//! computes it, so that an index built from them agrees with the analysis.
//!
//! [`analyze_with_archive`]: crate::analyze_with_archive

use std::collections::HashMap;

use rayon::prelude::*;
use stemma_align::{Document, TermWeights, Vocabulary};

use crate::candidates::{CandidateOptions, document_features};

/// Counts over the articles of a corpus that an analysis does not hold (an archive on disk).
///
/// Each count is the number of those articles that have the thing counted: a term (by
/// [`Vocabulary::term_hash`]), a candidate feature, or a line (a body sentence's fingerprint). A
/// count of something never seen is 0.
///
/// ```
/// use stemma_graph::{CorpusCounts, CountTable};
/// let mut counts = CountTable::default();
/// counts.documents = 10;
/// counts.terms.insert(42, 3);
/// assert_eq!(counts.term_documents(42), 3);
/// assert_eq!(counts.term_documents(7), 0);
/// ```
pub trait CorpusCounts: Sync {
    /// How many articles were counted.
    fn documents(&self) -> usize;
    /// How many of them contain the term whose [`Vocabulary::term_hash`] is `term`.
    fn term_documents(&self, term: u64) -> u32;
    /// How many of them have the candidate feature `feature` ([`ArticleCounts::features`]).
    fn feature_documents(&self, feature: u64) -> u32;
    /// How many of them have a body sentence with the fingerprint `line` ([`ArticleCounts::lines`]).
    fn line_documents(&self, line: u128) -> u32;
}

/// [`CorpusCounts`] held in memory: the counts of no articles by default; an index loads the
/// counts a check needs into one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountTable {
    /// How many articles were counted.
    pub documents: usize,
    /// Articles per term hash.
    pub terms: HashMap<u64, u32>,
    /// Articles per candidate feature.
    pub features: HashMap<u64, u32>,
    /// Articles per line fingerprint.
    pub lines: HashMap<u128, u32>,
}

impl CountTable {
    /// Adds one article's counts.
    ///
    /// ```
    /// use stemma_graph::{ArticleCounts, CorpusCounts, CountTable};
    /// let mut table = CountTable::default();
    /// let article = ArticleCounts { terms: vec![1, 2], features: vec![9], lines: vec![5] };
    /// table.add(&article);
    /// table.add(&article);
    /// assert_eq!((table.documents, table.term_documents(2), table.line_documents(5)), (2, 2, 2));
    /// ```
    pub fn add(&mut self, article: &ArticleCounts) {
        self.documents += 1;
        for &t in &article.terms {
            *self.terms.entry(t).or_default() += 1;
        }
        for &f in &article.features {
            *self.features.entry(f).or_default() += 1;
        }
        for &l in &article.lines {
            *self.lines.entry(l).or_default() += 1;
        }
    }
}

impl CorpusCounts for CountTable {
    fn documents(&self) -> usize {
        self.documents
    }
    fn term_documents(&self, term: u64) -> u32 {
        self.terms.get(&term).copied().unwrap_or(0)
    }
    fn feature_documents(&self, feature: u64) -> u32 {
        self.features.get(&feature).copied().unwrap_or(0)
    }
    fn line_documents(&self, line: u128) -> u32 {
        self.lines.get(&line).copied().unwrap_or(0)
    }
}

/// No articles: what an analysis of a corpus held whole in memory counts outside itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Nothing;

impl CorpusCounts for Nothing {
    fn documents(&self) -> usize {
        0
    }
    fn term_documents(&self, _: u64) -> u32 {
        0
    }
    fn feature_documents(&self, _: u64) -> u32 {
        0
    }
    fn line_documents(&self, _: u128) -> u32 {
        0
    }
}

/// What one article adds to a corpus's counts: its distinct terms (hashes), candidate features and
/// body-line fingerprints, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleCounts {
    /// [`Vocabulary::term_hash`] of every distinct term of the article.
    pub terms: Vec<u64>,
    /// Its candidate features (shingles of content terms and pairs of rare terms, top bit set when
    /// narrative words are involved).
    pub features: Vec<u64>,
    /// The fingerprints of its body sentences (before lines repeated across the corpus were marked
    /// as furniture).
    pub lines: Vec<u128>,
}

/// The keys of some articles' counts ([`crate::count_keys`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountKeys {
    /// Term hashes, sorted.
    pub terms: Vec<u64>,
    /// Line fingerprints, sorted.
    pub lines: Vec<u128>,
}

/// The distinct term hashes of a document, sorted.
pub(crate) fn term_hashes(doc: &Document, vocab: &Vocabulary) -> Vec<u64> {
    let mut terms: Vec<u64> = doc
        .sentences
        .iter()
        .flat_map(|s| s.tokens.iter().map(|t| vocab.term_hash(t.term)))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The counts of each document, in order. `lines` are the fingerprints taken before repeated lines
/// were marked; the features are taken after, with the corpus's weights, as candidate generation
/// takes them.
pub(crate) fn counts_of(
    documents: &[Document],
    vocab: &Vocabulary,
    lines: Vec<Vec<u128>>,
    weights: &TermWeights,
    options: &CandidateOptions,
) -> Vec<ArticleCounts> {
    documents
        .par_iter()
        .zip(lines.into_par_iter())
        .map(|(doc, lines)| ArticleCounts {
            terms: term_hashes(doc, vocab),
            features: document_features(doc, vocab, weights, options),
            lines,
        })
        .collect()
}
