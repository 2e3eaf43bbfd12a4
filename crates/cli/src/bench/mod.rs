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

pub mod recurrence;
pub mod run;
pub mod tokenize;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use stemma_synth::{GenerateConfig, Generator, NewsModel, Summary, write_files_with};

/// The `bench` commands.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Write a synthetic news corpus with planted reuse and its truth (docs/benchmark.md).
    Generate(GenerateArgs),
    /// The scale benchmark: generate, analyse and score corpora of growing size, against a
    /// tokenize-only baseline and brute-force all-pairs (docs/benchmark.md).
    Run(run::RunArgs),
    /// How often 8-word shingles recur between unrelated articles: METER showbiz against corpora
    /// of both generators (docs/performance.md).
    Recurrence(recurrence::RecurrenceArgs),
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
    /// Which generator writes the text.
    #[command(flatten)]
    pub generator: GeneratorArgs,
}

/// The generators of `stemma bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GeneratorKind {
    /// Zipfian words drawn independently, spun with the scorer's own thesaurus (self-contained).
    Easy,
    /// Sentences of a Markov model of real news built from --shared at run time, spun with
    /// synonyms the scorer does not link, clauses reordered, dropped and added.
    Natural,
}

/// Which generator, and where the natural one finds its texts.
#[derive(Debug, Clone, clap::Args)]
pub struct GeneratorArgs {
    /// The generator (docs/benchmark.md).
    #[arg(long, value_enum, default_value_t = GeneratorKind::Easy)]
    pub generator: GeneratorKind,
    /// The folder holding benchmarks/mrpc and benchmarks/meter-showbiz, read by the natural
    /// generator (never copied into the repository).
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
}

impl GeneratorArgs {
    /// The shared folder when the natural generator is chosen.
    pub fn natural(&self) -> Option<PathBuf> {
        (self.generator == GeneratorKind::Natural).then(|| self.shared.clone())
    }

    /// The generator, its language model built (a progress line says so).
    pub fn build(&self) -> Result<Generator> {
        match self.natural() {
            None => Ok(Generator::Easy),
            Some(shared) => Ok(Generator::Natural(std::sync::Arc::new(load_model(
                &shared,
            )?))),
        }
    }
}

/// Builds the natural generator's language model from `shared`.
#[allow(clippy::print_stderr)]
pub fn load_model(shared: &std::path::Path) -> Result<NewsModel> {
    let started = Instant::now();
    let model = NewsModel::load(shared)?;
    eprintln!(
        "stemma: natural generator: language model of {} sentences, {} tokens from {} ({:.1} s)",
        model.sentence_count(),
        model.token_count(),
        shared.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(model)
}

/// Runs a `bench` command.
pub fn run(command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Generate(args) => run_generate(&args),
        BenchCommand::Run(args) => run::run(&args),
        BenchCommand::Recurrence(args) => recurrence::run(&args),
        BenchCommand::Tokenize(args) => tokenize::run(&args),
    }
}

fn run_generate(args: &GenerateArgs) -> Result<ExitCode> {
    let generator = args.generator.build()?;
    let started = Instant::now();
    let config = GenerateConfig {
        docs: usize::try_from(args.docs).context("--docs is too large")?,
        seed: args.seed,
    };
    let summary = write_files_with(&config, &generator, &args.out)?;
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
