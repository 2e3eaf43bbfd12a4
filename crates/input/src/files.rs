//! Files and folders: kinds by extension, ids, sorted listings, and reading a
//! file as text with the checks that turn bad files into one clear problem.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::compress::{Damage, Decompressed, Format};
use super::encoding::{self, Decoded, Hints};

/// What a file is read as, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    /// Plain text or Markdown, read as is.
    Text,
    /// A web page.
    Html,
    /// One JSON article per line.
    Jsonl,
    /// A web archive: one article per HTML page captured.
    Warc,
    /// A folder's `meta.jsonl`.
    Meta,
    /// Anything else: skipped in folders, read as text when named explicitly.
    Other,
}

/// Extensions of compressed files, looked through to find what is compressed (`a.txt.gz` is text).
const COMPRESSED_EXTENSIONS: [&str; 3] = ["gz", "zst", "zstd"];

/// The metadata file of a folder, plain or compressed, in the order they are looked for.
pub(super) const META_NAMES: [&str; 3] = ["meta.jsonl", "meta.jsonl.gz", "meta.jsonl.zst"];

/// A file name without a compression extension (`a.warc.gz` → `a.warc`).
fn uncompressed_name(path: &Path) -> Option<&std::ffi::OsStr> {
    let name = path.file_name()?;
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext {
        Some(ext) if COMPRESSED_EXTENSIONS.contains(&ext.as_str()) => Path::new(name).file_stem(),
        _ => Some(name),
    }
}

/// The kind of a file by its name (extensions compared without case; a compression extension
/// is looked through: `crawl.warc.gz` is a WARC file, `a.txt.zst` a text).
pub(super) fn kind_of(path: &Path) -> FileKind {
    let Some(name) = uncompressed_name(path) else {
        return FileKind::Other;
    };
    if name == "meta.jsonl" {
        return FileKind::Meta;
    }
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "text" | "md" | "markdown" => FileKind::Text,
        "html" | "htm" | "xhtml" => FileKind::Html,
        "jsonl" | "ndjson" => FileKind::Jsonl,
        "warc" => FileKind::Warc,
        _ => FileKind::Other,
    }
}

/// The id of a file's article: its name without the last extension (and without a compression
/// extension before it: `a.txt.gz` is `a`). Bytes of a name that are not UTF-8 are written `\xNN`
/// (two such names never share an id) and control characters escaped ([`clean_id`]).
pub(super) fn id_of(path: &Path) -> String {
    let name = uncompressed_name(path).map(Path::new);
    let Some(stem) = name.and_then(|n| n.file_stem().or_else(|| n.file_name())) else {
        return clean_id(&path.display().to_string()).into_owned();
    };
    id_from_bytes(stem.as_encoded_bytes())
}

/// An id from bytes that may not be UTF-8: bad bytes written `\xNN`, control characters escaped.
pub(super) fn id_from_bytes(bytes: &[u8]) -> String {
    let mut id = String::new();
    for chunk in bytes.utf8_chunks() {
        id.push_str(chunk.valid());
        for byte in chunk.invalid() {
            id.push_str(&format!("\\x{byte:02X}"));
        }
    }
    clean_id(&id).into_owned()
}

/// An id with its control characters (a line feed, an escape) written as escapes (`\n`,
/// `\u{1b}`): an id is shown on its own line in reports and terminals, where they would forge lines
/// or drive the terminal.
pub(super) fn clean_id(id: &str) -> Cow<'_, str> {
    escape_controls(id)
}

/// `text` with every control character written as its escape (`\n`, `\u{1b}`), for a line of a
/// terminal or a report that must stay one line and must not drive the terminal.
///
/// ```
/// assert_eq!(stemma_input::escape_controls("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
/// assert_eq!(stemma_input::escape_controls("plain"), "plain");
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a file found in a folder is documentation about the folder
/// (`README*`, `LICENSE*`, `LICENCE*`, any case) rather than an article; such
/// files are read only when named explicitly.
pub(super) fn is_folder_doc(path: &Path) -> bool {
    let stem = id_of(path).to_ascii_lowercase();
    ["readme", "license", "licence"].iter().any(|doc| {
        stem == *doc || stem.starts_with(&format!("{doc}-")) || stem.starts_with(&format!("{doc}_"))
    })
}

/// The entries of a folder, hidden ones (`.name`) left out, sorted by name.
pub(super) fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if name.as_encoded_bytes().first() != Some(&b'.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names.into_iter().map(|n| dir.join(n)).collect())
}

/// A short, stable description of an I/O error, without the OS error number.
pub(super) fn describe_io_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "not found".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "is a folder, expected a file".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}

/// Files larger than this are not news articles; they are refused rather than loaded. The same
/// bound holds for what a compressed file decompresses to, and for a WARC record.
pub(super) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How much of a file's start is looked at to decide whether it is binary.
const SNIFF_BYTES: usize = 8 * 1024;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ReadProblem {
    /// Opening or reading failed.
    Io(String),
    /// Over [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// Decompresses to more than [`MAX_FILE_BYTES`].
    ExpandsTooMuch,
    /// Compressed data that cannot be decompressed (a [`Damage`] said as a sentence).
    Damaged(String),
    /// A NUL byte or mostly control bytes at its start.
    Binary,
    /// Starts with a UTF-16 byte-order mark but is not valid UTF-16 from this line on.
    InvalidUtf16 {
        /// 1-based line of the first bad unit.
        line: usize,
        /// 0-based byte offset of (about) the first bad unit.
        offset: usize,
    },
    /// No bytes at all.
    Empty,
    /// Only whitespace.
    Blank,
}

impl ReadProblem {
    /// The line a problem is at, if it has one.
    pub(super) fn line(&self) -> Option<usize> {
        match self {
            ReadProblem::InvalidUtf16 { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The problem an I/O error while reading is.
    pub(super) fn of_io(e: &io::Error) -> ReadProblem {
        match Damage::of(e) {
            Some(damage) => ReadProblem::Damaged(damage.to_string()),
            None => ReadProblem::Io(describe_io_error(e)),
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::Io(e) | ReadProblem::Damaged(e) => f.write_str(e),
            ReadProblem::TooLarge(n) => write!(
                f,
                "{} MiB is larger than the {} MiB an article may have",
                n / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadProblem::ExpandsTooMuch => write!(
                f,
                "decompresses to more than the {} MiB an article may have",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadProblem::Binary => f.write_str("binary data, not text"),
            ReadProblem::InvalidUtf16 { offset, .. } => write!(
                f,
                "a UTF-16 file (it starts with a byte-order mark) that is not valid UTF-16 \
                 (near byte {offset})"
            ),
            ReadProblem::Empty => f.write_str("empty file"),
            ReadProblem::Blank => f.write_str("contains only whitespace"),
        }
    }
}

/// Whether the start of a file looks binary: a NUL byte, or more than one
/// byte in ten a control character other than tab, newline, carriage
/// return and form feed.
pub(super) fn looks_binary(start: &[u8]) -> bool {
    let sample = &start[..start.len().min(SNIFF_BYTES)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    control * 10 > sample.len()
}

/// Opens a file, decompressing it if it is compressed.
pub(super) fn open(path: &Path) -> Result<Decompressed<BufReader<File>>, ReadProblem> {
    let file = File::open(path).map_err(|e| ReadProblem::Io(describe_io_error(&e)))?;
    Decompressed::new(BufReader::new(file)).map_err(|e| ReadProblem::of_io(&e))
}

/// Reads a whole file (decompressed) as text in whatever encoding it has ([`encoding::decode`];
/// an HTML page's `<meta charset>` counts when `html`), refusing missing, huge, binary, empty and
/// whitespace-only files.
pub(super) fn read_text_file(path: &Path, html: bool) -> Result<Decoded, ReadProblem> {
    let reader = open(path)?;
    let compressed = reader.format() != Format::Plain;
    let mut bytes = Vec::new();
    // The read is bounded here, so the expansion ratio needs no watching.
    reader
        .without_bomb_guard()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadProblem::of_io(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        if compressed {
            return Err(ReadProblem::ExpandsTooMuch);
        }
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(ReadProblem::TooLarge(size));
    }
    encoding::decode(
        bytes,
        Hints {
            html,
            http_charset: None,
        },
    )
}

/// A file that starts with a UTF-16 byte-order mark (as Windows tools write "Unicode" text), decoded;
/// `None` for any other file.
pub(super) fn decode_utf16(bytes: &[u8]) -> Option<Result<String, ReadProblem>> {
    let little = match bytes.get(..2)? {
        [0xFF, 0xFE] => true,
        [0xFE, 0xFF] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|pair| match *pair {
        [x, y] if little => u16::from_le_bytes([x, y]),
        [x, y] => u16::from_be_bytes([x, y]),
        // An odd byte at the end: a unit no decoder accepts, reported as invalid below.
        _ => 0xDC00,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for (k, unit) in char::decode_utf16(units).enumerate() {
        match unit {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                text.push(c);
            }
            Err(_) => {
                return Some(Err(ReadProblem::InvalidUtf16 {
                    line,
                    offset: 2 + 2 * k,
                }));
            }
        }
    }
    Some(Ok(text))
}

/// Opens a JSONL file (decompressed) for reading line by line, refusing it if it looks binary.
pub(super) fn open_jsonl(path: &Path) -> Result<Box<dyn BufRead>, ReadProblem> {
    Ok(Box::new(sniffed(open(path)?)?))
}

/// A buffered reader over `reader` (decompressed if it is compressed), refused if its start looks
/// binary.
pub(super) fn sniffed<R: Read>(reader: R) -> Result<impl BufRead, ReadProblem> {
    let mut reader =
        Decompressed::new(BufReader::new(reader)).map_err(|e| ReadProblem::of_io(&e))?;
    let mut start = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut start)
        .map_err(|e| ReadProblem::of_io(&e))?;
    if looks_binary(&start) {
        return Err(ReadProblem::Binary);
    }
    Ok(BufReader::new(io::Cursor::new(start).chain(reader)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_ids() {
        assert_eq!(kind_of(Path::new("a/b.TXT")), FileKind::Text);
        assert_eq!(kind_of(Path::new("b.md")), FileKind::Text);
        assert_eq!(kind_of(Path::new("b.htm")), FileKind::Html);
        assert_eq!(kind_of(Path::new("x/meta.jsonl")), FileKind::Meta);
        assert_eq!(kind_of(Path::new("x/more.jsonl")), FileKind::Jsonl);
        assert_eq!(kind_of(Path::new("x/img.png")), FileKind::Other);
        assert_eq!(kind_of(Path::new("README")), FileKind::Other);
        assert_eq!(id_of(Path::new("dir/000_1cdc.txt")), "000_1cdc");
        assert_eq!(id_of(Path::new("dir/a.b.html")), "a.b");
        assert_eq!(id_of(Path::new("README")), "README");
        assert_eq!(id_of(Path::new("dir/two\nlines.txt")), "two\\nlines");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_distinct_ids() {
        use std::os::unix::ffi::OsStrExt;
        let latin1 = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
        let other = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe8.txt"));
        assert_eq!(id_of(latin1), "caf\\xE9");
        assert_ne!(id_of(latin1), id_of(other));
        assert!(is_folder_doc(Path::new("x/README.md")));
        assert!(is_folder_doc(Path::new("x/LICENSE-MIT.txt")));
        assert!(!is_folder_doc(Path::new("x/readmeat.txt")));
    }

    #[test]
    fn binary_sniffing() {
        assert!(looks_binary(b"abc\0def"));
        assert!(looks_binary(&[1u8, 2, 3, 4, 5, b'a']));
        assert!(!looks_binary(
            "plain text\twith tabs\r\nand lines\u{c}".as_bytes()
        ));
        assert!(!looks_binary("ünïcödé — text".as_bytes()));
        assert!(!looks_binary(b""));
    }

    /// The text of `bytes` read as a text file is, if it is read.
    fn decode_text(bytes: Vec<u8>) -> Result<String, ReadProblem> {
        encoding::decode(bytes, Hints::default()).map(|d| d.text)
    }

    #[test]
    fn decoding() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_owned()));
        assert_eq!(decode_text(Vec::new()), Err(ReadProblem::Empty));
        assert_eq!(decode_text(b" \n\t\n".to_vec()), Err(ReadProblem::Blank));
        assert_eq!(
            decode_text(b"ok\nline two \xE9t\xE9\n".to_vec()),
            Ok("ok\nline two été\n".to_owned())
        );
    }

    #[test]
    fn compressed_names_are_looked_through() {
        assert_eq!(kind_of(Path::new("a/crawl.warc.gz")), FileKind::Warc);
        assert_eq!(kind_of(Path::new("crawl.WARC")), FileKind::Warc);
        assert_eq!(kind_of(Path::new("a.txt.zst")), FileKind::Text);
        assert_eq!(kind_of(Path::new("x/meta.jsonl.gz")), FileKind::Meta);
        assert_eq!(kind_of(Path::new("x/lines.ndjson.gz")), FileKind::Jsonl);
        assert_eq!(kind_of(Path::new("x/photo.png.gz")), FileKind::Other);
        assert_eq!(kind_of(Path::new("x/plain.gz")), FileKind::Other);
        assert_eq!(id_of(Path::new("dir/wire.txt.gz")), "wire");
        assert_eq!(id_of(Path::new("dir/page.html")), "page");
        assert_eq!(id_of(Path::new("dir/notes.gz")), "notes");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "Mill shuts\nForty jobs gone — “sad day”.";
        let little: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let big: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(little), Ok(text.to_owned()));
        assert_eq!(decode_text(big), Ok(text.to_owned()));
        // A lone surrogate on the second line.
        let broken: Vec<u8> = [0xFF, 0xFE, b'a', 0, b'\n', 0, 0x00, 0xD8, b'b', 0].to_vec();
        assert_eq!(
            decode_text(broken),
            Err(ReadProblem::InvalidUtf16 { line: 2, offset: 6 })
        );
    }

    #[test]
    fn text_padded_with_nul_bytes_is_binary() {
        let mut bytes = "A real sentence of text. ".repeat(1000).into_bytes();
        bytes.extend(std::iter::repeat_n(0u8, 100_000));
        assert_eq!(decode_text(bytes), Err(ReadProblem::Binary));
    }
}
