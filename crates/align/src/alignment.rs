//! Order-aware alignment of two documents' sentences, with splits and merges.
//!
//! The steps, each cheap enough for thousand-sentence documents:
//! 1. **Candidates.** Only sentence pairs that share a term or a synonym class are scored (an inverted
//!    index over B's sentences); in large documents, features found in many sentences are too banal to
//!    seed a pair and are skipped. Page furniture and very short sentences take no part. A pair whose
//!    upper bound ([`Scorer::overlap_bound`]) cannot reach the thresholds is not scored.
//! 2. **Backbone.** Rewrites keep most of their source's order, so the heaviest chain of pairs increasing
//!    on both sides (a weighted longest increasing subsequence, `O(k log k)` for `k` candidates) is
//!    taken first, at the in-order threshold.
//! 3. **Moved blocks.** Pairs left over whose two sentences are both still free are taken, best first, at
//!    the stricter out-of-order threshold: a moved paragraph still aligns, chance matches do not.
//! 4. **Splits and merges.** A sentence split in two (or two merged into one) is a 1:2 (or 2:1) group
//!    when the concatenation matches clearly better than the part alone and each part contributes.
//!
//! Every accepted group also needs shared *narrative* words, not just names, numbers and quotes: two
//! reports of one event share those without sharing a text.

use std::ops::Range;

use serde::Serialize;

use crate::document::Document;
use crate::similarity::{Bag, Overlap, Scorer, TermWeights};

/// Thresholds of the aligner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignOptions {
    /// Minimum similarity for a pair that keeps the documents' order.
    pub in_order: f64,
    /// Minimum similarity for a pair out of order (a moved sentence or paragraph).
    pub moved: f64,
    /// Minimum similarity of the narrative words alone (names, numbers and quotes left out).
    pub narrative: f64,
    /// Similarity at which a pair aligns even without narrative words (a quote copied whole).
    pub near_identical: f64,
    /// How much a split or merge must raise the similarity over the 1:1 pair.
    pub merge_gain: f64,
    /// Share of the added sentence's weight that must be matched for a split or merge.
    pub merge_part_recall: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            in_order: 0.40,
            moved: 0.55,
            narrative: 0.25,
            near_identical: 0.9,
            merge_gain: 0.04,
            merge_part_recall: 0.45,
        }
    }
}

/// One aligned group: consecutive sentences of A facing consecutive sentences of B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedGroup {
    /// Sentence indices in A.
    pub a: Range<usize>,
    /// Sentence indices in B.
    pub b: Range<usize>,
    /// Similarity of the group's text, in [0, 1].
    pub score: f64,
    /// The full comparison behind the score.
    #[serde(skip)]
    pub overlap: Overlap,
    /// Whether the group lies on the main, order-preserving chain of the alignment.
    pub in_order: bool,
}

impl AlignedGroup {
    /// Whether the group is one sentence facing one sentence.
    pub fn is_one_to_one(&self) -> bool {
        self.a.len() == 1 && self.b.len() == 1
    }
}

/// The alignment of two documents.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Alignment {
    /// Groups in the order of A's sentences.
    pub groups: Vec<AlignedGroup>,
    /// Share of A's body text (in bytes) that is aligned.
    pub coverage_a: f64,
    /// Share of B's body text (in bytes) that is aligned.
    pub coverage_b: f64,
    /// Whether a sentence shared features with more than [`MAX_PARTNERS_PER_SENTENCE`] sentences of
    /// the other text and was compared with only the first of them: met only in repetitive,
    /// pathological text, where it bounds the work of one pair of documents.
    pub capped: bool,
}

/// The most sentences of the other text one sentence is scored against.
pub const MAX_PARTNERS_PER_SENTENCE: usize = 64;

impl Alignment {
    /// What the limit of [`MAX_PARTNERS_PER_SENTENCE`] left out, as a message for a report, if it
    /// was reached.
    pub fn limit_reached(&self) -> Option<String> {
        self.capped.then(|| {
            format!(
                "some sentences share words with more than {MAX_PARTNERS_PER_SENTENCE} sentences \
                 of the other text and were compared with the first {MAX_PARTNERS_PER_SENTENCE} \
                 only (repetitive text)"
            )
        })
    }

    /// The same alignment seen from the other side.
    pub fn swapped(&self) -> Alignment {
        let mut groups: Vec<AlignedGroup> = self
            .groups
            .iter()
            .map(|g| AlignedGroup {
                a: g.b.clone(),
                b: g.a.clone(),
                score: g.score,
                overlap: Overlap {
                    recall_a: g.overlap.recall_b,
                    recall_b: g.overlap.recall_a,
                    ..g.overlap
                },
                in_order: g.in_order,
            })
            .collect();
        groups.sort_by_key(|g| (g.a.start, g.b.start));
        Alignment {
            groups,
            coverage_a: self.coverage_b,
            coverage_b: self.coverage_a,
            capped: self.capped,
        }
    }
}

/// Aligns the sentences of `a` and `b`.
///
/// ```
/// use stemma_align::{align, AlignOptions};
/// use stemma_align::Vocabulary;
/// use stemma_align::{Scorer, SimilarityParams, TermWeights};
///
/// let mut vocab = Vocabulary::new();
/// let a = vocab.document("a", "Villages near the border were evacuated after heavy shelling. \
///     The governor said two civilians were injured in the fighting.".into());
/// let b = vocab.document("b", "The governor stated that two civilians had been injured during the fighting. \
///     Border villages were evacuated following intense shelling.".into());
/// let weights = TermWeights::background(&vocab);
/// let scorer = Scorer::new(&vocab, SimilarityParams::default());
/// let alignment = align(&a, &b, &weights, &scorer, &AlignOptions::default());
/// assert_eq!(alignment.groups.len(), 2);
/// assert!(alignment.coverage_a > 0.99);
/// ```
pub fn align(
    a: &Document,
    b: &Document,
    weights: &TermWeights,
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) -> Alignment {
    align_prepared(
        &PreparedDocument::new(a, weights, scorer),
        &PreparedDocument::new(b, weights, scorer),
        scorer,
        options,
    )
}

/// A document made ready for alignment: the bag of each body sentence and its seed features, sorted.
///
/// A corpus aligns each document with several partners; preparing it once saves building the same bags
/// and seed index again for every pair.
///
/// ```
/// use stemma_align::{align, align_prepared, AlignOptions, PreparedDocument};
/// use stemma_align::Vocabulary;
/// use stemma_align::{Scorer, SimilarityParams, TermWeights};
///
/// let mut vocab = Vocabulary::new();
/// let a = vocab.document("a", "Villages near the border were evacuated after heavy shelling.".into());
/// let b = vocab.document("b", "Border villages were evacuated following intense shelling.".into());
/// let weights = TermWeights::background(&vocab);
/// let scorer = Scorer::new(&vocab, SimilarityParams::default());
/// let (pa, pb) = (PreparedDocument::new(&a, &weights, &scorer), PreparedDocument::new(&b, &weights, &scorer));
/// let options = AlignOptions::default();
/// assert_eq!(align_prepared(&pa, &pb, &scorer, &options), align(&a, &b, &weights, &scorer, &options));
/// ```
#[derive(Debug, Clone)]
pub struct PreparedDocument<'d> {
    doc: &'d Document,
    /// A bag per sentence; `None` for furniture and too-short sentences.
    bags: Vec<Option<Bag>>,
    /// Seed features and their sentences, packed as `feature << 31 | sentence` ([`seed_entry`]) and
    /// sorted: what seeds candidate sentence pairs. (Packed, the sort and the memory are half those
    /// of `(feature, sentence)` tuples; preparing documents is a sixth of a corpus run.)
    seeds: Vec<u64>,
    /// Number of sentences with a bag.
    body_sentences: usize,
    /// `(fingerprint, sentence)` of the sentences with a bag, sorted: finds verbatim twins.
    fingerprints: Vec<(u64, u32)>,
}

impl<'d> PreparedDocument<'d> {
    /// Builds the bags and seed features of `doc`.
    pub fn new(doc: &'d Document, weights: &TermWeights, scorer: &Scorer<'_>) -> Self {
        let bags = body_bags(doc, weights, scorer);
        let mut seeds = Vec::new();
        let mut own = Vec::new();
        for (i, bag) in bags.iter().enumerate() {
            if let Some(bag) = bag {
                // A word repeated, or a word and its synonym, give one sentence the same feature
                // more than once: each is kept once, so that a repetitive text costs no more memory
                // than its distinct words.
                own.clear();
                push_seed_features(bag, scorer, |f| own.push(f));
                own.sort_unstable();
                own.dedup();
                seeds.extend(own.iter().filter_map(|&f| seed_entry(f, i)));
            }
        }
        seeds.sort_unstable();
        let body_sentences = bags.iter().flatten().count();
        let mut fingerprints: Vec<(u64, u32)> = bags
            .iter()
            .enumerate()
            .filter_map(|(i, bag)| Some((bag.as_ref()?.fingerprint(), i as u32)))
            .collect();
        fingerprints.sort_unstable();
        PreparedDocument {
            doc,
            bags,
            seeds,
            body_sentences,
            fingerprints,
        }
    }

    /// The document.
    pub fn document(&self) -> &'d Document {
        self.doc
    }
}

/// Aligns two prepared documents: the same result as [`align`] on their documents.
pub fn align_prepared(
    a: &PreparedDocument<'_>,
    b: &PreparedDocument<'_>,
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) -> Alignment {
    // Greedy steps break ties by position, so the pair is always aligned in one canonical orientation:
    // `align(b, a)` is then exactly `align(a, b)` with the sides swapped.
    if (&b.doc.id, &b.doc.text) < (&a.doc.id, &a.doc.text) {
        return align_oriented(b, a, scorer, options).swapped();
    }
    align_oriented(a, b, scorer, options)
}

fn align_oriented(
    prepared_a: &PreparedDocument<'_>,
    prepared_b: &PreparedDocument<'_>,
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) -> Alignment {
    let (a, b) = (prepared_a.doc, prepared_b.doc);
    let (bags_a, bags_b) = (&prepared_a.bags, &prepared_b.bags);
    let (pairs, capped) = candidate_pairs(prepared_a, prepared_b, scorer, options);

    let mut free_a = vec![true; bags_a.len()];
    let mut free_b = vec![true; bags_b.len()];
    let mut groups: Vec<AlignedGroup> = Vec::new();

    // The order-preserving backbone.
    let ordered: Vec<&ScoredPair> = pairs
        .iter()
        .filter(|p| acceptable(&p.overlap, options.in_order, options))
        .collect();
    for pair in heaviest_increasing_chain(&ordered) {
        free_a[pair.i] = false;
        free_b[pair.j] = false;
        groups.push(group(pair.i..pair.i + 1, pair.j..pair.j + 1, pair.overlap));
    }

    // Moved sentences: what is left, best first, at the stricter threshold.
    let mut rest: Vec<&ScoredPair> = pairs
        .iter()
        .filter(|p| acceptable(&p.overlap, options.moved, options))
        .collect();
    rest.sort_by(|p, q| {
        q.overlap
            .similarity
            .total_cmp(&p.overlap.similarity)
            .then((p.i, p.j).cmp(&(q.i, q.j)))
    });
    for pair in rest {
        if free_a[pair.i] && free_b[pair.j] {
            free_a[pair.i] = false;
            free_b[pair.j] = false;
            groups.push(group(pair.i..pair.i + 1, pair.j..pair.j + 1, pair.overlap));
        }
    }

    extend_splits_and_merges(
        &mut groups,
        bags_a,
        bags_b,
        &mut free_a,
        &mut free_b,
        scorer,
        options,
    );
    pair_free_splits(
        &mut groups,
        &pairs,
        bags_a,
        bags_b,
        &mut free_a,
        &mut free_b,
        scorer,
        options,
    );

    groups.sort_by_key(|g| (g.a.start, g.b.start));
    mark_in_order(&mut groups);
    let coverage_a = coverage(a, groups.iter().map(|g| g.a.clone()));
    let coverage_b = coverage(b, groups.iter().map(|g| g.b.clone()));
    Alignment {
        groups,
        coverage_a,
        coverage_b,
        capped,
    }
}

fn group(a: Range<usize>, b: Range<usize>, overlap: Overlap) -> AlignedGroup {
    AlignedGroup {
        a,
        b,
        score: overlap.similarity,
        overlap,
        in_order: true,
    }
}

/// A bag per sentence; `None` for furniture and too-short sentences.
fn body_bags(doc: &Document, weights: &TermWeights, scorer: &Scorer<'_>) -> Vec<Option<Bag>> {
    (0..doc.sentences.len())
        .map(|i| {
            doc.is_body(i)
                .then(|| scorer.bag(&doc.sentences[i].tokens, weights))
                .filter(|bag| !bag.is_empty())
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct ScoredPair {
    i: usize,
    j: usize,
    overlap: Overlap,
}

/// A pair is accepted when it is similar enough and shares narrative words too; a sentence that is all
/// names, numbers and quotes aligns only when it is nearly the same text.
fn acceptable(overlap: &Overlap, threshold: f64, options: &AlignOptions) -> bool {
    overlap.similarity >= threshold
        && (overlap.narrative_similarity >= options.narrative
            || overlap.similarity >= options.near_identical)
}

/// Bits of a seed entry that hold the sentence.
const SEED_SENTENCE_BITS: u32 = 31;

/// A seed entry: `feature` (below 2³³: a term id, or 2³² plus a class) above the sentence index.
/// Sentences past 2³¹ (no real document has them) seed nothing.
fn seed_entry(feature: u64, sentence: usize) -> Option<u64> {
    let sentence = u64::try_from(sentence)
        .ok()
        .filter(|&s| s < 1 << SEED_SENTENCE_BITS)?;
    Some((feature << SEED_SENTENCE_BITS) | sentence)
}

/// The feature of a seed entry.
fn seed_feature(entry: &u64) -> u64 {
    entry >> SEED_SENTENCE_BITS
}

/// The sentence of a seed entry.
fn seed_sentence(entry: u64) -> u32 {
    (entry & ((1 << SEED_SENTENCE_BITS) - 1)) as u32
}

/// Weight below which a term does not seed candidate pairs (about the 2,000 most common English words).
const MIN_SEED_WEIGHT: f32 = 2.0;

/// Calls `emit` with each seed feature of a sentence: its informative terms and their synonym classes.
fn push_seed_features(bag: &Bag, scorer: &Scorer<'_>, mut emit: impl FnMut(u64)) {
    // Common words ("said", "people") seed no pair on their own: a pair that can reach the
    // threshold shares a less common word too. A sentence of common words only is seeded by all.
    let min_weight = if bag.weighted_terms().any(|(_, w)| w >= MIN_SEED_WEIGHT) {
        MIN_SEED_WEIGHT
    } else {
        0.0
    };
    for (term, weight) in bag.weighted_terms() {
        if weight < min_weight {
            continue;
        }
        emit(u64::from(term.0));
        if scorer.params().use_thesaurus {
            for &class in scorer.vocab().info(term).classes.iter() {
                emit((1 << 32) | u64::from(class));
            }
        }
    }
}

/// Sentence pairs that share at least one seed feature (a term or a synonym class), scored; only those
/// that could be accepted at the in-order threshold are kept. The two sorted seed lists are merged, so
/// an unrelated pair of documents costs one linear pass.
fn candidate_pairs(
    a: &PreparedDocument<'_>,
    b: &PreparedDocument<'_>,
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) -> (Vec<ScoredPair>, bool) {
    // In small documents every pair sharing anything is scored; in large ones a feature found in many
    // sentences is banal and seeds no pair (pairs that share it and more are still found by the rest).
    let limit = if a.bags.len() * b.bags.len() <= 40_000 {
        usize::MAX
    } else {
        (b.body_sentences / 20).max(16)
    };
    let (twin_of_a, twin_of_b) = twins(a, b);
    // A sentence with a verbatim twin on the other side aligns with it (nothing scores higher), so its
    // pairs with other sentences are not scored: in a copy, that is all but the diagonal.
    let skip = |i: u32, j: u32| {
        twin_of_a[i as usize].is_some_and(|t| t != j)
            || twin_of_b[j as usize].is_some_and(|t| t != i)
    };
    // The sentence pairs that share a seed, each once, in (i, j) order: marked in a bit set over all
    // pairs when that is small (no sort), else listed, sorted and deduplicated.
    let width = b.bags.len();
    let mut marked = SentencePairs::new(a.bags.len(), width);
    for_each_shared_key(&a.seeds, &b.seeds, seed_feature, |run_a, run_b| {
        if run_b.len() <= limit {
            for &x in run_a {
                for &y in run_b {
                    let (i, j) = (seed_sentence(x), seed_sentence(y));
                    if !skip(i, j) {
                        marked.insert(i, j);
                    }
                }
            }
        }
    });
    let mut pairs = Vec::new();
    let mut capped = false;
    let mut row = (usize::MAX, 0);
    for (i, j) in marked.into_sorted() {
        let (i, j) = (i as usize, j as usize);
        if row.0 != i {
            row = (i, 0);
        }
        row.1 += 1;
        if row.1 > MAX_PARTNERS_PER_SENTENCE {
            capped = true;
            continue;
        }
        if let (Some(bag_a), Some(bag_b)) = (&a.bags[i], &b.bags[j]) {
            // Nine pairs in ten that share a seed fall far short; the bound rules them out for a
            // fraction of the cost of scoring them.
            let bound = scorer.overlap_bound(bag_a, bag_b);
            if !worth_keeping(bound.similarity, bound.narrative_similarity, options) {
                continue;
            }
            let overlap = scorer.overlap(bag_a, bag_b);
            if worth_keeping(overlap.similarity, overlap.narrative_similarity, options) {
                pairs.push(ScoredPair { i, j, overlap });
            }
        }
    }
    (pairs, capped)
}

/// A set of sentence pairs `(i, j)`, taken out in increasing order.
enum SentencePairs {
    /// One bit per pair, row by row (`i * width + j`).
    Bits { bits: Vec<u64>, width: usize },
    /// A list, sorted and deduplicated at the end (for documents too large for the bit set).
    List(Vec<(u32, u32)>),
}

/// Pairs of sentences beyond which [`SentencePairs`] lists them instead (a bit set of 8 MiB).
const MAX_BIT_SET_PAIRS: usize = 1 << 26;

impl SentencePairs {
    fn new(rows: usize, width: usize) -> Self {
        match rows.checked_mul(width) {
            Some(n) if n <= MAX_BIT_SET_PAIRS => SentencePairs::Bits {
                bits: vec![0; n.div_ceil(64)],
                width,
            },
            _ => SentencePairs::List(Vec::new()),
        }
    }

    fn insert(&mut self, i: u32, j: u32) {
        match self {
            SentencePairs::Bits { bits, width } => {
                let k = i as usize * *width + j as usize;
                bits[k / 64] |= 1 << (k % 64);
            }
            SentencePairs::List(list) => list.push((i, j)),
        }
    }

    fn into_sorted(self) -> Vec<(u32, u32)> {
        match self {
            SentencePairs::Bits { bits, width } => {
                let mut out = Vec::new();
                for (w, &word) in bits.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        let k = w * 64 + rest.trailing_zeros() as usize;
                        out.push(((k / width) as u32, (k % width) as u32));
                        rest &= rest - 1;
                    }
                }
                out
            }
            SentencePairs::List(mut list) => {
                list.sort_unstable();
                list.dedup();
                list
            }
        }
    }
}

/// Sentences of A and B that are verbatim twins: the same words in the same order, found once in each
/// document. `twin_of_a[i]` is the twin of A's sentence `i` in B, and the other way round.
fn twins(
    a: &PreparedDocument<'_>,
    b: &PreparedDocument<'_>,
) -> (Vec<Option<u32>>, Vec<Option<u32>>) {
    let mut twin_of_a = vec![None; a.bags.len()];
    let mut twin_of_b = vec![None; b.bags.len()];
    for_each_shared_key(
        &a.fingerprints,
        &b.fingerprints,
        |e| e.0,
        |run_a, run_b| {
            if let ([(_, i)], [(_, j)]) = (run_a, run_b) {
                let same = match (&a.bags[*i as usize], &b.bags[*j as usize]) {
                    (Some(p), Some(q)) => p.same_words(q),
                    _ => false,
                };
                if same {
                    twin_of_a[*i as usize] = Some(*j);
                    twin_of_b[*j as usize] = Some(*i);
                }
            }
        },
    );
    (twin_of_a, twin_of_b)
}

/// Merges two lists sorted by `key`, calling `each` with the two runs of every key found in both: one
/// linear pass, however long the lists.
fn for_each_shared_key<T, K: Ord + Copy>(
    a: &[T],
    b: &[T],
    key: impl Fn(&T) -> K,
    mut each: impl FnMut(&[T], &[T]),
) {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (ka, kb) = (key(&a[x]), key(&b[y]));
        if ka < kb {
            x += 1;
        } else if kb < ka {
            y += 1;
        } else {
            let run_a = a[x..].iter().take_while(|e| key(e) == ka).count();
            let run_b = b[y..].iter().take_while(|e| key(e) == ka).count();
            each(&a[x..x + run_a], &b[y..y + run_b]);
            x += run_a;
            y += run_b;
        }
    }
}

/// Whether a scored sentence pair is kept for the alignment steps: a little below the thresholds of
/// [`acceptable`], since a split or merge can lift it.
fn worth_keeping(similarity: f64, narrative_similarity: f64, options: &AlignOptions) -> bool {
    similarity >= options.in_order * 0.75
        && (narrative_similarity >= options.narrative * 0.75
            || similarity >= options.near_identical)
}

/// The chain of pairs strictly increasing in both `i` and `j` with the largest total similarity.
fn heaviest_increasing_chain<'p>(pairs: &[&'p ScoredPair]) -> Vec<&'p ScoredPair> {
    let usable = pairs;
    if usable.is_empty() {
        return Vec::new();
    }
    let width = usable.iter().map(|p| p.j).max().unwrap_or(0) + 1;
    // Fenwick tree over j of (best chain weight ending at j or before, index of its last pair).
    let mut tree: Vec<(f64, usize)> = vec![(0.0, usize::MAX); width + 1];
    let mut previous: Vec<usize> = vec![usize::MAX; usable.len()];
    let mut best_end = (0.0, usize::MAX);
    // Sort by i ascending and, within one i, j descending, so that two pairs of one sentence never chain.
    let mut order: Vec<usize> = (0..usable.len()).collect();
    order.sort_by(|&x, &y| {
        (usable[x].i, std::cmp::Reverse(usable[x].j))
            .cmp(&(usable[y].i, std::cmp::Reverse(usable[y].j)))
    });
    for &k in &order {
        let pair = usable[k];
        // Best chain ending strictly before column j.
        let (mut best, mut from) = (0.0, usize::MAX);
        let mut pos = pair.j; // prefix [0, j) in 1-based Fenwick terms
        while pos > 0 {
            let (w, idx) = tree[pos];
            if w > best || (w == best && idx < from) {
                best = w;
                from = idx;
            }
            pos &= pos - 1;
        }
        let total = best + pair.overlap.similarity;
        previous[k] = from;
        if total > best_end.0 {
            best_end = (total, k);
        }
        let mut pos = pair.j + 1;
        while pos <= width {
            if total > tree[pos].0 {
                tree[pos] = (total, k);
            }
            pos += pos & pos.wrapping_neg();
        }
    }
    let mut chain = Vec::new();
    let mut k = best_end.1;
    while k != usize::MAX {
        chain.push(usable[k]);
        k = previous[k];
    }
    chain.reverse();
    chain
}

/// Grows 1:1 groups into 1:2 or 2:1 groups where a free neighbour sentence belongs to the pair.
fn extend_splits_and_merges(
    groups: &mut [AlignedGroup],
    bags_a: &[Option<Bag>],
    bags_b: &[Option<Bag>],
    free_a: &mut [bool],
    free_b: &mut [bool],
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) {
    groups.sort_by_key(|g| (g.a.start, g.b.start));
    for g in groups.iter_mut() {
        let (i, j) = (g.a.start, g.b.start);
        let (Some(bag_a), Some(bag_b)) = (&bags_a[i], &bags_b[j]) else {
            continue;
        };
        let mut best: Option<(Range<usize>, Range<usize>, Overlap)> = None;
        let mut consider = |ra: Range<usize>, rb: Range<usize>, overlap: Overlap| {
            if overlap.similarity >= g.score + options.merge_gain
                && acceptable(&overlap, 0.0, options)
                && best
                    .as_ref()
                    .is_none_or(|b| overlap.similarity > b.2.similarity)
            {
                best = Some((ra, rb, overlap));
            }
        };
        for neighbour in [i.wrapping_sub(1), i + 1] {
            if let Some(Some(extra)) = free_a
                .get(neighbour)
                .filter(|f| **f)
                .map(|_| &bags_a[neighbour])
            {
                let part = scorer.overlap(extra, bag_b);
                if part.recall_a >= options.merge_part_recall {
                    let (range, joined) = if neighbour < i {
                        (neighbour..i + 1, extra.concat(bag_a))
                    } else {
                        (i..neighbour + 1, bag_a.concat(extra))
                    };
                    consider(range, j..j + 1, scorer.overlap(&joined, bag_b));
                }
            }
        }
        for neighbour in [j.wrapping_sub(1), j + 1] {
            if let Some(Some(extra)) = free_b
                .get(neighbour)
                .filter(|f| **f)
                .map(|_| &bags_b[neighbour])
            {
                let part = scorer.overlap(bag_a, extra);
                if part.recall_b >= options.merge_part_recall {
                    let (range, joined) = if neighbour < j {
                        (neighbour..j + 1, extra.concat(bag_b))
                    } else {
                        (j..neighbour + 1, bag_b.concat(extra))
                    };
                    consider(i..i + 1, range, scorer.overlap(bag_a, &joined));
                }
            }
        }
        if let Some((ra, rb, overlap)) = best {
            for k in ra.clone() {
                free_a[k] = false;
            }
            for k in rb.clone() {
                free_b[k] = false;
            }
            g.a = ra;
            g.b = rb;
            g.score = overlap.similarity;
            g.overlap = overlap;
        }
    }
}

/// Splits and merges whose parts are each too weak to align alone: a free sentence against two free
/// neighbours on the other side.
#[allow(clippy::too_many_arguments)]
fn pair_free_splits(
    groups: &mut Vec<AlignedGroup>,
    pairs: &[ScoredPair],
    bags_a: &[Option<Bag>],
    bags_b: &[Option<Bag>],
    free_a: &mut [bool],
    free_b: &mut [bool],
    scorer: &Scorer<'_>,
    options: &AlignOptions,
) {
    let mut found: Vec<(Range<usize>, Range<usize>, Overlap)> = Vec::new();
    for pair in pairs {
        let (i, j) = (pair.i, pair.j);
        if !free_a[i] || !free_b[j] {
            continue;
        }
        let (Some(bag_a), Some(bag_b)) = (&bags_a[i], &bags_b[j]) else {
            continue;
        };
        for (ra, rb) in [
            (i..i + 1, j..j + 2),
            (i..i + 1, j.wrapping_sub(1)..j + 1),
            (i..i + 2, j..j + 1),
            (i.wrapping_sub(1)..i + 1, j..j + 1),
        ] {
            if ra.start > ra.end || rb.start > rb.end {
                continue;
            }
            let all_free = ra.clone().all(|k| free_a.get(k) == Some(&true))
                && rb.clone().all(|k| free_b.get(k) == Some(&true));
            if !all_free {
                continue;
            }
            let joined = |bags: &[Option<Bag>], r: &Range<usize>| -> Option<Bag> {
                let mut it = r.clone().map(|k| bags.get(k).and_then(|b| b.as_ref()));
                let first = it.next()??;
                let mut acc = first.clone();
                for b in it {
                    acc = acc.concat(b?);
                }
                Some(acc)
            };
            let (Some(ja), Some(jb)) = (joined(bags_a, &ra), joined(bags_b, &rb)) else {
                continue;
            };
            // Each part of the split side must contribute on its own.
            let parts_ok = if ra.len() == 2 {
                ra.clone().all(|k| {
                    bags_a[k].as_ref().is_some_and(|p| {
                        scorer.overlap(p, bag_b).recall_a >= options.merge_part_recall
                    })
                })
            } else {
                rb.clone().all(|k| {
                    bags_b[k].as_ref().is_some_and(|p| {
                        scorer.overlap(bag_a, p).recall_b >= options.merge_part_recall
                    })
                })
            };
            if !parts_ok {
                continue;
            }
            let overlap = scorer.overlap(&ja, &jb);
            if acceptable(&overlap, options.in_order, options) {
                found.push((ra, rb, overlap));
            }
        }
    }
    found.sort_by(|x, y| {
        y.2.similarity
            .total_cmp(&x.2.similarity)
            .then((x.0.start, x.1.start).cmp(&(y.0.start, y.1.start)))
    });
    for (ra, rb, overlap) in found {
        let all_free = ra.clone().all(|k| free_a[k]) && rb.clone().all(|k| free_b[k]);
        if !all_free {
            continue;
        }
        for k in ra.clone() {
            free_a[k] = false;
        }
        for k in rb.clone() {
            free_b[k] = false;
        }
        groups.push(group(ra, rb, overlap));
    }
}

/// Marks the groups on the longest order-preserving chain.
fn mark_in_order(groups: &mut [AlignedGroup]) {
    // Groups are sorted by a.start; the longest strictly increasing run of b.start (patience sorting).
    let n = groups.len();
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; n];
    for k in 0..n {
        let key = groups[k].b.start;
        let pos = tails.partition_point(|&t| groups[t].b.start < key);
        if pos > 0 {
            previous[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    for g in groups.iter_mut() {
        g.in_order = false;
    }
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        groups[k].in_order = true;
        k = previous[k];
    }
}

fn coverage(doc: &Document, ranges: impl Iterator<Item = Range<usize>>) -> f64 {
    let body = doc.body_len();
    if body == 0 {
        return 0.0;
    }
    let aligned: usize = ranges
        .flatten()
        .filter(|&i| doc.is_body(i))
        .map(|i| doc.sentence_len(i))
        .sum();
    (aligned as f64 / body as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_pairs_come_out_sorted_and_once_from_both_representations() {
        let (rows, width) = (13usize, 70usize);
        // A fixed scatter with repeats.
        let inserts: Vec<(u32, u32)> = (0..500u32)
            .map(|k| ((k * 7) % rows as u32, (k * 31 + k / 3) % width as u32))
            .collect();
        let mut expected = inserts.clone();
        expected.sort_unstable();
        expected.dedup();
        let mut bits = SentencePairs::new(rows, width);
        assert!(matches!(bits, SentencePairs::Bits { .. }));
        let mut list = SentencePairs::List(Vec::new());
        for &(i, j) in &inserts {
            bits.insert(i, j);
            list.insert(i, j);
        }
        assert_eq!(bits.into_sorted(), expected);
        assert_eq!(list.into_sorted(), expected);
        assert!(matches!(
            SentencePairs::new(1 << 14, 1 << 13),
            SentencePairs::List(_)
        ));
        assert!(SentencePairs::new(0, 5).into_sorted().is_empty());
    }
}
