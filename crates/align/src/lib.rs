//! Pairwise alignment of two news articles' sentences.
//!
//! The pipeline, one plain data type handed to the next stage:
//! text → [`segment()`] (paragraphs and sentences with byte spans: [`Segmentation`]) → [`Normalizer`]
//! (tokens: stemmed, flagged) → [`Document`] (interned tokens in a [`Vocabulary`], page furniture
//! marked) → [`Scorer`] (sentence similarity robust to paraphrase) → [`align()`] (order-aware 1:1,
//! split and merge groups, coverage: [`Alignment`]) → [`word_diff()`] (word-level diffs of aligned
//! groups). [`compare()`] does all of it for one pair.
//!
//! Source layout, one module per stage: `segment.rs`, `normalize.rs` (with `words.rs`, the word
//! boundaries, and `wire.rs`, wire-copy conventions), `document.rs`, `furniture.rs`, `similarity.rs`
//! (with the word lists in `lexicon/`), `pair_model.rs` (a learned sentence-pair model, over the
//! logistic regression of [`logistic`], which the graph crate's link model shares), `alignment.rs`,
//! `diff.rs`.
#![forbid(unsafe_code)]

// The modules are private: what a user needs is re-exported here, so the surface is this list.
mod alignment;
mod diff;
mod document;
mod furniture;
mod lexicon;
pub mod logistic;
mod normalize;
mod pair_model;
mod segment;
mod similarity;
mod wire;
mod words;

pub use alignment::{
    AlignOptions, AlignedGroup, Alignment, MAX_PARTNERS_PER_SENTENCE, PreparedDocument, align,
    align_prepared,
};
pub use diff::{DiffOp, DiffRun, common_subsequence_len, verbatim_len, word_diff};
pub use document::{Document, SentenceTokens, TermId, TermInfo, TextAnalysis, Token, Vocabulary};
pub use furniture::{
    FurnitureKind, MIN_CONTENT_TOKENS, SentenceRole, classify as classify_sentence,
};
pub use lexicon::{
    Background, KeyId, ParseError as SynonymsParseError, STOP_WORDS, Synonyms, Tier,
    american_spelling, is_stop_word,
};
pub use normalize::{Normalizer, RawToken, TokenKind};
pub use pair_model::{
    SENTENCE_FEATURE_COUNT, SENTENCE_FEATURE_NAMES, SentenceModel, SentencePairFeatures,
    SentenceSide,
};
pub use segment::{
    MAX_SENTENCE_BYTES, MAX_SENTENCE_WORDS, MAX_SENTENCES, MAX_WRAP_WIDTH, Paragraph, Segmentation,
    Sentence, SentenceKind, is_sentence_starter, segment,
};
pub use similarity::{
    Bag, Overlap, OverlapBound, Scorer, SimilarityParams, TermWeights, UNSEEN_WEIGHT,
    text_similarity,
};
pub use wire::{typographic_quotes, unwrap_wire_copy};
pub use words::{WordBounds, word_bound_indices};

/// Two documents compared: the one-call entry point for a single pair.
#[derive(Debug)]
pub struct Comparison {
    /// The vocabulary both documents were interned in.
    pub vocab: Vocabulary,
    /// The first document.
    pub a: Document,
    /// The second document.
    pub b: Document,
    /// Their alignment.
    pub alignment: Alignment,
}

/// Aligns two texts with default settings and background term weights.
///
/// ```
/// let c = stemma_align::compare(
///     "a", "Border villages were evacuated after heavy shelling on Monday.",
///     "b", "After intense shelling on Monday, villages near the border were evacuated.",
/// );
/// assert_eq!(c.alignment.groups.len(), 1);
/// ```
pub fn compare(a_id: &str, a_text: &str, b_id: &str, b_text: &str) -> Comparison {
    let mut vocab = Vocabulary::new();
    let a = vocab.document(a_id, a_text.to_string());
    let b = vocab.document(b_id, b_text.to_string());
    let weights = TermWeights::background(&vocab);
    let scorer = Scorer::new(&vocab, SimilarityParams::default());
    let alignment = align(&a, &b, &weights, &scorer, &AlignOptions::default());
    Comparison {
        vocab,
        a,
        b,
        alignment,
    }
}
