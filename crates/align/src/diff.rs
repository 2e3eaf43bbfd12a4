//! Word-level diffs of aligned text, with `similar`.
//!
//! A text is cut into words (with their trailing white space) and punctuation marks; words are compared
//! by a folded form (Unicode NFKC, lower case, straight quotes), so that a curly quote or a capital at a
//! new sentence start is not shown as a change. Each run keeps both sides' exact text: concatenating the
//! `a` fields of all runs gives A back, the `b` fields give B.

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;

/// What a run of the diff does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffOp {
    /// The same words on both sides.
    Equal,
    /// Words only in A.
    Delete,
    /// Words only in B.
    Insert,
    /// Words of A replaced by other words in B.
    Replace,
}

/// One run of a word diff, with the exact text of each side (empty where the side has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffRun {
    /// What the run does.
    pub op: DiffOp,
    /// The run's text in A.
    pub a: String,
    /// The run's text in B.
    pub b: String,
}

/// Diffs two texts word by word.
///
/// ```
/// use stemma_align::{word_diff, DiffOp};
/// let runs = word_diff("Seventy attackers were killed.", "Seventy assailants were killed.");
/// assert_eq!(runs[1].op, DiffOp::Replace);
/// assert_eq!(runs[1].a, "attackers ");
/// assert_eq!(runs.iter().map(|r| r.b.as_str()).collect::<String>(), "Seventy assailants were killed.");
/// ```
pub fn word_diff(a: &str, b: &str) -> Vec<DiffRun> {
    let pieces_a = pieces(a);
    let pieces_b = pieces(b);
    let keys_a: Vec<String> = pieces_a.iter().map(|p| fold(p)).collect();
    let keys_b: Vec<String> = pieces_b.iter().map(|p| fold(p)).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &keys_a, &keys_b);
    let mut runs: Vec<DiffRun> = Vec::with_capacity(ops.len());
    for op in ops {
        let (tag, ra, rb) = op.as_tag_tuple();
        let op = match tag {
            DiffTag::Equal => DiffOp::Equal,
            DiffTag::Delete => DiffOp::Delete,
            DiffTag::Insert => DiffOp::Insert,
            DiffTag::Replace => DiffOp::Replace,
        };
        let run = DiffRun {
            op,
            a: pieces_a[ra].concat(),
            b: pieces_b[rb].concat(),
        };
        // similar reports a delete next to an insert as two ops; a reader sees one replacement.
        match runs.last_mut() {
            Some(last) if last.op != DiffOp::Equal && run.op != DiffOp::Equal => {
                last.a.push_str(&run.a);
                last.b.push_str(&run.b);
                last.op = match (last.a.is_empty(), last.b.is_empty()) {
                    (true, _) => DiffOp::Insert,
                    (_, true) => DiffOp::Delete,
                    _ => DiffOp::Replace,
                };
            }
            Some(last) if last.op == run.op => {
                last.a.push_str(&run.a);
                last.b.push_str(&run.b);
            }
            _ => runs.push(run),
        }
    }
    runs
}

/// Length of the longest common subsequence of two sequences: how many of their items can be
/// matched without crossing. The quadratic table is meant for sentence-sized inputs; callers cut
/// longer ones.
///
/// ```
/// assert_eq!(stemma_align::common_subsequence_len(&[1, 2, 3, 4], &[2, 9, 4, 1]), 2);
/// assert_eq!(stemma_align::common_subsequence_len::<u32>(&[], &[1]), 0);
/// ```
pub fn common_subsequence_len<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// How much of two texts a word diff finds unchanged: `(equal, total)` in bytes, where each run of the
/// diff counts the longer of its two sides. The same numbers as summing [`word_diff`]'s runs, without
/// building their strings: evidence needs them for every aligned group of every related pair.
///
/// ```
/// use stemma_align::{verbatim_len, word_diff, DiffOp};
/// let (a, b) = ("Seventy attackers were killed.", "Seventy assailants were killed.");
/// let runs = word_diff(a, b);
/// let equal: usize = runs.iter().filter(|r| r.op == DiffOp::Equal).map(|r| r.a.len()).sum();
/// let total: usize = runs.iter().map(|r| r.a.len().max(r.b.len())).sum();
/// assert_eq!(verbatim_len(a, b), (equal, total));
/// ```
pub fn verbatim_len(a: &str, b: &str) -> (usize, usize) {
    if a == b {
        // A copied sentence, the commonest case in a corpus of copies: one equal run, no diff needed.
        return (a.len(), a.len());
    }
    let pieces_a = pieces(a);
    let pieces_b = pieces(b);
    // Folded words interned to integers: the diff compares numbers instead of strings. Each piece
    // is folded into one reused buffer, so only a word not seen yet allocates.
    let mut ids: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
    let mut folded = String::new();
    let mut intern = |p: &&str| -> u32 {
        fold_into(p, &mut folded);
        if let Some(&id) = ids.get(folded.as_str()) {
            return id;
        }
        let id = ids.len() as u32;
        ids.insert(folded.clone(), id);
        id
    };
    let keys_a: Vec<u32> = pieces_a.iter().map(&mut intern).collect();
    let keys_b: Vec<u32> = pieces_b.iter().map(&mut intern).collect();
    let bytes = |pieces: &[&str], range: std::ops::Range<usize>| -> usize {
        pieces[range].iter().map(|p| p.len()).sum()
    };
    let (mut equal, mut total) = (0, 0);
    // A change run (delete, insert or replace) open since the last equal run: its two sides' bytes.
    let mut change = (0, 0);
    for op in capture_diff_slices(Algorithm::Patience, &keys_a, &keys_b) {
        let (tag, ra, rb) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            total += change.0.max(change.1);
            change = (0, 0);
            let len = bytes(&pieces_a, ra).max(bytes(&pieces_b, rb));
            equal += len;
            total += len;
        } else {
            change.0 += bytes(&pieces_a, ra);
            change.1 += bytes(&pieces_b, rb);
        }
    }
    total += change.0.max(change.1);
    (equal, total)
}

/// Words and punctuation marks, each with the white space that follows it; leading white space is a
/// piece of its own.
fn pieces(text: &str) -> Vec<&str> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for (offset, piece) in crate::words::word_bound_indices(text) {
        let end = offset + piece.len();
        let is_space = piece.chars().all(char::is_whitespace);
        match ranges.last_mut() {
            Some(last) if is_space => last.end = end,
            _ => ranges.push(offset..end),
        }
    }
    ranges.into_iter().map(|r| &text[r]).collect()
}

fn fold(piece: &str) -> String {
    let mut out = String::new();
    fold_into(piece, &mut out);
    out
}

/// Replaces `out` with the folded `piece`: what two pieces must agree on to be the same word.
fn fold_into(piece: &str, out: &mut String) {
    out.clear();
    let piece = piece.trim_end();
    if piece.is_ascii() {
        // NFKC leaves ASCII alone.
        out.extend(piece.chars().map(|c| match c {
            '`' => '\'',
            c => c.to_ascii_lowercase(),
        }));
        return;
    }
    out.extend(piece.nfkc().flat_map(char::to_lowercase).map(|c| match c {
        '’' | '‘' | '`' | '´' => '\'',
        '“' | '”' | '„' | '«' | '»' => '"',
        '–' | '—' => '-',
        c => c,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::TermId;
    use proptest::prelude::*;

    #[test]
    fn lcs_counts_the_longest_ordered_run() {
        let t = |v: &[u32]| v.iter().map(|&x| TermId(x)).collect::<Vec<_>>();
        assert_eq!(
            common_subsequence_len(&t(&[1, 2, 3, 4]), &t(&[2, 9, 4, 1])),
            2
        );
        assert_eq!(common_subsequence_len(&t(&[]), &t(&[1])), 0);
    }

    fn side_a(runs: &[DiffRun]) -> String {
        runs.iter().map(|r| r.a.as_str()).collect()
    }
    fn side_b(runs: &[DiffRun]) -> String {
        runs.iter().map(|r| r.b.as_str()).collect()
    }

    #[test]
    fn curly_quotes_and_case_are_not_changes() {
        let runs = word_diff("“It is not safe,” he said.", "\"it is not safe,\" he said.");
        assert!(runs.iter().all(|r| r.op == DiffOp::Equal), "{runs:?}");
    }

    #[test]
    fn inserted_and_deleted_words_are_runs() {
        let runs = word_diff(
            "Villages were evacuated.",
            "Several villages were quickly evacuated.",
        );
        let ops: Vec<DiffOp> = runs.iter().map(|r| r.op).collect();
        assert_eq!(
            ops,
            vec![DiffOp::Insert, DiffOp::Equal, DiffOp::Insert, DiffOp::Equal]
        );
        assert_eq!(runs[0].b, "Several ");
    }

    #[test]
    fn empty_sides() {
        assert!(word_diff("", "").is_empty());
        let runs = word_diff("", "New text.");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].op, DiffOp::Insert);
    }

    proptest! {
        #[test]
        fn diff_reconstructs_both_sides(a in "\\PC{0,80}", b in "\\PC{0,80}") {
            let runs = word_diff(&a, &b);
            prop_assert_eq!(side_a(&runs), a);
            prop_assert_eq!(side_b(&runs), b);
        }

        #[test]
        fn diff_of_words_reconstructs(a in "( ?[a-zA-Z]{1,6}[ ,.]{0,2}){0,20}", b in "( ?[a-zA-Z]{1,6}[ ,.]{0,2}){0,20}") {
            let runs = word_diff(&a, &b);
            prop_assert_eq!(side_a(&runs), a.clone());
            prop_assert_eq!(side_b(&runs), b);
            let self_runs = word_diff(&a, &a);
            prop_assert!(self_runs.iter().all(|r| r.op == DiffOp::Equal));
        }

        #[test]
        fn verbatim_len_sums_the_word_diff(a in "( ?[a-zA-Zé’]{1,6}[ ,.“]{0,2}){0,20}", b in "( ?[a-zA-Zé’]{1,6}[ ,.”]{0,2}){0,20}") {
            let runs = word_diff(&a, &b);
            let equal: usize = runs.iter().filter(|r| r.op == DiffOp::Equal).map(|r| r.a.len().max(r.b.len())).sum();
            let total: usize = runs.iter().map(|r| r.a.len().max(r.b.len())).sum();
            prop_assert_eq!(verbatim_len(&a, &b), (equal, total));
        }
    }
}
