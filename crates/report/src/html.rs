//! The audit report: one self-contained HTML page to read and share.
//!
//! It shows the corpus's numbers, the derivation graph (the SVG of [`super::svg`], inline), the
//! families, the articles, and every related pair: relation, coverage both ways, direction and its
//! basis, then the two texts side by side, aligned sentence groups facing each other with deleted,
//! inserted and replaced words marked (`<del>`, `<ins>`, both with class `r` for a replacement) and the
//! sentences that align with nothing dimmed. A filter bar narrows the pairs by relation, score and
//! coverage; clicking a node shows its article and filters the pairs to its own, clicking an edge
//! scrolls to its pair.
//!
//! The page loads nothing: no script, style, font or image from anywhere, which its
//! Content-Security-Policy (`default-src 'none'`) enforces. The one inline `<style>` and the one
//! inline `<script>` are constants of this module, allowed by their SHA-256 hashes, so an inline script
//! that got into the page some other way would not run either. Article data never goes into the
//! script: it is in the page's text and attributes, escaped with [`markup`], and the script reads it
//! through the DOM (`textContent`, `dataset`), never as HTML. The output is deterministic: the same
//! analysis gives the same bytes (no time stamps, no random ids).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use stemma_align::Document;
use stemma_align::{DiffOp, DiffRun, word_diff};

use super::escape::{is_web_url, markup};
use super::svg::{GraphLimits, picture_of};
use super::view::{PairView, View, basis_name, basis_words};
use stemma_graph::CorpusAnalysis;
use stemma_graph::Direction;
use stemma_graph::Relation;
use stemma_graph::{ArticleInfo, Provenance};

/// The report's style sheet (the only one).
const STYLE: &str = include_str!("report.css");
/// The report's script (the only one): filters, clicks on the graph.
const SCRIPT: &str = include_str!("report.js");

/// The four relations, in the order the report lists them.
const RELATIONS: [Relation; 4] = [
    Relation::Duplicate,
    Relation::Syndicated,
    Relation::Rewrite,
    Relation::Partial,
];

/// Limits that keep the report of a big corpus readable and its file of a reasonable size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportLimits {
    /// What the graph picture draws.
    pub graph: GraphLimits,
    /// Most pairs shown side by side. Every related pair gets its section with its facts, but only
    /// these get the table of their aligned texts (about 20 kB each): the pairs that are edges of
    /// the derivation graph first, then the others, each by score. A star of 200 copies of one
    /// story has 19,900 related pairs.
    pub detailed_pairs: usize,
}

impl Default for ReportLimits {
    fn default() -> Self {
        ReportLimits {
            graph: GraphLimits::default(),
            detailed_pairs: 300,
        }
    }
}

/// The HTML report, with the default [`ReportLimits`].
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions}; use stemma_report as export;
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes. \
///     Temporary shelters were set up for about 9,300 displaced people in the district.";
/// let analysis = analyze(
///     vec![Article::new("wire", text), Article::new("copy<script>", text)],
///     &AnalyzeOptions::default(),
/// );
/// let page = export::html(&analysis);
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert_eq!(page.matches("<section class=\"pair\"").count(), 1);
/// assert_eq!(page.matches("<script").count(), 1); // the report's own, and no other
/// ```
pub fn html(analysis: &CorpusAnalysis) -> String {
    html_with(analysis, &ReportLimits::default())
}

/// [`html()`], written to `out`. The page is built whole (at most
/// [`ReportLimits::detailed_pairs`] pairs carry their texts), then written.
///
/// # Errors
/// When `out` fails.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions};
/// let analysis = analyze(vec![Article::new("a", "One line of text here.")], &AnalyzeOptions::default());
/// let mut out = Vec::new();
/// stemma_report::write_html(&analysis, &mut out).unwrap();
/// assert_eq!(out, stemma_report::html(&analysis).into_bytes());
/// ```
pub fn write_html(analysis: &CorpusAnalysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    out.write_all(html(analysis).as_bytes())
}

/// The HTML report within `limits`.
pub fn html_with(analysis: &CorpusAnalysis, limits: &ReportLimits) -> String {
    let view = View::new(analysis);
    let mut out = String::with_capacity(64 * 1024);
    write_head(&mut out, analysis);
    write_header(&mut out, &view);
    out.push_str("<main>\n");
    write_graph(&mut out, &view, &limits.graph);
    write_families(&mut out, &view);
    write_articles(&mut out, &view);
    write_pairs(&mut out, &view, limits.detailed_pairs);
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>Made by stemma {} from {} articles. This page loads nothing from the network.</footer>",
        env!("CARGO_PKG_VERSION"),
        analysis.articles.len()
    );
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// The Content-Security-Policy of the page: nothing may be loaded; the inline style and script run
/// only because their hashes are listed.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// `sha256-` and the base64 of the SHA-256 of `text`, as CSP writes a hash source.
fn csp_hash(text: &str) -> String {
    format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn write_head(out: &mut String, analysis: &CorpusAnalysis) {
    let s = &analysis.stats;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>stemma report: {} documents, {} related pairs</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        content_security_policy(),
        s.documents,
        s.related_pairs
    );
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("<b>1</b> {one}")
    } else {
        format!("<b>{n}</b> {many}")
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn write_header(out: &mut String, view: &View<'_>) {
    let analysis = view.analysis;
    let s = &analysis.stats;
    let unrelated = view.family_of.iter().filter(|f| f.is_none()).count();
    let missing: usize = analysis
        .derivation
        .families
        .iter()
        .map(|f| f.missing_sources.len())
        .sum();
    out.push_str("<header>\n<h1>stemma report</h1>\n<p class=\"stats\">");
    let _ = write!(
        out,
        "{} · <b>{}</b> of {} pairs aligned · {} · {} · {} · {}",
        plural(s.documents, "document", "documents"),
        s.aligned_pairs,
        s.all_pairs,
        plural(s.related_pairs, "related pair", "related pairs"),
        plural(analysis.derivation.families.len(), "family", "families"),
        plural(missing, "missing source", "missing sources"),
        plural(
            unrelated,
            "article related to no other",
            "articles related to no other"
        ),
    );
    out.push_str("</p>\n<p class=\"stats\">");
    let counts: Vec<String> = RELATIONS
        .iter()
        .map(|&r| {
            let n = view.pairs.iter().filter(|p| p.relation == r).count();
            format!("<span class=\"rel rel-{r}\">{r}</span> {n}", r = r.as_str())
        })
        .collect();
    out.push_str(&counts.join(" · "));
    out.push_str(
        "</p>\n<nav><a href=\"#graph\">Graph</a> <a href=\"#families\">Families</a> \
         <a href=\"#articles\">Articles</a> <a href=\"#pairs\">Pairs</a></nav>\n</header>\n",
    );
}

fn write_graph(out: &mut String, view: &View<'_>, limits: &GraphLimits) {
    let picture = picture_of(view, limits);
    out.push_str(
        "<section id=\"graph\">\n<h2>Derivation graph</h2>\n<p class=\"legend\">Arrows go from the \
         source to the text derived from it, coloured by relation; the label is the pair's number, \
         relation and score. A dashed box is a <i>missing source</i>: a common source that is not in \
         the corpus, inferred from the texts that reuse it. A line without an arrowhead has an \
         undetermined direction. Click a node to see its article and its pairs, an edge to see its \
         pair.</p>\n",
    );
    if let Some(note) = picture.note() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", markup(&note));
    }
    let _ = writeln!(
        out,
        "<div class=\"graph-box\">\n{}</div>\n<div id=\"selection\" class=\"selection\" hidden>\
         <p><span id=\"selection-what\"></span> <button type=\"button\" class=\"clear-selection\">\
         clear</button></p><table class=\"articles\">{ARTICLES_HEAD}<tbody></tbody></table></div>\n</section>",
        picture.svg
    );
}

/// An article's id as a button that selects it like a click on its node.
fn member_button(analysis: &CorpusAnalysis, i: usize) -> String {
    format!(
        "<button type=\"button\" class=\"member\" data-articles=\"{i}\" aria-label=\"{id}\">{id}</button>",
        id = markup(&analysis.articles[i].id)
    )
}

fn write_families(out: &mut String, view: &View<'_>) {
    let analysis = view.analysis;
    let graph = &analysis.derivation;
    out.push_str("<section id=\"families\">\n<h2>Families</h2>\n");
    if analysis.derivation.families.is_empty() {
        out.push_str("<p>No article reuses another's text.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<p class=\"legend\">Articles connected by related pairs, members in time order.</p>\n<ol class=\"families\">\n",
    );
    for (k, family) in analysis.derivation.families.iter().enumerate() {
        let number = k + 1;
        let _ = write!(
            out,
            "<li id=\"family-{number}\"><b>Family {number}</b> ({} articles",
            family.members.len()
        );
        if !family.missing_sources.is_empty() {
            let _ = write!(
                out,
                ", {} missing source{}",
                family.missing_sources.len(),
                if family.missing_sources.len() == 1 {
                    ""
                } else {
                    "s"
                }
            );
        }
        out.push_str("):<ul>");
        for &m in &family.members {
            let a = &analysis.articles[m];
            let _ = write!(out, "<li>{}", member_button(analysis, m));
            let details: Vec<String> = [
                a.publisher.as_ref().map(|p| markup(&p.value).into_owned()),
                a.published.as_ref().map(|t| t.value.to_string()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !details.is_empty() {
                let _ = write!(out, " <span class=\"dim\">{}</span>", details.join(", "));
            }
            out.push_str("</li>");
        }
        for &ms in &family.missing_sources {
            let mut children: Vec<usize> = graph
                .children(ms)
                .filter_map(|c| view.article_of(c.target))
                .collect();
            children.sort_unstable();
            let buttons: Vec<String> = children
                .iter()
                .map(|&c| member_button(analysis, c))
                .collect();
            let _ = write!(
                out,
                "<li><span class=\"missing-name\">{}</span>: a common source not in the corpus, reused by {}</li>",
                markup(&graph.node(ms).id),
                buttons.join(", ")
            );
        }
        out.push_str("</ul><p class=\"family-pairs\">Pairs: ");
        let links: Vec<String> = view
            .pairs
            .iter()
            .filter(|p| p.family == Some(number))
            .map(|p| format!("<a href=\"#pair-{n}\">#{n}</a>", n = p.number))
            .collect();
        out.push_str(&links.join(" "));
        out.push_str("</p></li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

/// The head of the articles table (also of the selected article's table under the graph).
const ARTICLES_HEAD: &str = "<thead><tr><th>id</th><th>title</th><th>publisher</th><th>published</th>\
    <th>sentences</th><th>family</th><th>pairs</th></tr></thead>";

fn write_articles(out: &mut String, view: &View<'_>) {
    let analysis = view.analysis;
    let _ = write!(
        out,
        "<section id=\"articles\">\n<h2>Articles</h2>\n<table class=\"articles\">\n{ARTICLES_HEAD}\n<tbody>\n"
    );
    let mut pairs_of: Vec<Vec<usize>> = vec![Vec::new(); analysis.articles.len()];
    for p in &view.pairs {
        pairs_of[p.evidence.a].push(p.number);
        pairs_of[p.evidence.b].push(p.number);
    }
    for (i, (a, doc)) in analysis
        .articles
        .iter()
        .zip(&analysis.documents)
        .enumerate()
    {
        let _ = write!(
            out,
            "<tr id=\"article-{i}\"><td class=\"id\">{}</td><td>",
            member_button(analysis, i)
        );
        write_title(out, a);
        let published = a.published.as_ref().map_or(String::new(), |t| {
            let from = match t.from {
                Provenance::Text => " <span class=\"dim\">(from the text)</span>",
                Provenance::Page => " <span class=\"dim\">(from the page)</span>",
                Provenance::Metadata => "",
            };
            format!("{}{from}", t.value)
        });
        let _ = write!(
            out,
            "</td><td>{}</td><td class=\"nowrap\">{published}</td><td class=\"nowrap\">{} <span class=\"dim\">({} furniture)</span></td><td>{}</td><td>",
            a.publisher
                .as_ref()
                .map_or(String::new(), |p| markup(&p.value).into_owned()),
            doc.sentences.len(),
            doc.furniture_count(),
            view.family_of[i].map_or(String::from("–"), |f| format!(
                "<a href=\"#family-{f}\">{f}</a>"
            )),
        );
        let links: Vec<String> = pairs_of[i]
            .iter()
            .map(|n| format!("<a href=\"#pair-{n}\">#{n}</a>"))
            .collect();
        out.push_str(&links.join(" "));
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// An article's title (a link when its URL is a web URL), and its URL as text otherwise.
fn write_title(out: &mut String, a: &ArticleInfo) {
    let title = a.title.as_ref().map(|t| t.value.as_str());
    let url = a.url.as_ref().map(|u| u.value.as_str());
    match (title, url) {
        (Some(t), Some(u)) if is_web_url(u) => {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
                markup(u.trim()),
                markup(t)
            );
        }
        (None, Some(u)) if is_web_url(u) => {
            let _ = write!(
                out,
                "<a href=\"{u}\" rel=\"noopener noreferrer nofollow\">{u}</a>",
                u = markup(u.trim())
            );
        }
        (t, u) => {
            if let Some(t) = t {
                out.push_str(&markup(t));
            }
            if let Some(u) = u {
                let _ = write!(out, " <span class=\"dim url\">{}</span>", markup(u));
            }
        }
    }
}

/// Which pairs (by position in `view.pairs`) get their texts side by side: derivation edges first,
/// then the others, each by score, at most `limit`.
fn detailed(view: &View<'_>, limit: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..view.pairs.len()).collect();
    order.sort_by(|&x, &y| {
        let (p, q) = (&view.pairs[x], &view.pairs[y]);
        q.edge
            .is_some()
            .cmp(&p.edge.is_some())
            .then(q.evidence.score.total_cmp(&p.evidence.score))
            .then(x.cmp(&y))
    });
    let mut shown = vec![false; view.pairs.len()];
    for &k in order.iter().take(limit) {
        shown[k] = true;
    }
    shown
}

fn write_pairs(out: &mut String, view: &View<'_>, detailed_pairs: usize) {
    out.push_str("<section id=\"pairs\">\n<h2>Related pairs</h2>\n");
    out.push_str("<div class=\"filters\" id=\"filters\">\n<fieldset><legend>Relation</legend>");
    for r in RELATIONS {
        let n = view.pairs.iter().filter(|p| p.relation == r).count();
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"relation\" value=\"{r}\" checked> \
             <span class=\"rel rel-{r}\">{r}</span> {n}</label> ",
            r = r.as_str()
        );
    }
    out.push_str(
        "</fieldset>\n<label>score ≥ <input type=\"range\" id=\"min-score\" min=\"0\" max=\"1\" \
         step=\"0.05\" value=\"0\"> <output id=\"min-score-value\">0.00</output></label>\n\
         <label>coverage ≥ <input type=\"range\" id=\"min-coverage\" min=\"0\" max=\"1\" step=\"0.05\" \
         value=\"0\"> <output id=\"min-coverage-value\">0%</output></label>\n\
         <label><input type=\"checkbox\" id=\"show-unaligned\" checked> unaligned sentences</label>\n\
         <span id=\"article-filter\" hidden>pairs of <b id=\"article-filter-name\"></b> \
         <button type=\"button\" class=\"clear-selection\">show all</button></span>\n",
    );
    let _ = writeln!(
        out,
        "<span id=\"pair-count\">{n} of {n} pairs shown</span>\n</div>",
        n = view.pairs.len()
    );
    out.push_str(
        "<p class=\"legend\">Each pair: the source on the left when the direction is known. Facing \
         cells are aligned sentence groups; the middle column gives their sentence numbers (from 0, \
         page furniture included) and similarity. <del>Struck</del> words are only on the left, \
         <ins>underlined</ins> words only on the right, <del class=\"r\">amber</del> words were \
         replaced by the <ins class=\"r\">amber</ins> words facing them. Dimmed sentences align with \
         nothing; sentences stemma took for page furniture (menus, bylines, footers) are left out. Coverage filters on the more \
         covered side.</p>\n<div id=\"pair-list\">\n",
    );
    let detailed = detailed(view, detailed_pairs);
    let left_out = detailed.iter().filter(|d| !**d).count();
    if left_out > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{left_out} of {} pairs are shown without their texts side by side: the \
             report shows the texts of {detailed_pairs} pairs (the edges of the derivation graph first, \
             then by score). <code>stemma diff</code> on two files shows any pair.</p>",
            view.pairs.len()
        );
    }
    if view.pairs.is_empty() {
        out.push_str("<p>No related pairs.</p>\n");
    }
    for (p, &detail) in view.pairs.iter().zip(&detailed) {
        write_pair(out, view, p, detail);
    }
    out.push_str("</div>\n<p id=\"no-pairs\" hidden>No pair passes the filters.</p>\n</section>\n");
}

fn write_pair(out: &mut String, view: &View<'_>, p: &PairView<'_>, detail: bool) {
    let analysis = view.analysis;
    let e = p.evidence;
    // The source on the left when the direction is known.
    let flip = p
        .edge
        .is_some_and(|edge| edge.direction != Direction::Undetermined && edge.source == e.b);
    let (left, right) = if flip { (e.b, e.a) } else { (e.a, e.b) };
    let (cov_left, cov_right) = if flip {
        (e.alignment.coverage_b, e.alignment.coverage_a)
    } else {
        (e.alignment.coverage_a, e.alignment.coverage_b)
    };
    let id = |i: usize| markup(&analysis.articles[i].id).into_owned();
    let r = p.relation.as_str();
    let _ = writeln!(
        out,
        "<section class=\"pair\" id=\"pair-{n}\" data-pair=\"{n}\" data-articles=\"{a} {b}\" \
         data-relation=\"{r}\" data-score=\"{score:.4}\" data-coverage=\"{cov:.4}\">",
        n = p.number,
        a = e.a,
        b = e.b,
        score = e.score,
        cov = e.alignment.coverage_a.max(e.alignment.coverage_b),
    );
    let arrow = match p.edge {
        Some(edge) if edge.direction != Direction::Undetermined => "→",
        _ => "~",
    };
    let _ = writeln!(
        out,
        "<h3><a class=\"number\" href=\"#pair-{n}\">#{n}</a> <span class=\"aid\">{}</span> {arrow} \
         <span class=\"aid\">{}</span> <span class=\"rel rel-{r}\">{r}</span></h3>",
        id(left),
        id(right),
        n = p.number
    );
    let direction = match p.edge {
        None => "not an edge of the derivation graph: its tree links these two through other \
                 articles"
            .to_string(),
        Some(edge) => format!(
            "{} {} {}, <span class=\"basis\">{}</span> <span class=\"dim\">({})</span>",
            id(edge.source),
            if edge.direction == Direction::Undetermined {
                "—"
            } else {
                "→"
            },
            id(edge.target),
            basis_words(edge.direction),
            basis_name(edge.direction)
        ),
    };
    let groups = &e.alignment.groups;
    let moved = groups.iter().filter(|g| !g.in_order).count();
    let _ = writeln!(
        out,
        "<dl class=\"facts\"><div><dt>score</dt><dd>{:.2}</dd></div><div><dt>probability</dt><dd>{:.2}</dd>\
         </div><div><dt>coverage</dt><dd>{} {} · \
         {} {}</dd></div><div><dt>verbatim</dt><dd>{}</dd></div><div><dt>names, numbers, quotes</dt>\
         <dd>{}</dd></div><div><dt>direction</dt><dd>{direction}</dd></div><div><dt>family</dt><dd>{}</dd>\
         </div><div><dt>aligned</dt><dd>{} groups{}</dd></div></dl>",
        e.score,
        e.probability,
        id(left),
        percent(cov_left),
        id(right),
        percent(cov_right),
        percent(e.verbatim_share),
        percent(e.immutable_share),
        p.family.map_or(String::from("–"), |f| format!(
            "<a href=\"#family-{f}\">{f}</a>"
        )),
        groups.len(),
        if moved > 0 {
            format!(", {moved} moved")
        } else {
            String::new()
        }
    );
    if !detail {
        out.push_str(
            "<p class=\"dim\">Texts not shown side by side (see the note above the pairs).</p>\n</section>\n",
        );
        return;
    }
    let role = |i: usize| match p.edge {
        Some(edge) if edge.direction != Direction::Undetermined => {
            if edge.source == i {
                "source"
            } else {
                "derived"
            }
        }
        _ => "",
    };
    out.push_str("<table class=\"align\">\n<thead><tr>");
    for (k, &i) in [left, right].iter().enumerate() {
        let a = &analysis.articles[i];
        let _ = write!(
            out,
            "<th class=\"{}\"><span class=\"role\">{}</span> <span class=\"aid\">{}</span>",
            if k == 0 { "a" } else { "b" },
            role(i),
            id(i)
        );
        let details: Vec<String> = [
            a.title.as_ref().map(|t| markup(&t.value).into_owned()),
            a.publisher.as_ref().map(|t| markup(&t.value).into_owned()),
            a.published.as_ref().map(|t| t.value.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !details.is_empty() {
            let _ = write!(out, "<br><small>{}</small>", details.join(" · "));
        }
        out.push_str("</th>");
        if k == 0 {
            out.push_str("<th class=\"m\"></th>");
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    write_rows(
        out,
        &analysis.documents[left],
        &analysis.documents[right],
        groups,
        flip,
    );
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// One aligned group seen with the left document as A.
struct Facing<'g> {
    left: std::ops::Range<usize>,
    right: std::ops::Range<usize>,
    group: &'g stemma_align::AlignedGroup,
}

/// The rows of a pair's table: aligned groups in the left document's order, each followed by the
/// sentences of either side that align with nothing and come next in that side.
fn write_rows(
    out: &mut String,
    left: &Document,
    right: &Document,
    groups: &[stemma_align::AlignedGroup],
    flip: bool,
) {
    let mut facing: Vec<Facing<'_>> = groups
        .iter()
        .map(|g| {
            let (l, r) = if flip {
                (g.b.clone(), g.a.clone())
            } else {
                (g.a.clone(), g.b.clone())
            };
            Facing {
                left: l,
                right: r,
                group: g,
            }
        })
        .collect();
    facing.sort_by_key(|f| (f.left.start, f.right.start));
    let unaligned = |doc: &Document, ranges: &mut dyn Iterator<Item = std::ops::Range<usize>>| {
        let mut covered = vec![false; doc.sentences.len()];
        for r in ranges {
            for i in r {
                if let Some(c) = covered.get_mut(i) {
                    *c = true;
                }
            }
        }
        (0..doc.sentences.len())
            .map(|i| !covered[i] && doc.is_body(i))
            .collect::<Vec<bool>>()
    };
    let left_free = unaligned(left, &mut facing.iter().map(|f| f.left.clone()));
    let right_free = unaligned(right, &mut facing.iter().map(|f| f.right.clone()));
    // Each unaligned right sentence goes after the group that precedes it in the right document
    // (bucket k + 1 for group k), or before every group (bucket 0).
    let mut by_right_end: Vec<(usize, usize)> = facing
        .iter()
        .enumerate()
        .map(|(k, f)| (f.right.end, k))
        .collect();
    by_right_end.sort_unstable();
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); facing.len() + 1];
    for (i, _) in right_free.iter().enumerate().filter(|(_, free)| **free) {
        let before = by_right_end.partition_point(|&(end, _)| end <= i);
        let bucket = if before == 0 {
            0
        } else {
            // Of the groups ending before i, the one ending last.
            by_right_end[before - 1].1 + 1
        };
        buckets[bucket].push(i);
    }
    let left_run = |from: usize, to: usize| -> Vec<usize> {
        (from..to.min(left.sentences.len()))
            .filter(|&i| left_free[i])
            .collect()
    };
    let first = facing
        .first()
        .map_or(left.sentences.len(), |f| f.left.start);
    write_unaligned(out, left, &left_run(0, first), true);
    write_unaligned(out, right, &buckets[0], false);
    for (k, f) in facing.iter().enumerate() {
        write_group(out, left, right, f);
        let next = facing
            .get(k + 1)
            .map_or(left.sentences.len(), |g| g.left.start);
        write_unaligned(out, left, &left_run(f.left.end, next), true);
        write_unaligned(out, right, &buckets[k + 1], false);
    }
}

fn sentence_numbers(range: &std::ops::Range<usize>) -> String {
    match range.len() {
        0 => "–".to_string(),
        1 => format!("#{}", range.start),
        _ => format!("#{}–{}", range.start, range.end - 1),
    }
}

fn write_group(out: &mut String, left: &Document, right: &Document, f: &Facing<'_>) {
    let runs = word_diff(
        &left.sentences_text(f.left.clone()),
        &right.sentences_text(f.right.clone()),
    );
    let (l, r) = diff_cells(&runs);
    let shape = match (f.left.len(), f.right.len()) {
        (1, 1) => "",
        (1, _) => " split",
        (_, 1) => " merge",
        _ => "",
    };
    let moved = if f.group.in_order { "" } else { " moved" };
    let _ = writeln!(
        out,
        "<tr class=\"group{moved}\"><td class=\"a\">{l}</td><td class=\"m\">{} ↔ {}<br>{:.2}{shape}{moved}</td>\
         <td class=\"b\">{r}</td></tr>",
        sentence_numbers(&f.left),
        sentence_numbers(&f.right),
        f.group.score,
    );
}

/// A run of sentences of one side that align with nothing, as one dimmed row.
fn write_unaligned(out: &mut String, doc: &Document, sentences: &[usize], on_left: bool) {
    if sentences.is_empty() {
        return;
    }
    let text: Vec<String> = sentences
        .iter()
        .map(|&i| {
            format!(
                "<span class=\"s\"><span class=\"n\">#{i}</span> {}</span>",
                markup(doc.sentence_text(i))
            )
        })
        .collect();
    let cell = text.join(" ");
    let label = if sentences.len() == 1 {
        "not aligned".to_string()
    } else {
        format!("{} not aligned", sentences.len())
    };
    if on_left {
        let _ = writeln!(
            out,
            "<tr class=\"unaligned\"><td class=\"a\">{cell}</td><td class=\"m\">{label}</td><td class=\"b\"></td></tr>"
        );
    } else {
        let _ = writeln!(
            out,
            "<tr class=\"unaligned\"><td class=\"a\"></td><td class=\"m\">{label}</td><td class=\"b\">{cell}</td></tr>"
        );
    }
}

/// The two sides of a word diff as HTML: deleted words in `<del>` on the left, inserted ones in
/// `<ins>` on the right, replaced ones in both, with class `r`. The white space after a changed word
/// stays outside its mark.
pub(crate) fn diff_cells(runs: &[DiffRun]) -> (String, String) {
    let mut left = String::new();
    let mut right = String::new();
    let mark = |out: &mut String, tag: &str, class: &str, text: &str| {
        let core = text.trim_end();
        if core.is_empty() {
            out.push_str(&markup(text));
            return;
        }
        let _ = write!(
            out,
            "<{tag}{class}>{}</{tag}>{}",
            markup(core),
            markup(&text[core.len()..])
        );
    };
    for run in runs {
        match run.op {
            DiffOp::Equal => {
                left.push_str(&markup(&run.a));
                right.push_str(&markup(&run.b));
            }
            DiffOp::Delete => mark(&mut left, "del", "", &run.a),
            DiffOp::Insert => mark(&mut right, "ins", "", &run.b),
            DiffOp::Replace => {
                mark(&mut left, "del", " class=\"r\"", &run.a);
                mark(&mut right, "ins", " class=\"r\"", &run.b);
            }
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
    }

    #[test]
    fn csp_hash_of_a_known_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
    }

    #[test]
    fn diff_cells_mark_each_side() {
        let runs = word_diff(
            "The <b> attackers were killed.",
            "The <b> assailants were killed today.",
        );
        let (l, r) = diff_cells(&runs);
        assert_eq!(
            l,
            "The &lt;b&gt; <del class=\"r\">attackers</del> were killed."
        );
        assert!(r.contains("<ins class=\"r\">assailants</ins> "), "{r}");
        assert!(r.contains("<ins>today</ins>"), "{r}");
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;
    use crate::fixtures::{PAYLOAD, hostile};

    /// The page with the content of its one `<style>` and one `<script>` cut out (they are constants
    /// of this module, checked apart).
    fn markup_only(page: &str) -> String {
        let cut = |page: &str, open: &str, close: &str| -> String {
            let start = page.find(open).expect("open tag") + open.len();
            let end = page[start..].find(close).expect("close tag") + start;
            format!("{}{}", &page[..start], &page[end..])
        };
        cut(&cut(page, "<style>", "</style>"), "<script>", "</script>")
    }

    /// Every tag of the page: its name (with `/` for an end tag) and its full text.
    fn tags(page: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = page;
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').expect("a tag ends") + start;
            let tag = &rest[start..=end];
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                .collect();
            out.push((name.to_ascii_lowercase(), tag.to_string()));
            rest = &rest[end + 1..];
        }
        out
    }

    const OUR_TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3",
        "p", "b", "i", "nav", "a", "main", "section", "div", "button", "span", "table", "thead",
        "tbody", "tr", "th", "td", "ol", "ul", "li", "fieldset", "legend", "label", "input",
        "output", "dl", "dt", "dd", "small", "br", "del", "ins", "footer", "script", "svg", "defs",
        "marker", "path", "g", "rect", "text", "tspan",
    ];

    #[test]
    fn hostile_articles_cannot_add_markup() {
        let analysis = hostile();
        assert_eq!(
            analysis.related_pairs().count(),
            3,
            "the three copies relate"
        );
        let page = html(&analysis);
        let body = markup_only(&page);
        for (name, tag) in tags(&body) {
            let bare = name.trim_start_matches('/');
            assert!(
                OUR_TAGS.contains(&bare),
                "a tag the report does not write: {tag}"
            );
            assert_eq!(tag.matches('"').count() % 2, 0, "quotes balance in {tag}");
            if !tag.contains("Content-Security-Policy") {
                assert!(!tag.contains('\''), "no single quote in a tag: {tag}");
            }
            assert!(!tag.contains("src="), "nothing to load: {tag}");
            assert!(!tag.contains(" on"), "no event handler: {tag}");
        }
        assert_eq!(page.matches("<script").count(), 1);
        assert_eq!(page.matches("</script").count(), 1);
        assert_eq!(page.matches("<svg").count(), 1);
        assert_eq!(page.matches("</svg>").count(), 1);
        assert_eq!(page.matches("<style").count(), 1);
        assert!(!page.contains("]]>"));
        assert!(!page.contains("<!--"));
        assert!(!page.contains(PAYLOAD));
        assert!(!page.contains("<img"));
        assert!(!page.contains("href=\"javascript"));
        // The payload is there, as text.
        assert!(page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &quot;dq&quot; &#39;sq&#39; &lt;/svg&gt; ]]&gt;"
        ));
        // One node per article, one section per related pair, one row per article.
        assert_eq!(page.matches("class=\"node article\"").count(), 4);
        assert_eq!(page.matches("<section class=\"pair\"").count(), 3);
        assert_eq!(page.matches("<tr id=\"article-").count(), 4);
    }

    #[test]
    fn the_style_and_script_are_allowed_by_hash_and_hold_no_end_tag() {
        let page = html(&hostile());
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none';"));
        assert!(page.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
        )));
        let start = page.find("<script>").unwrap_or_default() + "<script>".len();
        let end = page.rfind("</script>").unwrap_or_default();
        assert_eq!(&page[start..end], SCRIPT);
        assert!(csp.contains(&csp_hash(&page[start..end])));
        assert!(csp.contains(&csp_hash(STYLE)));
        assert!(!SCRIPT.contains("</"));
        assert!(!STYLE.contains('<'));
        // The page's own script never parses HTML.
        assert!(!SCRIPT.contains("innerHTML") && !SCRIPT.contains("insertAdjacentHTML"));
        // Nothing to load from the style sheet.
        assert!(!STYLE.contains("@import") && !STYLE.contains("url("));
    }

    #[test]
    fn the_page_is_deterministic() {
        let first = html(&hostile());
        assert_eq!(html(&hostile()), first);
    }

    #[test]
    fn a_url_that_is_not_http_is_text() {
        let page = html(&hostile());
        assert!(page.contains("<span class=\"dim url\">javascript:alert(1)</span>"));
        assert!(page.contains(
            "href=\"https://example.invalid/1&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""
        ));
    }

    #[test]
    fn only_detailed_pairs_get_their_texts_side_by_side() {
        let analysis = hostile();
        let view = View::new(&analysis);
        let limits = ReportLimits {
            detailed_pairs: 1,
            ..ReportLimits::default()
        };
        let page = html_with(&analysis, &limits);
        assert_eq!(page.matches("<section class=\"pair\"").count(), 3);
        assert_eq!(page.matches("<table class=\"align\">").count(), 1);
        assert!(page.contains("2 of 3 pairs are shown without their texts side by side"));
        // The one shown is a derivation edge, the strongest of them.
        let best = view
            .pairs
            .iter()
            .filter(|p| p.edge.is_some())
            .max_by(|p, q| p.evidence.score.total_cmp(&q.evidence.score))
            .expect("an edge");
        let section = &page[page
            .find(&format!("id=\"pair-{}\"", best.number))
            .expect("its section")..];
        let section = &section[..section.find("</section>").expect("its end")];
        assert!(section.contains("<table class=\"align\">"));
        assert_eq!(
            html(&analysis).matches("<table class=\"align\">").count(),
            3
        );
    }

    #[test]
    fn an_empty_corpus_gives_a_page() {
        let analysis = stemma_graph::analyze(Vec::new(), &stemma_graph::AnalyzeOptions::default());
        let page = html(&analysis);
        assert!(page.contains("No related pairs."));
        assert!(page.contains("No articles to draw."));
        assert!(page.ends_with("</html>\n"));
    }
}
