//! A corpus analysis scored against document-level truth (`stemma eval CORPUS... --truth TRUTH.json`).
//!
//! The truth (docs/evaluation.md) says which articles derive from which (`derived_from`, with sources
//! missing from the corpus written `missing:NAME`), which pairs share derived text (`related_pairs`)
//! and which share none (`independent_pairs`). The corpus is analysed exactly as `stemma analyze`
//! does, and the result is scored on five questions:
//! 1. **Related pairs**: precision, recall and F1 of the predicted related pairs.
//! 2. **Independent pairs**: how many pairs the truth calls independent were linked anyway.
//! 3. **Orientation**: for each direct derivation between two dated corpus articles, whether the
//!    derivation graph's edge points the right way, the wrong way, has no direction, or is absent.
//! 4. **Chains**: whether each article with a parent in the corpus hangs under that parent, under its
//!    grand-parent (the chain flattened), elsewhere, or nowhere.
//! 5. **Missing sources**: whether a family of articles that reuse a common source missing from the
//!    corpus got a missing-source node.
//!
//! Only articles that are both in the corpus and described by the truth are scored; pairs with any
//! other id are left out on both sides.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use stemma_graph::{CorpusAnalysis, DerivationGraph, Direction, NodeKind};

use crate::report::Report;
use crate::{EvalError, round};

/// The start of the `format` field of the truth files this module reads.
pub const FORMAT: &str = "stemma truth v1";

/// How the truth names a source that is not in the corpus.
pub const MISSING_PREFIX: &str = "missing:";

/// One article of the truth.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TruthArticle {
    /// How it was made (`original`, `syndicated`, `spun`, `partial`, `independent`…); informative only.
    #[serde(default)]
    pub kind: Option<String>,
    /// Its direct sources: article ids or `missing:NAME`.
    #[serde(default)]
    pub derived_from: Vec<String>,
}

/// A source that is not in the corpus.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MissingSource {
    /// Its own direct sources: article ids or `missing:NAME`.
    #[serde(default)]
    pub derived_from: Vec<String>,
}

/// Document-level truth about a corpus (`truth.json`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Truth {
    /// The format's name: when present it must start with [`FORMAT`].
    #[serde(default)]
    pub format: Option<String>,
    /// Every article the truth describes, by id.
    pub articles: BTreeMap<String, TruthArticle>,
    /// Sources missing from the corpus, by NAME (referred to as `missing:NAME`).
    #[serde(default)]
    pub missing_sources: BTreeMap<String, MissingSource>,
    /// Direct derivations `[source, derived]`; the same edges as the `derived_from` lists.
    #[serde(default)]
    pub derived_pairs: Vec<[String; 2]>,
    /// Unordered pairs of articles that share derived text.
    #[serde(default)]
    pub related_pairs: Vec<[String; 2]>,
    /// Unordered pairs of articles that share no derived text.
    #[serde(default)]
    pub independent_pairs: Vec<[String; 2]>,
}

/// An unordered pair, smaller id first: how pairs of ids are keyed throughout the crate.
pub(crate) fn unordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// The largest truth file read: a million labelled pairs take about a tenth of it.
pub const MAX_TRUTH_BYTES: u64 = 256 << 20;

impl Truth {
    /// Reads and checks a truth file (at most [`MAX_TRUTH_BYTES`]).
    ///
    /// # Errors
    /// If the file cannot be read, is too large, is not valid JSON of the format, or is
    /// inconsistent; the error names the file.
    pub fn load(path: &Path) -> Result<Truth, EvalError> {
        use std::io::Read;
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_TRUTH_BYTES + 1).read_to_string(&mut text))
            .map_err(|source| EvalError::Read {
                path: path.to_path_buf(),
                what: "the truth file",
                source,
            })?;
        if text.len() as u64 > MAX_TRUTH_BYTES {
            return Err(EvalError::TooLarge {
                path: path.to_path_buf(),
                limit_mib: MAX_TRUTH_BYTES >> 20,
            });
        }
        Truth::parse(&text).map_err(|message| EvalError::Invalid {
            path: path.to_path_buf(),
            what: "truth",
            message,
        })
    }

    /// Parses and checks a truth given as JSON text.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(text: &str) -> Result<Truth, String> {
        let truth: Truth = serde_json::from_str(text).map_err(|e| e.to_string())?;
        truth.validate()?;
        Ok(truth)
    }

    /// Whether `id` names an article or a missing source of the truth.
    fn knows(&self, id: &str) -> bool {
        match id.strip_prefix(MISSING_PREFIX) {
            Some(name) => self.missing_sources.contains_key(name),
            None => self.articles.contains_key(id),
        }
    }

    /// The direct sources of an article or missing source (empty for an unknown id).
    pub fn parents(&self, id: &str) -> &[String] {
        match id.strip_prefix(MISSING_PREFIX) {
            Some(name) => self
                .missing_sources
                .get(name)
                .map_or(&[], |m| m.derived_from.as_slice()),
            None => self
                .articles
                .get(id)
                .map_or(&[], |a| a.derived_from.as_slice()),
        }
    }

    /// Every node of the truth: article ids, then `missing:NAME` ids.
    fn nodes(&self) -> Vec<String> {
        self.articles
            .keys()
            .cloned()
            .chain(
                self.missing_sources
                    .keys()
                    .map(|name| format!("{MISSING_PREFIX}{name}")),
            )
            .collect()
    }

    /// Checks that every id is known, that `derived_pairs` and the `derived_from` lists agree, that no
    /// pair is both related and independent and that derivation has no cycle.
    fn validate(&self) -> Result<(), String> {
        if let Some(format) = &self.format {
            if !format.starts_with(FORMAT) {
                return Err(format!(
                    "format {format:?} is not supported (expected {FORMAT:?})"
                ));
            }
        }
        for id in self.articles.keys() {
            if id.is_empty() || id.starts_with(MISSING_PREFIX) {
                return Err(format!(
                    "articles: {id:?} is not a valid article id (empty, or starts with {MISSING_PREFIX:?})"
                ));
            }
        }
        let mut from_lists: BTreeSet<(String, String)> = BTreeSet::new();
        for node in self.nodes() {
            for parent in self.parents(&node) {
                if !self.knows(parent) {
                    return Err(format!(
                        "{node}: derived_from names {parent:?}, which is neither an article nor a missing source"
                    ));
                }
                if *parent == node {
                    return Err(format!("{node}: derived_from names itself"));
                }
                from_lists.insert((parent.clone(), node.clone()));
            }
        }
        for (field, pairs) in [
            ("derived_pairs", &self.derived_pairs),
            ("related_pairs", &self.related_pairs),
            ("independent_pairs", &self.independent_pairs),
        ] {
            for [a, b] in pairs {
                for id in [a, b] {
                    if !self.knows(id) {
                        return Err(format!(
                            "{field}: {id:?} is neither an article nor a missing source"
                        ));
                    }
                }
                if a == b {
                    return Err(format!("{field}: [{a:?}, {b:?}] pairs an id with itself"));
                }
            }
        }
        let listed: BTreeSet<(String, String)> = self
            .derived_pairs
            .iter()
            .map(|[s, d]| (s.clone(), d.clone()))
            .collect();
        if let Some((s, d)) = listed.difference(&from_lists).next() {
            return Err(format!(
                "derived_pairs has [{s:?}, {d:?}] but {d:?} does not list {s:?} in derived_from"
            ));
        }
        if let Some((s, d)) = from_lists.difference(&listed).next() {
            return Err(format!(
                "{d:?} lists {s:?} in derived_from but derived_pairs lacks [{s:?}, {d:?}]"
            ));
        }
        let related: BTreeSet<(String, String)> = self
            .related_pairs
            .iter()
            .map(|[a, b]| unordered(a, b))
            .collect();
        for [a, b] in &self.independent_pairs {
            if related.contains(&unordered(a, b)) {
                return Err(format!(
                    "[{a:?}, {b:?}] is in both related_pairs and independent_pairs"
                ));
            }
        }
        self.check_acyclic()
    }

    /// Derivation must not loop.
    fn check_acyclic(&self) -> Result<(), String> {
        // Absent = unseen, 1 = on the current path, 2 = done.
        let mut state: BTreeMap<String, u8> = BTreeMap::new();
        for start in self.nodes() {
            if state.contains_key(&start) {
                continue;
            }
            // Iterative depth-first search: (node, next parent to visit).
            let mut stack: Vec<(String, usize)> = vec![(start.clone(), 0)];
            state.insert(start, 1);
            while let Some((node, k)) = stack.last().cloned() {
                let parents = self.parents(&node);
                if k < parents.len() {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    let parent = &parents[k];
                    match state.get(parent) {
                        Some(1) => return Err(format!("derivation loops through {parent:?}")),
                        Some(_) => {}
                        None => {
                            state.insert(parent.clone(), 1);
                            stack.push((parent.clone(), 0));
                        }
                    }
                } else {
                    state.insert(node, 2);
                    stack.pop();
                }
            }
        }
        Ok(())
    }

    /// The topmost missing sources above `missing:NAME`, following missing sources' own
    /// `derived_from` through missing sources only.
    fn missing_roots(&self, missing: &str) -> BTreeSet<String> {
        let mut roots = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![missing.to_string()];
        while let Some(node) = stack.pop() {
            if !seen.insert(node.clone()) {
                continue;
            }
            let above: Vec<&String> = self
                .parents(&node)
                .iter()
                .filter(|p| p.starts_with(MISSING_PREFIX))
                .collect();
            if above.is_empty() {
                roots.insert(node);
            } else {
                stack.extend(above.into_iter().cloned());
            }
        }
        roots
    }
}

/// What the analysis predicted, reduced to what the scoring needs (so that it can be built by hand).
#[derive(Debug, Clone)]
pub struct Predicted<'a> {
    /// Article ids; the derivation graph's `NodeKind::Article(i)` refers to `ids[i]`.
    pub ids: Vec<String>,
    /// Whether each article carries a publication time.
    pub timed: Vec<bool>,
    /// Pairs of article indices that have a relation.
    pub related: Vec<(usize, usize)>,
    /// The derivation graph and families (borrowed from an analysis, or owned when read back from a
    /// report).
    pub derivation: Cow<'a, DerivationGraph>,
}

impl<'a> Predicted<'a> {
    /// The prediction of a corpus analysis.
    pub fn from_analysis(analysis: &'a CorpusAnalysis) -> Self {
        Predicted {
            ids: analysis.articles.iter().map(|a| a.id.clone()).collect(),
            timed: analysis
                .articles
                .iter()
                .map(|a| a.published.is_some())
                .collect(),
            related: analysis.related_pairs().map(|p| (p.a, p.b)).collect(),
            derivation: Cow::Borrowed(&analysis.derivation),
        }
    }

    /// The prediction of a JSON report of `stemma analyze --format json` read back
    /// ([`Report::load`]): the same as [`Predicted::from_analysis`] of the analysis that wrote it.
    ///
    /// # Errors
    /// If a related pair, node, edge or family names an id the report does not hold, or a kind,
    /// relation or direction is unknown.
    pub fn from_report(report: &Report) -> Result<Predicted<'static>, String> {
        let derivation = report.derivation()?;
        let index = report.document_index();
        let related = report
            .pairs
            .iter()
            .map(
                |p| match (index.get(p.a.as_str()), index.get(p.b.as_str())) {
                    (Some(&a), Some(&b)) => Ok((a, b)),
                    _ => Err(format!(
                        "pair {:?} ~ {:?} names an id that is not a document",
                        p.a, p.b
                    )),
                },
            )
            .collect::<Result<Vec<(usize, usize)>, String>>()?;
        Ok(Predicted {
            ids: report.documents.iter().map(|d| d.id.clone()).collect(),
            timed: report
                .documents
                .iter()
                .map(|d| d.published.is_some())
                .collect(),
            related,
            derivation: Cow::Owned(derivation),
        })
    }
}

/// Related-pair scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedScore {
    /// Truth related pairs with both articles in the corpus.
    pub truth: usize,
    /// Predicted related pairs between articles the truth describes.
    pub predicted: usize,
    /// Predicted pairs that the truth calls related.
    pub correct: usize,
    /// correct / predicted (null when nothing was predicted).
    pub precision: Option<f64>,
    /// correct / truth (null when the truth has no related pair in the corpus).
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall (null when either is).
    pub f1: Option<f64>,
    /// Truth related pairs not predicted.
    pub missed: Vec<[String; 2]>,
    /// Predicted pairs the truth does not call related.
    pub spurious: Vec<[String; 2]>,
    /// Predicted related pairs left out because the truth does not describe one of the articles.
    pub unlabelled: usize,
    /// Of the truth related pairs, those where one article is derived from the other
    /// (`derived_pairs`); the rest share a text through other articles (siblings, cousins).
    pub derivations: usize,
    /// Of those derivations, how many were predicted.
    pub derivations_found: usize,
}

/// Independent pairs that the analysis linked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndependentScore {
    /// Truth independent pairs with both articles in the corpus.
    pub pairs: usize,
    /// Of those, how many were predicted related.
    pub linked: usize,
    /// Which.
    pub linked_pairs: Vec<[String; 2]>,
    /// Of those, how many ended up in the same predicted family (linked directly or through others).
    pub same_family: usize,
    /// Which.
    pub same_family_pairs: Vec<[String; 2]>,
}

/// What the derivation graph says about one true derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// An edge from the source to the derived article, with a determined direction.
    Right,
    /// An edge from the derived article to the source, with a determined direction.
    Reversed,
    /// An edge between them whose direction is undetermined.
    Undetermined,
    /// No edge between them.
    Absent,
}

/// One true derivation and the edge the graph has for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrientedPair {
    /// The true source.
    pub source: String,
    /// The true derived article.
    pub derived: String,
    /// What the graph says.
    pub outcome: Orientation,
    /// How the graph's edge was directed (null when absent).
    pub basis: Option<Direction>,
}

/// Edge orientation scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrientationScore {
    /// True derivations between two dated corpus articles.
    pub evaluated: usize,
    /// Edges pointing from source to derived.
    pub right: usize,
    /// Edges pointing from derived to source.
    pub reversed: usize,
    /// Edges without a direction.
    pub undetermined: usize,
    /// No edge between the two.
    pub absent: usize,
    /// True derivations left out because one side is a missing source or not in the corpus.
    pub not_in_corpus: usize,
    /// True derivations left out because one side has no publication time.
    pub untimed: usize,
    /// Each evaluated derivation.
    pub pairs: Vec<OrientedPair>,
}

/// Where the graph hangs an article whose true parent is in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainOutcome {
    /// Under its true parent.
    ParentCorrect,
    /// Under its true grand-parent: the chain was flattened.
    Flattened,
    /// Under some other node.
    Elsewhere,
    /// Under nothing.
    Nowhere,
}

/// One article with a parent in the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainItem {
    /// The derived article.
    pub article: String,
    /// Its kind in the truth.
    pub kind: Option<String>,
    /// Its true parents that are corpus articles.
    pub true_parents: Vec<String>,
    /// Sources of the graph's directed edges into it.
    pub predicted_parents: Vec<String>,
    /// Nodes joined to it by undetermined edges (either end may be the parent).
    pub undetermined_neighbours: Vec<String>,
    /// The verdict.
    pub outcome: ChainOutcome,
}

/// Chain scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainScore {
    /// Articles whose true parent is a corpus article.
    pub evaluated: usize,
    /// Hung under their true parent.
    pub parent_correct: usize,
    /// Hung under their true grand-parent.
    pub flattened: usize,
    /// Hung under another node.
    pub elsewhere: usize,
    /// Hung under nothing.
    pub nowhere: usize,
    /// Each evaluated article.
    pub articles: Vec<ChainItem>,
}

/// The group's members that share one predicted family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFamily {
    /// Members of the group in this family (at least two).
    pub members: Vec<String>,
    /// The family's missing-source nodes.
    pub missing_sources: Vec<String>,
    /// Of `members`, those hung directly under one of those nodes.
    pub under_missing_source: Vec<String>,
    /// Whether the family has a missing-source node.
    pub found: bool,
}

/// Corpus articles that reuse the same missing source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingGroup {
    /// The topmost missing source (`missing:NAME`).
    pub root: String,
    /// Corpus articles derived directly from it or from a missing source below it.
    pub members: Vec<String>,
    /// Predicted families holding at least two members.
    pub families: Vec<GroupFamily>,
}

/// Missing-source scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingSourceScore {
    /// (group, family) cases with at least two group members in one predicted family.
    pub assessed: usize,
    /// Of those, how many families have a missing-source node.
    pub found: usize,
    /// Every group with at least one corpus member.
    pub groups: Vec<MissingGroup>,
}

/// Everything `stemma eval` measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Articles in the corpus.
    pub documents: usize,
    /// Of those, how many the truth describes.
    pub labelled: usize,
    /// Corpus articles the truth does not describe (left out of every score).
    pub unlabelled_articles: Vec<String>,
    /// Truth articles not in the corpus (left out of every score).
    pub absent_articles: Vec<String>,
    /// Related-pair precision and recall.
    pub related: RelatedScore,
    /// Independent pairs linked.
    pub independent: IndependentScore,
    /// Orientation of true derivations.
    pub orientation: OrientationScore,
    /// Parents of derived articles.
    pub chains: ChainScore,
    /// Missing-source nodes of families built on a missing source.
    pub missing_sources: MissingSourceScore,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| round(n as f64 / d as f64))
}

fn pair_list(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<[String; 2]> {
    pairs.into_iter().map(|(a, b)| [a, b]).collect()
}

/// Scores a prediction against the truth.
pub fn score(truth: &Truth, predicted: &Predicted<'_>) -> Evaluation {
    let ids = &predicted.ids;
    let index: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let labelled = |id: &str| index.contains_key(id) && truth.articles.contains_key(id);
    let graph: &DerivationGraph = &predicted.derivation;
    let node_of: BTreeMap<usize, usize> = graph
        .nodes()
        .enumerate()
        .filter_map(|(n, node)| match node.kind {
            NodeKind::Article(i) => Some((i, n)),
            NodeKind::MissingSource => None,
        })
        .collect();
    let family_of: BTreeMap<usize, usize> = predicted
        .derivation
        .families
        .iter()
        .enumerate()
        .flat_map(|(f, family)| family.members.iter().map(move |&m| (m, f)))
        .collect();

    // Related pairs.
    let truth_related: BTreeSet<(String, String)> = truth
        .related_pairs
        .iter()
        .filter(|[a, b]| labelled(a) && labelled(b))
        .map(|[a, b]| unordered(a, b))
        .collect();
    let mut predicted_related: BTreeSet<(String, String)> = BTreeSet::new();
    let mut unlabelled = 0;
    for &(a, b) in &predicted.related {
        if labelled(&ids[a]) && labelled(&ids[b]) {
            predicted_related.insert(unordered(&ids[a], &ids[b]));
        } else {
            unlabelled += 1;
        }
    }
    let correct = truth_related.intersection(&predicted_related).count();
    let precision = ratio(correct, predicted_related.len());
    let recall = ratio(correct, truth_related.len());
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(round(2.0 * p * r / (p + r))),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    let derivations: BTreeSet<(String, String)> = truth
        .derived_pairs
        .iter()
        .map(|[a, b]| unordered(a, b))
        .filter(|pair| truth_related.contains(pair))
        .collect();
    let related = RelatedScore {
        derivations: derivations.len(),
        derivations_found: derivations.intersection(&predicted_related).count(),
        truth: truth_related.len(),
        predicted: predicted_related.len(),
        correct,
        precision,
        recall,
        f1,
        missed: pair_list(truth_related.difference(&predicted_related).cloned()),
        spurious: pair_list(predicted_related.difference(&truth_related).cloned()),
        unlabelled,
    };

    // Independent pairs.
    let truth_independent: BTreeSet<(String, String)> = truth
        .independent_pairs
        .iter()
        .filter(|[a, b]| labelled(a) && labelled(b))
        .map(|[a, b]| unordered(a, b))
        .collect();
    let linked_pairs = pair_list(truth_independent.intersection(&predicted_related).cloned());
    let same_family_pairs = pair_list(
        truth_independent
            .iter()
            .filter(|(a, b)| {
                let fa = family_of.get(&index[a.as_str()]);
                fa.is_some() && fa == family_of.get(&index[b.as_str()])
            })
            .cloned(),
    );
    let independent = IndependentScore {
        pairs: truth_independent.len(),
        linked: linked_pairs.len(),
        linked_pairs,
        same_family: same_family_pairs.len(),
        same_family_pairs,
    };

    // Orientation.
    let mut orientation = OrientationScore {
        evaluated: 0,
        right: 0,
        reversed: 0,
        undetermined: 0,
        absent: 0,
        not_in_corpus: 0,
        untimed: 0,
        pairs: Vec::new(),
    };
    for [source, derived] in &truth.derived_pairs {
        if !labelled(source) || !labelled(derived) {
            orientation.not_in_corpus += 1;
            continue;
        }
        let (s, d) = (index[source.as_str()], index[derived.as_str()]);
        if !predicted.timed[s] || !predicted.timed[d] {
            orientation.untimed += 1;
            continue;
        }
        let (ns, nd) = (node_of[&s], node_of[&d]);
        let (outcome, basis) = match (graph.find_edge(ns, nd), graph.find_edge(nd, ns)) {
            (Some(e), _) | (None, Some(e)) if e.edge.direction == Direction::Undetermined => {
                (Orientation::Undetermined, Some(Direction::Undetermined))
            }
            (Some(e), _) => (Orientation::Right, Some(e.edge.direction)),
            (None, Some(e)) => (Orientation::Reversed, Some(e.edge.direction)),
            (None, None) => (Orientation::Absent, None),
        };
        orientation.evaluated += 1;
        match outcome {
            Orientation::Right => orientation.right += 1,
            Orientation::Reversed => orientation.reversed += 1,
            Orientation::Undetermined => orientation.undetermined += 1,
            Orientation::Absent => orientation.absent += 1,
        }
        orientation.pairs.push(OrientedPair {
            source: source.clone(),
            derived: derived.clone(),
            outcome,
            basis,
        });
    }

    // Chains.
    let mut chains = ChainScore {
        evaluated: 0,
        parent_correct: 0,
        flattened: 0,
        elsewhere: 0,
        nowhere: 0,
        articles: Vec::new(),
    };
    for (id, article) in &truth.articles {
        if !labelled(id) {
            continue;
        }
        let true_parents: BTreeSet<&String> = article
            .derived_from
            .iter()
            .filter(|p| labelled(p))
            .collect();
        if true_parents.is_empty() {
            continue;
        }
        let grand_parents: BTreeSet<&String> = true_parents
            .iter()
            .flat_map(|p| truth.parents(p))
            .filter(|g| labelled(g))
            .collect();
        let node = node_of[&index[id.as_str()]];
        let mut predicted_parents = BTreeSet::new();
        let mut undetermined_neighbours = BTreeSet::new();
        for e in graph.parents(node) {
            if e.edge.direction == Direction::Undetermined {
                undetermined_neighbours.insert(graph.node(e.source).id.clone());
            } else {
                predicted_parents.insert(graph.node(e.source).id.clone());
            }
        }
        for e in graph.children(node) {
            if e.edge.direction == Direction::Undetermined {
                undetermined_neighbours.insert(graph.node(e.target).id.clone());
            }
        }
        let candidates: BTreeSet<&String> = predicted_parents
            .iter()
            .chain(&undetermined_neighbours)
            .collect();
        let outcome = if candidates.iter().any(|c| true_parents.contains(c)) {
            ChainOutcome::ParentCorrect
        } else if candidates.iter().any(|c| grand_parents.contains(c)) {
            ChainOutcome::Flattened
        } else if !candidates.is_empty() {
            ChainOutcome::Elsewhere
        } else {
            ChainOutcome::Nowhere
        };
        chains.evaluated += 1;
        match outcome {
            ChainOutcome::ParentCorrect => chains.parent_correct += 1,
            ChainOutcome::Flattened => chains.flattened += 1,
            ChainOutcome::Elsewhere => chains.elsewhere += 1,
            ChainOutcome::Nowhere => chains.nowhere += 1,
        }
        chains.articles.push(ChainItem {
            article: id.clone(),
            kind: article.kind.clone(),
            true_parents: true_parents.into_iter().cloned().collect(),
            predicted_parents: predicted_parents.into_iter().collect(),
            undetermined_neighbours: undetermined_neighbours.into_iter().collect(),
            outcome,
        });
    }

    // Families built on a missing source.
    let mut members_by_root: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, article) in &truth.articles {
        if !labelled(id) {
            continue;
        }
        for parent in &article.derived_from {
            if parent.starts_with(MISSING_PREFIX) {
                for root in truth.missing_roots(parent) {
                    members_by_root.entry(root).or_default().insert(id.clone());
                }
            }
        }
    }
    let mut missing_sources = MissingSourceScore {
        assessed: 0,
        found: 0,
        groups: Vec::new(),
    };
    for (root, members) in members_by_root {
        let mut by_family: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for m in &members {
            if let Some(&f) = family_of.get(&index[m.as_str()]) {
                by_family.entry(f).or_default().push(m.clone());
            }
        }
        let mut families = Vec::new();
        for (f, in_family) in by_family {
            if in_family.len() < 2 {
                continue;
            }
            let nodes: Vec<usize> = predicted.derivation.families[f]
                .missing_sources
                .iter()
                .copied()
                .filter(|&n| n < graph.node_count())
                .collect();
            let under_missing_source = in_family
                .iter()
                .filter(|m| {
                    let node = node_of[&index[m.as_str()]];
                    nodes.iter().any(|&ms| graph.find_edge(ms, node).is_some())
                })
                .cloned()
                .collect();
            let found = !nodes.is_empty();
            missing_sources.assessed += 1;
            if found {
                missing_sources.found += 1;
            }
            families.push(GroupFamily {
                members: in_family,
                missing_sources: nodes.iter().map(|&n| graph.node(n).id.clone()).collect(),
                under_missing_source,
                found,
            });
        }
        missing_sources.groups.push(MissingGroup {
            root,
            members: members.into_iter().collect(),
            families,
        });
    }

    Evaluation {
        documents: ids.len(),
        labelled: ids.iter().filter(|id| labelled(id)).count(),
        unlabelled_articles: ids
            .iter()
            .filter(|id| !truth.articles.contains_key(id.as_str()))
            .cloned()
            .collect(),
        absent_articles: truth
            .articles
            .keys()
            .filter(|id| !index.contains_key(id.as_str()))
            .cloned()
            .collect(),
        related,
        independent,
        orientation,
        chains,
        missing_sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_graph::Relation;
    use stemma_graph::{Edge, Family, Node};

    const TRUTH: &str = r#"{
        "articles": {
            "a": {"kind": "original", "derived_from": []},
            "b": {"kind": "syndicated", "derived_from": ["a"]},
            "c": {"kind": "syndicated", "derived_from": ["b"]},
            "d": {"kind": "spun", "derived_from": ["missing:m2"]},
            "e": {"kind": "partial", "derived_from": ["missing:m1"]},
            "f": {"kind": "independent", "derived_from": []},
            "g": {"kind": "spun", "derived_from": ["a"]},
            "h": {"kind": "spun", "derived_from": ["c"]},
            "x": {"kind": "syndicated", "derived_from": []}
        },
        "missing_sources": {
            "m1": {"derived_from": []},
            "m2": {"derived_from": ["missing:m1"]}
        },
        "derived_pairs": [["a", "b"], ["b", "c"], ["missing:m2", "d"], ["missing:m1", "e"],
                          ["missing:m1", "missing:m2"], ["a", "g"], ["c", "h"]],
        "related_pairs": [["a", "b"], ["a", "c"], ["b", "c"], ["d", "e"],
                          ["a", "g"], ["b", "g"], ["c", "g"], ["x", "a"]],
        "independent_pairs": [["a", "f"], ["d", "f"], ["a", "d"]]
    }"#;

    fn edge(direction: Direction) -> Edge {
        Edge {
            relation: Some(Relation::Syndicated),
            direction,
            confidence: 0.5,
        }
    }

    const IDS: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];

    /// The articles `IDS` as nodes, then `extra` nodes.
    fn nodes(extra: Vec<Node>) -> Vec<Node> {
        let articles = IDS.iter().enumerate().map(|(i, id)| Node {
            id: id.to_string(),
            kind: NodeKind::Article(i),
        });
        articles.chain(extra).collect()
    }

    /// The families of [`graph`], the second with the given missing sources.
    fn families(missing_sources: Vec<usize>) -> Vec<Family> {
        vec![
            Family {
                members: vec![0, 1, 2, 5, 6, 7],
                missing_sources: vec![],
            },
            Family {
                members: vec![3, 4],
                missing_sources,
            },
        ]
    }

    /// The edges of [`graph`] among the first family: a → b right; a → c (the chain a → b → c
    /// flattened); f — a linked (undetermined) although independent; g → a reversed; h under f
    /// instead of c.
    fn first_family_edges() -> Vec<(usize, usize, Edge)> {
        vec![
            (0, 1, edge(Direction::Timestamp)),
            (0, 2, edge(Direction::Timestamp)),
            (0, 5, edge(Direction::Undetermined)),
            (6, 0, edge(Direction::Evidence)),
            (5, 7, edge(Direction::Timestamp)),
        ]
    }

    /// A predicted graph over the articles `IDS` (the truth's `x` is absent from the corpus).
    fn graph() -> DerivationGraph {
        let mut edges = first_family_edges();
        // d and e in one family without a missing source.
        edges.push((3, 4, edge(Direction::Undetermined)));
        DerivationGraph::new(nodes(vec![]), edges, families(vec![])).expect("a valid graph")
    }

    fn truth() -> Truth {
        Truth::parse(TRUTH).expect("valid truth")
    }

    fn ids() -> Vec<String> {
        IDS.map(String::from).to_vec()
    }

    #[test]
    fn scores_a_hand_made_graph() {
        let derivation = graph();
        let predicted = Predicted {
            ids: ids(),
            timed: vec![true, true, true, false, false, true, true, true],
            related: vec![(0, 1), (0, 2), (1, 2), (0, 5), (0, 6), (3, 4)],
            derivation: Cow::Borrowed(&derivation),
        };
        let e = score(&truth(), &predicted);
        assert_eq!(e.documents, 8);
        assert_eq!(e.labelled, 8);
        assert_eq!(e.absent_articles, vec!["x".to_string()]);
        // Truth related in corpus: ab ac bc de ag bg cg = 7; predicted 6, of which ab ac bc ag de correct.
        assert_eq!(
            (e.related.truth, e.related.predicted, e.related.correct),
            (7, 6, 5)
        );
        assert_eq!(e.related.precision, Some(round(5.0 / 6.0)));
        assert_eq!(e.related.recall, Some(round(5.0 / 7.0)));
        assert_eq!(
            e.related.missed,
            vec![["b", "g"].map(String::from), ["c", "g"].map(String::from)]
        );
        assert_eq!(e.related.spurious, vec![["a", "f"].map(String::from)]);
        // One derived from the other: ab, bc, ag (c → h is not a related pair of the truth); all
        // found. Related through others: ac and de found, bg and cg missed.
        assert_eq!((e.related.derivations, e.related.derivations_found), (3, 3));
        assert_eq!((e.independent.pairs, e.independent.linked), (3, 1));
        // a and d are in different families; a and f share one.
        assert_eq!(e.independent.same_family, 1);
        // a→b right, b→c absent, a→g reversed, c→h absent; the missing sources' pairs are left out.
        let o = &e.orientation;
        assert_eq!(
            (o.evaluated, o.right, o.reversed, o.undetermined, o.absent),
            (4, 1, 1, 0, 2)
        );
        assert_eq!((o.not_in_corpus, o.untimed), (3, 0));
        let c = &e.chains;
        assert_eq!(
            (
                c.evaluated,
                c.parent_correct,
                c.flattened,
                c.elsewhere,
                c.nowhere
            ),
            (4, 1, 1, 1, 1)
        );
        let outcome = |id: &str| c.articles.iter().find(|a| a.article == id).unwrap().outcome;
        assert_eq!(outcome("b"), ChainOutcome::ParentCorrect);
        assert_eq!(outcome("c"), ChainOutcome::Flattened);
        // h hangs under f; g hangs under nothing: its only edge goes g → a.
        assert_eq!(outcome("h"), ChainOutcome::Elsewhere);
        assert_eq!(outcome("g"), ChainOutcome::Nowhere);
        // d (under m2 under m1) and e (under m1) form one group rooted at m1, in one family, unfound.
        let m = &e.missing_sources;
        assert_eq!((m.assessed, m.found), (1, 0));
        assert_eq!(m.groups.len(), 1);
        assert_eq!(m.groups[0].root, "missing:m1");
        assert_eq!(m.groups[0].members, vec!["d".to_string(), "e".to_string()]);
    }

    #[test]
    fn missing_source_node_is_found_and_untimed_pairs_left_out() {
        // d and e hang under a missing source (node 8) instead of joining each other.
        let missing = Node {
            id: "missing-source-1".into(),
            kind: NodeKind::MissingSource,
        };
        let mut edges = first_family_edges();
        edges.push((8, 3, edge(Direction::Evidence)));
        edges.push((8, 4, edge(Direction::Evidence)));
        let derivation = DerivationGraph::new(nodes(vec![missing]), edges, families(vec![8]))
            .expect("a valid graph");
        let predicted = Predicted {
            ids: ids(),
            timed: vec![true, false, true, true, true, true, true, true],
            related: vec![(3, 4)],
            derivation: Cow::Borrowed(&derivation),
        };
        let e = score(&truth(), &predicted);
        assert_eq!(
            (e.missing_sources.assessed, e.missing_sources.found),
            (1, 1)
        );
        let family = &e.missing_sources.groups[0].families[0];
        assert_eq!(family.missing_sources, vec!["missing-source-1".to_string()]);
        assert_eq!(family.under_missing_source.len(), 2);
        // b is undated: a→b and b→c are left out; a→g and c→h are evaluated.
        assert_eq!((e.orientation.evaluated, e.orientation.untimed), (2, 2));
    }

    #[test]
    fn nothing_predicted_gives_undefined_precision() {
        let derivation = DerivationGraph::default();
        let predicted = Predicted {
            ids: vec![],
            timed: vec![],
            related: vec![],
            derivation: Cow::Borrowed(&derivation),
        };
        let e = score(&truth(), &predicted);
        assert_eq!(
            (e.related.precision, e.related.recall, e.related.f1),
            (None, None, None)
        );
        assert_eq!(e.absent_articles.len(), 9);
    }

    #[test]
    fn inconsistent_truths_are_invalid() {
        let bad = [
            (
                r#"{"articles": {"a": {}}, "related_pairs": [["a", "y"]]}"#,
                "\"y\" is neither",
            ),
            (
                r#"{"articles": {"a": {"derived_from": ["missing:m"]}}, "derived_pairs": [["missing:m", "a"]]}"#,
                "missing:m",
            ),
            (
                r#"{"articles": {"a": {}, "b": {"derived_from": ["a"]}}}"#,
                "derived_pairs lacks",
            ),
            (
                r#"{"articles": {"a": {}, "b": {}}, "derived_pairs": [["a", "b"]]}"#,
                "does not list",
            ),
            (
                r#"{"articles": {"a": {}, "b": {}}, "related_pairs": [["a", "b"]], "independent_pairs": [["b", "a"]]}"#,
                "both",
            ),
            (
                r#"{"articles": {"a": {"derived_from": ["b"]}, "b": {"derived_from": ["a"]}}, "derived_pairs": [["a", "b"], ["b", "a"]]}"#,
                "loops",
            ),
            (
                r#"{"articles": {"a": {}}, "related_pairs": [["a", "a"]]}"#,
                "itself",
            ),
            (
                r#"{"articles": {"missing:a": {}}}"#,
                "not a valid article id",
            ),
            (r#"{"related_pairs": []}"#, "articles"),
            (
                r#"{"format": "stemma truth v2", "articles": {}}"#,
                "not supported",
            ),
            ("3", "invalid type"),
        ];
        for (text, expected) in bad {
            let error = Truth::parse(text).expect_err(text);
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    fn from_report_json(text: &str) -> Result<Predicted<'static>, String> {
        Predicted::from_report(&Report::parse(text)?)
    }

    #[test]
    fn an_inconsistent_report_is_refused() {
        let report = |pairs: &str, edges: &str| {
            format!(
                r#"{{"documents": [{{"id": "a", "published": "2025-01-01T00:00:00Z"}}, {{"id": "b"}}],
                    "pairs": [{pairs}], "nodes": [{{"id": "a", "kind": "article"}}, {{"id": "b", "kind": "article"}}],
                    "edges": [{edges}], "families": [{{"members": ["a", "b"], "missing_sources": []}}],
                    "stats": {{}}}}"#
            )
        };
        let pair = r#"{"a": "a", "b": "b", "relation": "rewrite", "aligned": []}"#;
        let edge = r#"{"source": "a", "target": "b", "relation": "rewrite", "direction": "timestamp", "confidence": 0.5}"#;
        let good = from_report_json(&report(pair, edge)).expect("valid");
        assert_eq!(
            (good.related.clone(), good.timed.clone()),
            (vec![(0, 1)], vec![true, false])
        );
        let cases = [
            (
                report(&pair.replace("\"b\", \"rel", "\"z\", \"rel"), edge),
                "not a document",
            ),
            (
                report(pair, &edge.replace("timestamp", "sideways")),
                "unknown direction",
            ),
            (
                report(
                    pair,
                    &edge.replace("\"target\": \"b\"", "\"target\": \"q\""),
                ),
                "not a node",
            ),
            (
                report(pair, &edge.replace("\"rewrite\"", "\"copy\"")),
                "unknown relation",
            ),
            ("3".to_string(), "invalid type"),
        ];
        for (text, expected) in cases {
            let error = from_report_json(&text).expect_err(&text);
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn missing_roots_follow_missing_chains() {
        let t = truth();
        assert_eq!(
            t.missing_roots("missing:m2"),
            BTreeSet::from(["missing:m1".to_string()])
        );
        assert_eq!(
            t.missing_roots("missing:m1"),
            BTreeSet::from(["missing:m1".to_string()])
        );
    }
}
