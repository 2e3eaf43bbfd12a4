//! English stop words: the NLTK list.
//!
//! Stop words carry grammar rather than content, so the aligner gives them no weight and the
//! synonym table gives them no classes ("will", "can" and "does" are also WordNet nouns, which
//! would otherwise join unrelated sentences).

use std::cmp::Ordering;

/// NLTK's English stop-word list (`nltk.corpus.stopwords.words("english")`, nltk_data's
/// `corpora/stopwords/english`, the 198-word edition: the classic 179 words plus 19 contractions
/// such as "he's" and "we've"), sorted by bytes so that lookups can binary-search it.
///
/// Kept verbatim, including the contraction fragments ("don", "t", "ll", "ve") that a tokenizer
/// splitting on apostrophes produces, and "won", which NLTK lists as the fragment of "won't" even
/// though it is also the past tense of "win".
pub const STOP_WORDS: [&str; 198] = [
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "couldn",
    "couldn't",
    "d",
    "did",
    "didn",
    "didn't",
    "do",
    "does",
    "doesn",
    "doesn't",
    "doing",
    "don",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "hadn't",
    "has",
    "hasn",
    "hasn't",
    "have",
    "haven",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "it",
    "it'd",
    "it'll",
    "it's",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "ma",
    "me",
    "mightn",
    "mightn't",
    "more",
    "most",
    "mustn",
    "mustn't",
    "my",
    "myself",
    "needn",
    "needn't",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shan",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "should've",
    "shouldn",
    "shouldn't",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that'll",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren",
    "weren't",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "won't",
    "wouldn",
    "wouldn't",
    "y",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `lowercase` (a lowercase word) is an NLTK English stop word.
///
/// Typographic apostrophes count as ASCII ones, so "don’t" is a stop word like "don't". The word
/// must already be lowercase: "The" is not recognised. A binary search over 198 words: a few
/// comparisons, no allocation.
pub fn is_stop_word(lowercase: &str) -> bool {
    if lowercase.is_empty() || lowercase.len() > "yourselves".len() + 2 {
        return false;
    }
    STOP_WORDS
        .binary_search_by(|entry| compare_folding_apostrophe(entry, lowercase))
        .is_ok()
}

/// Compares an ASCII list entry with a query word, reading the query's U+2019 as `'`.
fn compare_folding_apostrophe(entry: &str, query: &str) -> Ordering {
    let folded = query
        .chars()
        .map(|c| if c == '\u{2019}' { '\'' } else { c });
    entry.chars().cmp(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_unique_and_complete() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn recognises_stop_words_only() {
        for w in [
            "the",
            "and",
            "of",
            "don't",
            "don’t",
            "won",
            "yourselves",
            "should've",
        ] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in [
            "",
            "The",
            "said",
            "attack",
            "russia",
            "dont",
            "yourselvesx",
            "’",
        ] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
