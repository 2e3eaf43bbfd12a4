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
//! candidate pair when they share at least [`CandidateOptions::min_shared_features`] features (two: one
//! shared feature between long texts is often chance), or one when either is short (fewer than
//! [`CandidateOptions::short_document_features`], about seven sentences: a rewritten lede has few
//! features to share).
//!
//! Independent reports of one event share names, numbers and quotes, and so share features made of
//! them alone; at a hundred thousand articles they were four candidate pairs in five, each aligned for
//! nothing. So each feature records whether it involves **narrative words** (ordinary words outside
//! quotation marks), and a pair of long texts must share three narrative features, a short text one
//! ([`CandidateOptions::min_shared_narrative_features`]). The evidence stage asks the same of the
//! aligned sentences (a relation rests on narrative groups), so this drops pairs the relation would
//! reject anyway. On the generated benchmark at 10k it cuts the pairs aligned from 75,000 to 28,000,
//! at the cost of 7 of the 14,528 correct related pairs; no quality number of the seeds, the demo
//! corpus, Clough–Stevenson or MRPC changes.
//!
//! Stock phrases ("said in a statement that", "declined to comment further") recur across unrelated
//! articles, and the more articles a corpus has the more unrelated pairs share three of them: on
//! generated natural news text the pairs per article grew with the corpus (docs/performance.md).
//! So each feature weighs its **surprise**, ln((N + 1) / documents with it), and a pair is aligned
//! when the surprise of what it shares is a large enough share of the most the document with fewer
//! features could share, all its features as surprising as a feature of one document
//! ([`CandidateOptions::min_weighted_containment`]): a reused text shares much of what is particular
//! to it, a chance meeting of stock phrases little. The share needs the frequencies of the shared
//! features only, which an archive's counts give for the features of the new articles. Below that
//! share each document still keeps its closest partners
//! ([`CandidateOptions::partners_below_containment`], one), so that two rewrites of one source that
//! share little, and the pairs of a small corpus, are still aligned while the work stays linear in
//! the corpus. Surprise is summed in fixed point and compared exactly, so that no
//! thread split or input order changes a pair's share or rank.
//!
//! The cost is one pass over the sentences, a sort of all features, and the sum over features of
//! (documents with it)².

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::counts::CorpusCounts;

use stemma_align::TermWeights;
use stemma_align::TokenKind;
use stemma_align::{Document, TermId, Vocabulary};

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
    /// A document with fewer features than this is short: one shared feature is enough to pair it.
    pub short_document_features: usize,
    /// How many of the shared features must involve narrative words when both texts are long (one
    /// when either is short; 0 turns the rule off): names, numbers and quotes alone pair the
    /// independent reports of an event.
    pub min_shared_narrative_features: usize,
    /// The most partners one document is aligned with: those it shares the most features with.
    /// Bounds the work of a corpus in which one text is copied many thousand times; each document
    /// cut short is named in [`Candidates::partners_cut`].
    pub max_partners_per_document: usize,
    /// The weighted containment ([`weighted_containment`]) from which a pair that shares enough
    /// features is aligned: the surprise of the features two documents share over the most the one
    /// with fewer features could share (0 turns the rule off). Stock phrases recur across
    /// unrelated articles, and the more articles there are the more pairs share a few of them; a
    /// text reused in another shares a sizeable part of what is particular to it. Chosen on the
    /// natural generator's development runs (docs/performance.md).
    pub min_weighted_containment: f64,
    /// How many of its partners below [`CandidateOptions::min_weighted_containment`] each document
    /// is still aligned with, those of highest weighted containment first (ties to the partner
    /// first in id order). A pair is kept when it is among them for either of its documents. Two
    /// rewrites of one source, each far from it in other words, can share as little as two
    /// independent reports; their best partner is where that text is most likely, and one
    /// partner per document keeps the work linear in the corpus.
    pub partners_below_containment: usize,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            rare_terms_per_sentence: 5,
            min_rare_weight: 2.5,
            max_document_frequency: 64,
            min_shared_features: 2,
            short_document_features: 200,
            min_shared_narrative_features: 3,
            max_partners_per_document: 1000,
            min_weighted_containment: 0.02,
            partners_below_containment: 1,
        }
    }
}

impl CandidateOptions {
    /// The most documents a feature may be in and still pair them: beyond it the feature is banal
    /// ([`CandidateOptions::max_document_frequency`], at least 2).
    ///
    /// ```
    /// assert_eq!(stemma_graph::CandidateOptions::default().banal_limit(), 64);
    /// ```
    pub fn banal_limit(&self) -> usize {
        self.max_document_frequency.max(2)
    }

    /// Whether a document with `features` distinct features is short: one shared feature, and one
    /// narrative one, is then enough to pair it.
    pub fn is_short(&self, features: usize) -> bool {
        features < self.short_document_features
    }

    /// Whether two documents that share `shared` features, `narrative` of them narrative, are a
    /// candidate pair; `short` when either is short ([`CandidateOptions::is_short`]). An archive
    /// index asks it of an archived article and a new one.
    ///
    /// ```
    /// let options = stemma_graph::CandidateOptions::default();
    /// assert!(options.pairs(3, 3, false));
    /// assert!(!options.pairs(5, 2, false)); // names, numbers and quotes alone
    /// assert!(options.pairs(1, 1, true));
    /// ```
    pub fn pairs(&self, shared: usize, narrative: usize, short: bool) -> bool {
        let (needed, needed_narrative) = if short {
            (1, self.min_shared_narrative_features.min(1))
        } else {
            (
                self.min_shared_features as usize,
                self.min_shared_narrative_features,
            )
        };
        shared >= needed && narrative >= needed_narrative
    }

    /// Whether two documents whose shared features have surprise `shared` (summed
    /// [`feature_surprise`]) are close enough to be aligned whatever else they share, when
    /// `smaller` is the most the one with fewer features could share: their count times the
    /// surprise of a feature of one document ([`CandidateOptions::min_weighted_containment`]; a
    /// pair below may still be among a document's
    /// [`CandidateOptions::partners_below_containment`]).
    ///
    /// ```
    /// let options = stemma_graph::CandidateOptions::default();
    /// assert!(options.contains_enough(30, 1_000));
    /// assert!(!options.contains_enough(5, 1_000)); // a few stock phrases
    /// ```
    pub fn contains_enough(&self, shared: u64, smaller: u64) -> bool {
        weighted_containment(shared, smaller) >= self.min_weighted_containment
    }
}

/// The weighted containment of a pair: the surprise `shared` of the features it shares over the
/// most `smaller` the document with fewer features could share (1 when `smaller` is 0, as nothing
/// can then be told apart).
///
/// ```
/// assert_eq!(stemma_graph::weighted_containment(1, 4), 0.25);
/// ```
pub fn weighted_containment(shared: u64, smaller: u64) -> f64 {
    if smaller == 0 {
        1.0
    } else {
        shared as f64 / smaller as f64
    }
}

/// Fixed-point scale of [`feature_surprise`]: integer sums add up to the same total in any order,
/// so the surprise a pair shares does not depend on how threads split the work.
const SURPRISE_SCALE: f64 = 65_536.0;

/// How surprising a feature found in `df` of a corpus's `documents` documents is: the fixed-point
/// value of ln((documents + 1) / df), more for rarer features. Never 0 for a feature of the corpus.
///
/// ```
/// use stemma_graph::feature_surprise;
/// assert!(feature_surprise(2, 10_000) > feature_surprise(50, 10_000));
/// assert!(feature_surprise(10, 10) > 0);
/// ```
pub fn feature_surprise(df: usize, documents: usize) -> u64 {
    let documents = documents.max(df).max(1) as f64;
    ((documents + 1.0) / df.max(1) as f64)
        .ln()
        .mul_add(SURPRISE_SCALE, 0.5) as u64
}

/// The result of candidate generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    /// Candidate pairs `(i, j)` of document indices with `i < j`, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// Number of features dropped as banal.
    pub banal_features: usize,
    /// Documents with more candidate partners than [`CandidateOptions::max_partners_per_document`]:
    /// each with how many it had.
    pub partners_cut: Vec<(usize, usize)>,
}

fn mix(x: u64) -> u64 {
    // SplitMix64 finaliser: a cheap, well-spread hash of feature keys.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The top bit of a feature: set when it involves narrative words (ordinary words outside quotation
/// marks), clear when it is made of names, numbers and quoted speech only, which independent reports
/// of one event share.
const NARRATIVE: u64 = 1 << 63;

fn with_kind(feature: u64, narrative: bool) -> u64 {
    if narrative {
        feature | NARRATIVE
    } else {
        feature & !NARRATIVE
    }
}

/// Whether a feature (or an index entry that keeps the feature's top bit) involves narrative words.
pub(crate) fn is_narrative_feature(feature: u64) -> bool {
    feature & NARRATIVE != 0
}

/// Whether a feature (an [`ArticleCounts::features`](crate::ArticleCounts::features) value)
/// involves narrative words (ordinary words outside quotation marks) rather than names, numbers and
/// quoted speech only.
///
/// ```
/// assert!(stemma_graph::is_narrative(1 << 63));
/// assert!(!stemma_graph::is_narrative(1));
/// ```
pub fn is_narrative(feature: u64) -> bool {
    is_narrative_feature(feature)
}

/// The features of one document, sorted and deduplicated. A shingle is narrative when two of its three
/// terms are narrative words, a pair of rare terms when either is; the top bit of a feature says
/// which.
pub fn document_features(
    doc: &Document,
    vocab: &Vocabulary,
    weights: &TermWeights,
    options: &CandidateOptions,
) -> Vec<u64> {
    let mut features = Vec::new();
    for (index, sentence) in doc.sentences.iter().enumerate() {
        if !doc.is_body(index) {
            continue;
        }
        // Terms by the hash of their key, not their id: ids follow the order a corpus interned its
        // terms in, and a document's features must not depend on the corpus.
        let content: Vec<(TermId, u64, bool)> = sentence
            .content()
            .map(|t| {
                let narrative = t.kind == TokenKind::Word && !t.quoted;
                (t.term, vocab.term_hash(t.term), narrative)
            })
            .collect();
        for window in content.windows(3) {
            let key = window[0].1.rotate_left(42) ^ window[1].1.rotate_left(21) ^ window[2].1;
            let narrative = window.iter().filter(|t| t.2).count() >= 2;
            features.push(with_kind(mix(key) | 1, narrative));
        }
        // Ties of weight (unseen names all weigh alike) go by hash too, so that a sentence with more
        // rare terms than are paired picks the same ones in every corpus.
        let mut rare: Vec<(f32, u64, bool)> = content
            .iter()
            .map(|&(t, hash, narrative)| (weights.weight(t), hash, narrative))
            .filter(|(w, _, _)| *w >= options.min_rare_weight)
            .collect();
        rare.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        rare.dedup_by_key(|x| x.1);
        rare.truncate(options.rare_terms_per_sentence);
        for x in 0..rare.len() {
            for y in x + 1..rare.len() {
                let (lo, hi) = if rare[x].1 < rare[y].1 {
                    (rare[x].1, rare[y].1)
                } else {
                    (rare[y].1, rare[x].1)
                };
                let narrative = rare[x].2 || rare[y].2;
                features.push(with_kind(mix(lo.rotate_left(32) ^ hi) & !1, narrative));
            }
        }
    }
    features.sort_unstable();
    features.dedup();
    features
}

/// The part of the corpus that candidate generation does not hold (an archive on disk): which of
/// the documents it holds are counted in `counts` already, and the corpus's size.
pub(crate) struct Outside<'a> {
    /// Per document, whether `counts` counts it.
    pub counted: &'a [bool],
    /// The counts of the articles outside (and of the documents `counted`).
    pub counts: &'a dyn CorpusCounts,
    /// Documents in the whole corpus.
    pub documents: usize,
}

/// The low bits of a feature that the candidate index of a corpus of `documents` documents gives to
/// the document number.
fn index_bits(documents: usize) -> u32 {
    (usize::BITS - documents.leading_zeros()).max(1)
}

/// A feature as the candidate index of a corpus of `documents` documents keys it: its low bits, which
/// hold the document number there, cleared. Two features with one key pair documents as one; a
/// distributed job shuffles by this key to find the pairs the analysis finds.
///
/// ```
/// use stemma_graph::candidate_key;
/// assert_eq!(candidate_key(0b1011_0111, 5), 0b1011_0000); // 5 documents take 3 bits
/// assert_eq!(candidate_key(u64::MAX, 100_000) >> 17, u64::MAX >> 17);
/// ```
pub fn candidate_key(feature: u64, documents: usize) -> u64 {
    let bits = index_bits(documents);
    (feature >> bits) << bits
}

/// Candidate pairs of a corpus: the features of every document, gathered into one sorted list of
/// `(feature, document)` entries, then every feature's documents paired. Flat sorted vectors rather
/// than maps keep a hundred thousand articles' index in a few hundred megabytes.
///
/// With `sides` (per document, whether it is a source), only a source and a target pair.
pub fn candidate_pairs(
    documents: &[Document],
    vocab: &Vocabulary,
    weights: &TermWeights,
    options: &CandidateOptions,
    sides: Option<&[bool]>,
    outside: Outside<'_>,
) -> Candidates {
    use rayon::prelude::*;
    debug_assert_eq!(outside.counted.len(), documents.len());
    // Each entry packs a feature's hash above the document index; the document index takes as few bits
    // as the corpus needs, so features keep 47 bits for a hundred thousand documents (a collision, which
    // only adds a candidate, is then vanishingly rare). The whole corpus's size sets the bits, so that
    // an analysis against an archive folds features as the analysis of the whole corpus would.
    let doc_bits = index_bits(documents.len().max(outside.documents));
    let doc_mask = (1u64 << doc_bits) - 1;
    // How many documents outside have each feature of a document not counted there: a feature only
    // documents counted outside have pairs no one here (their pairs are archived with archived).
    let outside_documents: HashMap<u64, usize> = if outside.counts.documents() == 0 {
        HashMap::new()
    } else {
        documents
            .par_iter()
            .zip(outside.counted.par_iter())
            .filter(|(_, counted)| !**counted)
            .flat_map_iter(|(d, _)| document_features(d, vocab, weights, options))
            .map(|f| (f >> doc_bits, outside.counts.feature_documents(f) as usize))
            .collect()
    };
    let mut entries: Vec<u64> = documents
        .par_iter()
        .enumerate()
        .flat_map_iter(|(doc, d)| {
            let mut folded: Vec<u64> = document_features(d, vocab, weights, options)
                .into_iter()
                .map(|f| f >> doc_bits)
                .collect();
            folded.sort_unstable();
            folded.dedup();
            folded
                .into_iter()
                .map(move |f| (f << doc_bits) | doc as u64)
        })
        .collect();
    entries.par_sort_unstable();
    let feature_counts: Vec<AtomicU32> = (0..documents.len()).map(|_| AtomicU32::new(0)).collect();
    entries.par_iter().for_each(|&entry| {
        feature_counts[(entry & doc_mask) as usize].fetch_add(1, Ordering::Relaxed);
    });
    let feature_counts: Vec<usize> = feature_counts
        .into_iter()
        .map(|count| count.into_inner() as usize)
        .collect();
    let cap = options.banal_limit();
    let corpus = documents.len().max(outside.documents);
    // How many documents of the corpus have a feature, given its entries here; `None` when it
    // pairs no one here (a feature only documents counted outside have pairs no one here: their
    // pairs are archived with archived).
    let documents_with = |run: &[u64]| -> Option<usize> {
        if run.len() < 2 {
            return None;
        }
        if outside_documents.is_empty() {
            return Some(run.len());
        }
        let not_counted = run
            .iter()
            .filter(|&&e| !outside.counted[(e & doc_mask) as usize])
            .count();
        (not_counted > 0)
            .then(|| not_counted + outside_documents.get(&(run[0] >> doc_bits)).unwrap_or(&0))
    };
    // Per document, how many shared features it is the lower end of (an upper bound with `sides`):
    // what cuts the pairing into passes of bounded size below.
    let lower_ends: Vec<AtomicU64> = (0..documents.len()).map(|_| AtomicU64::new(0)).collect();
    let banal_features: usize = pieces_at_runs(&entries, doc_bits, PAIRING_PIECES)
        .par_iter()
        .map(|piece| {
            let mut banal = 0;
            for run in piece.chunk_by(|x, y| x >> doc_bits == y >> doc_bits) {
                match documents_with(run) {
                    None => {}
                    Some(here) if here > cap => banal += 1,
                    Some(_) => {
                        for (x, &entry) in run.iter().enumerate() {
                            lower_ends[(entry & doc_mask) as usize]
                                .fetch_add((run.len() - 1 - x) as u64, Ordering::Relaxed);
                        }
                    }
                }
            }
            banal
        })
        .sum();
    // Only the features that pair documents are paired: most features are one document's.
    retain_runs(&mut entries, doc_bits, |run| {
        documents_with(run).is_some_and(|here| here <= cap)
    });
    entries.shrink_to_fit();
    let lower_ends: Vec<u64> = lower_ends.into_iter().map(AtomicU64::into_inner).collect();
    // Each shared feature is recorded as the pair's two documents above its document frequency and
    // whether it is narrative, so that sorting gathers a pair's features and the frequency gives
    // their surprise. A frequency too large for its bits is clamped, which can only overstate the
    // surprise and keep a pair.
    let layout = SharedLayout::new(doc_bits);
    // Every feature's documents paired, in pieces cut at feature boundaries so that they run in
    // parallel; the pieces are concatenated in order.
    let pieces = pieces_at_runs(&entries, doc_bits, PAIRING_PIECES);
    let mut pairs: Vec<Contained> = Vec::new();
    // The shared features of all pairs at once took more memory than the documents at a hundred
    // thousand articles, so they are gathered for a range of lower ends at a time. Each range's
    // pairs sort before the next range's, so the pairs come out in the order of one global sort.
    for lower in passes(&lower_ends, SHARED_PER_PASS) {
        let paired: Vec<Vec<u64>> = pieces
            .par_iter()
            .map(|piece| {
                let mut shared = Vec::new();
                for run in piece.chunk_by(|x, y| x >> doc_bits == y >> doc_bits) {
                    let Some(here) = documents_with(run) else {
                        continue;
                    };
                    let narrative = is_narrative_feature(run[0]);
                    // A run is sorted by document, so its lower ends in range are one slice of it.
                    let document = |e: &u64| (e & doc_mask) as usize;
                    let first = run.partition_point(|e| document(e) < lower.start);
                    let last = run.partition_point(|e| document(e) < lower.end);
                    for x in first..last {
                        for y in x + 1..run.len() {
                            if let Some(sides) = sides {
                                if sides[document(&run[x])] == sides[document(&run[y])] {
                                    continue;
                                }
                            }
                            shared.push(layout.pack(
                                run[x] & doc_mask,
                                run[y] & doc_mask,
                                here,
                                narrative,
                            ));
                        }
                    }
                }
                shared
            })
            .collect();
        let mut shared = Vec::with_capacity(paired.iter().map(Vec::len).sum());
        for piece in paired {
            shared.extend_from_slice(&piece);
        }
        shared.par_sort_unstable();
        pairs.extend(
            shared
                .chunk_by(|x, y| layout.pair(*x) == layout.pair(*y))
                .filter_map(|run| {
                    let (a, b) = layout.pair(run[0]);
                    let narrative = run.iter().filter(|&&x| layout.narrative(x)).count();
                    let smaller = feature_counts[a].min(feature_counts[b]);
                    // A short text (a rewritten lede) has few features to share.
                    if !options.pairs(run.len(), narrative, options.is_short(smaller)) {
                        return None;
                    }
                    let common: u64 = run
                        .iter()
                        .map(|&x| feature_surprise(layout.frequency(x), corpus))
                        .sum();
                    Some(Contained {
                        a,
                        b,
                        shared: run.len(),
                        common,
                        smaller: smaller as u64 * feature_surprise(1, corpus),
                    })
                }),
        );
    }
    drop(pieces);
    drop(entries);
    let mut pairs = keep_contained(pairs, options);
    let partners_cut = cap_partners(
        &mut pairs,
        documents.len(),
        options.max_partners_per_document,
    );
    let pairs = pairs.into_iter().map(|(a, b, _)| (a, b)).collect();
    Candidates {
        pairs,
        banal_features,
        partners_cut,
    }
}

/// How a feature shared by two documents is packed into a `u64`: the two documents' numbers, then
/// the feature's document frequency (clamped to its bits), then whether it is narrative.
#[derive(Debug, Clone, Copy)]
struct SharedLayout {
    doc_bits: u32,
    frequency_bits: u32,
}

impl SharedLayout {
    fn new(doc_bits: u32) -> Self {
        debug_assert!(
            2 * doc_bits < 64,
            "two document numbers and a flag fit in 64 bits"
        );
        SharedLayout {
            doc_bits,
            frequency_bits: (63 - 2 * doc_bits).min(16),
        }
    }

    fn low(&self) -> u32 {
        self.frequency_bits + 1
    }

    fn pack(&self, a: u64, b: u64, frequency: usize, narrative: bool) -> u64 {
        let most = (1u64 << self.frequency_bits) - 1;
        let frequency = (frequency as u64).min(most);
        (a << (self.doc_bits + self.low()))
            | (b << self.low())
            | (frequency << 1)
            | u64::from(narrative)
    }

    fn pair(&self, x: u64) -> (usize, usize) {
        let mask = (1u64 << self.doc_bits) - 1;
        (
            ((x >> (self.doc_bits + self.low())) & mask) as usize,
            ((x >> self.low()) & mask) as usize,
        )
    }

    fn frequency(&self, x: u64) -> usize {
        ((x >> 1) & ((1u64 << self.frequency_bits) - 1)) as usize
    }

    fn narrative(&self, x: u64) -> bool {
        x & 1 == 1
    }
}

/// A pair of documents that shares enough features, with the surprise of what it shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Contained {
    a: usize,
    b: usize,
    /// Features shared.
    shared: usize,
    /// Their summed surprise.
    common: u64,
    /// The most the document with fewer features could share: each of its features as surprising
    /// as one found in no other document.
    smaller: u64,
}

impl Contained {
    /// Orders pairs by weighted containment, highest first, compared exactly (no rounding can
    /// make the order depend on anything but the two pairs).
    fn closer(&self, other: &Contained) -> std::cmp::Ordering {
        let mine = u128::from(self.common) * u128::from(other.smaller.max(1));
        let theirs = u128::from(other.common) * u128::from(self.smaller.max(1));
        theirs.cmp(&mine)
    }
}

/// The pairs to align, as `(a, b, shared features)` sorted by `(a, b)`: those at or above
/// [`CandidateOptions::min_weighted_containment`], and those below that are among the
/// [`CandidateOptions::partners_below_containment`] closest of either document. `pairs` are
/// sorted by `(a, b)`.
fn keep_contained(pairs: Vec<Contained>, options: &CandidateOptions) -> Vec<(usize, usize, usize)> {
    let sure = |p: &Contained| options.contains_enough(p.common, p.smaller);
    let mut keep: Vec<bool> = pairs.iter().map(sure).collect();
    if options.partners_below_containment > 0 {
        // Each pair below seen from both ends, closest first within each document, ties to the
        // partner first in id order.
        let mut ends: Vec<(usize, usize, usize)> = pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| !sure(p))
            .flat_map(|(k, p)| [(p.a, p.b, k), (p.b, p.a, k)])
            .collect();
        ends.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| pairs[x.2].closer(&pairs[y.2]))
                .then(x.1.cmp(&y.1))
        });
        for run in ends.chunk_by(|x, y| x.0 == y.0) {
            for end in run.iter().take(options.partners_below_containment) {
                keep[end.2] = true;
            }
        }
    }
    pairs
        .into_iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(p, _)| (p.a, p.b, p.shared))
        .collect()
}

/// Keeps a pair only if it is among the `limit` pairs sharing the most features of both its
/// documents (ties to the lower index), so that no document is aligned with more than `limit`
/// others. `pairs` are `(a, b, shared features)` sorted by `(a, b)`, and stay so. Returns the
/// documents that had more partners, each with how many.
fn cap_partners(
    pairs: &mut Vec<(usize, usize, usize)>,
    documents: usize,
    limit: usize,
) -> Vec<(usize, usize)> {
    use rayon::prelude::*;
    let mut partners = vec![0usize; documents];
    for &(a, b, _) in pairs.iter() {
        partners[a] += 1;
        partners[b] += 1;
    }
    let cut: Vec<(usize, usize)> = partners
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > limit)
        .collect();
    if cut.is_empty() {
        return cut;
    }
    // Each pair seen from both ends, strongest first within each document.
    let mut ends: Vec<(usize, std::cmp::Reverse<usize>, usize, usize)> = pairs
        .iter()
        .enumerate()
        .flat_map(|(k, &(a, b, count))| {
            [
                (a, std::cmp::Reverse(count), b, k),
                (b, std::cmp::Reverse(count), a, k),
            ]
        })
        .collect();
    ends.par_sort_unstable();
    let mut votes = vec![0u8; pairs.len()];
    for run in ends.chunk_by(|x, y| x.0 == y.0) {
        for end in run.iter().take(limit) {
            votes[end.3] += 1;
        }
    }
    let mut votes = votes.into_iter();
    pairs.retain(|_| votes.next() == Some(2));
    cut
}

/// Shared features gathered in one pass of the pairing (8 bytes each): bounds its memory.
const SHARED_PER_PASS: usize = 1 << 24;

/// Cuts the documents into ranges, in order, each the lower end of at most `budget` shared
/// features (`lower_ends[d]` for document `d`) unless one document alone is the lower end of more.
fn passes(lower_ends: &[u64], budget: usize) -> Vec<Range<usize>> {
    let budget = budget.max(1) as u64;
    let mut out = Vec::new();
    let (mut start, mut taken) = (0, 0u64);
    for (d, &ends) in lower_ends.iter().enumerate() {
        if taken > 0 && taken + ends > budget {
            out.push(start..d);
            (start, taken) = (d, 0);
        }
        taken += ends;
    }
    if start < lower_ends.len() {
        out.push(start..lower_ends.len());
    }
    out
}

/// Keeps the runs of sorted `entries` (entries that agree above the low `doc_bits` bits) for which
/// `keep` holds, in order, in place.
fn retain_runs(entries: &mut Vec<u64>, doc_bits: u32, keep: impl Fn(&[u64]) -> bool) {
    let mut kept = 0;
    let mut start = 0;
    while start < entries.len() {
        let mut end = start + 1;
        while end < entries.len() && entries[end] >> doc_bits == entries[start] >> doc_bits {
            end += 1;
        }
        if keep(&entries[start..end]) {
            entries.copy_within(start..end, kept);
            kept += end - start;
        }
        start = end;
    }
    entries.truncate(kept);
}

/// Pieces the pairing of features is cut into (more than threads, so that uneven pieces even out).
const PAIRING_PIECES: usize = 256;

/// Cuts sorted entries into about `pieces` slices, each cut falling between two features (entries
/// agree on a feature when they agree above the low `doc_bits` bits).
fn pieces_at_runs(entries: &[u64], doc_bits: u32, pieces: usize) -> Vec<&[u64]> {
    let step = entries.len().div_ceil(pieces.max(1)).max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut end = (start + step).min(entries.len());
        while end < entries.len() && entries[end] >> doc_bits == entries[end - 1] >> doc_bits {
            end += 1;
        }
        out.push(&entries[start..end]);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_are_capped_by_shared_features_on_both_ends() {
        // Document 0 shares text with 1, 2 and 3 (most with 3); 1 and 2 share a little.
        let pairs = vec![(0, 1, 5), (0, 2, 4), (0, 3, 9), (1, 2, 1)];
        let mut kept = pairs.clone();
        assert_eq!(cap_partners(&mut kept, 4, 2), [(0, 3)]);
        assert_eq!(kept, [(0, 1, 5), (0, 3, 9), (1, 2, 1)]);
        let mut all = pairs.clone();
        assert!(cap_partners(&mut all, 4, 3).is_empty());
        assert_eq!(all, pairs);
    }
    use stemma_align::Vocabulary;

    const WIRE: &str = "Villagers near the frontier were evacuated overnight after relentless \
        artillery barrages shattered windows across Kozinka, Governor Vyacheslav Gladkov said. \
        Emergency crews erected temporary shelters for 9,300 displaced residents in gymnasiums and \
        libraries. \"We will not abandon a single family,\" Gladkov told reporters in Belgorod.";

    /// The wire's telling, spun with synonyms and reordered clauses.
    const SPUN: &str = "Villagers close to the frontier were evacuated overnight after relentless \
        artillery barrages smashed windows across Kozinka, Governor Vyacheslav Gladkov stated. \
        Emergency crews built temporary shelters for 9,300 displaced residents in gymnasiums and \
        libraries. \"We will not abandon a single family,\" Gladkov told reporters in Belgorod.";

    /// The same event told independently: the same people, places, number and quote, other words.
    const INDEPENDENT: &str = "Gladkov, the Belgorod governor, confirmed that Kozinka had been \
        emptied as shells kept landing. Officials counted 9,300 people who needed beds, many of \
        them elderly. \"We will not abandon a single family,\" the governor promised at a briefing \
        in Belgorod.";

    /// A corpus held whole: nothing outside.
    fn held_whole(counted: &[bool]) -> Outside<'_> {
        Outside {
            counted,
            counts: &crate::counts::Nothing,
            documents: counted.len(),
        }
    }

    fn pairs_of(texts: &[&str]) -> Vec<(usize, usize)> {
        pairs_with(texts, &CandidateOptions::default())
    }

    fn pairs_with(texts: &[&str], options: &CandidateOptions) -> Vec<(usize, usize)> {
        let mut vocab = Vocabulary::new();
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| vocab.document(i.to_string(), t.to_string()))
            .collect();
        let weights = TermWeights::background(&vocab);
        candidate_pairs(
            &docs,
            &vocab,
            &weights,
            options,
            None,
            held_whole(&vec![false; docs.len()]),
        )
        .pairs
    }

    #[test]
    fn a_rewrite_is_a_candidate_and_a_report_of_the_same_event_is_not() {
        assert_eq!(pairs_of(&[WIRE, SPUN, INDEPENDENT]), vec![(0, 1)]);
    }

    #[test]
    fn names_numbers_and_quotes_alone_pair_documents_only_without_the_narrative_rule() {
        let loose = CandidateOptions {
            min_shared_narrative_features: 0,
            ..CandidateOptions::default()
        };
        // The two share features (the quote, the names), so only the narrative rule keeps them apart.
        assert_eq!(pairs_with(&[WIRE, INDEPENDENT], &loose), vec![(0, 1)]);
        assert!(pairs_of(&[WIRE, INDEPENDENT]).is_empty());
    }

    #[test]
    fn features_say_whether_they_involve_narrative_words() {
        let mut vocab = Vocabulary::new();
        let quote_only = vocab.document(
            "q",
            "\"We will not abandon a single family ever again.\"".to_string(),
        );
        let narrative = vocab.document(
            "n",
            "Emergency crews erected temporary shelters overnight.".to_string(),
        );
        let weights = TermWeights::background(&vocab);
        let options = CandidateOptions::default();
        let q = document_features(&quote_only, &vocab, &weights, &options);
        let n = document_features(&narrative, &vocab, &weights, &options);
        assert!(!q.is_empty() && q.iter().all(|&f| !is_narrative_feature(f)));
        assert!(!n.is_empty() && n.iter().all(|&f| is_narrative_feature(f)));
    }

    /// The features of the last text of a corpus.
    fn features_of_last(corpus: &[&str]) -> (Vec<u64>, TermId) {
        let mut vocab = Vocabulary::new();
        let docs: Vec<Document> = corpus
            .iter()
            .enumerate()
            .map(|(i, t)| vocab.document(i.to_string(), t.to_string()))
            .collect();
        let weights = TermWeights::background(&vocab);
        let last = docs.last().expect("a document");
        let features = document_features(last, &vocab, &weights, &CandidateOptions::default());
        (features, last.sentences[0].tokens[0].term)
    }

    #[test]
    fn features_do_not_depend_on_the_corpus_order_of_terms() {
        // Seven made-up names weigh alike (unseen): more rare terms than a sentence pairs, all tied.
        const NAMES: &str = "Zorvath Quillenby met Marthoxa Pelinduro and Vashkarig Trombelux near \
            Ostrevane after shelling damaged the bridge. Emergency crews erected temporary shelters \
            for 9,300 displaced residents in gymnasiums and libraries.";
        for text in [WIRE, SPUN, NAMES] {
            // The same words interned alone, and after the text backwards and another text.
            let reversed: String = text.split_whitespace().rev().collect::<Vec<_>>().join(" ");
            let (alone, id_alone) = features_of_last(&[text]);
            let (after, id_after) = features_of_last(&[&reversed, INDEPENDENT, text]);
            assert_ne!(
                id_alone, id_after,
                "the words have other ids in the two corpora"
            );
            assert!(alone.len() > 20);
            assert_eq!(alone, after);
        }
    }

    /// A long article of made-up words (unseen, so rare) on its own topic, with `stock` put in
    /// as its third sentence. Deterministic in `topic`.
    fn article(topic: u64, stock: &str) -> String {
        let mut state = topic.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let syllables = [
            "ka", "lo", "mi", "ren", "tu", "vas", "zel", "dor", "pim", "quo",
        ];
        let mut sentences = Vec::new();
        for s in 0..16 {
            if s == 2 {
                sentences.push(stock.to_string());
            }
            let words: Vec<String> = (0..14)
                .map(|w| {
                    // A pool of 60 words per topic, so that sentences of one article share some.
                    let n = next() % 60 + 100 * topic;
                    let word: String = [n % 10, n / 10 % 10, n / 100 % 10]
                        .iter()
                        .map(|&i| syllables[i as usize])
                        .collect();
                    if w % 3 == 2 {
                        format!("{word} the")
                    } else {
                        word
                    }
                })
                .collect();
            let mut sentence = words.join(" ");
            sentence[..1].make_ascii_uppercase();
            sentences.push(format!("{sentence}."));
        }
        sentences.join(" ")
    }

    /// The article with every fifth word replaced: a spun rewrite.
    fn spin(text: &str) -> String {
        text.split(' ')
            .enumerate()
            .map(|(i, w)| if i % 5 == 4 { "glorbified" } else { w })
            .collect::<Vec<_>>()
            .join(" ")
    }

    const STOCK: &str = "Officials said in a statement that the review would continue \
        throughout the coming weeks despite mounting criticism from opposition lawmakers.";

    const OTHER_STOCK: &str = "The spokesman declined to comment further on the negotiations \
        when reached by telephone late on Friday evening at the headquarters.";

    /// Only the containment rule: no partner below it.
    fn contained_only() -> CandidateOptions {
        CandidateOptions {
            partners_below_containment: 0,
            ..CandidateOptions::default()
        }
    }

    #[test]
    fn a_few_shared_stock_phrases_do_not_pair_long_articles_but_a_spun_copy_does() {
        let (flood, transfer) = (article(1, STOCK), article(2, STOCK));
        let spun = spin(&flood);
        let texts = [flood.as_str(), transfer.as_str(), spun.as_str()];
        assert_eq!(pairs_with(&texts, &contained_only()), vec![(0, 2)]);
        // Without the containment rule the stock sentence pairs the unrelated articles: it is the
        // rule, not the older ones, that keeps them apart.
        let loose = CandidateOptions {
            min_weighted_containment: 0.0,
            ..contained_only()
        };
        assert_eq!(pairs_with(&texts, &loose), vec![(0, 1), (0, 2)]);
        // The transfer story's best partner, however weak, is still aligned by default.
        assert_eq!(pairs_of(&texts), vec![(0, 1), (0, 2)]);
    }

    #[test]
    fn partners_below_containment_are_taken_closest_first() {
        // 0 and 1 share two stock sentences, 2 shares one with both, 3 the other with both.
        let both = format!("{STOCK} {OTHER_STOCK}");
        let texts = [
            article(1, &both),
            article(2, &both),
            article(3, STOCK),
            article(4, OTHER_STOCK),
        ];
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        // Every pair below the rule, whatever the containment of a few stock sentences here.
        let below = |partners| CandidateOptions {
            min_weighted_containment: 1.0,
            partners_below_containment: partners,
            ..CandidateOptions::default()
        };
        assert!(pairs_with(&texts, &below(0)).is_empty());
        assert_eq!(
            pairs_with(&texts, &below(3)),
            vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3)]
        );
        let closest = pairs_with(&texts, &below(1));
        // 0 and 1 are each other's closest; 2 and 3 each keep one partner, 0 or 1.
        assert!(closest.contains(&(0, 1)));
        for lone in [2, 3] {
            let partners = closest.iter().filter(|p| p.1 == lone).count();
            assert_eq!(partners, 1, "{closest:?}");
        }
        assert_eq!(closest.len(), 3);
    }

    #[test]
    fn the_pairs_aligned_do_not_depend_on_threads_or_input_order() {
        // Articles of four topics, some spun, so that partners below the containment rule tie and
        // are taken by id.
        let articles: Vec<crate::Article> = (0..12u64)
            .map(|i| {
                let text = article(i % 4, STOCK);
                let text = if i % 3 == 1 { spin(&text) } else { text };
                crate::Article::new(format!("article-{i:02}"), text)
            })
            .collect();
        let options = crate::AnalyzeOptions {
            keep_unrelated: true,
            ..crate::AnalyzeOptions::default()
        };
        let aligned = |articles: Vec<crate::Article>, threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            let analysis = pool.install(|| crate::analyze(articles, &options));
            let id = |i: usize| analysis.articles[i].id.clone();
            analysis
                .pairs
                .iter()
                .map(|p| (id(p.a), id(p.b)))
                .collect::<Vec<_>>()
        };
        let backward: Vec<crate::Article> = articles.iter().rev().cloned().collect();
        let expected = aligned(articles.clone(), 1);
        assert!(expected.len() > 4);
        assert_eq!(aligned(articles, 3), expected);
        assert_eq!(aligned(backward.clone(), 1), expected);
        assert_eq!(aligned(backward, 4), expected);
    }

    #[test]
    fn shared_features_pack_and_unpack() {
        for doc_bits in [1, 14, 17, 23, 31] {
            let layout = SharedLayout::new(doc_bits);
            let most = (1u64 << doc_bits) - 1;
            let x = layout.pack(most, most / 2, 64, true);
            assert_eq!(layout.pair(x), (most as usize, (most / 2) as usize));
            assert!(layout.narrative(x));
            // A frequency too large for its bits is clamped: its surprise is overstated, not lost.
            assert_eq!(
                layout.frequency(x),
                64.min((1 << layout.frequency_bits) - 1)
            );
            assert!(layout.pack(0, 1, 2, false) < layout.pack(1, 0, 2, false));
        }
    }

    #[test]
    fn passes_cover_the_documents_in_order_within_the_budget() {
        let lower_ends = [3, 0, 4, 9, 1, 1, 0, 2];
        let ranges = passes(&lower_ends, 5);
        assert_eq!(ranges, [0..2, 2..3, 3..4, 4..8]);
        let whole = passes(&lower_ends, 100);
        assert_eq!((whole.len(), whole[0].clone()), (1, 0..8));
        assert!(passes(&[], 5).is_empty());
    }

    #[test]
    fn retained_runs_stay_whole_and_in_order() {
        // Features 0..10 with 1 + f % 3 documents each, the document in the low 4 bits.
        let entries: Vec<u64> = (0..10u64)
            .flat_map(|f| (0..1 + f % 3).map(move |d| (f << 4) | d))
            .collect();
        let mut kept = entries.clone();
        retain_runs(&mut kept, 4, |run| run.len() >= 2);
        let expected: Vec<u64> = entries
            .chunk_by(|x, y| x >> 4 == y >> 4)
            .filter(|run| run.len() >= 2)
            .flatten()
            .copied()
            .collect();
        assert_eq!(kept, expected);
    }

    #[test]
    fn pieces_cover_the_entries_and_never_split_a_feature() {
        // Features 0..40 with 1 to 7 documents each, the document in the low 4 bits.
        let entries: Vec<u64> = (0..40u64)
            .flat_map(|f| (0..1 + f % 7).map(move |d| (f << 4) | d))
            .collect();
        for pieces in [1, 2, 3, 7, 40, 1_000] {
            let cut = pieces_at_runs(&entries, 4, pieces);
            assert_eq!(cut.concat(), entries);
            assert!(cut.len() <= pieces.min(40));
            for pair in cut.windows(2) {
                let (last, first) = (pair[0][pair[0].len() - 1], pair[1][0]);
                assert_ne!(
                    last >> 4,
                    first >> 4,
                    "a feature split with {pieces} pieces"
                );
            }
        }
        assert!(pieces_at_runs(&[], 4, 8).is_empty());
    }
}
