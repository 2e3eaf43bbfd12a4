//! WARC files (web archives, ISO 28500: WARC/1.0 and 1.1, and the 0.17/0.18 drafts older
//! Heritrix wrote): one article per captured HTML page.
//!
//! A `response` record whose HTTP payload is HTML (`Content-Type` `text/html` or
//! `application/xhtml+xml`, or sniffed as browsers do when there is none) with a 2xx status is
//! a page, and so is a `resource` record of HTML; the page is read by the HTML reader, its id
//! is the record's `WARC-Target-URI`, and that URI is its URL when the page names none. The
//! HTTP payload is taken as crawlers store it: wget, Heritrix and warcio keep the bytes as sent,
//! so a chunked transfer-encoding is undone and a gzip, deflate or zstd content-encoding
//! decompressed (tools that store the payload decoded but keep the header are recognised by the
//! payload itself). Every other record (requests, `warcinfo`, `metadata`, `revisit`, images and
//! other non-HTML responses, redirects, error responses) is counted, and the counts are said in
//! one diagnostic per file.
//!
//! # Why not the `warc` crate
//!
//! `warc` 0.4 reads a record's header with an unbounded `read_until` (a file without line ends
//! grows one buffer until memory runs out), buffers whole bodies in its record iterator, opens
//! files for writing and creates them when they are missing (`from_path`), requires `WARC-Date`
//! and `WARC-Record-ID` on every record, says nothing of where a damaged file went wrong, reads
//! gzip through `libflate` (a second deflate implementation beside `flate2`) and no Zstandard, and
//! brings `chrono`, `nom` 7, `url` and `uuid` 0.8. The format is small: a version line, header
//! lines up to a blank line, and a block of `Content-Length` bytes. It is parsed here with every
//! read bounded: a header by [`MAX_HEADER_BYTES`], a page by the 64 MiB an article may have, and
//! a record that is not kept is skipped as a stream, so a multi-gigabyte file takes no more
//! memory than its largest page.
//!
//! # Damage
//!
//! A file cut short or corrupt is read up to the damage, which is reported with its byte in the
//! file as stored; the records before it are kept, the run goes on. Pages are read in batches,
//! in parallel, and kept in the order of the file.

use std::io::{self, BufRead, BufReader, Read};

use rayon::prelude::*;
use stemma_graph::{Article, Diagnostic, Sourced};

use super::compress::{Counted, Damage, Decompressed};
use super::encoding::{self, Hints, charset_parameter};
use super::files::{MAX_FILE_BYTES, id_from_bytes};
use super::{MAX_LINE_DIAGNOSTICS, diagnostic};

/// A record header longer than this is damage, not a header.
pub(super) const MAX_HEADER_BYTES: u64 = 256 * 1024;

/// How much of a record's block is read to find its HTTP header before deciding whether the
/// record is a page.
const HTTP_HEAD_BYTES: u64 = 64 * 1024;

/// Pages held for one parallel batch at most, by count and by bytes.
const BATCH_PAGES: usize = 256;
const BATCH_BYTES: usize = 64 * 1024 * 1024;

/// A page read from a WARC file.
pub(super) struct WarcPage {
    /// The article, its id the record's target URI (control characters escaped).
    pub(super) article: Article,
    /// The target URI as the record gives it, for matching metadata by `url`.
    pub(super) uri: String,
    /// Where the record is, for messages (`record at byte 1234`).
    pub(super) place: String,
}

/// Why a record is not a page, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Skip {
    Request,
    Warcinfo,
    Metadata,
    Revisit,
    NotHtml,
    Redirect,
    ErrorStatus,
    Other,
}

impl Skip {
    const ALL: [Skip; 8] = [
        Skip::Request,
        Skip::Warcinfo,
        Skip::Metadata,
        Skip::Revisit,
        Skip::NotHtml,
        Skip::Redirect,
        Skip::ErrorStatus,
        Skip::Other,
    ];

    /// How the summary counts `n` of them.
    fn counted(self, n: usize) -> String {
        let (one, many) = match self {
            Skip::Request => ("request", "requests"),
            Skip::Warcinfo => ("warcinfo record", "warcinfo records"),
            Skip::Metadata => ("metadata record", "metadata records"),
            Skip::Revisit => (
                "revisit (a capture recorded as unchanged)",
                "revisits (captures recorded as unchanged)",
            ),
            Skip::NotHtml => (
                "non-HTML response (an image, script, style sheet, robots.txt, …)",
                "non-HTML responses (images, scripts, style sheets, robots.txt, …)",
            ),
            Skip::Redirect => ("redirect (3xx)", "redirects (3xx)"),
            Skip::ErrorStatus => ("error response (4xx, 5xx)", "error responses (4xx, 5xx)"),
            Skip::Other => (
                "other record (conversion, continuation, …)",
                "other records (conversion, continuation, …)",
            ),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// What became of one record.
enum Outcome {
    Page(Box<WarcPage>, Option<String>),
    Skipped(Skip),
    Failed(String),
}

/// Where a byte is: in the file as stored, or only known in the decompressed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Stored(u64),
    Decompressed(u64),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Stored(at) => write!(f, "byte {at}"),
            Place::Decompressed(at) => write!(f, "byte {at} of the decompressed data"),
        }
    }
}

/// A page's payload waiting for the parallel batch.
struct RawPage {
    uri: Vec<u8>,
    place: Place,
    http: Option<HttpHead>,
    /// The content type of a `resource` record (a payload without HTTP).
    resource_type: Option<String>,
    payload: Vec<u8>,
}

/// One record's header.
#[derive(Default)]
struct RecordHeader {
    kind: String,
    length: Option<u64>,
    uri: Option<Vec<u8>>,
    content_type: Option<String>,
    segmented: bool,
}

/// A WARC-level problem that ends the reading of a file.
struct Stop {
    at: Place,
    what: String,
    /// Where a record should start, something else does.
    not_a_record: bool,
}

/// Counts and messages of one file, and its pages read but not yet handed out.
struct Tally {
    shown: String,
    records: usize,
    pages: usize,
    skipped: [usize; Skip::ALL.len()],
    failed: usize,
    diagnostics: Vec<Diagnostic>,
    shown_messages: usize,
    unshown_messages: usize,
    ready: Vec<WarcPage>,
}

impl Tally {
    fn message(&mut self, message: String) {
        if self.shown_messages < MAX_LINE_DIAGNOSTICS {
            self.shown_messages += 1;
            self.diagnostics
                .push(diagnostic(&self.shown, None, message));
        } else {
            self.unshown_messages += 1;
        }
    }

    fn outcome(&mut self, outcome: Outcome, place: Place, uri: &str) {
        match outcome {
            Outcome::Page(page, note) => {
                if let Some(note) = note {
                    self.message(format!("record at {place} ({uri}): {note}"));
                }
                self.pages += 1;
                self.ready.push(*page);
            }
            Outcome::Skipped(skip) => self.skipped[skip as usize] += 1,
            Outcome::Failed(why) => {
                self.failed += 1;
                self.message(format!("record at {place} ({uri}): {why}; skipped"));
            }
        }
    }

    /// The summary of the file, unless every record was a page.
    fn summary(&self, damaged: bool) -> Option<String> {
        let pages = self.pages;
        if self.records == 0 {
            return (!damaged).then(|| "no WARC records in it; nothing read".to_owned());
        }
        if pages == self.records {
            return None;
        }
        let noun = if self.records == 1 {
            "record"
        } else {
            "records"
        };
        let page_noun = if pages == 1 { "page" } else { "pages" };
        let mut text = format!("{} {noun}: {pages} {page_noun} read", self.records);
        let skipped: Vec<String> = Skip::ALL
            .iter()
            .filter(|&&s| self.skipped[s as usize] > 0)
            .map(|&s| s.counted(self.skipped[s as usize]))
            .collect();
        if !skipped.is_empty() {
            text.push_str("; skipped ");
            text.push_str(&skipped.join(", "));
        }
        if self.failed > 0 {
            let noun = if self.failed == 1 { "page" } else { "pages" };
            text.push_str(&format!(
                "; {} {noun} could not be read (said above)",
                self.failed
            ));
        }
        Some(text)
    }
}

/// The pages of a WARC file, read a batch at a time: a file of any size takes the memory of one
/// batch. Never fails: problems are diagnostics, and damage ends the file with one.
pub(super) struct WarcPages<R: BufRead> {
    input: Input<R>,
    tally: Tally,
    /// Set when the records have ended, with the damage that ended them, if any.
    ended: Option<Option<Stop>>,
    done: bool,
}

impl<R: BufRead> WarcPages<R> {
    /// Reads `source`; `shown` names it in diagnostics.
    pub(super) fn new(source: Decompressed<R>, shown: &str) -> Self {
        Self {
            input: Counted::new(BufReader::with_capacity(64 * 1024, source)),
            tally: Tally {
                shown: shown.to_owned(),
                records: 0,
                pages: 0,
                skipped: [0; Skip::ALL.len()],
                failed: 0,
                diagnostics: Vec::new(),
                shown_messages: 0,
                unshown_messages: 0,
                ready: Vec::new(),
            },
            ended: None,
            done: false,
        }
    }

    /// The next batch of pages, in the order of the file, with the messages about the records
    /// read for it added to `diagnostics`; `None` once the file is read, after its closing
    /// messages (damage, the summary of records that are not pages) are given.
    pub(super) fn next_batch(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<WarcPage>> {
        if self.done {
            return None;
        }
        if let Some(stop) = self.ended.take() {
            self.finish(stop.as_ref());
            self.done = true;
            diagnostics.append(&mut self.tally.diagnostics);
            return None;
        }
        let mut batch: Vec<RawPage> = Vec::new();
        let mut batch_bytes = 0;
        while batch.len() < BATCH_PAGES && batch_bytes < BATCH_BYTES {
            match next_record(&mut self.input) {
                Ok(Some(Block::Page(page))) => {
                    self.tally.records += 1;
                    batch_bytes += page.payload.len();
                    batch.push(page);
                }
                Ok(Some(Block::Done(outcome, place, uri))) => {
                    self.tally.records += 1;
                    if matches!(outcome, Outcome::Failed(_)) {
                        // Its message comes after those of the pages before it.
                        run_batch(std::mem::take(&mut batch), &mut self.tally);
                        batch_bytes = 0;
                    }
                    self.tally.outcome(outcome, place, &uri);
                }
                Ok(None) => {
                    self.ended = Some(None);
                    break;
                }
                Err(s) => {
                    self.ended = Some(Some(s));
                    break;
                }
            }
        }
        run_batch(batch, &mut self.tally);
        diagnostics.append(&mut self.tally.diagnostics);
        Some(std::mem::take(&mut self.tally.ready))
    }

    /// The closing messages of the file.
    fn finish(&mut self, stop: Option<&Stop>) {
        let tally = &mut self.tally;
        if tally.unshown_messages > 0 {
            let more = format!(
                "{} more messages about its records not shown",
                tally.unshown_messages
            );
            tally.diagnostics.push(diagnostic(&tally.shown, None, more));
        }
        if let Some(stop) = stop {
            let message = if stop.not_a_record && tally.records == 0 && stop.at == Place::Stored(0)
            {
                format!("not a WARC file: {}; skipped", stop.what)
            } else {
                format!(
                    "damaged at {} ({}); the records from there on are not read",
                    stop.at, stop.what
                )
            };
            tally
                .diagnostics
                .push(diagnostic(&tally.shown, None, message));
        }
        if let Some(summary) = tally.summary(stop.is_some()) {
            tally
                .diagnostics
                .push(diagnostic(&tally.shown, None, summary));
        }
    }
}

type Input<R> = Counted<BufReader<Decompressed<R>>>;

/// Where the decompressed byte `at` is, as precisely as is known.
fn place_of<R: BufRead>(input: &mut Input<R>, at: u64) -> Place {
    match input.get_mut().get_mut().stored_offset(at) {
        Some(stored) => Place::Stored(stored),
        None => Place::Decompressed(at),
    }
}

/// The stop an I/O error while reading means: decompression damage at its own byte, anything
/// else at the record's.
fn stop_of(e: &io::Error, record: Place) -> Stop {
    match Damage::of(e) {
        Some(damage) => Stop {
            not_a_record: false,
            at: Place::Stored(damage.at),
            what: format!("{}; the record at {record} is lost with it", damage.what),
        },
        None => Stop {
            not_a_record: false,
            at: record,
            what: format!("cannot read: {e}"),
        },
    }
}

/// Reads one record: `None` at the end of the file.
fn next_record<R: BufRead>(input: &mut Input<R>) -> Result<Option<Block>, Stop> {
    // Records end with two line ends; some writers add more or fewer.
    loop {
        let here = input.taken();
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let place = place_of(input, here);
                return Err(stop_of(&e, place));
            }
        };
        if buf.is_empty() {
            return Ok(None);
        }
        let blank = buf
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        if blank == 0 {
            break;
        }
        input.consume(blank);
    }
    let start = input.taken();
    let place = place_of(input, start);
    let header = read_header(input, place)?;
    let Some(length) = header.length else {
        return Err(Stop {
            not_a_record: false,
            at: place,
            what: "a WARC record header without a valid Content-Length".to_owned(),
        });
    };
    let uri = header.uri.clone().unwrap_or_default();
    let shown_uri = id_from_bytes(&uri);
    let mut block = (&mut *input).take(length);
    let result = read_block(&mut block, &header, length, place);
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => return Err(stop_of(&e, place)),
    };
    // Whatever was not read of the block is skipped as a stream.
    let rest = io::copy(&mut block, &mut io::sink()).map_err(|e| stop_of(&e, place))?;
    let _ = rest;
    if block.limit() > 0 {
        return Err(Stop {
            not_a_record: false,
            at: place,
            what: format!(
                "the file ends inside the record that starts there, after {} of its {length} bytes",
                length - block.limit()
            ),
        });
    }
    Ok(Some(match outcome {
        Block::Page(mut page) => {
            page.uri = uri;
            page.place = place;
            Block::Page(page)
        }
        Block::Done(outcome, _, _) => Block::Done(outcome, place, shown_uri),
    }))
}

/// What a record's block gave.
enum Block {
    /// A page to read (its `uri` and `place` are set by the caller).
    Page(RawPage),
    /// Anything else, settled: where the record is and its URI as shown are set by the caller.
    Done(Outcome, Place, String),
}

/// A settled outcome, its place and URI to be set by the caller.
fn settled(outcome: Outcome) -> Block {
    Block::Done(outcome, Place::Stored(0), String::new())
}

/// Reads a record's block as far as it is needed; the caller skips the rest.
fn read_block(
    block: &mut impl Read,
    header: &RecordHeader,
    length: u64,
    place: Place,
) -> io::Result<Block> {
    let skip = |s| Ok(settled(Outcome::Skipped(s)));
    let http = match header.kind.as_str() {
        "response" => true,
        "resource" => false,
        "request" => return skip(Skip::Request),
        "warcinfo" => return skip(Skip::Warcinfo),
        "metadata" => return skip(Skip::Metadata),
        "revisit" => return skip(Skip::Revisit),
        _ => return skip(Skip::Other),
    };
    if header.segmented {
        return Ok(settled(Outcome::Failed(
            "a record split into segments (WARC-Segment-Number), which stemma does not join"
                .to_owned(),
        )));
    }
    if header.uri.is_none() {
        return Ok(settled(Outcome::Failed(
            "a record without a WARC-Target-URI".to_owned(),
        )));
    }
    let block_type = header.content_type.as_deref().unwrap_or("");
    let mut head = Vec::new();
    block.take(HTTP_HEAD_BYTES).read_to_end(&mut head)?;
    // A response record holds an HTTP response when it says so, or when it starts like one (a
    // record without a Content-Type); DNS and other protocols' responses hold their own data.
    let is_http = http
        && (media_type(block_type) == "application/http"
            || (block_type.is_empty() && head.starts_with(b"HTTP/")));
    let (http_head, body_start, content_type) = if is_http {
        match parse_http_head(&head) {
            Ok((h, at)) => {
                let content_type = h.content_type.clone();
                (Some(h), at, content_type)
            }
            Err(why) => return Ok(settled(Outcome::Failed(why))),
        }
    } else {
        (None, 0, header.content_type.clone())
    };
    if let Some(h) = &http_head {
        match h.status {
            200..=299 => {}
            300..=399 => return skip(Skip::Redirect),
            _ => return skip(Skip::ErrorStatus),
        }
    }
    match content_type.as_deref().map(media_type).as_deref() {
        Some("text/html" | "application/xhtml+xml") => {}
        Some(t) if !unknown_type(t) => return skip(Skip::NotHtml),
        // Sniffed once decoded (see `decode_payload`).
        _ => {}
    }
    if length > MAX_FILE_BYTES {
        return Ok(settled(Outcome::Failed(format!(
            "a record of {length} bytes, more than the {} MiB a page may have",
            MAX_FILE_BYTES / (1024 * 1024)
        ))));
    }
    let mut payload = head.split_off(body_start.min(head.len()));
    block.read_to_end(&mut payload)?;
    Ok(Block::Page(RawPage {
        uri: Vec::new(),
        place,
        http: http_head,
        resource_type: if is_http { None } else { content_type },
        payload,
    }))
}

/// Whether a media type says nothing about the content, so that it is sniffed.
fn unknown_type(media_type: &str) -> bool {
    matches!(
        media_type,
        "" | "unknown/unknown" | "application/unknown" | "*/*"
    )
}

/// A `Content-Type`'s media type, lowercased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads a record header (version line to blank line), bounded by [`MAX_HEADER_BYTES`].
fn read_header<R: BufRead>(input: &mut Input<R>, place: Place) -> Result<RecordHeader, Stop> {
    let stop = |what: String| Stop {
        at: place,
        what,
        not_a_record: false,
    };
    let mut budget = MAX_HEADER_BYTES;
    let mut lines: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = (&mut *input)
            .take(budget + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| stop_of(&e, place))?;
        if n as u64 > budget {
            return Err(stop(format!(
                "a WARC record header longer than {} KiB",
                MAX_HEADER_BYTES / 1024
            )));
        }
        budget -= n as u64;
        if n == 0 || line.last() != Some(&b'\n') {
            return Err(stop("the file ends inside a WARC record header".to_owned()));
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if lines.is_empty() {
            if !line.starts_with(b"WARC/") {
                let start: String = String::from_utf8_lossy(&line).chars().take(24).collect();
                return Err(Stop {
                    not_a_record: true,
                    ..stop(format!(
                        "it starts {start:?}, not \"WARC/1.0\" or \"WARC/1.1\""
                    ))
                });
            }
            lines.push(line);
            continue;
        }
        if line.is_empty() {
            break;
        }
        let folded = lines.len() > 1 && matches!(line.first(), Some(b' ' | b'\t'));
        match lines.last_mut() {
            // A folded line continues the field before it.
            Some(previous) if folded => {
                previous.push(b' ');
                previous.extend_from_slice(line.trim_ascii());
            }
            _ => lines.push(line),
        }
    }
    let mut header = RecordHeader::default();
    for line in &lines[1..] {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = String::from_utf8_lossy(&line[..colon])
            .trim()
            .to_ascii_lowercase();
        let value = line[colon + 1..].trim_ascii();
        let text = || String::from_utf8_lossy(value).into_owned();
        match name.as_str() {
            "warc-type" => header.kind = text().to_ascii_lowercase(),
            "content-length" => header.length = text().parse().ok(),
            "warc-target-uri" => {
                // WARC/1.1's grammar put the URI in angle brackets; writers that followed it exist.
                let uri = value
                    .strip_prefix(b"<")
                    .and_then(|v| v.strip_suffix(b">"))
                    .unwrap_or(value);
                header.uri = (!uri.is_empty()).then(|| uri.to_vec());
            }
            "content-type" => header.content_type = Some(text()),
            "warc-segment-number" => header.segmented = text() != "1" || header.segmented,
            "warc-segment-origin-id" => header.segmented = true,
            _ => {}
        }
    }
    // The first segment of a segmented record says so by its number; later ones by their origin.
    if header.kind == "continuation" {
        header.segmented = false;
    }
    Ok(header)
}

/// An HTTP response's status line and the headers that matter here.
#[derive(Debug, Default, PartialEq, Eq)]
struct HttpHead {
    status: u16,
    content_type: Option<String>,
    chunked: bool,
    /// Content codings in the order they were applied.
    encodings: Vec<String>,
}

/// Parses an HTTP response head; returns it and where the body starts. Interim (1xx) responses
/// before the final one are passed over.
fn parse_http_head(bytes: &[u8]) -> Result<(HttpHead, usize), String> {
    let mut from = 0;
    loop {
        let rest = &bytes[from..];
        let end = header_end(rest).ok_or_else(|| {
            format!(
                "its HTTP header does not end within {} KiB",
                HTTP_HEAD_BYTES / 1024
            )
        })?;
        let text = String::from_utf8_lossy(&rest[..end.0]);
        let mut lines = text.lines();
        let status_line = lines.next().unwrap_or("");
        let status = status_line
            .strip_prefix("HTTP/")
            .and_then(|s| s.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| {
                let start: String = status_line.chars().take(24).collect();
                format!("not an HTTP response: it starts {start:?}")
            })?;
        if (100..200).contains(&status) && status != 101 {
            from += end.1;
            continue;
        }
        let mut head = HttpHead {
            status,
            ..HttpHead::default()
        };
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if let Some((name, value)) = line.split_once(':') {
                fields.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        for (name, value) in fields {
            match name.as_str() {
                "content-type" if head.content_type.is_none() => head.content_type = Some(value),
                "transfer-encoding" => {
                    head.chunked |= value
                        .split(',')
                        .any(|t| t.trim().eq_ignore_ascii_case("chunked"));
                }
                "content-encoding" => head.encodings.extend(
                    value
                        .split(',')
                        .map(|t| t.trim().to_ascii_lowercase())
                        .filter(|t| !t.is_empty() && t != "identity"),
                ),
                _ => {}
            }
        }
        return Ok((head, from + end.1));
    }
}

/// Where an HTTP header ends: (end of the last header line, start of the body).
fn header_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4));
    let lf = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|p| (p, p + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Undoes chunked transfer-encoding; `None` when the body is not chunked after all (a tool that
/// stored it decoded but kept the header). A body cut short keeps the chunks it has.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    loop {
        let Some(eol) = body[i..].iter().position(|&b| b == b'\n').map(|p| i + p) else {
            return (i > 0).then_some(out);
        };
        let line = String::from_utf8_lossy(&body[i..eol]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = match usize::from_str_radix(size_text, 16) {
            Ok(size) if !size_text.is_empty() && size_text.len() <= 16 => size,
            _ => return (i > 0).then_some(out),
        };
        i = eol + 1;
        if size == 0 {
            return Some(out);
        }
        let end = i.saturating_add(size).min(body.len());
        out.extend_from_slice(&body[i..end]);
        if end < i.saturating_add(size) {
            return Some(out);
        }
        i = end;
        if body[i..].starts_with(b"\r\n") {
            i += 2;
        } else if body[i..].starts_with(b"\n") {
            i += 1;
        }
    }
}

/// Whether bytes start as markup does (after white space).
fn starts_like_markup(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// Whether bytes sniff as HTML, as browsers sniff a response without a type (WHATWG MIME
/// Sniffing: a tag that only HTML has, first after white space).
fn sniffs_as_html(bytes: &[u8]) -> bool {
    const TAGS: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    TAGS.iter().any(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && (tag == b"<!--" || matches!(rest[tag.len()], b' ' | b'>'))
    })
}

/// Decompresses one content coding of a payload, bounded by [`MAX_FILE_BYTES`]; `Ok(None)` when
/// the payload is not in that coding (stored decoded).
fn decode_coding(coding: &str, body: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let bounded = |mut reader: Box<dyn Read + '_>| -> Result<Option<Vec<u8>>, String> {
        let mut out = Vec::new();
        let result = (&mut reader).take(MAX_FILE_BYTES + 1).read_to_end(&mut out);
        if out.len() as u64 > MAX_FILE_BYTES {
            return Err(format!(
                "its {coding} content decompresses to more than the {} MiB a page may have",
                MAX_FILE_BYTES / (1024 * 1024)
            ));
        }
        match result {
            Ok(_) => Ok(Some(out)),
            // A download cut short keeps what it has.
            Err(_) if !out.is_empty() => Ok(Some(out)),
            Err(e) => Err(format!("its {coding} content cannot be decompressed: {e}")),
        }
    };
    match coding {
        "gzip" | "x-gzip" | "zstd" => {
            let format = super::compress::Format::sniff(body);
            if format == super::compress::Format::Plain {
                return Ok(None);
            }
            let reader = Decompressed::new(body)
                .map_err(|e| format!("cannot read its content: {e}"))?
                .without_bomb_guard();
            bounded(Box::new(reader))
        }
        "deflate" => {
            // "deflate" is zlib by the standard and raw deflate by some servers.
            if starts_like_markup(body) {
                return Ok(None);
            }
            let zlib = body.first().is_some_and(|&b| b & 0x0F == 8)
                && body.len() > 1
                && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
            if zlib {
                bounded(Box::new(flate2::bufread::ZlibDecoder::new(body)))
            } else {
                bounded(Box::new(flate2::bufread::DeflateDecoder::new(body)))
            }
        }
        "br" if !starts_like_markup(body) => {
            Err("its content is compressed with Brotli (br), which stemma does not read".to_owned())
        }
        _ if starts_like_markup(body) => Ok(None),
        other => Err(format!("its content has an unknown encoding {other:?}")),
    }
}

/// Turns a page's payload into an article, or says why not.
fn read_page(raw: RawPage) -> Outcome {
    let RawPage {
        uri,
        place,
        http,
        resource_type,
        payload,
    } = raw;
    let mut body = payload;
    let content_type = match &http {
        Some(head) => {
            if head.chunked {
                if let Some(dechunked) = dechunk(&body) {
                    body = dechunked;
                }
            }
            for coding in head.encodings.iter().rev() {
                match decode_coding(coding, &body) {
                    Ok(Some(decoded)) => body = decoded,
                    Ok(None) => {}
                    Err(why) => return Outcome::Failed(why),
                }
            }
            head.content_type.clone()
        }
        None => resource_type,
    };
    let declared_html = content_type
        .as_deref()
        .map(media_type)
        .is_some_and(|t| !unknown_type(&t));
    if !declared_html && !sniffs_as_html(&body) {
        return Outcome::Skipped(Skip::NotHtml);
    }
    let charset = content_type.as_deref().and_then(charset_parameter);
    let decoded = match encoding::decode(
        body,
        Hints {
            html: true,
            http_charset: charset,
        },
    ) {
        Ok(decoded) => decoded,
        Err(problem) => return Outcome::Failed(problem.to_string()),
    };
    let id = id_from_bytes(&uri);
    let uri = String::from_utf8_lossy(&uri).into_owned();
    match super::page_article(id, &decoded.text) {
        Ok(mut article) => {
            if article.url.is_none() {
                article.url = Some(Sourced::page(uri.clone()));
            }
            let page = WarcPage {
                article,
                uri,
                place: format!("record at {place}"),
            };
            Outcome::Page(Box::new(page), decoded.note)
        }
        Err(why) => Outcome::Failed(why),
    }
}

/// Reads a batch of pages in parallel and tallies them in file order.
fn run_batch(batch: Vec<RawPage>, tally: &mut Tally) {
    let read: Vec<(Place, String, Outcome)> = batch
        .into_par_iter()
        .map(|raw| {
            let place = raw.place;
            let uri = id_from_bytes(&raw.uri);
            (place, uri, read_page(raw))
        })
        .collect();
    for (place, uri, outcome) in read {
        tally.outcome(outcome, place, &uri);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_heads() {
        let input = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n \
                      charset=utf-8\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip, br\r\n\r\nbody";
        let (head, at) = parse_http_head(input).unwrap();
        assert_eq!(
            head,
            HttpHead {
                status: 200,
                content_type: Some("text/html; charset=utf-8".into()),
                chunked: true,
                encodings: vec!["gzip".into(), "br".into()],
            }
        );
        assert_eq!(&input[at..], b"body");
        assert!(parse_http_head(b"HTTP/1.0 301 Moved\n\n").is_ok_and(|(h, _)| h.status == 301));
        assert!(parse_http_head(b"ICY 200 OK\r\n\r\n").is_err());
        assert!(parse_http_head(b"HTTP/1.1 200 OK\r\nno end").is_err());
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n").as_deref(),
            Some(&b"hello, world"[..])
        );
        // Cut short: what there is.
        assert_eq!(dechunk(b"5\r\nhel").as_deref(), Some(&b"hel"[..]));
        // Not chunked after all.
        assert_eq!(dechunk(b"<html>"), None);
        assert_eq!(dechunk(b"ffffffffffffffffff\r\n"), None);
    }

    #[test]
    fn sniffing() {
        assert!(sniffs_as_html(b"\n  <!DOCTYPE html><html>"));
        assert!(sniffs_as_html(b"<P>text"));
        assert!(sniffs_as_html(b"<!-- x --><p>"));
        assert!(!sniffs_as_html(b"<?xml version='1.0'?><rss>"));
        assert!(!sniffs_as_html(b"\x89PNG"));
        assert!(!sniffs_as_html(b"<bogus>"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    /// Pieces of WARC records, HTTP heads and payloads, cut and joined at random: the reader
    /// must say what is wrong, never panic or loop.
    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"WARC/1.1\r\n".to_vec()),
            Just(b"WARC/1.0\r\n".to_vec()),
            Just(b"WARC-Type: response\r\n".to_vec()),
            Just(b"WARC-Type: resource\r\n".to_vec()),
            Just(b"WARC-Type: request\r\n".to_vec()),
            Just(b"WARC-Target-URI: <https://x.example/a>\r\n".to_vec()),
            Just(b"Content-Type: application/http; msgtype=response\r\n".to_vec()),
            Just(b"WARC-Segment-Number: 2\r\n".to_vec()),
            (0u64..400).prop_map(|n| format!("Content-Length: {n}\r\n").into_bytes()),
            Just(b"Content-Length: 99999999999999999999\r\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b" folded\r\n".to_vec()),
            Just(b"HTTP/1.1 200 OK\r\n".to_vec()),
            Just(b"HTTP/1.1 100 Continue\r\n\r\n".to_vec()),
            Just(b"Content-Type: text/html; charset=shift_jis\r\n".to_vec()),
            Just(b"Transfer-Encoding: chunked\r\n".to_vec()),
            Just(b"Content-Encoding: gzip, deflate, br, zstd\r\n".to_vec()),
            Just(b"5\r\nhello\r\n0\r\n\r\n".to_vec()),
            Just(b"fffffffffff\r\n".to_vec()),
            Just(b"<html><body><p>Some words of a story, long enough.</p></body></html>".to_vec()),
            Just(vec![0x1F, 0x8B, 0x08, 0x00]),
            Just(vec![0x28, 0xB5, 0x2F, 0xFD]),
            Just(b"<meta charset=utf-16>\xff\xfe\x81".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..16),
        ]
    }

    proptest! {
        #[test]
        fn reading_never_panics(parts in proptest::collection::vec(piece(), 0..40), gzip in any::<bool>()) {
            let mut bytes: Vec<u8> = parts.concat();
            if gzip {
                use std::io::Write;
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&bytes).unwrap();
                bytes = e.finish().unwrap();
                let cut = bytes.len() * 3 / 4;
                bytes.truncate(cut);
            }
            let source = super::Decompressed::new(&bytes[..]).unwrap();
            let mut reader = super::WarcPages::new(source, "fuzz.warc");
            let (mut pages, mut diagnostics) = (Vec::new(), Vec::new());
            while let Some(batch) = reader.next_batch(&mut diagnostics) {
                pages.extend(batch);
            }
            prop_assert!(diagnostics.iter().all(|d| d.source == "fuzz.warc"));
            prop_assert!(pages.iter().all(|p| !p.article.text.is_empty()));
        }
    }
}
