//! Pair evidence and the relation it supports.
//!
//! Two independent reports of one event share names, numbers and the quotes of the same officials; a
//! copy shares the *telling*: the narrative words around them, in the same order. So the evidence that
//! decides a relation is the **narrative coverage**: the share of each document's body text aligned in
//! groups that match on narrative words (not only on names, numbers or quoted speech), backed by order.

use std::sync::Arc;

use serde::Serialize;
use stemma_align::Document;
use stemma_align::verbatim_len;
use stemma_align::{AlignOptions, AlignedGroup, Alignment};

use crate::features::{AlignmentFacts, PairFeatures, measure};
use crate::model::LinkModel;

/// How one document reuses another's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same text (at most trivially edited).
    Duplicate,
    /// Mostly verbatim, edited: a syndicated or lightly edited copy.
    Syndicated,
    /// Most shared sentences reworded: spun or paraphrased.
    Rewrite,
    /// A block of reused text inside otherwise new text.
    Partial,
}

impl Relation {
    /// The relation's name as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Duplicate => "duplicate",
            Relation::Syndicated => "syndicated",
            Relation::Rewrite => "rewrite",
            Relation::Partial => "partial",
        }
    }
}

impl std::fmt::Display for Relation {
    /// The name as written in reports: `duplicate`, `syndicated`, `rewrite`, `partial`.
    ///
    /// ```
    /// assert_eq!(stemma_graph::Relation::Rewrite.to_string(), "rewrite");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which decision makes a pair a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decision {
    /// The hand-set rules below: narrative groups, coverage, runs and order (the default: the learned
    /// model is better out of sample on same-event reports and on real wire reuse, but finds fewer
    /// heavy rewrites and siblings in big families, and links pages that share two chance-similar
    /// sentences and nothing else; docs/quality.md).
    #[default]
    Rules,
    /// The [`LinkModel`]: a pair that shares a block of text ([`PairFeatures::may_link`](crate::PairFeatures::may_link)) is a link
    /// when the model's probability reaches its threshold; its relation is then read from its
    /// coverage and verbatim share. Its cross-validated numbers are in docs/quality.md.
    Learned,
}

/// Thresholds that turn evidence into a relation.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationOptions {
    /// Who decides whether a pair is a link.
    pub decision: Decision,
    /// The link model: its probability is reported for every link, and it decides with
    /// [`Decision::Learned`].
    pub model: Arc<LinkModel>,
    /// Narrative groups needed for any relation (one shared sentence is not a shared text).
    pub min_narrative_groups: usize,
    /// Narrative coverage (of the more covered side) for a duplicate, syndicated copy or rewrite.
    pub whole_coverage: f64,
    /// Narrative coverage of both sides for a duplicate.
    pub duplicate_coverage: f64,
    /// Share of aligned text that is verbatim for a duplicate.
    pub duplicate_verbatim: f64,
    /// Share of aligned text that is verbatim for a syndicated copy.
    pub syndicated_verbatim: f64,
    /// Length of the longest run of consecutive aligned groups that makes a partial reuse.
    pub partial_run: usize,
    /// Narrative groups in the documents' order that make a partial reuse even when rewording broke
    /// the run (k groups all in order happen by chance with probability 1/k!: 1/24 for four).
    pub partial_ordered_groups: usize,
    /// Share of groups in order needed for that.
    pub partial_order_consistency: f64,
    /// Narrative coverage (of the more covered side) for a partial reuse.
    pub partial_coverage: f64,
}

impl Default for RelationOptions {
    fn default() -> Self {
        RelationOptions {
            decision: Decision::Rules,
            model: Arc::new(LinkModel::shipped().clone()),
            min_narrative_groups: 2,
            whole_coverage: 0.45,
            duplicate_coverage: 0.9,
            duplicate_verbatim: 0.9,
            syndicated_verbatim: 0.6,
            partial_run: 3,
            partial_ordered_groups: 4,
            partial_order_consistency: 0.75,
            // Three sentences of a sixty-sentence page; the block tests above are the real gate.
            partial_coverage: 0.05,
        }
    }
}

/// Everything measured about one aligned pair of documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairEvidence {
    /// Index of the first document (the one whose id sorts first).
    pub a: usize,
    /// Index of the second document.
    pub b: usize,
    /// The sentence alignment.
    pub alignment: Alignment,
    /// Aligned groups whose match rests on narrative words.
    pub narrative_groups: usize,
    /// Share of A's body text in narrative groups.
    pub narrative_coverage_a: f64,
    /// Share of B's body text in narrative groups.
    pub narrative_coverage_b: f64,
    /// Share of the aligned text that is word-for-word the same. Word diffs are the dearest part of the
    /// evidence, so they are taken only for pairs that may be links; the others (most candidate
    /// pairs of a large corpus) have 0 here.
    pub verbatim_share: f64,
    /// Share of the aligned weight that is names, numbers or quoted speech.
    pub immutable_share: f64,
    /// Share of groups on the order-preserving chain.
    pub order_consistency: f64,
    /// Longest run of groups that follow each other in both documents.
    pub longest_run: usize,
    /// Narrative groups on the order-preserving chain.
    pub ordered_narrative_groups: usize,
    /// Bytes of aligned text that are word-for-word the same: how much wording the two share (0 when
    /// not measured, as for [`PairEvidence::verbatim_share`]).
    pub verbatim_bytes: usize,
    /// Everything the link model weighs (all 0 where not measured, as for `probability`).
    pub features: PairFeatures,
    /// The link model's probability that the two share a text, measured for links (and for every
    /// pair with [`AnalyzeOptions::keep_unrelated`](crate::AnalyzeOptions::keep_unrelated)); 0 for a
    /// pair without narrative evidence ([`PairFeatures::has_narrative_evidence`]): names, numbers and
    /// quotes alone never make a link.
    pub probability: f64,
    /// The relation the evidence supports, if any.
    pub relation: Option<Relation>,
    /// How much of the two texts the link covers, in [0, 1]: mean narrative coverage of the two sides,
    /// scaled by order (0 for a pair that is not a link). The link itself is decided by
    /// [`PairEvidence::probability`].
    pub score: f64,
}

impl PairEvidence {
    /// A related pair as [`derive`](crate::derive) reads it: the two documents, the aligned groups,
    /// the relation, the score and the verbatim bytes, every other measure empty. For a job that
    /// aligned a family's pairs elsewhere and derives the family from them alone (the Python
    /// package's `stemma.derive`).
    ///
    /// ```
    /// use stemma_align::{AlignedGroup, Overlap};
    /// use stemma_graph::{PairEvidence, Relation};
    /// let group = AlignedGroup { a: 0..1, b: 2..3, score: 0.9, overlap: Overlap::default(), in_order: true };
    /// let e = PairEvidence::for_derivation(0, 1, vec![group], Relation::Rewrite, 0.6, 120);
    /// assert_eq!((e.a, e.b, e.alignment.groups.len(), e.verbatim_bytes), (0, 1, 1, 120));
    /// assert_eq!(e.relation, Some(Relation::Rewrite));
    /// ```
    pub fn for_derivation(
        a: usize,
        b: usize,
        groups: Vec<AlignedGroup>,
        relation: Relation,
        score: f64,
        verbatim_bytes: usize,
    ) -> PairEvidence {
        PairEvidence {
            a,
            b,
            alignment: Alignment {
                groups,
                ..Alignment::default()
            },
            narrative_groups: 0,
            narrative_coverage_a: 0.0,
            narrative_coverage_b: 0.0,
            verbatim_share: 0.0,
            immutable_share: 0.0,
            order_consistency: 0.0,
            longest_run: 0,
            ordered_narrative_groups: 0,
            verbatim_bytes,
            features: PairFeatures::default(),
            probability: 0.0,
            relation: Some(relation),
            score,
        }
    }
}

/// Share of a group's matched weight that must be narrative (not names, numbers or quotes) for the group
/// to count as evidence of a shared text.
pub const MIN_NARRATIVE_SHARE: f64 = 0.3;

/// Whether an aligned group rests on narrative words: its narrative words alone are similar, and they
/// are a real part of what it matched. Only such groups count as evidence of a shared text, in the
/// relation and in the derivation graph alike.
pub fn is_narrative(group: &stemma_align::AlignedGroup, align_options: &AlignOptions) -> bool {
    group.overlap.narrative_similarity >= align_options.narrative
        && group.overlap.narrative_share >= MIN_NARRATIVE_SHARE
}

/// Measures a pair with the settings of `analysis` and gives the rules' relation; [`decide`] makes
/// the decision once every pair of the corpus is measured.
pub(crate) fn evidence(
    a_index: usize,
    b_index: usize,
    a: &Document,
    b: &Document,
    alignment: Alignment,
    analysis: &crate::AnalyzeOptions,
) -> PairEvidence {
    let (align_options, options) = (&analysis.align, &analysis.relation);
    let groups = &alignment.groups;
    let is_narrative = |g: &stemma_align::AlignedGroup| is_narrative(g, align_options);
    let narrative_groups = groups.iter().filter(|g| is_narrative(g)).count();
    let narrative_coverage_a = body_share(
        a,
        groups
            .iter()
            .filter(|g| is_narrative(g))
            .map(|g| g.a.clone()),
    );
    let narrative_coverage_b = body_share(
        b,
        groups
            .iter()
            .filter(|g| is_narrative(g))
            .map(|g| g.b.clone()),
    );
    let immutable: f64 = groups.iter().map(|g| 1.0 - g.overlap.narrative_share).sum();
    let immutable_share = if groups.is_empty() {
        0.0
    } else {
        immutable / groups.len() as f64
    };
    let in_order = groups.iter().filter(|g| g.in_order).count();
    let order_consistency = if groups.is_empty() {
        0.0
    } else {
        in_order as f64 / groups.len() as f64
    };
    let longest_run = longest_run(a, b, &alignment);
    let ordered_narrative_groups = groups
        .iter()
        .filter(|g| g.in_order && is_narrative(g))
        .count();
    let covered_max = narrative_coverage_a.max(narrative_coverage_b);
    let shorter_body = body_sentences(a).min(body_sentences(b));
    let facts = AlignmentFacts {
        narrative_coverage_a,
        narrative_coverage_b,
        immutable_share,
        order_consistency,
        longest_run,
        narrative_groups,
        shorter_body,
        shared_block: shared_block(shorter_body, narrative_groups, options),
    };
    let mut e = PairEvidence {
        a: a_index,
        b: b_index,
        narrative_groups,
        narrative_coverage_a,
        narrative_coverage_b,
        verbatim_share: 0.0,
        immutable_share,
        order_consistency,
        longest_run,
        ordered_narrative_groups,
        verbatim_bytes: 0,
        features: PairFeatures::default(),
        probability: 0.0,
        relation: None,
        score: 0.0,
        alignment,
    };
    let rules_gate = enough_groups(shorter_body, narrative_groups, covered_max, options);
    if facts.shared_block || rules_gate {
        (e.verbatim_bytes, e.verbatim_share) = verbatim(a, b, &e.alignment.groups);
    }
    e.relation = rules_gate.then(|| classify(&e, options)).flatten();
    e.features = measure(a, b, &e.alignment, &facts, align_options);
    e
}

/// Decides a measured pair once its features against the corpus background are filled in: the
/// model's probability, the link, its relation and its score.
pub(crate) fn decide(e: &mut PairEvidence, options: &RelationOptions) {
    e.probability = if e.features.has_narrative_evidence() {
        options.model.probability(&e.features)
    } else {
        0.0
    };
    if options.decision == Decision::Learned {
        let linked = e.features.may_link() && e.probability >= options.model.threshold;
        e.relation = if linked {
            Some(kind_of(e, options))
        } else {
            None
        };
    }
    if e.relation.is_some() {
        e.score = ((e.narrative_coverage_a + e.narrative_coverage_b) / 2.0
            * (0.5 + 0.5 * e.order_consistency))
            .clamp(0.0, 1.0);
    }
}

/// What kind of reuse a link is, once it is a link: how much of a text it covers and how much of that
/// is word for word.
fn kind_of(e: &PairEvidence, options: &RelationOptions) -> Relation {
    let covered_max = e.narrative_coverage_a.max(e.narrative_coverage_b);
    let covered_min = e.narrative_coverage_a.min(e.narrative_coverage_b);
    if covered_min >= options.duplicate_coverage && e.verbatim_share >= options.duplicate_verbatim {
        Relation::Duplicate
    } else if covered_max >= options.whole_coverage {
        if e.verbatim_share >= options.syndicated_verbatim {
            Relation::Syndicated
        } else {
            Relation::Rewrite
        }
    } else {
        Relation::Partial
    }
}

/// Bytes of the aligned text that word diffs find unchanged, and their share of the aligned text.
fn verbatim(a: &Document, b: &Document, groups: &[AlignedGroup]) -> (usize, f64) {
    let (mut equal, mut total) = (0usize, 0usize);
    for g in groups {
        let (e, t) = verbatim_len(&group_text(a, &g.a), &group_text(b, &g.b));
        equal += e;
        total += t;
    }
    let share = if total > 0 {
        equal as f64 / total as f64
    } else {
        0.0
    };
    (equal, share)
}

/// The text of one side of a group: a 1:1 group's sentence in place; a split or merge's sentences
/// joined by one space.
fn group_text<'d>(doc: &'d Document, range: &std::ops::Range<usize>) -> std::borrow::Cow<'d, str> {
    if range.len() == 1 {
        std::borrow::Cow::Borrowed(doc.sentence_text(range.start))
    } else {
        std::borrow::Cow::Owned(doc.sentences_text(range.clone()))
    }
}

/// A text of at most this many body sentences is a brief: one shared narrative group may make it a
/// link (a 3–6 sentence rewrite of a wire story has few sentences to align). Chosen on the leave-one-
/// story-out numbers of docs/quality.md (METER 0.509 with 3, 0.560 with 6, the other corpora level).
const BRIEF_SENTENCES: usize = 6;

/// Whether what a pair shares is more than one sentence, so that the model may call it a link: two
/// narrative groups, or one when either text is a brief. A teaser of a story on another page, a
/// shared lede line or a slogan is one sentence of a longer text, not a shared text.
fn shared_block(shorter_body: usize, narrative_groups: usize, options: &RelationOptions) -> bool {
    let brief = shorter_body <= BRIEF_SENTENCES;
    narrative_groups >= options.min_narrative_groups || (brief && narrative_groups >= 1)
}

/// Whether a pair has enough narrative groups to be related at all by the rules, before
/// [`classify`]; `shorter_body` is the body sentences of the shorter text.
fn enough_groups(
    shorter_body: usize,
    narrative_groups: usize,
    covered_max: f64,
    options: &RelationOptions,
) -> bool {
    let short = shorter_body <= 3;
    // A short item (a lede rewritten in a few sentences) may rest on a single group, but then it must
    // be most of the short text.
    narrative_groups >= options.min_narrative_groups
        || (short && narrative_groups >= 1 && covered_max >= 0.5)
}

/// How many of a document's sentences are body text (not furniture, not too short).
pub(crate) fn body_sentences(doc: &Document) -> usize {
    (0..doc.sentences.len()).filter(|&i| doc.is_body(i)).count()
}

/// The share of a document's body text in the given sentence ranges (furniture in them not
/// counted; 0 for a document without body text).
pub(crate) fn body_share(
    doc: &Document,
    ranges: impl IntoIterator<Item = std::ops::Range<usize>>,
) -> f64 {
    let body = doc.body_len();
    if body == 0 {
        return 0.0;
    }
    let covered: usize = ranges
        .into_iter()
        .flatten()
        .filter(|&i| doc.is_body(i))
        .map(|i| doc.sentence_len(i))
        .sum();
    covered as f64 / body as f64
}

/// The rules' relation for a pair that passed [`enough_groups`], or none: the kind of reuse its
/// coverage and verbatim share say ([`kind_of`]), where a partial reuse must also be a block (a run,
/// or enough narrative groups in order).
fn classify(e: &PairEvidence, options: &RelationOptions) -> Option<Relation> {
    match kind_of(e, options) {
        Relation::Partial => {
            let covered_max = e.narrative_coverage_a.max(e.narrative_coverage_b);
            let block = e.longest_run >= options.partial_run
                || (e.ordered_narrative_groups >= options.partial_ordered_groups
                    && e.order_consistency >= options.partial_order_consistency);
            (block && covered_max >= options.partial_coverage).then_some(Relation::Partial)
        }
        whole => Some(whole),
    }
}

/// The longest run of aligned groups that are neighbours in both documents (skipping furniture and
/// too-short sentences between them).
fn longest_run(a: &Document, b: &Document, alignment: &Alignment) -> usize {
    let next_body = |doc: &Document, from: usize| -> usize {
        (from..doc.sentences.len())
            .find(|&i| doc.is_body(i))
            .unwrap_or(doc.sentences.len())
    };
    let mut best = 0;
    let mut run = 0;
    let mut previous: Option<&stemma_align::AlignedGroup> = None;
    for g in &alignment.groups {
        run = match previous {
            Some(p) if next_body(a, p.a.end) == g.a.start && next_body(b, p.b.end) == g.b.start => {
                run + 1
            }
            _ => 1,
        };
        best = best.max(run);
        previous = Some(g);
    }
    best
}
