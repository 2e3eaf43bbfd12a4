//! `stemma bench`: synthetic corpora with planted reuse, for measuring quality and speed at scale.
//!
//! `stemma bench generate --docs N --seed S --out DIR` writes `DIR/corpus.jsonl` (the articles, in the
//! JSONL format `stemma analyze` reads) and `DIR/truth.json` (the planted relations, in the format
//! `stemma eval` reads). What is planted and in which proportions: docs/benchmark.md.
//!
//! The modules, from the bottom up: [`rng`] (a pinned pseudo-random generator), [`words`]
//! (vocabulary, thesaurus, names), [`text`] (fact sheets, sentences, reports), [`spin`] (rewrite
//! operators), [`outlets`] (publishers and their page furniture), [`generate`] (the plan of stories
//! and families, and the truth). [`generate::stories`] and [`generate::generate`] are pure: they
//! print nothing and touch no file, so a benchmark runner can use them in-process.
//!
//! `stemma bench run` ([`run`](mod@run)) is that runner: for each corpus size it generates a corpus, times a
//! tokenize-only pass over it ([`tokenize`], a hidden child command) and the analysis (a child
//! `stemma analyze --timings`), scores the report against the truth, and compares candidate pairs
//! with brute-force all-pairs on a small corpus.

pub mod generate;
pub mod outlets;
pub mod rng;
pub mod run;
pub mod spin;
pub mod text;
pub mod tokenize;
pub mod words;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use generate::{GenerateConfig, GeneratedArticle, GeneratedStory, TruthBuilder, stories};

/// The name of the corpus file `bench generate` writes.
pub const CORPUS_FILE: &str = "corpus.jsonl";
/// The name of the truth file `bench generate` writes.
pub const TRUTH_FILE: &str = "truth.json";

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

/// One JSONL line of the corpus, in the field order of docs/cli.md.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    text: &'a str,
}

/// Writes one article as a JSONL line.
pub fn write_line(out: &mut impl Write, a: &GeneratedArticle) -> std::io::Result<()> {
    let line = Line {
        id: &a.id,
        title: &a.title,
        publisher: &a.publisher,
        url: &a.url,
        published: a.published.as_deref(),
        text: &a.text,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// What a generated corpus holds, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles written.
    pub docs: usize,
    /// Words of their texts (whitespace-separated, furniture included).
    pub words: usize,
    /// Stories.
    pub stories: usize,
    /// Stories whose articles share derived text (derivation families).
    pub families: usize,
    /// Withheld sources.
    pub withheld: usize,
    /// Related pairs of the truth.
    pub related_pairs: usize,
    /// Independent pairs of the truth.
    pub independent_pairs: usize,
    /// Bytes of corpus.jsonl.
    pub corpus_bytes: u64,
    /// Bytes of truth.json.
    pub truth_bytes: u64,
}

/// Writes the corpus of `config` to `corpus` (JSONL) and its truth to `truth` (JSON), streaming the
/// articles; returns what was written. Stories are generated on another thread (and in parallel
/// batches) while this one writes.
pub fn write_corpus(
    config: &GenerateConfig,
    corpus: &mut impl Write,
    truth: &mut impl Write,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut builder = TruthBuilder::default();
    let all = stories(config);
    summary.stories = all.story_count();
    let (send, receive) = std::sync::mpsc::sync_channel::<GeneratedStory>(256);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for story in all {
                if send.send(story).is_err() {
                    break;
                }
            }
        });
        for story in receive {
            for a in &story.articles {
                write_line(corpus, a)?;
                summary.docs += 1;
                summary.words += a.words;
            }
            summary.families += usize::from(!story.related_pairs.is_empty());
            summary.withheld += usize::from(story.withheld.is_some());
            builder.add(&story);
        }
        Ok::<(), std::io::Error>(())
    })?;
    summary.related_pairs = builder.related_count();
    summary.independent_pairs = builder.independent_count();
    builder.write_json(truth)?;
    Ok(summary)
}

/// A `Write` that counts the bytes going through it.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the corpus of `config` and its truth into `out` (created if needed) as `corpus.jsonl` and
/// `truth.json`; returns what was written, bytes included.
///
/// # Errors
/// If the folder or a file cannot be created or written; the message names it.
pub fn write_files(config: &GenerateConfig, out: &Path) -> Result<Summary> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("{}: cannot create the folder", out.display()))?;
    let corpus_path = out.join(CORPUS_FILE);
    let truth_path = out.join(TRUTH_FILE);
    let open = |path: &PathBuf| -> Result<Counting<BufWriter<File>>> {
        let file = File::create(path)
            .with_context(|| format!("{}: cannot create the file", path.display()))?;
        Ok(Counting {
            inner: BufWriter::with_capacity(1 << 20, file),
            bytes: 0,
        })
    };
    let mut corpus = open(&corpus_path)?;
    let mut truth = open(&truth_path)?;
    let mut summary = write_corpus(config, &mut corpus, &mut truth)
        .with_context(|| format!("{}: cannot write the corpus", out.display()))?;
    corpus
        .flush()
        .with_context(|| format!("{}: cannot write", corpus_path.display()))?;
    truth
        .flush()
        .with_context(|| format!("{}: cannot write", truth_path.display()))?;
    summary.corpus_bytes = corpus.bytes;
    summary.truth_bytes = truth.bytes;
    Ok(summary)
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
