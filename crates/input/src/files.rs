//! Files and folders: kinds by extension, ids, sorted listings, and reading a
//! file as text with the checks that turn bad files into one clear problem.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What a file is read as, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    /// Plain text or Markdown, read as is.
    Text,
    /// A web page.
    Html,
    /// One JSON article per line.
    Jsonl,
    /// A folder's `meta.jsonl`.
    Meta,
    /// Anything else: skipped in folders, read as text when named explicitly.
    Other,
}

/// The kind of a file by its name (extensions compared without case).
pub(super) fn kind_of(path: &Path) -> FileKind {
    if path.file_name().is_some_and(|n| n == "meta.jsonl") {
        return FileKind::Meta;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "text" | "md" | "markdown" => FileKind::Text,
        "html" | "htm" | "xhtml" => FileKind::Html,
        "jsonl" | "ndjson" => FileKind::Jsonl,
        _ => FileKind::Other,
    }
}

/// The id of a file's article: its name without the last extension. Bytes of a name that are not
/// UTF-8 are written `\xNN` (two such names never share an id) and control characters escaped
/// ([`clean_id`]).
pub(super) fn id_of(path: &Path) -> String {
    let Some(stem) = path.file_stem().or_else(|| path.file_name()) else {
        return clean_id(&path.display().to_string()).into_owned();
    };
    let mut id = String::new();
    for chunk in stem.as_encoded_bytes().utf8_chunks() {
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

/// Files larger than this are not news articles; they are refused rather than loaded.
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
    /// A NUL byte or mostly control bytes at its start.
    Binary,
    /// Not UTF-8 from this line on.
    InvalidUtf8 {
        /// 1-based line of the first bad byte.
        line: usize,
        /// 0-based byte offset of the first bad byte.
        offset: usize,
    },
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
            ReadProblem::InvalidUtf8 { line, .. } | ReadProblem::InvalidUtf16 { line, .. } => {
                Some(*line)
            }
            _ => None,
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::Io(e) => f.write_str(e),
            ReadProblem::TooLarge(n) => write!(
                f,
                "{} MiB is larger than the {} MiB an article may have",
                n / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadProblem::Binary => f.write_str("binary data, not text"),
            ReadProblem::InvalidUtf8 { offset, .. } => write!(
                f,
                "not valid UTF-8 (first bad byte at offset {offset}): convert the file to UTF-8"
            ),
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

/// Reads a whole file as UTF-8 text (a byte-order mark dropped), refusing
/// missing, huge, binary, non-UTF-8, empty and whitespace-only files.
pub(super) fn read_text_file(path: &Path) -> Result<String, ReadProblem> {
    let file = File::open(path).map_err(|e| ReadProblem::Io(describe_io_error(&e)))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadProblem::Io(describe_io_error(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(ReadProblem::TooLarge(size));
    }
    decode_text(bytes)
}

/// Checks and decodes a file's bytes (see [`read_text_file`]).
pub(super) fn decode_text(mut bytes: Vec<u8>) -> Result<String, ReadProblem> {
    if bytes.is_empty() {
        return Err(ReadProblem::Empty);
    }
    if let Some(text) = decode_utf16(&bytes) {
        bytes = text?.into_bytes();
    }
    // A NUL anywhere, not only at the start: text padded with binary data is not an article.
    if looks_binary(&bytes) || bytes.contains(&0) {
        return Err(ReadProblem::Binary);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        ReadProblem::InvalidUtf8 { line, offset }
    })?;
    if text.trim().is_empty() {
        return Err(ReadProblem::Blank);
    }
    Ok(text)
}

/// A file that starts with a UTF-16 byte-order mark (as Windows tools write "Unicode" text), decoded;
/// `None` for any other file.
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, ReadProblem>> {
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

/// Opens a JSONL file for reading line by line, refusing it if it looks binary.
pub(super) fn open_jsonl(path: &Path) -> Result<Box<dyn BufRead>, ReadProblem> {
    let file = File::open(path).map_err(|e| ReadProblem::Io(describe_io_error(&e)))?;
    Ok(Box::new(sniffed(file)?))
}

/// A buffered reader over `reader`, refused if its start looks binary.
pub(super) fn sniffed<R: Read>(mut reader: R) -> Result<impl BufRead, ReadProblem> {
    let mut start = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut start)
        .map_err(|e| ReadProblem::Io(describe_io_error(&e)))?;
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

    #[test]
    fn decoding() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_owned()));
        assert_eq!(decode_text(Vec::new()), Err(ReadProblem::Empty));
        assert_eq!(decode_text(b" \n\t\n".to_vec()), Err(ReadProblem::Blank));
        assert_eq!(
            decode_text(b"ok\nline two \xE9t\xE9\n".to_vec()),
            Err(ReadProblem::InvalidUtf8 {
                line: 2,
                offset: 12
            })
        );
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
