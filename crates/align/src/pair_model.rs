//! A learned sentence-pair model: is one sentence a rewording of the other?
//!
//! The weighted overlap of [`Scorer::overlap`] is one number; a paraphrase decision has more cheap
//! evidence at hand. Two sentences that share their words but disagree on a number or a name are
//! usually about different facts; two that keep runs of words in the same order are more likely one
//! text than two that share a bag of words. [`SentencePairFeatures`] computes a few such measures
//! from the tokens and bags the aligner already has, and [`SentenceModel`], a logistic regression
//! over them, turns them into a probability. Its weights ship in the crate
//! (`src/sentence_model.json`) and are fitted on the MRPC train split alone by
//! `stemma measure mrpc DIR --write` (docs/quality.md gives the test accuracy).
//!
//! Every feature is symmetric in the two sentences and lies in [0, 1], so the probability is
//! symmetric too.

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::diff::common_subsequence_len;
use crate::document::{TermId, Token};
use crate::logistic::{FeatureSet, Model};
use crate::normalize::TokenKind;
use crate::similarity::{Bag, Overlap, Scorer};

/// The names of the features, in the order of [`SentencePairFeatures::values`].
pub const SENTENCE_FEATURE_NAMES: [&str; SENTENCE_FEATURE_COUNT] = [
    "similarity",
    "recall_min",
    "recall_max",
    "narrative_similarity",
    "exact_similarity",
    "content_bigrams",
    "content_trigrams",
    "word_dice",
    "word_bigrams",
    "content_lcs",
    "numbers_differ",
    "names_differ",
    "length_difference",
    "shorter_length",
    "content_dice",
    "word_trigrams",
    "unmatched_words",
    "negation_differs",
];

/// How many features [`SentencePairFeatures`] has.
pub const SENTENCE_FEATURE_COUNT: usize = 18;

/// Lexical evidence that two sentences say the same thing, each in [0, 1] and symmetric.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SentencePairFeatures {
    /// [`Overlap::similarity`]: weighted, synonym-credited overlap of content words.
    pub similarity: f64,
    /// The smaller of the two containments ([`Overlap::recall_a`], [`Overlap::recall_b`]).
    pub recall_min: f64,
    /// The larger of the two containments: one sentence contained in a longer one.
    pub recall_max: f64,
    /// [`Overlap::narrative_similarity`]: the overlap without names, numbers and quotes.
    pub narrative_similarity: f64,
    /// Weighted overlap of identical content words only (no synonym credit): with `similarity`, how
    /// much of the match the thesaurus made.
    pub exact_similarity: f64,
    /// Dice coefficient of the two sets of content-word bigrams (stems, in order).
    pub content_bigrams: f64,
    /// Dice coefficient of the two sets of content-word trigrams.
    pub content_trigrams: f64,
    /// Dice coefficient of the two sets of all words, function words included: "has" against "had
    /// not" is where MRPC's negatives often differ.
    pub word_dice: f64,
    /// Dice coefficient of the two sets of all-word bigrams.
    pub word_bigrams: f64,
    /// Longest common subsequence of the content words over the mean number of content words.
    pub content_lcs: f64,
    /// Share of the numbers of either sentence missing from the other (0 when neither has one): a
    /// paraphrase rarely changes a number.
    pub numbers_differ: f64,
    /// Share of the names of either sentence missing from the other (0 when neither has one).
    pub names_differ: f64,
    /// Difference of the word counts over the larger count.
    pub length_difference: f64,
    /// Word count of the shorter sentence, as `n / (n + 10)`: short sentences match by chance more.
    pub shorter_length: f64,
    /// Dice coefficient of the two sets of content words, unweighted and without synonym credit.
    pub content_dice: f64,
    /// Dice coefficient of the two sets of all-word trigrams.
    pub word_trigrams: f64,
    /// Content words of one sentence absent from the other (the larger count of the two sides), as
    /// `n / (n + 3)`: an added clause is new information however long the sentences are.
    pub unmatched_words: f64,
    /// 1 when one sentence has a negation ("not", "no", "never", "didn't") and the other none.
    pub negation_differs: f64,
}

/// One side of a sentence pair: its tokens (stop words included, in text order) and its bag.
#[derive(Debug, Clone, Copy)]
pub struct SentenceSide<'s> {
    /// All tokens of the sentence.
    pub tokens: &'s [Token],
    /// The sentence's bag, as [`Scorer::bag`] builds it.
    pub bag: &'s Bag,
}

impl SentencePairFeatures {
    /// The features of a sentence pair whose [`Scorer::overlap`] is `overlap` (computed by the
    /// caller, who usually has it already).
    ///
    /// ```
    /// use stemma_align::{Scorer, SentencePairFeatures, SentenceSide, SimilarityParams, TermWeights, Vocabulary};
    /// let mut vocab = Vocabulary::new();
    /// let a = vocab.tokens("The company said profit rose 5 percent in the third quarter.");
    /// let b = vocab.tokens("The company said profit rose 9 percent in the third quarter.");
    /// let weights = TermWeights::background(&vocab);
    /// let scorer = Scorer::new(&vocab, SimilarityParams::default());
    /// let (x, y) = (scorer.bag(&a, &weights), scorer.bag(&b, &weights));
    /// let overlap = scorer.overlap(&x, &y);
    /// let f = SentencePairFeatures::new(
    ///     &scorer,
    ///     SentenceSide { tokens: &a, bag: &x },
    ///     SentenceSide { tokens: &b, bag: &y },
    ///     &overlap,
    /// );
    /// assert_eq!(f.numbers_differ, 1.0);
    /// assert!(f.content_bigrams > 0.5);
    /// ```
    pub fn new(
        scorer: &Scorer<'_>,
        a: SentenceSide<'_>,
        b: SentenceSide<'_>,
        overlap: &Overlap,
    ) -> Self {
        let content = |s: &SentenceSide<'_>| -> Vec<TermId> {
            s.tokens
                .iter()
                .filter(|t| t.is_content())
                .map(|t| t.term)
                .collect()
        };
        let all =
            |s: &SentenceSide<'_>| -> Vec<TermId> { s.tokens.iter().map(|t| t.term).collect() };
        let of_kind = |s: &SentenceSide<'_>, kind: TokenKind| -> FxHashSet<TermId> {
            s.tokens
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| t.term)
                .collect()
        };
        let (content_a, content_b) = (content(&a), content(&b));
        let (all_a, all_b) = (all(&a), all(&b));
        let (longer, shorter) = (all_a.len().max(all_b.len()), all_a.len().min(all_b.len()));
        let mean_content = (content_a.len() + content_b.len()) as f64 / 2.0;
        let set = |v: &[TermId]| -> FxHashSet<TermId> { v.iter().copied().collect() };
        let (set_a, set_b) = (set(&content_a), set(&content_b));
        let unmatched = set_a
            .difference(&set_b)
            .count()
            .max(set_b.difference(&set_a).count()) as f64;
        let negated = |s: &SentenceSide<'_>| {
            s.tokens
                .iter()
                .any(|t| is_negation(&scorer.vocab().info(t.term).key))
        };
        SentencePairFeatures {
            similarity: overlap.similarity,
            recall_min: overlap.recall_a.min(overlap.recall_b),
            recall_max: overlap.recall_a.max(overlap.recall_b),
            narrative_similarity: overlap.narrative_similarity,
            exact_similarity: exact_similarity(a.bag, b.bag),
            content_bigrams: ngram_dice(&content_a, &content_b, 2),
            content_trigrams: ngram_dice(&content_a, &content_b, 3),
            word_dice: ngram_dice(&all_a, &all_b, 1),
            word_bigrams: ngram_dice(&all_a, &all_b, 2),
            content_lcs: if mean_content > 0.0 {
                (common_subsequence_len(&content_a, &content_b) as f64 / mean_content).min(1.0)
            } else {
                0.0
            },
            numbers_differ: disagreement(
                &of_kind(&a, TokenKind::Number),
                &of_kind(&b, TokenKind::Number),
            ),
            names_differ: disagreement(
                &of_kind(&a, TokenKind::Name),
                &of_kind(&b, TokenKind::Name),
            ),
            length_difference: if longer > 0 {
                (longer - shorter) as f64 / longer as f64
            } else {
                0.0
            },
            shorter_length: shorter as f64 / (shorter as f64 + 10.0),
            content_dice: ngram_dice(&content_a, &content_b, 1),
            word_trigrams: ngram_dice(&all_a, &all_b, 3),
            unmatched_words: unmatched / (unmatched + 3.0),
            negation_differs: if negated(&a) != negated(&b) { 1.0 } else { 0.0 },
        }
    }

    /// The features as a list, in the order of [`SENTENCE_FEATURE_NAMES`].
    ///
    /// ```
    /// let f = stemma_align::SentencePairFeatures { similarity: 0.7, ..Default::default() };
    /// assert_eq!(f.values()[0], 0.7);
    /// ```
    pub fn values(&self) -> [f64; SENTENCE_FEATURE_COUNT] {
        [
            self.similarity,
            self.recall_min,
            self.recall_max,
            self.narrative_similarity,
            self.exact_similarity,
            self.content_bigrams,
            self.content_trigrams,
            self.word_dice,
            self.word_bigrams,
            self.content_lcs,
            self.numbers_differ,
            self.names_differ,
            self.length_difference,
            self.shorter_length,
            self.content_dice,
            self.word_trigrams,
            self.unmatched_words,
            self.negation_differs,
        ]
    }

    /// The features of a pair scored with `scorer`: builds the overlap too (for callers that do not
    /// have it).
    ///
    /// ```
    /// use stemma_align::{Scorer, SentencePairFeatures, SentenceSide, SimilarityParams, TermWeights, Vocabulary};
    /// let mut vocab = Vocabulary::new();
    /// let a = vocab.tokens("Russia claims that 70 attackers were slain.");
    /// let weights = TermWeights::background(&vocab);
    /// let scorer = Scorer::new(&vocab, SimilarityParams::default());
    /// let x = scorer.bag(&a, &weights);
    /// let side = SentenceSide { tokens: &a, bag: &x };
    /// let f = SentencePairFeatures::scored(&scorer, side, side);
    /// assert_eq!((f.similarity, f.content_lcs, f.names_differ), (1.0, 1.0, 0.0));
    /// ```
    pub fn scored(scorer: &Scorer<'_>, a: SentenceSide<'_>, b: SentenceSide<'_>) -> Self {
        let overlap = scorer.overlap(a.bag, b.bag);
        SentencePairFeatures::new(scorer, a, b, &overlap)
    }
}

/// Whether a normalized key negates ("not", "never", "didn't").
fn is_negation(key: &str) -> bool {
    matches!(
        key,
        "not" | "no" | "never" | "nor" | "none" | "nobody" | "nothing"
    ) || key.ends_with("n't")
}

/// Weighted Dice overlap of identical terms (as a multiset).
fn exact_similarity(a: &Bag, b: &Bag) -> f64 {
    let total = a.total() + b.total();
    if total <= 0.0 {
        return 0.0;
    }
    let mut rest: Vec<(TermId, f32)> = b.weighted_terms().collect();
    let mut matched = 0.0;
    for (term, weight) in a.weighted_terms() {
        if let Some(k) = rest.iter().position(|&(t, _)| t == term) {
            matched += f64::from(weight) + f64::from(rest[k].1);
            rest.swap_remove(k);
        }
    }
    (matched / total).clamp(0.0, 1.0)
}

/// Dice coefficient of the sets of `n`-grams of two sequences (0 when neither has one).
fn ngram_dice(a: &[TermId], b: &[TermId], n: usize) -> f64 {
    let x: FxHashSet<&[TermId]> = a.windows(n).collect();
    let y: FxHashSet<&[TermId]> = b.windows(n).collect();
    if x.is_empty() && y.is_empty() {
        return 0.0;
    }
    let shared = x.intersection(&y).count();
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Share of the union of two sets that is in only one of them (0 when both are empty).
fn disagreement(a: &FxHashSet<TermId>, b: &FxHashSet<TermId>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    (union - shared) as f64 / union as f64
}

/// A fitted logistic regression over [`SentencePairFeatures`] (a [`Model`]): the one that ships is
/// fitted on MRPC train by `stemma measure mrpc --write`.
///
/// ```
/// use stemma_align::{SentenceModel, SentencePairFeatures};
/// let model = SentenceModel::shipped();
/// assert_eq!(model.weights.len(), stemma_align::SENTENCE_FEATURE_NAMES.len());
/// let text = model.to_json();
/// assert_eq!(&SentenceModel::from_json(&text).unwrap(), model);
/// assert!(SentenceModel::from_json("{}").is_err());
///
/// let same = SentencePairFeatures { similarity: 1.0, recall_min: 1.0, recall_max: 1.0,
///     narrative_similarity: 1.0, exact_similarity: 1.0, content_bigrams: 1.0,
///     content_trigrams: 1.0, word_dice: 1.0, word_bigrams: 1.0, content_lcs: 1.0,
///     shorter_length: 0.6, ..Default::default() };
/// let apart = SentencePairFeatures { similarity: 0.2, recall_min: 0.2, recall_max: 0.2,
///     exact_similarity: 0.2, word_dice: 0.3, content_dice: 0.2, numbers_differ: 1.0,
///     unmatched_words: 0.8, shorter_length: 0.6, ..Default::default() };
/// assert!(model.probability(&same) > model.threshold);
/// assert!(model.probability(&apart) < model.threshold);
/// ```
pub type SentenceModel = Model<SentencePairFeatures>;

/// The model shipped with the crate.
const SHIPPED: &str = include_str!("sentence_model.json");

impl FeatureSet for SentencePairFeatures {
    type Values = [f64; SENTENCE_FEATURE_COUNT];
    const NAMES: &'static [&'static str] = &SENTENCE_FEATURE_NAMES;

    fn values(&self) -> Self::Values {
        SentencePairFeatures::values(self)
    }

    fn shipped_model() -> &'static SentenceModel {
        static MODEL: std::sync::OnceLock<SentenceModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            SentenceModel::from_json(SHIPPED)
                .expect("the shipped sentence model matches this version")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Vocabulary;
    use crate::similarity::{SimilarityParams, TermWeights};
    use proptest::prelude::*;

    fn features(a: &str, b: &str) -> (SentencePairFeatures, SentencePairFeatures) {
        let mut vocab = Vocabulary::new();
        let (ta, tb) = (vocab.tokens(a), vocab.tokens(b));
        let weights = TermWeights::background(&vocab);
        let scorer = Scorer::new(&vocab, SimilarityParams::default());
        let (x, y) = (scorer.bag(&ta, &weights), scorer.bag(&tb, &weights));
        let side_a = SentenceSide {
            tokens: &ta,
            bag: &x,
        };
        let side_b = SentenceSide {
            tokens: &tb,
            bag: &y,
        };
        (
            SentencePairFeatures::scored(&scorer, side_a, side_b),
            SentencePairFeatures::scored(&scorer, side_b, side_a),
        )
    }

    #[test]
    fn a_changed_name_is_seen_and_a_reordered_clause_keeps_its_bigrams() {
        let (f, _) = features(
            "The plant would close in March, Governor Varnick told reporters.",
            "The plant would close in March, Governor Okonkwo told reporters.",
        );
        // Two of the names ("Governor", "March", "Varnick", "Okonkwo") are on one side only.
        assert!(f.names_differ > 0.0, "{f:?}");
        let (same, _) = features(
            "The plant would close in March, Governor Varnick told reporters.",
            "The plant would shut in March, Governor Varnick told journalists.",
        );
        assert_eq!(same.names_differ, 0.0, "{same:?}");
        assert_eq!(f.numbers_differ, 0.0);
        let (g, _) = features(
            "The plant will close in March, the union said.",
            "The union said the plant will close in March.",
        );
        assert!(g.content_bigrams > 0.5 && g.content_lcs < 1.0, "{g:?}");
    }

    #[test]
    fn the_shipped_model_prefers_the_paraphrase_to_the_changed_fact() {
        let model = SentenceModel::shipped();
        let (paraphrase, _) = features(
            "Russia claims that 70 attackers were slain in the raid.",
            "Russia says 70 assailants were killed during the raid.",
        );
        let (changed, _) = features(
            "Russia claims that 70 attackers were slain in the raid.",
            "Georgia claims that 12 soldiers were wounded in the raid.",
        );
        assert!(model.probability(&paraphrase) > model.probability(&changed));
    }

    const WORDS: &[&str] = &[
        "the",
        "army",
        "said",
        "Smith",
        "70",
        "attackers",
        "were",
        "killed",
        "slain",
        "in",
        "raid",
        "Moscow",
        "claims",
        "12",
        "insurgents",
        "on",
        "Monday",
        "police",
    ];

    fn sentence() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..WORDS.len(), 0..14)
            .prop_map(|v| v.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
    }

    proptest! {
        #[test]
        fn features_are_symmetric_and_in_unit_range(a in sentence(), b in sentence()) {
            let (ab, ba) = features(&a, &b);
            for (x, y) in ab.values().iter().zip(ba.values()) {
                prop_assert!((0.0..=1.0).contains(x), "{ab:?}");
                prop_assert!((x - y).abs() < 1e-9, "{ab:?} vs {ba:?}");
            }
            let model = SentenceModel::shipped();
            let (p, q) = (model.probability(&ab), model.probability(&ba));
            prop_assert!((0.0..=1.0).contains(&p));
            prop_assert!((p - q).abs() < 1e-9);
        }
    }
}
