//! Normalization: from a sentence's surface words to comparable tokens.
//!
//! Every word goes through the same steps so that a spinner's surface changes cancel out:
//! Unicode NFKC, case folding, curly quotes and apostrophes made straight, possessive `'s` dropped,
//! British spellings mapped to American ones (`defence` → `defense`), irregular inflections mapped to
//! their lemma (`slain` → `slay`), then the Snowball English stemmer. Numbers written as digits or as
//! words get one key (`seventy` and `70` both become `70`; `1,146` becomes `1146`).
//!
//! Each token is flagged: a [`TokenKind`] (plain word, name, number or stop word) and whether it stands
//! inside quotation marks. The flags are evidence for the corpus stage: names, numbers and quoted speech
//! are what independent reports of one event share, so they count little as evidence of copying.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use crate::lexicon::{background::Background, spelling, stopwords, synonyms::Synonyms};

/// What kind of word a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// An ordinary content word.
    Word,
    /// A proper name or acronym (capitalised, and not an ordinary English word).
    Name,
    /// A number, written in digits or as a number word.
    Number,
    /// A function word ("the", "of", "was") that carries almost no content.
    Stop,
}

/// One normalized word of a text, before interning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    /// The normalized key: stem of the case-folded, spelling-normalized lemma, or a canonical number.
    /// Shared, because news repeats its words: every occurrence of a word on one thread shares one key.
    pub key: Arc<str>,
    /// Byte span of the surface word in the original text.
    pub span: Range<usize>,
    /// What kind of word this is.
    pub kind: TokenKind,
    /// Whether the word stands inside quotation marks.
    pub quoted: bool,
}

/// Zipf frequency (log10 per billion words) above which a capitalised word is taken for an ordinary
/// English word rather than a name ("Russia" is rare as a common word; "Monday" and "The" are not names
/// by this test only when they are frequent lower-case words).
const COMMON_WORD_ZIPF: f32 = 4.5;

/// Surface word → its key and kind, per thread (see `Normalizer::cached_key`).
type KeyMemo = FxHashMap<Box<str>, (Arc<str>, TokenKind)>;

/// Turns words into normalized keys. Cheap to share between threads.
pub struct Normalizer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Normalizer")
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Normalizer {
    /// A normalizer for English text.
    pub fn new() -> Self {
        Normalizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// The normalized key of one word and its kind, ignoring capitalisation clues.
    ///
    /// ```
    /// use stemma_align::{Normalizer, TokenKind};
    /// let n = Normalizer::new();
    /// assert_eq!(n.key("Evacuated").0, n.key("evacuating").0);
    /// assert_eq!(n.key("seventy"), ("70".to_string(), TokenKind::Number));
    /// assert_eq!(n.key("1,146").0, "1146");
    /// ```
    pub fn key(&self, word: &str) -> (String, TokenKind) {
        let folded = fold_word(word);
        if let Some(number) = number_key(&folded) {
            return (number, TokenKind::Number);
        }
        if stopwords::is_stop_word(&folded) {
            return (folded, TokenKind::Stop);
        }
        (self.stem(&folded), TokenKind::Word)
    }

    /// The Snowball stem of a case-folded word, after spelling and irregular-form normalization.
    pub fn stem(&self, folded: &str) -> String {
        let american = spelling::american_spelling(folded).unwrap_or(folded);
        let lemma = Synonyms::builtin()
            .lemma_of_irregular(american)
            .unwrap_or(american);
        self.stemmer.stem(lemma).into_owned()
    }

    /// [`Normalizer::key`] through a per-thread memo: news is Zipfian, so most words were seen before,
    /// and stemming them again was most of the cost of analysing a corpus. The key depends on the word
    /// alone, so the memo cannot change a result.
    fn cached_key(&self, word: &str) -> (Arc<str>, TokenKind) {
        thread_local! {
            static KEYS: RefCell<KeyMemo> = RefCell::new(KeyMemo::default());
        }
        /// Bounds the memo of one thread (a few tens of MB at most); it starts afresh when full.
        const MEMO_LIMIT: usize = 1 << 18;
        KEYS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some((key, kind)) = memo.get(word) {
                return (Arc::clone(key), *kind);
            }
            let (key, kind) = self.key(word);
            let key: Arc<str> = Arc::from(key);
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(word.into(), (Arc::clone(&key), kind));
            (key, kind)
        })
    }

    /// Tokenizes `text[span]`, the text of one sentence, with `quoted` as the quotation state at its start.
    /// Returns the tokens and the quotation state at its end, so a quote that runs over several sentences
    /// keeps its flag.
    pub fn tokenize(
        &self,
        text: &str,
        span: Range<usize>,
        sentence_initial: bool,
        mut quoted: bool,
    ) -> (Vec<RawToken>, bool) {
        let Some(slice) = text.get(span.clone()) else {
            return (Vec::new(), quoted);
        };
        let mut tokens = Vec::new();
        let mut first_word = sentence_initial;
        let mut previous_opens = true;
        for (offset, piece) in crate::words::word_bound_indices(slice) {
            let start = span.start + offset;
            if let Some(toggle) = quote_effect(piece, previous_opens) {
                quoted = match toggle {
                    QuoteEffect::Open => true,
                    QuoteEffect::Close => false,
                    QuoteEffect::Toggle => !quoted,
                };
                previous_opens = true;
                continue;
            }
            previous_opens = piece
                .chars()
                .all(|c| c.is_whitespace() || "([{—–-".contains(c));
            if !piece.chars().any(char::is_alphanumeric) {
                continue;
            }
            let (key, mut kind) = self.cached_key(piece);
            let trimmed = piece.trim_end_matches(['\'', '’']);
            if kind != TokenKind::Number && starts_uppercase(trimmed) {
                if is_acronym(trimmed) {
                    kind = TokenKind::Name;
                } else if kind == TokenKind::Word {
                    // Mid-sentence capitals are names; a sentence's first word is one only when it is not
                    // a common English word ("The", "Monday" are not; "Gladkov" is).
                    let common = Background::builtin()
                        .zipf(&key)
                        .is_some_and(|z| z >= COMMON_WORD_ZIPF);
                    if !first_word || !common {
                        kind = TokenKind::Name;
                    }
                }
            }
            let key = if kind == TokenKind::Name && is_acronym(trimmed) {
                // "U.S." and "US" are one name; "US" must not fold into the stop word "us".
                Arc::from(fold_word(trimmed).replace('.', ""))
            } else {
                key
            };
            first_word = false;
            if key.is_empty() {
                continue;
            }
            tokens.push(RawToken {
                key,
                span: start..start + piece.len(),
                kind,
                quoted,
            });
        }
        (tokens, quoted)
    }
}

/// NFKC, lower case, straight apostrophes, no possessive `'s`, no surrounding apostrophes.
fn fold_word(word: &str) -> String {
    let mut folded: String = if word.is_ascii() {
        // NFKC leaves ASCII as it is: the common case skips it.
        word.chars()
            .map(|c| match c {
                '`' => '\'',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    } else {
        word.nfkc()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '’' | '‘' | 'ʼ' | '`' | '´' => '\'',
                c => c,
            })
            .collect()
    };
    if folded.ends_with("'s") && folded.len() > 2 {
        folded.truncate(folded.len() - 2);
    }
    let trimmed = folded.trim_matches('\'');
    if trimmed.len() != folded.len() {
        folded = trimmed.to_string();
    }
    folded
}

fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

enum QuoteEffect {
    Open,
    Close,
    Toggle,
}

fn quote_effect(piece: &str, previous_opens: bool) -> Option<QuoteEffect> {
    match piece {
        "“" | "„" | "«" => Some(QuoteEffect::Open),
        "”" | "»" => Some(QuoteEffect::Close),
        "\"" => Some(if previous_opens {
            QuoteEffect::Open
        } else {
            QuoteEffect::Toggle
        }),
        _ => None,
    }
}

/// A canonical key for numbers: digits without group separators, or the value of a number word.
fn number_key(folded: &str) -> Option<String> {
    if folded.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits_only = folded
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
        if digits_only {
            let without_groups = if is_grouped_thousands(folded) {
                folded.replace(',', "")
            } else {
                folded.to_string()
            };
            return Some(without_groups);
        }
        return None;
    }
    let value = match folded {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "dozen" => 12,
        _ => return None,
    };
    Some(value.to_string())
}

fn is_grouped_thousands(s: &str) -> bool {
    let integer = s.split('.').next().unwrap_or("");
    let groups: Vec<&str> = integer.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, TokenKind, bool)> {
        let n = Normalizer::new();
        n.tokenize(text, 0..text.len(), true, false)
            .0
            .into_iter()
            .map(|t| (t.key.to_string(), t.kind, t.quoted))
            .collect()
    }

    #[test]
    fn numbers_as_digits_or_words_share_a_key() {
        let n = Normalizer::new();
        assert_eq!(n.key("70").0, n.key("seventy").0);
        assert_eq!(n.key("9,300").0, "9300");
        assert_eq!(n.key("3.5").0, "3.5");
        assert_eq!(n.key("23.05.2023").0, "23.05.2023");
        assert_eq!(n.key("1,2").0, "1,2");
    }

    #[test]
    fn inflections_share_a_stem() {
        let n = Normalizer::new();
        assert_eq!(n.key("evacuated").0, n.key("evacuate").0);
        assert_eq!(n.key("Attackers").0, n.key("attacker").0);
    }

    #[test]
    fn curly_apostrophes_and_possessives_fold() {
        let n = Normalizer::new();
        assert_eq!(n.key("Russia’s").0, n.key("Russia").0);
        assert_eq!(n.key("didn’t").0, n.key("didn't").0);
    }

    #[test]
    fn quoted_speech_is_flagged_across_sentences() {
        let text = "He said: “It is not safe. Stay home,” he said.";
        let tokens = keys(text);
        let quoted: Vec<&str> = tokens
            .iter()
            .filter(|t| t.2)
            .map(|t| t.0.as_str())
            .collect();
        assert!(quoted.contains(&"safe"));
        assert!(quoted.contains(&"stay"));
        assert!(!quoted.contains(&"said") && !quoted.contains(&"say"));
    }

    #[test]
    fn names_and_acronyms_are_flagged() {
        let tokens = keys("Governor Vyacheslav Gladkov said the U.S. and the RVC were involved.");
        let kind_of = |k: &str| tokens.iter().find(|t| t.0 == k).map(|t| t.1);
        assert_eq!(kind_of("us"), Some(TokenKind::Name));
        assert_eq!(kind_of("rvc"), Some(TokenKind::Name));
        assert_eq!(kind_of("the"), Some(TokenKind::Stop));
    }
}
