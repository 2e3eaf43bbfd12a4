//! `stemma bench`: synthetic corpora with planted reuse, for measuring quality and speed at scale.
//!
//! `stemma bench generate --docs N --seed S --out DIR` writes `DIR/corpus.jsonl` (the articles, in the
//! JSONL format `stemma analyze` reads) and `DIR/truth.json` (the planted relations, in the format
//! `stemma eval` reads). What is planted and in which proportions: docs/benchmark.md.
//!
//! The generator is the `stemma-synth` library; this module writes its files and runs the benchmark.
//!
//! `stemma bench run` ([`run`](mod@run)) is that runner: for each corpus size it generates a corpus, times a
//! tokenize-only pass over it ([`tokenize`], a hidden child command) and the analysis (a child
//! `stemma analyze --timings`), scores the report against the truth, and compares candidate pairs
//! with brute-force all-pairs on a small corpus.

pub mod run;
pub mod tokenize;

pub use stemma_synth::write_files;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use stemma_synth::GenerateConfig;
use stemma_synth::Summary;

/// The `bench` commands.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Write a synthetic news corpus with planted reuse and its truth (docs/benchmark.md).
    Generate(GenerateArgs),
    /// The scale benchmark: generate, analyse and score corpora of growing size, against a
    /// tokenize-only baseline and brute-force all-pairs (docs/benchmark.md).
    Run(run::RunArgs),
    /// One pass of reading and tokenizing a corpus, timed (the baseline `bench run` starts in a
    /// child process).
    #[command(hide = true)]
    Tokenize(tokenize::TokenizeArgs),
}

/// Arguments of `stemma bench generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Number of articles to write.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub docs: u64,
    /// The seed: the same --docs and --seed give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to write corpus.jsonl and truth.json into (created if needed).
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs a `bench` command.
pub fn run(command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Generate(args) => run_generate(&args),
        BenchCommand::Run(args) => run::run(&args),
        BenchCommand::Tokenize(args) => tokenize::run(&args),
    }
}

fn run_generate(args: &GenerateArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let config = GenerateConfig {
        docs: usize::try_from(args.docs).context("--docs is too large")?,
        seed: args.seed,
    };
    let summary = write_files(&config, &args.out)?;
    report_summary(&summary, &args.out, started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// The one-line summary on standard error.
#[allow(clippy::print_stderr)]
fn report_summary(s: &Summary, out: &std::path::Path, seconds: f64) {
    eprintln!(
        "stemma: bench generate: {} docs, {} words ({} per doc), {} stories, {} derivation families, {} withheld sources, {} related and {} independent pairs; {} bytes of corpus and {} of truth in {} ({seconds:.1} s)",
        s.docs,
        s.words,
        s.words / s.docs.max(1),
        s.stories,
        s.families,
        s.withheld,
        s.related_pairs,
        s.independent_pairs,
        s.corpus_bytes,
        s.truth_bytes,
        out.display(),
    );
}
