//! Escaping of article data (ids, titles, publishers, URLs, body text) for HTML, SVG and XML.
//!
//! Every string that comes from an article is hostile: a page may carry `<script>`, quotes, `</svg>`
//! or `]]>` in its title or body, and an id is a file name. [`markup`] makes a string safe in HTML
//! text, in a quoted HTML attribute, and in SVG/XML text or attributes alike, so there is one rule to
//! apply and no context to get wrong.

use std::borrow::Cow;

/// Whether a character may not appear in an XML 1.0 document (or is a C1 control, which HTML calls a
/// parse error): such characters are dropped.
fn unwanted(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Escapes text for HTML and SVG, in element content and in quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become character references, and characters that XML forbids (NUL and the other
/// control characters except tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped.
///
/// ```
/// use stemma_report::markup;
/// assert_eq!(markup("<script>alert(\"x\")</script>"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
/// assert_eq!(markup("plain"), "plain");
/// ```
pub fn markup(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || unwanted(c))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if unwanted(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a URL may be a link in the report: only `http:` and `https:` URLs are (a `javascript:` or
/// `data:` URL from a hostile page is shown as text, never followed).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_drops_controls() {
        assert_eq!(
            markup("a<b>&\"c'\u{0}\u{1b}[31m\u{fffe}"),
            "a&lt;b&gt;&amp;&quot;c&#39;[31m"
        );
        assert_eq!(markup("tab\tnew\nline"), "tab\tnew\nline");
        assert_eq!(markup("]]></svg>"), "]]&gt;&lt;/svg&gt;");
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(is_web_url("https://example.invalid/a?b=c"));
        assert!(is_web_url("HTTP://example.invalid/"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url(" javascript:alert(1)"));
        assert!(!is_web_url("data:text/html,<script>alert(1)</script>"));
        assert!(!is_web_url("https://example.invalid/\u{0}x"));
        assert!(!is_web_url("https://a.invalid/ onmouseover=x"));
    }
}
