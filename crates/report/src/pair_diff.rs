//! One pair's alignment with word diffs, as `stemma diff --format json` writes its groups and the
//! Python package's `compare` returns them.

use serde::Serialize;
use stemma_align::{Alignment, DiffRun, Document, word_diff};

use crate::round;

/// One aligned group with its texts and its word diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffGroup {
    /// Sentence indices in A.
    pub a_sentences: Vec<usize>,
    /// Sentence indices in B.
    pub b_sentences: Vec<usize>,
    /// Exact text of A's sentences, joined by one space.
    pub a_text: String,
    /// Exact text of B's sentences, joined by one space.
    pub b_text: String,
    /// Similarity of the group, rounded to four decimals.
    pub score: f64,
    /// Whether the group keeps the documents' order.
    pub in_order: bool,
    /// Word diff from `a_text` to `b_text`.
    pub diff: Vec<DiffRun>,
}

impl DiffGroup {
    /// The group's shape: `one_to_one`, `split` (one sentence of A for several of B), `merge`
    /// (several of A for one of B) or `group` (several for several).
    ///
    /// ```
    /// let c = stemma_align::compare(
    ///     "a", "Border villages were evacuated after heavy shelling on Monday.",
    ///     "b", "After intense shelling on Monday, villages near the border were evacuated.",
    /// );
    /// let groups = stemma_report::diff_groups(&c.a, &c.b, &c.alignment);
    /// assert_eq!(groups[0].shape(), "one_to_one");
    /// ```
    pub fn shape(&self) -> &'static str {
        match (self.a_sentences.len(), self.b_sentences.len()) {
            (1, 1) => "one_to_one",
            (1, _) => "split",
            (_, 1) => "merge",
            _ => "group",
        }
    }
}

/// The aligned groups of `alignment` (of `a` against `b`), in A's order, each with its word diff.
///
/// ```
/// let c = stemma_align::compare(
///     "a", "Border villages were evacuated after heavy shelling on Monday.",
///     "b", "Border villages were evacuated after intense shelling on Monday.",
/// );
/// let groups = stemma_report::diff_groups(&c.a, &c.b, &c.alignment);
/// assert_eq!(groups.len(), 1);
/// assert!(groups[0].diff.iter().any(|run| run.b.contains("intense")));
/// ```
pub fn diff_groups(a: &Document, b: &Document, alignment: &Alignment) -> Vec<DiffGroup> {
    alignment
        .groups
        .iter()
        .map(|g| {
            let a_text = a.sentences_text(g.a.clone());
            let b_text = b.sentences_text(g.b.clone());
            DiffGroup {
                a_sentences: g.a.clone().collect(),
                b_sentences: g.b.clone().collect(),
                diff: word_diff(&a_text, &b_text),
                a_text,
                b_text,
                score: round(g.score),
                in_order: g.in_order,
            }
        })
        .collect()
}
