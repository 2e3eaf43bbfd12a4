//! Sentence similarity that survives what spinners and paraphrasers do.
//!
//! The measure is a soft, weighted Dice overlap of content words. Every content token weighs its rarity
//! ([`TermWeights`]: rare words and names weigh more than common ones). Tokens of the two sentences are
//! matched one to one, greedily from the best match down: the same key (after stemming, spelling and
//! number normalization) scores 1, a synonym from the built-in thesaurus [`SimilarityParams::synonym`],
//! a related word one hop away (hypernym, similar adjective) [`SimilarityParams::related`]. The matched
//! weight over the mean total weight of the two sentences is the similarity:
//!
//! `sim(A, B) = Σ m(a, b) · (w(a) + w(b)) / 2  ÷  (W(A) + W(B)) / 2`
//!
//! It is symmetric, in [0, 1], and 1 for identical token bags. Word order inside a sentence is left out
//! on purpose: spinners reorder clauses and turn active into passive. Order between sentences is the
//! aligner's evidence.

use crate::document::{TermId, Token, Vocabulary};
use crate::normalize::TokenKind;

/// Weights of terms: how much evidence a shared term is.
#[derive(Debug, Clone, Default)]
pub struct TermWeights {
    weights: Vec<f32>,
}

/// Weight of a term the weighting has never seen (as rare as a word can be).
pub const UNSEEN_WEIGHT: f32 = 6.0;

impl TermWeights {
    /// Weights from the built-in English background frequencies alone: `7 − zipf`, clamped to
    /// [0.5, [`UNSEEN_WEIGHT`]]. Two documents alone have no useful document frequencies, so this is the
    /// right weighting for a single pair.
    pub fn background(vocab: &Vocabulary) -> TermWeights {
        let weights = (0..vocab.len())
            .map(|i| background_weight(vocab.info(TermId(i as u32)).zipf))
            .collect();
        TermWeights { weights }
    }

    /// Weights that blend the background with document frequencies from a corpus of `documents` texts,
    /// where `document_frequency[t]` counts the documents containing term `t`. With few documents the
    /// background dominates; with many, the corpus decides what is banal here.
    pub fn from_corpus(
        vocab: &Vocabulary,
        document_frequency: &[u32],
        documents: usize,
    ) -> TermWeights {
        let n = documents as f32;
        // The corpus gets a say in proportion to its size; at 50 documents it counts as much as the
        // background.
        let corpus_share = n / (n + 50.0);
        let weights = (0..vocab.len())
            .map(|i| {
                let background = background_weight(vocab.info(TermId(i as u32)).zipf);
                let df = document_frequency.get(i).copied().unwrap_or(0) as f32;
                // log2 of inverse document frequency, on roughly the same scale as `7 − zipf`.
                let corpus = ((n + 1.0) / (df + 0.5)).log2().clamp(0.5, UNSEEN_WEIGHT);
                (1.0 - corpus_share) * background + corpus_share * corpus
            })
            .collect();
        TermWeights { weights }
    }

    /// The weight of one term.
    pub fn weight(&self, term: TermId) -> f32 {
        let weight = self.weights.get(term.0 as usize).copied();
        // A term interned after the weights were built would silently weigh as unseen.
        debug_assert!(
            weight.is_some(),
            "term {} has no weight: the weights were built before it was interned",
            term.0
        );
        weight.unwrap_or(UNSEEN_WEIGHT)
    }
}

fn background_weight(zipf: Option<f32>) -> f32 {
    zipf.map_or(UNSEEN_WEIGHT, |z| (7.0 - z).clamp(0.5, UNSEEN_WEIGHT))
}

/// Credits for inexact matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarityParams {
    /// Credit for two words that share a thesaurus synonym class.
    pub synonym: f32,
    /// Credit for two words one hop apart in the thesaurus.
    pub related: f32,
    /// Whether the thesaurus is used at all (for measuring its effect).
    pub use_thesaurus: bool,
    /// Weight of stop words, which are left out when 0. Function words help on isolated sentence pairs
    /// (MRPC: +1 point of accuracy at 1.5) but make unrelated sentences of one topic look alike, so
    /// document alignment leaves them out (Clough–Stevenson: −0.01 AUC); see docs/quality.md.
    pub stop_word_weight: f32,
}

impl Default for SimilarityParams {
    fn default() -> Self {
        SimilarityParams {
            synonym: 0.8,
            related: 0.6,
            use_thesaurus: true,
            stop_word_weight: 0.0,
        }
    }
}

/// The result of comparing two bags of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Overlap {
    /// Symmetric similarity in [0, 1].
    pub similarity: f64,
    /// Share of A's weight matched in B.
    pub recall_a: f64,
    /// Share of B's weight matched in A.
    pub recall_b: f64,
    /// Matched weight that is neither a name, a number nor inside quotation marks, as a share of the
    /// matched weight: what two texts share beyond the facts and quotes of one event.
    pub narrative_share: f64,
    /// The similarity of the narrative words alone (names, numbers and quoted speech left out): two
    /// independent reports of one event share facts and quotes, a rewrite also shares the telling.
    pub narrative_similarity: f64,
}

/// Upper bounds of an [`Overlap`], from [`Scorer::overlap_bound`]: what the comparison could score at
/// most, found for a fraction of its cost.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OverlapBound {
    /// At least [`Overlap::similarity`].
    pub similarity: f64,
    /// At least [`Overlap::narrative_similarity`].
    pub narrative_similarity: f64,
}

/// A sentence (or a run of sentences) reduced to what similarity needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bag {
    items: Vec<BagItem>,
    /// Total weight, summed in f64 like the matched weight, so that a bag compared with itself scores
    /// exactly 1.
    total: f64,
    /// Total weight of the narrative items (neither names, numbers nor quoted).
    narrative_total: f64,
    /// The thesaurus classes of the items, indexed for lookup (built by [`Scorer::bag`]; a bag built
    /// without it gets a temporary one at each comparison).
    classes: Option<ClassIndex>,
}

/// `(class, item position)` pairs grouped by the class's filter bucket: the bag's synonym classes.
/// (One-hop links are symmetric, so "a class of A is related to a class of B" is found by looking A's
/// related classes up here; B's much longer related lists need no index.)
#[derive(Debug, Clone, PartialEq)]
struct ClassIndex {
    /// Sorted by (bucket, class, item), where a class's bucket is its filter bit's top bits.
    synonyms: Vec<(u32, u16)>,
    /// Where each bucket's entries start in `synonyms` (and, last, where they end): a lookup scans
    /// one bucket, an entry or two, instead of binary-searching the whole list.
    bucket_start: [u16; BUCKETS + 1],
    /// A 2048-bit filter of the classes present: most looked-up classes are absent, and this answers
    /// that without a search (its size: docs/performance.md, "Thesaurus lookups").
    present: [u64; FILTER_WORDS],
    /// A filter of the classes the bag's words *reach*: their own classes and those one hop away.
    /// A word of another bag can match a word of this one only if one of its classes is here (see
    /// [`Scorer::overlap_bound`]). It is a blocked Bloom filter: a class sets two bits of one word,
    /// so a test is one load.
    reach: Box<[u64; REACH_WORDS]>,
    /// A 512-bit filter of the bag's terms: most words of another bag are not among them.
    terms: [u64; 8],
    /// The reach filter keys ([`reach_key`]) of each item's own classes, in item order: what
    /// [`Scorer::overlap_bound`] tests against the other bag's reach. Item `k`'s keys are
    /// `own_bits[own_start[k]..own_start[k + 1]]`.
    own_bits: Vec<u32>,
    /// Where each item's run starts in `own_bits` (and, last, where the runs end).
    own_start: Vec<u32>,
}

/// Size of [`ClassIndex`]'s filter in 64-bit words.
const FILTER_WORDS: usize = 32;

/// Size of [`ClassIndex`]'s reach filter in 64-bit words. A sentence reaches a few hundred classes;
/// at 4,096 bits with two bits a class, about one absent class in fifty passes (one bit a class
/// needed 8,192 bits for one in thirty, and the memory showed as page faults).
const REACH_WORDS: usize = 64;

/// The term filter bit of a term.
fn term_bit(term: TermId) -> usize {
    (term.0.wrapping_mul(0x9E37_79B1) >> (32 - 9)) as usize
}

/// A class's hash for the reach filter: its top bits pick the word, its low twelve the two bits.
fn reach_key(class: u32) -> u32 {
    class.wrapping_mul(0x85EB_CA77).rotate_left(13)
}

/// The reach filter word and the two bits of a key.
fn reach_slot(key: u32) -> (usize, u64) {
    let word = (key >> (32 - REACH_WORDS.trailing_zeros())) as usize;
    (word, (1 << (key & 63)) | (1 << ((key >> 6) & 63)))
}

/// Buckets of [`ClassIndex::synonyms`]: the filter bit's top six bits.
const BUCKETS: usize = 64;

/// The filter bit of a class.
fn filter_bit(class: u32) -> usize {
    (class.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_WORDS.trailing_zeros() - 6)) as usize
}

/// The bucket of a class.
fn bucket(class: u32) -> usize {
    filter_bit(class) / (FILTER_WORDS * 64 / BUCKETS)
}

impl ClassIndex {
    fn may_contain(&self, class: u32) -> bool {
        let bit = filter_bit(class);
        self.present[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// The item positions that have `class`, in increasing order.
    fn items_with(&self, class: u32) -> impl Iterator<Item = u16> + '_ {
        let b = bucket(class);
        let range = usize::from(self.bucket_start[b])..usize::from(self.bucket_start[b + 1]);
        self.synonyms[range]
            .iter()
            .filter(move |e| e.0 == class)
            .map(|e| e.1)
    }

    /// Whether the class with reach filter key `key` may be among the classes the bag reaches (no
    /// false negatives).
    fn may_reach(&self, key: u32) -> bool {
        let (word, bits) = reach_slot(key);
        self.reach[word] & bits == bits
    }

    /// Whether `term` may be among the bag's terms (no false negatives).
    fn may_have_term(&self, term: TermId) -> bool {
        let bit = term_bit(term);
        self.terms[bit >> 6] & (1 << (bit & 63)) != 0
    }

    fn new(items: &[BagItem], vocab: &Vocabulary) -> ClassIndex {
        let mut synonyms = Vec::new();
        let mut reach = Box::new([0u64; REACH_WORDS]);
        let mut own_bits = Vec::new();
        let mut own_start = Vec::with_capacity(items.len() + 1);
        for (j, item) in items.iter().enumerate() {
            own_start.push(own_bits.len() as u32);
            let info = vocab.info(item.term);
            let j = clamp_index(j);
            synonyms.extend(info.classes.iter().map(|&c| (c, j)));
            own_bits.extend(info.classes.iter().map(|&c| reach_key(c)));
            for &c in info.classes.iter().chain(info.related_classes.iter()) {
                let (word, bits) = reach_slot(reach_key(c));
                reach[word] |= bits;
            }
        }
        own_start.push(own_bits.len() as u32);
        ClassIndex::from_entries(synonyms, reach, (own_bits, own_start), items)
    }

    fn from_entries(
        mut entries: Vec<(u32, u16)>,
        reach: Box<[u64; REACH_WORDS]>,
        (own_bits, own_start): (Vec<u32>, Vec<u32>),
        items: &[BagItem],
    ) -> ClassIndex {
        let mut terms = [0u64; 8];
        for item in items {
            let bit = term_bit(item.term);
            terms[bit >> 6] |= 1 << (bit & 63);
        }
        // More entries than a u16 offset can address are dropped (a sentence has a hundred or so).
        entries.truncate(usize::from(u16::MAX));
        // A counting sort by bucket (a bag is built for every sentence of every document prepared,
        // and sorting its entries outright was half the cost of building it), then each bucket's
        // entry or two by class and item.
        let mut bucket_start = [0u16; BUCKETS + 1];
        for &(class, _) in &entries {
            bucket_start[bucket(class) + 1] += 1;
        }
        for b in 0..BUCKETS {
            bucket_start[b + 1] += bucket_start[b];
        }
        let mut next: [u16; BUCKETS] = [0; BUCKETS];
        next.copy_from_slice(&bucket_start[..BUCKETS]);
        let mut synonyms = vec![(0u32, 0u16); entries.len()];
        let mut present = [0u64; FILTER_WORDS];
        for &(class, item) in &entries {
            let b = bucket(class);
            synonyms[usize::from(next[b])] = (class, item);
            next[b] += 1;
            let bit = filter_bit(class);
            present[bit >> 6] |= 1 << (bit & 63);
        }
        for b in 0..BUCKETS {
            synonyms[usize::from(bucket_start[b])..usize::from(bucket_start[b + 1])]
                .sort_unstable();
        }
        ClassIndex {
            synonyms,
            bucket_start,
            present,
            reach,
            terms,
            own_bits,
            own_start,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct BagItem {
    term: TermId,
    weight: f32,
    immutable: bool,
}

impl Bag {
    /// The content tokens of a sentence, weighted.
    pub fn new<'t>(tokens: impl IntoIterator<Item = &'t Token>, weights: &TermWeights) -> Bag {
        Bag::with_stop_words(tokens, weights, 0.0)
    }

    /// The tokens of a sentence, weighted, with stop words at `stop_word_weight` (left out when 0).
    pub fn with_stop_words<'t>(
        tokens: impl IntoIterator<Item = &'t Token>,
        weights: &TermWeights,
        stop_word_weight: f32,
    ) -> Bag {
        let items: Vec<BagItem> = tokens
            .into_iter()
            .filter(|t| t.is_content() || stop_word_weight > 0.0)
            .map(|t| BagItem {
                term: t.term,
                weight: if t.is_content() {
                    weights.weight(t.term)
                } else {
                    stop_word_weight
                },
                immutable: t.quoted || matches!(t.kind, TokenKind::Name | TokenKind::Number),
            })
            .collect();
        let total = items.iter().map(|i| f64::from(i.weight)).sum();
        let narrative_total = items
            .iter()
            .filter(|i| !i.immutable)
            .map(|i| f64::from(i.weight))
            .sum();
        Bag {
            items,
            total,
            narrative_total,
            classes: None,
        }
    }

    /// Both bags' tokens together (a split or merged sentence).
    pub fn concat(&self, other: &Bag) -> Bag {
        let mut items = self.items.clone();
        items.extend_from_slice(&other.items);
        let classes = match (&self.classes, &other.classes) {
            (Some(x), Some(y)) => {
                let offset = clamp_index(self.items.len());
                let mut entries = x.synonyms.clone();
                entries.extend(
                    y.synonyms
                        .iter()
                        .map(|&(c, j)| (c, j.saturating_add(offset))),
                );
                let mut reach = x.reach.clone();
                for (r, s) in reach.iter_mut().zip(y.reach.iter()) {
                    *r |= s;
                }
                let mut own_bits = x.own_bits.clone();
                own_bits.extend_from_slice(&y.own_bits);
                let mut own_start = x.own_start.clone();
                own_start.pop();
                let shift = x.own_bits.len() as u32;
                own_start.extend(y.own_start.iter().map(|&s| s + shift));
                Some(ClassIndex::from_entries(
                    entries,
                    reach,
                    (own_bits, own_start),
                    &items,
                ))
            }
            _ => None,
        };
        Bag {
            items,
            total: self.total + other.total,
            narrative_total: self.narrative_total + other.narrative_total,
            classes,
        }
    }

    /// A hash of the bag's words in order: equal bags have equal fingerprints.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xCBF2_9CE4_8422_2325;
        for item in &self.items {
            let word = (u64::from(item.term.0) << 1) | u64::from(item.immutable);
            h = (h ^ word)
                .wrapping_mul(0x0000_0100_0000_01B3)
                .rotate_left(29);
        }
        h
    }

    /// Whether two bags hold the same words in the same order (then they score exactly 1).
    pub(crate) fn same_words(&self, other: &Bag) -> bool {
        self.items == other.items
    }

    /// Total weight.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Number of content tokens.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the bag has no content token.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The terms in the bag with their weights.
    pub fn weighted_terms(&self) -> impl Iterator<Item = (TermId, f32)> + '_ {
        self.items.iter().map(|i| (i.term, i.weight))
    }

    /// The terms in the bag.
    pub fn terms(&self) -> impl Iterator<Item = TermId> + '_ {
        self.items.iter().map(|i| i.term)
    }
}

/// Compares bags of tokens. Holds the vocabulary (for the thesaurus) and the parameters.
#[derive(Debug, Clone, Copy)]
pub struct Scorer<'v> {
    vocab: &'v Vocabulary,
    params: SimilarityParams,
}

impl<'v> Scorer<'v> {
    /// A scorer over a vocabulary.
    pub fn new(vocab: &'v Vocabulary, params: SimilarityParams) -> Self {
        Scorer { vocab, params }
    }

    /// The vocabulary the scorer looks terms up in.
    pub fn vocab(&self) -> &'v Vocabulary {
        self.vocab
    }

    /// A bag of a sentence's tokens with its thesaurus classes indexed, for repeated comparisons.
    pub fn bag<'t>(
        &self,
        tokens: impl IntoIterator<Item = &'t Token>,
        weights: &TermWeights,
    ) -> Bag {
        let mut bag = Bag::with_stop_words(tokens, weights, self.params.stop_word_weight);
        if self.params.use_thesaurus {
            bag.classes = Some(ClassIndex::new(&bag.items, self.vocab));
        }
        bag
    }

    /// The parameters in use.
    pub fn params(&self) -> SimilarityParams {
        self.params
    }

    /// How well two terms match: 1 for the same term, the synonym or related credit, or 0.
    pub fn term_match(&self, a: TermId, b: TermId) -> f32 {
        if a == b {
            return 1.0;
        }
        if !self.params.use_thesaurus {
            return 0.0;
        }
        let ia = self.vocab.info(a);
        let ib = self.vocab.info(b);
        if ia.classes.is_empty() || ib.classes.is_empty() {
            return 0.0;
        }
        // The same test as `Synonyms::relation`, on class ids cached in the vocabulary: this runs for
        // every pair of words of every scored sentence pair.
        if sorted_intersect(&ia.classes, &ib.classes) {
            self.params.synonym
        } else if sorted_intersect(&ia.classes, &ib.related_classes) {
            self.params.related
        } else {
            0.0
        }
    }

    /// Upper bounds of [`Scorer::overlap`]`(a, b)`'s similarity and narrative similarity, for callers
    /// that keep only pairs above a threshold: most sentence pairs an aligner looks at share a word or
    /// two and fall far short, and this rules them out without matching words one to one.
    ///
    /// Each word is credited with the most it could earn: 1 when the other bag has the same term, the
    /// thesaurus credit when one of its classes is among those the other bag's words reach (their
    /// classes and the classes one hop away; one-hop links are symmetric, so a word that matches by
    /// a hop has a class the other side reaches), else nothing. A one-to-one matching earns at most
    /// the sum of these credits over both sides' words, halved.
    ///
    /// ```
    /// use stemma_align::Vocabulary;
    /// use stemma_align::{Scorer, SimilarityParams, TermWeights};
    /// let mut vocab = Vocabulary::new();
    /// let a = vocab.document("a", "The attackers were killed near the border.".into());
    /// let b = vocab.document("b", "Villagers returned to their homes on Monday.".into());
    /// let weights = TermWeights::background(&vocab);
    /// let scorer = Scorer::new(&vocab, SimilarityParams::default());
    /// let (x, y) = (scorer.bag(&a.sentences[0].tokens, &weights), scorer.bag(&b.sentences[0].tokens, &weights));
    /// let bound = scorer.overlap_bound(&x, &y);
    /// assert!(bound.similarity >= scorer.overlap(&x, &y).similarity);
    /// assert!(bound.similarity < 0.3);
    /// ```
    pub fn overlap_bound(&self, a: &Bag, b: &Bag) -> OverlapBound {
        if a.is_empty() || b.is_empty() {
            return OverlapBound::default();
        }
        let thesaurus = if self.params.use_thesaurus {
            f64::from(self.params.synonym.max(self.params.related).max(0.0))
        } else {
            0.0
        };
        let exact = thesaurus.max(1.0);
        // The most each word of `p` could earn against `q`, summed over all words and over the
        // narrative ones.
        let credits = |p: &Bag, q: &Bag| -> (f64, f64) {
            let has_term = |x: &BagItem| q.items.iter().any(|y| y.term == x.term);
            let (Some(own), Some(other)) = (&p.classes, &q.classes) else {
                // Without an index, any word with a class might match through the thesaurus.
                return summed_credits(p, |_, x| {
                    if has_term(x) {
                        exact
                    } else if thesaurus > 0.0 && !self.vocab.info(x.term).classes.is_empty() {
                        thesaurus
                    } else {
                        0.0
                    }
                });
            };
            summed_credits(p, |k, x| {
                // An item without its run of keys (never, as the index is built) may reach anything.
                let keys = own
                    .own_start
                    .get(k..k + 2)
                    .and_then(|run| own.own_bits.get(run[0] as usize..run[1] as usize));
                if other.may_have_term(x.term) && has_term(x) {
                    exact
                } else if thesaurus > 0.0
                    && keys.is_none_or(|keys| keys.iter().any(|&key| other.may_reach(key)))
                {
                    thesaurus
                } else {
                    0.0
                }
            })
        };
        let (all_a, narrative_a) = credits(a, b);
        let (all_b, narrative_b) = credits(b, a);
        // The comparison rounds each match's value to f32; this margin covers that rounding.
        let margin = 1.0 + 1e-6;
        let narrative_total = a.narrative_total + b.narrative_total;
        OverlapBound {
            similarity: ((all_a + all_b) / (a.total + b.total) * margin).min(1.0),
            narrative_similarity: if narrative_total > 0.0 {
                ((narrative_a + narrative_b) / narrative_total * margin).min(1.0)
            } else {
                0.0
            },
        }
    }

    /// Similarity of two bags.
    ///
    /// ```
    /// use stemma_align::Vocabulary;
    /// use stemma_align::{Bag, Scorer, SimilarityParams, TermWeights};
    /// let mut vocab = Vocabulary::new();
    /// let a = vocab.document("a", "Russia says 70 attackers were killed in the raid.".into());
    /// let b = vocab.document("b", "Seventy attackers were killed in the raid, Russia said.".into());
    /// let weights = TermWeights::background(&vocab);
    /// let scorer = Scorer::new(&vocab, SimilarityParams::default());
    /// let bag = |d: &stemma_align::Document| Bag::new(&d.sentences[0].tokens, &weights);
    /// let overlap = scorer.overlap(&bag(&a), &bag(&b));
    /// assert!(overlap.similarity > 0.9);
    /// ```
    pub fn overlap(&self, a: &Bag, b: &Bag) -> Overlap {
        if a.is_empty() || b.is_empty() {
            return Overlap::default();
        }
        let mut candidates: Vec<(f32, u32, u32, u16, u16)> = Vec::new();
        let mut push = |i: usize, j: usize, m: f32| {
            let (x, y) = (a.items[i], b.items[j]);
            let (lo, hi) = if x.term <= y.term {
                (x.term.0, y.term.0)
            } else {
                (y.term.0, x.term.0)
            };
            candidates.push((
                m * (x.weight + y.weight),
                lo,
                hi,
                clamp_index(i),
                clamp_index(j),
            ));
        };
        for (i, x) in a.items.iter().enumerate() {
            for (j, y) in b.items.iter().enumerate() {
                if x.term == y.term {
                    push(i, j, 1.0);
                }
            }
        }
        if self.params.use_thesaurus {
            // A's classes are looked up in B's class index: `Synonyms::relation` for every word pair at
            // the cost of a few binary searches per word.
            let temporary;
            let index = match &b.classes {
                Some(index) => index,
                None => {
                    temporary = ClassIndex::new(&b.items, self.vocab);
                    &temporary
                }
            };
            let mut found: Vec<(u16, f32)> = Vec::new();
            for (i, x) in a.items.iter().enumerate() {
                let info = self.vocab.info(x.term);
                if info.classes.is_empty() {
                    continue;
                }
                found.clear();
                for (classes, credit) in [
                    (&info.classes, self.params.synonym),
                    (&info.related_classes, self.params.related),
                ] {
                    for &c in classes.iter() {
                        if !index.may_contain(c) {
                            continue;
                        }
                        for j in index.items_with(c) {
                            found.push((j, credit));
                        }
                    }
                }
                found.sort_by(|p, q| p.0.cmp(&q.0).then(q.1.total_cmp(&p.1)));
                found.dedup_by_key(|e| e.0);
                for &(j, credit) in &found {
                    let j = usize::from(j);
                    if a.items[i].term != b.items[j].term {
                        push(i, j, credit);
                    }
                }
            }
        }
        // Best matches first; ties broken by the unordered term pair so that sim(A, B) = sim(B, A).
        candidates.sort_unstable_by(|p, q| {
            q.0.total_cmp(&p.0)
                .then(p.1.cmp(&q.1))
                .then(p.2.cmp(&q.2))
                .then(p.3.min(p.4).cmp(&q.3.min(q.4)))
        });
        let mut used_a = vec![false; a.items.len()];
        let mut used_b = vec![false; b.items.len()];
        let (mut matched, mut matched_a, mut matched_b, mut narrative) = (0f64, 0f64, 0f64, 0f64);
        for &(value, _, _, i, j) in &candidates {
            let (i, j) = (usize::from(i), usize::from(j));
            if used_a[i] || used_b[j] {
                continue;
            }
            used_a[i] = true;
            used_b[j] = true;
            let x = a.items[i];
            let y = b.items[j];
            let m = f64::from(value) / f64::from(x.weight + y.weight);
            matched += f64::from(value) / 2.0;
            matched_a += m * f64::from(x.weight);
            matched_b += m * f64::from(y.weight);
            if !x.immutable && !y.immutable {
                narrative += f64::from(value) / 2.0;
            }
        }
        let (total_a, total_b) = (a.total, b.total);
        let mean = (total_a + total_b) / 2.0;
        Overlap {
            similarity: (matched / mean).clamp(0.0, 1.0),
            recall_a: (matched_a / total_a).clamp(0.0, 1.0),
            recall_b: (matched_b / total_b).clamp(0.0, 1.0),
            narrative_share: if matched > 0.0 {
                (narrative / matched).clamp(0.0, 1.0)
            } else {
                0.0
            },
            narrative_similarity: {
                let mean = (a.narrative_total + b.narrative_total) / 2.0;
                if mean > 0.0 {
                    (narrative / mean).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            },
        }
    }
}

/// The credits `credit(k, item)` of a bag's items, each times its weight, summed over all items and
/// over the narrative ones (neither names, numbers nor quoted): [`Scorer::overlap_bound`]'s halves.
fn summed_credits(bag: &Bag, credit: impl Fn(usize, &BagItem) -> f64) -> (f64, f64) {
    let (mut all, mut narrative) = (0f64, 0f64);
    for (k, x) in bag.items.iter().enumerate() {
        let earned = credit(k, x) * f64::from(x.weight);
        all += earned;
        if !x.immutable {
            narrative += earned;
        }
    }
    (all, narrative)
}

fn clamp_index(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn sorted_intersect(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Similarity of two sentences given as plain text, with background weights: the one-call form for
/// callers who just want a number.
///
/// ```
/// let s = stemma_align::text_similarity(
///     "The attackers were killed by the army.",
///     "The army killed the assailants.",
/// );
/// assert!(s > 0.5 && s <= 1.0);
/// ```
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let mut vocab = Vocabulary::new();
    let ta = vocab.tokens(a);
    let tb = vocab.tokens(b);
    let weights = TermWeights::background(&vocab);
    let scorer = Scorer::new(&vocab, SimilarityParams::default());
    scorer
        .overlap(&Bag::new(&ta, &weights), &Bag::new(&tb, &weights))
        .similarity
}
