//! `stemma measure`: quality on labelled benchmarks.
//!
//! The benchmarks are `stemma-eval`'s (`measure_all`, `measure_mrpc`, `fit_link_model`, …); this
//! module parses their arguments and prints each result as a text table (or JSON with
//! `--format json`), with the baselines measured in the same run beside stemma's numbers.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use stemma_eval::{BenchmarkDirs, LabelledCorpus, SHIPPED_PATH};

/// Output formats of the measuring commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureFormat {
    /// A table for people.
    Text,
    /// One JSON object.
    Json,
}

/// The benchmarks `stemma measure` knows.
#[derive(Debug, clap::Subcommand)]
pub enum MeasureCommand {
    /// Sentence similarity on MRPC: accuracy of "similarity ≥ t", t chosen on the train split, and
    /// of the sentence-pair model fitted on the train split.
    Mrpc {
        /// The MRPC folder (msr_paraphrase_train.txt, msr_paraphrase_test.txt).
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
        /// Replace the shipped sentence-pair model (crates/align/src/sentence_model.json, relative to
        /// the current folder: run from the repository root) with the one fitted on MRPC train.
        #[arg(long)]
        write: bool,
    },
    /// Document coverage on the Clough–Stevenson rewrite corpus: ROC AUC and grading.
    Clough {
        /// The corpus folder (labels.csv and the texts).
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
    },
    /// Clough–Stevenson as one corpus of 100 texts: which rewrites the corpus analysis links to their
    /// source, and which independent answers it links anyway.
    #[command(name = "clough-corpus")]
    CloughCorpus {
        /// The corpus folder (labels.csv and the texts).
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
    },
    /// Every quality number in one table: seeds, demo corpus, Clough–Stevenson, MRPC.
    All(AllArgs),
    /// The link model: fit it on every labelled corpus and print its cross-validated numbers (leave
    /// one corpus out, leave one story out) beside the in-sample ones; `--write` replaces the shipped
    /// model (`crates/graph/src/link_model.json`).
    Fit {
        /// The shared data beside the repository (`seeds/`, `benchmarks/meter-showbiz`,
        /// `benchmarks/clough-stevenson`).
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// The demo corpus.
        #[arg(long, default_value = "examples")]
        examples: PathBuf,
        /// The hard-negative corpus.
        #[arg(long, default_value = "tests/data/pressroom")]
        pressroom: PathBuf,
        /// Write the fitted model to the shipped model's file.
        #[arg(long)]
        write: bool,
        /// Write every aligned pair's corpus, label and features to this CSV file.
        #[arg(long)]
        pairs_csv: Option<PathBuf>,
    },
    /// METER showbiz: each story placed at the stage of the analysis that keeps it from its own PA
    /// copy (candidates, alignment, shared block, decision), under the rules and the learned model.
    #[command(name = "meter-stages")]
    MeterStages {
        /// The METER showbiz folder (labels.csv, PA/, newspapers/).
        #[arg(default_value = "../shared/benchmarks/meter-showbiz")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
    },
    /// Sentence alignments of a corpus folder against gold alignments (precision, recall, F1 of groups).
    Alignments {
        /// The folder holding the articles as `ID.txt`.
        dir: PathBuf,
        /// The gold alignments (JSON, see docs/evaluation.md).
        #[arg(long)]
        gold: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
    },
}

/// Arguments of `stemma measure all`.
#[derive(Debug, clap::Args)]
pub struct AllArgs {
    /// The shared data beside the repository: `seeds/` (with `truth.json`) and
    /// `benchmarks/{mrpc,clough-stevenson}/`.
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// The demo corpus (with `truth.json`, `alignments.json` and `meta.jsonl`).
    #[arg(long, default_value = "examples")]
    pub examples: PathBuf,
    /// The hard-negative corpus (`corpus/`, `truth.json`, `alignments.json`) and the seeds' gold
    /// alignments (`../seeds-alignments.json` beside it).
    #[arg(long, default_value = "tests/data/pressroom")]
    pub pressroom: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
    pub format: MeasureFormat,
}

/// Runs one measuring command.
pub fn run(command: MeasureCommand) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        MeasureCommand::Mrpc { dir, format, write } => {
            let result = stemma_eval::measure_mrpc(&dir)?;
            emit(&mut out, format, &result, |r, out| r.write_text(out))?;
            if write {
                let path = PathBuf::from(stemma_eval::SENTENCE_MODEL_PATH);
                result
                    .write_model(&path)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                if matches!(format, MeasureFormat::Text) {
                    writeln!(out, "\nwrote {}", path.display())?;
                }
            }
        }
        MeasureCommand::Clough { dir, format } => {
            let result = stemma_eval::measure_clough(&dir)?;
            emit(&mut out, format, &result, |r, out| r.write_text(out))?;
        }
        MeasureCommand::CloughCorpus { dir, format } => {
            let result = stemma_eval::measure_clough_corpus(&dir)?;
            emit(&mut out, format, &result, |r, out| r.write_text(out))?;
        }
        MeasureCommand::Alignments { dir, gold, format } => {
            let result = stemma_eval::measure_alignments(&dir, &gold)?;
            emit(&mut out, format, &result, |r, out| r.write_text(out))?;
        }
        MeasureCommand::MeterStages { dir, format } => {
            let result = stemma_eval::measure_meter_stages(&dir)?;
            emit(&mut out, format, &result, |r, out| r.write_text(out))?;
        }
        MeasureCommand::All(args) => return all(&args, &mut out),
        MeasureCommand::Fit {
            shared,
            examples,
            pressroom,
            write,
            pairs_csv,
        } => {
            let dirs = BenchmarkDirs {
                shared,
                examples,
                pressroom,
            };
            let mut corpora = stemma_eval::LabelledCorpora::load(&dirs);
            match synthetic(SYNTHETIC.0, SYNTHETIC.1, &stemma_synth::Generator::Easy) {
                Ok(corpus) => corpora.push(corpus),
                Err(e) => corpora.push_problem("synthetic", &format!("{e:#}")),
            }
            let natural = stemma_synth::NewsModel::load(&dirs.shared)
                .map_err(anyhow::Error::from)
                .and_then(|model| {
                    let generator = stemma_synth::Generator::Natural(std::sync::Arc::new(model));
                    synthetic(SYNTHETIC.0, SYNTHETIC.1, &generator)
                });
            match natural {
                Ok(corpus) => corpora.push(corpus.named("natural")),
                Err(e) => corpora.push_problem("natural", &format!("{e:#}")),
            }
            let r = stemma_eval::fit_link_model(&corpora);
            r.write_text(&mut out)?;
            if let Some(path) = pairs_csv {
                std::fs::write(&path, &r.pairs_csv)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            if write {
                let path = PathBuf::from(SHIPPED_PATH);
                r.write_model(&path)?;
                writeln!(out, "\nwrote {}", path.display())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a result as JSON or, with `text`, as its table.
fn emit<T: Serialize, W: Write>(
    out: &mut W,
    format: MeasureFormat,
    result: &T,
    text: impl FnOnce(&T, &mut W) -> std::io::Result<()>,
) -> Result<()> {
    match format {
        MeasureFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(result)?)?,
        MeasureFormat::Text => text(result, out)?,
    }
    Ok(())
}

/// Runs `stemma measure all`: exit status 0 when every benchmark was measured, 1 otherwise (after
/// printing everything that could be measured).
#[allow(clippy::print_stderr)]
fn all(args: &AllArgs, out: &mut impl Write) -> Result<ExitCode> {
    let result = stemma_eval::measure_all(&BenchmarkDirs {
        shared: args.shared.clone(),
        examples: args.examples.clone(),
        pressroom: args.pressroom.clone(),
    });
    for d in &result.diagnostics {
        eprintln!("stemma: {d}");
    }
    emit(out, args.format, &result, |r, out| r.write_text(out))?;
    out.flush()?;
    if result.complete {
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &result.problems {
            eprintln!("stemma: error: not measured: {p}");
        }
        if !args.shared.exists() {
            eprintln!(
                "stemma: the shared benchmarks are expected in {} (beside the repository); \
                 name another folder with --shared",
                args.shared.display()
            );
        }
        Ok(ExitCode::from(1))
    }
}

/// Size and seed of the generated corpus in the link model's training data.
const SYNTHETIC: (usize, u64) = (400, 7);

/// A small corpus of the project's own generator, read back as `stemma analyze -` reads JSONL.
///
/// It is made here rather than in `stemma-eval` because `stemma-synth` depends on `stemma-eval`
/// (for the truth format): the library cannot call the generator without a dependency cycle.
fn synthetic(
    docs: usize,
    seed: u64,
    generator: &stemma_synth::Generator,
) -> Result<LabelledCorpus> {
    use stemma_synth::{GenerateConfig, TruthBuilder, stories_with};
    let config = GenerateConfig { docs, seed };
    let mut jsonl = Vec::new();
    let mut truth = TruthBuilder::default();
    let mut story_of = BTreeMap::new();
    for story in stories_with(&config, generator) {
        truth.add(&story);
        for a in &story.articles {
            story_of.insert(a.id.clone(), format!("story-{}", story.index));
            let line = serde_json::json!({
                "id": a.id, "text": a.text, "title": a.title, "publisher": a.publisher,
                "url": a.url, "published": a.published,
            });
            serde_json::to_writer(&mut jsonl, &line).context("generated article")?;
            jsonl.push(b'\n');
        }
    }
    let loaded = stemma_input::load_inputs(
        &[PathBuf::from("-")],
        None,
        &mut std::io::Cursor::new(jsonl),
    );
    if let Some(d) = loaded.diagnostics.first() {
        anyhow::bail!("generated corpus: {d}");
    }
    Ok(LabelledCorpus::synthetic(
        loaded.articles,
        truth.to_truth(),
        story_of,
    ))
}
