//! `stemma measure`: quality on labelled benchmarks.
//!
//! Each runner prints its numbers as a text table (or JSON with `--format json`), with the baselines
//! measured in the same run beside them, so that a number is never read without its reference.

mod all;
mod clough;
mod clough_corpus;
mod gold;
mod model;
mod mrpc;
pub use stemma_eval::report;
use stemma_eval::stats;
pub mod truth;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

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
    /// Sentence similarity on MRPC: accuracy of "similarity ≥ t", t chosen on the train split.
    Mrpc {
        /// The MRPC folder (msr_paraphrase_train.txt, msr_paraphrase_test.txt).
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MeasureFormat::Text)]
        format: MeasureFormat,
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
    All(all::AllArgs),
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

/// Runs one measuring command.
pub fn run(command: MeasureCommand) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        MeasureCommand::Mrpc { dir, format } => mrpc::run(&dir, format, &mut out)?,
        MeasureCommand::Clough { dir, format } => clough::run(&dir, format, &mut out)?,
        MeasureCommand::CloughCorpus { dir, format } => clough_corpus::run(&dir, format, &mut out)?,
        MeasureCommand::Alignments { dir, gold, format } => {
            gold::run(&dir, &gold, format, &mut out)?
        }
        MeasureCommand::All(args) => return all::run(&args, &mut out),
        MeasureCommand::Fit {
            shared,
            examples,
            pressroom,
            write,
            pairs_csv,
        } => {
            let sources = model::Sources {
                shared,
                examples,
                pressroom,
            };
            let target = write.then(|| PathBuf::from(model::SHIPPED_PATH));
            model::run(&sources, target.as_deref(), pairs_csv.as_deref(), &mut out)?
        }
    }
    Ok(ExitCode::SUCCESS)
}
