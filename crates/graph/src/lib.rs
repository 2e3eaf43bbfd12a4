//! Corpus-level provenance: which articles reuse whose text, in what way, and from which missing source.
//!
//! [`analyze`] runs the whole job on a list of [`corpus::Article`]s:
//! articles → documents (segmented, tokenized; lines repeated across the corpus marked as furniture)
//! → corpus term weights → [`candidates`] (pairs sharing rare features, without all-pairs cost)
//! → sentence alignment of each candidate pair (in parallel) → [`evidence`] and relation
//! → [`derivation`] graph with families and missing sources → [`export`] as JSON, DOT, an SVG
//! picture, a self-contained HTML report or CSV.
//!
//! ```
//! use stemma_graph::{analyze, corpus::Article, AnalyzeOptions};
//! let wire = "Border villages were evacuated after heavy shelling on Monday, officials said. \
//!     The governor said two civilians were injured while being evacuated from their homes. \
//!     Temporary shelters were set up for about 9,300 displaced people in the district.";
//! let copy = "Border villages were evacuated after heavy shelling on Monday, officials said. \
//!     The governor said two civilians were injured while being evacuated from their homes. \
//!     Temporary shelters were set up for some 9,300 displaced people in the district.";
//! let result = analyze(vec![Article::new("wire", wire), Article::new("copy", copy)], &AnalyzeOptions::default());
//! assert_eq!(result.related_pairs().count(), 1);
//! ```
#![forbid(unsafe_code)]

pub mod candidates;
pub mod corpus;
pub mod derivation;
pub mod evidence;
pub mod export;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use stemma_align::alignment::{AlignOptions, align};
use stemma_align::document::{Analysis as TextAnalysis, Document, Vocabulary};
use stemma_align::furniture::{FurnitureKind, SentenceRole};
use stemma_align::segment::SentenceKind;
use stemma_align::similarity::{Scorer, SimilarityParams, TermWeights};

use crate::candidates::{CandidateOptions, candidate_pairs, document_features};
use crate::corpus::Article;
use crate::derivation::{DerivationGraph, Link, derive};
use crate::evidence::{PairEvidence, RelationOptions, evidence};

/// Settings of a corpus analysis.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AnalyzeOptions {
    /// Sentence alignment thresholds.
    pub align: AlignOptions,
    /// Similarity credits.
    pub similarity: SimilarityParams,
    /// Candidate generation.
    pub candidates: CandidateOptions,
    /// Relation thresholds.
    pub relation: RelationOptions,
    /// Align every pair instead of candidate pairs only (to check that candidates lose nothing).
    pub all_pairs: bool,
}

/// Counts that say how much work the analysis did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Stats {
    /// Documents analysed.
    pub documents: usize,
    /// n(n−1)/2.
    pub all_pairs: usize,
    /// Pairs aligned.
    pub aligned_pairs: usize,
    /// Pairs found related.
    pub related_pairs: usize,
    /// Candidate features dropped as banal.
    pub banal_features: usize,
    /// Sentences marked as furniture because they repeat across the corpus.
    pub repeated_lines: usize,
}

/// The result of a corpus analysis.
#[derive(Debug)]
pub struct CorpusAnalysis {
    /// The articles, sorted by id (indices below refer to this order).
    pub articles: Vec<Article>,
    /// Their documents, same order.
    pub documents: Vec<Document>,
    /// Evidence of every aligned pair (related or not), sorted by (a, b).
    pub pairs: Vec<PairEvidence>,
    /// The derivation graph and families.
    pub derivation: DerivationGraph,
    /// Work counts.
    pub stats: Stats,
}

impl CorpusAnalysis {
    /// The pairs that have a relation.
    pub fn related_pairs(&self) -> impl Iterator<Item = &PairEvidence> {
        self.pairs.iter().filter(|p| p.relation.is_some())
    }
}

/// Sentences with fewer content words than this count as short lines for [`mark_repeated_lines`].
const SHORT_LINE_CONTENT_WORDS: usize = 8;

/// Lines found in at least this many documents (and this share of the corpus) are furniture.
fn repeated_line_threshold(documents: usize) -> usize {
    5.max(documents.div_ceil(50))
}

/// Analyses a corpus. Articles are sorted by id first, so the result does not depend on input order;
/// parallel steps collect in index order, so it does not depend on the thread count either.
pub fn analyze(mut articles: Vec<Article>, options: &AnalyzeOptions) -> CorpusAnalysis {
    articles.sort_by(|x, y| x.id.cmp(&y.id));
    let mut vocab = Vocabulary::new();
    let analyses: Vec<TextAnalysis> = {
        let normalizer = vocab.normalizer();
        articles
            .par_iter()
            .map(|a| TextAnalysis::new(a.text.clone(), normalizer))
            .collect()
    };
    let mut documents: Vec<Document> = analyses
        .into_iter()
        .zip(&articles)
        .map(|(analysis, article)| vocab.intern(article.id.clone(), analysis))
        .collect();
    let repeated_lines = mark_repeated_lines(&mut documents);

    // Document frequencies of terms, for corpus weights.
    let mut df = vec![0u32; vocab.len()];
    for doc in &documents {
        let mut terms: Vec<u32> = doc
            .sentences
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| t.term.0))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        for t in terms {
            df[t as usize] += 1;
        }
    }
    let weights = TermWeights::from_corpus(&vocab, &df, documents.len());
    let n = documents.len();
    let all_pairs = n * n.saturating_sub(1) / 2;

    let (pairs_to_align, banal_features) = if options.all_pairs {
        let all: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect();
        (all, 0)
    } else {
        let features: Vec<Vec<u64>> = documents
            .par_iter()
            .map(|d| document_features(d, &weights, &options.candidates))
            .collect();
        let c = candidate_pairs(&features, &options.candidates);
        (c.pairs, c.banal_features)
    };

    let scorer = Scorer::new(&vocab, options.similarity);
    let pairs: Vec<PairEvidence> = pairs_to_align
        .par_iter()
        .map(|&(i, j)| {
            let alignment = align(
                &documents[i],
                &documents[j],
                &weights,
                &scorer,
                &options.align,
            );
            evidence(
                i,
                j,
                &documents[i],
                &documents[j],
                alignment,
                &options.align,
                &options.relation,
            )
        })
        .collect();

    let links: Vec<Link<'_>> = pairs
        .iter()
        .filter(|p| p.relation.is_some())
        .map(|p| Link {
            evidence: p,
            groups: p
                .alignment
                .groups
                .iter()
                .filter(|g| evidence::is_narrative(g, &options.align))
                .map(|g| (g.a.clone().collect(), g.b.clone().collect()))
                .collect(),
        })
        .collect();
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    let published: Vec<_> = articles
        .iter()
        .map(|a| a.published.as_ref().map(|p| p.value))
        .collect();
    let counts: Vec<usize> = documents.iter().map(|d| d.sentences.len()).collect();
    let derivation = derive(&ids, &published, &counts, &links);
    let related_pairs = links.len();
    drop(links);
    CorpusAnalysis {
        stats: Stats {
            documents: n,
            all_pairs,
            aligned_pairs: pairs.len(),
            related_pairs,
            banal_features,
            repeated_lines,
        },
        articles,
        documents,
        pairs,
        derivation,
    }
}

/// Marks sentences whose exact token sequence recurs in many documents as furniture: short lines
/// (teaser headlines, bylines, footers) from [`repeated_line_threshold`] documents on, and any sentence
/// once it is in a tenth of the corpus (and at least 20 documents), where it is boilerplate rather than
/// reuse. A sentence of a wire story carried by a handful of papers stays body text: it is the very
/// evidence of reuse. Returns how many sentences were marked.
fn mark_repeated_lines(documents: &mut [Document]) -> usize {
    let threshold = repeated_line_threshold(documents.len());
    let prose_threshold = 20.max(documents.len().div_ceil(10));
    let key = |doc: &Document, i: usize| -> Vec<u32> {
        doc.sentences[i].tokens.iter().map(|t| t.term.0).collect()
    };
    let mut seen_in: FxHashMap<Vec<u32>, usize> = FxHashMap::default();
    for doc in documents.iter() {
        let mut keys: Vec<Vec<u32>> = (0..doc.sentences.len())
            .filter(|&i| doc.is_body(i))
            .map(|i| key(doc, i))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            *seen_in.entry(k).or_default() += 1;
        }
    }
    let mut marked = 0;
    for doc in documents.iter_mut() {
        for i in 0..doc.sentences.len() {
            let short = doc.segmentation.sentences[i].kind == SentenceKind::Line
                || doc.sentences[i].content().count() < SHORT_LINE_CONTENT_WORDS;
            let limit = if short { threshold } else { prose_threshold };
            if doc.is_body(i) && seen_in.get(&key(doc, i)).is_some_and(|&c| c >= limit) {
                doc.sentences[i].role = SentenceRole::Furniture(FurnitureKind::Repeated);
                marked += 1;
            }
        }
    }
    marked
}
