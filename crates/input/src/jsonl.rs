//! JSONL: articles one per line, and `meta.jsonl` metadata.
//!
//! An article line is a JSON object with a string `id` and a string `text`
//! (both required and not blank) and optional strings `title`, `publisher`,
//! `url` and `published` (any form [`parse_timestamp`] reads); other keys are
//! ignored, `null` counts as absent. A metadata line is the same without
//! `text` ([`Metadata`]).
//!
//! Lines are read with bounded memory: a line may be long (an article of
//! several megabytes on one line is normal), but one over [`MAX_LINE_BYTES`]
//! is skipped with a diagnostic instead of being held in memory. Blank lines
//! are ignored. Each bad line gets one diagnostic with its 1-based number.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, BufRead};

use serde::Deserialize;
use stemma_graph::{Article, Metadata, Sourced, parse_timestamp};

use super::{Diagnostic, MAX_LINE_DIAGNOSTICS};

/// Lines longer than this are skipped (and reported) rather than held in memory.
pub(super) const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// An article read from a JSONL line.
pub(super) struct LineArticle {
    /// The article, its JSONL fields as [`Sourced::metadata`].
    pub(super) article: Article,
    /// Its 1-based line.
    pub(super) line: usize,
}

/// Why one line was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LineError {
    /// Longer than [`MAX_LINE_BYTES`].
    TooLong,
    /// Not UTF-8.
    InvalidUtf8,
    /// Not JSON at all.
    Syntax(String),
    /// JSON, but not the expected object.
    Shape(String),
    /// `id` is blank.
    BlankId,
    /// `text` is blank.
    BlankText,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::TooLong => write!(
                f,
                "line longer than {} MiB; skipped",
                MAX_LINE_BYTES / (1024 * 1024)
            ),
            LineError::InvalidUtf8 => f.write_str("not valid UTF-8; skipped"),
            LineError::Syntax(e) => write!(f, "not valid JSON: {e}; skipped"),
            LineError::Shape(e) => write!(f, "{e}; skipped"),
            LineError::BlankId => f.write_str("\"id\" is empty; skipped"),
            LineError::BlankText => f.write_str("\"text\" is empty; skipped"),
        }
    }
}

/// One JSONL article line as written.
#[derive(Deserialize)]
#[serde(expecting = "a JSON object with string fields \"id\" and \"text\"")]
struct ArticleLine {
    id: String,
    text: String,
    // The optional fields are read as any JSON value, so that a number where a string belongs
    // costs that field, not the article.
    #[serde(default)]
    title: Option<serde_json::Value>,
    #[serde(default)]
    publisher: Option<serde_json::Value>,
    #[serde(default)]
    url: Option<serde_json::Value>,
    #[serde(default)]
    published: Option<serde_json::Value>,
}

/// An optional field's string, or why it was left out (`None` and `null` are simply absent).
fn optional_string(name: &str, value: Option<serde_json::Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(other) => {
            let kind = match other {
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::Array(_) => "an array",
                _ => "an object",
            };
            Err(format!(
                "\"{name}\" is {kind}, not a string; the article is read without it"
            ))
        }
    }
}

/// Counts a file's bad lines and reports the first [`MAX_LINE_DIAGNOSTICS`].
pub(super) struct Reporter {
    shown: String,
    reported: usize,
    suppressed: usize,
}

impl Reporter {
    fn new(shown: &str) -> Self {
        Self {
            shown: shown.to_owned(),
            reported: 0,
            suppressed: 0,
        }
    }

    fn line(&mut self, line: usize, message: impl Into<String>, diagnostics: &mut Vec<Diagnostic>) {
        if self.reported < MAX_LINE_DIAGNOSTICS {
            self.reported += 1;
            diagnostics.push(super::diagnostic(&self.shown, Some(line), message));
        } else {
            self.suppressed += 1;
        }
    }

    fn file(&self, message: impl Into<String>, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.push(super::diagnostic(&self.shown, None, message));
    }

    fn finish(&self, non_blank_lines: usize, diagnostics: &mut Vec<Diagnostic>) {
        if self.suppressed > 0 {
            self.file(more_bad_lines(self.suppressed), diagnostics);
        }
        if non_blank_lines == 0 {
            let message = if self.shown == "-" {
                "standard input was empty; no articles read"
            } else {
                EMPTY_FILE
            };
            self.file(message, diagnostics);
        }
    }
}

/// The message of a file after its first [`MAX_LINE_DIAGNOSTICS`] bad lines: how many more.
pub fn more_bad_lines(suppressed: usize) -> String {
    format!("{suppressed} more bad lines not shown")
}

/// The message of a JSONL or metadata file without a non-blank line.
pub const EMPTY_FILE: &str = "empty file (no lines); nothing read";

/// One line of a JSONL file of articles as [`load_inputs`](super::load_inputs) reads it
/// ([`read_article_line`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonlLine {
    /// A blank line: ignored, but counted in the line numbers.
    Blank,
    /// An article (its text as written: the reader makes it prose, [`super::as_prose`], when it
    /// keeps it), with the problems of the fields it is read without, each a diagnostic of its
    /// own at the line.
    Article {
        /// The article, its fields [`Sourced::metadata`].
        article: Article,
        /// What was left out of it, and why.
        problems: Vec<String>,
    },
    /// The line is skipped: the diagnostic's message (ending "; skipped").
    Skipped(String),
}

/// Reads line `line` (1-based) of a JSONL file of articles, `bytes` without its `\n`, as
/// [`load_inputs`](super::load_inputs) reads it: a byte-order mark dropped on line 1, a final `\r`
/// dropped, UTF-8 and the length limit checked, the JSON read into an article. The messages are the
/// diagnostics `stemma analyze` gives the line, so that a reader of lines elsewhere (a Spark job)
/// reports a bad line as the CLI does. Duplicate ids are the caller's to find.
///
/// ```
/// use stemma_input::{read_article_line, JsonlLine};
/// assert_eq!(read_article_line(b"  ", 3), JsonlLine::Blank);
/// assert_eq!(
///     read_article_line(br#"{"id":"a","text":" "}"#, 2),
///     JsonlLine::Skipped("\"text\" is empty; skipped".into())
/// );
/// match read_article_line(b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"Flood water rose.\",\"published\":\"2023-02-30\"}\r", 1) {
///     JsonlLine::Article { article, problems } => {
///         assert_eq!((article.id.as_str(), article.published), ("a", None));
///         assert!(problems[0].ends_with("February 2023 has no day 30; the article is read without it"));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn read_article_line(bytes: &[u8], line: usize) -> JsonlLine {
    let bytes = if bytes.len() > MAX_LINE_BYTES {
        Err(LineError::TooLong)
    } else {
        Ok(bytes.strip_suffix(b"\r").unwrap_or(bytes))
    };
    match line_text(line, bytes) {
        Ok(None) => JsonlLine::Blank,
        Ok(Some(text)) => match parse_article(text) {
            Ok((article, problems)) => JsonlLine::Article { article, problems },
            Err(e) => JsonlLine::Skipped(e.to_string()),
        },
        Err(e) => JsonlLine::Skipped(e.to_string()),
    }
}

/// Lines parsed together: parsing runs in parallel within a batch, and results are taken in line
/// order.
const BATCH_LINES: usize = 4096;

/// Bytes of line text held for one batch at most (a line may be megabytes long).
const BATCH_BYTES: usize = 32 * 1024 * 1024;

/// The lines of a JSONL file, parsed a batch at a time: the pull side of a file reader, so that a
/// file of any size is read with the memory of one batch.
pub(super) struct JsonLines<R> {
    reader: R,
    lines: Lines,
    report: Reporter,
    non_blank: usize,
    /// Set when the file has ended, with the read error that ended it, if any.
    ended: Option<Option<io::Error>>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub(super) fn new(reader: R, shown: &str) -> Self {
        Self {
            reader,
            lines: Lines::new(MAX_LINE_BYTES),
            report: Reporter::new(shown),
            non_blank: 0,
            ended: None,
            done: false,
        }
    }

    /// The next batch of non-blank lines (a UTF-8 BOM on line 1 dropped), each parsed with `parse`
    /// in parallel and given in line order with its number; a line refused while reading (too
    /// long, not UTF-8) is an error in its place. `None` once the file is read, after its closing
    /// diagnostics (a read error that stopped it, the count of bad lines not shown, an empty
    /// file) are given.
    fn next_batch<T: Send>(
        &mut self,
        parse: &(impl Fn(&str) -> T + Sync),
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<(usize, Result<T, LineError>)>> {
        use rayon::prelude::*;
        if self.done {
            return None;
        }
        if let Some(error) = self.ended.take() {
            if let Some(e) = error {
                self.report
                    .file(format!("read error, stopped: {e}"), diagnostics);
            }
            self.report.finish(self.non_blank, diagnostics);
            self.done = true;
            return None;
        }
        let mut batch: Vec<(usize, Result<String, LineError>)> = Vec::new();
        let mut batch_bytes = 0;
        while batch.len() < BATCH_LINES && batch_bytes < BATCH_BYTES {
            let (line, bytes) = match self.lines.next_line(&mut self.reader) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.ended = Some(None);
                    break;
                }
                Err(e) => {
                    self.ended = Some(Some(e));
                    break;
                }
            };
            let text = match line_text(line, bytes) {
                Ok(Some(text)) => Ok(text.to_owned()),
                Ok(None) => continue,
                Err(e) => Err(e),
            };
            self.non_blank += 1;
            batch_bytes += text.as_ref().map_or(0, String::len);
            batch.push((line, text));
        }
        Some(
            batch
                .into_par_iter()
                .map(|(line, text)| (line, text.map(|t| parse(&t))))
                .collect(),
        )
    }
}

/// Parses each non-blank line's text with `parse` ([`JsonLines`]) and hands the results to
/// `accept` in line order with their numbers; unreadable lines are reported in their place.
fn each_json_line<T: Send>(
    reader: &mut dyn BufRead,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
    parse: impl Fn(&str) -> T + Sync,
    mut accept: impl FnMut(usize, T, &mut Reporter, &mut Vec<Diagnostic>),
) {
    let mut lines = JsonLines::new(reader, shown);
    while let Some(batch) = lines.next_batch(&parse, diagnostics) {
        for (line, result) in batch {
            match result {
                Ok(value) => accept(line, value, &mut lines.report, diagnostics),
                Err(e) => lines.report.line(line, e.to_string(), diagnostics),
            }
        }
    }
}

/// The articles of a JSONL file (or standard input), a batch at a time.
pub(super) struct ArticleLines<R>(JsonLines<R>);

impl<R: BufRead> ArticleLines<R> {
    pub(super) fn new(reader: R, shown: &str) -> Self {
        Self(JsonLines::new(reader, shown))
    }

    /// The articles of the next batch of lines, in line order, bad lines and the fields an
    /// article is read without reported to `diagnostics` in their place; `None` once the file is
    /// read (see [`JsonLines::next_batch`]).
    pub(super) fn next_batch(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<LineArticle>> {
        let batch = self.0.next_batch(&parse_article, diagnostics)?;
        let report = &mut self.0.report;
        let mut out = Vec::with_capacity(batch.len());
        for (line, parsed) in batch {
            match parsed {
                Ok(Ok((article, problems))) => {
                    for problem in problems {
                        report.line(line, problem, diagnostics);
                    }
                    out.push(LineArticle { article, line });
                }
                Ok(Err(e)) | Err(e) => report.line(line, e.to_string(), diagnostics),
            }
        }
        Some(out)
    }
}

/// Reads one article line: the article, and the problems of fields it is read without.
fn parse_article(text: &str) -> Result<(Article, Vec<String>), LineError> {
    require_object(text, "not an article")?;
    let raw: ArticleLine = serde_json::from_str(text).map_err(json_error("not an article"))?;
    if raw.id.trim().is_empty() {
        return Err(LineError::BlankId);
    }
    if raw.text.trim().is_empty() {
        return Err(LineError::BlankText);
    }
    let mut problems = Vec::new();
    let id = match super::files::clean_id(&raw.id) {
        std::borrow::Cow::Borrowed(_) => raw.id,
        std::borrow::Cow::Owned(clean) => {
            problems.push(format!("its id has control characters; read as {clean:?}"));
            clean
        }
    };
    let mut article = Article::new(id, raw.text);
    let mut field = |name: &str, v: Option<serde_json::Value>| match optional_string(name, v) {
        Ok(v) => v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    article.title = field("title", raw.title).map(Sourced::metadata);
    article.publisher = field("publisher", raw.publisher).map(Sourced::metadata);
    article.url = field("url", raw.url).map(Sourced::metadata);
    if let Some(published) = field("published", raw.published) {
        match parse_timestamp(&published) {
            Ok(ts) => article.published = Some(Sourced::metadata(ts)),
            Err(e) => problems.push(format!("{e}; the article is read without it")),
        }
    }
    Ok((article, problems))
}

/// Reads one metadata line.
fn parse_metadata(text: &str) -> Result<Metadata, LineError> {
    require_object(text, "not a metadata entry")?;
    let mut meta: Metadata =
        serde_json::from_str(text).map_err(json_error("not a metadata entry"))?;
    if meta.id.trim().is_empty() {
        return Err(LineError::BlankId);
    }
    // The same id an article with these control characters is read under.
    if let std::borrow::Cow::Owned(clean) = super::files::clean_id(&meta.id) {
        meta.id = clean;
    }
    Ok(meta)
}

/// Refuses a line that is not a JSON object (serde would read an array positionally as a struct).
fn require_object(text: &str, what: &str) -> Result<(), LineError> {
    if text.starts_with('{') {
        return Ok(());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(json_error(""))?;
    let found = match text.as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    };
    Err(LineError::Shape(format!(
        "{what}: expected a JSON object, found {found}"
    )))
}

/// Turns a serde_json error into a line error, without serde's "at line 1" (the line is ours).
fn json_error(what: &'static str) -> impl Fn(serde_json::Error) -> LineError {
    move |e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        let message = format!("{message} (column {})", e.column());
        match e.classify() {
            serde_json::error::Category::Data => LineError::Shape(format!("{what}: {message}")),
            _ => LineError::Syntax(message),
        }
    }
}

/// A line's text: `None` for a blank line; a byte-order mark on line 1 and a final `\r` dropped.
fn line_text(line: usize, bytes: Result<&[u8], LineError>) -> Result<Option<&str>, LineError> {
    let mut bytes = bytes?;
    if line == 1 {
        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LineError::InvalidUtf8)?;
    let text = text.trim();
    Ok((!text.is_empty()).then_some(text))
}

/// A line's 1-based number and bytes, or why they are not given.
type Line<'a> = (usize, Result<&'a [u8], LineError>);

/// Splits a reader into lines with their 1-based numbers and bytes (without the `\n` and a `\r`
/// before it), or [`LineError::TooLong`] for a line over `max` bytes, which is skipped without
/// being held.
struct Lines {
    buf: Vec<u8>,
    too_long: bool,
    line: usize,
    max: usize,
    /// The line in `buf` was handed out: cleared before the next is read.
    emitted: bool,
}

impl Lines {
    fn new(max: usize) -> Self {
        Self {
            buf: Vec::new(),
            too_long: false,
            line: 0,
            max,
            emitted: false,
        }
    }

    /// The next line of `reader`, `None` at its end.
    fn next_line(&mut self, reader: &mut impl BufRead) -> io::Result<Option<Line<'_>>> {
        if self.emitted {
            self.buf.clear();
            self.too_long = false;
            self.emitted = false;
        }
        loop {
            let chunk = match reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if self.buf.is_empty() && !self.too_long {
                    return Ok(None);
                }
                break;
            }
            let (take, ends_line) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if !self.too_long {
                if self.buf.len() + take > self.max {
                    self.too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            reader.consume(if ends_line { take + 1 } else { take });
            if ends_line {
                break;
            }
        }
        self.line += 1;
        self.emitted = true;
        let bytes = if self.too_long {
            Err(LineError::TooLong)
        } else {
            Ok(self.buf.strip_suffix(b"\r").unwrap_or(&self.buf))
        };
        Ok(Some((self.line, bytes)))
    }
}

/// The entries of one metadata file, by id.
pub(super) struct MetaTable {
    /// The file, as shown in diagnostics.
    shown: String,
    /// Id → (entry, 1-based line).
    entries: HashMap<String, (Metadata, usize)>,
    /// `url` → the id of the first entry that gives it, to name the pages of a WARC file.
    ids_by_url: HashMap<String, String>,
    /// Ids that an article used.
    used: HashSet<String>,
}

impl MetaTable {
    /// Whether an entry is for `id`.
    pub(super) fn has(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// The id of the entry whose `url` is `url`, if any.
    pub(super) fn id_for_url(&self, url: &str) -> Option<&str> {
        self.ids_by_url.get(url.trim()).map(String::as_str)
    }

    /// The entry for `id`, marked as used: (entry, file shown, line).
    pub(super) fn take_use(&mut self, id: &str) -> Option<(Metadata, String, usize)> {
        let (meta, line) = self.entries.get(id)?;
        self.used.insert(id.to_owned());
        Some((meta.clone(), self.shown.clone(), *line))
    }

    /// One diagnostic listing the entries that no article used and whose id is
    /// not in `known` (ids of files that failed to load are known: they were
    /// reported already).
    pub(super) fn unmatched(&self, known: &HashSet<String>, scope: &str) -> Option<Diagnostic> {
        let mut missing: Vec<(usize, &str)> = self
            .entries
            .iter()
            .filter(|(id, _)| !self.used.contains(*id) && !known.contains(*id))
            .map(|(id, (_, line))| (*line, id.as_str()))
            .collect();
        if missing.is_empty() {
            return None;
        }
        missing.sort_unstable();
        let shown: Vec<String> = missing
            .iter()
            .take(5)
            .map(|(_, id)| format!("{id:?}"))
            .collect();
        let more = if missing.len() > 5 {
            format!(" and {} more", missing.len() - 5)
        } else {
            String::new()
        };
        let (first_line, _) = missing[0];
        let noun = if missing.len() == 1 {
            "entry names"
        } else {
            "entries name"
        };
        Some(super::diagnostic(
            self.shown.clone(),
            Some(first_line),
            format!(
                "{} metadata {noun} no article {scope}: {}{more}",
                missing.len(),
                shown.join(", ")
            ),
        ))
    }
}

/// Reads a metadata file, reporting bad lines; an unreadable `published` is
/// reported and dropped from its entry, the rest of the entry kept.
pub(super) fn read_meta(
    reader: &mut dyn BufRead,
    shown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> MetaTable {
    let mut table = MetaTable {
        shown: shown.to_owned(),
        entries: HashMap::new(),
        ids_by_url: HashMap::new(),
        used: HashSet::new(),
    };
    each_json_line(
        reader,
        shown,
        diagnostics,
        parse_metadata,
        |line, parsed, report, diagnostics| {
            let mut meta = match parsed {
                Ok(meta) => meta,
                Err(e) => return report.line(line, e.to_string(), diagnostics),
            };
            if let Some(Err(e)) = meta.published_time() {
                report.line(
                    line,
                    format!("{e}; the entry is used without it"),
                    diagnostics,
                );
                meta.published = None;
            }
            if let Some((_, first)) = table.entries.get(&meta.id) {
                let message = format!(
                    "duplicate id {:?} (first at line {first}); this entry is ignored",
                    meta.id
                );
                return report.line(line, message, diagnostics);
            }
            if let Some(url) = meta.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                table
                    .ids_by_url
                    .entry(url.to_owned())
                    .or_insert_with(|| meta.id.clone());
            }
            table.entries.insert(meta.id.clone(), (meta, line));
        },
    );
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_max(input: &[u8], max: usize) -> Vec<(usize, Result<Vec<u8>, LineError>)> {
        let mut out = Vec::new();
        let mut reader = io::BufReader::with_capacity(7, input);
        let mut lines = Lines::new(max);
        while let Some((n, bytes)) = lines.next_line(&mut reader).unwrap() {
            out.push((n, bytes.map(<[u8]>::to_vec)));
        }
        out
    }

    fn lines(input: &[u8]) -> Vec<(usize, Result<Vec<u8>, LineError>)> {
        lines_max(input, usize::MAX)
    }

    #[test]
    fn overlong_lines_are_skipped_not_held() {
        let input = format!("short\n{}\nafter\n{}", "x".repeat(100), "y".repeat(50));
        let got = lines_max(input.as_bytes(), 20);
        let want: Vec<(usize, Result<Vec<u8>, LineError>)> = vec![
            (1, Ok(b"short".to_vec())),
            (2, Err(LineError::TooLong)),
            (3, Ok(b"after".to_vec())),
            (4, Err(LineError::TooLong)),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn splits_lines_across_buffer_edges() {
        let got = lines(b"first line\r\n\nthird, a longer line\nlast");
        let want: Vec<(usize, Result<Vec<u8>, LineError>)> = vec![
            (1, Ok(b"first line".to_vec())),
            (2, Ok(Vec::new())),
            (3, Ok(b"third, a longer line".to_vec())),
            (4, Ok(b"last".to_vec())),
        ];
        assert_eq!(got, want);
        assert!(lines(b"").is_empty());
        assert_eq!(lines(b"x\n"), vec![(1, Ok(b"x".to_vec()))]);
    }

    #[test]
    fn a_field_of_the_wrong_type_costs_the_field_not_the_article() {
        let (article, problems) = parse_article(
            r#"{"id":"a","text":"Some text.","published":20230523,"title":["x"],"url":null}"#,
        )
        .expect("the article is kept");
        assert_eq!(article.id, "a");
        assert!(article.published.is_none() && article.title.is_none() && article.url.is_none());
        assert_eq!(
            problems,
            [
                "\"title\" is an array, not a string; the article is read without it",
                "\"published\" is a number, not a string; the article is read without it",
            ]
        );
        let (article, problems) = parse_article(
            r#"{"id":"b","text":"t","publisher":"Northwire","published":"2025-03-03"}"#,
        )
        .expect("a good line");
        assert!(problems.is_empty());
        assert_eq!(
            article.publisher.map(|p| p.value).as_deref(),
            Some("Northwire")
        );
        assert!(article.published.is_some());
    }

    #[test]
    fn messages_name_the_problem() {
        let shape = |s: &str| match parse_article(s) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{s} was accepted"),
        };
        assert_eq!(
            shape(r#"{"id":"a"}"#),
            "not an article: missing field `text` (column 10); skipped"
        );
        assert_eq!(
            shape(r#"{"id":5,"text":"t"}"#),
            "not an article: invalid type: integer `5`, expected a string (column 7); skipped"
        );
        assert_eq!(
            shape(r#"["a","b"]"#),
            "not an article: expected a JSON object, found an array; skipped"
        );
        assert_eq!(
            shape("42"),
            "not an article: expected a JSON object, found a number; skipped"
        );
        assert!(shape("[1,").starts_with("not valid JSON: EOF while parsing"));
        assert_eq!(
            shape("nope"),
            "not valid JSON: expected ident (column 2); skipped"
        );
        assert!(shape(r#"{"id":"a","text":"#).starts_with("not valid JSON: EOF while parsing"));
        assert_eq!(
            shape(r#"{"id":" ","text":"t"}"#),
            "\"id\" is empty; skipped"
        );
        assert_eq!(
            shape(r#"{"id":"a","text":"  "}"#),
            "\"text\" is empty; skipped"
        );
    }

    #[test]
    fn lines_keep_their_order_across_parse_batches() {
        // Bad lines on both sides of a batch boundary, of both kinds: those refused while reading
        // (invalid UTF-8) and those refused while parsing (bad JSON, a bad time).
        let lines = 2 * BATCH_LINES + 10;
        let mut input: Vec<u8> = Vec::new();
        for line in 1..=lines {
            match line {
                _ if [3, BATCH_LINES, 2 * BATCH_LINES].contains(&line) => {
                    input.extend_from_slice(b"{not json")
                }
                7 | 1_000 => input.extend_from_slice(b"{\"id\":\"x\",\"text\":\"\xFF\"}"),
                41 => input.extend_from_slice(br#"{"id":"late","text":"t","published":"someday"}"#),
                _ if line == BATCH_LINES + 1 => input.extend_from_slice(b"\xFE"),
                _ => {
                    input.extend_from_slice(format!(r#"{{"id":"a{line}","text":"t"}}"#).as_bytes())
                }
            }
            input.push(b'\n');
        }
        let mut out = Vec::new();
        let mut diagnostics = Vec::new();
        let mut reader = ArticleLines::new(&input[..], "in.jsonl");
        while let Some(batch) = reader.next_batch(&mut diagnostics) {
            out.extend(batch);
        }
        let reported: Vec<usize> = diagnostics.iter().filter_map(|d| d.line).collect();
        assert_eq!(
            reported,
            [
                3,
                7,
                41,
                1_000,
                BATCH_LINES,
                BATCH_LINES + 1,
                2 * BATCH_LINES
            ]
        );
        assert_eq!(out.len(), lines - 6);
        assert!(out.windows(2).all(|w| w[0].line < w[1].line));
        assert!(
            out.iter()
                .all(|a| a.article.id == format!("a{}", a.line) || a.line == 41)
        );
    }
}
