//! Pairwise alignment of two news articles' sentences.
//!
//! The pipeline, one plain data type handed to the next stage:
//! text → [`segment`](mod@segment) (paragraphs and sentences with byte spans) → [`normalize`] (tokens: stemmed, flagged)
//! → [`document`] (interned tokens, page furniture marked) → [`similarity`] (sentence similarity robust
//! to paraphrase) → [`alignment`] (order-aware 1:1, split and merge groups, coverage) → [`diff`]
//! (word-level diffs of aligned groups).
#![forbid(unsafe_code)]

pub mod alignment;
pub mod diff;
pub mod document;
pub mod furniture;
pub mod lexicon;
pub mod normalize;
pub mod segment;
pub mod similarity;
mod wire;
pub mod words;

pub use wire::{typographic_quotes, unwrap_wire_copy};

// What a user of one pair needs, at the crate root (the modules stay reachable for the rest).
pub use alignment::{
    AlignOptions, AlignedGroup, Alignment, PreparedDocument, align, align_prepared,
};
pub use diff::{DiffOp, DiffRun, word_diff};
pub use document::{Document, Vocabulary};
pub use segment::{Segmentation, Sentence, SentenceKind, segment};
pub use similarity::{Scorer, SimilarityParams, TermWeights};

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
    let alignment = alignment::align(&a, &b, &weights, &scorer, &AlignOptions::default());
    Comparison {
        vocab,
        a,
        b,
        alignment,
    }
}
