//! `stemma eval CORPUS... --truth TRUTH.json`: the corpus analysis scored against document-level
//! truth by `stemma-eval`, printed as a table or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use stemma_eval::{Predicted, Truth, score};
use stemma_graph::{AnalyzeOptions, analyze};

use crate::measure_cmd::MeasureFormat;

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
            Some(stemma_eval::measure_alignments_of_texts(&texts, gold)?)
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
            evaluation.write_text(&mut out, &args.truth)?;
            if let Some(a) = &alignments {
                writeln!(out, "\nSentence alignments against the gold:")?;
                a.write_text(&mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
