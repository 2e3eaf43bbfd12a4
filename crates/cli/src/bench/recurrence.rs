//! `stemma bench recurrence`: the share of 8-word shingles of an article that occur in an unrelated
//! article, for METER showbiz (read from `--shared` at run time) and for corpora of both generators
//! (their bodies, page furniture left out), so that the natural generator can be checked against
//! real news (docs/performance.md).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use stemma_bench::{Recurrence, shingle_recurrence, thousands};
use stemma_synth::{GenerateConfig, Generator, meter_texts, stories_with};

/// Shared shingles from which two METER texts of different catchlines are taken for one story.
const REUSED_BLOCK: usize = 10;

/// Arguments of `stemma bench recurrence`.
#[derive(Debug, clap::Args)]
pub struct RecurrenceArgs {
    /// Corpus sizes of the generated corpora, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "288,2000",
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    pub docs: Vec<u64>,
    /// The generators' seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder holding benchmarks/meter-showbiz and benchmarks/mrpc.
    #[arg(long, default_value = "../shared")]
    pub shared: std::path::PathBuf,
    /// Calibration: the natural model's probability of following three tokens rather than two.
    #[arg(long, hide = true)]
    pub order3_share: Option<f64>,
    /// Calibration: the natural model's probability of following one token only.
    #[arg(long, hide = true)]
    pub order1_share: Option<f64>,
}

/// Runs `stemma bench recurrence`.
pub fn run(args: &RecurrenceArgs) -> Result<ExitCode> {
    let mut rows: Vec<(String, Recurrence)> = Vec::new();
    let meter = meter_texts(&args.shared)?;
    let mut story_ids: BTreeMap<&str, u64> = BTreeMap::new();
    for (story, _) in &meter {
        let next = story_ids.len() as u64;
        story_ids.entry(story.as_str()).or_insert(next);
    }
    // Wire copy is unwrapped as the analysis reads it: its hard wraps and slugs are no phrasing.
    let unwrapped: Vec<(u64, String)> = meter
        .iter()
        .map(|(story, text)| {
            let text = stemma_align::unwrap_wire_copy(text).unwrap_or_else(|| text.clone());
            (story_ids[story.as_str()], text)
        })
        .collect();
    let texts: Vec<(u64, &str)> = unwrapped.iter().map(|(s, t)| (*s, t.as_str())).collect();
    rows.push((
        "METER showbiz, by catchline".to_string(),
        shingle_recurrence(texts.iter().copied()),
    ));
    // A story filed under two catchlines, or on two days, is one story: merged when two of its
    // texts share a block of reused text.
    let merged = stemma_bench::merge_reused_stories(&texts, REUSED_BLOCK);
    rows.push((
        "METER showbiz, reused blocks merged".to_string(),
        shingle_recurrence(merged.iter().zip(&texts).map(|(&s, &(_, t))| (s, t))),
    ));
    let mut model = super::load_model(&args.shared)?;
    if let Some(share) = args.order3_share {
        model = model.with_order3_share(share);
    }
    if let Some(share) = args.order1_share {
        model = model.with_order1_share(share);
    }
    let model = Arc::new(model);
    for &docs in &args.docs {
        let docs = usize::try_from(docs).context("--docs is too large")?;
        for generator in [Generator::Easy, Generator::Natural(Arc::clone(&model))] {
            let config = GenerateConfig {
                docs,
                seed: args.seed,
            };
            let bodies: Vec<(u64, String)> = stories_with(&config, &generator)
                .flat_map(|story| {
                    let index = story.index as u64;
                    story
                        .articles
                        .into_iter()
                        .map(move |a| (index, a.text[a.body.clone()].to_string()))
                })
                .collect();
            rows.push((
                format!(
                    "{} generator, {} articles",
                    generator.name(),
                    thousands(docs as u64)
                ),
                shingle_recurrence(bodies.iter().map(|(s, t)| (*s, t.as_str()))),
            ));
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Share of an article's {}-word shingles found in an article of another story:",
        stemma_bench::SHINGLE_WORDS
    )?;
    writeln!(
        out,
        "{:<40} {:>7} {:>8} {:>11} {:>12} {:>13}",
        "corpus", "texts", "stories", "mean share", "pooled share", "texts with any"
    )?;
    for (name, r) in &rows {
        writeln!(
            out,
            "{:<40} {:>7} {:>8} {:>10.2}% {:>11.2}% {:>12.1}%",
            name,
            thousands(r.texts as u64),
            thousands(r.stories as u64),
            r.mean_share * 100.0,
            r.pooled_share * 100.0,
            r.texts_with_any * 100.0
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
