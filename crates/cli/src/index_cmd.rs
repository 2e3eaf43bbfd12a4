//! `stemma index build|add|stats` and `stemma check`: an archive indexed once, new pages checked
//! against it (docs/archive.md).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use stemma_graph::AnalyzeOptions;
use stemma_index::Index;
use stemma_input::InputStream;

use crate::analyze_cmd::{
    AnalyzeFormat, DecisionArg, Destination, Progress, ReportOutput, load, now_unix_millis,
    output_clash, report_diagnostics, report_line, write_analysis,
};

/// `stemma index …`.
#[derive(Debug, clap::Subcommand)]
pub enum IndexCommand {
    /// Make a new index of an archive (a wire archive, a back catalogue).
    Build(IndexArgs),
    /// Add articles to an index; one transaction: an interrupted add leaves the index as it was.
    Add(IndexArgs),
    /// What an index holds.
    Stats(StatsArgs),
}

/// Arguments of `stemma index build` and `add`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Files and folders of articles, as `stemma analyze` reads them (`-`: JSONL on standard input).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// A metadata file (JSONL: id, title, publisher, url, published) for all inputs.
    #[arg(long)]
    pub meta: Option<PathBuf>,
}

/// Arguments of `stemma index stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `stemma check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The new articles: files and folders, as `stemma analyze` reads them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The index folder (`stemma index build`).
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// A metadata file (JSONL: id, title, publisher, url, published) for the new articles.
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Output format (those of `stemma analyze`).
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Who decides which pairs are links (as with `stemma analyze`).
    #[arg(long, value_enum, default_value_t = DecisionArg::Rules)]
    pub decision: DecisionArg,
    /// Print the time of each step of the check (opening the index, the postings, loading
    /// archived articles) and of each stage of the analysis, and the peak memory, to standard
    /// error, as two JSON lines.
    #[arg(long)]
    pub timings: bool,
}

/// Runs `stemma index …`.
pub fn run(command: IndexCommand) -> Result<ExitCode> {
    match command {
        IndexCommand::Build(args) => add(&args, true),
        IndexCommand::Add(args) => add(&args, false),
        IndexCommand::Stats(args) => stats(&args),
    }
}

fn add(args: &IndexArgs, build: bool) -> Result<ExitCode> {
    let options = AnalyzeOptions::default();
    // The index is made or opened before the archive is read: a wrong folder is found at once.
    let mut index = if build {
        Index::create(&args.index, &options)?
    } else {
        Index::open(&args.index)?
    };
    // The inputs are read as they are indexed, a chunk at a time: an archive of any size is never
    // held whole. Their diagnostics are complete only at the end, and are said then, before the
    // index's own.
    let progress = Progress::start("indexing articles");
    progress.tallied("indexing articles".to_string());
    let named = args
        .paths
        .iter()
        .map(PathBuf::as_path)
        .chain(args.meta.as_deref());
    let (added, diagnostics) = crate::waiting::noting_waits(named, || {
        let mut stdin = std::io::stdin();
        let mut inputs = InputStream::new(&args.paths, args.meta.as_deref(), &mut stdin)
            .setting_aside_future_times(now_unix_millis());
        let added = index.add(&mut inputs, &options, &mut |n| progress.inc(n));
        (added, inputs.finish())
    });
    progress.finish();
    report_diagnostics(&diagnostics);
    let added = added.with_context(|| format!("{}: nothing was added", args.index.display()))?;
    report_diagnostics(&added.skipped);
    report_line(&format!(
        "{} {} articles into {}{}",
        if build { "indexed" } else { "added" },
        added.added,
        args.index.display(),
        if added.skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} skipped)", added.skipped.len())
        }
    ));
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn stats(args: &StatsArgs) -> Result<ExitCode> {
    let index = Index::open(&args.index)?;
    let stats = index.stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&stats)?);
    } else {
        let per_article = |bytes: u64| bytes.checked_div(stats.articles).unwrap_or(0);
        println!("index:     {}", index.path().display());
        println!("articles:  {}", stats.articles);
        println!("terms:     {}", stats.terms);
        println!(
            "postings:  {} (feature, article) of {} features",
            stats.postings, stats.features
        );
        println!(
            "banal:     {} features (counted, not posted)",
            stats.banal_features
        );
        println!("lines:     {}", stats.lines);
        println!(
            "on disk:   {} bytes ({} per article; articles {} per article)",
            stats.file_bytes,
            per_article(stats.file_bytes),
            per_article(stats.article_bytes)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `stemma check`.
pub fn check(args: &CheckArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if let Some(output) = &args.output {
        if let Some(clash) = output_clash(output, &args.paths, args.meta.as_deref()) {
            report_line(&format!("error: {clash}"));
            return Ok(ExitCode::from(2));
        }
    }
    let index = Index::open(&args.index)?;
    let opened = started.elapsed();
    let destination = Destination::open(args.output.as_deref())?;
    let progress = Progress::start("reading inputs");
    let loaded = load(&args.paths, args.meta.as_deref());
    progress.suspend(|| report_diagnostics(&loaded.diagnostics));
    if loaded.articles.is_empty() {
        progress.suspend(|| report_line("error: no article could be read"));
        return Ok(ExitCode::from(2));
    }
    progress.stage(format!(
        "checking {} articles against the index",
        loaded.articles.len()
    ));
    let options = AnalyzeOptions {
        relation: args.decision.relation_options(),
        ..AnalyzeOptions::default()
    };
    let read_time = started.elapsed();
    let check = index.check(loaded.articles, &options, &progress)?;
    if args.timings {
        // Where the check's time went, before the analysis's own `--timings` line.
        let line = serde_json::json!({
            "open_index_s": opened.as_secs_f64(),
            "read_inputs_s": (read_time - opened).as_secs_f64(),
            "check": check.timings,
        });
        progress.suspend(|| report_line(&line.to_string()));
    }
    let mut analysis = check.analysis;
    progress.suspend(|| {
        report_diagnostics(&check.skipped);
        report_diagnostics(&analysis.diagnostics);
    });
    let diagnostics: Vec<_> = loaded
        .diagnostics
        .into_iter()
        .chain(check.skipped)
        .collect();
    analysis.diagnostics.splice(0..0, diagnostics);
    let output = ReportOutput {
        format: args.format,
        output: args.output.as_deref(),
        timings: args.timings,
    };
    write_analysis(&output, destination, progress, analysis, started, read_time)?;
    Ok(ExitCode::SUCCESS)
}
