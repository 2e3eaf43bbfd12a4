//! The JSON report of `stemma analyze --format json` (docs/json.md) read back: the parts a scorer or a
//! comparison needs (documents, related pairs, the derivation graph and its families). Aligned groups
//! and texts are skipped while reading, so a large report costs little memory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::EvalError;

use serde::Deserialize;
use serde::de::IgnoredAny;
use stemma_graph::{DerivationGraph, Direction, Edge, Family, Node, NodeKind, Relation};

/// One document of the report.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportDocument {
    /// Article id.
    pub id: String,
    /// The publication time, if any (only its presence is kept).
    #[serde(default)]
    pub published: Option<IgnoredAny>,
}

/// One related pair of the report.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportPair {
    /// First article id.
    pub a: String,
    /// Second article id.
    pub b: String,
    /// The relation's name (`duplicate`, `syndicated`, `rewrite`, `partial`).
    pub relation: String,
}

/// A node of the report's derivation graph.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportNode {
    /// Article id or missing-source id.
    pub id: String,
    /// `article` or `missing_source`.
    pub kind: String,
}

/// An edge of the report's derivation graph, from source to derived.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportEdge {
    /// Source node id.
    pub source: String,
    /// Derived node id.
    pub target: String,
    /// The relation's name, or none from a missing source.
    pub relation: Option<String>,
    /// `timestamp`, `evidence` or `undetermined`.
    pub direction: String,
    /// Strength of the evidence, as written (four decimals).
    pub confidence: f64,
}

/// A family of the report.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportFamily {
    /// Member ids.
    pub members: Vec<String>,
    /// Ids of the family's missing sources.
    #[serde(default)]
    pub missing_sources: Vec<String>,
}

/// The parts of a JSON report that scoring and comparing need.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    /// Every document analysed, in the report's order (article index order).
    pub documents: Vec<ReportDocument>,
    /// The related pairs.
    pub pairs: Vec<ReportPair>,
    /// Nodes of the derivation graph.
    pub nodes: Vec<ReportNode>,
    /// Edges of the derivation graph.
    pub edges: Vec<ReportEdge>,
    /// Families of related documents.
    pub families: Vec<ReportFamily>,
}

impl Report {
    /// Reads a report file, streaming (the aligned texts are skipped, not held).
    ///
    /// # Errors
    /// If the file cannot be opened or is not a JSON report; the error names the file.
    pub fn load(path: &Path) -> Result<Report, EvalError> {
        let file = File::open(path).map_err(|source| EvalError::Read {
            path: path.to_path_buf(),
            what: "the report",
            source,
        })?;
        serde_json::from_reader(BufReader::with_capacity(1 << 20, file)).map_err(|e| {
            EvalError::Invalid {
                path: path.to_path_buf(),
                what: "JSON report of stemma analyze",
                message: e.to_string(),
            }
        })
    }

    /// Parses a report given as JSON text.
    ///
    /// # Errors
    /// What serde found wrong with it.
    pub fn parse(text: &str) -> Result<Report, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Each related pair as one line, `a ~ b: relation` (smaller id first), sorted: two reports link
    /// the same pairs alike when these lists are equal.
    pub fn pair_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .pairs
            .iter()
            .map(|p| {
                let (a, b) = if p.a <= p.b {
                    (&p.a, &p.b)
                } else {
                    (&p.b, &p.a)
                };
                format!("{a} ~ {b}: {}", p.relation)
            })
            .collect();
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// Each derivation edge as one line, `source → target (relation, direction, confidence)`,
    /// sorted: two reports have the same graph when these lists are equal.
    pub fn edge_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} → {} ({}, {}, {:.4})",
                    e.source,
                    e.target,
                    e.relation.as_deref().unwrap_or("derived"),
                    e.direction,
                    e.confidence
                )
            })
            .collect();
        lines.sort_unstable();
        lines
    }

    /// Each document id's index in `documents`.
    pub fn document_index(&self) -> BTreeMap<&str, usize> {
        self.documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect()
    }

    /// Rebuilds the derivation graph: nodes in the report's order, articles pointing at their index in
    /// `documents`, families by index.
    ///
    /// # Errors
    /// If a node, edge or family names an unknown id, or a kind, relation or direction is unknown.
    pub fn derivation(&self) -> Result<DerivationGraph, String> {
        let article = self.document_index();
        let mut nodes: Vec<Node> = Vec::with_capacity(self.nodes.len());
        let mut node_of: BTreeMap<&str, usize> = BTreeMap::new();
        for n in &self.nodes {
            let kind = match n.kind.as_str() {
                "article" => NodeKind::Article(
                    *article
                        .get(n.id.as_str())
                        .ok_or_else(|| format!("node {:?} is not a document", n.id))?,
                ),
                "missing_source" => NodeKind::MissingSource,
                other => return Err(format!("node {:?}: unknown kind {other:?}", n.id)),
            };
            node_of.insert(n.id.as_str(), nodes.len());
            nodes.push(Node {
                id: n.id.clone(),
                kind,
            });
        }
        let node = |id: &str| {
            node_of
                .get(id)
                .copied()
                .ok_or_else(|| format!("{id:?} is not a node of the graph"))
        };
        let mut edges = Vec::with_capacity(self.edges.len());
        for e in &self.edges {
            let relation = e.relation.as_deref().map(relation_named).transpose()?;
            edges.push((
                node(&e.source)?,
                node(&e.target)?,
                Edge {
                    relation,
                    direction: direction_named(&e.direction)?,
                    confidence: e.confidence,
                },
            ));
        }
        let families = self
            .families
            .iter()
            .map(|f| {
                let members = f
                    .members
                    .iter()
                    .map(|m| {
                        article
                            .get(m.as_str())
                            .copied()
                            .ok_or_else(|| format!("family member {m:?} is not a document"))
                    })
                    .collect::<Result<Vec<usize>, String>>()?;
                let missing_sources = f.missing_sources.iter().map(|m| node(m)).collect::<Result<
                    Vec<usize>,
                    String,
                >>(
                )?;
                Ok(Family {
                    members,
                    missing_sources,
                })
            })
            .collect::<Result<Vec<Family>, String>>()?;
        DerivationGraph::new(nodes, edges, families).map_err(|e| e.to_string())
    }
}

/// The relation a report names.
fn relation_named(name: &str) -> Result<Relation, String> {
    [
        Relation::Duplicate,
        Relation::Syndicated,
        Relation::Rewrite,
        Relation::Partial,
    ]
    .into_iter()
    .find(|r| r.as_str() == name)
    .ok_or_else(|| format!("unknown relation {name:?}"))
}

/// The direction basis a report names (as the report's serializer writes it).
fn direction_named(name: &str) -> Result<Direction, String> {
    [
        Direction::Timestamp,
        Direction::Evidence,
        Direction::Undetermined,
    ]
    .into_iter()
    .find(|d| {
        serde_json::to_value(d)
            .ok()
            .as_ref()
            .and_then(|v| v.as_str())
            == Some(name)
    })
    .ok_or_else(|| format!("unknown direction {name:?}"))
}
