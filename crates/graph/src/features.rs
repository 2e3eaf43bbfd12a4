//! What is measured about an aligned pair before deciding whether it is a link.
//!
//! Independent reports of one event share names, numbers, quotes and the order of the news (lede,
//! numbers, reactions, background); a copy shares the *telling*. Each feature below is one piece of
//! evidence for the telling, computed from the sentence alignment and the two token streams; the
//! [`LinkModel`](crate::LinkModel) weighs them into a probability. The list is fixed: the shipped
//! model's weights are in [`FEATURE_NAMES`] order.

use serde::Serialize;
use stemma_align::alignment::{AlignOptions, AlignedGroup, Alignment};
use stemma_align::document::{Document, Token};
use stemma_align::normalize::TokenKind;

use crate::evidence::{body_sentences, body_share, is_narrative};

/// The names of the features, in the order of [`PairFeatures::values`].
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "coverage_max",
    "coverage_min",
    "immutable_share",
    "order_consistency",
    "longest_run",
    "narrative_groups",
    "narrative_similarity",
    "skeleton",
    "content_trigrams_max",
    "content_trigrams_min",
    "phrase_fivegrams",
    "length_ratio",
    "short_text",
    "fact_only_groups",
    "shared_trigrams",
    "close_groups",
    "close_coverage",
    "ordered_groups",
    "word_containment",
];

/// How many features there are.
pub const FEATURE_COUNT: usize = 19;

/// A narrative group is *close* when its narrative words match this well and its function-word
/// skeleton agrees this much: the same sentence reworded, not the same fact restated.
const CLOSE_SIMILARITY: f64 = 0.75;
const CLOSE_SKELETON: f64 = 0.5;

/// Shared content-word trigrams that are narrative evidence even without an aligned narrative group.
const MIN_SHARED_TRIGRAMS: usize = 2;

/// The evidence about one aligned pair that the link decision weighs. Every value is finite.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PairFeatures {
    /// Narrative coverage of the more covered side: share of its body text in aligned groups that
    /// match on narrative words.
    pub coverage_max: f64,
    /// Narrative coverage of the less covered side.
    pub coverage_min: f64,
    /// Mean share of a group's matched weight that is names, numbers or quoted speech.
    pub immutable_share: f64,
    /// Share of aligned groups on the order-preserving chain.
    pub order_consistency: f64,
    /// ln(1 + the longest run of groups that are neighbours in both documents).
    pub longest_run: f64,
    /// ln(1 + the number of narrative groups).
    pub narrative_groups: f64,
    /// Mean similarity of the narrative words alone, over the narrative groups.
    pub narrative_similarity: f64,
    /// Agreement of the function-word skeleton ("the … was … by the … of") inside narrative groups:
    /// longest common subsequence of their stop words, over the longer sequence, averaged. A copy keeps
    /// its source's clause structure under synonym swaps; a restatement of a fact does not.
    pub skeleton: f64,
    /// Share of the smaller document's content-word trigrams (ordinary words outside quotes, names
    /// and numbers left out) found in the other.
    pub content_trigrams_max: f64,
    /// The same shared trigrams over the larger document's.
    pub content_trigrams_min: f64,
    /// Share of the smaller document's five-word phrases (every unquoted word, function words
    /// included) found in the other: wording kept verbatim.
    pub phrase_fivegrams: f64,
    /// ln(longer body / shorter body), in bytes of body text.
    pub length_ratio: f64,
    /// 1 / (1 + body sentences of the shorter document): large for a news brief.
    pub short_text: f64,
    /// Share of aligned groups whose match rests on names, numbers and quotes (not narrative).
    pub fact_only_groups: f64,
    /// ln(1 + content-word trigrams the two share).
    pub shared_trigrams: f64,
    /// ln(1 + close groups): narrative groups whose narrative words match closely and whose
    /// function-word skeletons agree (a sentence reworded, not a fact restated).
    pub close_groups: f64,
    /// Share of the shorter document's body text in close groups.
    pub close_coverage: f64,
    /// ln(1 + narrative groups on the order-preserving chain): k groups in the same order happen by
    /// chance with probability 1/k!.
    pub ordered_groups: f64,
    /// Share of the smaller document's distinct ordinary content words (outside quotes; names and
    /// numbers left out) that the other has: the vocabulary a rewrite keeps.
    pub word_containment: f64,
    /// Aligned groups that match on narrative words (not a feature: it decides
    /// [`PairFeatures::has_narrative_evidence`]).
    #[serde(skip)]
    pub narrative_group_count: usize,
    /// Content-word trigrams shared (likewise).
    #[serde(skip)]
    pub shared_trigram_count: usize,
}

impl PairFeatures {
    /// The values in [`FEATURE_NAMES`] order.
    ///
    /// ```
    /// let f = stemma_graph::PairFeatures { coverage_max: 0.5, ..Default::default() };
    /// assert_eq!(f.values()[0], 0.5);
    /// assert_eq!(f.values().len(), stemma_graph::FEATURE_NAMES.len());
    /// ```
    pub fn values(&self) -> [f64; FEATURE_COUNT] {
        [
            self.coverage_max,
            self.coverage_min,
            self.immutable_share,
            self.order_consistency,
            self.longest_run,
            self.narrative_groups,
            self.narrative_similarity,
            self.skeleton,
            self.content_trigrams_max,
            self.content_trigrams_min,
            self.phrase_fivegrams,
            self.length_ratio,
            self.short_text,
            self.fact_only_groups,
            self.shared_trigrams,
            self.close_groups,
            self.close_coverage,
            self.ordered_groups,
            self.word_containment,
        ]
    }

    /// Whether the pair shares any narrative evidence at all: an aligned group that matches on
    /// narrative words, or a few trigrams of ordinary words outside quotes. Without it a pair is
    /// never a link, whatever the model says: shared names, numbers and quotes alone are the
    /// event's, not a text's.
    ///
    /// ```
    /// let f = stemma_graph::PairFeatures::default();
    /// assert!(!f.has_narrative_evidence());
    /// ```
    pub fn has_narrative_evidence(&self) -> bool {
        self.narrative_group_count > 0 || self.shared_trigram_count >= MIN_SHARED_TRIGRAMS
    }
}

/// The alignment facts the evidence stage has already computed, handed in so they are not counted
/// twice.
pub(crate) struct AlignmentFacts {
    pub narrative_coverage_a: f64,
    pub narrative_coverage_b: f64,
    pub immutable_share: f64,
    pub order_consistency: f64,
    pub longest_run: usize,
    pub narrative_groups: usize,
}

/// Measures a pair.
pub(crate) fn measure(
    a: &Document,
    b: &Document,
    alignment: &Alignment,
    facts: &AlignmentFacts,
    align_options: &AlignOptions,
) -> PairFeatures {
    let groups = &alignment.groups;
    let narrative: Vec<&AlignedGroup> = groups
        .iter()
        .filter(|g| is_narrative(g, align_options))
        .collect();
    let mean = |values: &mut dyn Iterator<Item = f64>| -> f64 {
        let (mut sum, mut n) = (0.0, 0usize);
        for v in values {
            sum += v;
            n += 1;
        }
        if n == 0 { 0.0 } else { sum / n as f64 }
    };
    let narrative_similarity = mean(
        &mut narrative
            .iter()
            .map(|g| g.overlap.narrative_similarity.clamp(0.0, 1.0)),
    );
    let skeletons: Vec<f64> = narrative
        .iter()
        .map(|g| skeleton_agreement(a, b, g))
        .collect();
    let skeleton = mean(&mut skeletons.iter().copied());
    let close: Vec<&AlignedGroup> = narrative
        .iter()
        .zip(&skeletons)
        .filter(|(g, k)| {
            g.overlap.narrative_similarity >= CLOSE_SIMILARITY && **k >= CLOSE_SKELETON
        })
        .map(|(g, _)| *g)
        .collect();
    let close_coverage = if a.body_len() <= b.body_len() {
        body_share(a, close.iter().map(|g| g.a.clone()))
    } else {
        body_share(b, close.iter().map(|g| g.b.clone()))
    };
    let fact_only_groups = if groups.is_empty() {
        0.0
    } else {
        (groups.len() - narrative.len()) as f64 / groups.len() as f64
    };

    let (content_a, content_b) = (content_word_ids(a), content_word_ids(b));
    let (trigrams_a, trigrams_b) = (shingles(&content_a, 3), shingles(&content_b, 3));
    let shared_trigrams = sorted_shared(&trigrams_a, &trigrams_b);
    let (small, large) = if trigrams_a.len() <= trigrams_b.len() {
        (trigrams_a.len(), trigrams_b.len())
    } else {
        (trigrams_b.len(), trigrams_a.len())
    };
    let (words_a, words_b) = (distinct(content_a), distinct(content_b));
    let word_containment = ratio(
        sorted_shared(&words_a, &words_b),
        words_a.len().min(words_b.len()),
    );
    let (fives_a, fives_b) = (phrase_fivegrams(a), phrase_fivegrams(b));
    let shared_fives = sorted_shared(&fives_a, &fives_b);
    let fives_small = fives_a.len().min(fives_b.len());

    let (body_a, body_b) = (a.body_len().max(1), b.body_len().max(1));
    let sentences = body_sentences(a).min(body_sentences(b));
    PairFeatures {
        coverage_max: facts.narrative_coverage_a.max(facts.narrative_coverage_b),
        coverage_min: facts.narrative_coverage_a.min(facts.narrative_coverage_b),
        immutable_share: facts.immutable_share,
        order_consistency: facts.order_consistency,
        longest_run: (facts.longest_run as f64).ln_1p(),
        narrative_groups: (facts.narrative_groups as f64).ln_1p(),
        narrative_similarity,
        skeleton,
        content_trigrams_max: ratio(shared_trigrams, small),
        content_trigrams_min: ratio(shared_trigrams, large),
        phrase_fivegrams: ratio(shared_fives, fives_small),
        length_ratio: (body_a.max(body_b) as f64 / body_a.min(body_b) as f64).ln(),
        short_text: 1.0 / (1.0 + sentences as f64),
        fact_only_groups,
        shared_trigrams: (shared_trigrams as f64).ln_1p(),
        close_groups: (close.len() as f64).ln_1p(),
        close_coverage,
        ordered_groups: (narrative.iter().filter(|g| g.in_order).count() as f64).ln_1p(),
        word_containment,
        narrative_group_count: facts.narrative_groups,
        shared_trigram_count: shared_trigrams,
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Longest common subsequence of the two sides' function words, over the longer sequence.
fn skeleton_agreement(a: &Document, b: &Document, group: &AlignedGroup) -> f64 {
    /// Longer skeletons are cut: the quadratic LCS stays small whatever a "sentence" holds.
    const MAX_SKELETON: usize = 96;
    let skeleton = |doc: &Document, range: &std::ops::Range<usize>| -> Vec<u32> {
        range
            .clone()
            .flat_map(|i| doc.sentences[i].tokens.iter())
            .filter(|t| t.kind == TokenKind::Stop)
            .map(|t| t.term.0)
            .take(MAX_SKELETON)
            .collect()
    };
    let (x, y) = (skeleton(a, &group.a), skeleton(b, &group.b));
    let longer = x.len().max(y.len());
    if longer == 0 {
        return 0.0;
    }
    let mut row = vec![0u16; y.len() + 1];
    for &xi in &x {
        let mut diagonal = 0u16;
        for (j, &yj) in y.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if xi == yj {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    f64::from(row[y.len()]) / longer as f64
}

/// The body tokens of a document in order, quoted speech left out.
fn unquoted_body_tokens(doc: &Document) -> impl Iterator<Item = &Token> {
    (0..doc.sentences.len())
        .filter(|&i| doc.is_body(i))
        .flat_map(|i| doc.sentences[i].tokens.iter())
        .filter(|t| !t.quoted)
}

/// The ordinary content words of the body text in order (names, numbers, function words and quoted
/// speech left out): their trigrams and their vocabulary are features.
fn content_word_ids(doc: &Document) -> Vec<u32> {
    unquoted_body_tokens(doc)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.term.0)
        .collect()
}

/// The distinct values of a list, sorted, as the shingle hashes are.
fn distinct(words: Vec<u32>) -> Vec<u64> {
    let mut words: Vec<u64> = words.into_iter().map(u64::from).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Hashes of the five-word phrases of the unquoted body text, sorted and deduplicated.
fn phrase_fivegrams(doc: &Document) -> Vec<u64> {
    let words: Vec<u32> = unquoted_body_tokens(doc).map(|t| t.term.0).collect();
    shingles(&words, 5)
}

fn shingles(words: &[u32], n: usize) -> Vec<u64> {
    let mut out: Vec<u64> = words
        .windows(n)
        .map(|w| {
            w.iter().fold(0x243F_6A88_85A3_08D3u64, |h, &t| {
                (h ^ u64::from(t))
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(29)
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many values two sorted, deduplicated lists share.
fn sorted_shared(x: &[u64], y: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_counts_sorted_lists() {
        assert_eq!(sorted_shared(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(sorted_shared(&[], &[1]), 0);
    }

    #[test]
    fn shingles_of_short_runs_are_empty() {
        assert!(shingles(&[1, 2], 3).is_empty());
        assert_eq!(shingles(&[1, 2, 3, 1, 2, 3], 3).len(), 3);
    }
}
