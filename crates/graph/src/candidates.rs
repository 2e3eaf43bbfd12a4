//! Candidate pairs without all-pairs cost.
//!
//! Every body sentence contributes a few features that survive rewording and one kind that catches
//! verbatim reuse:
//! - **immutable pairs**: unordered pairs of the sentence's rarest content terms (names, numbers, rare
//!   stems: what spinners leave alone), so one shared rare word is not enough to pair two documents;
//! - **shingles**: runs of three consecutive content terms, for copied text.
//!
//! An inverted index maps each feature to the documents that have it. Features found in more than
//! [`CandidateOptions::max_document_frequency`] documents are banal here and dropped. Two documents are a
//! candidate pair when they share at least [`CandidateOptions::min_shared_features`] features. The cost
//! is one pass over the sentences plus the sum over features of (documents with it)².

use rustc_hash::FxHashMap;
use stemma_align::document::Document;
use stemma_align::similarity::TermWeights;

/// Settings of candidate generation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CandidateOptions {
    /// How many of a sentence's rarest terms are paired into features.
    pub rare_terms_per_sentence: usize,
    /// Terms weighing less than this are too common to be immutables.
    pub min_rare_weight: f32,
    /// Features in more documents than this are banal and dropped (at least 2 is always allowed).
    pub max_document_frequency: usize,
    /// How many features two documents must share to be aligned.
    pub min_shared_features: u32,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            rare_terms_per_sentence: 5,
            min_rare_weight: 2.5,
            max_document_frequency: 64,
            min_shared_features: 1,
        }
    }
}

/// The result of candidate generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    /// Candidate pairs `(i, j)` of document indices with `i < j`, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// Number of features dropped as banal.
    pub banal_features: usize,
}

fn mix(x: u64) -> u64 {
    // SplitMix64 finaliser: a cheap, well-spread hash of feature keys.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The features of one document, sorted and deduplicated.
pub fn document_features(
    doc: &Document,
    weights: &TermWeights,
    options: &CandidateOptions,
) -> Vec<u64> {
    let mut features = Vec::new();
    for (index, sentence) in doc.sentences.iter().enumerate() {
        if !doc.is_body(index) {
            continue;
        }
        let content: Vec<u32> = sentence.content().map(|t| t.term.0).collect();
        for window in content.windows(3) {
            let key =
                (u64::from(window[0]) << 42) ^ (u64::from(window[1]) << 21) ^ u64::from(window[2]);
            features.push(mix(key) | 1);
        }
        let mut rare: Vec<(f32, u32)> = content
            .iter()
            .map(|&t| (weights.weight(stemma_align::document::TermId(t)), t))
            .filter(|(w, _)| *w >= options.min_rare_weight)
            .collect();
        rare.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        rare.dedup_by_key(|x| x.1);
        rare.truncate(options.rare_terms_per_sentence);
        for x in 0..rare.len() {
            for y in x + 1..rare.len() {
                let (lo, hi) = if rare[x].1 < rare[y].1 {
                    (rare[x].1, rare[y].1)
                } else {
                    (rare[y].1, rare[x].1)
                };
                features.push(mix((u64::from(lo) << 32) | u64::from(hi)) & !1);
            }
        }
    }
    features.sort_unstable();
    features.dedup();
    features
}

/// Candidate pairs of documents, from each document's features.
pub fn candidate_pairs(features: &[Vec<u64>], options: &CandidateOptions) -> Candidates {
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (doc, doc_features) in features.iter().enumerate() {
        for &f in doc_features {
            index.entry(f).or_default().push(doc as u32);
        }
    }
    let cap = options.max_document_frequency.max(2);
    let mut shared: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut banal_features = 0;
    for postings in index.values() {
        if postings.len() < 2 {
            continue;
        }
        if postings.len() > cap {
            banal_features += 1;
            continue;
        }
        for x in 0..postings.len() {
            for y in x + 1..postings.len() {
                *shared.entry((postings[x], postings[y])).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&(_, n)| n >= options.min_shared_features)
        .map(|((a, b), _)| (a as usize, b as usize))
        .collect();
    pairs.sort_unstable();
    Candidates {
        pairs,
        banal_features,
    }
}
