//! What is measured about an aligned pair before deciding whether it is a link.
//!
//! Independent reports of one event share names, numbers, quotes and the order of the news (lede,
//! numbers, reactions, background); a copy shares the *telling*. Each feature below is one piece of
//! evidence for the telling, computed from the sentence alignment and the two token streams; the
//! [`LinkModel`](crate::LinkModel) weighs them into a probability. The list is fixed: the shipped
//! model's weights are in [`FEATURE_NAMES`] order.

use serde::Serialize;
use stemma_align::{AlignOptions, AlignedGroup, Alignment};
use stemma_align::{Document, Token};
use stemma_align::{TokenKind, common_subsequence_len};

use crate::evidence::{body_share, is_narrative};

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
    "coverage_min_above_least",
    "coverage_max_above_least",
    "content_trigrams_max_above_least",
    "phrase_fivegrams_above_least",
    "word_containment_above_least",
    "narrative_similarity_above_least",
    "skeleton_above_least",
    "coverage_min_above_most",
    "coverage_max_above_most",
    "content_trigrams_max_above_most",
    "phrase_fivegrams_above_most",
    "word_containment_above_most",
    "narrative_similarity_above_most",
    "skeleton_above_most",
    "specific_groups",
    "specific_margin",
    "specific_coverage",
    "context_pairs",
];

/// The direction in which each feature is evidence of a shared text, in [`FEATURE_NAMES`] order:
/// `1` when more of it can only make a link more likely, `-1` when only less likely, `0` when either
/// (the length ratio, the brevity of the shorter text and how much context there is describe the
/// pair, they are not evidence).
/// [`TrainingSet::fit`](crate::TrainingSet::fit) keeps every weight on its side: correlated features
/// otherwise trade large weights of opposite signs that fit the training corpora and extrapolate
/// badly to others.
///
/// ```
/// use stemma_graph::{FEATURE_DIRECTIONS, FEATURE_NAMES, LinkModel};
/// let model = LinkModel::shipped();
/// for (i, w) in model.weights.iter().enumerate() {
///     assert!(w * f64::from(FEATURE_DIRECTIONS[i]) >= 0.0, "{}", FEATURE_NAMES[i]);
/// }
/// ```
pub const FEATURE_DIRECTIONS: [i8; FEATURE_COUNT] = {
    let mut directions = [1i8; FEATURE_COUNT];
    directions[2] = -1; // immutable_share
    directions[11] = 0; // length_ratio
    directions[12] = 0; // short_text
    directions[13] = -1; // fact_only_groups
    directions[FEATURE_COUNT - 1] = 0; // context_pairs
    directions
};

/// How many features there are.
pub const FEATURE_COUNT: usize = 19 + 2 * BACKGROUND_COUNT + 4;

/// How many of a pair's own features are also measured against the corpus background
/// ([`PairFeatures::above_least`]).
///
/// ```
/// let f = stemma_graph::PairFeatures::default();
/// assert_eq!(f.above_least.len(), stemma_graph::BACKGROUND_COUNT);
/// ```
pub const BACKGROUND_COUNT: usize = 7;

/// A narrative group is *close* when its narrative words match this well and its function-word
/// skeleton agrees this much: the same sentence reworded, not the same fact restated.
const CLOSE_SIMILARITY: f64 = 0.75;
const CLOSE_SKELETON: f64 = 0.5;

/// Shared content-word trigrams that are narrative evidence even without an aligned narrative group.
const MIN_SHARED_TRIGRAMS: usize = 2;

/// The least narrative coverage of the more covered text for a pair that may link. Chosen on the
/// leave-one-story-out probabilities of every development corpus (`stemma measure fit
/// --pairs-csv`): no related pair of any of them that the model links covers less than 0.10, while
/// pairs below 0.08 were all false links (synthetic teasers, METER non-derived stories, one seed
/// pair). Two chance groups in long texts are not a shared text, whatever their features say.
pub const MIN_LINK_COVERAGE: f64 = 0.08;

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
    /// How far the pair stands out from what each of its two documents shares with the rest of the
    /// corpus, for seven of the features above (coverage_min, coverage_max, content_trigrams_max,
    /// phrase_fivegrams, word_containment, narrative_similarity, skeleton, in that order): the
    /// pair's value minus the median of the document's other aligned pairs with narrative evidence
    /// (0 when it has none),
    /// taking the document for which the difference is smaller. Reports of one event all share its
    /// facts, so a fact everyone reports lifts every pair alike; a telling two texts share lifts
    /// that pair above the rest. Filled in once every pair of the corpus is measured.
    pub above_least: [f64; BACKGROUND_COUNT],
    /// The same differences, taking the document for which the difference is larger.
    pub above_most: [f64; BACKGROUND_COUNT],
    /// Share of the narrative groups that are *specific* to the pair: for one of the two sides, no
    /// other document of the corpus renders those sentences more closely. A fact every report of
    /// the event restates is rendered as closely by several of them; a telling that two texts
    /// share is rendered closest by each other. Filled in once every pair is aligned.
    pub specific_groups: f64,
    /// Mean, over the narrative groups, of how much closer the pair's rendering is than the closest
    /// rendering of the same sentences in any other document (from −1 to 1).
    pub specific_margin: f64,
    /// Share of the shorter document's body text in specific narrative groups.
    pub specific_coverage: f64,
    /// ln(1 + the other pairs with narrative evidence of the document that has fewer): how much
    /// context the features above are measured against (none: a pair stands out from nothing).
    pub context_pairs: f64,
    /// Aligned groups that match on narrative words (not a feature: it decides
    /// [`PairFeatures::has_narrative_evidence`]).
    #[serde(skip)]
    pub narrative_group_count: usize,
    /// Content-word trigrams shared (likewise).
    #[serde(skip)]
    pub shared_trigram_count: usize,
    /// Whether the aligned text is more than one shared sentence: two narrative groups or more, or
    /// one when either text has six body sentences or fewer (not a feature: it decides
    /// [`PairFeatures::may_link`]).
    #[serde(skip)]
    pub shared_block: bool,
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
        let own = [
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
        ];
        let mut all = [0.0; FEATURE_COUNT];
        all[..own.len()].copy_from_slice(&own);
        all[own.len()..own.len() + BACKGROUND_COUNT].copy_from_slice(&self.above_least);
        all[own.len() + BACKGROUND_COUNT..own.len() + 2 * BACKGROUND_COUNT]
            .copy_from_slice(&self.above_most);
        all[own.len() + 2 * BACKGROUND_COUNT..].copy_from_slice(&[
            self.specific_groups,
            self.specific_margin,
            self.specific_coverage,
            self.context_pairs,
        ]);
        all
    }

    /// The features that are compared with the corpus background, in [`PairFeatures::above_least`]
    /// order.
    pub(crate) fn background_values(&self) -> [f64; BACKGROUND_COUNT] {
        [
            self.coverage_min,
            self.coverage_max,
            self.content_trigrams_max,
            self.phrase_fivegrams,
            self.word_containment,
            self.narrative_similarity,
            self.skeleton,
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

    /// Whether the pair can be a link at all: it has narrative evidence, what aligns is more than
    /// one sentence (a teaser of a story on another page, a shared lede line or a slogan is one
    /// sentence, not a shared text), and it covers at least [`MIN_LINK_COVERAGE`] of one text. The
    /// model decides among such pairs.
    ///
    /// ```
    /// let teaser = stemma_graph::PairFeatures {
    ///     narrative_group_count: 1,
    ///     coverage_max: 0.3,
    ///     ..Default::default()
    /// };
    /// assert!(teaser.has_narrative_evidence() && !teaser.may_link());
    /// let block = stemma_graph::PairFeatures { shared_block: true, ..teaser };
    /// assert!(block.may_link());
    /// let faint = stemma_graph::PairFeatures { coverage_max: 0.05, ..block };
    /// assert!(!faint.may_link());
    /// ```
    pub fn may_link(&self) -> bool {
        self.shares_block() && self.coverage_max >= MIN_LINK_COVERAGE
    }

    /// Whether the pair has narrative evidence and shares more than one sentence: the pairs the
    /// link model is fitted on. [`PairFeatures::may_link`] also asks for [`MIN_LINK_COVERAGE`],
    /// which is applied after the model and not in its training set, so that the model still
    /// learns from faint pairs what separates them.
    ///
    /// ```
    /// let faint = stemma_graph::PairFeatures {
    ///     narrative_group_count: 2,
    ///     shared_block: true,
    ///     coverage_max: 0.05,
    ///     ..Default::default()
    /// };
    /// assert!(faint.shares_block() && !faint.may_link());
    /// ```
    pub fn shares_block(&self) -> bool {
        self.has_narrative_evidence() && self.shared_block
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
    /// Body sentences of the shorter text.
    pub shorter_body: usize,
    pub shared_block: bool,
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
        short_text: 1.0 / (1.0 + facts.shorter_body as f64),
        fact_only_groups,
        shared_trigrams: (shared_trigrams as f64).ln_1p(),
        close_groups: (close.len() as f64).ln_1p(),
        close_coverage,
        ordered_groups: (narrative.iter().filter(|g| g.in_order).count() as f64).ln_1p(),
        word_containment,
        above_least: [0.0; BACKGROUND_COUNT],
        above_most: [0.0; BACKGROUND_COUNT],
        specific_groups: 0.0,
        specific_margin: 0.0,
        specific_coverage: 0.0,
        context_pairs: 0.0,
        narrative_group_count: facts.narrative_groups,
        shared_block: facts.shared_block,
        shared_trigram_count: shared_trigrams,
    }
}

/// Each document's aligned pairs, for [`PairFeatures::above_least`]: per document, per background
/// feature, the sorted values of its pairs.
pub(crate) struct Backgrounds {
    sorted: Vec<[Vec<f64>; BACKGROUND_COUNT]>,
}

impl Backgrounds {
    /// Collects the background features of every aligned pair `(a, b, values)` of a corpus of
    /// `documents` documents.
    pub(crate) fn new(
        documents: usize,
        pairs: impl IntoIterator<Item = (usize, usize, [f64; BACKGROUND_COUNT])>,
    ) -> Self {
        let mut sorted: Vec<[Vec<f64>; BACKGROUND_COUNT]> =
            (0..documents).map(|_| Default::default()).collect();
        for (a, b, values) in pairs {
            for (k, &v) in values.iter().enumerate() {
                debug_assert!(v.is_finite());
                sorted[a][k].push(v);
                sorted[b][k].push(v);
            }
        }
        for lists in &mut sorted {
            for list in lists.iter_mut() {
                list.sort_unstable_by(f64::total_cmp);
            }
        }
        Backgrounds { sorted }
    }

    /// Fills in how far the pair `a`–`b` stands out from each document's other pairs.
    pub(crate) fn fill(&self, a: usize, b: usize, features: &mut PairFeatures) {
        if !features.has_narrative_evidence() {
            // Not among the values collected, and never a link: left at 0.
            return;
        }
        let others = self.sorted[a][0].len().min(self.sorted[b][0].len()) - 1;
        features.context_pairs = (others as f64).ln_1p();
        let own = features.background_values();
        for (k, &v) in own.iter().enumerate() {
            let above_a = v - median_without(&self.sorted[a][k], v);
            let above_b = v - median_without(&self.sorted[b][k], v);
            features.above_least[k] = above_a.min(above_b);
            features.above_most[k] = above_a.max(above_b);
        }
    }
}

/// One sentence of a document rendered by a group of an aligned pair: what [`BestRenderings`]
/// is built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rendering {
    pub document: u32,
    pub sentence: u32,
    pub partner: u32,
    /// The first sentence of the partner's side of the group.
    pub partner_sentence: u32,
    pub score: f32,
}

/// The renderings of a pair's groups, both sides.
pub(crate) fn renderings(a: usize, b: usize, alignment: &Alignment) -> Vec<Rendering> {
    let index = |x: usize| u32::try_from(x).expect("document and sentence indices fit in u32");
    let mut out = Vec::new();
    for g in &alignment.groups {
        let score = g.score as f32;
        out.extend(g.a.clone().map(|s| Rendering {
            document: index(a),
            sentence: index(s),
            partner: index(b),
            partner_sentence: index(g.b.start),
            score,
        }));
        out.extend(g.b.clone().map(|s| Rendering {
            document: index(b),
            sentence: index(s),
            partner: index(a),
            partner_sentence: index(g.a.start),
            score,
        }));
    }
    out
}

/// Every rendering of every sentence of the corpus (score, document), closest first, and which
/// sentences are near-verbatim copies of each other: what [`PairFeatures::specific_groups`]
/// compares with.
///
/// A rendering by a near-verbatim copy of one of the pair's own sentences is not another telling:
/// a syndicated copy of the source renders a rewrite's sentence exactly as well as the source does,
/// and twenty copies of one wire would otherwise make every rewrite of it look unspecific. Only
/// renderings in other words count against a group.
pub(crate) struct BestRenderings {
    /// Where each document's sentences start in `copies` and `offsets`.
    starts: Vec<usize>,
    /// For each sentence of the corpus, the smallest sentence it is a near-verbatim copy of
    /// (through any chain of copies); itself when it has none.
    copies: Vec<u32>,
    /// Where each sentence's renderings start in `renderings`.
    offsets: Vec<usize>,
    /// (score, partner document, the partner sentence's copy class), closest first per sentence.
    renderings: Vec<(f32, u32, u32)>,
}

impl BestRenderings {
    /// Collects the renderings of a corpus whose documents have these sentence counts; groups
    /// scoring at least `near_verbatim` make their sentences copies of each other.
    pub(crate) fn new(
        sentences: &[usize],
        renderings: impl IntoIterator<Item = Rendering>,
        near_verbatim: f64,
    ) -> Self {
        let mut starts = Vec::with_capacity(sentences.len() + 1);
        let mut total = 0;
        for &n in sentences {
            starts.push(total);
            total += n;
        }
        starts.push(total);
        let global = |document: u32, sentence: u32| starts[document as usize] + sentence as usize;
        let mut all: Vec<(usize, f32, u32, usize)> = renderings
            .into_iter()
            .map(|r| {
                (
                    global(r.document, r.sentence),
                    r.score,
                    r.partner,
                    global(r.partner, r.partner_sentence),
                )
            })
            .collect();
        let mut classes = CopyClasses::new(total);
        for &(sentence, score, _, partner_sentence) in &all {
            if f64::from(score) >= near_verbatim {
                classes.join(sentence, partner_sentence);
            }
        }
        let copies: Vec<u32> = (0..total)
            .map(|s| u32::try_from(classes.find(s)).expect("sentence indices fit in u32"))
            .collect();
        // Closest first; ties by partner so that the order never depends on the input's.
        all.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then(y.1.total_cmp(&x.1))
                .then(x.2.cmp(&y.2))
                .then(x.3.cmp(&y.3))
        });
        let mut offsets = Vec::with_capacity(total + 1);
        let mut next = 0;
        for sentence in 0..total {
            offsets.push(next);
            while next < all.len() && all[next].0 == sentence {
                next += 1;
            }
        }
        offsets.push(next);
        let renderings = all
            .into_iter()
            .map(|(_, score, partner, partner_sentence)| (score, partner, copies[partner_sentence]))
            .collect();
        BestRenderings {
            starts,
            copies,
            offsets,
            renderings,
        }
    }

    /// The copy class of a document's sentence.
    fn copy_class(&self, document: usize, sentence: usize) -> u32 {
        self.copies[self.starts[document] + sentence]
    }

    /// The closest rendering of a document's sentence in any document but `partner`, leaving out
    /// renderings by near-verbatim copies of the sentences in `own` (0 if none).
    fn best_other(&self, document: usize, sentence: usize, partner: usize, own: &[u32]) -> f64 {
        let global = self.starts[document] + sentence;
        self.renderings[self.offsets[global]..self.offsets[global + 1]]
            .iter()
            .find(|(_, by, class)| *by as usize != partner && !own.contains(class))
            .map_or(0.0, |(score, _, _)| f64::from(*score))
    }

    /// Fills in how specific the pair's narrative groups are to the pair.
    pub(crate) fn fill(
        &self,
        (a_index, a): (usize, &Document),
        (b_index, b): (usize, &Document),
        alignment: &Alignment,
        align_options: &AlignOptions,
        features: &mut PairFeatures,
    ) {
        let mut specific = Vec::new();
        let (mut margins, mut count) = (0.0, 0usize);
        let mut own = Vec::new();
        for g in alignment
            .groups
            .iter()
            .filter(|g| is_narrative(g, align_options))
        {
            own.clear();
            own.extend(g.a.clone().map(|s| self.copy_class(a_index, s)));
            own.extend(g.b.clone().map(|s| self.copy_class(b_index, s)));
            let other = |doc: usize, range: &std::ops::Range<usize>, partner: usize| {
                range
                    .clone()
                    .map(|s| self.best_other(doc, s, partner, &own))
                    .fold(0.0, f64::max)
            };
            let closest_elsewhere =
                other(a_index, &g.a, b_index).min(other(b_index, &g.b, a_index));
            // Scores pass through f32 in the table; compare at that precision.
            let score = f64::from(g.score as f32);
            if score >= closest_elsewhere {
                specific.push(g);
            }
            margins += (score - closest_elsewhere).clamp(-1.0, 1.0);
            count += 1;
        }
        if count == 0 {
            return;
        }
        features.specific_groups = specific.len() as f64 / count as f64;
        features.specific_margin = margins / count as f64;
        features.specific_coverage = if a.body_len() <= b.body_len() {
            body_share(a, specific.iter().map(|g| g.a.clone()))
        } else {
            body_share(b, specific.iter().map(|g| g.b.clone()))
        };
    }
}

/// Sentences joined into classes of near-verbatim copies (a union–find whose root is always the
/// smallest sentence of its class, so the classes do not depend on the order of the joins).
struct CopyClasses {
    parent: Vec<usize>,
}

impl CopyClasses {
    fn new(sentences: usize) -> Self {
        CopyClasses {
            parent: (0..sentences).collect(),
        }
    }

    fn find(&mut self, mut s: usize) -> usize {
        let mut root = s;
        while self.parent[root] != root {
            root = self.parent[root];
        }
        while self.parent[s] != root {
            let next = self.parent[s];
            self.parent[s] = root;
            s = next;
        }
        root
    }

    fn join(&mut self, x: usize, y: usize) {
        let (x, y) = (self.find(x), self.find(y));
        let (low, high) = if x < y { (x, y) } else { (y, x) };
        self.parent[high] = low;
    }
}

/// The median of a sorted list with one occurrence of `v` taken out (0 when nothing is left).
fn median_without(sorted: &[f64], v: f64) -> f64 {
    let position = sorted.partition_point(|x| x.total_cmp(&v).is_lt());
    debug_assert!(
        position < sorted.len() && sorted[position] == v,
        "the pair's own value is among its document's values"
    );
    let n = sorted.len().saturating_sub(1);
    if n == 0 {
        return 0.0;
    }
    let nth = |k: usize| {
        if k < position {
            sorted[k]
        } else {
            sorted[k + 1]
        }
    };
    if n % 2 == 1 {
        nth(n / 2)
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) / 2.0
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
            .map(|t| t.term.as_u32())
            .take(MAX_SKELETON)
            .collect()
    };
    let (x, y) = (skeleton(a, &group.a), skeleton(b, &group.b));
    let longer = x.len().max(y.len());
    if longer == 0 {
        return 0.0;
    }
    common_subsequence_len(&x, &y) as f64 / longer as f64
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
        .map(|t| t.term.as_u32())
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
    let words: Vec<u32> = unquoted_body_tokens(doc).map(|t| t.term.as_u32()).collect();
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
    fn the_median_leaves_out_the_pair_itself() {
        assert_eq!(median_without(&[0.5], 0.5), 0.0);
        assert_eq!(median_without(&[0.1, 0.5], 0.5), 0.1);
        assert_eq!(median_without(&[0.1, 0.2, 0.5], 0.1), 0.35);
        assert_eq!(median_without(&[0.1, 0.2, 0.3, 0.9], 0.9), 0.2);
        assert_eq!(median_without(&[0.2, 0.2, 0.2], 0.2), 0.2);
    }

    #[test]
    fn a_pair_that_stands_out_is_above_its_background() {
        let pair = |coverage: f64| PairFeatures {
            coverage_min: coverage,
            narrative_group_count: 1,
            ..Default::default()
        };
        // Document 0 shares 0.6 with document 1 and 0.2 with documents 2 and 3.
        let backgrounds = Backgrounds::new(
            4,
            [(0, 1, 0.6), (0, 2, 0.2), (0, 3, 0.2), (2, 3, 0.2)]
                .map(|(a, b, c)| (a, b, pair(c).background_values())),
        );
        let mut standing_out = pair(0.6);
        backgrounds.fill(0, 1, &mut standing_out);
        // Document 1 has no other pair: its background is 0.
        assert!((standing_out.above_least[0] - 0.4).abs() < 1e-12);
        assert!((standing_out.above_most[0] - 0.6).abs() < 1e-12);
        let mut ordinary = pair(0.2);
        backgrounds.fill(2, 3, &mut ordinary);
        assert!(ordinary.above_least[0].abs() < 1e-12);
    }

    /// A one-sentence group of `document` rendered by `partner`'s first sentence.
    fn rendering(document: u32, sentence: u32, partner: u32, score: f32) -> Rendering {
        Rendering {
            document,
            sentence,
            partner,
            partner_sentence: 0,
            score,
        }
    }

    #[test]
    fn a_group_is_specific_when_no_other_document_renders_it_closer() {
        // Sentence 0 of document 0 is rendered by document 1 at 0.8 and by document 2 at 0.6.
        let best = BestRenderings::new(
            &[1, 1, 1],
            [
                rendering(0, 0, 1, 0.8),
                rendering(1, 0, 0, 0.8),
                rendering(0, 0, 2, 0.6),
                rendering(2, 0, 0, 0.6),
            ],
            0.9,
        );
        let none = [];
        assert_eq!(best.best_other(0, 0, 1, &none), f64::from(0.6f32));
        assert_eq!(best.best_other(0, 0, 2, &none), f64::from(0.8f32));
        // Document 1's sentence has no rendering but document 0's.
        assert_eq!(best.best_other(1, 0, 0, &none), 0.0);
    }

    #[test]
    fn a_near_verbatim_copy_of_the_pairs_own_sentence_is_not_another_telling() {
        // Document 1 is the source, document 2 its syndicated copy (0.95), document 0 a rewrite
        // rendered by both about equally, and document 3 another telling of document 0's sentence.
        let best = BestRenderings::new(
            &[1, 1, 1, 1],
            [
                rendering(1, 0, 2, 0.95),
                rendering(2, 0, 1, 0.95),
                rendering(0, 0, 1, 0.6),
                rendering(1, 0, 0, 0.6),
                rendering(0, 0, 2, 0.62),
                rendering(2, 0, 0, 0.62),
                rendering(0, 0, 3, 0.5),
                rendering(3, 0, 0, 0.5),
            ],
            0.9,
        );
        assert_eq!(best.copy_class(2, 0), best.copy_class(1, 0));
        assert_ne!(best.copy_class(0, 0), best.copy_class(1, 0));
        let own = [best.copy_class(0, 0), best.copy_class(1, 0)];
        // Without the copy classes, the syndicated copy would be the rewrite's closest rendering.
        assert_eq!(best.best_other(0, 0, 1, &[]), f64::from(0.62f32));
        assert_eq!(best.best_other(0, 0, 1, &own), f64::from(0.5f32));
        // On the source's side only the copy renders it, and it does not count.
        assert_eq!(best.best_other(1, 0, 0, &own), 0.0);
    }

    #[test]
    fn shingles_of_short_runs_are_empty() {
        assert!(shingles(&[1, 2], 3).is_empty());
        assert_eq!(shingles(&[1, 2, 3, 1, 2, 3], 3).len(), 3);
    }
}
