//! The derivation graph: who derives from whom, and which common sources are missing.
//!
//! Within each family (documents connected by related pairs) the method is the stemmatologist's:
//! 1. **Shared units.** Sentences aligned across documents are joined into units, one per underlying
//!    sentence of the common text; a unit is *held* by the documents that have it.
//! 2. **Tree.** A document hangs under the one whose wording it keeps closest (aligned similarity
//!    mass), so a chain A → B → C is told from a fan-out because C shares B's changes, so C~B
//!    outweighs C~A: first each document under the closest of the documents published before it
//!    (between two, the one whose readings it keeps where they differ), then a maximum spanning
//!    tree over the remaining related pairs joins what times do not order.
//! 3. **Missing common source.** Without contamination, the holders of every unit form a connected part
//!    of the true tree. When no tree over the members achieves that (each keeps parts of a common text
//!    the other lacks), a missing source is added as the common parent of the members that no other
//!    member explains.
//! 4. **Direction.** Publication times orient an edge when they are ordered beyond their precision
//!    (`timestamp`); a missing source is its children's source, and a document with a known parent has
//!    no second one (`evidence`); otherwise the edge stays `undetermined`.

use std::cmp::Ordering;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::{Precision, Timestamp};
use crate::evidence::{PairEvidence, Relation};

/// What a node of the derivation graph is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An article of the corpus (its index).
    Article(usize),
    /// A common source that is not in the corpus, inferred from its children.
    MissingSource,
}

/// A node of the derivation graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The article id, or `missing-source-N`.
    pub id: String,
    /// Article or missing source.
    pub kind: NodeKind,
}

/// On what basis an edge is directed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Publication times are ordered.
    Timestamp,
    /// Content evidence: the source is an inferred common source, or the derived document already has
    /// its parent and a tree gives no document two parents.
    Evidence,
    /// The user declared which articles are sources (a wire archive against a crawl,
    /// [`Scope::Across`](crate::Scope::Across)) and publication times do not say otherwise.
    Declared,
    /// Nothing says which came first; the edge is drawn from the first id to the second, without meaning.
    Undetermined,
}

impl Direction {
    /// The name as written in reports: `timestamp`, `evidence`, `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Timestamp => "timestamp",
            Direction::Evidence => "evidence",
            Direction::Declared => "declared",
            Direction::Undetermined => "undetermined",
        }
    }
}

impl std::fmt::Display for Direction {
    /// [`Direction::as_str`].
    ///
    /// ```
    /// assert_eq!(stemma_graph::Direction::Timestamp.to_string(), "timestamp");
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An edge from source to derived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    /// The relation of the two texts (`None` for a missing source's edge: the relation to an unseen
    /// text is not measured).
    pub relation: Option<Relation>,
    /// How the direction was decided.
    pub direction: Direction,
    /// Strength of the evidence in [0, 1].
    pub confidence: f64,
}

/// A family: documents connected by related pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Family {
    /// Member article indices in time order (dated first, then by id).
    pub members: Vec<usize>,
    /// Node indices of the family's missing sources.
    pub missing_sources: Vec<usize>,
}

/// The derivation graph of a corpus: articles and missing sources, and edges from source to derived.
///
/// Nodes and edges are numbered from 0 in the order they were added: the articles in index order,
/// then each family's missing source; edges family by family. The graph's storage is private (petgraph
/// inside), so a user reads it with stemma's own types and pins no graph library.
#[derive(Debug, Clone, Default)]
pub struct DerivationGraph {
    graph: StableDiGraph<Node, Edge>,
    /// Families with at least two members, ordered by their first member's id.
    pub families: Vec<Family>,
}

/// One edge of a [`DerivationGraph`] with its ends, as node numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GraphEdge<'g> {
    /// The edge's number: its rank among the edges in the order they were added.
    pub index: usize,
    /// The source's node number.
    pub source: usize,
    /// The derived node's number.
    pub target: usize,
    /// Relation, direction and confidence.
    pub edge: &'g Edge,
}

/// Why parts given to [`DerivationGraph::new`] do not make a graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// An edge names a node the graph does not have.
    #[error("edge {edge} joins node {node}, but the graph has {nodes} nodes")]
    NoSuchNode {
        /// The edge's position in the list.
        edge: usize,
        /// The node number it names.
        node: usize,
        /// How many nodes there are.
        nodes: usize,
    },
    /// A family names a node the graph does not have.
    #[error("family {family} names node {node}, but the graph has {nodes} nodes")]
    FamilyNode {
        /// The family's position in the list.
        family: usize,
        /// The node number it names.
        node: usize,
        /// How many nodes there are.
        nodes: usize,
    },
}

impl DerivationGraph {
    /// A graph from its parts: nodes, edges as `(source, target, edge)` node numbers, and families.
    /// Useful to rebuild a graph computed elsewhere (a distributed job, a stored report).
    ///
    /// ```
    /// use stemma_graph::{DerivationGraph, Direction, Edge, Node, NodeKind};
    /// let nodes = vec![
    ///     Node { id: "wire".into(), kind: NodeKind::Article(0) },
    ///     Node { id: "copy".into(), kind: NodeKind::Article(1) },
    /// ];
    /// let edge = Edge { relation: None, direction: Direction::Timestamp, confidence: 0.9 };
    /// let graph = DerivationGraph::new(nodes.clone(), vec![(0, 1, edge.clone())], vec![]).unwrap();
    /// assert_eq!(graph.children(0).map(|e| e.target).collect::<Vec<_>>(), [1]);
    /// assert!(DerivationGraph::new(nodes, vec![(0, 2, edge)], vec![]).is_err());
    /// ```
    pub fn new(
        nodes: Vec<Node>,
        edges: Vec<(usize, usize, Edge)>,
        families: Vec<Family>,
    ) -> Result<Self, GraphError> {
        let count = nodes.len();
        for (k, (source, target, _)) in edges.iter().enumerate() {
            if let Some(&node) = [source, target].into_iter().find(|&&n| n >= count) {
                return Err(GraphError::NoSuchNode {
                    edge: k,
                    node,
                    nodes: count,
                });
            }
        }
        for (k, family) in families.iter().enumerate() {
            let named = family.members.iter().chain(&family.missing_sources);
            if let Some(&node) = named.into_iter().find(|&&n| n >= count) {
                return Err(GraphError::FamilyNode {
                    family: k,
                    node,
                    nodes: count,
                });
            }
        }
        let mut graph = StableDiGraph::with_capacity(count, edges.len());
        for node in nodes {
            graph.add_node(node);
        }
        for (source, target, edge) in edges {
            graph.add_edge(NodeIndex::new(source), NodeIndex::new(target), edge);
        }
        Ok(DerivationGraph { graph, families })
    }

    /// Number of nodes: articles and missing sources.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Node number `index`.
    ///
    /// # Panics
    /// When `index >= node_count()`, as a slice does.
    pub fn node(&self, index: usize) -> &Node {
        &self.graph[NodeIndex::new(index)]
    }

    /// Edge number `index`.
    ///
    /// # Panics
    /// When `index >= edge_count()`, as a slice does.
    pub fn edge(&self, index: usize) -> GraphEdge<'_> {
        self.graph_edge(EdgeIndex::new(index))
    }

    fn graph_edge(&self, e: EdgeIndex) -> GraphEdge<'_> {
        let (source, target) = self
            .graph
            .edge_endpoints(e)
            .expect("an edge index of the graph has its ends");
        GraphEdge {
            index: e.index(),
            source: source.index(),
            target: target.index(),
            edge: &self.graph[e],
        }
    }

    /// Every node (the articles in index order, then the missing sources).
    ///
    /// ```
    /// use stemma_graph::{analyze, Article, AnalyzeOptions, NodeKind};
    /// let text = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
    ///     about 4,000 people. No deaths had been reported by mid-morning, officials said.";
    /// let analysis = analyze(vec![Article::new("a", text), Article::new("b", text)], &AnalyzeOptions::default());
    /// let graph = &analysis.derivation;
    /// let ids: Vec<&str> = graph.nodes().map(|n| n.id.as_str()).collect();
    /// assert_eq!(ids, ["a", "b"]);
    /// let edges: Vec<(&str, &str)> =
    ///     graph.edges().map(|e| (graph.node(e.source).id.as_str(), graph.node(e.target).id.as_str())).collect();
    /// assert_eq!(edges, [("a", "b")]);
    /// ```
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_indices().map(|n| &self.graph[n])
    }

    /// Every edge, in the order they were added.
    pub fn edges(&self) -> impl Iterator<Item = GraphEdge<'_>> {
        self.graph.edge_indices().map(|e| self.graph_edge(e))
    }

    /// The edge from `source` to `target`, if there is one.
    ///
    /// ```
    /// use stemma_graph::{DerivationGraph, Direction, Edge, Node, NodeKind};
    /// let node = |id: &str, i| Node { id: id.into(), kind: NodeKind::Article(i) };
    /// let edge = Edge { relation: None, direction: Direction::Undetermined, confidence: 0.4 };
    /// let graph = DerivationGraph::new(vec![node("a", 0), node("b", 1)], vec![(0, 1, edge)], vec![]).unwrap();
    /// assert_eq!(graph.find_edge(0, 1).map(|e| e.index), Some(0));
    /// assert!(graph.find_edge(1, 0).is_none());
    /// ```
    pub fn find_edge(&self, source: usize, target: usize) -> Option<GraphEdge<'_>> {
        let count = self.node_count();
        if source >= count || target >= count {
            return None;
        }
        let found = self
            .graph
            .find_edge(NodeIndex::new(source), NodeIndex::new(target))?;
        Some(self.graph_edge(found))
    }

    /// The edges out of node `index` (to what derives from it), in the order they were added.
    pub fn children(&self, index: usize) -> impl Iterator<Item = GraphEdge<'_>> {
        self.incident(index, petgraph::Direction::Outgoing)
    }

    /// The edges into node `index` (from its sources), in the order they were added.
    pub fn parents(&self, index: usize) -> impl Iterator<Item = GraphEdge<'_>> {
        self.incident(index, petgraph::Direction::Incoming)
    }

    fn incident(
        &self,
        index: usize,
        towards: petgraph::Direction,
    ) -> impl Iterator<Item = GraphEdge<'_>> {
        let mut edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(NodeIndex::new(index), towards)
            .map(|e| e.id())
            .collect();
        // petgraph lists a node's edges newest first.
        edges.sort_unstable();
        edges.into_iter().map(|e| self.graph_edge(e))
    }
}

/// How one document pair contributes to the tree.
#[derive(Debug, Clone)]
pub struct Link<'e> {
    /// The pair's evidence (only related pairs are links).
    pub evidence: &'e PairEvidence,
    /// Sentence groups `(sentences of a, sentences of b)` aligned on narrative words.
    pub groups: Vec<(Vec<usize>, Vec<usize>)>,
}

/// Whether `a` is known to precede `b`: their time intervals (an instant widened to its precision) do
/// not overlap.
pub fn known_order(a: &Timestamp, b: &Timestamp) -> Option<Ordering> {
    let width = |t: &Timestamp| -> i64 {
        match t.precision {
            Precision::Date => 86_400_000,
            Precision::Minute => 60_000,
            Precision::Second => 1_000,
            Precision::Millisecond => 1,
        }
    };
    let (a0, a1) = (a.unix_millis, a.unix_millis.saturating_add(width(a)));
    let (b0, b1) = (b.unix_millis, b.unix_millis.saturating_add(width(b)));
    if a1 <= b0 {
        Some(Ordering::Less)
    } else if b1 <= a0 {
        Some(Ordering::Greater)
    } else {
        None
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
    /// Every element's root (its set's smallest element), as a table that parallel readers share.
    fn into_roots(mut self) -> Vec<usize> {
        (0..self.parent.len()).map(|x| self.find(x)).collect()
    }
}

/// Builds the derivation graph from the related pairs.
///
/// `ids[i]` and `published[i]` describe article `i`; `sentence_counts[i]` is its number of sentences;
/// `sides[i]`, when given, whether it is a declared source. [`analyze`](crate::analyze) gives the
/// links of its related pairs sorted by `(a, b)`. Of a link's evidence only `a`, `b`, `relation`,
/// `score`, `verbatim_bytes` and the groups of the alignment (sentence ranges and scores) are read,
/// so that a job that aligned a family's pairs elsewhere can derive the family from them alone (the
/// Python package's `stemma.derive`); a family's edges do not depend on the other families.
pub fn derive(
    ids: &[String],
    published: &[Option<Timestamp>],
    sides: Option<&[bool]>,
    sentence_counts: &[usize],
    links: &[Link<'_>],
) -> DerivationGraph {
    let n = ids.len();
    let mut graph: StableDiGraph<Node, Edge> = StableDiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n)
        .map(|i| {
            graph.add_node(Node {
                id: ids[i].clone(),
                kind: NodeKind::Article(i),
            })
        })
        .collect();

    // Families.
    let mut families_uf = UnionFind::new(n);
    for link in links {
        families_uf.union(link.evidence.a, link.evidence.b);
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        by_root.entry(families_uf.find(i)).or_default().push(i);
    }
    let mut family_members: Vec<Vec<usize>> =
        by_root.into_values().filter(|m| m.len() >= 2).collect();
    family_members.sort_by(|x, y| ids[x[0]].cmp(&ids[y[0]]));

    // Units: aligned sentences joined across documents.
    let offsets: Vec<usize> = sentence_counts
        .iter()
        .scan(0, |acc, &c| {
            let start = *acc;
            *acc += c;
            Some(start)
        })
        .collect();
    let total_sentences: usize = sentence_counts.iter().sum();
    let mut units_uf = UnionFind::new(total_sentences);
    for link in links {
        let (a, b) = (link.evidence.a, link.evidence.b);
        for (sa, sb) in &link.groups {
            let mut all = sa
                .iter()
                .map(|&s| offsets[a] + s)
                .chain(sb.iter().map(|&s| offsets[b] + s));
            if let Some(first) = all.next() {
                for other in all {
                    units_uf.union(first, other);
                }
            }
        }
    }
    let unit_of = units_uf.into_roots();
    // (unit, document) for every aligned sentence, sorted: each unit's holders, in document order.
    let mut held: Vec<(usize, usize)> = links
        .par_iter()
        .flat_map_iter(|link| {
            let (a, b) = (link.evidence.a, link.evidence.b);
            let (unit_of, offsets) = (&unit_of, &offsets);
            link.groups.iter().flat_map(move |(sa, sb)| {
                let side_a = sa.iter().map(move |&s| (unit_of[offsets[a] + s], a));
                let side_b = sb.iter().map(move |&s| (unit_of[offsets[b] + s], b));
                side_a.chain(side_b)
            })
        })
        .collect();
    held.par_sort_unstable();
    held.dedup();
    let units: Vec<Vec<usize>> = held
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|run| run.len() >= 2)
        .map(|run| run.iter().map(|&(_, doc)| doc).collect())
        .collect();
    drop(held);

    // Each family's links and units, gathered in one pass: filtering all links and units per family
    // made this stage quadratic in the corpus.
    let mut family_of = vec![usize::MAX; n];
    for (f, members) in family_members.iter().enumerate() {
        for &m in members {
            family_of[m] = f;
        }
    }
    let mut links_by_family: Vec<Vec<&Link<'_>>> = vec![Vec::new(); family_members.len()];
    for link in links {
        links_by_family[family_of[link.evidence.a]].push(link);
    }
    let mut units_by_family: Vec<Vec<&Vec<usize>>> = vec![Vec::new(); family_members.len()];
    for unit in &units {
        units_by_family[family_of[unit[0]]].push(unit);
    }

    // Families are independent: each is planned on its own, in parallel, and the plans are added to
    // the graph in family order, so node and edge numbers do not depend on the thread count.
    let plans: Vec<FamilyPlan> = family_members
        .into_par_iter()
        .zip(links_by_family)
        .zip(units_by_family)
        .map(|((members, family_links), family_units)| {
            plan_family(members, &family_links, &family_units, ids, published, sides)
        })
        .collect();
    let mut families = Vec::with_capacity(plans.len());
    let mut missing_count = 0;
    for plan in plans {
        let mut missing_sources = Vec::new();
        if let Some(children) = plan.missing_source_children {
            missing_count += 1;
            let missing = graph.add_node(Node {
                id: format!("missing-source-{missing_count}"),
                kind: NodeKind::MissingSource,
            });
            missing_sources.push(missing.index());
            for (m, confidence) in children {
                graph.add_edge(
                    missing,
                    nodes[m],
                    Edge {
                        relation: None,
                        direction: Direction::Evidence,
                        confidence,
                    },
                );
            }
        }
        for (source, derived, edge) in plan.edges {
            graph.add_edge(nodes[source], nodes[derived], edge);
        }
        families.push(Family {
            members: plan.members,
            missing_sources,
        });
    }
    DerivationGraph { graph, families }
}

/// What one family adds to the derivation graph, worked out apart from the graph.
struct FamilyPlan {
    /// When the family needs a missing common source: the members hung under it, each with the
    /// confidence of its edge.
    missing_source_children: Option<Vec<(usize, f64)>>,
    /// Directed tree edges between members: `(source, derived, edge)`.
    edges: Vec<(usize, usize, Edge)>,
    /// The members in time order (dated first, then by id).
    members: Vec<usize>,
}

/// Plans one family: its spanning tree, whether a missing source explains it better, and the
/// direction of each edge.
fn plan_family(
    members: Vec<usize>,
    family_links: &[&Link<'_>],
    family_units: &[&Vec<usize>],
    ids: &[String],
    published: &[Option<Timestamp>],
    sides: Option<&[bool]>,
) -> FamilyPlan {
    let tree = spanning_tree(&members, family_links, published);
    let tree = reduce_violations(tree, family_links, family_units, published);
    let needs_missing_source = members.len() >= 3
        && family_links
            .iter()
            .any(|l| unexplained_share(l, family_units, &tree));
    let mut missing_source_children = None;
    let mut edges: Vec<(usize, usize, &Link<'_>)> = Vec::new(); // (x, y, link) undirected tree edges
    let mut parents_from_missing: Vec<usize> = Vec::new();
    if needs_missing_source {
        // Members that another member explains (holds all their units) hang under it; the rest
        // under the missing source.
        for &m in &members {
            let explained_by = family_links
                .iter()
                .filter_map(|l| {
                    let other = if l.evidence.a == m {
                        l.evidence.b
                    } else if l.evidence.b == m {
                        l.evidence.a
                    } else {
                        return None;
                    };
                    let explains = family_units
                        .iter()
                        .filter(|h| h.contains(&m))
                        .all(|h| h.contains(&other));
                    let may_precede = match (published[other], published[m]) {
                        (Some(p), Some(q)) => known_order(&p, &q) != Some(Ordering::Greater),
                        _ => true,
                    };
                    // Two members that explain each other are near copies: the earlier (or the
                    // first id) is the parent.
                    let mutual = family_units
                        .iter()
                        .filter(|h| h.contains(&other))
                        .all(|h| h.contains(&m));
                    let first = match (published[other], published[m]) {
                        (Some(p), Some(q)) => match known_order(&p, &q) {
                            Some(o) => o == Ordering::Less,
                            None => ids[other] < ids[m],
                        },
                        _ => ids[other] < ids[m],
                    };
                    (explains && may_precede && (!mutual || first)).then_some((l, other))
                })
                .max_by(|x, y| {
                    mass(x.0)
                        .total_cmp(&mass(y.0))
                        .then(ids[y.1].cmp(&ids[x.1]))
                });
            match explained_by {
                Some((link, other)) => edges.push((other, m, link)),
                None => parents_from_missing.push(m),
            }
        }
        missing_source_children = Some(
            parents_from_missing
                .iter()
                .map(|&m| {
                    let confidence = family_links
                        .iter()
                        .filter(|l| l.evidence.a == m || l.evidence.b == m)
                        .map(|l| l.evidence.score)
                        .fold(0.0, f64::max);
                    (m, confidence)
                })
                .collect(),
        );
    } else {
        for &(x, y) in &tree {
            if let Some(link) = family_links.iter().find(|l| {
                (l.evidence.a == x && l.evidence.b == y) || (l.evidence.a == y && l.evidence.b == x)
            }) {
                edges.push((x, y, link));
            }
        }
    }
    let edges = orient(ids, published, sides, &edges, &parents_from_missing);
    let mut ordered = members;
    ordered.sort_by(|&x, &y| match (published[x], published[y]) {
        (Some(p), Some(q)) => p.cmp(&q).then(ids[x].cmp(&ids[y])),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => ids[x].cmp(&ids[y]),
    });
    FamilyPlan {
        missing_source_children,
        edges,
        members: ordered,
    }
}

/// How much wording two documents share: verbatim bytes, plus aligned similarity for reworded text.
fn mass(link: &Link<'_>) -> f64 {
    let reworded: f64 = link
        .evidence
        .alignment
        .groups
        .iter()
        .map(|g| g.score * (g.a.len() + g.b.len()) as f64 / 2.0)
        .sum();
    link.evidence.verbatim_bytes as f64 / 100.0 + reworded
}

/// Which of two links makes the better tree edge: more shared wording first; masses within one unit
/// (a sentence, or a hundred verbatim bytes) are a tie, and then the pair whose earlier member is
/// earlier wins, so that a text found alike in a source and in its copies hangs under the source.
/// An undated member leaves the pair's time to the other: an undated text found alike in a source
/// and in the source's later copy hangs under the source too.
fn preference(x: &Link<'_>, y: &Link<'_>, published: &[Option<Timestamp>]) -> Ordering {
    let key = |l: &Link<'_>| -> (i64, Option<Timestamp>, usize, usize) {
        let (a, b) = (l.evidence.a, l.evidence.b);
        let earlier = match (published[a], published[b]) {
            (Some(p), Some(q)) => Some(p.min(q)),
            (Some(p), None) | (None, Some(p)) => Some(p),
            (None, None) => None,
        };
        (mass(l).round() as i64, earlier, a, b)
    };
    let (kx, ky) = (key(x), key(y));
    ky.0.cmp(&kx.0)
        .then(match (kx.1, ky.1) {
            (Some(p), Some(q)) => p.cmp(&q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then((kx.2, kx.3).cmp(&(ky.2, ky.3)))
}

/// Where two partners of a document differ, whose readings the document keeps: given the document's
/// aligned sentences and their scores with each ([`SourceCandidate::readings`]), over those aligned
/// with both, how many are closer (by [`READING_MARGIN`]) to the
/// challenger's partner, and how many to the incumbent's. A copy of a copy keeps the first copy's
/// edits, which a sum of aligned mass reads as a tie (they are a word or two); a rewrite of a
/// source keeps the source's readings where a copy of that source changed them. Sentences aligned
/// in one pair only are no evidence here: a chance alignment of one more sentence is not a reading.
fn readings(challenger: &[(usize, f64)], incumbent: &[(usize, f64)]) -> (usize, usize) {
    let (mut closer, mut farther) = (0usize, 0usize);
    let mut rest = incumbent;
    for &(sentence, score) in challenger {
        let Some(k) = rest.iter().position(|&(s, _)| s >= sentence) else {
            break;
        };
        rest = &rest[k..];
        if rest[0].0 != sentence {
            continue;
        }
        let other = rest[0].1;
        if score.max(other) < COPIED_READING {
            continue;
        }
        if score > other + READING_MARGIN {
            closer += 1;
        } else if other > score + READING_MARGIN {
            farther += 1;
        }
    }
    (closer, farther)
}

/// How much closer one aligned sentence must be than another to count as a different reading. A
/// copy's edit of a word or two moves a sentence's score by a few hundredths; two rewriters who
/// happen to choose the same word ("game" for a source's "match") move it by about one.
const READING_MARGIN: f64 = 0.02;

/// A reading counts only where the document copies one of the two sentences nearly word for word
/// (the aligner's default `near_identical`): a rewriter who changes the source's words as a copy
/// did is a coincidence, a copy that keeps the copy's words is a reading.
const COPIED_READING: f64 = 0.9;

/// How much more aligned mass (about sentences) a later partner may share with a document than an
/// earlier one that reads alike, and still not be its source: the earlier text's lede may carry a
/// dateline its copy dropped, and one more sentence may align by chance.
const SAME_TEXT_MASS: f64 = 2.0;

/// Whether `challenger` (a partner published before the document) makes a better source than
/// `incumbent`, the best so far of the heavier ones (they are tried heaviest first): when the
/// document keeps the challenger's readings where the two differ ([`readings`], two sentences
/// more), or when the two read alike wherever both align with the document and the challenger is
/// the earlier, unless the incumbent shares more than [`SAME_TEXT_MASS`] more with it. Two texts
/// that read alike are a text and its copy, as far as the document can tell, and the earlier is
/// the source.
fn better_source(
    challenger: &SourceCandidate<'_, '_>,
    incumbent: &SourceCandidate<'_, '_>,
    published: &[Option<Timestamp>],
) -> bool {
    let (closer, farther) = readings(&challenger.readings, &incumbent.readings);
    if closer >= farther + 2 {
        return true;
    }
    if closer > 0 || farther > 0 {
        return false;
    }
    let challenger_earlier = match (published[challenger.partner], published[incumbent.partner]) {
        (Some(p), Some(q)) => known_order(&p, &q) == Some(Ordering::Less),
        _ => false,
    };
    challenger_earlier && challenger.mass + SAME_TEXT_MASS >= incumbent.mass
}

/// A partner published before a document, as the choice of the document's source weighs it.
struct SourceCandidate<'l, 'e> {
    /// The pair.
    link: &'l Link<'e>,
    /// The partner.
    partner: usize,
    /// The document's aligned sentences with their scores in this pair, in sentence order.
    readings: Vec<(usize, f64)>,
    /// The pair's [`mass`].
    mass: f64,
}

impl<'l, 'e> SourceCandidate<'l, 'e> {
    fn new(document: usize, link: &'l Link<'e>) -> Self {
        let (a, b) = (link.evidence.a, link.evidence.b);
        let mut readings: Vec<(usize, f64)> = link
            .evidence
            .alignment
            .groups
            .iter()
            .flat_map(|g| {
                let own = if a == document {
                    g.a.clone()
                } else {
                    g.b.clone()
                };
                own.map(move |sentence| (sentence, g.score))
            })
            .collect();
        readings.sort_by_key(|&(sentence, _)| sentence);
        SourceCandidate {
            link,
            partner: if a == document { b } else { a },
            readings,
            mass: mass(link),
        }
    }
}

/// The family's tree over its related pairs, heaviest aligned mass first, in two passes. First
/// every document hangs under the partner it keeps closest among those published before it (a
/// partner whose time is unknown or overlaps is not one of them): a tree built on mass alone could
/// hang a text under a later copy of its source (a partial reuse sharing one sentence more with the
/// copy), and then the times give that copy two sources and the text none. These edges cannot close
/// a cycle (each document has at most one of them, from an earlier one). Then the rest of the tree
/// is the maximum spanning tree (Kruskal) over the remaining pairs: undated texts, and the joins
/// between documents that no time orders.
fn spanning_tree(
    members: &[usize],
    links: &[&Link<'_>],
    published: &[Option<Timestamp>],
) -> Vec<(usize, usize)> {
    let mut sorted: Vec<&&Link<'_>> = links.iter().collect();
    sorted.sort_by(|x, y| preference(x, y, published));
    let max = members.iter().copied().max().unwrap_or(0) + 1;
    let mut uf = UnionFind::new(max);
    let mut tree = Vec::new();
    // Per document, its links to partners published before it, best first.
    let mut earlier: Vec<Vec<&Link<'_>>> = vec![Vec::new(); max];
    for link in &sorted {
        let (a, b) = (link.evidence.a, link.evidence.b);
        if let (Some(p), Some(q)) = (published[a], published[b]) {
            match known_order(&p, &q) {
                Some(Ordering::Less) => earlier[b].push(link),
                Some(Ordering::Greater) => earlier[a].push(link),
                _ => {}
            }
        }
    }
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (document, candidates) in earlier.iter().enumerate() {
        let mut weighed = candidates
            .iter()
            .map(|&link| SourceCandidate::new(document, link));
        let Some(mut source) = weighed.next() else {
            continue;
        };
        for other in weighed {
            if better_source(&other, &source, published) {
                source = other;
            }
        }
        chosen.push((source.link.evidence.a, source.link.evidence.b));
    }
    chosen.sort_unstable();
    // Added heaviest first, as Kruskal adds its edges: edges are numbered in that order.
    for link in &sorted {
        let (a, b) = (link.evidence.a, link.evidence.b);
        if chosen.binary_search(&(a, b)).is_ok() {
            debug_assert_ne!(
                uf.find(a),
                uf.find(b),
                "edges from earlier texts form a forest"
            );
            uf.union(a, b);
            tree.push((a, b));
        }
    }
    for link in sorted {
        let (a, b) = (link.evidence.a, link.evidence.b);
        if uf.find(a) != uf.find(b) {
            uf.union(a, b);
            tree.push((a, b));
        }
    }
    tree
}

/// Largest family for which the tree is improved by local search (each step is quadratic in its size).
const MAX_SEARCHED_FAMILY: usize = 40;

/// Units the tree splits, each weighing its holders less one: a sentence three documents share is
/// firmer evidence than one two documents share (which a single chance alignment can make).
fn violations(tree: &[(usize, usize)], units: &[&Vec<usize>]) -> usize {
    units
        .iter()
        .filter(|h| !connected_in_tree(h, tree))
        .map(|h| h.len() - 1)
        .sum()
}

/// Tree neighbours published before a document beyond the first, summed over the documents: each is
/// a second source that the times force on a document, which a derivation tree does not have.
fn extra_sources(tree: &[(usize, usize)], published: &[Option<Timestamp>]) -> usize {
    let mut earlier: std::collections::BTreeMap<usize, usize> = Default::default();
    for &(a, b) in tree {
        if let (Some(p), Some(q)) = (published[a], published[b]) {
            match known_order(&p, &q) {
                Some(Ordering::Less) => *earlier.entry(b).or_default() += 1,
                Some(Ordering::Greater) => *earlier.entry(a).or_default() += 1,
                _ => {}
            }
        }
    }
    earlier.values().map(|&n| n.saturating_sub(1)).sum()
}

/// Swaps tree edges for other related pairs while that leaves fewer units whose holders the tree
/// splits: a document that shares sentences with two others which its tree neighbour lacks hangs in
/// the wrong place. Among equally good swaps the heavier edge wins. A swap that gives a document a
/// second source published before it is not taken: a sentence or two aligned by chance with a later
/// copy of one's source must not outweigh the times.
fn reduce_violations(
    mut tree: Vec<(usize, usize)>,
    links: &[&Link<'_>],
    units: &[&Vec<usize>],
    published: &[Option<Timestamp>],
) -> Vec<(usize, usize)> {
    if tree.len() + 1 > MAX_SEARCHED_FAMILY {
        return tree;
    }
    // Swapping one tree edge for another changes whether a unit is split only if the unit holds
    // both ends of one of the two edges (elsewhere its holders keep the same tree edges between
    // them), so each swap re-checks those units alone.
    let weight = |u: usize| units[u].len() - 1;
    let holding = |(a, b): (usize, usize)| -> Vec<usize> {
        (0..units.len())
            .filter(|&u| units[u].contains(&a) && units[u].contains(&b))
            .collect()
    };
    let link_units: Vec<Vec<usize>> = links
        .iter()
        .map(|l| holding((l.evidence.a, l.evidence.b)))
        .collect();
    let mut current = violations(&tree, units);
    let sources = extra_sources(&tree, published);
    while current > 0 {
        let split: Vec<bool> = units.iter().map(|h| !connected_in_tree(h, &tree)).collect();
        let mut best: Option<(usize, &Link<'_>, usize, (usize, usize))> = None;
        for removed in 0..tree.len() {
            let rest: Vec<(usize, usize)> = tree
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != removed)
                .map(|(_, &e)| e)
                .collect();
            let side = component_of(tree[removed].0, &rest);
            let removed_units = holding(tree[removed]);
            for (link, added_units) in links.iter().zip(&link_units) {
                let (a, b) = (link.evidence.a, link.evidence.b);
                if side.contains(&a) == side.contains(&b) || (a, b) == tree[removed] {
                    continue;
                }
                let mut candidate = rest.clone();
                candidate.push((a, b));
                let mut affected: Vec<usize> =
                    removed_units.iter().chain(added_units).copied().collect();
                affected.sort_unstable();
                affected.dedup();
                let before: usize = affected
                    .iter()
                    .filter(|&&u| split[u])
                    .map(|&u| weight(u))
                    .sum();
                let after: usize = affected
                    .iter()
                    .filter(|&&u| !connected_in_tree(units[u], &candidate))
                    .map(|&u| weight(u))
                    .sum();
                let v = current - before + after;
                if v < current && extra_sources(&candidate, published) > sources {
                    continue;
                }
                let better = match &best {
                    None => v < current,
                    Some((bv, bl, _, _)) => {
                        v < *bv || (v == *bv && preference(link, bl, published) == Ordering::Less)
                    }
                };
                if better {
                    best = Some((v, link, removed, (a, b)));
                }
            }
        }
        match best {
            Some((v, _, removed, edge)) if v < current => {
                tree[removed] = edge;
                current = v;
            }
            _ => break,
        }
    }
    tree
}

fn component_of(start: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    reachable(start, edges, |_| true)
}

/// The nodes reached from `start` over undirected `edges`, passing only through nodes `allowed` admits.
fn reachable(
    start: usize,
    edges: &[(usize, usize)],
    allowed: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut reached = vec![start];
    let mut frontier = vec![start];
    while let Some(x) = frontier.pop() {
        for &(a, b) in edges {
            let next = if a == x {
                b
            } else if b == x {
                a
            } else {
                continue;
            };
            if allowed(next) && !reached.contains(&next) {
                reached.push(next);
                frontier.push(next);
            }
        }
    }
    reached
}

/// Whether a substantial part of what a related pair shares (at least two units and a quarter of
/// them) cannot be explained by the tree: then the pair shares a source the corpus does not have.
fn unexplained_share(link: &Link<'_>, units: &[&Vec<usize>], tree: &[(usize, usize)]) -> bool {
    let (a, b) = (link.evidence.a, link.evidence.b);
    let shared: Vec<&&Vec<usize>> = units
        .iter()
        .filter(|h| h.contains(&a) && h.contains(&b))
        .collect();
    let unexplained = shared
        .iter()
        .filter(|h| !connected_in_tree(h, tree))
        .count();
    unexplained >= 2 && unexplained * 4 >= shared.len()
}

/// Whether the holders of a unit form one connected part of the tree by themselves.
fn connected_in_tree(holders: &[usize], tree: &[(usize, usize)]) -> bool {
    let Some(&start) = holders.first() else {
        return true;
    };
    reachable(start, tree, |n| holders.contains(&n)).len() == holders.len()
}

/// Directs the tree edges: `(source, derived, edge)`.
fn orient(
    ids: &[String],
    published: &[Option<Timestamp>],
    sides: Option<&[bool]>,
    edges: &[(usize, usize, &Link<'_>)],
    has_parent_already: &[usize],
) -> Vec<(usize, usize, Edge)> {
    // (source, derived, direction) or undetermined.
    let mut oriented: Vec<Option<(usize, usize, Direction)>> = edges
        .iter()
        .map(|&(x, y, _)| {
            let timed = match (published[x], published[y]) {
                (Some(p), Some(q)) => match known_order(&p, &q) {
                    Some(Ordering::Less) => Some((x, y, Direction::Timestamp)),
                    Some(Ordering::Greater) => Some((y, x, Direction::Timestamp)),
                    _ => None,
                },
                _ => None,
            };
            // Scope::Across compares only a source with a target, so a tree edge joins one of each.
            let declared = sides.map(|s| {
                debug_assert_ne!(s[x], s[y], "a related pair joins a source and a target");
                if s[x] {
                    (x, y, Direction::Declared)
                } else {
                    (y, x, Direction::Declared)
                }
            });
            timed.or(declared)
        })
        .collect();
    // A document has one parent: once it has one, its other edges lead to its children.
    loop {
        let mut changed = false;
        for k in 0..edges.len() {
            if oriented[k].is_some() {
                continue;
            }
            let (x, y, _) = edges[k];
            let has_parent = |d: usize, oriented: &[Option<(usize, usize, Direction)>]| {
                has_parent_already.contains(&d)
                    || oriented
                        .iter()
                        .any(|o| matches!(o, Some((_, t, _)) if *t == d))
            };
            if has_parent(x, &oriented) && !has_parent(y, &oriented) {
                oriented[k] = Some((x, y, Direction::Evidence));
                changed = true;
            } else if has_parent(y, &oriented) && !has_parent(x, &oriented) {
                oriented[k] = Some((y, x, Direction::Evidence));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    edges
        .iter()
        .zip(oriented)
        .map(|(&(x, y, link), oriented)| {
            let (source, derived, direction) = oriented.unwrap_or_else(|| {
                if ids[x] <= ids[y] {
                    (x, y, Direction::Undetermined)
                } else {
                    (y, x, Direction::Undetermined)
                }
            });
            let edge = Edge {
                relation: link.evidence.relation,
                direction,
                confidence: link.evidence.score,
            };
            (source, derived, edge)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_align::{AlignedGroup, Overlap};

    /// A related pair whose groups align sentence `k` with sentence `k` for each `k` of `sentences`,
    /// every group at `score`.
    fn evidence(a: usize, b: usize, sentences: std::ops::Range<usize>, score: f64) -> PairEvidence {
        let groups = sentences
            .map(|k| AlignedGroup {
                a: k..k + 1,
                b: k..k + 1,
                score,
                overlap: Overlap::default(),
                in_order: true,
            })
            .collect();
        PairEvidence::for_derivation(a, b, groups, Relation::Syndicated, 0.8, 0)
    }

    /// `evidence` with the groups of the given sentences rescored: sentences one side edited.
    fn rescored(mut evidence: PairEvidence, sentences: &[usize], score: f64) -> PairEvidence {
        for g in &mut evidence.alignment.groups {
            if sentences.contains(&g.a.start) {
                g.score = score;
            }
        }
        evidence
    }

    /// The graph of documents `ids`, each published at the given hour (or undated), every one of
    /// `sentences` sentences.
    fn derived(
        ids: [&str; 3],
        hours: [Option<i64>; 3],
        sentences: usize,
        evidence: &[PairEvidence],
    ) -> DerivationGraph {
        let ids: Vec<String> = ids.map(String::from).into();
        let published =
            hours.map(|h| h.map(|h| Timestamp::from_unix_millis(h * 3_600_000, Precision::Minute)));
        derive(&ids, &published, None, &[sentences; 3], &links(evidence))
    }

    fn links(evidence: &[PairEvidence]) -> Vec<Link<'_>> {
        evidence
            .iter()
            .map(|e| Link {
                evidence: e,
                groups: e
                    .alignment
                    .groups
                    .iter()
                    .map(|g| (g.a.clone().collect(), g.b.clone().collect()))
                    .collect(),
            })
            .collect()
    }

    fn parents(graph: &DerivationGraph, node: usize) -> Vec<String> {
        graph
            .parents(node)
            .map(|e| graph.node(e.source).id.clone())
            .collect()
    }

    #[test]
    fn an_undated_copy_found_alike_in_a_source_and_its_later_copy_hangs_under_the_source() {
        // The source (1) and its copy (0) are dated, the source first; an undated text (2) shares
        // ten sentences with each, as closely: no wording says which it was taken from, so the
        // earlier text is its source. The copy comes first in index order, which a tie would
        // otherwise fall back on.
        let ids = ["copy", "source", "undated"];
        let hours = [Some(102), Some(100), None];
        let evidence = [
            evidence(0, 1, 0..12, 0.98),
            evidence(0, 2, 0..10, 0.9),
            evidence(1, 2, 0..10, 0.9),
        ];
        let graph = derived(ids, hours, 12, &evidence);
        assert_eq!(parents(&graph, 0), ["source"]);
        // The undated text's edge is to the source; its direction is undetermined (no time).
        let joined = |x, y| graph.find_edge(x, y).or(graph.find_edge(y, x));
        assert!(joined(1, 2).is_some());
        assert!(joined(0, 2).is_none());
        assert_eq!(graph.edge_count(), 2);
    }

    #[test]
    fn a_text_hangs_under_its_earlier_source_even_when_a_later_copy_shares_more_with_it() {
        // The source (0), a partial reuse of it (1) and a later copy of the source (2): the partial
        // reuse aligns two sentences more with the copy than with the source (chance alignments
        // of sentences it did not take). A tree on mass alone joins it to the copy, and the times
        // then give the copy two sources and the partial reuse none.
        let ids = ["source", "partial", "copy"];
        let hours = [Some(100), Some(106), Some(160)];
        let evidence = [
            evidence(0, 1, 0..5, 0.9),
            evidence(0, 2, 0..24, 0.95),
            evidence(1, 2, 0..7, 0.9),
        ];
        let graph = derived(ids, hours, 24, &evidence);
        assert_eq!(parents(&graph, 1), ["source"]);
        assert_eq!(parents(&graph, 2), ["source"]);
        assert_eq!(graph.edge_count(), 2);
    }

    #[test]
    fn no_document_gets_two_sources_for_sentences_aligned_with_a_later_copy_only() {
        // The source (0), a partial reuse of it (1) and a later copy of most of the source (2).
        // The partial reuse also aligns three sentences with the copy that the source does not
        // hold. Joining the partial reuse to the copy would keep those sentences together, but
        // the times would then give the copy two sources, the source and the partial reuse, and
        // the partial reuse none.
        let ids = ["source", "partial", "copy"];
        let hours = [Some(100), Some(106), Some(160)];
        let mut partial_copy = evidence(1, 2, 0..5, 0.9);
        let extra = evidence(1, 2, 21..24, 0.9);
        partial_copy.alignment.groups.extend(extra.alignment.groups);
        let evidence = [
            evidence(0, 1, 0..5, 0.9),
            evidence(0, 2, 0..20, 0.95),
            partial_copy,
        ];
        let graph = derived(ids, hours, 24, &evidence);
        // What the two share that the source lacks is read instead as the text of a common source
        // the corpus does not have: the copy cannot come from the source (it holds sentences the
        // source lacks), nor from the partial reuse (it holds the source's sentences the partial
        // reuse lacks), so each of the three has one source, the missing one.
        for document in 0..3 {
            assert_eq!(
                parents(&graph, document),
                ["missing-source-1"],
                "{document}"
            );
        }
    }

    #[test]
    fn a_copy_of_a_copy_hangs_under_the_copy_whose_edits_it_keeps() {
        // The source (0), its copy (1) with two sentences edited, and a copy of that copy (2) that
        // keeps the edits. The second copy aligns as much with the source as with the first copy
        // (the edits are a word each), so mass alone would hang it under the earlier source.
        let ids = ["source", "copy", "second"];
        let hours = [Some(100), Some(102), Some(104)];
        let edited = |e, score| rescored(e, &[3, 7], score);
        let evidence = [
            edited(evidence(0, 1, 0..10, 0.9), 0.85),
            edited(evidence(0, 2, 0..10, 0.9), 0.85),
            edited(evidence(1, 2, 0..10, 0.9), 0.95),
        ];
        let graph = derived(ids, hours, 10, &evidence);
        assert_eq!(parents(&graph, 1), ["source"]);
        assert_eq!(parents(&graph, 2), ["copy"]);
    }

    #[test]
    fn a_rewrite_hangs_under_the_source_rather_than_its_copy_when_both_read_alike() {
        // The source (0), its copy (1), identical, and a later rewrite (2) that reads the same with
        // both but aligns one sentence more with the copy (the source's lede carries a dateline
        // the copy dropped): by mass alone the copy would be its source.
        let ids = ["source", "copy", "rewrite"];
        let hours = [Some(100), Some(102), Some(104)];
        let evidence = [
            evidence(0, 1, 0..12, 1.0),
            evidence(0, 2, 1..11, 0.8),
            evidence(1, 2, 0..11, 0.8),
        ];
        let graph = derived(ids, hours, 12, &evidence);
        assert_eq!(parents(&graph, 1), ["source"]);
        assert_eq!(parents(&graph, 2), ["source"]);
    }

    #[test]
    fn a_rewrite_that_changes_words_as_a_copy_did_stays_under_the_source() {
        // The source (0), its copy (1) with two sentences edited, and a brief rewrite of the source
        // (2) whose writer happened to change those two sentences' words as the copy's editor did:
        // its sentences are a little closer to the copy's there, but it copies neither, so that is
        // no reading it took from the copy.
        let ids = ["source", "copy", "brief"];
        let hours = [Some(100), Some(102), Some(103)];
        let edited = |e, score| rescored(e, &[1, 2], score);
        let evidence = [
            edited(evidence(0, 1, 0..12, 1.0), 0.9),
            edited(evidence(0, 2, 0..4, 0.7), 0.7),
            edited(evidence(1, 2, 0..4, 0.7), 0.75),
        ];
        let graph = derived(ids, hours, 12, &evidence);
        assert_eq!(parents(&graph, 2), ["source"]);
    }
}
