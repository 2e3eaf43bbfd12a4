//! `stemma`: finds which news articles are copies, syndicated edits, spun paraphrases or partial
//! rewrites of which others, and shows the evidence sentence by sentence.
//!
//! The binary is thin: parsing arguments, wiring and rendering live here; every algorithm is in the
//! libraries (`stemma-align`, `stemma-graph`, `stemma-input`, `stemma-report`), and the benchmarks of
//! `stemma measure` and the scoring of `stemma eval` are in `stemma-eval`.

mod analyze_cmd;
mod bench;
mod diff_cmd;
mod eval_cmd;
mod index_cmd;
mod interrupt;
mod measure_cmd;
mod render;
mod waiting;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

// Alignment allocates many small vectors on every thread; mimalloc keeps a heap per thread where
// glibc's malloc serialises threads on its arena locks (docs/performance.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Provenance and rewrite detection for news text.
#[derive(Debug, Parser)]
#[command(name = "stemma", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find which articles reuse whose text: families, relations, derivation graph.
    Analyze(analyze_cmd::AnalyzeArgs),
    /// Align two articles sentence by sentence and show word-level diffs of the aligned groups.
    Diff(DiffArgs),
    /// Measure quality on labelled benchmarks.
    #[command(subcommand)]
    Measure(measure_cmd::MeasureCommand),
    /// Index an archive once, to check new pages against it (docs/archive.md).
    #[command(subcommand)]
    Index(index_cmd::IndexCommand),
    /// Check new articles against an index: which archived articles each reuses, and how.
    Check(index_cmd::CheckArgs),
    /// Score the corpus analysis against document-level truth (docs/evaluation.md).
    Eval(eval_cmd::EvalArgs),
    /// Synthetic corpora with planted reuse, for benchmarks (docs/benchmark.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// Output formats of `stemma diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Coloured text for people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `stemma diff`.
#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The first article (text file).
    a: PathBuf,
    /// The second article (text file).
    b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Layout of text output: side by side, inline, or chosen from the terminal's width.
    #[arg(long, value_enum, default_value_t = render::Layout::Auto)]
    layout: render::Layout,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    interrupt::install();
    let result = match cli.command {
        Command::Analyze(args) => analyze_cmd::run(&args),
        Command::Diff(args) => diff_cmd::run(&args),
        Command::Measure(command) => measure_cmd::run(command),
        Command::Index(command) => index_cmd::run(command),
        Command::Check(args) => index_cmd::check(&args),
        Command::Eval(args) => eval_cmd::run(&args),
        Command::Bench(command) => bench::run(command),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error);
            ExitCode::from(2)
        }
    }
}

/// A reader that closed the pipe early (`stemma diff … | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe));
        io || json
    })
}

/// Prints an error and its causes on one line to standard error.
#[allow(clippy::print_stderr)]
fn report_error(error: &anyhow::Error) {
    eprintln!("stemma: error: {}", render::one_line(&format!("{error:#}")));
}
