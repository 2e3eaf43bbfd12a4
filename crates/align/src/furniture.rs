//! Page furniture: the parts of a saved web page that are not the article.
//!
//! Menus, share bars, bylines, comment forms and "Recent articles" teaser lists are shared across sites
//! that run the same software, so exact-match tools link unrelated pages through them. Here they are
//! marked once, per document, and never take part in an alignment or in coverage. (Lines repeated across
//! many documents of a corpus are the corpus stage's business: it sees all documents.)

use serde::Serialize;

use crate::normalize::{RawToken, TokenKind};
use crate::segment::{Segmentation, SentenceKind};

/// Why a sentence takes part in alignment or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceRole {
    /// Article text.
    Body,
    /// Page furniture, with the reason.
    Furniture(FurnitureKind),
    /// Too little content to be evidence either way (fewer than [`MIN_CONTENT_TOKENS`] content words).
    TooShort,
}

/// The kinds of page furniture recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// Share bars, follow-us lines, embedded-post credits.
    Social,
    /// Comment forms and their legal text.
    CommentForm,
    /// Navigation menus, bylines, section labels and other short lines without sentence punctuation.
    Navigation,
    /// Teaser lists of other articles ("Recent Articles", "Related", author bios) at the end of a page.
    Teaser,
    /// Copyright, cookie and subscription notices.
    Notice,
    /// A line repeated across many documents of a corpus (marked by the corpus stage, which sees them all).
    Repeated,
}

/// Sentences with fewer content words than this never align: they are too short to be evidence.
pub const MIN_CONTENT_TOKENS: usize = 3;

/// Lines with no sentence punctuation and fewer content words than this are navigation.
const MAX_NAVIGATION_LINE_TOKENS: usize = 5;

const SOCIAL: &[&str] = &[
    "share:",
    "share this",
    "share on",
    "twitter | facebook",
    "facebook | twitter",
    "follow us",
    "pic.twitter.com",
    "[elfsight",
    "whatsapp",
    "tweet this",
];

const COMMENT_FORM: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "email address will not be published",
    "required fields are marked",
    "save my name, email",
    "post comment",
    "cancel reply",
];

const NOTICE: &[&str] = &[
    "all rights reserved",
    "copyright_",
    "© ",
    "we use cookies",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "click here to",
    "advertisement",
];

const TEASER_HEADINGS: &[&str] = &[
    "recent articles",
    "related articles",
    "related stories",
    "related posts",
    "related",
    "popular posts",
    "most popular",
    "most read",
    "read more",
    "more stories",
    "more from",
    "you may also like",
    "recommended",
    "trending",
    "latest news",
    "latest articles",
    "about the author",
    "about the authors",
];

/// Marks each sentence of a segmented text as body, furniture or too short.
pub fn classify(
    text: &str,
    segmentation: &Segmentation,
    tokens: &[Vec<RawToken>],
) -> Vec<SentenceRole> {
    let count = segmentation.sentences.len();
    let mut roles = Vec::with_capacity(count);
    let mut teaser_from = None;
    for (index, sentence) in segmentation.sentences.iter().enumerate() {
        let sentence_text = text.get(sentence.span.clone()).unwrap_or("");
        let lower = sentence_text.to_lowercase();
        let content = tokens.get(index).map_or(0, |t| {
            t.iter().filter(|t| t.kind != TokenKind::Stop).count()
        });
        let is_line = sentence.kind == SentenceKind::Line;
        let short = content < 12;
        let role = if contains_any(&lower, COMMENT_FORM) {
            SentenceRole::Furniture(FurnitureKind::CommentForm)
        } else if short && contains_any(&lower, SOCIAL) {
            SentenceRole::Furniture(FurnitureKind::Social)
        } else if short && contains_any(&lower, NOTICE) {
            SentenceRole::Furniture(FurnitureKind::Notice)
        } else if is_line && is_teaser_heading(&lower) {
            // Teaser lists and author bios fill the tail of a page; a heading in the first half is more
            // likely an article's own sub-heading.
            if index * 2 >= count {
                teaser_from.get_or_insert(index);
            }
            SentenceRole::Furniture(FurnitureKind::Teaser)
        } else if is_line && content < MAX_NAVIGATION_LINE_TOKENS {
            SentenceRole::Furniture(FurnitureKind::Navigation)
        } else if content < MIN_CONTENT_TOKENS {
            SentenceRole::TooShort
        } else {
            SentenceRole::Body
        };
        roles.push(role);
    }
    if let Some(start) = teaser_from {
        for role in &mut roles[start..] {
            *role = SentenceRole::Furniture(FurnitureKind::Teaser);
        }
    }
    roles
}

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| haystack.contains(n))
}

fn is_teaser_heading(lower: &str) -> bool {
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
    TEASER_HEADINGS.contains(&trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Vocabulary;

    fn roles(text: &str) -> Vec<(String, SentenceRole)> {
        let mut vocab = Vocabulary::new();
        let doc = vocab.document("t", text.to_string());
        (0..doc.sentences.len())
            .map(|i| (doc.sentence_text(i).to_string(), doc.sentences[i].role))
            .collect()
    }

    #[test]
    fn share_bars_menus_and_comment_forms_are_furniture() {
        let text = "• News\n\nThe governor said that several villages had been evacuated overnight.\n\nShare: Twitter | Facebook | Linkedin\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *\n";
        let r = roles(text);
        assert_eq!(r[0].1, SentenceRole::Furniture(FurnitureKind::Navigation));
        assert_eq!(r[1].1, SentenceRole::Body);
        assert_eq!(r[2].1, SentenceRole::Furniture(FurnitureKind::Social));
        assert!(
            r[3..]
                .iter()
                .all(|(_, role)| matches!(role, SentenceRole::Furniture(_)))
        );
    }

    #[test]
    fn teaser_list_at_the_end_is_furniture() {
        let body =
            "The governor said that several villages had been evacuated overnight.\n\n".repeat(4);
        let text = format!(
            "{body}Recent Articles\n\nBest Way To Wear Headphones - Mastering Headphone Comfort\n\nFinding the best way to wear headphones can greatly enhance your audio experience and comfort.\n"
        );
        let r = roles(&text);
        assert!(r[..4].iter().all(|(_, role)| *role == SentenceRole::Body));
        assert!(
            r[4..]
                .iter()
                .all(|(_, role)| *role == SentenceRole::Furniture(FurnitureKind::Teaser))
        );
    }

    #[test]
    fn short_sentences_are_too_short() {
        let r = roles("He left. The regional governor ordered the evacuation of border villages.");
        assert_eq!(r[0].1, SentenceRole::TooShort);
        assert_eq!(r[1].1, SentenceRole::Body);
    }
}
