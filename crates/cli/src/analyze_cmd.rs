//! `stemma analyze PATH...`: the corpus job.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stemma_align::word_diff;
use stemma_graph::Direction;
use stemma_graph::{AnalyzeOptions, CorpusAnalysis, Scope, analyze_with_progress};
use stemma_report as export;

use crate::render;

/// Output formats of `stemma analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// Families and related pairs with their strongest aligned sentences, for people.
    Text,
    /// One JSON object (docs/json.md).
    Json,
    /// The derivation graph in Graphviz DOT.
    Dot,
    /// A self-contained HTML report: the graph, the families, each related pair side by side
    /// (docs/report.md).
    Html,
    /// The derivation graph as a standalone SVG picture.
    Svg,
    /// One CSV row per related pair, for spreadsheets.
    Csv,
}

/// Arguments of `stemma analyze`.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Files and folders (read recursively): .txt, .md, .html, .jsonl; `-` reads JSONL from standard
    /// input.
    #[arg(required_unless_present = "sources", conflicts_with_all = ["sources", "targets"])]
    pub paths: Vec<PathBuf>,
    /// Compare only sources against targets (a wire archive against a crawl): the files and folders
    /// of the sources. Targets are not compared with each other, nor sources with each other; a
    /// source is the source of a target it is related to unless publication times say otherwise.
    #[arg(long, num_args = 1.., requires = "targets", value_name = "PATH")]
    pub sources: Vec<PathBuf>,
    /// The files and folders of the targets (with `--sources`).
    #[arg(long, num_args = 1.., requires = "sources", value_name = "PATH")]
    pub targets: Vec<PathBuf>,
    /// A metadata file (JSONL: id, title, publisher, url, published) for all inputs.
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Align every pair instead of candidate pairs (slow; for checking candidate generation).
    #[arg(long)]
    pub all_pairs: bool,
    /// Who decides which pairs are links: the hand-set rules (default) or the learned link model
    /// (docs/quality.md compares them on held-out corpora).
    #[arg(long, value_enum, default_value_t = DecisionArg::Rules)]
    pub decision: DecisionArg,
    /// Print the time of each stage, the work done and the peak memory to standard error, as one JSON
    /// line (what `stemma bench run` reads).
    #[arg(long)]
    pub timings: bool,
}

/// The `--decision` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecisionArg {
    /// Hand-set rules on narrative groups, coverage, runs and order (the default).
    Rules,
    /// The link model's probability.
    Learned,
}

impl DecisionArg {
    /// The relation settings with this decision.
    pub fn relation_options(self) -> stemma_graph::RelationOptions {
        stemma_graph::RelationOptions {
            decision: match self {
                DecisionArg::Rules => stemma_graph::Decision::Rules,
                DecisionArg::Learned => stemma_graph::Decision::Learned,
            },
            ..Default::default()
        }
    }
}

/// Runs `stemma analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    // While standard input is read from a terminal, the user is typing there: no spinner yet.
    let inputs: Vec<PathBuf> = [&args.paths, &args.sources, &args.targets]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if let Some(output) = &args.output {
        if let Some(clash) = output_clash(output, &inputs, args.meta.as_deref()) {
            report_line(&format!("error: {clash}"));
            return Ok(ExitCode::from(2));
        }
    }
    let destination = Destination::open(args.output.as_deref())?;
    let typing = inputs.iter().any(|p| p.as_os_str() == "-") && std::io::stdin().is_terminal();
    let reading = (!typing).then(|| Progress::start("reading inputs"));
    let (loaded, scope) = if args.sources.is_empty() {
        (load(&args.paths, args.meta.as_deref()), Scope::All)
    } else {
        let (loaded, sources) = load_sided(&args.sources, &args.targets, args.meta.as_deref());
        (loaded, Scope::Across { sources })
    };
    let progress = reading.unwrap_or_else(|| Progress::start("reading inputs"));
    progress.suspend(|| report_diagnostics(&loaded.diagnostics));
    if loaded.articles.is_empty() {
        progress.suspend(|| report_line("error: no article could be read"));
        return Ok(ExitCode::from(2));
    }
    progress.stage(format!("analysing {} articles", loaded.articles.len()));
    let options = AnalyzeOptions {
        all_pairs: args.all_pairs,
        relation: args.decision.relation_options(),
        scope,
        ..AnalyzeOptions::default()
    };
    let read_time = started.elapsed();
    let mut analysis = analyze_with_progress(loaded.articles, &options, &progress);
    progress.suspend(|| report_diagnostics(&analysis.diagnostics));
    // One list in the report: what reading set aside, then what the analysis did.
    analysis.diagnostics.splice(0..0, loaded.diagnostics);
    let output = ReportOutput {
        format: args.format,
        output: args.output.as_deref(),
        timings: args.timings,
    };
    write_analysis(&output, destination, progress, analysis, started, read_time)?;
    Ok(ExitCode::SUCCESS)
}

/// Where and how a report is written (`analyze` and `check`).
pub(crate) struct ReportOutput<'a> {
    /// The format.
    pub format: AnalyzeFormat,
    /// The file named with `-o`, if any.
    pub output: Option<&'a std::path::Path>,
    /// Whether to print the `--timings` line.
    pub timings: bool,
}

/// Writes the report of an analysis to its destination, then the `--timings` line if asked.
pub(crate) fn write_analysis(
    args: &ReportOutput<'_>,
    destination: Destination,
    progress: Progress,
    analysis: CorpusAnalysis,
    started: Instant,
    read_time: Duration,
) -> Result<()> {
    let (timings, stats) = (analysis.timings, analysis.stats);
    let writing = Instant::now();
    progress.stage("writing the report".to_string());
    // Colour only for text going to standard output, and only when anstream lets it through there;
    // a file never gets colour, whatever standard output is.
    let colour = args.output.is_none() && render::colour_enabled();
    // The spinner stops before anything goes to standard output, so as not to draw over it.
    let progress = match args.output {
        Some(_) => Some(progress),
        None => {
            progress.finish();
            None
        }
    };
    let stdout: Box<dyn Write> = if args.format == AnalyzeFormat::Text {
        Box::new(anstream::stdout().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    destination.write(stdout, |out| {
        match args.format {
            // Streamed: the report of a large corpus is larger than the analysis it describes.
            AnalyzeFormat::Json => {
                export::write_report(&analysis, &mut *out)?;
                out.write_all(b"\n")?;
            }
            AnalyzeFormat::Dot => export::write_dot(&analysis, &mut *out)?,
            AnalyzeFormat::Html => export::write_html(&analysis, &mut *out)?,
            AnalyzeFormat::Svg => export::write_svg(&analysis, &mut *out)?,
            AnalyzeFormat::Csv => export::write_csv(&analysis, &mut *out)?,
            AnalyzeFormat::Text => {
                let mut buffer = Vec::new();
                write_text(&mut buffer, &analysis, colour)?;
                if args.output.is_some() {
                    // Nothing escape-like reaches a file (the articles' text was cleaned already;
                    // this keeps it so whatever the report holds): a file gets what a pipe gets.
                    buffer = anstream::adapter::strip_bytes(&buffer).into_vec();
                }
                out.write_all(&buffer)?;
            }
        }
        Ok(())
    })?;
    // The process ends next, and the system takes the memory back whole: freeing a large corpus's
    // millions of allocations one by one (half a second at 100,000 articles) would be wasted.
    std::mem::forget(analysis);
    if let Some(progress) = progress {
        progress.finish();
    }
    if args.timings {
        print_timings(started, read_time, timings, writing, stats);
    }
    Ok(())
}

/// Why `-o output` must be refused, if it must: it is one of the input files (same device and
/// inode), or it would land in an input folder as a file the next run would read as an article.
pub(crate) fn output_clash(
    output: &std::path::Path,
    inputs: &[std::path::PathBuf],
    meta: Option<&std::path::Path>,
) -> Option<String> {
    let shown = render::printable(&output.display().to_string()).into_owned();
    let output_meta = output.metadata().ok();
    for input in inputs.iter().map(|p| p.as_path()).chain(meta) {
        if input.as_os_str() == "-" {
            continue;
        }
        let Ok(input_meta) = input.metadata() else {
            continue;
        };
        if let Some(out) = &output_meta {
            if same_file(out, &input_meta) {
                return Some(format!(
                    "{shown}: the output is one of the inputs; refusing to overwrite it"
                ));
            }
        }
        if input_meta.is_dir() && stemma_input::is_article_file(output) {
            let parent = match output.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => std::path::Path::new("."),
            };
            let inside = match (std::fs::canonicalize(input), std::fs::canonicalize(parent)) {
                (Ok(folder), Ok(parent)) => parent.starts_with(folder),
                _ => false,
            };
            if inside {
                return Some(format!(
                    "{shown}: the output would be written into the input folder {} and read as \
                     an article next time; choose another path or extension",
                    render::printable(&input.display().to_string())
                ));
            }
        }
    }
    None
}

/// Whether two metadata describe one file (device and inode; on other systems, never).
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Where the report goes. A file named with `-o` is written to a temporary file beside it, created
/// before the inputs are read (an unwritable folder is found before the analysis, not after it),
/// and renamed over the file at the end; an interrupted run removes it.
pub(crate) enum Destination {
    /// Standard output.
    Stdout,
    /// A device or pipe (`-o /dev/stdout`), written in place: it cannot be renamed over.
    InPlace(PathBuf),
    /// A regular file, replaced whole at the end.
    Replace {
        path: PathBuf,
        temp: tempfile::NamedTempFile,
        _pending: crate::interrupt::Pending,
    },
}

impl Destination {
    pub(crate) fn open(path: Option<&std::path::Path>) -> Result<Destination> {
        let Some(path) = path else {
            return Ok(Destination::Stdout);
        };
        if path.metadata().is_ok_and(|m| !m.is_file()) {
            return Ok(Destination::InPlace(path.to_path_buf()));
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => std::path::Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".stemma-report-");
        // A report gets the permissions of any new file (0666 less the umask), not a temporary
        // file's owner-only 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(folder)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        let pending = crate::interrupt::Pending::register(temp.path());
        Ok(Destination::Replace {
            path: path.to_path_buf(),
            temp,
            _pending: pending,
        })
    }

    /// Writes the report with `write` (`stdout` when the destination is standard output).
    fn write(
        self,
        stdout: Box<dyn Write + '_>,
        write: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        match self {
            Destination::InPlace(path) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                let mut out = std::io::BufWriter::new(file);
                write(&mut out).with_context(|| format!("{}: cannot write", path.display()))?;
                out.flush()
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            Destination::Replace {
                path,
                temp,
                _pending,
            } => {
                let mut out = std::io::BufWriter::new(temp);
                write(&mut out).with_context(|| format!("{}: cannot write", path.display()))?;
                let file = out
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                // A report replacing an earlier one keeps its mode and group (an owner-only report
                // stays owner-only).
                #[cfg(unix)]
                if let Ok(previous) = path.metadata() {
                    use std::os::unix::fs::MetadataExt;
                    let _ = std::os::unix::fs::chown(file.path(), None, Some(previous.gid()));
                    std::fs::set_permissions(file.path(), previous.permissions())
                        .with_context(|| format!("{}: cannot write", path.display()))?;
                }
                file.persist(&path)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
            Destination::Stdout => {
                let mut out = std::io::BufWriter::new(stdout);
                write(&mut out)?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// The `--timings` line.
fn print_timings(
    started: Instant,
    read_time: Duration,
    timings: stemma_graph::Timings,
    writing: Instant,
    stats: stemma_graph::Stats,
) {
    {
        let line = serde_json::json!({
            "read_s": read_time.as_secs_f64(),
            "documents_s": timings.documents.as_secs_f64(),
            "candidates_s": timings.candidates.as_secs_f64(),
            "align_s": timings.align.as_secs_f64(),
            "graph_s": timings.graph.as_secs_f64(),
            "write_s": writing.elapsed().as_secs_f64(),
            "total_s": started.elapsed().as_secs_f64(),
            "peak_rss_bytes": peak_rss_bytes(),
            "stats": stats,
        });
        report_raw_line(&line.to_string());
    }
}

/// The process's peak resident memory, from `/proc/self/status` (Linux only; `None` elsewhere).
pub(crate) fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[allow(clippy::print_stderr)]
fn report_raw_line(line: &str) {
    eprintln!("{line}");
}

/// Reads the inputs as `analyze` and `eval` do: a blocking FIFO named among them is reported, and a
/// publication time in the future (a typo, or a page's clock) is set aside rather than trusted to
/// orient edges.
pub(crate) fn load(paths: &[PathBuf], meta: Option<&std::path::Path>) -> stemma_input::Loaded {
    let named = paths.iter().map(PathBuf::as_path).chain(meta);
    let mut loaded = crate::waiting::noting_waits(named, || {
        stemma_input::load_inputs(paths, meta, &mut std::io::stdin())
    });
    loaded.set_aside_future_times(now_unix_millis());
    loaded
}

/// [`load`] for `--sources` and `--targets`: also the ids read from the sources.
fn load_sided(
    sources: &[PathBuf],
    targets: &[PathBuf],
    meta: Option<&std::path::Path>,
) -> (stemma_input::Loaded, std::collections::BTreeSet<String>) {
    let named = sources
        .iter()
        .chain(targets)
        .map(PathBuf::as_path)
        .chain(meta);
    let (mut loaded, sources) = crate::waiting::noting_waits(named, || {
        stemma_input::load_sources_and_targets(sources, targets, meta, &mut std::io::stdin())
    });
    loaded.set_aside_future_times(now_unix_millis());
    (loaded, sources)
}

pub(crate) fn now_unix_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Each input problem on standard error, one line each; what a file name or a page carries cannot
/// move the terminal's cursor or pass for another line.
#[allow(clippy::print_stderr)]
pub(crate) fn report_diagnostics(diagnostics: &[stemma_input::Diagnostic]) {
    for d in diagnostics {
        eprintln!("stemma: {}", render::one_line(&d.to_string()));
    }
}

#[allow(clippy::print_stderr)]
pub(crate) fn report_line(line: &str) {
    eprintln!("stemma: {}", render::one_line(line));
}

/// How long a run goes before the spinner appears.
const PROGRESS_DELAY: Duration = Duration::from_secs(1);
/// How often the spinner turns.
const PROGRESS_TICK: Duration = Duration::from_millis(120);

/// A spinner on standard error that names the current stage and the time spent. It appears only once
/// the run has taken [`PROGRESS_DELAY`], and never when standard error is not a terminal (or `TERM` is
/// `dumb` or unset: [`ProgressDrawTarget::stderr`] is hidden then), so pipes, files and quick runs
/// see nothing of it. Dropping it (also on an early return) stops and clears it.
pub(crate) struct Progress {
    bar: ProgressBar,
    /// Dropped to cancel the timer.
    cancel: Option<mpsc::Sender<()>>,
    /// Shows the spinner after the delay unless cancelled first.
    timer: Option<JoinHandle<()>>,
}

impl Progress {
    pub(crate) fn start(stage: &str) -> Self {
        // Hidden until the timer fires; the bar's clock starts now, so the time shown is the run's.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        // The style is the stage's own, set with the stage, never by the timer: the timer showing
        // the bar while a stage starts must not put back the look of the stage before.
        bar.set_style(progress_style(false));
        bar.set_message(stage.to_string());
        if ProgressDrawTarget::stderr().is_hidden() {
            return Self {
                bar,
                cancel: None,
                timer: None,
            };
        }
        let (cancel, cancelled) = mpsc::channel::<()>();
        let shown = bar.clone();
        let timer = std::thread::spawn(move || {
            if cancelled.recv_timeout(PROGRESS_DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(PROGRESS_TICK);
            }
        });
        Self {
            bar,
            cancel: Some(cancel),
            timer: Some(timer),
        }
    }

    /// Names the stage the run is in (a stage without a count).
    pub(crate) fn stage(&self, stage: String) {
        self.bar.unset_length();
        self.bar.set_style(progress_style(false));
        self.bar.set_message(stage);
    }

    /// Names a stage of steps whose number is not known ahead (articles read as they are
    /// indexed), shown with a count and a rate.
    pub(crate) fn tallied(&self, stage: String) {
        self.bar.unset_length();
        self.bar.set_position(0);
        self.bar
            .set_style(styled("{spinner} {msg}: {human_pos} ({rate}; {elapsed})"));
        self.bar.set_message(stage);
    }

    /// `steps` more steps of a counted or tallied stage are done.
    pub(crate) fn inc(&self, steps: usize) {
        self.bar.inc(steps as u64);
    }

    /// Runs `f` (which writes to standard error) with the spinner out of the way.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Stops and clears the spinner, so that nothing of it stays on the terminal.
    pub(crate) fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        drop(self.cancel.take());
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
        self.bar.finish_and_clear();
    }
}

/// The spinner's look: with a count, its rate and the time left when the stage is counted.
fn progress_style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {msg}: {human_pos}/{human_len} ({rate}, about {eta} left; {elapsed})"
    } else {
        "{spinner} {msg} ({elapsed})"
    };
    styled(template)
}

/// The spinner's style with `template`, where `{rate}` is a whole number per second.
fn styled(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        // indicatif's own {per_sec} has four decimals; a rate of thousands per second needs none.
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let _ = write!(out, "{:.0}/s", state.per_sec());
            },
        )
}

/// The analysis's stages on the spinner: the long ones (reading the articles, aligning the pairs)
/// with a count, a rate and the time left.
impl stemma_graph::Progress for Progress {
    fn stage(&self, stage: stemma_graph::Stage, steps: usize) {
        if steps > 0 {
            self.bar.set_length(steps as u64);
        } else {
            self.bar.unset_length();
        }
        self.bar.set_position(0);
        self.bar.set_style(progress_style(steps > 0));
        self.bar.set_message(stage.as_str());
    }

    fn advance(&self, steps: usize) {
        self.bar.inc(steps as u64);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How many aligned groups of each related pair the text report shows.
const GROUPS_SHOWN: usize = 3;

/// The text report; `colour` marks word changes with colour instead of `[-…-]{+…+}`.
fn write_text(out: &mut Vec<u8>, analysis: &CorpusAnalysis, colour: bool) -> std::io::Result<()> {
    let graph = &analysis.derivation;
    let s = &analysis.stats;
    writeln!(
        out,
        "{} documents; {} of {} pairs aligned; {} related",
        s.documents, s.aligned_pairs, s.all_pairs, s.related_pairs
    )?;
    if analysis.derivation.families.is_empty() {
        writeln!(out, "\nNo document reuses another's text.")?;
    }
    for (k, family) in analysis.derivation.families.iter().enumerate() {
        writeln!(out, "\nFamily {}:", k + 1)?;
        for &m in &family.members {
            let a = &analysis.articles[m];
            let when = a
                .published
                .as_ref()
                .map_or("time unknown".to_string(), |p| p.value.to_string());
            writeln!(out, "  {} ({when})", render::printable(&a.id))?;
        }
        for &ms in &family.missing_sources {
            let node = graph.node(ms);
            let mut children: Vec<Cow<'_, str>> = graph
                .children(ms)
                .map(|c| render::printable(&graph.node(c.target).id))
                .collect();
            children.sort_unstable();
            writeln!(
                out,
                "  {}: a common source not in the corpus, reused by {}",
                render::printable(&node.id),
                children.join(", ")
            )?;
        }
        // The edges touching a member, in the graph's order (a missing source's edges go to members).
        let mut edges: Vec<usize> = family
            .members
            .iter()
            .flat_map(|&m| graph.children(m).chain(graph.parents(m)))
            .map(|e| e.index)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        for e in edges {
            let stemma_graph::GraphEdge {
                source,
                target,
                edge: w,
                ..
            } = graph.edge(e);
            let arrow = if w.direction == Direction::Undetermined {
                "—"
            } else {
                "→"
            };
            let basis = match w.direction {
                Direction::Timestamp => "by publication times",
                Direction::Evidence => "by content evidence",
                Direction::Declared => "sources declared",
                Direction::Undetermined => "direction undetermined",
            };
            writeln!(
                out,
                "  {} {arrow} {}: {} ({basis})",
                render::printable(&graph.node(source).id),
                render::printable(&graph.node(target).id),
                w.relation.map_or("common source", |r| r.as_str()),
            )?;
        }
    }
    for pair in analysis.related_pairs() {
        let (a, b) = (&analysis.documents[pair.a], &analysis.documents[pair.b]);
        writeln!(
            out,
            "\n{} ~ {}: {} (score {:.2}; probability {:.2}; coverage {:.0}% / {:.0}%; verbatim {:.0}%)",
            render::printable(&a.id),
            render::printable(&b.id),
            pair.relation.map_or("none", |r| r.as_str()),
            pair.score,
            pair.probability,
            pair.alignment.coverage_a * 100.0,
            pair.alignment.coverage_b * 100.0,
            pair.verbatim_share * 100.0
        )?;
        let mut groups: Vec<&stemma_align::AlignedGroup> = pair.alignment.groups.iter().collect();
        groups.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.start.cmp(&y.a.start)));
        for g in groups.into_iter().take(GROUPS_SHOWN) {
            let runs = word_diff(
                &render::printable(&a.sentences_text(g.a.clone())),
                &render::printable(&b.sentences_text(g.b.clone())),
            );
            writeln!(out, "  similarity {:.2}:", g.score)?;
            render::write_inline(out, &runs, colour)?;
        }
    }
    Ok(())
}
