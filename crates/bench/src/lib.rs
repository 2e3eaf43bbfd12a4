//! The scale benchmark of `stemma bench run` (docs/benchmark.md, docs/performance.md), as a library:
//! [`run_benchmark`] generates planted-reuse corpora of growing size and measures the `stemma`
//! binary on them, each measurement in its own child process so that its peak memory is its own.
//!
//! For each corpus size N, in increasing order:
//! 1. generate the planted-reuse corpus into `WORK/N/` in-process (`stemma_synth::write_files`, timed
//!    apart: it is not part of the analysis);
//! 2. the **tokenize baseline**: a child `stemma bench tokenize WORK/N/corpus.jsonl`, one pass of
//!    reading and tokenizing the corpus ([`TokenizeTimings`]);
//! 3. the **analysis**: a child `stemma analyze WORK/N/corpus.jsonl --format json -o
//!    WORK/N/report.json --timings`, its wall time measured here and its stage times read from the
//!    JSON line it prints on standard error ([`AnalyzeTimings`]);
//! 4. the **quality**: the report scored against `WORK/N/truth.json` with `stemma eval`'s scoring.
//!
//! Then the targets of the scale issue are checked ([`targets`]), and a small corpus is analysed
//! twice, with candidate pairs and with `--all-pairs`, to show that candidate generation loses no
//! link and what it saves ([`BruteForce`]). The binary owns the work folder and the terminal; this
//! crate reports its progress through a callback and returns typed errors.
#![forbid(unsafe_code)]

mod recurrence;

pub use recurrence::{Recurrence, SHINGLE_WORDS, merge_reused_stories, shingle_recurrence};

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use stemma_eval::{EvalError, Evaluation, Predicted, Report, Truth, score};
use stemma_synth::{
    CORPUS_FILE, GenerateConfig, Generator, LoadError, NewsModel, TRUTH_FILE, WriteError,
    write_files_with,
};

/// Why the benchmark could not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// A corpus could not be written.
    #[error(transparent)]
    Generate(#[from] WriteError),
    /// The natural generator's language model could not be built.
    #[error(transparent)]
    Model(#[from] LoadError),
    /// A truth file or a report could not be read back.
    #[error(transparent)]
    Read(#[from] EvalError),
    /// A report could not be scored.
    #[error("{}: {message}", path.display())]
    Score {
        /// The report.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A child process could not be started.
    #[error("{}: cannot start `{what}`: {source}", file.display())]
    Start {
        /// The corpus it was to measure.
        file: PathBuf,
        /// The command.
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// A child process failed.
    #[error("{}: `{what}` failed ({status}):\n{stderr}", file.display())]
    Failed {
        /// The corpus it measured.
        file: PathBuf,
        /// The command.
        what: String,
        /// Its exit status.
        status: String,
        /// What it printed on standard error.
        stderr: String,
    },
    /// A child process printed no timings line.
    #[error("{}: `{what}` printed no timings line:\n{stderr}", file.display())]
    NoTimings {
        /// The corpus it measured.
        file: PathBuf,
        /// The command.
        what: String,
        /// What it printed on standard error.
        stderr: String,
    },
}

/// What to measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchConfig {
    /// The `stemma` binary the measurements run (the running one, for `stemma bench run`).
    pub exe: PathBuf,
    /// Corpus sizes in articles; run in increasing order, each once.
    pub sizes: Vec<usize>,
    /// The generator's seed (the same for every size and for the brute-force corpus).
    pub seed: u64,
    /// Articles of the corpus analysed with candidate pairs and with all pairs (0: none).
    pub brute_force_docs: usize,
    /// The folder the corpora, truths and reports go into (one subfolder per corpus).
    pub work: PathBuf,
    /// The natural generator's source texts (the folder holding `benchmarks/`, usually
    /// `../shared`); `None` for the easy generator.
    pub natural: Option<PathBuf>,
}

/// Runs the benchmark; `progress` is told what is being done, one line at a time.
///
/// # Errors
/// When a corpus cannot be written, a child process fails, or a report cannot be read back.
///
/// ```no_run
/// let config = stemma_bench::BenchConfig {
///     exe: "target/release/stemma".into(),
///     sizes: vec![1000],
///     seed: 1,
///     brute_force_docs: 0,
///     work: std::env::temp_dir().join("stemma-bench-example"),
///     natural: None,
/// };
/// let report = stemma_bench::run_benchmark(&config, &mut |line| eprintln!("{line}")).unwrap();
/// stemma_bench::write_text(&mut std::io::stdout(), &report).unwrap();
/// ```
pub fn run_benchmark(
    config: &BenchConfig,
    progress: &mut dyn FnMut(&str),
) -> Result<BenchReport, BenchError> {
    let mut sizes = config.sizes.clone();
    sizes.sort_unstable();
    sizes.dedup();
    let generator = match &config.natural {
        None => Generator::Easy,
        Some(shared) => {
            progress(&format!(
                "natural generator: building the language model from {}",
                shared.display()
            ));
            let model = NewsModel::load(shared)?;
            progress(&format!(
                "natural generator: {} sentences, {} tokens",
                thousands(model.sentence_count() as u64),
                thousands(model.token_count() as u64)
            ));
            Generator::Natural(std::sync::Arc::new(model))
        }
    };
    let mut report = BenchReport {
        seed: config.seed,
        generator: generator.name(),
        threads: rayon::current_num_threads(),
        ..BenchReport::default()
    };
    let bench = Bench {
        exe: &config.exe,
        seed: config.seed,
        generator: &generator,
    };
    for &docs in &sizes {
        let dir = config.work.join(docs.to_string());
        report.runs.push(scale_run(&bench, docs, &dir, progress)?);
    }
    report.growth_10k_100k = growth_10k_100k(&report.runs);
    report.targets = targets(&report.runs, report.generator);
    if config.brute_force_docs > 0 {
        let docs = config.brute_force_docs;
        let dir = config.work.join(format!("brute-force-{docs}"));
        report.brute_force = Some(brute_force(&bench, docs, &dir, progress)?);
    }
    Ok(report)
}

/// What the baseline did and how long it took (its JSON line).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenizeTimings {
    /// Articles read.
    pub documents: usize,
    /// Sentences segmented.
    pub sentences: usize,
    /// Tokens produced.
    pub tokens: usize,
    /// Reading the inputs, seconds.
    pub read_s: f64,
    /// Segmenting and tokenizing, seconds.
    pub tokenize_s: f64,
    /// Both, seconds, as the process measured them.
    pub total_s: f64,
    /// Peak resident memory of the process (Linux only).
    pub peak_rss_bytes: Option<u64>,
}

/// The JSON line `stemma analyze --timings` prints on standard error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeTimings {
    /// Reading the inputs, seconds.
    pub read_s: f64,
    /// Segmenting, tokenizing and interning the texts, marking repeated lines.
    pub documents_s: f64,
    /// Term weights and candidate pairs (the index).
    pub candidates_s: f64,
    /// Aligning the candidate pairs and weighing their evidence.
    pub align_s: f64,
    /// The derivation graph, families and missing sources.
    pub graph_s: f64,
    /// Writing the report.
    pub write_s: f64,
    /// All of it, as the process measured it.
    pub total_s: f64,
    /// Peak resident memory of the process (Linux only).
    pub peak_rss_bytes: Option<u64>,
    /// The work done.
    pub stats: stemma_graph::Stats,
}

impl AnalyzeTimings {
    /// The timings line among the lines of an analysis's standard error: the last line that parses
    /// as one (diagnostics and other lines are skipped).
    pub fn find(stderr: &str) -> Option<AnalyzeTimings> {
        stderr
            .lines()
            .rev()
            .filter(|line| line.trim_start().starts_with('{'))
            .find_map(|line| serde_json::from_str(line).ok())
    }
}

/// Related-pair quality of one analysis against the planted truth.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Quality {
    /// Related pairs of the truth.
    pub truth_pairs: usize,
    /// Related pairs predicted.
    pub predicted_pairs: usize,
    /// Predicted pairs the truth calls related.
    pub correct: usize,
    /// correct / predicted.
    pub precision: Option<f64>,
    /// correct / truth.
    pub recall: Option<f64>,
    /// Harmonic mean of the two.
    pub f1: Option<f64>,
    /// Independent pairs of the truth (same event, no shared text).
    pub independent_pairs: usize,
    /// Of those, how many were linked.
    pub independent_linked: usize,
    /// Truth related pairs where one article is derived from the other; the rest are related
    /// through others (siblings, cousins).
    pub derivations: usize,
    /// Of those derivations, how many were found.
    pub derivations_found: usize,
}

impl Quality {
    /// The related-pair and independent-pair numbers of an evaluation.
    pub fn of(e: &Evaluation) -> Quality {
        Quality {
            truth_pairs: e.related.truth,
            predicted_pairs: e.related.predicted,
            correct: e.related.correct,
            precision: e.related.precision,
            recall: e.related.recall,
            f1: e.related.f1,
            independent_pairs: e.independent.pairs,
            independent_linked: e.independent.linked,
            derivations: e.related.derivations,
            derivations_found: e.related.derivations_found,
        }
    }
}

/// Everything measured at one corpus size.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScaleRun {
    /// Articles.
    pub docs: usize,
    /// Words of their texts (whitespace-separated, page furniture included).
    pub words: usize,
    /// Bytes of corpus.jsonl.
    pub corpus_bytes: u64,
    /// Generating the corpus, seconds (not part of any other time).
    pub generate_s: f64,
    /// The tokenize-only baseline, as its child process reported it.
    pub tokenize: TokenizeTimings,
    /// Wall time of the baseline's child process, seconds.
    pub tokenize_wall_s: f64,
    /// The analysis, as its child process reported it.
    pub analysis: AnalyzeTimings,
    /// Wall time of the analysis's child process (end to end), seconds.
    pub wall_s: f64,
    /// Articles analysed per second of wall time.
    pub articles_per_s: f64,
    /// Pairs aligned / all pairs.
    pub aligned_share: f64,
    /// Pairs aligned per article (each pair counted once).
    pub aligned_per_article: f64,
    /// Pairs aligned ÷ related pairs planted in the truth: how many candidates the analysis pays
    /// for each pair worth finding.
    pub aligned_per_related: f64,
    /// End-to-end wall time ÷ the baseline's wall time.
    pub vs_tokenize: f64,
    /// Quality against the truth.
    pub quality: Quality,
}

impl ScaleRun {
    /// Fills in the derived numbers (`articles_per_s`, `aligned_share`, `vs_tokenize`).
    pub fn with_ratios(mut self) -> ScaleRun {
        let per = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        self.articles_per_s = per(self.docs as f64, self.wall_s);
        self.aligned_share = per(
            self.analysis.stats.aligned_pairs as f64,
            self.analysis.stats.all_pairs as f64,
        );
        self.vs_tokenize = per(self.wall_s, self.tokenize_wall_s);
        self.aligned_per_article = per(self.analysis.stats.aligned_pairs as f64, self.docs as f64);
        self.aligned_per_related = per(
            self.analysis.stats.aligned_pairs as f64,
            self.quality.truth_pairs as f64,
        );
        self
    }
}

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Measured and met.
    Met,
    /// Measured and missed.
    NotMet,
    /// Not measured in this run (the size it is about was not run).
    NotRun,
}

impl Status {
    fn of(met: Option<bool>) -> Status {
        match met {
            Some(true) => Status::Met,
            Some(false) => Status::NotMet,
            None => Status::NotRun,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "NOT MET",
            Status::NotRun => "not run",
        }
    }
}

/// One target of the scale issue and how this run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// A short key: `wall_100k`, `rss_100k`, `growth_10k_100k`, `precision_recall`; for the natural
    /// generator also `wall_1m`, `rss_1m`, `growth_100k_1m`, `independent_linked`.
    pub key: &'static str,
    /// The target in words.
    pub goal: &'static str,
    /// The number compared with the bound (seconds, GiB, a factor, the lowest of P and R).
    pub measured: Option<f64>,
    /// The measurement in words.
    pub detail: String,
    /// The verdict.
    pub status: Status,
}

/// 100k articles end to end within this many seconds (both generators).
pub const WALL_100K_S: f64 = 90.0;
/// Peak memory at 100k articles of the easy generator within this many bytes (4 GiB).
pub const RSS_100K_BYTES: u64 = 4 << 30;
/// Peak memory at 100k articles of the natural generator within this many bytes (3 GiB).
pub const RSS_100K_NATURAL_BYTES: u64 = 3 << 30;
/// Wall time from 10k to 100k articles of the easy generator grows at most this much.
pub const GROWTH_MAX: f64 = 12.0;
/// 1M articles of the natural generator end to end within this many seconds (15 minutes).
pub const WALL_1M_S: f64 = 900.0;
/// Peak memory at 1M articles of the natural generator within this many bytes (8 GiB).
pub const RSS_1M_BYTES: u64 = 8 << 30;
/// Wall time from 100k to 1M articles of the natural generator grows at most this much.
pub const GROWTH_1M_MAX: f64 = 11.0;
/// Precision and recall at least this at every size.
pub const QUALITY_MIN: f64 = 0.95;
/// Share of the independent same-event pairs linked, at most, at every size (natural generator).
pub const INDEPENDENT_LINKED_MAX: f64 = 0.01;

/// The run of a given size, if it was run.
fn run_of(runs: &[ScaleRun], docs: usize) -> Option<&ScaleRun> {
    runs.iter().find(|r| r.docs == docs)
}

/// The wall-time growth from `small` to `large` articles, when both were run.
fn growth(runs: &[ScaleRun], small: usize, large: usize) -> Option<f64> {
    let (small, large) = (run_of(runs, small)?, run_of(runs, large)?);
    (small.wall_s > 0.0).then(|| large.wall_s / small.wall_s)
}

/// The wall-time growth from 10k to 100k articles, when both were run.
pub fn growth_10k_100k(runs: &[ScaleRun]) -> Option<f64> {
    growth(runs, 10_000, 100_000)
}

fn not_run(what: &str) -> String {
    format!("{what} not in --docs")
}

/// End to end at `docs` articles within `bound` seconds.
fn wall_target(
    runs: &[ScaleRun],
    key: &'static str,
    goal: &'static str,
    docs: usize,
    bound: f64,
) -> Target {
    let wall = run_of(runs, docs).map(|r| r.wall_s);
    Target {
        key,
        goal,
        measured: wall,
        detail: wall.map_or_else(|| not_run(&thousands(docs as u64)), |w| format!("{w:.1} s")),
        status: Status::of(wall.map(|w| w <= bound)),
    }
}

/// Peak RSS at `docs` articles within `bound` bytes.
fn rss_target(
    runs: &[ScaleRun],
    key: &'static str,
    goal: &'static str,
    docs: usize,
    bound: u64,
) -> Target {
    let run = run_of(runs, docs);
    let rss = run.and_then(|r| r.analysis.peak_rss_bytes);
    Target {
        key,
        goal,
        measured: rss.map(gib),
        detail: rss.map_or_else(
            || {
                if run.is_some() {
                    "peak RSS not reported".to_string()
                } else {
                    not_run(&thousands(docs as u64))
                }
            },
            |b| format!("{:.2} GiB", gib(b)),
        ),
        status: Status::of(rss.map(|b| b <= bound)),
    }
}

/// Wall-time growth from `small` to `large` articles at most `bound`.
fn growth_target(
    runs: &[ScaleRun],
    key: &'static str,
    goal: &'static str,
    small: usize,
    large: usize,
    bound: f64,
) -> Target {
    let g = growth(runs, small, large);
    Target {
        key,
        goal,
        measured: g,
        detail: g.map_or_else(
            || {
                not_run(&format!(
                    "{} or {}",
                    thousands(small as u64),
                    thousands(large as u64)
                ))
            },
            |g| format!("{g:.1}×"),
        ),
        status: Status::of(g.map(|g| g <= bound)),
    }
}

/// The targets of the scale issues, checked against the runs of `generator` (`easy` or
/// `natural`): the easy generator keeps the first scale issue's bounds, the natural generator has
/// issue 15's (less memory at 100k, a million articles, independent pairs linked).
///
/// ```
/// let targets = stemma_bench::targets(&[], "natural");
/// assert!(targets.iter().any(|t| t.key == "wall_1m"));
/// assert!(targets.iter().all(|t| t.status == stemma_bench::Status::NotRun));
/// ```
pub fn targets(runs: &[ScaleRun], generator: &str) -> Vec<Target> {
    let lowest = runs
        .iter()
        .flat_map(|r| [r.quality.precision, r.quality.recall])
        .map(|x| x.unwrap_or(0.0))
        .reduce(f64::min);
    let below: Vec<String> = runs
        .iter()
        .filter(|r| {
            r.quality.precision.unwrap_or(0.0) < QUALITY_MIN
                || r.quality.recall.unwrap_or(0.0) < QUALITY_MIN
        })
        .map(|r| {
            format!(
                "P {} R {} at {}",
                show3(r.quality.precision),
                show3(r.quality.recall),
                thousands(r.docs as u64)
            )
        })
        .collect();
    let quality = Target {
        key: "precision_recall",
        goal: "related-pair precision and recall ≥ 0.95 at every N",
        measured: lowest,
        detail: match lowest {
            None => "no size run".to_string(),
            Some(low) if below.is_empty() => format!("lowest {low:.3}"),
            Some(_) => format!("below at: {}", below.join("; ")),
        },
        status: Status::of(lowest.map(|low| low >= QUALITY_MIN)),
    };
    let wall_100k = wall_target(
        runs,
        "wall_100k",
        "100,000 articles end to end in ≤ 90 s",
        100_000,
        WALL_100K_S,
    );
    if generator != "natural" {
        return vec![
            wall_100k,
            rss_target(
                runs,
                "rss_100k",
                "peak RSS at 100,000 articles ≤ 4 GiB",
                100_000,
                RSS_100K_BYTES,
            ),
            growth_target(
                runs,
                "growth_10k_100k",
                "wall time from 10k to 100k articles grows ≤ 12×",
                10_000,
                100_000,
                GROWTH_MAX,
            ),
            quality,
        ];
    }
    let most = runs
        .iter()
        .filter(|r| r.quality.independent_pairs > 0)
        .map(|r| r.quality.independent_linked as f64 / r.quality.independent_pairs as f64)
        .reduce(f64::max);
    let independent = Target {
        key: "independent_linked",
        goal: "independent same-event pairs linked ≤ 1% at every N",
        measured: most,
        detail: most.map_or_else(
            || "no independent pairs".to_string(),
            |m| format!("at most {:.2}%", 100.0 * m),
        ),
        status: Status::of(most.map(|m| m <= INDEPENDENT_LINKED_MAX)),
    };
    vec![
        wall_100k,
        rss_target(
            runs,
            "rss_100k",
            "peak RSS at 100,000 articles ≤ 3 GiB",
            100_000,
            RSS_100K_NATURAL_BYTES,
        ),
        wall_target(
            runs,
            "wall_1m",
            "1,000,000 articles end to end in ≤ 15 min",
            1_000_000,
            WALL_1M_S,
        ),
        rss_target(
            runs,
            "rss_1m",
            "peak RSS at 1,000,000 articles ≤ 8 GiB",
            1_000_000,
            RSS_1M_BYTES,
        ),
        growth_target(
            runs,
            "growth_100k_1m",
            "wall time from 100k to 1M articles grows ≤ 11×",
            100_000,
            1_000_000,
            GROWTH_1M_MAX,
        ),
        quality,
        independent,
    ]
}

/// One side of the brute-force comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BruteForceSide {
    /// Wall time of the analysis's child process, seconds.
    pub wall_s: f64,
    /// Aligning, seconds (from its timings line).
    pub align_s: f64,
    /// Pairs aligned.
    pub aligned_pairs: usize,
    /// Related pairs.
    pub related_pairs: usize,
    /// Edges of the derivation graph.
    pub edges: usize,
    /// Peak resident memory.
    pub peak_rss_bytes: Option<u64>,
}

/// Items found on one side only.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Difference {
    /// How many.
    pub count: usize,
    /// The first few, in sorted order.
    pub first: Vec<String>,
}

/// How many differences are listed one by one.
pub const DIFFERENCES_SHOWN: usize = 10;

impl Difference {
    /// The items of `a` that are not in `b`.
    pub fn between<T: Ord + Clone + std::fmt::Display>(
        a: &BTreeSet<T>,
        b: &BTreeSet<T>,
    ) -> Difference {
        let only: Vec<&T> = a.difference(b).collect();
        Difference {
            count: only.len(),
            first: only
                .iter()
                .take(DIFFERENCES_SHOWN)
                .map(|x| x.to_string())
                .collect(),
        }
    }
}

/// Candidate pairs against brute-force all pairs on one corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BruteForce {
    /// Articles.
    pub docs: usize,
    /// The analysis with candidate pairs (the default).
    pub candidates: BruteForceSide,
    /// The analysis with `--all-pairs`.
    pub all_pairs: BruteForceSide,
    /// All-pairs wall time ÷ candidate-pairs wall time.
    pub speedup: f64,
    /// Whether both found the same related pairs and the same derivation edges.
    pub identical: bool,
    /// Related pairs (with their relation) found with candidates only.
    pub related_only_candidates: Difference,
    /// Related pairs found with all pairs only.
    pub related_only_all_pairs: Difference,
    /// Derivation edges (with relation, direction and confidence) with candidates only.
    pub edges_only_candidates: Difference,
    /// Derivation edges with all pairs only.
    pub edges_only_all_pairs: Difference,
}

/// Everything `stemma bench run` measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BenchReport {
    /// The generator's seed.
    pub seed: u64,
    /// The generator: `easy` or `natural`.
    pub generator: &'static str,
    /// Threads of the analysis (rayon's count; `RAYON_NUM_THREADS` is passed on to the children).
    pub threads: usize,
    /// The work folder, when it is kept.
    pub work: Option<String>,
    /// One run per corpus size, in increasing order.
    pub runs: Vec<ScaleRun>,
    /// Wall time at 100k ÷ wall time at 10k, when both were run.
    pub growth_10k_100k: Option<f64>,
    /// The targets of the scale issue.
    pub targets: Vec<Target>,
    /// The brute-force comparison, unless skipped.
    pub brute_force: Option<BruteForce>,
}

/// What every corpus of a benchmark shares.
struct Bench<'a> {
    exe: &'a Path,
    seed: u64,
    generator: &'a Generator,
}

/// Generates, measures and scores one corpus size in `dir`.
fn scale_run(
    bench: &Bench<'_>,
    docs: usize,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<ScaleRun, BenchError> {
    let (exe, seed) = (bench.exe, bench.seed);
    let shown = thousands(docs as u64);
    progress(&format!(
        "{shown} articles: generating into {}",
        dir.display()
    ));
    let started = Instant::now();
    let summary = write_files_with(&GenerateConfig { docs, seed }, bench.generator, dir)?;
    let generate_s = started.elapsed().as_secs_f64();
    let corpus = dir.join(CORPUS_FILE);

    progress(&format!("{shown} articles: tokenize baseline"));
    let (tokenize_wall_s, output) = run_child(
        exe,
        &[
            OsString::from("bench"),
            "tokenize".into(),
            corpus.clone().into(),
        ],
        &corpus,
        "stemma bench tokenize",
    )?;
    let tokenize: TokenizeTimings = output
        .stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| BenchError::NoTimings {
            file: corpus.clone(),
            what: "stemma bench tokenize".to_string(),
            stderr: output.stderr.clone(),
        })?;

    progress(&format!("{shown} articles: analysis"));
    let report_path = dir.join("report.json");
    let (wall_s, analysis) = analyze_child(exe, &corpus, &report_path, false)?;

    progress(&format!("{shown} articles: scoring"));
    let truth = Truth::load(&dir.join(TRUTH_FILE))?;
    let report = Report::load(&report_path)?;
    let predicted = Predicted::from_report(&report).map_err(|message| BenchError::Score {
        path: report_path.clone(),
        message,
    })?;
    let quality = Quality::of(&score(&truth, &predicted));
    Ok(ScaleRun {
        docs: summary.docs,
        words: summary.words,
        corpus_bytes: summary.corpus_bytes,
        generate_s,
        tokenize,
        tokenize_wall_s,
        analysis,
        wall_s,
        quality,
        ..ScaleRun::default()
    }
    .with_ratios())
}

/// Generates a corpus of `docs` articles in `dir` and analyses it with candidate pairs and with all
/// pairs.
fn brute_force(
    bench: &Bench<'_>,
    docs: usize,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<BruteForce, BenchError> {
    let (exe, seed) = (bench.exe, bench.seed);
    let shown = thousands(docs as u64);
    progress(&format!(
        "brute force, {shown} articles: generating into {}",
        dir.display()
    ));
    write_files_with(&GenerateConfig { docs, seed }, bench.generator, dir)?;
    let corpus = dir.join(CORPUS_FILE);
    let mut sides = Vec::new();
    for (all_pairs, name) in [(false, "report.json"), (true, "report-all-pairs.json")] {
        progress(&format!(
            "brute force, {shown} articles: analysis with {}",
            if all_pairs {
                "all pairs"
            } else {
                "candidate pairs"
            }
        ));
        let path = dir.join(name);
        let (wall_s, timings) = analyze_child(exe, &corpus, &path, all_pairs)?;
        let report = Report::load(&path)?;
        let side = BruteForceSide {
            wall_s,
            align_s: timings.align_s,
            aligned_pairs: timings.stats.aligned_pairs,
            related_pairs: timings.stats.related_pairs,
            edges: report.edges.len(),
            peak_rss_bytes: timings.peak_rss_bytes,
        };
        sides.push((side, report));
    }
    let (all_side, all_report) = sides.pop().expect("the all-pairs analysis was run");
    let (candidate_side, candidate_report) = sides.pop().expect("the candidate analysis was run");
    Ok(compare(
        docs,
        candidate_side,
        &candidate_report,
        all_side,
        &all_report,
    ))
}

/// Compares the related pairs and derivation edges of two reports of one corpus.
pub fn compare(
    docs: usize,
    candidates: BruteForceSide,
    candidate_report: &Report,
    all_pairs: BruteForceSide,
    all_report: &Report,
) -> BruteForce {
    let pairs = |r: &Report| -> BTreeSet<String> { r.pair_lines().into_iter().collect() };
    let edges = |r: &Report| -> BTreeSet<String> { r.edge_lines().into_iter().collect() };
    let (pc, pa) = (pairs(candidate_report), pairs(all_report));
    let (ec, ea) = (edges(candidate_report), edges(all_report));
    let speedup = if candidates.wall_s > 0.0 {
        all_pairs.wall_s / candidates.wall_s
    } else {
        0.0
    };
    BruteForce {
        docs,
        candidates,
        all_pairs,
        speedup,
        identical: pc == pa && ec == ea,
        related_only_candidates: Difference::between(&pc, &pa),
        related_only_all_pairs: Difference::between(&pa, &pc),
        edges_only_candidates: Difference::between(&ec, &ea),
        edges_only_all_pairs: Difference::between(&ea, &ec),
    }
}

/// What a child process printed.
struct ChildOutput {
    stdout: String,
    stderr: String,
}

/// Runs `exe args…` to the end and returns its wall time and output; a failure is an error that
/// names `file` and shows the child's standard error.
fn run_child(
    exe: &Path,
    args: &[OsString],
    file: &Path,
    what: &str,
) -> Result<(f64, ChildOutput), BenchError> {
    let started = Instant::now();
    let output = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| BenchError::Start {
            file: file.to_path_buf(),
            what: what.to_string(),
            source,
        })?;
    let wall_s = started.elapsed().as_secs_f64();
    let out = ChildOutput {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if !output.status.success() {
        return Err(BenchError::Failed {
            file: file.to_path_buf(),
            what: what.to_string(),
            status: output.status.to_string(),
            stderr: out.stderr.trim_end().to_string(),
        });
    }
    Ok((wall_s, out))
}

/// Analyses `corpus` in a child process, the JSON report to `report`; returns its wall time and the
/// timings line it printed.
fn analyze_child(
    exe: &Path,
    corpus: &Path,
    report: &Path,
    all_pairs: bool,
) -> Result<(f64, AnalyzeTimings), BenchError> {
    let mut args: Vec<OsString> = vec![
        "analyze".into(),
        corpus.into(),
        "--format".into(),
        "json".into(),
        "-o".into(),
        report.into(),
        "--timings".into(),
    ];
    if all_pairs {
        args.push("--all-pairs".into());
    }
    let what = if all_pairs {
        "stemma analyze --all-pairs"
    } else {
        "stemma analyze"
    };
    let (wall_s, output) = run_child(exe, &args, corpus, what)?;
    let timings = AnalyzeTimings::find(&output.stderr).ok_or_else(|| BenchError::NoTimings {
        file: corpus.to_path_buf(),
        what: format!("{what} --timings"),
        stderr: output.stderr.trim_end().to_string(),
    })?;
    Ok((wall_s, timings))
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1u32 << 30)
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "n/a".to_string(),
        |b| format!("{:.0}", b as f64 / f64::from(1u32 << 20)),
    )
}

fn show3(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// The report as tables for people.
pub fn write_text(out: &mut impl Write, r: &BenchReport) -> std::io::Result<()> {
    writeln!(
        out,
        "stemma bench run: {} generator, seed {}, {} threads{}",
        r.generator,
        r.seed,
        r.threads,
        r.work
            .as_deref()
            .map(|w| format!(", work folder {w}"))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "\nScale and quality (wall: the `stemma analyze` child process, read to report written):"
    )?;
    writeln!(
        out,
        "{:>9} {:>8} {:>7} {:>8} {:>10} {:>20} {:>8} {:>8} {:>9} {:>7} {:>7} {:>12}",
        "docs",
        "words",
        "MB",
        "wall s",
        "articles/s",
        "pairs aligned",
        "related",
        "RSS MiB",
        "precision",
        "recall",
        "F1",
        "indep. linked"
    )?;
    for run in &r.runs {
        let aligned = format!(
            "{} ({:.2}%)",
            thousands(run.analysis.stats.aligned_pairs as u64),
            run.aligned_share * 100.0
        );
        writeln!(
            out,
            "{:>9} {:>7.2}M {:>7.1} {:>8.2} {:>10.0} {:>20} {:>8} {:>8} {:>9} {:>7} {:>7} {:>12}",
            thousands(run.docs as u64),
            run.words as f64 / 1e6,
            run.corpus_bytes as f64 / 1e6,
            run.wall_s,
            run.articles_per_s,
            aligned,
            thousands(run.analysis.stats.related_pairs as u64),
            mib(run.analysis.peak_rss_bytes),
            show3(run.quality.precision),
            show3(run.quality.recall),
            show3(run.quality.f1),
            format!(
                "{} of {}",
                thousands(run.quality.independent_linked as u64),
                thousands(run.quality.independent_pairs as u64)
            ),
        )?;
    }
    writeln!(
        out,
        "\nWhere the time goes (seconds; documents = segment + tokenize + intern, candidates = index; \
         baseline = one pass of reading and tokenizing, its own child process):"
    )?;
    writeln!(
        out,
        "{:>9} {:>7} {:>9} {:>10} {:>8} {:>7} {:>7} {:>8} | {:>8} {:>8} {:>13} {:>9}",
        "docs",
        "read",
        "documents",
        "candidates",
        "align",
        "graph",
        "write",
        "total",
        "baseline",
        "RSS MiB",
        "wall÷baseline",
        "generate"
    )?;
    for run in &r.runs {
        let a = &run.analysis;
        writeln!(
            out,
            "{:>9} {:>7.2} {:>9.2} {:>10.2} {:>8.2} {:>7.2} {:>7.2} {:>8.2} | {:>8.2} {:>8} {:>12.1}× {:>9.2}",
            thousands(run.docs as u64),
            a.read_s,
            a.documents_s,
            a.candidates_s,
            a.align_s,
            a.graph_s,
            a.write_s,
            a.total_s,
            run.tokenize_wall_s,
            mib(run.tokenize.peak_rss_bytes),
            run.vs_tokenize,
            run.generate_s,
        )?;
    }
    writeln!(
        out,
        "\nCandidates (pairs aligned = candidate pairs the analysis aligned; related = pairs planted \
         as sharing text):"
    )?;
    writeln!(
        out,
        "{:>9} {:>13} {:>12} {:>16} {:>16}",
        "docs", "pairs aligned", "per article", "planted related", "aligned÷related"
    )?;
    for run in &r.runs {
        writeln!(
            out,
            "{:>9} {:>13} {:>12.1} {:>16} {:>15.1}×",
            thousands(run.docs as u64),
            thousands(run.analysis.stats.aligned_pairs as u64),
            run.aligned_per_article,
            thousands(run.quality.truth_pairs as u64),
            run.aligned_per_related,
        )?;
    }
    writeln!(out, "\nTargets:")?;
    for t in &r.targets {
        writeln!(
            out,
            "  {:<52} {:<8} {}",
            t.goal,
            t.status.as_str(),
            t.detail
        )?;
    }
    let count = |s: Status| r.targets.iter().filter(|t| t.status == s).count();
    writeln!(
        out,
        "  {} met, {} not met, {} not run{}",
        count(Status::Met),
        count(Status::NotMet),
        count(Status::NotRun),
        if count(Status::NotMet) > 0 {
            " (the benchmark ran; the targets marked NOT MET were missed)"
        } else {
            ""
        }
    )?;
    match &r.brute_force {
        None => writeln!(out, "\nBrute force: skipped (--brute-force-docs 0)")?,
        Some(b) => write_brute_force(out, b)?,
    }
    Ok(())
}

fn write_brute_force(out: &mut impl Write, b: &BruteForce) -> std::io::Result<()> {
    writeln!(
        out,
        "\nBrute force on {} articles (same seed): candidate pairs against --all-pairs",
        thousands(b.docs as u64)
    )?;
    for (name, side) in [
        ("candidate pairs", &b.candidates),
        ("all pairs", &b.all_pairs),
    ] {
        writeln!(
            out,
            "  {name:<16} {:>10} pairs aligned, {:>6} related, {:>6} edges, wall {:>8.2} s (align {:.2} s), RSS {} MiB",
            thousands(side.aligned_pairs as u64),
            thousands(side.related_pairs as u64),
            thousands(side.edges as u64),
            side.wall_s,
            side.align_s,
            mib(side.peak_rss_bytes)
        )?;
    }
    if b.identical {
        writeln!(
            out,
            "  links identical: yes (the same related pairs and derivation edges); speed-up {:.1}×",
            b.speedup
        )?;
        return Ok(());
    }
    writeln!(out, "  links identical: NO; speed-up {:.1}×", b.speedup)?;
    for (what, d) in [
        (
            "related pairs found with candidates only",
            &b.related_only_candidates,
        ),
        (
            "related pairs found with all pairs only",
            &b.related_only_all_pairs,
        ),
        ("edges with candidates only", &b.edges_only_candidates),
        ("edges with all pairs only", &b.edges_only_all_pairs),
    ] {
        if d.count > 0 {
            writeln!(out, "  {what}: {}", d.count)?;
            for item in &d.first {
                writeln!(out, "    {item}")?;
            }
            if d.count > d.first.len() {
                writeln!(out, "    …")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A measurement as a run would make it, with made-up numbers.
    fn fake_run(docs: usize, wall_s: f64, precision: f64, recall: f64) -> ScaleRun {
        ScaleRun {
            docs,
            words: docs * 530,
            corpus_bytes: docs as u64 * 3_600,
            generate_s: 0.1,
            tokenize: TokenizeTimings {
                documents: docs,
                sentences: docs * 40,
                tokens: docs * 500,
                read_s: 0.01,
                tokenize_s: wall_s / 20.0,
                total_s: wall_s / 20.0 + 0.01,
                peak_rss_bytes: Some(100 << 20),
            },
            tokenize_wall_s: wall_s / 10.0,
            analysis: AnalyzeTimings {
                read_s: 0.5,
                documents_s: 1.0,
                candidates_s: 0.25,
                align_s: wall_s - 2.0,
                graph_s: 0.2,
                write_s: 0.3,
                total_s: wall_s - 0.01,
                peak_rss_bytes: Some(docs as u64 * 40_000),
                stats: stemma_graph::Stats {
                    documents: docs,
                    all_pairs: docs * (docs - 1) / 2,
                    aligned_pairs: docs * 12,
                    related_pairs: docs * 13 / 10,
                    banal_features: 9,
                    repeated_lines: docs,
                },
            },
            wall_s,
            quality: Quality {
                truth_pairs: 1_300,
                predicted_pairs: 1_270,
                correct: 1_260,
                precision: Some(precision),
                recall: Some(recall),
                f1: Some(0.98),
                independent_pairs: 1_800,
                independent_linked: 1,
                derivations: 400,
                derivations_found: 399,
            },
            ..ScaleRun::default()
        }
        .with_ratios()
    }

    fn fake_report() -> BenchReport {
        let runs = vec![
            fake_run(1_000, 3.0, 0.997, 0.975),
            fake_run(10_000, 10.0, 0.987, 0.94),
            fake_run(100_000, 100.0, 0.99, 0.96),
        ];
        BenchReport {
            seed: 1,
            generator: "easy",
            threads: 2,
            work: None,
            growth_10k_100k: growth_10k_100k(&runs),
            targets: targets(&runs, "easy"),
            runs,
            brute_force: None,
        }
    }

    #[test]
    fn ratios_are_derived_from_the_measurement() {
        let run = fake_run(1_000, 4.0, 1.0, 1.0);
        assert_eq!(run.articles_per_s, 250.0);
        assert_eq!(run.vs_tokenize, 10.0);
        assert!((run.aligned_share - 12_000.0 / 499_500.0).abs() < 1e-12);
    }

    #[test]
    fn targets_are_checked_against_the_runs() {
        let r = fake_report();
        let status = |key: &str| r.targets.iter().find(|t| t.key == key).unwrap().status;
        // 100 s > 90 s; 4 GB < 4 GiB; 100/10 = 10× ≤ 12×; recall 0.94 at 10k < 0.95.
        assert_eq!(status("wall_100k"), Status::NotMet);
        assert_eq!(status("rss_100k"), Status::Met);
        assert_eq!(status("growth_10k_100k"), Status::Met);
        assert_eq!(status("precision_recall"), Status::NotMet);
        assert_eq!(r.growth_10k_100k, Some(10.0));
        let quality = r
            .targets
            .iter()
            .find(|t| t.key == "precision_recall")
            .unwrap();
        assert_eq!(quality.measured, Some(0.94));
        assert_eq!(quality.detail, "below at: P 0.987 R 0.940 at 10,000");

        let small = targets(&r.runs[..1], "easy");
        assert_eq!(
            small.iter().map(|t| t.status).collect::<Vec<_>>(),
            [Status::NotRun, Status::NotRun, Status::NotRun, Status::Met]
        );
        assert_eq!(small[0].detail, "100,000 not in --docs");
        assert_eq!(small[3].detail, "lowest 0.975");
    }

    #[test]
    fn the_natural_generator_is_held_to_its_own_targets() {
        let mut runs = vec![
            fake_run(100_000, 80.0, 0.999, 0.96),
            fake_run(1_000_000, 960.0, 0.998, 0.955),
        ];
        // 100k: 4 GB peak, above 3 GiB; 1M: 40 GB, above 8 GiB.
        runs[1].quality.independent_linked = 30;
        let t = targets(&runs, "natural");
        let status = |key: &str| t.iter().find(|t| t.key == key).unwrap().status;
        assert_eq!(status("wall_100k"), Status::Met);
        assert_eq!(status("rss_100k"), Status::NotMet);
        assert_eq!(status("wall_1m"), Status::NotMet, "960 s > 15 min");
        assert_eq!(status("rss_1m"), Status::NotMet);
        assert_eq!(status("growth_100k_1m"), Status::NotMet, "12× > 11×");
        assert_eq!(status("precision_recall"), Status::Met);
        // 30 of 1,800 = 1.67% > 1%.
        assert_eq!(status("independent_linked"), Status::NotMet);
        assert!(t.iter().all(|t| t.key != "growth_10k_100k"));
        runs[1].quality.independent_linked = 18;
        let t = targets(&runs, "natural");
        let independent = t.iter().find(|t| t.key == "independent_linked").unwrap();
        assert_eq!(independent.status, Status::Met);
        assert_eq!(independent.detail, "at most 1.00%");
    }

    #[test]
    fn text_has_a_row_per_size_and_every_target() {
        let mut r = fake_report();
        r.brute_force = Some(BruteForce {
            docs: 2_000,
            candidates: BruteForceSide {
                wall_s: 5.0,
                align_s: 4.0,
                aligned_pairs: 24_000,
                related_pairs: 2_600,
                edges: 1_500,
                peak_rss_bytes: Some(200 << 20),
            },
            all_pairs: BruteForceSide {
                wall_s: 500.0,
                align_s: 499.0,
                aligned_pairs: 1_999_000,
                related_pairs: 2_600,
                edges: 1_501,
                peak_rss_bytes: Some(400 << 20),
            },
            speedup: 100.0,
            identical: false,
            edges_only_all_pairs: Difference {
                count: 1,
                first: vec!["a → b (rewrite, timestamp, 0.5000)".to_string()],
            },
            ..BruteForce::default()
        });
        let mut text = Vec::new();
        write_text(&mut text, &r).unwrap();
        let text = String::from_utf8(text).unwrap();
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("10,000"))
            .unwrap();
        for cell in [
            "10,000",
            "5.30M",
            "36.0",
            "10.00",
            "1000",
            "120,000 (0.24%)",
            "13,000",
            "381",
            "0.987",
            "0.940",
            "0.980",
            "1 of 1,800",
        ] {
            assert!(row.contains(cell), "{cell:?} not in {row:?}\n{text}");
        }
        let stages = text
            .lines()
            .filter(|l| l.trim_start().starts_with("100,000"))
            .nth(1)
            .unwrap();
        for cell in [
            "0.50", "1.00", "0.25", "98.00", "0.20", "0.30", "99.99", "10.00", "10.0×",
        ] {
            assert!(stages.contains(cell), "{cell:?} not in {stages:?}\n{text}");
        }
        let candidates = text
            .lines()
            .filter(|l| l.trim_start().starts_with("10,000"))
            .nth(2)
            .unwrap();
        for cell in ["120,000", "12.0", "1,300", "92.3×"] {
            assert!(
                candidates.contains(cell),
                "{cell:?} not in {candidates:?}\n{text}"
            );
        }
        for expected in [
            "aligned÷related",
            "100,000 articles end to end in ≤ 90 s",
            "NOT MET  100.0 s",
            "met      3.73 GiB",
            "met      10.0×",
            "2 met, 2 not met, 0 not run",
            "links identical: NO; speed-up 100.0×",
            "edges with all pairs only: 1",
            "    a → b (rewrite, timestamp, 0.5000)",
            "1,999,000 pairs aligned",
        ] {
            assert!(text.contains(expected), "{expected:?} not in\n{text}");
        }
        assert!(!text.contains("related pairs found with"), "{text}");
    }

    #[test]
    fn json_holds_every_measurement() {
        let r = fake_report();
        let value = serde_json::to_value(&r).unwrap();
        assert_eq!(value["seed"], 1);
        assert_eq!(value["runs"].as_array().unwrap().len(), 3);
        let run = &value["runs"][1];
        assert_eq!(run["docs"], 10_000);
        assert_eq!(run["wall_s"], 10.0);
        assert_eq!(run["articles_per_s"], 1000.0);
        assert_eq!(run["vs_tokenize"], 10.0);
        assert_eq!(run["analysis"]["stats"]["aligned_pairs"], 120_000);
        assert_eq!(run["analysis"]["align_s"], 8.0);
        assert_eq!(run["tokenize"]["tokens"], 5_000_000);
        assert_eq!(run["quality"]["recall"], 0.94);
        assert_eq!(value["growth_10k_100k"], 10.0);
        assert_eq!(value["targets"][0]["status"], "not_met");
        assert_eq!(value["targets"][1]["status"], "met");
        assert!(value["brute_force"].is_null());
    }

    #[test]
    fn timings_line_is_found_among_diagnostics() {
        let stderr = "stemma: a.jsonl:3: not valid JSON; skipped\n\
            {\"read_s\":0.5,\"documents_s\":1.0,\"candidates_s\":0.1,\"align_s\":2.0,\"graph_s\":0.1,\
            \"write_s\":0.2,\"total_s\":4.0,\"peak_rss_bytes\":1048576,\"stats\":{\"documents\":3,\
            \"all_pairs\":3,\"aligned_pairs\":2,\"related_pairs\":1,\"banal_features\":0,\"repeated_lines\":0}}\n";
        let t = AnalyzeTimings::find(stderr).expect("a timings line");
        assert_eq!((t.align_s, t.stats.aligned_pairs), (2.0, 2));
        assert_eq!(t.peak_rss_bytes, Some(1 << 20));
        assert_eq!(AnalyzeTimings::find("stemma: error: x\n{broken"), None);
    }

    #[test]
    fn reports_are_compared_by_pairs_and_edges() {
        let report = |pairs: &str, edges: &str| {
            Report::parse(&format!(
                r#"{{"documents": [{{"id": "a"}}, {{"id": "b"}}, {{"id": "c"}}], "pairs": [{pairs}],
                    "nodes": [], "edges": [{edges}], "families": []}}"#
            ))
            .unwrap()
        };
        let ab = r#"{"a": "b", "b": "a", "relation": "rewrite"}"#;
        let bc = r#"{"a": "b", "b": "c", "relation": "partial"}"#;
        let edge = r#"{"source": "a", "target": "b", "relation": "rewrite", "direction": "timestamp", "confidence": 0.51234}"#;
        let one = report(ab, edge);
        let same = compare(
            3,
            BruteForceSide::default(),
            &one,
            BruteForceSide::default(),
            &one,
        );
        assert!(same.identical);
        assert_eq!(same.related_only_all_pairs.count, 0);
        let other = report(
            &format!("{ab}, {bc}"),
            &edge.replace("timestamp", "evidence"),
        );
        let d = compare(
            3,
            BruteForceSide::default(),
            &one,
            BruteForceSide::default(),
            &other,
        );
        assert!(!d.identical);
        assert_eq!(d.related_only_candidates.count, 0);
        assert_eq!(
            d.related_only_all_pairs.first,
            vec!["b ~ c: partial".to_string()]
        );
        assert_eq!(
            d.edges_only_candidates.first,
            vec!["a → b (rewrite, timestamp, 0.5123)".to_string()]
        );
        assert_eq!(d.edges_only_all_pairs.count, 1);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_999_000), "1,999,000");
    }
}
