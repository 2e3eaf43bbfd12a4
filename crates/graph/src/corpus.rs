//! The corpus model: the articles under analysis, where each of their fields
//! came from, and the publication times that let the graph order them.
//!
//! An [`Article`] is a document id, its plain text (paragraphs on their own
//! lines) and a few optional facts: title, publisher, URL and publication time.
//! Each fact is [`Sourced`]: the graph trusts a time that the user's metadata
//! gives ([`Provenance::Metadata`]) more than one read off the page
//! ([`Provenance::Text`]), so it has to know which is which.
//!
//! Publication times ([`Timestamp`], [`Precision`], [`parse_timestamp`]) are read by the date
//! grammar of the `time` module and re-exported here.

use serde::{Deserialize, Serialize};

pub use crate::time::{
    Precision, Timestamp, TimestampError, TimestampProblem, parse_timestamp, published_in_text,
};

/// Where a field's value came from, so that the analysis can prefer what the
/// user stated over what was guessed from the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Given by the user: a `meta.jsonl` entry, a `--meta` file, or a field of a JSONL article.
    Metadata,
    /// Stated by a web page about itself, in its markup: `og:title`, `og:site_name`,
    /// `article:published_time`, JSON-LD `datePublished`, `<time datetime>`, a canonical link; or
    /// the address a crawl captured it at (a WARC record's target URI).
    Page,
    /// Read off the text: a "Published …" line, a dateline, an "Updated …" line.
    Text,
}

/// A value together with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where the value came from.
    pub from: Provenance,
}

impl<T> Sourced<T> {
    /// A value given by the user's metadata.
    pub fn metadata(value: T) -> Self {
        Self {
            value,
            from: Provenance::Metadata,
        }
    }

    /// A value a web page states about itself in its markup.
    pub fn page(value: T) -> Self {
        Self {
            value,
            from: Provenance::Page,
        }
    }

    /// A value read off the text.
    pub fn text(value: T) -> Self {
        Self {
            value,
            from: Provenance::Text,
        }
    }
}

/// One article of the corpus: its id, its text and what is known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The document id: a file name without its extension, or a JSONL `id`.
    pub id: String,
    /// The headline.
    pub title: Option<Sourced<String>>,
    /// The outlet (or, failing that, the author) that published it.
    pub publisher: Option<Sourced<String>>,
    /// Where it was published.
    pub url: Option<Sourced<String>>,
    /// When it was published.
    pub published: Option<Sourced<Timestamp>>,
    /// The plain text, one paragraph per line (blank lines between paragraphs allowed).
    pub text: String,
}

/// What an analysis keeps of an article besides its text: its id and what is known about it. The
/// text has moved into the article's [`Document`](stemma_align::Document) (`documents[i].text` of a
/// [`CorpusAnalysis`](crate::CorpusAnalysis)), so that a corpus is held once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInfo {
    /// The document id.
    pub id: String,
    /// The headline.
    pub title: Option<Sourced<String>>,
    /// The outlet (or, failing that, the author) that published it.
    pub publisher: Option<Sourced<String>>,
    /// Where it was published.
    pub url: Option<Sourced<String>>,
    /// When it was published.
    pub published: Option<Sourced<Timestamp>>,
}

impl ArticleInfo {
    /// An article known by its id only.
    ///
    /// ```
    /// let info = stemma_graph::ArticleInfo::new("wire-1");
    /// assert!(info.published.is_none());
    /// ```
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: None,
            publisher: None,
            url: None,
            published: None,
        }
    }
}

impl Article {
    /// The article's facts and its text, apart.
    ///
    /// ```
    /// let (info, text) = stemma_graph::Article::new("a", "Flood water rose.").into_parts();
    /// assert_eq!((info.id.as_str(), text.as_str()), ("a", "Flood water rose."));
    /// ```
    pub fn into_parts(self) -> (ArticleInfo, String) {
        let info = ArticleInfo {
            id: self.id,
            title: self.title,
            publisher: self.publisher,
            url: self.url,
            published: self.published,
        };
        (info, self.text)
    }

    /// An article with an id and a text and nothing else known yet.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: None,
            publisher: None,
            url: None,
            published: None,
            text: text.into(),
        }
    }

    /// Overrides this article's fields with those that `meta` gives (metadata
    /// wins over anything read off the page); fields `meta` leaves out or
    /// leaves blank are kept. `meta.id` is not checked: matching is the caller's.
    ///
    /// # Errors
    /// If `meta.published` is present but unreadable, every other field is
    /// still applied, the article's `published` is left as it was, and the
    /// parse error is returned for the caller to report.
    pub fn apply_metadata(&mut self, meta: &Metadata) -> Result<(), TimestampError> {
        if let Some(title) = non_blank(meta.title.as_deref()) {
            self.title = Some(Sourced::metadata(title.to_owned()));
        }
        if let Some(publisher) = non_blank(meta.publisher.as_deref()) {
            self.publisher = Some(Sourced::metadata(publisher.to_owned()));
        }
        if let Some(url) = non_blank(meta.url.as_deref()) {
            self.url = Some(Sourced::metadata(url.to_owned()));
        }
        match meta.published_time() {
            Some(Ok(ts)) => self.published = Some(Sourced::metadata(ts)),
            Some(Err(e)) => return Err(e),
            None => {}
        }
        Ok(())
    }

    /// Fills in `published` from the text ([`published_in_text`]) when nothing
    /// better is known: a time already set (from metadata, or from an HTML
    /// page's tags) is kept.
    pub fn resolve_published(&mut self) {
        if self.published.is_none() {
            self.published = published_in_text(&self.text).map(Sourced::text);
        }
    }
}

/// One line of a `meta.jsonl` file: what the user states about one article.
///
/// Unknown keys are ignored; `null` counts as absent. `published` stays a
/// string here so that an unreadable time can be reported without losing the
/// rest of the line (see [`Metadata::published_time`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The id of the article described.
    pub id: String,
    /// Its headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Its publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Its URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Its publication time, in any form [`parse_timestamp`] reads.
    #[serde(default)]
    pub published: Option<String>,
}

impl Metadata {
    /// The parsed publication time: `None` when absent or blank.
    pub fn published_time(&self) -> Option<Result<Timestamp, TimestampError>> {
        non_blank(self.published.as_deref()).map(parse_timestamp)
    }
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_wins_and_text_fills_in() {
        let mut a = Article::new("a", "Body.\nPublished: 23 May 2023\n");
        a.title = Some(Sourced::text("Page title".to_owned()));
        let meta: Metadata = serde_json::from_str(
            r#"{"id":"a","title":"Real title","publisher":"  ","url":null,"published":"2023-05-22T10:00:00Z","extra":1}"#,
        )
        .unwrap();
        a.apply_metadata(&meta).unwrap();
        assert_eq!(a.title, Some(Sourced::metadata("Real title".to_owned())));
        assert_eq!(a.publisher, None);
        a.resolve_published();
        let p = a.published.clone().unwrap();
        assert_eq!(
            (p.value.to_string().as_str(), p.from),
            ("2023-05-22T10:00:00Z", Provenance::Metadata)
        );

        let mut b = Article::new("b", "Body.\nPublished: 23 May 2023\n");
        b.resolve_published();
        let p = b.published.clone().unwrap();
        assert_eq!(
            (p.value.to_string().as_str(), p.from),
            ("2023-05-23", Provenance::Text)
        );

        let mut c = Article::new("c", "Body.");
        let bad = Metadata {
            id: "c".into(),
            publisher: Some("Agency".into()),
            published: Some("2023-02-30".into()),
            ..Metadata::default()
        };
        let err = c.apply_metadata(&bad).unwrap_err();
        assert!(
            err.to_string().contains("February 2023 has no day 30"),
            "{err}"
        );
        assert_eq!(c.publisher, Some(Sourced::metadata("Agency".to_owned())));
        assert_eq!(c.published, None);
    }
}
