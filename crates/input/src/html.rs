//! Web pages: the main text with its paragraph breaks, and what the page says
//! about itself (title, publisher, canonical URL, publication time).
//!
//! # Why `dom_smoothie`
//!
//! Saved news pages carry menus, share bars, related-article teasers, comment
//! forms and footers around the story; the analysis wants the story. Three
//! crates were compared (transitive crate counts from `cargo tree`, each alone):
//! - `dom_smoothie` 0.19 (52 crates; 29 of them new to this workspace): a port of
//!   Mozilla's Readability (Firefox Reader View). It scores blocks by text and
//!   comma density, down-weights `nav`/`footer`/`comment`/`share`/`related`
//!   classes and link-heavy blocks, retries with looser policies when too little
//!   is left, and reads title (with the " | Site" suffix removed), byline, site
//!   name and `datePublished`/`article:published_time` from JSON-LD and meta tags.
//!   On a test page with a menu, a share bar, a related list, a comment form and
//!   a footer it kept exactly the story.
//! - `scraper` 0.29 (44 crates): the same html5ever parser plus CSS selectors,
//!   but no notion of main content: dropping `nav`/`header`/`footer` by tag misses
//!   the furniture most sites build from `div`s, so we would be rewriting
//!   Readability's heuristics ourselves.
//! - `html2text` 0.17 (28 crates): renders the whole page, menus and link lists
//!   included, and reads no metadata; the furniture is exactly what must go.
//!
//! So `dom_smoothie` it is; `dom_query` (its DOM, already in its tree, so no
//! extra crate) is used directly for the `<time>`/canonical-link lookups and for
//! rendering text. Readability's own text output is not used: its raw mode
//! loses paragraph breaks and its formatted mode separates list items by a
//! single newline; [`render`] puts a blank line between all block elements
//! (paragraphs, headings, list items, quotes, table rows) and a line break for
//! `<br>`, because the next stage segments paragraphs by lines.
//!
//! # Limits
//!
//! html5ever and Readability both slow down quadratically with nesting depth
//! (16,000 nested `div`s took about a minute). Pages nested deeper than
//! [`MAX_DEPTH`] elements (real pages stay well under 100) are refused with a
//! diagnostic, checked first on the raw markup (a linear scan) and then on the
//! parsed tree. Pages with more than [`MAX_ELEMENTS`] elements, or whose size
//! times depth exceeds [`MAX_SIZE_TIMES_DEPTH`], or on which Readability finds
//! nothing, are rendered whole (in linear time), less the usual furniture
//! elements (`nav`, `header`, `footer`, `aside`, `form`, scripts and styles).

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use stemma_graph::{Article, Sourced, Timestamp, parse_timestamp};

/// Deeper pages are refused (see the module documentation).
pub(super) const MAX_DEPTH: usize = 256;

/// Larger pages skip Readability and are rendered whole, less furniture.
pub(super) const MAX_ELEMENTS: usize = 200_000;

/// Readability's work grows with the page's size times its depth (it measures
/// the text under each ancestor of each paragraph): about 7 ns per unit here,
/// so this bounds it to a few seconds. Pages over it are rendered whole, less
/// furniture. A 2 MB page 100 deep is 2·10⁸.
pub(super) const MAX_SIZE_TIMES_DEPTH: usize = 500_000_000;

/// What a page says about itself in its markup; all of it is [`Sourced::page`].
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct PageFacts {
    /// The headline.
    pub(super) title: Option<String>,
    /// The site name, or failing that the byline.
    pub(super) publisher: Option<String>,
    /// `<link rel="canonical">` or `og:url`.
    pub(super) url: Option<String>,
    /// JSON-LD `datePublished`, `article:published_time` and similar meta tags, or a `<time datetime>`.
    pub(super) published: Option<Timestamp>,
}

impl PageFacts {
    /// Sets the article's fields from the page (as read from its text).
    pub(super) fn apply_to(&self, article: &mut Article) {
        article.title = self.title.clone().map(Sourced::page);
        article.publisher = self.publisher.clone().map(Sourced::page);
        article.url = self.url.clone().map(Sourced::page);
        article.published = self.published.map(Sourced::page);
    }
}

/// A page's text and facts.
#[derive(Debug)]
pub(super) struct Page {
    /// The main text, paragraphs separated by blank lines.
    pub(super) text: String,
    /// What the page says about itself.
    pub(super) facts: PageFacts,
}

/// [`extract`], with a panic inside the HTML libraries (none is known; the
/// property test below looks for them) turned into an error for this page
/// only, so that one odd page cannot stop a run over thousands.
pub(super) fn extract_guarded(html: &str) -> Result<Page, String> {
    std::panic::catch_unwind(|| extract(html)).unwrap_or_else(|_| {
        Err("the HTML reader failed on this page (an internal error; please report it)".to_owned())
    })
}

/// Extracts a page's main text and facts; the error says why there is no text.
pub(super) fn extract(html: &str) -> Result<Page, String> {
    if estimated_depth(html, MAX_DEPTH) > MAX_DEPTH {
        return Err(too_deep());
    }
    let doc = Document::from(html);
    let (depth, elements) = tree_size(&doc.root());
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let mut facts = PageFacts {
        url: canonical_url(&doc),
        ..PageFacts::default()
    };
    // Read before Readability, which removes scripts. Its own lookup comes first;
    // these catch what it misses (JSON-LD `@graph`, as Yoast SEO writes, and more meta names).
    let page_time = json_ld_published(&doc)
        .or_else(|| meta_published(&doc))
        .or_else(|| time_element(&doc));

    let affordable =
        elements <= MAX_ELEMENTS && html.len().saturating_mul(depth) <= MAX_SIZE_TIMES_DEPTH;
    let (readable, unused_doc) = if affordable {
        let article = Readability::with_document(doc, None, Some(Config::default()))
            .ok()
            .and_then(|mut r| r.parse().ok());
        (article, None)
    } else {
        (None, Some(doc))
    };
    let mut text = String::new();
    if let Some(article) = &readable {
        let content = Document::fragment(article.content.as_ref());
        text = render(&content.root(), false);
        let site = clean(article.site_name.as_deref());
        facts.title = clean(Some(article.title.as_str())).map(|t| without_site(t, site.as_deref()));
        facts.publisher = site.or_else(|| byline(article.byline.as_deref()));
        facts.published = article
            .published_time
            .as_deref()
            .and_then(|t| parse_timestamp(t).ok());
    }
    if text.is_empty() {
        // Readability found nothing (or was skipped): the whole page, less furniture.
        let doc = unused_doc.unwrap_or_else(|| Document::from(html));
        let root = doc.body().unwrap_or_else(|| doc.root());
        text = render(&root, true);
        if facts.title.is_none() {
            let site = doc
                .try_select("meta[property=\"og:site_name\"]")
                .and_then(|s| s.attr("content"))
                .and_then(|s| clean(Some(s.as_ref())));
            facts.title = doc
                .try_select("title")
                .and_then(|t| clean(Some(t.text().as_ref())))
                .map(|t| without_site(t, site.as_deref()));
            facts.publisher = site;
        }
    }
    if facts.published.is_none() {
        facts.published = page_time;
    }
    if text.is_empty() {
        return Err("no text found in the page".to_owned());
    }
    Ok(Page { text, facts })
}

fn too_deep() -> String {
    format!("HTML nested more than {MAX_DEPTH} elements deep (not a normal web page)")
}

/// Trimmed, whitespace-collapsed, `None` if empty.
fn clean(s: Option<&str>) -> Option<String> {
    let s = s?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// A title without a trailing " | Site" (or " - Site", " — Site", " :: Site") naming the site.
/// Readability keeps the suffix when the rest is short ("Raid in Belgorod | The Daily Example").
fn without_site(title: String, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title;
    };
    for sep in [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: ", " \u{b7} "] {
        if let Some(rest) = title.strip_suffix(site).and_then(|r| r.strip_suffix(sep)) {
            if !rest.trim().is_empty() {
                return rest.trim().to_owned();
            }
        }
    }
    title
}

/// A byline without its "By ".
fn byline(s: Option<&str>) -> Option<String> {
    let s = clean(s)?;
    let rest = s
        .strip_prefix("By ")
        .or_else(|| s.strip_prefix("by "))
        .or_else(|| s.strip_prefix("BY "))
        .unwrap_or(&s);
    clean(Some(rest))
}

/// `<link rel="canonical" href>` or `<meta property="og:url" content>`, if absolute.
fn canonical_url(doc: &Document) -> Option<String> {
    let from = |selector: &str, attr: &str| {
        doc.try_select(selector)
            .and_then(|s| s.attr(attr))
            .and_then(|v| clean(Some(v.as_ref())))
            .filter(|v| v.starts_with("http://") || v.starts_with("https://"))
    };
    from("link[rel=canonical]", "href").or_else(|| from("meta[property=\"og:url\"]", "content"))
}

/// `datePublished` from the page's JSON-LD, looked for anywhere in each block
/// (top level, arrays, `@graph`): first in article-like objects (`NewsArticle`,
/// `BlogPosting`, …), then in `WebPage`-like ones; other objects (videos, lists
/// of other articles) are ignored.
fn json_ld_published(doc: &Document) -> Option<Timestamp> {
    let blocks = doc.try_select("script[type=\"application/ld+json\"]")?;
    let values: Vec<serde_json::Value> = blocks
        .nodes()
        .iter()
        .filter_map(|n| serde_json::from_str(n.text().trim()).ok())
        .collect();
    let mut webpage = None;
    for value in &values {
        // Iteratively: JSON-LD nesting is the page author's to choose.
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(map) => {
                    let kind = schema_kind(map.get("@type"));
                    let date = map
                        .get("datePublished")
                        .and_then(serde_json::Value::as_str)
                        .and_then(|s| parse_timestamp(s).ok());
                    match (kind, date) {
                        (SchemaKind::Article, Some(ts)) => return Some(ts),
                        (SchemaKind::WebPage, Some(ts)) if webpage.is_none() => webpage = Some(ts),
                        _ => {}
                    }
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                }
                _ => {}
            }
        }
    }
    webpage
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SchemaKind {
    Article,
    WebPage,
    Other,
}

/// Whether a JSON-LD `@type` (a string or a list of them) is an article or a web page.
fn schema_kind(kind: Option<&serde_json::Value>) -> SchemaKind {
    let names: Vec<&str> = match kind {
        Some(serde_json::Value::String(s)) => vec![s.as_str()],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    };
    if names
        .iter()
        .any(|n| n.contains("Article") || n.contains("BlogPosting") || n.contains("Report"))
    {
        SchemaKind::Article
    } else if names.iter().any(|n| n.ends_with("Page")) {
        SchemaKind::WebPage
    } else {
        SchemaKind::Other
    }
}

/// Publication-time meta tags that Readability does not read.
fn meta_published(doc: &Document) -> Option<Timestamp> {
    const SELECTORS: [&str; 8] = [
        "meta[itemprop=datePublished]",
        "meta[property=\"og:published_time\"]",
        "meta[name=pubdate]",
        "meta[name=publish-date]",
        "meta[name=\"sailthru.date\"]",
        "meta[name=\"DC.date.issued\"]",
        "meta[name=\"dc.date\"]",
        "meta[name=date]",
    ];
    SELECTORS.iter().find_map(|selector| {
        doc.try_select(selector)?
            .nodes()
            .iter()
            .find_map(|n| n.attr("content").and_then(|v| parse_timestamp(&v).ok()))
    })
}

/// The page's own publication `<time datetime>`: one marked `itemprop=datePublished`
/// or `pubdate`, else the first inside an `<article>`, else the only one on the page.
fn time_element(doc: &Document) -> Option<Timestamp> {
    let first_parsed = |selector: &str| {
        doc.try_select(selector)?
            .nodes()
            .iter()
            .find_map(|n| n.attr("datetime").and_then(|v| parse_timestamp(&v).ok()))
    };
    first_parsed("time[itemprop=datePublished][datetime], time[pubdate][datetime]")
        .or_else(|| first_parsed("article time[datetime]"))
        .or_else(|| {
            let all = doc.try_select("time[datetime]")?;
            if all.length() == 1 {
                first_parsed("time[datetime]")
            } else {
                None
            }
        })
}

/// The depth and the number of elements of a tree (iteratively: no recursion on deep input).
fn tree_size(root: &NodeRef<'_>) -> (usize, usize) {
    let mut max_depth = 0;
    let mut elements = 0;
    let mut stack = vec![(*root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if node.is_element() {
            elements += 1;
        }
        max_depth = max_depth.max(depth);
        if max_depth > MAX_DEPTH {
            break;
        }
        stack.extend(node.children_it(false).map(|c| (c, depth + 1)));
    }
    (max_depth, elements)
}

/// How an element takes part in text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not text (scripts, styles, controls, embedded media).
    Skip,
    /// Furniture: skipped only when rendering a whole page.
    Furniture,
    /// A paragraph-level block: a blank line before and after.
    Block,
    /// A line break.
    Break,
    /// Preformatted text, kept with its line breaks.
    Pre,
    /// A table cell: a space after.
    Cell,
    /// Anything else: its text flows on.
    Inline,
}

fn role(name: &str) -> Role {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "meta" | "link"
        | "svg" | "math" | "iframe" | "object" | "embed" | "canvas" | "video" | "audio"
        | "picture" | "img" | "map" | "button" | "select" | "option" | "input" | "textarea"
        | "label" => Role::Skip,
        "nav" | "header" | "footer" | "aside" | "form" | "menu" | "dialog" => Role::Furniture,
        "br" => Role::Break,
        "pre" | "listing" | "plaintext" | "xmp" => Role::Pre,
        "td" | "th" => Role::Cell,
        "address" | "article" | "blockquote" | "body" | "caption" | "center" | "dd" | "details"
        | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "hgroup" | "hr" | "html" | "legend" | "li" | "main"
        | "ol" | "p" | "section" | "summary" | "table" | "tbody" | "tfoot" | "thead" | "tr"
        | "ul" => Role::Block,
        _ => Role::Inline,
    }
}

/// Builds text with HTML's whitespace rules: runs of whitespace are one space,
/// blocks are separated by one blank line, `<br>` is a newline.
#[derive(Default)]
struct TextOut {
    text: String,
    /// A space is due before the next word.
    space: bool,
    /// A break is due before the next word: 1 = newline, 2 = blank line.
    brk: u8,
}

impl TextOut {
    fn separate(&mut self) {
        if self.text.is_empty() {
            self.brk = 0;
            self.space = false;
            return;
        }
        match self.brk {
            0 if self.space => self.text.push(' '),
            0 => {}
            1 => self.text.push('\n'),
            _ => self.text.push_str("\n\n"),
        }
        self.brk = 0;
        self.space = false;
    }

    fn words(&mut self, s: &str) {
        if s.starts_with(char::is_whitespace) {
            self.space = true;
        }
        let mut any = false;
        for word in s.split_whitespace() {
            if any {
                self.space = true;
            }
            self.separate();
            self.text.push_str(word);
            any = true;
        }
        if any && s.ends_with(char::is_whitespace) {
            self.space = true;
        }
    }

    fn preformatted(&mut self, s: &str) {
        self.block();
        for line in s.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                if self.brk == 1 {
                    self.brk = 2;
                } else if !self.text.is_empty() && self.brk == 0 {
                    self.brk = 1;
                }
                continue;
            }
            self.separate();
            self.text.push_str(line);
            self.brk = 1;
        }
        self.block();
    }

    fn block(&mut self) {
        self.brk = 2;
    }

    fn line_break(&mut self) {
        self.brk = if self.brk >= 1 { 2 } else { 1 };
    }

    fn cell_end(&mut self) {
        self.space = true;
    }
}

/// The text of `root`'s subtree (iteratively). With `whole_page`, furniture
/// elements are skipped too.
pub(super) fn render(root: &NodeRef<'_>, whole_page: bool) -> String {
    enum Step<'a> {
        Open(NodeRef<'a>),
        CloseBlock,
        CloseCell,
    }
    let mut out = TextOut::default();
    let mut stack = vec![Step::Open(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Open(node) => node,
            Step::CloseBlock => {
                out.block();
                continue;
            }
            Step::CloseCell => {
                out.cell_end();
                continue;
            }
        };
        if node.is_text() {
            out.words(&node.text());
            continue;
        }
        if let Some(name) = node.node_name() {
            match role(&name) {
                Role::Skip => continue,
                Role::Furniture if whole_page => continue,
                Role::Break => {
                    out.line_break();
                    continue;
                }
                Role::Pre => {
                    out.preformatted(&node.text());
                    continue;
                }
                Role::Block | Role::Furniture => {
                    out.block();
                    stack.push(Step::CloseBlock);
                }
                Role::Cell => stack.push(Step::CloseCell),
                Role::Inline => {}
            }
        } else if !(node.is_document() || node.is_fragment()) {
            // Comments, doctypes, processing instructions.
            continue;
        }
        let children: Vec<NodeRef<'_>> = node.children_it(true).collect();
        stack.extend(children.into_iter().map(Step::Open));
    }
    out.text
}

/// A linear scan of the markup estimating how deep its elements nest, to
/// refuse pathological pages before parsing them; stops counting past `limit`.
///
/// Counts start tags minus end tags of elements that neither are void nor are
/// closed implicitly by a sibling (`p`, `li`, `td`, …), skipping comments and
/// the contents of raw-text elements (`script`, `style`, …).
pub(super) fn estimated_depth(html: &str, limit: usize) -> usize {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut max = 0;
    let mut i = 0;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        i += off + 1;
        let rest = bytes.get(i..).unwrap_or(&[]);
        if rest.starts_with(b"!--") {
            i += find(rest, b"-->").map_or(rest.len(), |p| p + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest
            .iter()
            .skip(name_start)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !rest.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        // The tag ends at the next '>'; a '<' first means it is unterminated (and keeps the scan linear).
        let tag_end = rest.iter().position(|&b| b == b'>' || b == b'<');
        let self_closing = tag_end.is_some_and(|e| e > 0 && rest[e] == b'>' && rest[e - 1] == b'/');
        i += match tag_end {
            Some(e) if rest[e] == b'>' => e + 1,
            Some(e) => e,
            None => rest.len(),
        };
        let name = name.as_slice();
        if closing {
            if counts_for_depth(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if matches!(
            name,
            b"script"
                | b"style"
                | b"textarea"
                | b"title"
                | b"xmp"
                | b"iframe"
                | b"noembed"
                | b"noframes"
        ) {
            // Skip to the matching end tag.
            let mut close = b"</".to_vec();
            close.extend_from_slice(name);
            let after = bytes.get(i..).unwrap_or(&[]);
            i += find_ci(after, &close).unwrap_or(after.len());
            continue;
        }
        if counts_for_depth(name) && !self_closing {
            depth += 1;
            max = max.max(depth);
            if max > limit {
                return max;
            }
        }
    }
    max
}

/// Whether an element nests (is neither void nor implicitly closed by a sibling).
fn counts_for_depth(name: &[u8]) -> bool {
    !matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
            | b"rb"
            | b"rt"
            | b"rtc"
            | b"rp"
            | b"html"
            | b"head"
            | b"body"
            | b"image"
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = r##"<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Russia declares victory over Belgorod insurgents | Example News</title>
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.com/news/belgorod">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Russia declares victory over Belgorod insurgents","datePublished":"2023-05-23T22:33:50Z","author":{"@type":"Person","name":"Cecilia Jones"}}</script>
<style>body{font-family:sans-serif}</style>
<script>window.dataLayer=[];function track(){console.log("tracking pixel")}</script>
</head><body>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/crypto">Crypto</a></li><li><a href="/casino">Casino</a></li></ul></nav></header>
<main>
<article>
<h1>Russia declares victory over Belgorod insurgents</h1>
<p>According to Moscow, armed insurgents who infiltrated the Belgorod region from Ukraine with the intention of launching attacks were effectively countered. Following intense shelling in nearby border villages, residents were evacuated.</p>
<p>Russia asserts that 70 assailants, believed to be Ukrainian fighters, were eliminated during the operation. Conversely, Kyiv has refuted any involvement in the incident, while two Russian paramilitary factions have claimed responsibility.</p>
<h2>These are Russian patriots</h2>
<p>Following Monday's raid, Moscow invoked a counter-terrorism operation, granting the authorities enhanced powers to restrict communications and individuals' mobility. These measures remained in effect until Tuesday afternoon.</p>
<ul><li>70 attackers killed, Moscow says</li><li>Villages   evacuated</li></ul>
<p>While the veracity of the conflicting claims from both sides remains unverified, any incursions onto Russian territory unsettle NATO leaders,<br>presenting a situation that could have both positive and negative implications for Kyiv.</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Kerala Lottery Result Today 23.05.2023</a></li><li><a href="/b">MTV Roadies Cast</a></li></ul></aside>
<section id="comments"><h3>Leave a Reply</h3><form><p>Your email address will not be published. Required fields are marked *</p><textarea></textarea><button>Post Comment</button></form></section>
</main>
<footer><p>&copy; 2023 Example News. All rights reserved.</p><nav><a href="/privacy">Privacy</a></nav></footer>
<script>track();</script>
</body></html>"##;

    #[test]
    fn keeps_the_story_and_drops_the_furniture() {
        let page = extract(NEWS).unwrap();
        let paragraphs: Vec<&str> = page.text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 7, "{}", page.text);
        assert!(paragraphs[0].starts_with("According to Moscow"));
        assert_eq!(paragraphs[2], "These are Russian patriots");
        assert!(paragraphs.contains(&"70 attackers killed, Moscow says"));
        assert!(paragraphs.contains(&"Villages evacuated"));
        assert!(page.text.contains("NATO leaders,\npresenting a situation"));
        for furniture in [
            "Home",
            "Casino",
            "tracking",
            "Share on",
            "Kerala",
            "Leave a Reply",
            "email address",
            "rights reserved",
            "Privacy",
            "font-family",
        ] {
            assert!(
                !page.text.contains(furniture),
                "{furniture} in:\n{}",
                page.text
            );
        }
        assert_eq!(
            page.facts,
            PageFacts {
                title: Some("Russia declares victory over Belgorod insurgents".into()),
                publisher: Some("Example News".into()),
                url: Some("https://example.com/news/belgorod".into()),
                published: parse_timestamp("2023-05-23T22:33:50Z").ok(),
            }
        );
    }

    #[test]
    fn time_elements_and_bylines() {
        let html = r#"<html><head><title>T</title><meta name="author" content="By Jane Doe"></head><body><article>
            <p>By Jane Doe, <time datetime="2024-01-02T03:04:05+01:00">2 January</time></p>
            <p>A paragraph of story text that is long enough to be the main content of this page, with words.</p>
            </article><aside><time datetime="2020-01-01">old</time></aside></body></html>"#;
        let page = extract(html).unwrap();
        assert_eq!(
            page.facts.published.map(|t| t.to_string()).as_deref(),
            Some("2024-01-02T02:04:05Z")
        );
        assert_eq!(page.facts.publisher.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn json_ld_graph_and_meta_names() {
        let story = "<article><p>A paragraph of story text that is long enough to be the main content of this page, with words.</p></article>";
        let graph = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","datePublished":"2023-05-24T00:00:00+00:00"},
            {"@type":"VideoObject","datePublished":"2020-01-01"},
            {"@type":["Article","NewsArticle"],"datePublished":"2023-05-23T22:33:50+00:00"}]}</script>"#;
        let page = extract(&format!(
            "<html><head>{graph}</head><body>{story}</body></html>"
        ))
        .unwrap();
        assert_eq!(
            page.facts.published.map(|t| t.to_string()).as_deref(),
            Some("2023-05-23T22:33:50Z")
        );
        let only_page = r#"<script type="application/ld+json">[{"@type":"WebPage","datePublished":"2023-05-24"}, "junk", {"@type": 5}]</script><script type="application/ld+json">{broken</script>"#;
        let page = extract(&format!(
            "<html><head>{only_page}</head><body>{story}</body></html>"
        ))
        .unwrap();
        assert_eq!(
            page.facts.published.map(|t| t.to_string()).as_deref(),
            Some("2023-05-24")
        );
        let meta = r#"<meta name="sailthru.date" content="2023-05-25 10:00:00">"#;
        let page = extract(&format!(
            "<html><head>{meta}</head><body>{story}</body></html>"
        ))
        .unwrap();
        assert_eq!(
            page.facts.published.map(|t| t.to_string()).as_deref(),
            Some("2023-05-25T10:00:00Z")
        );
    }

    #[test]
    fn renders_blocks_breaks_tables_and_pre() {
        let doc = Document::fragment(
            "<div>one <b>two</b>\n three<p>para</p>tail<br>next<br><br>after</div>\
             <table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>\
             <pre>  x = 1\n\n  y = 2</pre><!-- comment --><script>no()</script>end",
        );
        assert_eq!(
            render(&doc.root(), false),
            "one two three\n\npara\n\ntail\nnext\n\nafter\n\na b\n\nc\n\n  x = 1\n\n  y = 2\n\nend"
        );
    }

    #[test]
    fn pages_too_big_for_readability_are_rendered_whole() {
        let head = r#"<head><title>Huge | Site</title><meta property="og:site_name" content="Site"></head>"#;
        let body = "<p>x y z.</p>".repeat(MAX_ELEMENTS + 1);
        let page = extract(&format!(
            "<html>{head}<body><nav>Menu</nav>{body}</body></html>"
        ))
        .unwrap();
        assert!(page.text.starts_with("x y z.\n\nx y z."));
        assert!(!page.text.contains("Menu"));
        assert_eq!(page.facts.title.as_deref(), Some("Huge"));
        assert_eq!(page.facts.publisher.as_deref(), Some("Site"));
    }

    #[test]
    fn plain_text_and_empty_pages() {
        let page = extract("just words, no tags\n\nat all").unwrap();
        assert_eq!(page.text, "just words, no tags at all");
        assert_eq!(
            extract("<html><head><title>T</title><style>p{}</style></head><body><!-- c --><script>x()</script></body></html>").unwrap_err(),
            "no text found in the page"
        );
        assert!(extract("").is_err());
    }

    #[test]
    fn refuses_pathological_nesting_before_parsing() {
        let deep = format!(
            "<html><body>{}<p>x</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        // Refused by the byte scan, before a tree is built (how long the parser would take is a
        // benchmark's question, not a test's).
        assert!(estimated_depth(&deep, MAX_DEPTH) > MAX_DEPTH);
        assert!(extract(&deep).unwrap_err().contains("nested more than"));
        // Unclosed paragraphs and list items do not nest.
        let flat = format!("<ul>{}</ul>", "<li><p>item".repeat(5_000));
        assert!(estimated_depth(&flat, MAX_DEPTH) <= 2);
        assert_eq!(
            estimated_depth("<script>if (a<div) {}</script><div></div>", 10),
            1
        );
    }
}
#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    proptest! {
        /// Markup soup from tags that have tripped HTML code before (run with
        /// PROPTEST_CASES=30000 for a deeper search; 30,000 cases found nothing).
        #[test]
        fn extract_never_panics(parts in proptest::collection::vec(prop_oneof![
            Just("<div>".to_string()), Just("</div>".to_string()), Just("<p>".to_string()), Just("</p>".to_string()), Just("<br>".to_string()), Just("<table>".to_string()), Just("<tr>".to_string()), Just("<td>".to_string()),
            Just("</table>".to_string()), Just("<pre>".to_string()), Just("</pre>".to_string()), Just("<script>".to_string()), Just("</script>".to_string()), Just("<!--".to_string()), Just("-->".to_string()),
            Just("<time datetime=\"2023-05-23\">".to_string()), Just("<article>".to_string()), Just("</article>".to_string()), Just("<a href='x'>".to_string()), Just("</a>".to_string()),
            Just("<title>".to_string()), Just("</title>".to_string()), Just("<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"Article\",\"datePublished\":\"x\"}]}</script>".to_string()),
            Just("<meta property=\"og:site_name\" content=\"S\">".to_string()), Just("<nav>".to_string()), Just("</nav>".to_string()), Just("<svg>".to_string()), Just("<math>".to_string()), Just("<template>".to_string()),
            Just("<select><option>".to_string()), Just("<frameset>".to_string()), Just("<noscript>".to_string()), Just("&amp;".to_string()), Just("&#0;".to_string()), Just("\u{0}".to_string()), Just("<h1>".to_string()), Just("<li>".to_string()),
            Just("<ul>".to_string()), Just("</ul>".to_string()), Just("<![CDATA[".to_string()), Just("]]>".to_string()), Just("<!DOCTYPE html>".to_string()), Just("<html>".to_string()), Just("<body>".to_string()), Just("<head>".to_string()),
            "[a-z .,]{0,30}", "\\PC{0,10}"
        ], 0..60)) {
            let html: String = parts.concat();
            let _ = super::extract(&html);
        }
    }
}
