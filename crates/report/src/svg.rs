//! The derivation graph as an SVG picture, laid out in Rust with `layout-rs` (no Graphviz needed).
//!
//! Each family is laid out on its own (top to bottom, sources above what derives from them) and the
//! families are then packed in rows, each in a light frame with its number; the articles that relate
//! to no other article follow in a grid. Drawn as in the DOT export: a missing source is a dashed
//! box, an edge from a missing source is dashed, an undetermined edge has no arrowhead. Edges are
//! coloured by relation and, in families of up to [`SMALL_FAMILY`] nodes, labelled
//! `#N relation score`, N being the pair's number in the HTML report and the CSV.
//!
//! layout-rs only places things here: it is given empty boxes of the right size and edges labelled
//! with safe text, and a recording backend keeps the positions it computes. The SVG is written by
//! this module, so every piece of article text goes through [`markup`] and every node and edge carries
//! a stable id and data attributes for the report's script:
//!
//! - an article node: `<g class="node article" id="node-a{i}" data-articles="{i}">`, `i` the
//!   article's index (articles sorted by id);
//! - a missing source: `<g class="node missing" id="node-m{n}" data-articles="{children}">`, `n`
//!   its node index in the derivation graph, `children` the article indices it is the source of;
//! - an edge: `<g class="edge rel-{relation}" id="edge-{e}" data-pair="{N}">` (`data-pair` absent
//!   on an edge from a missing source), `e` the edge index in the derivation graph.
//!
//! Big graphs: at most [`GraphLimits::max_nodes`] nodes are drawn. Families that would pass the
//! limit are left out whole (the others are still drawn), then the unrelated articles; the picture
//! and [`GraphPicture::note`] say what was left out. Layout time grows with the size of the largest
//! family, not with the corpus.

use std::fmt::Write as _;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::escape::markup;
use super::view::{View, basis_words};
use stemma_graph::Relation;
use stemma_graph::{CorpusAnalysis, DerivationGraph};
use stemma_graph::{Direction, NodeKind};

/// Limits on what the graph picture draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphLimits {
    /// Most nodes (articles and missing sources) drawn in all. A family that would pass it is left out
    /// whole; the articles without a related article are drawn only when they all fit.
    pub max_nodes: usize,
}

impl Default for GraphLimits {
    fn default() -> Self {
        GraphLimits { max_nodes: 500 }
    }
}

/// The graph picture and what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPicture {
    /// The `<svg>` element, without an XML declaration (ready to be inlined in HTML).
    pub svg: String,
    /// Families drawn.
    pub families_drawn: usize,
    /// Numbers (from 1) of the families left out because of [`GraphLimits::max_nodes`].
    pub families_left_out: Vec<usize>,
    /// Articles drawn.
    pub articles_drawn: usize,
    /// Articles without a related article that are not drawn.
    pub unrelated_left_out: usize,
}

impl GraphPicture {
    /// A sentence saying what the picture leaves out, if anything.
    pub fn note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.families_left_out.is_empty() {
            let list: Vec<String> = self
                .families_left_out
                .iter()
                .map(ToString::to_string)
                .collect();
            parts.push(format!(
                "{} too large to draw within the limit of nodes (families {})",
                plural(self.families_left_out.len(), "family", "families"),
                list.join(", ")
            ));
        }
        if self.unrelated_left_out > 0 {
            parts.push(format!(
                "{} without a related article",
                plural(self.unrelated_left_out, "article", "articles")
            ));
        }
        (!parts.is_empty()).then(|| format!("Not drawn: {}.", parts.join("; ")))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The derivation graph as a standalone SVG document (with an XML declaration), with the default
/// [`GraphLimits`].
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions}; use stemma_report as export;
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes. \
///     Temporary shelters were set up for about 9,300 displaced people in the district.";
/// let analysis = analyze(
///     vec![Article::new("wire", text), Article::new("<copy>", text)],
///     &AnalyzeOptions::default(),
/// );
/// let svg = export::svg(&analysis);
/// assert!(svg.starts_with("<?xml"));
/// assert_eq!(svg.matches("class=\"node article\"").count(), 2);
/// assert!(svg.contains("&lt;copy&gt;") && !svg.contains("<copy>"));
/// ```
pub fn svg(analysis: &CorpusAnalysis) -> String {
    let picture = picture(analysis, &GraphLimits::default());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        picture.svg
    )
}

/// [`svg()`], written to `out`. The picture is laid out whole (at most [`GraphLimits::max_nodes`]
/// nodes), then written.
///
/// # Errors
/// When `out` fails.
///
/// ```
/// use stemma_graph::{analyze, Article, AnalyzeOptions};
/// let analysis = analyze(vec![Article::new("a", "One line of text here.")], &AnalyzeOptions::default());
/// let mut out = Vec::new();
/// stemma_report::write_svg(&analysis, &mut out).unwrap();
/// assert_eq!(out, stemma_report::svg(&analysis).into_bytes());
/// ```
pub fn write_svg(analysis: &CorpusAnalysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    out.write_all(svg(analysis).as_bytes())
}

/// The derivation graph as an `<svg>` element, within `limits`.
pub fn picture(analysis: &CorpusAnalysis, limits: &GraphLimits) -> GraphPicture {
    let view = View::new(analysis);
    picture_of(&view, limits)
}

/// Width of a row of families before the next family starts a new row.
const ROW_WIDTH: f64 = 1100.0;
/// Space between families.
const GAP: f64 = 16.0;
/// Space inside a family's frame, around its drawing.
const MARGIN: f64 = 12.0;
/// Height of a family's title line.
const TITLE: f64 = 20.0;
/// Font size of node labels, in pixels.
const FONT: f64 = 12.0;
/// Line height of node labels.
const LINE: f64 = 16.0;
/// Most characters of a label line; longer lines are cut with an ellipsis (the full text is in the
/// node's tooltip and in the report).
const LABEL_CHARS: usize = 30;
/// The font size layout-rs is told for edge labels: it sizes a label as characters × this, so this is
/// the average width of a character of the 11-pixel label font, rounded up.
const EDGE_LABEL_LAYOUT_FONT: usize = 7;

pub(crate) fn picture_of(view: &View<'_>, limits: &GraphLimits) -> GraphPicture {
    let analysis = view.analysis;
    let graph = &analysis.derivation;
    let mut blocks: Vec<Block> = Vec::new();
    let mut budget = limits.max_nodes;
    let mut families_left_out = Vec::new();
    let mut articles_drawn = 0;
    for (k, family) in analysis.derivation.families.iter().enumerate() {
        let size = family.members.len() + family.missing_sources.len();
        if size > budget {
            families_left_out.push(k + 1);
            continue;
        }
        budget -= size;
        articles_drawn += family.members.len();
        let mut nodes: Vec<usize> = family
            .members
            .iter()
            .filter_map(|&m| view.node_of.get(m).copied().flatten())
            .collect();
        nodes.extend(family.missing_sources.iter().copied());
        blocks.push(lay_out_family(view, &format!("Family {}", k + 1), &nodes));
    }
    let families_drawn = blocks.len();
    let unrelated: Vec<usize> = (0..analysis.articles.len())
        .filter(|&i| view.family_of.get(i).copied().flatten().is_none())
        .collect();
    let mut unrelated_left_out = 0;
    if !unrelated.is_empty() {
        if unrelated.len() <= budget {
            articles_drawn += unrelated.len();
            blocks.push(grid(view, &unrelated));
        } else {
            unrelated_left_out = unrelated.len();
        }
    }
    let mut picture = GraphPicture {
        svg: String::new(),
        families_drawn,
        families_left_out,
        articles_drawn,
        unrelated_left_out,
    };
    picture.svg = svg_document(view, &blocks, picture.note().as_deref(), graph.node_count());
    picture
}

/// A laid-out part of the picture (a family, or the grid of unrelated articles), in its own
/// coordinates from (0, 0).
#[derive(Debug)]
struct Block {
    title: String,
    width: f64,
    height: f64,
    nodes: Vec<NodeBox>,
    edges: Vec<EdgeLine>,
}

#[derive(Debug)]
struct NodeBox {
    /// The node's number in the derivation graph.
    node: usize,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

#[derive(Debug)]
struct EdgeLine {
    /// The edge's number in the derivation graph.
    edge: usize,
    /// The path as layout-rs gives it (see [`path_data`]).
    path: Vec<(Point, Point)>,
    /// Arrowheads at the start and at the end.
    heads: (bool, bool),
    label: String,
    label_at: Option<Point>,
}

/// The lines of a node's label, cut to [`LABEL_CHARS`].
fn node_lines(view: &View<'_>, node: usize) -> Vec<String> {
    let graph = &view.analysis.derivation;
    let n = graph.node(node);
    let mut lines = vec![n.id.clone()];
    match n.kind {
        NodeKind::Article(i) => {
            let article = &view.analysis.articles[i];
            if let Some(p) = &article.publisher {
                lines.push(p.value.clone());
            }
            if let Some(t) = &article.published {
                lines.push(t.value.to_string());
            }
        }
        NodeKind::MissingSource => lines.push("(missing source)".to_string()),
    }
    lines.into_iter().map(|l| cut(&l, LABEL_CHARS)).collect()
}

/// A line cut to `max` characters (an ellipsis ends a cut line); line breaks become spaces.
fn cut(line: &str, max: usize) -> String {
    let line: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.trim();
    if line.chars().count() <= max {
        line.to_string()
    } else {
        let mut s: String = line.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Estimated width of a line of text in the node font (bold for the first line), in pixels.
fn text_width(line: &str) -> f64 {
    line.chars()
        .map(|c| {
            if (c as u32) >= 0x2e80 {
                FONT
            } else if c.is_ascii_uppercase() || matches!(c, 'm' | 'w' | 'M' | 'W') {
                FONT * 0.72
            } else {
                FONT * 0.58
            }
        })
        .sum()
}

fn node_size(lines: &[String]) -> (f64, f64) {
    let width = lines.iter().map(|l| text_width(l)).fold(40.0, f64::max) + 16.0;
    let height = lines.len() as f64 * LINE + 10.0;
    (width.ceil(), height)
}

/// An edge's label: `#N relation score` for a pair, `derived score` from a missing source.
fn edge_label(view: &View<'_>, edge: usize) -> String {
    let graph = &view.analysis.derivation;
    let w = graph.edge(edge).edge;
    match view.pair_of_edge(edge) {
        Some(p) => format!("#{} {} {:.2}", p.number, p.relation.as_str(), w.confidence),
        None => format!(
            "{} {:.2}",
            w.relation.map_or("derived", Relation::as_str),
            w.confidence
        ),
    }
}

/// Keeps what layout-rs draws: node boxes (by the properties they were given), edge label positions
/// and edge paths.
#[derive(Debug, Default)]
struct Recorder {
    rects: Vec<(String, Point, Point)>,
    texts: Vec<(Point, String)>,
    arrows: Vec<RecordedArrow>,
}

/// An edge as layout-rs draws it.
#[derive(Debug)]
struct RecordedArrow {
    properties: String,
    path: Vec<(Point, Point)>,
    heads: (bool, bool),
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(p) = properties {
            self.rects.push((p, xy, size));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if !text.is_empty() {
            self.texts.push((xy, text.to_string()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        if let Some(properties) = properties {
            self.arrows.push(RecordedArrow {
                properties,
                path: path.to_vec(),
                heads: head,
            });
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// Families with at most this many nodes get layout-rs's rank and crossing optimisations and labels
/// on their edges. The optimisations' cost grows fast with the width of a rank (docs/performance.md,
/// "Graph layout"), and in a wide family the labels, each a node of
/// its own for layout-rs, pull edges far from their ends. Bigger families are laid out in the order
/// of a depth-first walk instead, which keeps a tree free of crossings by itself, and their edges
/// have no label (the edge's tooltip gives its pair, relation and score; its colour, the relation).
pub const SMALL_FAMILY: usize = 60;

/// The nodes in depth-first order from the roots (nodes without a parent in the family), children in
/// the order of `nodes` (a family's members are in time order), and the edges in the order they
/// are reached. Any node the walk misses (there is none in a forest) comes last.
fn depth_first(graph: &DerivationGraph, nodes: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let rank: rustc_hash::FxHashMap<usize, usize> =
        nodes.iter().enumerate().map(|(k, &n)| (n, k)).collect();
    let children = |n: usize| -> Vec<(usize, usize)> {
        let mut c: Vec<(usize, usize)> = graph
            .children(n)
            .filter(|e| rank.contains_key(&e.target))
            .map(|e| (e.target, e.index))
            .collect();
        c.sort_by_key(|(t, e)| (rank[t], *e));
        c
    };
    let has_parent = |n: usize| graph.parents(n).any(|e| rank.contains_key(&e.source));
    let mut seen = rustc_hash::FxHashSet::default();
    let (mut order, mut edges) = (Vec::with_capacity(nodes.len()), Vec::new());
    let roots: Vec<usize> = nodes.iter().copied().filter(|&n| !has_parent(n)).collect();
    for start in roots.into_iter().chain(nodes.iter().copied()) {
        if !seen.insert(start) {
            continue;
        }
        order.push(start);
        let mut stack = vec![children(start).into_iter()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some((child, edge)) => {
                    edges.push(edge);
                    if seen.insert(child) {
                        order.push(child);
                        stack.push(children(child).into_iter());
                    }
                }
                None => {
                    stack.pop();
                }
            }
        }
    }
    (order, edges)
}

/// Lays out one family's nodes and the edges among them.
fn lay_out_family(view: &View<'_>, title: &str, nodes: &[usize]) -> Block {
    let graph = &view.analysis.derivation;
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let mut handles = rustc_hash::FxHashMap::default();
    let (order, edges) = depth_first(graph, nodes);
    let small = nodes.len() <= SMALL_FAMILY;
    for &n in &order {
        let (w, h) = node_size(&node_lines(view, n));
        let element = Element::create_with_properties(
            ShapeKind::Box(String::new()),
            StyleAttr::simple(),
            Orientation::TopToBottom,
            Point::new(w, h),
            format!("n{n}"),
        );
        handles.insert(n, vg.add_node(element));
    }
    let mut labels = rustc_hash::FxHashMap::default();
    for e in edges {
        let ends = graph.edge(e);
        let (Some(&from), Some(&to)) = (handles.get(&ends.source), handles.get(&ends.target))
        else {
            continue;
        };
        let w = ends.edge;
        let label = edge_label(view, e);
        let mut look = StyleAttr::simple();
        look.font_size = EDGE_LABEL_LAYOUT_FONT;
        let end = if w.direction == Direction::Undetermined {
            LineEndKind::None
        } else {
            LineEndKind::Arrow
        };
        let style = if w.relation.is_none() {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        let arrow = Arrow::with_properties(
            LineEndKind::None,
            end,
            style,
            if small { &label } else { "" },
            &look,
            format!("e{e}"),
            &None,
            &None,
        );
        vg.add_edge(arrow, from, to);
        labels.insert(e, label);
    }
    let mut recorder = Recorder::default();
    vg.do_it(false, !small, false, &mut recorder);

    let mut boxes: Vec<NodeBox> = recorder
        .rects
        .iter()
        .filter_map(|(p, xy, size)| {
            let n: usize = p.strip_prefix('n')?.parse().ok()?;
            Some(NodeBox {
                node: n,
                x: xy.x,
                y: xy.y,
                width: size.x,
                height: size.y,
            })
        })
        .collect();
    let mut used = vec![false; recorder.texts.len()];
    let mut lines: Vec<EdgeLine> = Vec::new();
    for arrow in &recorder.arrows {
        let path = &arrow.path;
        let Some(e) = arrow
            .properties
            .strip_prefix('e')
            .and_then(|s| s.parse::<usize>().ok())
        else {
            continue;
        };
        let label = labels.get(&e).cloned().unwrap_or_default();
        // The label was drawn by the connector the edge passes through: the nearest unused text
        // drawn with the same words.
        let distance = |at: &Point| -> f64 {
            path.iter()
                .flat_map(|(a, b)| [a, b])
                .map(|q| (q.x - at.x).hypot(q.y - at.y))
                .fold(f64::INFINITY, f64::min)
        };
        let found = recorder
            .texts
            .iter()
            .enumerate()
            .filter(|(k, (_, t))| !used[*k] && *t == label)
            .min_by(|(_, (a, _)), (_, (b, _))| distance(a).total_cmp(&distance(b)))
            .map(|(k, (at, _))| (k, *at));
        let label_at = found.map(|(k, at)| {
            used[k] = true;
            at
        });
        lines.push(EdgeLine {
            edge: e,
            path: path.clone(),
            heads: arrow.heads,
            label,
            label_at,
        });
    }

    place_labels(&boxes, &mut lines);

    // Bounds of everything drawn, to move the drawing to (MARGIN, MARGIN + TITLE).
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let mut grow = |x0: f64, y0: f64, x1: f64, y1: f64| {
        min_x = min_x.min(x0);
        min_y = min_y.min(y0);
        max_x = max_x.max(x1);
        max_y = max_y.max(y1);
    };
    for b in &boxes {
        grow(b.x, b.y, b.x + b.width, b.y + b.height);
    }
    for line in &lines {
        for (a, b) in &line.path {
            grow(a.x, a.y, a.x, a.y);
            grow(b.x, b.y, b.x, b.y);
        }
        if let Some(at) = &line.label_at {
            let half = label_width(&line.label) / 2.0;
            grow(at.x - half, at.y - 8.0, at.x + half, at.y + 8.0);
        }
    }
    let title_width = text_width(title) + 2.0 * MARGIN;
    if !min_x.is_finite() {
        return Block {
            title: title.to_string(),
            width: title_width,
            height: TITLE + 2.0 * MARGIN,
            nodes: Vec::new(),
            edges: Vec::new(),
        };
    }
    let dx = MARGIN - min_x;
    let dy = MARGIN + TITLE - min_y;
    for b in &mut boxes {
        b.x += dx;
        b.y += dy;
    }
    let shift = |p: &Point| Point::new(p.x + dx, p.y + dy);
    let edges = lines
        .into_iter()
        .map(|line| EdgeLine {
            path: line
                .path
                .iter()
                .map(|(a, b)| (shift(a), shift(b)))
                .collect(),
            label_at: line.label_at.as_ref().map(shift),
            ..line
        })
        .collect();
    Block {
        title: title.to_string(),
        width: (max_x - min_x + 2.0 * MARGIN).max(title_width),
        height: max_y - min_y + 2.0 * MARGIN + TITLE,
        nodes: boxes,
        edges,
    }
}

/// Estimated width of an edge label in its 11-pixel font.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 6.4
}

/// Height given to an edge label.
const LABEL_HEIGHT: f64 = 14.0;

/// A box as `(left, top, right, bottom)`.
type Area = (f64, f64, f64, f64);

fn overlaps(a: &Area, b: &Area) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Moves edge labels that would cover a node or another label to the nearest free place. layout-rs
/// reserves room for each label, but when it straightens an edge it may move a label onto its
/// neighbour.
fn place_labels(boxes: &[NodeBox], lines: &mut [EdgeLine]) {
    let mut taken: Vec<Area> = boxes
        .iter()
        .map(|b| (b.x, b.y, b.x + b.width, b.y + b.height))
        .collect();
    let area = |at: &Point, label: &str| -> Area {
        let half = label_width(label) / 2.0;
        (
            at.x - half,
            at.y - LABEL_HEIGHT / 2.0,
            at.x + half,
            at.y + LABEL_HEIGHT / 2.0,
        )
    };
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (lines[a].label_at, lines[b].label_at);
        let key = |p: Option<Point>| p.map_or((0.0, 0.0), |p| (p.y, p.x));
        let (ka, kb) = (key(pa), key(pb));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    // Candidate moves, nearest first: sideways, then up or down a line, then both.
    let mut moves: Vec<(f64, f64)> = Vec::new();
    for dy in [
        0.0,
        -LABEL_HEIGHT,
        LABEL_HEIGHT,
        -2.0 * LABEL_HEIGHT,
        2.0 * LABEL_HEIGHT,
    ] {
        for k in 0..=20 {
            let dx = f64::from(k) * 8.0;
            moves.push((dx, dy));
            if k > 0 {
                moves.push((-dx, dy));
            }
        }
    }
    moves.sort_by(|a, b| (a.0.abs() + 2.0 * a.1.abs()).total_cmp(&(b.0.abs() + 2.0 * b.1.abs())));
    for k in order {
        let Some(at) = lines[k].label_at else {
            continue;
        };
        let label = lines[k].label.clone();
        let free = moves
            .iter()
            .map(|&(dx, dy)| Point::new(at.x + dx, at.y + dy))
            .find(|p| {
                let a = area(p, &label);
                !taken.iter().any(|t| overlaps(&a, t))
            })
            .unwrap_or(at);
        taken.push(area(&free, &label));
        lines[k].label_at = Some(free);
    }
}

/// SVG path data for layout-rs's path: the first pair is the start point and its control point, each
/// following pair an entry control point and a point.
fn path_data(path: &[(Point, Point)]) -> String {
    let mut d = String::new();
    let p = |q: &Point| format!("{} {}", num(q.x), num(q.y));
    match path {
        [] => {}
        [(a, _)] => d.push_str(&format!("M {}", p(a))),
        [(a, ac), (bc, b), rest @ ..] => {
            d.push_str(&format!("M {} C {} {} {}", p(a), p(ac), p(bc), p(b)));
            for (c, q) in rest {
                d.push_str(&format!(" S {} {}", p(c), p(q)));
            }
        }
    }
    d
}

/// A coordinate as written: one decimal, never `-0.0`.
fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    format!("{}", r + 0.0)
}

/// Articles without a related article, in a grid.
fn grid(view: &View<'_>, articles: &[usize]) -> Block {
    let title = "Not related to another article";
    let boxes: Vec<(usize, (f64, f64))> = articles
        .iter()
        .filter_map(|&i| view.node_of.get(i).copied().flatten())
        .map(|n| (n, node_size(&node_lines(view, n))))
        .collect();
    let mut nodes = Vec::new();
    let (mut x, mut y, mut row_height, mut width) = (MARGIN, MARGIN + TITLE, 0.0f64, 0.0f64);
    for (n, (w, h)) in boxes {
        if x > MARGIN && x + w + MARGIN > ROW_WIDTH {
            x = MARGIN;
            y += row_height + GAP;
            row_height = 0.0;
        }
        nodes.push(NodeBox {
            node: n,
            x,
            y,
            width: w,
            height: h,
        });
        x += w + GAP;
        width = width.max(x - GAP + MARGIN);
        row_height = row_height.max(h);
    }
    Block {
        title: title.to_string(),
        width: width.max(text_width(title) + 2.0 * MARGIN),
        height: y + row_height + MARGIN,
        nodes,
        edges: Vec::new(),
    }
}

/// Colour of a relation's edges, labels and badges (the HTML report uses the same).
pub(crate) fn relation_colour(relation: Option<Relation>) -> &'static str {
    match relation {
        Some(Relation::Duplicate) => "#6a3d9a",
        Some(Relation::Syndicated) => "#1f5fa0",
        Some(Relation::Rewrite) => "#b34d00",
        Some(Relation::Partial) => "#2a7d22",
        None => "#666666",
    }
}

fn relation_class(relation: Option<Relation>) -> &'static str {
    relation.map_or("derived", Relation::as_str)
}

/// Writes the blocks packed in rows.
fn svg_document(
    view: &View<'_>,
    blocks: &[Block],
    note: Option<&str>,
    node_count: usize,
) -> String {
    // Pack: left to right, a new row when the next block would pass ROW_WIDTH.
    let mut placed: Vec<(f64, f64)> = Vec::with_capacity(blocks.len());
    let (mut x, mut y, mut row_height, mut width) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for b in blocks {
        if x > 0.0 && x + b.width > ROW_WIDTH {
            x = 0.0;
            y += row_height + GAP;
            row_height = 0.0;
        }
        placed.push((x, y));
        x += b.width + GAP;
        width = width.max(x - GAP);
        row_height = row_height.max(b.height);
    }
    let mut height = y + row_height;
    let note_y = height + if blocks.is_empty() { 16.0 } else { 22.0 };
    let empty = blocks.is_empty();
    if note.is_some() || empty {
        height = note_y + 8.0;
        width = width.max(420.0);
    }
    let (width, height) = (width.ceil().max(1.0), height.ceil().max(1.0));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"stemma-graph\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"{FONT}\" role=\"img\" \
         aria-label=\"derivation graph\" data-nodes=\"{node_count}\">",
        w = num(width),
        h = num(height),
    );
    out.push_str("<title>Derivation graph (stemma)</title>\n<defs>\n");
    for relation in [
        Some(Relation::Duplicate),
        Some(Relation::Syndicated),
        Some(Relation::Rewrite),
        Some(Relation::Partial),
        None,
    ] {
        let _ = writeln!(
            out,
            "<marker id=\"arrow-{c}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" \
             fill=\"{colour}\"/></marker>",
            c = relation_class(relation),
            colour = relation_colour(relation),
        );
    }
    out.push_str("</defs>\n");
    for (block, &(bx, by)) in blocks.iter().zip(&placed) {
        write_block(&mut out, view, block, bx, by);
    }
    if empty {
        let _ = writeln!(
            out,
            "<text class=\"note\" x=\"8\" y=\"{}\" fill=\"#555\">No articles to draw.</text>",
            num(note_y - 2.0)
        );
    }
    if let Some(note) = note {
        let y = if empty { note_y + 14.0 } else { note_y };
        let _ = writeln!(
            out,
            "<text class=\"note\" x=\"8\" y=\"{}\" fill=\"#8a4b00\">{}</text>",
            num(y),
            markup(note)
        );
    }
    out.push_str("</svg>\n");
    out
}

fn write_block(out: &mut String, view: &View<'_>, block: &Block, bx: f64, by: f64) {
    let analysis = view.analysis;
    let graph = &analysis.derivation;
    let _ = writeln!(
        out,
        "<g class=\"family\" transform=\"translate({} {})\">",
        num(bx),
        num(by)
    );
    let _ = writeln!(
        out,
        "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#fafafa\" \
         stroke=\"#d8d8d8\"/><text class=\"family-title\" x=\"{MARGIN}\" y=\"{}\" font-weight=\"bold\" \
         fill=\"#333\">{}</text>",
        num(block.width - 1.0),
        num(block.height - 1.0),
        num(MARGIN + 12.0),
        markup(&block.title)
    );
    for e in &block.edges {
        let d = path_data(&e.path);
        let ends = graph.edge(e.edge);
        let (w, source, target) = (ends.edge, ends.source, ends.target);
        let colour = relation_colour(w.relation);
        let class = relation_class(w.relation);
        let pair = view.pair_of_edge(e.edge);
        let arrow = if w.direction == Direction::Undetermined {
            "—"
        } else {
            "→"
        };
        let tooltip = format!(
            "{} {arrow} {}: {} {:.2}, direction {}",
            graph.node(source).id,
            graph.node(target).id,
            w.relation.map_or("common source", Relation::as_str),
            w.confidence,
            basis_words(w.direction)
        );
        let _ = write!(
            out,
            "<g class=\"edge rel-{class} dir-{dir}\" id=\"edge-{e}\"",
            dir = super::view::basis_name(w.direction),
            e = e.edge
        );
        match pair {
            Some(p) => {
                let _ = write!(
                    out,
                    " data-pair=\"{n}\" tabindex=\"0\" role=\"button\" aria-label=\"pair {n}\"",
                    n = p.number
                );
            }
            None => {
                if let Some(child) = view.article_of(target) {
                    let _ = write!(
                        out,
                        " data-articles=\"{child}\" tabindex=\"0\" role=\"button\" aria-label=\"{}\"",
                        markup(&graph.node(target).id)
                    );
                }
            }
        }
        let _ = writeln!(out, "><title>{}</title>", markup(&tooltip));
        let _ = writeln!(
            out,
            "<path class=\"hit\" d=\"{d}\" fill=\"none\" stroke=\"transparent\" stroke-width=\"12\"/>"
        );
        let _ = write!(
            out,
            "<path class=\"line\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\""
        );
        if w.relation.is_none() {
            out.push_str(" stroke-dasharray=\"6 4\"");
        }
        if e.heads.0 {
            let _ = write!(out, " marker-start=\"url(#arrow-{class})\"");
        }
        if e.heads.1 {
            let _ = write!(out, " marker-end=\"url(#arrow-{class})\"");
        }
        out.push_str("/>\n");
        if let Some(at) = e.label_at {
            let _ = writeln!(
                out,
                "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"middle\" \
                 font-size=\"11\" fill=\"{colour}\" stroke=\"#fafafa\" stroke-width=\"3\" \
                 paint-order=\"stroke\">{}</text>",
                num(at.x),
                num(at.y),
                markup(&e.label)
            );
        }
        out.push_str("</g>\n");
    }
    for b in &block.nodes {
        write_node(out, view, b);
    }
    out.push_str("</g>\n");
}

fn write_node(out: &mut String, view: &View<'_>, b: &NodeBox) {
    let analysis = view.analysis;
    let graph = &analysis.derivation;
    let node = graph.node(b.node);
    let lines = node_lines(view, b.node);
    let (class, id, articles, tooltip) = match node.kind {
        NodeKind::Article(i) => {
            let a = &analysis.articles[i];
            let mut tip = vec![node.id.clone()];
            tip.extend(a.title.as_ref().map(|t| t.value.clone()));
            tip.extend(a.publisher.as_ref().map(|t| t.value.clone()));
            tip.extend(a.published.as_ref().map(|t| t.value.to_string()));
            (
                "article",
                format!("node-a{i}"),
                i.to_string(),
                tip.join("\n"),
            )
        }
        NodeKind::MissingSource => {
            let mut children: Vec<usize> = graph
                .children(b.node)
                .filter_map(|c| view.article_of(c.target))
                .collect();
            children.sort_unstable();
            let list: Vec<String> = children.iter().map(ToString::to_string).collect();
            (
                "missing",
                format!("node-m{}", b.node),
                list.join(" "),
                format!(
                    "{}: a common source that is not in the corpus, inferred from its children",
                    node.id
                ),
            )
        }
    };
    let _ = writeln!(
        out,
        "<g class=\"node {class}\" id=\"{id}\" data-articles=\"{articles}\" tabindex=\"0\" role=\"button\" \
         aria-label=\"{}\"><title>{}</title>",
        markup(&node.id),
        markup(&tooltip)
    );
    let dashed = if class == "missing" {
        " stroke-dasharray=\"5 3\""
    } else {
        ""
    };
    let fill = if class == "missing" {
        "#f1f1f1"
    } else {
        "#ffffff"
    };
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{fill}\" stroke=\"#333\" \
         stroke-width=\"1.3\"{dashed}/>",
        num(b.x),
        num(b.y),
        num(b.width),
        num(b.height)
    );
    let cx = b.x + b.width / 2.0;
    let top = b.y + (b.height - lines.len() as f64 * LINE) / 2.0;
    out.push_str("<text text-anchor=\"middle\" fill=\"#111\">");
    for (k, line) in lines.iter().enumerate() {
        let weight = if k == 0 { " font-weight=\"bold\"" } else { "" };
        let _ = write!(
            out,
            "<tspan x=\"{}\" y=\"{}\"{weight}>{}</tspan>",
            num(cx),
            num(top + (k as f64 + 1.0) * LINE - 4.0),
            markup(line)
        );
    }
    out.push_str("</text></g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{PAYLOAD, forest, hostile};

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn the_standalone_svg_is_well_formed_xml_with_every_node_and_edge() {
        let analysis = forest(&[5, 3, 4], 2, 7);
        let svg = svg(&analysis);
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        let class_of = |n: &roxmltree::Node<'_, '_>| n.attribute("class").unwrap_or("").to_string();
        let nodes: Vec<_> = doc
            .descendants()
            .filter(|n| class_of(n).starts_with("node "))
            .collect();
        // 14 articles and one missing source (the third family's).
        assert_eq!(nodes.len(), 15);
        let edges = doc
            .descendants()
            .filter(|n| class_of(n).starts_with("edge "))
            .count();
        assert_eq!(edges, analysis.derivation.edge_count());
        for i in 0..14 {
            assert_eq!(count(&svg, &format!("id=\"node-a{i}\"")), 1, "article {i}");
        }
        // Undetermined edges have no arrowhead; the others have one.
        let graph = &analysis.derivation;
        for e in graph.edges() {
            let group = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(&format!("edge-{}", e.index)))
                .expect("every edge is drawn");
            let line = group
                .children()
                .find(|n| n.attribute("class") == Some("line"))
                .expect("a line");
            let heads =
                line.attribute("marker-end").is_some() || line.attribute("marker-start").is_some();
            assert_eq!(heads, e.edge.direction != Direction::Undetermined);
            assert_eq!(
                line.attribute("stroke-dasharray").is_some(),
                e.edge.relation.is_none(),
                "edges from a missing source are dashed"
            );
        }
        assert!(
            svg.contains("stroke-dasharray=\"5 3\""),
            "a missing source is a dashed box"
        );
    }

    #[test]
    fn hostile_ids_titles_and_publishers_are_escaped() {
        let analysis = hostile();
        let svg = svg(&analysis);
        roxmltree::Document::parse(&svg).expect("well-formed despite hostile ids");
        assert_eq!(count(&svg, "<svg"), 1);
        assert_eq!(count(&svg, "</svg>"), 1);
        assert_eq!(count(&svg, "<script"), 0);
        assert_eq!(count(&svg, "</script"), 0);
        assert_eq!(count(&svg, "<img"), 0);
        assert_eq!(count(&svg, "]]>"), 0);
        assert!(svg.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"));
        assert!(!svg.contains(PAYLOAD));
        assert_eq!(count(&svg, "class=\"node article\""), 4);
    }

    #[test]
    fn the_picture_is_deterministic() {
        let a = forest(&[30, 12, 7, 7, 3], 5, 11);
        let first = svg(&a);
        for _ in 0..3 {
            assert_eq!(svg(&a), first);
        }
        let h = hostile();
        assert_eq!(svg(&h), svg(&hostile()));
    }

    #[test]
    fn families_over_the_limit_are_left_out_and_said_so() {
        let analysis = forest(&[10, 4, 30, 3], 5, 3);
        let picture = picture(&analysis, &GraphLimits { max_nodes: 20 });
        // Families 1 (10) and 2 (4) fit, family 3 (30 and a missing source) does not, family 4 (3)
        // does; then 3 nodes are left, too few for the 5 unrelated articles.
        assert_eq!(picture.families_left_out, vec![3]);
        assert_eq!(picture.families_drawn, 3);
        assert_eq!(picture.unrelated_left_out, 5);
        assert_eq!(picture.articles_drawn, 17);
        let note = picture.note().expect("a note");
        assert!(
            note.contains("families 3") && note.contains("5 articles"),
            "{note}"
        );
        assert_eq!(count(&picture.svg, "class=\"node article\""), 17);
        assert!(picture.svg.contains(&markup(&note).into_owned()));
        let all = super::picture(&analysis, &GraphLimits::default());
        assert_eq!(all.note(), None);
        assert_eq!(all.articles_drawn, 52);
    }

    #[test]
    fn random_forests_lay_out_without_overlapping_nodes_or_labels() {
        for seed in 0..12 {
            let mut rng = crate::fixtures::Lcg(seed);
            // Small families (optimised by layout-rs) and, from seed 8 on, big ones (not optimised).
            let big = if seed >= 8 { 60 } else { 0 };
            let sizes: Vec<usize> = (0..1 + rng.below(4))
                .map(|_| 2 + big + rng.below(14))
                .collect();
            let analysis = forest(&sizes, rng.below(3), seed);
            let view = View::new(&analysis);
            for (k, family) in analysis.derivation.families.iter().enumerate() {
                let mut nodes: Vec<usize> = family.members.clone();
                nodes.extend(&family.missing_sources);
                let block = lay_out_family(&view, "Family", &nodes);
                assert_eq!(block.nodes.len(), nodes.len(), "seed {seed} family {k}");
                let labels: Vec<Area> = block
                    .edges
                    .iter()
                    .filter_map(|e| {
                        let at = e.label_at?;
                        let half = label_width(&e.label) / 2.0;
                        Some((at.x - half, at.y - 7.0, at.x + half, at.y + 7.0))
                    })
                    .collect();
                let expected = if nodes.len() <= SMALL_FAMILY {
                    block.edges.len()
                } else {
                    0
                };
                assert_eq!(
                    labels.len(),
                    expected,
                    "the edges of a small family have labels"
                );
                for (i, l) in labels.iter().enumerate() {
                    for m in &labels[i + 1..] {
                        assert!(
                            !overlaps(l, m),
                            "seed {seed}: labels {l:?} and {m:?} overlap"
                        );
                    }
                    for b in &block.nodes {
                        let area = (b.x, b.y, b.x + b.width, b.y + b.height);
                        assert!(!overlaps(l, &area), "seed {seed}: label {l:?} covers {b:?}");
                    }
                }
                for (i, a) in block.nodes.iter().enumerate() {
                    assert!(a.x >= 0.0 && a.y >= TITLE && a.x + a.width <= block.width);
                    for b in &block.nodes[i + 1..] {
                        let apart = a.x + a.width <= b.x
                            || b.x + b.width <= a.x
                            || a.y + a.height <= b.y
                            || b.y + b.height <= a.y;
                        assert!(apart, "seed {seed}: {a:?} overlaps {b:?}");
                    }
                }
            }
        }
    }

    /// A star: one source and `n - 1` copies of it, the common shape of a syndicated wire story.
    fn star(n: usize) -> CorpusAnalysis {
        let mut analysis = forest(&[n], 0, 5);
        let g = &analysis.derivation;
        let weight = g.edge(0).edge.clone();
        let edges = (1..n).map(|k| (0, k, weight.clone())).collect();
        let nodes = g.nodes().cloned().collect();
        analysis.derivation = DerivationGraph::new(nodes, edges, g.families.clone())
            .expect("a star's edges join its nodes");
        analysis
    }

    #[test]
    fn large_families_are_laid_out_without_the_optimisations() {
        // Without labels, a family over SMALL_FAMILY nodes took the depth-first layout (the times
        // of both layouts are in docs/performance.md).
        for (analysis, n) in [(star(300), 300), (forest(&[1000], 0, 5), 1000)] {
            assert!(n > SMALL_FAMILY);
            let picture = picture(&analysis, &GraphLimits { max_nodes: 5000 });
            assert_eq!(count(&picture.svg, "class=\"node article\""), n);
            assert_eq!(
                count(&picture.svg, "class=\"label\""),
                0,
                "no labels in a big family"
            );
        }
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(cut("short", 30), "short");
        let long = "x".repeat(40);
        let c = cut(&long, 30);
        assert_eq!(c.chars().count(), 30);
        assert!(c.ends_with('…'));
        assert_eq!(cut("a\nb\u{1b}c", 30), "a b c");
    }
}
