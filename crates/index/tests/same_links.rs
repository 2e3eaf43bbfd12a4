//! `check` against an index finds the related (archived, new) pairs that one analysis of the whole
//! corpus finds between the two sets, with the same relations, probabilities and edges.

use std::collections::BTreeSet;
use std::path::Path;

use stemma_graph::{
    AnalyzeOptions, Article, CorpusAnalysis, Decision, NodeKind, Scope, Silent, analyze,
};
use stemma_index::Index;

mod support;
use support::generated;

/// What a comparison looks at: per related pair (ids sorted), its relation, probability and score;
/// per article edge, its ends, relation and direction; the families' missing sources as their
/// members' ids.
type Links = (
    Vec<(String, String, String, String, String)>,
    Vec<(String, String, String, String)>,
    Vec<Vec<String>>,
);

fn links(analysis: &CorpusAnalysis) -> Links {
    let id = |i: usize| analysis.documents[i].id.clone();
    let mut pairs: Vec<_> = analysis
        .related_pairs()
        .map(|p| {
            let (a, b) = (id(p.a), id(p.b));
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            (
                a,
                b,
                format!("{:?}", p.relation),
                format!("{:.12}", p.probability),
                format!("{:.12}", p.score),
            )
        })
        .collect();
    pairs.sort();
    let graph = &analysis.derivation;
    let name = |node: usize| match &graph.node(node).kind {
        NodeKind::Article(index) => id(*index),
        NodeKind::MissingSource => "missing".to_string(),
    };
    let mut edges: Vec<_> = graph
        .edges()
        .map(|e| {
            (
                name(e.source),
                name(e.target),
                format!("{:?}", e.edge.relation),
                format!("{:?}", e.edge.direction),
            )
        })
        .collect();
    edges.sort();
    let mut missing: Vec<Vec<String>> = graph
        .families
        .iter()
        .filter(|f| !f.missing_sources.is_empty())
        .map(|f| {
            let mut members: Vec<String> = f.members.iter().map(|&m| id(m)).collect();
            members.sort();
            members
        })
        .collect();
    missing.sort();
    (pairs, edges, missing)
}

/// Indexes `archive` (in two adds when `twice`), checks `new`, and compares with the analysis of
/// both sets at once with the archive as sources.
fn assert_same_links(
    archive: Vec<Article>,
    new: Vec<Article>,
    options: &AnalyzeOptions,
    twice: bool,
) {
    let sources: BTreeSet<String> = archive.iter().map(|a| a.id.clone()).collect();
    let whole = analyze(
        archive.iter().chain(&new).cloned().collect(),
        &AnalyzeOptions {
            scope: Scope::Across { sources },
            ..options.clone()
        },
    );
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut index = Index::create(folder.path(), options).expect("an index");
    if twice {
        let mut first = archive;
        let second = first.split_off(first.len() / 2);
        index.add(first, options, &mut |_| {}).expect("added");
        index.add(second, options, &mut |_| {}).expect("added");
    } else {
        index.add(archive, options, &mut |_| {}).expect("added");
    }
    let check = index.check(new, options, &Silent).expect("checked");
    assert!(check.skipped.is_empty());
    let (expected, found) = (links(&whole), links(&check.analysis));
    assert!(!expected.0.is_empty(), "the split must have links to find");
    assert_eq!(found, expected);
}

/// Every `every`-th article (by id) is new; the rest are archived.
fn split(mut articles: Vec<Article>, every: usize) -> (Vec<Article>, Vec<Article>) {
    articles.sort_by(|x, y| x.id.cmp(&y.id));
    let (mut archive, mut new) = (Vec::new(), Vec::new());
    for (k, article) in articles.into_iter().enumerate() {
        if k % every == every - 1 {
            new.push(article);
        } else {
            archive.push(article);
        }
    }
    (archive, new)
}

fn demo() -> Vec<Article> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let loaded = stemma_input::load_inputs(&[examples], None, &mut std::io::empty());
    assert_eq!(loaded.articles.len(), 6);
    loaded.articles
}

#[test]
fn the_demo_corpus_split_in_archive_and_new_gives_the_same_links() {
    let (archive, new) = split(demo(), 3);
    assert_same_links(
        archive.clone(),
        new.clone(),
        &AnalyzeOptions::default(),
        false,
    );
    assert_same_links(archive, new, &AnalyzeOptions::default(), true);
}

#[test]
fn the_demo_corpus_gives_the_same_links_with_the_learned_decision() {
    let (archive, new) = split(demo(), 3);
    let mut options = AnalyzeOptions::default();
    options.relation.decision = Decision::Learned;
    assert_same_links(archive, new, &options, false);
}

#[test]
fn a_generated_corpus_split_in_archive_and_new_gives_the_same_links() {
    let (archive, new) = split(generated(2_000, 5), 3);
    assert_same_links(archive, new, &AnalyzeOptions::default(), true);
}

#[test]
#[ignore = "slow in the test profile: a generated corpus of 10,000 articles, analysed twice"]
fn a_generated_corpus_of_ten_thousand_split_in_archive_and_new_gives_the_same_links() {
    // A day's crawl against an archive: a tenth of the articles are new.
    let (archive, new) = split(generated(10_000, 3), 10);
    assert_same_links(archive, new, &AnalyzeOptions::default(), false);
}
