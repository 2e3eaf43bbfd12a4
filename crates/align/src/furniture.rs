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
#[non_exhaustive]
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
    /// The headline: the first line of the article before its prose, or the title its metadata gives.
    /// Headlines of one story converge whoever writes them, so they are no evidence of a shared text.
    Headline,
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
        } else if is_menu_or_byline(sentence_text) {
            SentenceRole::Furniture(FurnitureKind::Navigation)
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
    // The headline: the first body line (no sentence punctuation) before the first prose sentence.
    if let Some(first) = roles.iter().position(|r| *r == SentenceRole::Body) {
        let words = tokens.get(first).map_or(0, Vec::len);
        if segmentation.sentences[first].kind == SentenceKind::Line && words <= MAX_HEADLINE_WORDS {
            roles[first] = SentenceRole::Furniture(FurnitureKind::Headline);
        }
    }
    roles
}

/// Words a headline has at most: a longer unpunctuated opening is text without full stops, not a
/// headline.
const MAX_HEADLINE_WORDS: usize = 30;

/// Words a menu item or a byline segment has at most.
const MAX_MENU_ITEM_WORDS: usize = 6;

/// A site menu or a byline: three or more short items between `|`, `•` or `·` separators
/// ("Home | News | Sport | Business"), or a line that starts with "By " and holds a separator
/// ("By Jo Bloggs, PA News | 18 April 2026"). Their words are the site's, not the story's, and
/// two sites' menus share most of them.
fn is_menu_or_byline(text: &str) -> bool {
    let items: Vec<&str> = text
        .split(['|', '•', '·'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    let separators = text.matches(['|', '•', '·']).count();
    if separators == 0 {
        return false;
    }
    let short = |item: &&str| item.split_whitespace().count() <= MAX_MENU_ITEM_WORDS;
    let byline = text.trim_start().starts_with("By ") && items.len() >= 2;
    (items.len() >= 3 && items.iter().all(short)) || (byline && items.iter().all(short))
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
    fn menus_bylines_and_the_headline_are_furniture() {
        let text = "Home | News | Sport | Business | Opinion | Lifestyle | Announcements\n\n\
            Thousands march against the takeover of the town's football club\n\n\
            By Tom Hebblethwaite, Sablewick Sports Agency | Saturday 18 April 2026, 19:02 BST\n\n\
            About 2,000 supporters marched on the ground on Saturday in protest at the proposed takeover.\n\n\
            A spokesman said the club's owners had received the fans' letter and would reply next week.\n";
        let r = roles(text);
        assert_eq!(r[0].1, SentenceRole::Furniture(FurnitureKind::Navigation));
        assert_eq!(r[1].1, SentenceRole::Furniture(FurnitureKind::Headline));
        assert_eq!(r[2].1, SentenceRole::Furniture(FurnitureKind::Navigation));
        assert_eq!(r[3].1, SentenceRole::Body);
        assert_eq!(r[4].1, SentenceRole::Body);
    }

    #[test]
    fn a_sentence_with_a_pipe_or_a_first_prose_sentence_stays_body() {
        // A pipe inside prose is not a menu; the first sentence of an article without a headline is
        // not a headline.
        let r = roles(
            "The vote split 38 | 29 after a long debate in the council chamber on Tuesday.\n\n\
             Councillors then adjourned until the following week to consider the budget.\n",
        );
        assert_eq!(r[0].1, SentenceRole::Body);
        assert_eq!(r[1].1, SentenceRole::Body);
    }

    #[test]
    fn short_sentences_are_too_short() {
        let r = roles("He left. The regional governor ordered the evacuation of border villages.");
        assert_eq!(r[0].1, SentenceRole::TooShort);
        assert_eq!(r[1].1, SentenceRole::Body);
    }
}
