//! Exports of a corpus analysis: JSON (documented, stable) and Graphviz DOT.

use petgraph::dot::{Config, Dot};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, IntoNodeReferences, NodeRef};
use serde::Serialize;

use crate::CorpusAnalysis;
use crate::corpus::{Provenance, Timestamp};
use crate::derivation::{Direction, NodeKind};
use crate::evidence::Relation;

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
    pub stats: crate::Stats,
}

/// Rounds to four decimals so that reports are readable and stable.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Builds the JSON report.
pub fn report(analysis: &CorpusAnalysis) -> ReportJson {
    let documents = analysis
        .articles
        .iter()
        .zip(&analysis.documents)
        .map(|(article, doc)| DocumentJson {
            id: article.id.clone(),
            title: article.title.as_ref().map(|t| t.value.clone()),
            publisher: article.publisher.as_ref().map(|t| t.value.clone()),
            url: article.url.as_ref().map(|t| t.value.clone()),
            published: article.published.as_ref().map(|t| t.value),
            published_from: article.published.as_ref().map(|t| t.from),
            sentences: doc.sentences.len(),
            boilerplate_lines: doc.furniture_count(),
        })
        .collect();
    let pairs = analysis
        .related_pairs()
        .filter_map(|p| {
            let (a, b) = (&analysis.documents[p.a], &analysis.documents[p.b]);
            Some(PairJson {
                a: a.id.clone(),
                b: b.id.clone(),
                relation: p.relation?,
                score: round(p.score),
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
        })
        .collect();
    let graph = &analysis.derivation.graph;
    let nodes = graph
        .node_references()
        .map(|(_, node)| NodeJson {
            id: node.id.clone(),
            kind: match node.kind {
                NodeKind::Article(_) => "article",
                NodeKind::MissingSource => "missing_source",
            },
        })
        .collect();
    let edges = graph
        .edge_references()
        .map(|e| EdgeJson {
            source: graph[e.source()].id.clone(),
            target: graph[e.target()].id.clone(),
            relation: e.weight().relation,
            direction: e.weight().direction,
            confidence: round(e.weight().confidence),
        })
        .collect();
    let families = analysis
        .derivation
        .families
        .iter()
        .map(|f| FamilyJson {
            members: f
                .members
                .iter()
                .map(|&m| analysis.articles[m].id.clone())
                .collect(),
            missing_sources: f
                .missing_sources
                .iter()
                .map(|&n| graph[petgraph::stable_graph::NodeIndex::new(n)].id.clone())
                .collect(),
        })
        .collect();
    ReportJson {
        documents,
        pairs,
        nodes,
        edges,
        families,
        stats: analysis.stats,
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
    let graph = &analysis.derivation.graph;
    let node_label = |_, node: (petgraph::stable_graph::NodeIndex, &crate::derivation::Node)| {
        let n = node.weight();
        match n.kind {
            NodeKind::Article(i) => {
                let article = &analysis.articles[i];
                let mut label = n.id.clone();
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
                dot_escape(&n.id)
            ),
        }
    };
    let edge_label = |_, e: petgraph::stable_graph::EdgeReference<'_, crate::derivation::Edge>| {
        let w = e.weight();
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
        attrs
    };
    format!(
        "{:?}",
        Dot::with_attr_getters(
            graph,
            &[Config::NodeNoLabel, Config::EdgeNoLabel],
            &edge_label,
            &node_label,
        )
    )
}
