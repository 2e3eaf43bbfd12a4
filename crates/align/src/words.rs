//! Word boundaries (Unicode UAX #29), with a fast path for ASCII text.
//!
//! `unicode-segmentation` implements the full rules for any script; it costs about 180 instructions per
//! byte, which made it the largest single cost of analysing a large English corpus. Most news text is
//! pure ASCII, where the rules reduce to a few character classes. [`word_bound_indices`] applies those
//! reduced rules to ASCII text and hands everything else to `unicode-segmentation`, so the pieces are
//! the same either way (a property test compares the two on generated ASCII text).

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// The pieces of `text` between word boundaries, with their byte offsets, as
/// [`UnicodeSegmentation::split_word_bound_indices`] gives them.
///
/// ```
/// let pieces: Vec<&str> = stemma_align::word_bound_indices("Don't pay $9,300.50 now")
///     .map(|(_, piece)| piece)
///     .collect();
/// assert_eq!(pieces, ["Don't", " ", "pay", " ", "$", "9,300.50", " ", "now"]);
/// ```
pub fn word_bound_indices(text: &str) -> WordBounds<'_> {
    WordBounds(if text.is_ascii() {
        Pieces::Ascii(AsciiWordBounds { text, at: 0 })
    } else {
        Pieces::Unicode(text.split_word_bound_indices())
    })
}

/// Iterator over `(offset, piece)` of [`word_bound_indices`].
#[derive(Debug, Clone)]
pub struct WordBounds<'t>(Pieces<'t>);

#[derive(Debug, Clone)]
enum Pieces<'t> {
    /// ASCII text, by the reduced rules.
    Ascii(AsciiWordBounds<'t>),
    /// Any other text, by `unicode-segmentation`.
    Unicode(UWordBoundIndices<'t>),
}

impl<'t> Iterator for WordBounds<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Pieces::Ascii(words) => words.next(),
            Pieces::Unicode(words) => words.next(),
        }
    }
}

/// Word pieces of an ASCII text.
#[derive(Debug, Clone)]
struct AsciiWordBounds<'t> {
    text: &'t str,
    at: usize,
}

/// UAX #29 word-break classes of the ASCII characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `:` (MidLetter).
    MidLetter,
    /// `.` (MidNumLet) and `'` (Single_Quote): they join letters and numbers alike.
    MidNumLetQ,
    /// `,` and `;` (MidNum).
    MidNum,
    /// `_` (ExtendNumLet).
    ExtendNumLet,
    /// U+0020 (WSegSpace).
    Space,
    Cr,
    Lf,
    /// Vertical tab and form feed (Newline).
    Newline,
    Other,
}

const fn class_of(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLetQ,
        b',' | b';' => Class::MidNum,
        b'_' => Class::ExtendNumLet,
        b' ' => Class::Space,
        b'\r' => Class::Cr,
        b'\n' => Class::Lf,
        0x0B | 0x0C => Class::Newline,
        _ => Class::Other,
    }
}

/// [`class_of`] for every byte, looked up once per byte.
static CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = class_of(b as u8);
        b += 1;
    }
    table
};

fn class(byte: u8) -> Class {
    CLASSES[usize::from(byte)]
}

/// Whether there is no word boundary between `bytes[i - 1]` (of class `before`) and `bytes[i]`.
fn joined(bytes: &[u8], i: usize, before: Class) -> bool {
    use Class::*;
    let after = class(bytes[i]);
    let before2 = || i.checked_sub(2).map(|k| class(bytes[k]));
    let after2 = || bytes.get(i + 1).map(|&b| class(b));
    match (before, after) {
        (Letter | Numeric, Letter | Numeric) => true,
        (Cr, Lf) => true,
        (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => false,
        (Space, Space) => true,
        (Letter, MidLetter | MidNumLetQ) => after2() == Some(Letter),
        (MidLetter | MidNumLetQ, Letter) => before2() == Some(Letter),
        (Numeric, MidNum | MidNumLetQ) => after2() == Some(Numeric),
        (MidNum | MidNumLetQ, Numeric) => before2() == Some(Numeric),
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,
        (ExtendNumLet, Letter | Numeric) => true,
        _ => false,
    }
}

impl<'t> Iterator for AsciiWordBounds<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        let mut end = start + 1;
        let mut before = class(bytes[start]);
        while end < bytes.len() && joined(bytes, end, before) {
            before = class(bytes[end]);
            end += 1;
        }
        self.at = end;
        // ASCII: every byte offset is a char boundary.
        Some((start, &self.text[start..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unicode(text: &str) -> Vec<(usize, &str)> {
        text.split_word_bound_indices().collect()
    }

    fn ascii(text: &str) -> Vec<(usize, &str)> {
        AsciiWordBounds { text, at: 0 }.collect()
    }

    #[test]
    fn news_text_splits_as_unicode_segmentation_does() {
        for text in [
            "Gov. Vyacheslav Gladkov said on Monday: \"It is not safe.\"",
            "U.S. officials, e.g. the DoD's spokesman, cited 9,300 people (3.5%).",
            "a:b a.b a'b 1.2 1,2 1;2 a1 1a a_b _a 1_ __ a.1 1.a",
            "Line one.\r\nLine two\n\n\x0bLine\x0cthree\t end  two  spaces",
            "",
            "'quoted' ...and... --- a'' ''a 1..2 1,,2",
        ] {
            assert_eq!(ascii(text), unicode(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn ascii_rules_match_unicode_segmentation(text in "[aZ09:.',;_ \"\r\n\t\x0b\x0c!?()$%-]{0,40}") {
            prop_assert_eq!(ascii(&text), unicode(&text));
        }
    }
}
