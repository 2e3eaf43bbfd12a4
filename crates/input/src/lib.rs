//! Reading the inputs of `stemma analyze`: files, folders, JSONL, web archives
//! (WARC) and metadata, into [`Article`]s, with one clear [`Diagnostic`] per bad input.
//!
//! # What is read
//!
//! Each path named on the command line is, by kind:
//! - a folder: read recursively, entries in byte order of their names (so the
//!   result does not depend on the file system's listing order). Hidden
//!   entries (names starting with `.`) and files of unknown kinds (images,
//!   `.json`, …) are skipped silently, and so are a folder's own documents
//!   (`README*`, `LICENSE*`: the shared seed corpus has a `README.md`);
//!   symbolic links are followed, each folder at most once;
//! - `.txt`, `.text`, `.md`, `.markdown`: the text as is; the id is the file
//!   name without its extension;
//! - `.html`, `.htm`, `.xhtml`: the page's main text with its paragraph breaks,
//!   title, publisher, canonical URL and publication time (see `html.rs`);
//! - `.jsonl`, `.ndjson`: one article per line (see `jsonl.rs`);
//! - `.warc`: a web archive, one article per captured HTML page (a `response` record whose
//!   payload is HTML, with a 2xx status), its id the record's `WARC-Target-URI` and that URI its
//!   URL when the page names none; every other record is counted and the counts said in one
//!   diagnostic per file (see `warc.rs`);
//! - `-`: JSONL on standard input (name a file called `-` as `./-`);
//! - any other file named explicitly: read as text.
//!
//! Each of them may be compressed, gzip or Zstandard (`crawl.warc.gz`, `a.txt.zst`,
//! `lines.jsonl.gz`, standard input too): a compression extension is looked through to find the
//! kind, and the content is decompressed while it is read, with the limits below applied to what
//! comes out (see `compress.rs`).
//!
//! Text and pages may be in any character encoding: a byte-order mark, the HTTP `charset` of a
//! WARC record, a page's `<meta charset>` and, failing those, a detector decide; a file whose
//! encoding was guessed gets a diagnostic saying so (`old.txt: not UTF-8; read as windows-1252
//! (detected)`), and is read (see `encoding.rs`). JSONL stays UTF-8, as JSON is.
//!
//! # Metadata
//!
//! A `meta.jsonl` file in a folder holds [`Metadata`] lines for the articles
//! read from the files directly in that folder (matched by id, so a JSONL
//! file's articles too); it is never read as articles (nor is `meta.jsonl.gz`
//! or `meta.jsonl.zst`, read when there is no `meta.jsonl`). It is used also
//! for files named one by one. An entry also names a page of a WARC file in its
//! folder by its `url`: the page captured from that URL takes the entry's id,
//! unless an entry is for the URL itself. `--meta FILE` names one for all inputs and wins
//! over a folder's file, field by field. Metadata wins over what a page
//! says; a publication time still unknown afterwards is looked for in the
//! text ([`Article::resolve_published`]).
//!
//! # Bad input
//!
//! A missing or unreadable path, a binary file, an empty file, a malformed
//! JSONL line, an unreadable time in metadata, a second article with an id
//! already read (the first is kept), a WARC record that is a page but cannot
//! be read: each gets one [`Diagnostic`]
//! naming the path as the user would recognise it (and the 1-based line for
//! JSONL), and reading goes on with the rest. A JSONL file with many bad lines
//! reports the first [`MAX_LINE_DIAGNOSTICS`] and then a count; a metadata
//! file whose entries name no article read (in its folder, for a folder read
//! whole; anywhere, for `--meta`) gets one diagnostic listing them, as they
//! are likely typos. Files over 64 MiB (or decompressing to more), JSONL lines
//! over 64 MiB, WARC pages over 64 MiB and pathologically nested HTML are
//! refused rather than loaded; a compressed stream that expands like a
//! decompression bomb is stopped. A damaged file (compressed data cut short or
//! corrupt, a WARC record cut short) is read up to the damage, which is said
//! with its byte. Nothing here panics or stops on bad data.
//!
//! [`load_inputs`] gives the articles sorted by id, the diagnostics in reading order.
//!
//! # One at a time
//!
//! [`InputStream`] is the reader behind [`load_inputs`]: it hands the same articles out one at a
//! time in reading order, reading a JSONL or WARC file a batch of lines or records at a time, so
//! that a caller that does not need them all at once (the archive index) holds one batch, not the
//! corpus. Its diagnostics are those of [`load_inputs`], in the same order.

mod compress;
mod encoding;
mod files;
mod html;
mod jsonl;
mod stream;
mod warc;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use stemma_graph::{Article, Metadata};

use self::files::FileKind;
pub use self::files::escape_controls;
pub use self::jsonl::{EMPTY_FILE, JsonlLine, more_bad_lines, read_article_line};
pub use self::stream::InputStream;

/// A problem with one input (a file, a line of a file, or standard input) that was skipped or read
/// only in part; reading went on with the rest. Its `source` is the path as the user named it (a
/// file found in a named folder is shown under that folder's name; `-` for standard input) and its
/// `line` the 1-based line, for JSONL and metadata lines and invalid UTF-16.
pub use stemma_graph::Diagnostic;

/// A diagnostic about the input at `path`.
fn diagnostic(
    path: impl Into<String>,
    line: Option<usize>,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        source: path.into(),
        line,
        message: message.into(),
    }
}

/// The message of an article whose id was read before, at `first` (`file:line`, or the file):
/// the first is kept, this one skipped.
///
/// ```
/// assert_eq!(
///     stemma_input::duplicate_id("x", "a.jsonl:1"),
///     "duplicate id \"x\": already read from a.jsonl:1; this one is skipped"
/// );
/// ```
pub fn duplicate_id(id: &str, first: &str) -> String {
    format!("duplicate id {id:?}: already read from {first}; this one is skipped")
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles, sorted by id, ids unique.
    pub articles: Vec<Article>,
    /// One entry per problem met, in reading order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Publication times later than the clock by more than this are set aside: a day covers every time
/// zone and a page's clock running fast.
pub const FUTURE_TOLERANCE_MILLIS: i64 = 36 * 60 * 60 * 1000;

impl Loaded {
    /// Sets aside every publication time later than `now_unix_millis` (the caller's clock) by
    /// more than [`FUTURE_TOLERANCE_MILLIS`], with a diagnostic naming the article: a year typed
    /// as 2999 would otherwise make the article the newest and turn its edges around.
    ///
    /// ```
    /// use stemma_graph::{Article, Precision, Sourced, Timestamp};
    /// let mut article = Article::new("typo", "The mill closed on Friday.");
    /// article.published = Some(Sourced::metadata(Timestamp::from_unix_millis(32_503_680_000_000, Precision::Date)));
    /// let mut loaded = stemma_input::Loaded { articles: vec![article], diagnostics: vec![] };
    /// loaded.set_aside_future_times(1_700_000_000_000);
    /// assert!(loaded.articles[0].published.is_none());
    /// assert!(loaded.diagnostics[0].message.contains("in the future"));
    /// ```
    pub fn set_aside_future_times(&mut self, now_unix_millis: i64) {
        for article in &mut self.articles {
            if let Some(d) = set_aside_future_time(article, now_unix_millis) {
                self.diagnostics.push(d);
            }
        }
    }
}

/// Sets aside the article's publication time if it is later than `now_unix_millis` by more than
/// [`FUTURE_TOLERANCE_MILLIS`], and says so.
fn set_aside_future_time(article: &mut Article, now_unix_millis: i64) -> Option<Diagnostic> {
    let latest = now_unix_millis.saturating_add(FUTURE_TOLERANCE_MILLIS);
    let published = article
        .published
        .take_if(|p| p.value.unix_millis > latest)?;
    Some(diagnostic(
        article.id.clone(),
        None,
        format!(
            "publication time {} is in the future; set aside (the direction of its links comes \
             from the other evidence)",
            published.value
        ),
    ))
}

/// How many bad lines of one JSONL or metadata file are reported one by one
/// before the rest are only counted.
pub const MAX_LINE_DIAGNOSTICS: usize = 20;

/// Reads every path (files, folders, `-` for JSONL on `stdin`) and the
/// optional metadata file into articles, as the module documentation
/// describes. Never fails: every problem becomes a [`Diagnostic`].
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gz.write_all(b"The mill closed on Friday. Forty people lost their jobs.").unwrap();
/// std::fs::write(dir.path().join("mill.txt.gz"), gz.finish().unwrap()).unwrap();
/// std::fs::write(dir.path().join("old.txt"), b"Le caf\xe9 de la gare a ferm\xe9 ses portes.").unwrap();
///
/// let loaded = stemma_input::load_inputs(&[dir.path().to_path_buf()], None, &mut std::io::empty());
/// assert_eq!(loaded.articles[0].id, "mill");
/// assert_eq!(loaded.articles[1].text, "Le café de la gare a fermé ses portes.");
/// assert!(loaded.diagnostics[0].message.contains("read as windows-1252 (detected)"));
/// ```
pub fn load_inputs(paths: &[PathBuf], meta: Option<&Path>, stdin: &mut dyn Read) -> Loaded {
    let mut stream = InputStream::new(paths, meta, stdin);
    let mut articles: Vec<Article> = stream.by_ref().collect();
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Loaded {
        articles,
        diagnostics: stream.finish(),
    }
}

/// [`load_inputs`] for a run of sources against targets (`stemma analyze --sources … --targets
/// …`): reads `sources`, then `targets`, and returns with what was read the ids read from
/// `sources`. An id read again from a target is a duplicate and skipped, as any duplicate; a file
/// named on both sides is read once, as a source, and said.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let (wire, crawl) = (dir.path().join("wire"), dir.path().join("crawl"));
/// std::fs::create_dir_all(&wire).unwrap();
/// std::fs::create_dir_all(&crawl).unwrap();
/// std::fs::write(wire.join("w1.txt"), "The mill closed on Friday.").unwrap();
/// std::fs::write(crawl.join("p1.txt"), "The mill shut on Friday.").unwrap();
/// let (loaded, sources) =
///     stemma_input::load_sources_and_targets(&[wire], &[crawl], None, &mut std::io::empty());
/// assert_eq!(loaded.articles.len(), 2);
/// assert_eq!(sources.into_iter().collect::<Vec<_>>(), ["w1"]);
/// ```
pub fn load_sources_and_targets(
    sources: &[PathBuf],
    targets: &[PathBuf],
    meta: Option<&Path>,
    stdin: &mut dyn Read,
) -> (Loaded, BTreeSet<String>) {
    let mut stream = InputStream::sided(sources, targets, meta, stdin);
    let mut articles = Vec::new();
    let mut source_ids = BTreeSet::new();
    while let Some(article) = stream.next() {
        if !stream.reading_targets() {
            source_ids.insert(article.id.clone());
        }
        articles.push(article);
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let loaded = Loaded {
        articles,
        diagnostics: stream.finish(),
    };
    (loaded, source_ids)
}

/// Reads one article from a file named by the user, the way [`load_inputs`] reads it: a web page's
/// main text and facts, wire copy as prose, the same size, binary and encoding checks. JSONL and
/// metadata files hold many articles and are refused; use [`load_inputs`] for them.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("wire.txt");
/// std::fs::write(&path, "The mill closed on Friday. Forty people lost their jobs.").unwrap();
/// let article = stemma_input::read_article(&path).unwrap();
/// assert_eq!(article.id, "wire");
/// assert!(article.text.starts_with("The mill closed"));
///
/// let missing = stemma_input::read_article(&dir.path().join("gone.txt")).unwrap_err();
/// assert!(missing.to_string().ends_with("gone.txt: not found"));
/// ```
pub fn read_article(path: &Path) -> Result<Article, Diagnostic> {
    read_article_noted(path).map(|(article, _)| article)
}

/// [`read_article`], with what the reader did that the user may want to check: a note when the
/// file's encoding was guessed (`old.txt: not UTF-8; read as windows-1252 (detected)`).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("old.txt");
/// std::fs::write(&path, b"Le caf\xe9 de la gare a ferm\xe9 ses portes apr\xe8s quarante ann\xe9es.").unwrap();
/// let (article, notes) = stemma_input::read_article_noted(&path).unwrap();
/// assert!(article.text.starts_with("Le café"));
/// assert!(notes[0].message.contains("read as windows-1252 (detected)"));
/// ```
pub fn read_article_noted(path: &Path) -> Result<(Article, Vec<Diagnostic>), Diagnostic> {
    let shown = path.display().to_string();
    if let Err(e) = std::fs::metadata(path) {
        return Err(diagnostic(shown, None, files::describe_io_error(&e)));
    }
    let kind = files::kind_of(path);
    if matches!(kind, FileKind::Jsonl | FileKind::Meta | FileKind::Warc) {
        return Err(diagnostic(
            shown,
            None,
            "a JSONL or WARC file holds many articles, not one; name a text or HTML file",
        ));
    }
    match article_from_file(path, kind, files::id_of(path)) {
        Ok((mut article, note)) => {
            article.text = as_prose(std::mem::take(&mut article.text));
            article.resolve_published();
            let notes = note
                .map(|n| diagnostic(shown, None, n))
                .into_iter()
                .collect();
            Ok((article, notes))
        }
        // The caller decides what to do with this file: the message says only what is wrong.
        Err((line, message)) => Err(diagnostic(shown, line, message)),
    }
}

/// A web page's main text (paragraph breaks kept, menus and boilerplate left out) and what the
/// page says of itself (title, publisher, canonical URL, publication time) as an article with id
/// `id`. Pathologically nested or huge pages are refused with a message.
///
/// ```
/// let page = "<html><head><title>Mill shuts</title></head><body><article>\
///             <p>The mill closed on Friday after ninety years of work in the town.</p>\
///             <p>Forty people lost their jobs, the owners said in a statement.</p>\
///             </article></body></html>";
/// let article = stemma_input::article_from_html("mill", page).unwrap();
/// assert!(article.text.contains("Forty people lost their jobs"));
/// assert!(!article.text.contains("<p>"));
/// ```
pub fn article_from_html(id: &str, html: &str) -> Result<Article, String> {
    let mut article = page_article(id.to_owned(), html)?;
    article.text = as_prose(std::mem::take(&mut article.text));
    Ok(article)
}

/// A web page's main text and facts as an article, its text as the page gives it.
fn page_article(id: String, html: &str) -> Result<Article, String> {
    let page = html::extract_guarded(html)?;
    let mut article = Article::new(id, page.text);
    page.facts.apply_to(&mut article);
    Ok(article)
}

/// One text or HTML file as an article with id `id`, and a note when its encoding was guessed;
/// the error is the line (if any) and the message of a diagnostic.
fn article_from_file(
    path: &Path,
    kind: FileKind,
    id: String,
) -> Result<(Article, Option<String>), (Option<usize>, String)> {
    let html = kind == FileKind::Html;
    let source = files::read_text_file(path, html)
        .map_err(|problem| (problem.line(), problem.to_string()))?;
    if !html {
        return Ok((Article::new(id, source.text), source.note));
    }
    let article = page_article(id, &source.text).map_err(|problem| (None, problem))?;
    Ok((article, source.note))
}

/// Whether a path names a file that reading a folder takes as an article or as metadata (by its
/// extension: `.txt`, `.md`, `.html`, `.jsonl`, `.warc`, `meta.jsonl`, and each of them
/// compressed, `.gz` or `.zst`).
///
/// ```
/// use std::path::Path;
/// assert!(stemma_input::is_article_file(Path::new("crawl.warc.gz")));
/// assert!(stemma_input::is_article_file(Path::new("wire.txt")));
/// assert!(!stemma_input::is_article_file(Path::new("report.json")));
/// ```
pub fn is_article_file(path: &Path) -> bool {
    files::kind_of(path) != FileKind::Other
}

/// An article's text as prose: agency wire copy unwrapped (hard wraps joined, slug and `end` lines
/// dropped) and TeX-style quotes made typographic, so that sentences and quoted speech are found.
pub fn as_prose(text: String) -> String {
    match stemma_align::unwrap_wire_copy(&text) {
        Some(prose) => prose,
        None => match stemma_align::typographic_quotes(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(prose) => prose,
        },
    }
}

/// The canonical form of a path, to recognise a file or folder named twice;
/// the path itself if it has none (it will fail to read and be reported).
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Applies one metadata entry; its time was checked when it was read, so an
/// error here is only reported for completeness.
fn apply(
    article: &mut Article,
    meta: &Metadata,
    shown: &str,
    line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Err(e) = article.apply_metadata(meta) {
        diagnostics.push(diagnostic(shown, Some(line), e.to_string()));
    }
}

#[cfg(test)]
mod tests;
