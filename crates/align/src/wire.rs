//! Agency wire copy read as prose.
//!
//! Wire copy as news agencies file it (the Press Association's, for one) is not laid out as prose:
//! lines are hard-wrapped at about 75 columns, each paragraph ends with `<`, paragraphs may start
//! with a control character, a slug line (`11:54 21/06/00: Page 1 (HHH) SHOWBIZ Madeley`) and rules of
//! dashes head the file, an `end<` line closes it, and quotes are typed ``` ``like this'' ```. Read as
//! it is, every wrap looks like a line break (sentences cut in two) and no quote is recognised, so
//! quoted speech counts as narrative. [`unwrap_wire_copy`] turns such a text into plain paragraphs.
//!
//! ```
//! let wire = "  ---------------\n 02:49 07/01/00: Page 1 (HHH) SHOWBIZ Depp\n\
//!     \u{19}A dressed-down star attended a lavish\ndinner last night.<\n\
//!     \u{19}``It was fun,'' he said.<\n\u{19}end<\n";
//! let text = stemma_align::unwrap_wire_copy(wire).expect("wire copy");
//! assert_eq!(text, "A dressed-down star attended a lavish dinner last night.\n\n\u{201c}It was fun,\u{201d} he said.\n");
//! ```

/// The least number of lines ending in `<` that mark a text as wire copy (with at least one in five
/// of its non-blank lines).
const MIN_MARKED_LINES: usize = 2;

/// Rewrites agency wire copy as plain paragraphs (hard wraps joined; the trailing `<`, the slug,
/// the rules of dashes and the `end<` line dropped; TeX quotes made typographic), or `None`
/// when `text` is not wire copy, which is then left as it is. TeX-style quotes are made typographic
/// in any text by [`typographic_quotes`].
pub fn unwrap_wire_copy(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let marked = lines.iter().filter(|l| l.ends_with('<')).count();
    if marked < MIN_MARKED_LINES || marked * 5 < non_blank {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut paragraph = String::new();
    let finish = |paragraph: &mut String, out: &mut String| {
        let p = paragraph.trim();
        if !p.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(p);
        }
        paragraph.clear();
    };
    for line in lines {
        let line = line.trim_start_matches(|c: char| c.is_control() || c == ' ');
        let (body, ends) = match line.strip_suffix('<') {
            Some(body) => (body.trim_end(), true),
            None => (line, false),
        };
        if body.is_empty() {
            finish(&mut paragraph, &mut out);
            continue;
        }
        if is_rule(body) || is_slug(body) || body.eq_ignore_ascii_case("end") {
            finish(&mut paragraph, &mut out);
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(body);
        if ends {
            finish(&mut paragraph, &mut out);
        }
    }
    finish(&mut paragraph, &mut out);
    out.push('\n');
    Some(typographic_quotes(&out).into_owned())
}

/// Replaces TeX-style quotes (``` `` ``` and `''`) with typographic ones, so that the normalizer sees
/// where quoted speech opens and closes. Texts without ``` `` ``` are returned as they are (a lone
/// `''` is too ambiguous to touch).
///
/// ```
/// assert_eq!(stemma_align::typographic_quotes("``Go,'' she said."), "\u{201c}Go,\u{201d} she said.");
/// assert_eq!(stemma_align::typographic_quotes("It's 5'' wide."), "It's 5'' wide.");
/// ```
pub fn typographic_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("``") {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("``", "\u{201c}").replace("''", "\u{201d}"))
}

/// A line of dashes, equals signs or underscores.
fn is_rule(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '=' | '_' | ' '))
}

/// A wire slug line: `HH:MM DD/MM/YY: ...` (the hour may have one digit).
fn is_slug(line: &str) -> bool {
    /// `9` stands for a digit; every other byte must match itself.
    const TEMPLATE: &[u8] = b"99:99 99/99/99:";
    let bytes = line.as_bytes();
    let template = if bytes.get(1) == Some(&b':') {
        &TEMPLATE[1..]
    } else {
        TEMPLATE
    };
    bytes.len() >= template.len()
        && template.iter().zip(bytes).all(|(&t, &c)| {
            if t == b'9' {
                c.is_ascii_digit()
            } else {
                c == t
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PA: &str = "  ------------------------------------------------------------------------\n\
\n\
                  11:54 21/06/00: Page 1 (HHH) SHOWBIZ Madeley\n\
  ------------------------------------------------------------------------\n\
PRESENTER TO QUIT SHOW<\n\
\u{19}By A Reporter, PA News<\n\
\u{19}A television presenter said today he would leave the\n\
programme after nine years.<\n\
\u{19}``I have loved every minute,'' he told\n\
reporters. ``But it is time.''<\n\
\u{19}end<\n";

    #[test]
    fn wire_copy_becomes_paragraphs_without_wraps_slug_or_end() {
        let text = unwrap_wire_copy(PA).expect("recognised as wire copy");
        assert_eq!(
            text,
            "PRESENTER TO QUIT SHOW\n\nBy A Reporter, PA News\n\n\
             A television presenter said today he would leave the programme after nine years.\n\n\
             \u{201c}I have loved every minute,\u{201d} he told reporters. \u{201c}But it is time.\u{201d}\n"
        );
    }

    #[test]
    fn ordinary_text_is_not_wire_copy() {
        assert_eq!(unwrap_wire_copy("One line.\nAnother line.\n"), None);
        // One stray "<" is not enough.
        assert_eq!(unwrap_wire_copy("a < b\nx <\ny\nz\nw\n"), None);
        // Marked lines must be a real share of the text.
        let long: String = (0..20).map(|i| format!("line {i}\n")).collect();
        assert_eq!(unwrap_wire_copy(&format!("{long}a<\nb<\n")), None);
    }

    #[test]
    fn slug_lines_are_recognised() {
        assert!(is_slug("11:54 21/06/00: Page 1 (HHH) SHOWBIZ Madeley"));
        assert!(is_slug("2:49 07/01/00: Page 1"));
        assert!(!is_slug("11:54 on Monday"));
        assert!(!is_slug(""));
    }
}
