//! Documents ready for alignment: segmented, tokenized, interned, with page furniture marked.
//!
//! Analysis runs in two steps so that a corpus can be analysed in parallel: [`TextAnalysis::new`] needs
//! only a shared [`Normalizer`] and can run on many threads; [`Vocabulary::intern`] then turns the string
//! keys into compact [`TermId`]s, one document at a time.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::furniture::{self, SentenceRole};
use crate::lexicon::{background::Background, synonyms::Synonyms};
use crate::normalize::{Normalizer, RawToken, TokenKind};
use crate::segment::{Segmentation, SentenceKind, segment};

/// An interned token key: an index into a [`Vocabulary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId(pub(crate) u32);

impl TermId {
    /// The index as a number, for hashing and bit sets. Ids are only made by a [`Vocabulary`], so
    /// that every id names a term it holds.
    ///
    /// ```
    /// let mut vocab = stemma_align::Vocabulary::new();
    /// let tokens = vocab.tokens("Evacuated villages");
    /// assert!((tokens[0].term.as_u32() as usize) < vocab.len());
    /// ```
    pub fn as_u32(self) -> u32 {
        self.0
    }
}

/// One token of a document: an interned key plus where it stands and what it is.
///
/// Twelve bytes: a corpus of a hundred thousand articles holds fifty million of them. A token lies
/// inside one sentence, and a document's sentences are cut at
/// [`MAX_SENTENCE_BYTES`](crate::MAX_SENTENCE_BYTES), so its length fits in 16 bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized key.
    pub term: TermId,
    start: u32,
    len: u16,
    /// Word, name, number or stop word.
    pub kind: TokenKind,
    /// Whether the word stands inside quotation marks.
    pub quoted: bool,
}

impl Token {
    /// A token of `term` at byte span `span` of its text. Offsets past 4 GiB and lengths past
    /// 64 KiB are clamped (input files are far smaller, and no word is that long).
    pub fn new(term: TermId, span: Range<usize>, kind: TokenKind, quoted: bool) -> Token {
        let start = u32::try_from(span.start).unwrap_or(u32::MAX);
        let end = u32::try_from(span.end).unwrap_or(u32::MAX);
        Token {
            term,
            start,
            len: u16::try_from(end.saturating_sub(start)).unwrap_or(u16::MAX),
            kind,
            quoted,
        }
    }

    /// Byte span of the surface word in the document text.
    pub fn span(&self) -> Range<usize> {
        let start = self.start as usize;
        start..start + usize::from(self.len)
    }

    /// Whether the token carries content (is not a stop word).
    pub fn is_content(&self) -> bool {
        self.kind != TokenKind::Stop
    }
}

/// A document's sentence as the aligner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceTokens {
    /// All tokens of the sentence, stop words included, in text order.
    pub tokens: Vec<Token>,
    /// Whether the sentence is body text, page furniture, or too short to align.
    pub role: SentenceRole,
}

impl SentenceTokens {
    /// The content tokens (stop words left out).
    pub fn content(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.is_content())
    }
}

/// Per-term lexical facts, looked up once when the term is first seen.
#[derive(Debug, Clone)]
pub struct TermInfo {
    /// The normalized key.
    pub key: Box<str>,
    /// Background Zipf frequency of the key in English, when known.
    pub zipf: Option<f32>,
    /// Synonym classes of the key (sorted), from the built-in thesaurus.
    pub classes: Box<[u32]>,
    /// Classes one hop away from the key's classes (hypernyms, similar adjectives), sorted.
    pub related_classes: Box<[u32]>,
}

/// The interner shared by the documents that will be compared: equal keys get equal [`TermId`]s.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: FxHashMap<Box<str>, TermId>,
    terms: Vec<TermInfo>,
    /// [`key_hash`] of each term's key, parallel to `terms`.
    hashes: Vec<u64>,
    normalizer: Normalizer,
}

impl Vocabulary {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The normalizer this vocabulary's documents are analysed with.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term has been interned yet.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Facts about one term.
    pub fn info(&self, term: TermId) -> &TermInfo {
        &self.terms[term.0 as usize]
    }

    /// A hash of the term's key that does not depend on the vocabulary: equal in every corpus, run
    /// and build, whatever order the terms were interned in, unlike the [`TermId`]. What candidate
    /// features and repeated-line fingerprints are made of, so that they can be stored and compared
    /// across corpora.
    ///
    /// ```
    /// let (mut x, mut y) = (stemma_align::Vocabulary::new(), stemma_align::Vocabulary::new());
    /// let (a, b) = (x.intern_key("shell"), y.intern_key("villag"));
    /// let (c, d) = (x.intern_key("villag"), y.intern_key("shell"));
    /// assert_ne!(a, d);
    /// assert_eq!((x.term_hash(a), x.term_hash(c)), (y.term_hash(d), y.term_hash(b)));
    /// ```
    pub fn term_hash(&self, term: TermId) -> u64 {
        self.hashes[term.0 as usize]
    }

    /// [`Vocabulary::term_hash`] of every term, in id order (the term with id `i` at index `i`).
    ///
    /// ```
    /// let mut vocab = stemma_align::Vocabulary::new();
    /// let shell = vocab.intern_key("shell");
    /// assert_eq!(vocab.term_hashes(), [vocab.term_hash(shell)]);
    /// ```
    pub fn term_hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// The id of a key, if it was interned.
    pub fn get(&self, key: &str) -> Option<TermId> {
        self.ids.get(key).copied()
    }

    /// Interns one key.
    pub fn intern_key(&mut self, key: &str) -> TermId {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = TermId(u32::try_from(self.terms.len()).unwrap_or(u32::MAX));
        let thesaurus = Synonyms::builtin();
        let sorted = |slice: &[u32]| -> Box<[u32]> {
            let mut v = slice.to_vec();
            v.sort_unstable();
            v.dedup();
            v.into_boxed_slice()
        };
        let (classes, related_classes) = match thesaurus.key_id(key) {
            Some(k) => (
                sorted(thesaurus.classes_of(k)),
                sorted(thesaurus.related_classes_of(k)),
            ),
            None => (Box::default(), Box::default()),
        };
        self.hashes.push(key_hash(key));
        self.terms.push(TermInfo {
            key: key.into(),
            zipf: Background::builtin().zipf(key),
            classes,
            related_classes,
        });
        self.ids.insert(key.into(), id);
        id
    }

    /// The interned tokens of one piece of text taken as a single sentence (no segmentation, no
    /// furniture): for comparing isolated sentences, as paraphrase benchmarks do.
    ///
    /// ```
    /// let mut vocab = stemma_align::Vocabulary::new();
    /// let tokens = vocab.tokens("Seventy attackers were killed.");
    /// assert_eq!(tokens.len(), 4);
    /// ```
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let (raw, _) = self.normalizer.tokenize(text, 0..text.len(), true, false);
        raw.into_iter()
            .map(|t| Token::new(self.intern_key(&t.key), t.span, t.kind, t.quoted))
            .collect()
    }

    /// Turns an analysis into a document with interned terms.
    pub fn intern(&mut self, id: impl Into<String>, analysis: TextAnalysis) -> Document {
        let sentences = analysis
            .sentences
            .into_iter()
            .map(|(raw, role)| SentenceTokens {
                tokens: raw
                    .into_iter()
                    .map(|t| Token::new(self.intern_key(&t.key), t.span, t.kind, t.quoted))
                    .collect(),
                role,
            })
            .collect();
        Document {
            id: id.into(),
            text: analysis.text,
            segmentation: analysis.segmentation,
            sentences,
        }
    }

    /// Analyses and interns a text in one step.
    ///
    /// ```
    /// use stemma_align::Vocabulary;
    /// let mut vocab = Vocabulary::new();
    /// let doc = vocab.document("a", "Gov. Gladkov spoke. Residents left their homes.".to_string());
    /// assert_eq!(doc.sentences.len(), 2);
    /// ```
    pub fn document(&mut self, id: impl Into<String>, text: String) -> Document {
        let analysis = TextAnalysis::new(text, &self.normalizer);
        self.intern(id, analysis)
    }
}

/// FNV-1a (64-bit) of the key's bytes, then the SplitMix64 finaliser to spread FNV's weak low bits.
/// Written out here rather than taken from `std` (randomly seeded) or a crate (whose output may change
/// between versions): a stored index depends on these values never changing.
fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &byte in key.as_bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// A segmented and tokenized text whose keys are not interned yet.
#[derive(Debug, Clone)]
pub struct TextAnalysis {
    /// The text.
    pub text: String,
    /// Its paragraphs and sentences.
    pub segmentation: Segmentation,
    /// Tokens and role of each sentence, parallel to `segmentation.sentences`.
    pub sentences: Vec<(Vec<RawToken>, SentenceRole)>,
}

impl TextAnalysis {
    /// Segments and tokenizes a text and marks its page furniture.
    pub fn new(text: String, normalizer: &Normalizer) -> TextAnalysis {
        let segmentation = segment(&text);
        let mut tokenized = Vec::with_capacity(segmentation.sentences.len());
        let mut quoted = false;
        let mut paragraph = usize::MAX;
        for sentence in &segmentation.sentences {
            if sentence.paragraph != paragraph {
                // An unclosed quotation mark never leaks into the next paragraph.
                quoted = false;
                paragraph = sentence.paragraph;
            }
            let (mut tokens, after) =
                normalizer.tokenize(&text, sentence.span.clone(), true, quoted);
            quoted = after;
            if sentence.kind == SentenceKind::Line && is_title_case(&tokens, &text) {
                demote_common_capitals(&mut tokens);
            }
            tokenized.push(tokens);
        }
        let roles = furniture::classify(&text, &segmentation, &tokenized);
        TextAnalysis {
            text,
            segmentation,
            sentences: tokenized.into_iter().zip(roles).collect(),
        }
    }
}

/// Headlines capitalise every word; there capitals say nothing about names.
fn is_title_case(tokens: &[RawToken], text: &str) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Stop && t.kind != TokenKind::Number)
        .filter_map(|t| text.get(t.span.clone()))
        .collect();
    words.len() >= 3
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn demote_common_capitals(tokens: &mut [RawToken]) {
    for token in tokens {
        if token.kind == TokenKind::Name
            && Background::builtin()
                .zipf(&token.key)
                .is_some_and(|z| z >= 3.0)
        {
            token.kind = TokenKind::Word;
        }
    }
}

/// A text ready for alignment.
#[derive(Debug, Clone)]
pub struct Document {
    /// The caller's identifier (for a file, its name without extension).
    pub id: String,
    /// The full text.
    pub text: String,
    /// Paragraphs and sentences with byte spans into `text`.
    pub segmentation: Segmentation,
    /// Tokens and role of each sentence, parallel to `segmentation.sentences`.
    pub sentences: Vec<SentenceTokens>,
}

impl Document {
    /// The exact text of sentence `index`.
    pub fn sentence_text(&self, index: usize) -> &str {
        self.segmentation
            .sentences
            .get(index)
            .and_then(|s| self.text.get(s.span.clone()))
            .unwrap_or("")
    }

    /// Exact text of a run of sentences, joined by one space.
    pub fn sentences_text(&self, range: Range<usize>) -> String {
        range
            .map(|i| self.sentence_text(i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Byte length of a sentence's text (the unit of coverage).
    pub fn sentence_len(&self, index: usize) -> usize {
        self.segmentation
            .sentences
            .get(index)
            .map_or(0, |s| s.span.len())
    }

    /// Whether a sentence is body text that may be aligned.
    pub fn is_body(&self, index: usize) -> bool {
        self.sentences
            .get(index)
            .is_some_and(|s| s.role == SentenceRole::Body)
    }

    /// Total byte length of the body sentences: the denominator of coverage.
    pub fn body_len(&self) -> usize {
        (0..self.sentences.len())
            .filter(|&i| self.is_body(i))
            .map(|i| self.sentence_len(i))
            .sum()
    }

    /// Number of sentences marked as page furniture.
    pub fn furniture_count(&self) -> usize {
        self.sentences
            .iter()
            .filter(|s| matches!(s.role, SentenceRole::Furniture(_)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_hashes_do_not_depend_on_the_interning_order() {
        let keys = ["gladkov", "shell", "villag", "9,300", "kozinka", "evacu"];
        let mut forward = Vocabulary::new();
        let mut backward = Vocabulary::new();
        let ids: Vec<TermId> = keys.iter().map(|k| forward.intern_key(k)).collect();
        let reversed: Vec<TermId> = keys.iter().rev().map(|k| backward.intern_key(k)).collect();
        for (k, key) in keys.iter().enumerate() {
            let other = reversed[keys.len() - 1 - k];
            assert_eq!(backward.info(other).key.as_ref(), *key);
            assert_eq!(
                forward.term_hash(ids[k]),
                backward.term_hash(other),
                "{key}"
            );
        }
        assert_ne!(ids[0], backward.get("gladkov").unwrap());
        let mut hashes: Vec<u64> = ids.iter().map(|&t| forward.term_hash(t)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), keys.len());
    }

    #[test]
    fn a_token_is_twelve_bytes_and_keeps_its_span() {
        assert_eq!(std::mem::size_of::<Token>(), 12);
        let token = Token::new(
            TermId(7),
            4_000_000_000..4_000_002_048,
            TokenKind::Word,
            true,
        );
        assert_eq!(token.span(), 4_000_000_000..4_000_002_048);
        let long = Token::new(TermId(7), 10..100_000, TokenKind::Name, false);
        assert_eq!(long.span(), 10..10 + usize::from(u16::MAX));
    }

    #[test]
    fn term_hashes_are_fixed_values() {
        // A stored index holds these hashes: they must never change, whatever the build.
        assert_eq!(key_hash(""), 0xF52A_15E9_A9B5_E89B);
        assert_eq!(key_hash("a"), 0x02C0_BDBF_4814_20F8);
        assert_eq!(key_hash("gladkov"), 0x43D2_C51F_DB93_C4C5);
        assert_eq!(key_hash("9,300"), 0x7863_EB2A_D446_FFD0);
    }
}
