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
