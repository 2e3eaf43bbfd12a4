//! `stemma bench run`: the scale benchmark (docs/benchmark.md, docs/performance.md). The measuring is
//! `stemma_bench::run_benchmark`; this module owns the arguments, the work folder and the terminal.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use stemma_bench::{BenchConfig, run_benchmark, write_text};

/// Output formats of `stemma bench run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    /// Tables for people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `stemma bench run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Corpus sizes in articles, comma-separated; they are run in increasing order.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1000,10000,100000",
        value_parser = clap::value_parser!(u64).range(1..=10_000_000)
    )]
    pub docs: Vec<u64>,
    /// The generator's seed (the same for every size and for the brute-force corpus).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Articles of the corpus analysed both with candidate pairs and with all pairs (0: no
    /// brute-force comparison).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(0..=50_000))]
    pub brute_force_docs: u64,
    /// The folder to work in (corpora, truths, reports; kept). Default: a fresh temporary folder,
    /// removed at the end unless --keep is given.
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// Keep the temporary work folder (its path is printed).
    #[arg(long)]
    pub keep: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// Which generator writes the corpora.
    #[command(flatten)]
    pub generator: super::GeneratorArgs,
}

/// Runs `stemma bench run`.
pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let sizes: Vec<usize> = args
        .docs
        .iter()
        .map(|&d| usize::try_from(d).context("--docs is too large"))
        .collect::<Result<_>>()?;
    let (work, temporary) = match &args.work {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the work folder", dir.display()))?;
            (WorkDir::Given(dir.clone()), false)
        }
        None => {
            let dir = tempfile::Builder::new()
                .prefix("stemma-bench-")
                .tempdir()
                .context("cannot create a temporary work folder")?;
            if args.keep {
                (WorkDir::Given(dir.keep()), true)
            } else {
                (WorkDir::Temporary(dir), true)
            }
        }
    };
    let config = BenchConfig {
        exe: std::env::current_exe().context("cannot find the stemma executable")?,
        sizes,
        seed: args.seed,
        brute_force_docs: usize::try_from(args.brute_force_docs).context("--brute-force-docs")?,
        work: work.path().to_path_buf(),
        natural: args.generator.natural(),
    };
    let mut report = run_benchmark(&config, &mut |line| progress(line))?;
    report.work = match &work {
        WorkDir::Given(dir) => Some(dir.display().to_string()),
        WorkDir::Temporary(_) => None,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        RunFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        RunFormat::Text => write_text(&mut out, &report)?,
    }
    out.flush()?;
    drop(out);
    if let WorkDir::Temporary(dir) = work {
        let path = dir.path().to_path_buf();
        dir.close()
            .with_context(|| format!("{}: cannot remove the work folder", path.display()))?;
    } else if temporary {
        progress(&format!(
            "the work folder is kept: {}",
            report.work.as_deref().unwrap_or_default()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the corpora and reports go.
enum WorkDir {
    /// Named by the user, or a temporary folder to keep.
    Given(PathBuf),
    /// Removed when dropped.
    Temporary(tempfile::TempDir),
}

impl WorkDir {
    fn path(&self) -> &Path {
        match self {
            WorkDir::Given(dir) => dir,
            WorkDir::Temporary(dir) => dir.path(),
        }
    }
}

/// A progress line on standard error (the measurements go to standard output).
#[allow(clippy::print_stderr)]
fn progress(line: &str) {
    eprintln!("stemma: bench run: {line}");
}
