//! What the SVG, HTML and CSV exports share: the related pairs numbered from 1 (in the order of
//! [`CorpusAnalysis::related_pairs`], the order of the JSON `pairs`), each with its edge of the
//! derivation graph and its family, so that "pair 3" is the same pair in the picture, the page and the
//! spreadsheet.

use stemma_graph::CorpusAnalysis;
use stemma_graph::{Direction, NodeKind};
use stemma_graph::{PairEvidence, Relation};

/// The derivation edge between the two articles of a related pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PairEdge {
    /// The edge's number in the derivation graph.
    pub index: usize,
    /// Article index of the source.
    pub source: usize,
    /// Article index of the derived text.
    pub target: usize,
    /// How the direction was decided.
    pub direction: Direction,
}

/// A related pair as the exports show it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairView<'a> {
    /// Its number, from 1.
    pub number: usize,
    /// Its evidence.
    pub evidence: &'a PairEvidence,
    /// Its relation.
    pub relation: Relation,
    /// The derivation edge between its articles, when the derivation tree has one.
    pub edge: Option<PairEdge>,
    /// Its family's number, from 1.
    pub family: Option<usize>,
}

/// The numbering shared by the exports.
#[derive(Debug)]
pub(crate) struct View<'a> {
    /// The analysis.
    pub analysis: &'a CorpusAnalysis,
    /// The related pairs, numbered.
    pub pairs: Vec<PairView<'a>>,
    /// Per article index, the number (from 1) of its family.
    pub family_of: Vec<Option<usize>>,
    /// Per article index, its node number in the derivation graph.
    pub node_of: Vec<Option<usize>>,
    /// Per derivation edge between two articles, the position of its pair in `pairs`.
    pair_by_edge: rustc_hash::FxHashMap<usize, usize>,
}

impl<'a> View<'a> {
    /// Numbers the related pairs and finds each one's edge and family.
    pub fn new(analysis: &'a CorpusAnalysis) -> Self {
        let mut family_of = vec![None; analysis.articles.len()];
        for (k, family) in analysis.derivation.families.iter().enumerate() {
            for &m in &family.members {
                if let Some(slot) = family_of.get_mut(m) {
                    *slot = Some(k + 1);
                }
            }
        }
        let graph = &analysis.derivation;
        let mut edge_of: rustc_hash::FxHashMap<(usize, usize), PairEdge> = Default::default();
        for e in graph.edges() {
            if let (NodeKind::Article(s), NodeKind::Article(t)) = (
                graph.node(e.source).kind.clone(),
                graph.node(e.target).kind.clone(),
            ) {
                let edge = PairEdge {
                    index: e.index,
                    source: s,
                    target: t,
                    direction: e.edge.direction,
                };
                edge_of.insert((s.min(t), s.max(t)), edge);
            }
        }
        let pairs = analysis
            .related_pairs()
            .filter_map(|p| Some((p, p.relation?)))
            .enumerate()
            .map(|(k, (p, relation))| PairView {
                number: k + 1,
                evidence: p,
                relation,
                edge: edge_of.get(&(p.a.min(p.b), p.a.max(p.b))).copied(),
                family: family_of.get(p.a).copied().flatten(),
            })
            .collect::<Vec<PairView<'a>>>();
        let pair_by_edge = pairs
            .iter()
            .enumerate()
            .filter_map(|(k, p)| Some((p.edge?.index, k)))
            .collect();
        let mut node_of = vec![None; analysis.articles.len()];
        for (n, node) in graph.nodes().enumerate() {
            if let NodeKind::Article(i) = node.kind {
                if let Some(slot) = node_of.get_mut(i) {
                    *slot = Some(n);
                }
            }
        }
        View {
            analysis,
            pairs,
            family_of,
            node_of,
            pair_by_edge,
        }
    }

    /// The pair whose articles an edge joins, if the edge joins two articles.
    pub fn pair_of_edge(&self, edge: usize) -> Option<&PairView<'a>> {
        self.pairs.get(*self.pair_by_edge.get(&edge)?)
    }

    /// The article index behind a node, if it is an article.
    pub fn article_of(&self, node: usize) -> Option<usize> {
        let graph = &self.analysis.derivation;
        match (node < graph.node_count()).then(|| graph.node(node))?.kind {
            NodeKind::Article(i) => Some(i),
            NodeKind::MissingSource => None,
        }
    }
}

/// How a pair's direction reads: `(source → target, basis)` in words.
pub(crate) fn basis_words(direction: Direction) -> &'static str {
    match direction {
        Direction::Timestamp => "by publication times",
        Direction::Evidence => "by content evidence",
        Direction::Declared => "as declared (sources against targets)",
        Direction::Undetermined => "undetermined",
    }
}

/// The machine name of a basis, as in the JSON `direction` field.
pub(crate) fn basis_name(direction: Direction) -> &'static str {
    direction.as_str()
}
