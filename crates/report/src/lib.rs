//! Exports of a corpus analysis, each a function of [`CorpusAnalysis`] that returns a string and a
//! `write_*` twin that writes to an [`std::io::Write`]: the JSON report (documented, stable:
//! [`report`], [`write_report`]), Graphviz DOT ([`dot`], [`write_dot`]), the derivation graph as an
//! SVG picture ([`svg()`], [`picture`]), the self-contained HTML audit report ([`html()`],
//! [`html_with`]) and the related pairs as CSV ([`csv()`]). [`markup`] is the escaping every export
//! of article text to HTML or SVG goes through. [`diff_groups`] gives one pair's aligned groups with
//! their word diffs, as `stemma diff --format json` writes them.
//!
//! The SVG, the HTML and the CSV number the related pairs alike, from 1 in the order of the JSON
//! `pairs`, so that pair `#3` on an edge of the picture is row 3 of the spreadsheet.
//!
//! Source layout: `lib.rs` (JSON and DOT), `svg.rs`, `html.rs` (with `report.css` and
//! `report.js`), `csv.rs`, `escape.rs`, `pair_diff.rs` (one pair's groups with word diffs), and
//! `view.rs`, the numbering the SVG, the HTML and the CSV share.

// The modules are private: what a user needs is re-exported here, so the surface is this list.
mod csv;
mod escape;
mod html;
mod pair_diff;
mod svg;
mod view;

pub use csv::{COLUMNS as CSV_COLUMNS, csv, field as csv_field, neutralise, write_csv};
pub use escape::{is_web_url, markup};
pub use html::{ReportLimits, content_security_policy, html, html_with, write_html};
pub use pair_diff::{DiffGroup, diff_groups};
pub use svg::{GraphLimits, GraphPicture, SMALL_FAMILY, picture, svg, write_svg};

use serde::Serialize;

use stemma_graph::CorpusAnalysis;
use stemma_graph::Relation;
use stemma_graph::{Direction, NodeKind};
use stemma_graph::{Provenance, Timestamp};

/// One document in the JSON report.
#[derive(Debug, Serialize)]
pub struct DocumentJson {
    /// Article id.
    pub id: String,
    /// Title, if known.
    pub title: Option<String>,
    /// Publisher, if known.
    pub publisher: Option<String>,
    /// URL, if known.
    pub url: Option<String>,
    /// Publication time, if known.
    pub published: Option<Timestamp>,
    /// Where the time came from.
    pub published_from: Option<Provenance>,
    /// Number of sentences.
    pub sentences: usize,
    /// Number of sentences taken for page furniture.
    pub boilerplate_lines: usize,
}

/// One aligned group of a pair in the JSON report.
#[derive(Debug, Serialize)]
pub struct AlignedJson {
    /// Sentence indices in `a`.
    pub a_sentences: Vec<usize>,
    /// Sentence indices in `b`.
    pub b_sentences: Vec<usize>,
    /// Exact text of those sentences in `a`, joined by one space.
    pub a_text: String,
    /// Exact text of those sentences in `b`, joined by one space.
    pub b_text: String,
    /// Similarity of the group.
    pub score: f64,
}

/// One related pair in the JSON report.
#[derive(Debug, Serialize)]
pub struct PairJson {
    /// First article id (ids sorted).
    pub a: String,
    /// Second article id.
    pub b: String,
    /// The relation.
    pub relation: Relation,
    /// Strength of the evidence.
    pub score: f64,
    /// The link model's probability that the two share a text.
    pub probability: f64,
    /// Share of a's body text aligned.
    pub coverage_a: f64,
    /// Share of b's body text aligned.
    pub coverage_b: f64,
    /// Share of aligned text that is verbatim.
    pub verbatim_share: f64,
    /// Share of aligned weight that is names, numbers or quotes.
    pub immutable_share: f64,
    /// Aligned groups.
    pub aligned: Vec<AlignedJson>,
}

/// A node in the JSON report.
#[derive(Debug, Serialize)]
pub struct NodeJson {
    /// Article id or missing-source id.
    pub id: String,
    /// `article` or `missing_source`.
    pub kind: &'static str,
}

/// An edge in the JSON report, from source to derived.
#[derive(Debug, Serialize)]
pub struct EdgeJson {
    /// Source node id.
    pub source: String,
    /// Derived node id.
    pub target: String,
    /// Relation of the two texts, or null from a missing source.
    pub relation: Option<Relation>,
    /// `timestamp`, `evidence` or `undetermined`.
    pub direction: Direction,
    /// Strength of the evidence.
    pub confidence: f64,
}

/// A family in the JSON report.
#[derive(Debug, Serialize)]
pub struct FamilyJson {
    /// Member ids in time order.
    pub members: Vec<String>,
    /// Ids of the family's missing sources.
    pub missing_sources: Vec<String>,
}

/// The whole JSON report (see docs/json.md and docs/analyze.schema.json).
#[derive(Debug, Serialize)]
pub struct ReportJson {
    /// Every document analysed.
    pub documents: Vec<DocumentJson>,
    /// Related pairs only.
    pub pairs: Vec<PairJson>,
    /// Nodes of the derivation graph.
    pub nodes: Vec<NodeJson>,
    /// Edges of the derivation graph.
    pub edges: Vec<EdgeJson>,
    /// Families of related documents.
    pub families: Vec<FamilyJson>,
    /// How much work was done.
    pub stats: stemma_graph::Stats,
    /// Inputs skipped or read in part, limits reached, texts read as furniture whole.
    pub diagnostics: Vec<stemma_graph::Diagnostic>,
}

/// Rounds to four decimals so that reports are readable and stable.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Builds the JSON report. [`write_report`] writes the same bytes as `serde_json::to_writer_pretty` of
/// this, without holding the whole report in memory.
pub fn report(analysis: &CorpusAnalysis) -> ReportJson {
    ReportJson {
        documents: documents_json(analysis).collect(),
        pairs: pairs_json(analysis).collect(),
        nodes: nodes_json(analysis).collect(),
        edges: edges_json(analysis).collect(),
        families: families_json(analysis).collect(),
        stats: analysis.stats,
        diagnostics: analysis.diagnostics.clone(),
    }
}

/// Writes the JSON report (pretty-printed, as [`report`] would serialise) to `writer`, a batch of items
/// at a time: at a hundred thousand articles the report is over a gigabyte, and building it whole
/// before writing it doubled the peak memory of a run. The items of a batch are rendered in parallel
/// and written in order, so the bytes do not depend on the thread count.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions}; use stemma_report as export;
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     Temporary shelters were set up for about 9,300 displaced people in the district.";
/// let analysis = analyze(vec![Article::new("a", text), Article::new("b", text)], &AnalyzeOptions::default());
/// let mut streamed = Vec::new();
/// export::write_report(&analysis, &mut streamed).unwrap();
/// assert_eq!(streamed, serde_json::to_vec_pretty(&export::report(&analysis)).unwrap());
/// ```
pub fn write_report<W: std::io::Write>(
    analysis: &CorpusAnalysis,
    mut writer: W,
) -> serde_json::Result<()> {
    let w = &mut writer;
    // The fields and their order are ReportJson's; each value sits one level deep.
    let io = serde_json::Error::io;
    w.write_all(b"{\n  \"documents\": ").map_err(io)?;
    write_array(w, analysis.documents.len(), |k| {
        Some(document_json(analysis, k))
    })?;
    w.write_all(b",\n  \"pairs\": ").map_err(io)?;
    write_array(w, analysis.pairs.len(), |k| {
        pair_json(analysis, &analysis.pairs[k])
    })?;
    w.write_all(b",\n  \"nodes\": ").map_err(io)?;
    let nodes: Vec<NodeJson> = nodes_json(analysis).collect();
    write_array(w, nodes.len(), |k| Some(&nodes[k]))?;
    w.write_all(b",\n  \"edges\": ").map_err(io)?;
    let edges: Vec<EdgeJson> = edges_json(analysis).collect();
    write_array(w, edges.len(), |k| Some(&edges[k]))?;
    w.write_all(b",\n  \"families\": ").map_err(io)?;
    write_array(w, analysis.derivation.families.len(), |k| {
        Some(family_json(analysis, &analysis.derivation.families[k]))
    })?;
    w.write_all(b",\n  \"stats\": ").map_err(io)?;
    let mut stats = Vec::new();
    write_nested(&mut stats, &analysis.stats, 1)?;
    w.write_all(&stats).map_err(io)?;
    w.write_all(b",\n  \"diagnostics\": ").map_err(io)?;
    write_array(w, analysis.diagnostics.len(), |k| {
        Some(&analysis.diagnostics[k])
    })?;
    w.write_all(b"\n}").map_err(io)
}

/// Items of an array rendered in one batch: bounds the memory of the rendered text.
const WRITE_BATCH: usize = 4096;

/// Items of a batch rendered by one task.
const WRITE_CHUNK: usize = 64;

/// Writes the array of `element(0..len)` (skipping `None`) one level deep in the report, as
/// serde_json's pretty printer would: `[]` when empty, else each element on its own lines, indented.
fn write_array<W, T, F>(w: &mut W, len: usize, element: F) -> serde_json::Result<()>
where
    W: std::io::Write,
    T: Serialize,
    F: Fn(usize) -> Option<T> + Sync,
{
    use rayon::prelude::*;
    let io = serde_json::Error::io;
    w.write_all(b"[").map_err(io)?;
    let mut any = false;
    for batch in (0..len).step_by(WRITE_BATCH) {
        let indices: Vec<usize> = (batch..len.min(batch + WRITE_BATCH)).collect();
        // Each chunk's elements, each after ",\n" but the chunk's first, after "\n".
        let rendered: Vec<serde_json::Result<(Vec<u8>, bool)>> = indices
            .par_chunks(WRITE_CHUNK)
            .map(|chunk| {
                let mut out = Vec::new();
                let mut first = true;
                for &k in chunk {
                    if let Some(value) = element(k) {
                        out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        write_nested(&mut out, &value, 2)?;
                        first = false;
                    }
                }
                Ok((out, !first))
            })
            .collect();
        for chunk in rendered {
            let (bytes, nonempty) = chunk?;
            if nonempty {
                if any {
                    w.write_all(b",").map_err(io)?;
                }
                w.write_all(&bytes).map_err(io)?;
                any = true;
            }
        }
    }
    w.write_all(if any { b"\n  ]" } else { b"]" }).map_err(io)
}

/// Appends `value` pretty-printed as it would be `depth` levels deep: serialised alone, with every
/// line after the first indented by `depth` more levels (JSON strings hold no raw line breaks).
fn write_nested<T: Serialize>(
    out: &mut Vec<u8>,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    let alone = serde_json::to_vec_pretty(value)?;
    let mut lines = alone.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.extend_from_slice(first);
    }
    for line in lines {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * depth));
        out.extend_from_slice(line);
    }
    Ok(())
}

fn documents_json(analysis: &CorpusAnalysis) -> impl Iterator<Item = DocumentJson> + '_ {
    (0..analysis.documents.len()).map(|k| document_json(analysis, k))
}

fn document_json(analysis: &CorpusAnalysis, k: usize) -> DocumentJson {
    let (article, doc) = (&analysis.articles[k], &analysis.documents[k]);
    DocumentJson {
        id: article.id.clone(),
        title: article.title.as_ref().map(|t| t.value.clone()),
        publisher: article.publisher.as_ref().map(|t| t.value.clone()),
        url: article.url.as_ref().map(|t| t.value.clone()),
        published: article.published.as_ref().map(|t| t.value),
        published_from: article.published.as_ref().map(|t| t.from),
        sentences: doc.sentences.len(),
        boilerplate_lines: doc.furniture_count(),
    }
}

fn pairs_json(analysis: &CorpusAnalysis) -> impl Iterator<Item = PairJson> + '_ {
    analysis
        .related_pairs()
        .filter_map(|p| pair_json(analysis, p))
}

/// A related pair's JSON (`None` for a pair without a relation).
fn pair_json(analysis: &CorpusAnalysis, p: &stemma_graph::PairEvidence) -> Option<PairJson> {
    let (a, b) = (&analysis.documents[p.a], &analysis.documents[p.b]);
    Some(PairJson {
        a: a.id.clone(),
        b: b.id.clone(),
        relation: p.relation?,
        score: round(p.score),
        probability: round(p.probability),
        coverage_a: round(p.alignment.coverage_a),
        coverage_b: round(p.alignment.coverage_b),
        verbatim_share: round(p.verbatim_share),
        immutable_share: round(p.immutable_share),
        aligned: p
            .alignment
            .groups
            .iter()
            .map(|g| AlignedJson {
                a_sentences: g.a.clone().collect(),
                b_sentences: g.b.clone().collect(),
                a_text: a.sentences_text(g.a.clone()),
                b_text: b.sentences_text(g.b.clone()),
                score: round(g.score),
            })
            .collect(),
    })
}

fn nodes_json(analysis: &CorpusAnalysis) -> impl Iterator<Item = NodeJson> + '_ {
    analysis.derivation.nodes().map(|node| NodeJson {
        id: node.id.clone(),
        kind: match node.kind {
            NodeKind::Article(_) => "article",
            NodeKind::MissingSource => "missing_source",
        },
    })
}

fn edges_json(analysis: &CorpusAnalysis) -> impl Iterator<Item = EdgeJson> + '_ {
    let graph = &analysis.derivation;
    graph.edges().map(move |e| EdgeJson {
        source: graph.node(e.source).id.clone(),
        target: graph.node(e.target).id.clone(),
        relation: e.edge.relation,
        direction: e.edge.direction,
        confidence: round(e.edge.confidence),
    })
}

fn families_json(analysis: &CorpusAnalysis) -> impl Iterator<Item = FamilyJson> + '_ {
    analysis
        .derivation
        .families
        .iter()
        .map(move |f| family_json(analysis, f))
}

fn family_json(analysis: &CorpusAnalysis, family: &stemma_graph::Family) -> FamilyJson {
    let graph = &analysis.derivation;
    FamilyJson {
        members: family
            .members
            .iter()
            .map(|&m| analysis.articles[m].id.clone())
            .collect(),
        missing_sources: family
            .missing_sources
            .iter()
            .map(|&n| graph.node(n).id.clone())
            .collect(),
    }
}

/// Escapes a string for a double-quoted DOT attribute.
pub fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The derivation graph in Graphviz DOT: nodes labelled with id, publisher and time; edges with
/// relation and score; missing sources dashed; undetermined edges without arrowheads.
pub fn dot(analysis: &CorpusAnalysis) -> String {
    let mut out = Vec::new();
    write_dot(analysis, &mut out).expect("writing to a Vec does not fail");
    String::from_utf8(out).expect("the DOT is written from strings")
}

/// [`dot`], written line by line to `out`.
///
/// # Errors
/// When `out` fails.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions};
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes.";
/// let analysis = analyze(vec![Article::new("a", text), Article::new("b", text)], &AnalyzeOptions::default());
/// let mut out = Vec::new();
/// stemma_report::write_dot(&analysis, &mut out).unwrap();
/// assert!(String::from_utf8(out).unwrap().starts_with("digraph {"));
/// ```
pub fn write_dot(analysis: &CorpusAnalysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    let graph = &analysis.derivation;
    out.write_all(b"digraph {\n")?;
    for (n, node) in graph.nodes().enumerate() {
        let attrs = match node.kind {
            NodeKind::Article(i) => {
                let article = &analysis.articles[i];
                let mut label = node.id.clone();
                if let Some(p) = &article.publisher {
                    label.push('\n');
                    label.push_str(&p.value);
                }
                if let Some(t) = &article.published {
                    label.push('\n');
                    label.push_str(&t.value.to_string());
                }
                format!("label=\"{}\" shape=box", dot_escape(&label))
            }
            NodeKind::MissingSource => format!(
                "label=\"{}\\n(missing source)\" shape=box style=dashed",
                dot_escape(&node.id)
            ),
        };
        writeln!(out, "    {n} [ {attrs}]")?;
    }
    for e in graph.edges() {
        let w = e.edge;
        let relation = w.relation.map_or("derived", Relation::as_str);
        let mut attrs = format!(
            "label=\"{} {:.2}\"",
            dot_escape(relation),
            round(w.confidence)
        );
        if w.relation.is_none() {
            attrs.push_str(" style=dashed");
        }
        if w.direction == Direction::Undetermined {
            attrs.push_str(" dir=none");
        }
        writeln!(out, "    {} -> {} [ {attrs}]", e.source, e.target)?;
    }
    out.write_all(b"}\n")
}

/// Corpora for the tests of the exports.
#[cfg(test)]
pub(crate) mod fixtures {

    use stemma_graph::Relation;
    use stemma_graph::{AnalyzeOptions, CorpusAnalysis, Stats, analyze};
    use stemma_graph::{Article, ArticleInfo, Sourced, parse_timestamp};
    use stemma_graph::{DerivationGraph, Direction, Edge, Family, Node, NodeKind};

    /// What a hostile page may carry: markup, both quotes, the ends of SVG, CDATA, script and comments.
    pub const PAYLOAD: &str = "<script>alert(1)</script> \"dq\" 'sq' </svg> ]]> </script> <!-- -->";

    const STORY: [&str; 6] = [
        "Border villages were evacuated after heavy shelling on Monday, officials said.",
        "The governor said two civilians were injured while being evacuated from their homes.",
        "Temporary shelters were set up for about 9,300 displaced people in the district.",
        "Rail services between the two towns were suspended until further notice.",
        "Schools across the district will remain closed on Tuesday, the education office said.",
        "Aid groups asked for blankets, water and baby food to be brought to the shelters.",
    ];

    /// Three related articles and an unrelated one, with the payload in every id, title, publisher,
    /// URL and body.
    pub fn hostile() -> CorpusAnalysis {
        let body = |k: usize| -> String {
            let mut s: Vec<String> = STORY.iter().map(|s| s.to_string()).collect();
            s[1] = format!("{PAYLOAD} {}", s[1]);
            if k > 0 {
                s[2] = s[2].replace("about", "some").replace("set up", "opened");
                s.insert(3, format!("Copy {k} says {PAYLOAD} again."));
            }
            s.join("\n\n")
        };
        let mut articles = vec![
            Article::new("<script>alert('id')</script>", body(0)),
            Article::new("=cmd|' /C calc'!A0", body(1)),
            Article::new("\"'</svg>]]><b>", body(2)),
            Article::new(
                "-other</script>",
                format!(
                    "A cooking column about soup, bread and cheese. {PAYLOAD}\n\nSlice the onions thinly and \
                     let them soften in butter for twenty minutes.\n\nAdd the stock, a bay leaf and a \
                     little thyme, then simmer until the kitchen smells of autumn.\n\nToast thick \
                     slices of sourdough and cover them with grated mountain cheese.\n\nServe at \
                     once, with a green salad and a glass of cider."
                ),
            ),
        ];
        for (k, a) in articles.iter_mut().enumerate() {
            a.title = Some(Sourced::metadata(format!(
                "</title></svg><script>alert({k})</script> \"t\""
            )));
            a.publisher = Some(Sourced::metadata(format!(
                "'\"><img src=x onerror=alert({k})>"
            )));
            a.url = Some(Sourced::metadata(if k == 0 {
                "javascript:alert(1)".to_string()
            } else {
                format!("https://example.invalid/{k}\"><script>alert(1)</script>")
            }));
            a.published = parse_timestamp(&format!("2025-03-0{}T08:00:00Z", k + 1))
                .ok()
                .map(Sourced::metadata);
        }
        analyze(articles, &AnalyzeOptions::default())
    }

    /// A small linear congruential generator: the tests' random trees are the same on every run.
    pub struct Lcg(pub u64);

    impl Lcg {
        pub fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n.max(1) as u64) as usize
        }
    }

    /// A derivation graph without texts: random trees of the given sizes (each third one under a
    /// missing source), then `unrelated` articles in no family. Enough for the graph picture.
    pub fn forest(sizes: &[usize], unrelated: usize, seed: u64) -> CorpusAnalysis {
        let mut rng = Lcg(seed);
        let mut articles = Vec::new();
        let (mut nodes, mut edges) = (Vec::new(), Vec::new());
        let total: usize = sizes.iter().sum::<usize>() + unrelated;
        for i in 0..total {
            let id = format!("article-{i:04}");
            articles.push(ArticleInfo::new(id.clone()));
            nodes.push(Node {
                id,
                kind: NodeKind::Article(i),
            });
        }
        let relations = [
            Relation::Duplicate,
            Relation::Syndicated,
            Relation::Rewrite,
            Relation::Partial,
        ];
        let directions = [
            Direction::Timestamp,
            Direction::Evidence,
            Direction::Undetermined,
        ];
        let mut families = Vec::new();
        let mut first = 0;
        for (f, &size) in sizes.iter().enumerate() {
            let members: Vec<usize> = (first..first + size).collect();
            let mut missing_sources = Vec::new();
            let mut start = 1;
            if f % 3 == 2 && size >= 3 {
                let m = nodes.len();
                nodes.push(Node {
                    id: format!("missing-source-{}", f + 1),
                    kind: NodeKind::MissingSource,
                });
                missing_sources.push(m);
                for &c in &members[..2] {
                    edges.push((
                        m,
                        c,
                        Edge {
                            relation: None,
                            direction: Direction::Evidence,
                            confidence: 0.5,
                        },
                    ));
                }
                start = 2;
            }
            for k in start..size {
                let parent = members[rng.below(k)];
                edges.push((
                    parent,
                    members[k],
                    Edge {
                        relation: Some(relations[rng.below(4)]),
                        direction: directions[rng.below(3)],
                        confidence: rng.below(100) as f64 / 100.0,
                    },
                ));
            }
            families.push(Family {
                members,
                missing_sources,
            });
            first += size;
        }
        CorpusAnalysis {
            articles,
            documents: Vec::new(),
            pairs: Vec::new(),
            derivation: DerivationGraph::new(nodes, edges, families)
                .expect("the forest's edges join its nodes"),
            stats: Stats {
                documents: total,
                ..Stats::default()
            },
            timings: stemma_graph::Timings::default(),
            diagnostics: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{forest, hostile};
    use super::*;
    use stemma_graph::{AnalyzeOptions, analyze};

    fn streamed(analysis: &CorpusAnalysis) -> Vec<u8> {
        let mut out = Vec::new();
        write_report(analysis, &mut out).unwrap();
        out
    }

    #[test]
    fn the_streamed_report_is_the_pretty_printed_report() {
        // Markup and quotes in every field; an empty corpus (every array `[]`); and families
        // large enough that the nodes and edges span several write batches.
        let big = forest(&[60; 150], 300, 3);
        assert!(big.derivation.node_count() > 2 * WRITE_BATCH);
        for analysis in [
            hostile(),
            analyze(Vec::new(), &AnalyzeOptions::default()),
            big,
        ] {
            let expected = serde_json::to_vec_pretty(&report(&analysis)).unwrap();
            assert_eq!(
                String::from_utf8(streamed(&analysis)).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
