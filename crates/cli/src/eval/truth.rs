//! `stemma eval CORPUS... --truth TRUTH.json`: the corpus analysis scored against document-level
//! truth by `stemma-eval`, printed as a table or JSON.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use stemma_graph::{AnalyzeOptions, analyze};

pub use stemma_eval::truth::*;

use super::MeasureFormat;

/// Arguments of `stemma eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Files and folders (read recursively): .txt, .md, .jsonl; `-` reads JSONL from standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The truth (JSON, see docs/evaluation.md).
    #[arg(long)]
    pub truth: PathBuf,
    /// A metadata file (JSONL: id, title, publisher, url, published) for all inputs.
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Gold sentence alignments (JSON, see docs/evaluation.md) to score the pairs' alignments too.
    #[arg(long)]
    pub alignments: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
    pub format: MeasureFormat,
    /// Who decides which pairs are links (as `stemma analyze --decision`).
    #[arg(long, value_enum, default_value_t = crate::analyze_cmd::DecisionArg::Rules)]
    pub decision: crate::analyze_cmd::DecisionArg,
}

/// Runs `stemma eval`.
#[allow(clippy::print_stderr)]
pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    // The truth first: a bad truth file should not cost an analysis.
    let truth = crate::waiting::noting_waits([args.truth.as_path()], || Truth::load(&args.truth))?;
    let loaded = crate::analyze_cmd::load(&args.paths, args.meta.as_deref());
    crate::analyze_cmd::report_diagnostics(&loaded.diagnostics);
    if loaded.articles.is_empty() {
        eprintln!("stemma: error: no article could be read");
        return Ok(ExitCode::from(2));
    }
    let alignments = match &args.alignments {
        Some(gold) => {
            let texts: std::collections::BTreeMap<String, String> = loaded
                .articles
                .iter()
                .map(|a| (a.id.clone(), a.text.clone()))
                .collect();
            Some(super::gold::measure_texts(&texts, gold)?)
        }
        None => None,
    };
    let options = AnalyzeOptions {
        relation: args.decision.relation_options(),
        ..AnalyzeOptions::default()
    };
    let analysis = analyze(loaded.articles, &options);
    let evaluation = score(&truth, &Predicted::from_analysis(&analysis));
    let mut out = std::io::stdout().lock();
    match args.format {
        MeasureFormat::Json => {
            let mut value = serde_json::to_value(&evaluation)?;
            if let (Some(a), Some(object)) = (&alignments, value.as_object_mut()) {
                object.insert("alignments".to_string(), serde_json::to_value(a)?);
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        MeasureFormat::Text => {
            write_text(&mut out, &evaluation, &args.truth)?;
            if let Some(a) = &alignments {
                writeln!(out, "\nSentence alignments against the gold:")?;
                super::gold::write(a, MeasureFormat::Text, &mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn show_pairs(pairs: &[[String; 2]]) -> String {
    pairs
        .iter()
        .map(|[a, b]| format!("{a} ~ {b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The evaluation as a table for people.
pub fn write_text(out: &mut impl Write, e: &Evaluation, truth: &Path) -> std::io::Result<()> {
    writeln!(
        out,
        "{} documents, {} described by {}",
        e.documents,
        e.labelled,
        truth.display()
    )?;
    if !e.unlabelled_articles.is_empty() {
        writeln!(
            out,
            "  not in the truth (left out): {}",
            e.unlabelled_articles.join(", ")
        )?;
    }
    if !e.absent_articles.is_empty() {
        writeln!(
            out,
            "  not in the corpus (left out): {}",
            e.absent_articles.join(", ")
        )?;
    }
    let r = &e.related;
    writeln!(
        out,
        "\n{:<16} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
        "related pairs", "truth", "predicted", "correct", "precision", "recall", "F1"
    )?;
    writeln!(
        out,
        "{:<16} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
        "",
        r.truth,
        r.predicted,
        r.correct,
        show(r.precision),
        show(r.recall),
        show(r.f1)
    )?;
    if !r.missed.is_empty() {
        writeln!(out, "  missed: {}", show_pairs(&r.missed))?;
    }
    if !r.spurious.is_empty() {
        writeln!(out, "  spurious: {}", show_pairs(&r.spurious))?;
    }
    let i = &e.independent;
    writeln!(
        out,
        "\nindependent pairs linked: {} of {} (in one family: {})",
        i.linked, i.pairs, i.same_family
    )?;
    if !i.linked_pairs.is_empty() {
        writeln!(out, "  linked: {}", show_pairs(&i.linked_pairs))?;
    }
    if i.same_family > i.linked {
        writeln!(out, "  in one family: {}", show_pairs(&i.same_family_pairs))?;
    }
    let o = &e.orientation;
    writeln!(
        out,
        "\n{:<16} {:>9} {:>6} {:>8} {:>12} {:>6}",
        "orientation", "evaluated", "right", "reversed", "undetermined", "absent"
    )?;
    writeln!(
        out,
        "{:<16} {:>9} {:>6} {:>8} {:>12} {:>6}",
        "", o.evaluated, o.right, o.reversed, o.undetermined, o.absent
    )?;
    writeln!(
        out,
        "  left out: {} with a side missing from the corpus, {} with a side undated",
        o.not_in_corpus, o.untimed
    )?;
    for p in o.pairs.iter().filter(|p| p.outcome != Orientation::Right) {
        let outcome = match p.outcome {
            Orientation::Right => "right",
            Orientation::Reversed => "reversed",
            Orientation::Undetermined => "undetermined",
            Orientation::Absent => "absent",
        };
        writeln!(out, "  {} → {}: {outcome}", p.source, p.derived)?;
    }
    let c = &e.chains;
    writeln!(
        out,
        "\n{:<16} {:>9} {:>14} {:>9} {:>9} {:>7}",
        "chains", "evaluated", "parent correct", "flattened", "elsewhere", "nowhere"
    )?;
    writeln!(
        out,
        "{:<16} {:>9} {:>14} {:>9} {:>9} {:>7}",
        "", c.evaluated, c.parent_correct, c.flattened, c.elsewhere, c.nowhere
    )?;
    for item in c
        .articles
        .iter()
        .filter(|a| a.outcome != ChainOutcome::ParentCorrect)
    {
        let mut under: Vec<String> = item.predicted_parents.clone();
        under.extend(
            item.undetermined_neighbours
                .iter()
                .map(|n| format!("{n} (undetermined)")),
        );
        let under = if under.is_empty() {
            "nothing".to_string()
        } else {
            under.join(", ")
        };
        let outcome = match item.outcome {
            ChainOutcome::ParentCorrect => "parent correct",
            ChainOutcome::Flattened => "chain flattened",
            ChainOutcome::Elsewhere => "elsewhere",
            ChainOutcome::Nowhere => "nowhere",
        };
        writeln!(
            out,
            "  {}: {outcome}, under {under} (true parent {})",
            item.article,
            item.true_parents.join(", ")
        )?;
    }
    let m = &e.missing_sources;
    writeln!(
        out,
        "\nmissing sources: {} of {} families built on a missing source got a missing-source node",
        m.found, m.assessed
    )?;
    for g in &m.groups {
        writeln!(out, "  {}: {}", g.root, g.members.join(", "))?;
        if g.families.is_empty() {
            writeln!(out, "    no two of them in one family")?;
        }
        for f in &g.families {
            if f.found {
                writeln!(
                    out,
                    "    {}: {} (children: {})",
                    f.members.join(", "),
                    f.missing_sources.join(", "),
                    if f.under_missing_source.is_empty() {
                        "none of these".to_string()
                    } else {
                        f.under_missing_source.join(", ")
                    }
                )?;
            } else {
                writeln!(out, "    {}: no missing-source node", f.members.join(", "))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use petgraph::stable_graph::{NodeIndex, StableDiGraph};
    use stemma_eval::report::Report;
    use stemma_eval::round;
    use stemma_graph::derivation::{DerivationGraph, Direction, Edge, Family, Node, NodeKind};
    use stemma_graph::evidence::Relation;

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

    /// A predicted graph over the articles `IDS` (the truth's `x` is absent from the corpus).
    fn graph() -> DerivationGraph {
        let ids = IDS;
        let mut graph = StableDiGraph::new();
        let n: Vec<NodeIndex> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                graph.add_node(Node {
                    id: id.to_string(),
                    kind: NodeKind::Article(i),
                })
            })
            .collect();
        // a → b right; a → c (the chain a → b → c flattened); f — a linked (undetermined) although
        // independent; g → a reversed; h under f instead of c.
        graph.add_edge(n[0], n[1], edge(Direction::Timestamp));
        graph.add_edge(n[0], n[2], edge(Direction::Timestamp));
        graph.add_edge(n[0], n[5], edge(Direction::Undetermined));
        graph.add_edge(n[6], n[0], edge(Direction::Evidence));
        graph.add_edge(n[5], n[7], edge(Direction::Timestamp));
        // d and e in one family without a missing source.
        graph.add_edge(n[3], n[4], edge(Direction::Undetermined));
        DerivationGraph {
            graph,
            families: vec![
                Family {
                    members: vec![0, 1, 2, 5, 6, 7],
                    missing_sources: vec![],
                },
                Family {
                    members: vec![3, 4],
                    missing_sources: vec![],
                },
            ],
        }
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
        let mut derivation = graph();
        let ms = derivation.graph.add_node(Node {
            id: "missing-source-1".into(),
            kind: NodeKind::MissingSource,
        });
        let (d, e) = (NodeIndex::new(3), NodeIndex::new(4));
        let old = derivation.graph.find_edge(d, e).unwrap();
        derivation.graph.remove_edge(old);
        derivation.graph.add_edge(ms, d, edge(Direction::Evidence));
        derivation.graph.add_edge(ms, e, edge(Direction::Evidence));
        derivation.families[1].missing_sources = vec![ms.index()];
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
        let mut text = Vec::new();
        write_text(&mut text, &e, Path::new("truth.json")).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("1 of 1 families"), "{text}");
    }

    #[test]
    fn nothing_predicted_gives_undefined_precision() {
        let derivation = DerivationGraph {
            graph: StableDiGraph::new(),
            families: vec![],
        };
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
    fn a_report_read_back_scores_like_its_analysis() {
        use stemma_synth::generate::GenerateConfig;
        let (mut corpus, mut truth) = (Vec::new(), Vec::new());
        let config = GenerateConfig { docs: 60, seed: 7 };
        stemma_synth::write_corpus(&config, &mut corpus, &mut truth).expect("generated corpus");
        let truth = Truth::parse(std::str::from_utf8(&truth).unwrap()).expect("valid truth");
        let loaded = stemma_input::load_inputs(&[PathBuf::from("-")], None, &mut corpus.as_slice());
        assert_eq!(loaded.articles.len(), 60);
        let analysis = analyze(loaded.articles, &AnalyzeOptions::default());
        let json = serde_json::to_string_pretty(&stemma_report::report(&analysis)).unwrap();
        let read = from_report_json(&json).expect("a valid report");
        let direct = Predicted::from_analysis(&analysis);
        assert_eq!(read.ids, direct.ids);
        assert_eq!(read.timed, direct.timed);
        assert_eq!(read.related, direct.related);
        assert!(!read.related.is_empty() && read.timed.contains(&false));
        let edges = |p: &Predicted<'_>| p.derivation.graph.edge_count();
        assert_eq!(edges(&read), edges(&direct));
        assert_eq!(read.derivation.families, direct.derivation.families);
        // Everything the scoring derives (orientation, chains, missing sources included) agrees.
        assert_eq!(score(&truth, &read), score(&truth, &direct));
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
}
