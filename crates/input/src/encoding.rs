//! Character encodings: the bytes of a text file, a page or a WARC payload as text, whatever the
//! encoding they were written in.
//!
//! The encoding is the first of: a byte-order mark; the `charset` of the HTTP `Content-Type` (WARC
//! payloads); for HTML, a `<meta charset>` or `<meta http-equiv="Content-Type">` in the first
//! 1,024 bytes (the browsers' prescan, simplified); UTF-8 when the bytes are valid UTF-8; else a
//! guess by `chardetng` (Firefox's detector for legacy web content). Decoding is `encoding_rs`
//! (the WHATWG Encoding Standard, as browsers decode). Both are pure Rust, from the same author,
//! and `chardetng` needs nothing but `encoding_rs`.
//!
//! Two declarations are second-guessed, because a wrong one garbles every accented letter and
//! with it the matching of sentences: a declared UTF-8 that is not valid UTF-8 is detected
//! instead, and a declared legacy encoding of bytes that are valid UTF-8 with non-ASCII letters
//! in them (which legacy text almost never is) is read as UTF-8. Whenever the encoding read is a
//! guess, the [`Decoded::note`] says so, so that the user can check.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::files::{ReadProblem, decode_utf16, looks_binary};

/// How much of a text the detector looks at: enough to tell encodings apart, and it bounds the
/// time spent on a large file.
const DETECT_BYTES: usize = 1024 * 1024;

/// How much of a page the `<meta charset>` prescan looks at (as browsers do).
const PRESCAN_BYTES: usize = 1024;

/// Text decoded from bytes.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Decoded {
    /// The text.
    pub(super) text: String,
    /// Set when the encoding was guessed or the bytes did not fit it: what was done, for the
    /// user to check (`not UTF-8; read as windows-1252 (detected)`).
    pub(super) note: Option<String>,
}

/// What is known of the bytes besides themselves.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hints<'a> {
    /// The bytes are an HTML page (its `<meta charset>` counts).
    pub(super) html: bool,
    /// The `charset` the HTTP response declared, if any.
    pub(super) http_charset: Option<&'a str>,
}

/// Decodes a file's (or a payload's) bytes, refusing empty, binary and whitespace-only ones.
pub(super) fn decode(mut bytes: Vec<u8>, hints: Hints<'_>) -> Result<Decoded, ReadProblem> {
    if bytes.is_empty() {
        return Err(ReadProblem::Empty);
    }
    if let Some(text) = decode_utf16(&bytes) {
        let text = text?;
        if text.contains('\0') {
            return Err(ReadProblem::Binary);
        }
        return non_blank(Decoded { text, note: None });
    }
    // A NUL anywhere, not only at the start: text padded with binary data is not an article.
    if looks_binary(&bytes) || bytes.contains(&0) {
        return Err(ReadProblem::Binary);
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    let declared = if bom {
        Some((UTF_8, "a byte-order mark"))
    } else {
        hints
            .http_charset
            .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
            .map(|e| (e, "the HTTP header"))
            .or_else(|| {
                hints
                    .html
                    .then(|| prescan(&bytes))
                    .flatten()
                    .map(|e| (e, "the page"))
            })
    }
    .and_then(|(encoding, by)| usable(encoding).map(|e| (e, by)));
    let valid_utf8 = std::str::from_utf8(&bytes).is_ok();
    let decoded = match declared {
        _ if valid_utf8 && declared.is_none_or(|(e, _)| e == UTF_8) => Decoded {
            text: into_utf8(bytes),
            note: None,
        },
        Some((encoding, by)) if encoding == UTF_8 => {
            let (text, guess) = detected(&bytes);
            Decoded {
                text,
                note: Some(format!(
                    "declared UTF-8 by {by} but is not; read as {} (detected)",
                    guess.name()
                )),
            }
        }
        Some((encoding, by)) if valid_utf8 && !bytes.is_ascii() => Decoded {
            text: into_utf8(bytes),
            note: Some(format!(
                "declared {} by {by}, but its bytes are UTF-8; read as UTF-8",
                encoding.name()
            )),
        },
        Some((encoding, _)) => {
            let (text, bad) = encoding.decode_without_bom_handling(&bytes);
            let note = bad.then(|| {
                format!(
                    "has bytes that are not {}; they are read as \u{FFFD}",
                    encoding.name()
                )
            });
            Decoded {
                text: text.into_owned(),
                note,
            }
        }
        None => {
            let (text, guess) = detected(&bytes);
            Decoded {
                text,
                note: Some(format!("not UTF-8; read as {} (detected)", guess.name())),
            }
        }
    };
    non_blank(decoded)
}

fn non_blank(decoded: Decoded) -> Result<Decoded, ReadProblem> {
    if decoded.text.trim().is_empty() {
        return Err(ReadProblem::Blank);
    }
    Ok(decoded)
}

/// Bytes already checked to be UTF-8.
fn into_utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The encoding a declaration means, as browsers take it: UTF-16 declared in bytes that are not
/// UTF-16 (no byte-order mark, no NUL) is UTF-8, `x-user-defined` is windows-1252, and the
/// `replacement` encoding (labels of encodings too dangerous to decode) says nothing usable.
fn usable(encoding: &'static Encoding) -> Option<&'static Encoding> {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        Some(UTF_8)
    } else if encoding == encoding_rs::X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else if encoding == encoding_rs::REPLACEMENT {
        None
    } else {
        Some(encoding)
    }
}

/// The text by the detector's guess, and the guess.
fn detected(bytes: &[u8]) -> (String, &'static Encoding) {
    // ISO-2022-JP is 7-bit, so valid UTF-8, and never reaches the detector.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    detector.feed(sample, true);
    // UTF-8 is not a candidate: the bytes were found not to be UTF-8.
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = guess.decode_without_bom_handling(bytes);
    (text.into_owned(), guess)
}

/// The value of a `charset` parameter in a `Content-Type` (`text/html; charset="utf-8"`).
pub(super) fn charset_parameter(content_type: &str) -> Option<&str> {
    let bytes = content_type.as_bytes();
    let mut from = 0;
    while let Some(at) = find_ci(&bytes[from..], b"charset").map(|p| p + from) {
        from = at + 7;
        let rest = content_type[from..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let value = match value.strip_prefix(['"', '\'']) {
            Some(quoted) => quoted.split(['"', '\'']).next().unwrap_or(""),
            None => value
                .split(|c: char| c == ';' || c.is_whitespace())
                .next()
                .unwrap_or(""),
        };
        return (!value.is_empty()).then_some(value);
    }
    None
}

/// The encoding a page declares in a `<meta>` tag within its first [`PRESCAN_BYTES`], skipping
/// comments and other tags.
pub(super) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find_ci(&rest[4..], b"-->").map_or(rest.len(), |p| p + 3);
            continue;
        }
        if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/')
        {
            let (found, used) = meta_charset(&rest[5..]);
            if let Some(encoding) = found.and_then(|label| Encoding::for_label(label.as_bytes())) {
                return Some(encoding);
            }
            i += 5 + used;
            continue;
        }
        i += 1;
    }
    None
}

/// The charset a `<meta …>` tag's attributes (from after `<meta`) declare, and the bytes read.
fn meta_charset(tag: &[u8]) -> (Option<String>, usize) {
    let mut i = 0;
    let mut charset = None;
    let mut content = None;
    let mut http_equiv_content_type = false;
    loop {
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'/') {
            i += 1;
        }
        if i >= tag.len() || tag[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < tag.len()
            && !matches!(tag[i], b'=' | b'>' | b'/')
            && !tag[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = String::from_utf8_lossy(&tag[name_start..i]).to_ascii_lowercase();
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if tag.get(i) == Some(&b'=') {
            i += 1;
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            match tag.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = tag[i + 1..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(tag.len(), |p| i + 1 + p);
                    value = String::from_utf8_lossy(&tag[i + 1..end]).into_owned();
                    i = (end + 1).min(tag.len());
                }
                _ => {
                    let start = i;
                    while i < tag.len() && tag[i] != b'>' && !tag[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = String::from_utf8_lossy(&tag[start..i]).into_owned();
                }
            }
        }
        match name.as_str() {
            "charset" if charset.is_none() => charset = Some(value.trim().to_owned()),
            "content" if content.is_none() => content = Some(value),
            "http-equiv" => {
                http_equiv_content_type |= value.trim().eq_ignore_ascii_case("content-type");
            }
            _ => {}
        }
    }
    let from_content = || {
        content
            .as_deref()
            .filter(|_| http_equiv_content_type)
            .and_then(charset_parameter)
            .map(str::to_owned)
    };
    (charset.or_else(from_content), i)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8], hints: Hints<'_>) -> (String, Option<String>) {
        let d = decode(bytes.to_vec(), hints).expect("decoded");
        (d.text, d.note)
    }

    const HTML: Hints<'static> = Hints {
        html: true,
        http_charset: None,
    };

    #[test]
    fn utf8_and_its_byte_order_mark() {
        assert_eq!(
            text(b"\xEF\xBB\xBFhi", Hints::default()),
            ("hi".into(), None)
        );
        assert_eq!(
            text("caf\u{e9}".as_bytes(), Hints::default()),
            ("café".into(), None)
        );
        assert_eq!(
            decode(Vec::new(), Hints::default()),
            Err(ReadProblem::Empty)
        );
        assert_eq!(
            decode(b" \n\t".to_vec(), Hints::default()),
            Err(ReadProblem::Blank)
        );
        assert_eq!(
            decode(b"a\0b".to_vec(), Hints::default()),
            Err(ReadProblem::Binary)
        );
    }

    #[test]
    fn legacy_text_is_detected_and_said() {
        let latin = b"Le caf\xe9 de la gare a ferm\xe9 ses portes apr\xe8s quarante ann\xe9es. \
                      Les habitu\xe9s regrettent d\xe9j\xe0 l'\xe9t\xe9 pass\xe9 sur la terrasse.";
        let (got, note) = text(latin, Hints::default());
        assert!(got.starts_with("Le café de la gare a fermé"), "{got}");
        assert_eq!(
            note.as_deref(),
            Some("not UTF-8; read as windows-1252 (detected)")
        );
    }

    #[test]
    fn declarations_in_order() {
        let page = b"<html><head><!-- <meta charset=koi8-r> --><meta http-equiv=\"Content-Type\" \
                     content=\"text/html; charset=ISO-8859-1\"></head><body>caf\xe9</body></html>";
        let (got, note) = text(page, HTML);
        assert!(got.contains("café"));
        assert_eq!(note, None);
        // The HTTP header comes before the page.
        let http = Hints {
            html: true,
            http_charset: Some("windows-1251"),
        };
        let (got, _) = text(page, http);
        assert!(got.contains("cafй"), "{got}");
        assert_eq!(
            prescan(b"<meta charset='shift_jis'>"),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(prescan(b"<metadata charset=utf-8>"), None);
        assert_eq!(
            prescan(b"<meta content=\"text/html; charset=utf-8\">"),
            None
        );
    }

    #[test]
    fn wrong_declarations_are_second_guessed() {
        let utf8 = "<meta charset=iso-8859-1><p>Café déjà vu</p>".as_bytes();
        let (got, note) = text(utf8, HTML);
        assert!(got.contains("Café déjà"));
        assert_eq!(
            note.as_deref(),
            Some("declared windows-1252 by the page, but its bytes are UTF-8; read as UTF-8")
        );
        let latin =
            b"<meta charset=utf-8><p>Caf\xe9 ferm\xe9 apr\xe8s l'\xe9t\xe9, d\xe9j\xe0.</p>";
        let (got, note) = text(latin, HTML);
        assert!(got.contains("Café fermé"), "{got}");
        assert!(
            note.unwrap()
                .starts_with("declared UTF-8 by the page but is not; read as")
        );
    }

    #[test]
    fn charset_parameters() {
        assert_eq!(charset_parameter("text/html; charset=UTF-8"), Some("UTF-8"));
        assert_eq!(
            charset_parameter("text/html;charset=\"sjis\";x=y"),
            Some("sjis")
        );
        assert_eq!(
            charset_parameter("text/html; Charset = latin1 ; q"),
            Some("latin1")
        );
        assert_eq!(charset_parameter("text/html"), None);
        assert_eq!(charset_parameter("text/html; charset="), None);
    }
}
