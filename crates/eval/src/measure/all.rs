//! `stemma measure all`: every quality number in one table.
//!
//! Runs, with the default settings, what the single commands measure: `stemma eval` on the seed corpus
//! (`SHARED/seeds`) and on the demo corpus (`EXAMPLES`), `stemma measure alignments` on the demo
//! corpus's gold alignments, `stemma measure clough` and `stemma measure clough-corpus` on
//! `SHARED/benchmarks/clough-stevenson`, and `stemma measure mrpc` on `SHARED/benchmarks/mrpc`.
//! Each number is one row, with the baselines measured in the same run beside it.
//!
//! A benchmark whose folder or file is missing (or fails) gets one row saying so; the others are
//! still measured, and the result says it is not complete (the command then exits with status 1).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use stemma_graph::{AnalyzeOptions, Article, Decision, Diagnostic, analyze};

use super::small_corpora::small_corpus_scores;
use super::{BenchmarkDirs, MeasureError, clough, clough_corpus, fit, gold, mrpc};
use crate::truth::{Evaluation, Predicted, Truth, score};

/// Which way a number of [`AllResult`] is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better.
    Higher,
    /// Lower is better (false links).
    Lower,
    /// For information (a baseline, an ablation, a work count).
    Info,
}

/// What a [`QualityRow`]'s value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowUnit {
    /// A number in [0, 1] (or a correlation in [−1, 1]).
    Ratio,
    /// A count, out of `out_of`.
    Count,
    /// Milliseconds.
    Ms,
}

/// One number of the table of [`AllResult`].
#[derive(Debug, Clone, Serialize)]
pub struct QualityRow {
    /// Stable name of the number, `benchmark.measure` (what tests and scripts look up).
    pub key: String,
    /// The benchmark, as shown.
    pub benchmark: String,
    /// What is measured, as shown.
    pub measure: String,
    /// The number; null when the benchmark could not be measured.
    pub value: Option<f64>,
    /// What `value` is.
    pub unit: RowUnit,
    /// For counts: out of how many.
    pub out_of: Option<usize>,
    /// Which way is better.
    pub better: Better,
    /// Baselines measured in the same run, as shown.
    pub reference: String,
    /// Anything else to know (or why the benchmark was not measured).
    pub note: String,
}

/// Everything `stemma measure all` prints: what [`measure_all`] returns.
#[derive(Debug, Clone, Serialize)]
pub struct AllResult {
    /// The shared data folder used.
    pub shared: String,
    /// The demo corpus folder used.
    pub examples: String,
    /// Whether every benchmark was measured.
    pub complete: bool,
    /// The benchmarks not measured, and why.
    pub problems: Vec<String>,
    /// Every number.
    pub rows: Vec<QualityRow>,
    /// Wall time of the whole run, in seconds.
    pub seconds: f64,
    /// What reading the corpora met (files left out, limits reached), in reading order; not part
    /// of the JSON (`stemma measure all` prints them on standard error).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// Rows of one benchmark under construction.
struct Section {
    key: &'static str,
    name: String,
    rows: Vec<QualityRow>,
    /// What reading its corpus met.
    diagnostics: Vec<Diagnostic>,
}

impl Section {
    fn new(key: &'static str, name: String) -> Self {
        Section {
            key,
            name,
            rows: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn push(
        &mut self,
        key: &str,
        measure: &str,
        value: f64,
        unit: RowUnit,
        better: Better,
    ) -> &mut QualityRow {
        self.rows.push(QualityRow {
            key: format!("{}.{key}", self.key),
            benchmark: self.name.clone(),
            measure: measure.to_string(),
            value: value.is_finite().then_some(value),
            unit,
            out_of: None,
            better,
            reference: String::new(),
            note: String::new(),
        });
        let last = self.rows.len() - 1;
        &mut self.rows[last]
    }

    fn ratio(&mut self, key: &str, measure: &str, value: f64, better: Better) -> &mut QualityRow {
        self.push(key, measure, value, RowUnit::Ratio, better)
    }

    fn optional_ratio(&mut self, key: &str, measure: &str, value: Option<f64>) -> &mut QualityRow {
        let row = self.ratio(key, measure, value.unwrap_or(f64::NAN), Better::Higher);
        if value.is_none() {
            row.note = "undefined (nothing to count)".to_string();
        }
        row
    }

    fn count(
        &mut self,
        key: &str,
        measure: &str,
        count: usize,
        out_of: usize,
        better: Better,
    ) -> &mut QualityRow {
        let row = self.push(key, measure, count as f64, RowUnit::Count, better);
        row.out_of = Some(out_of);
        row
    }
}

impl QualityRow {
    fn reference(&mut self, reference: impl Into<String>) -> &mut Self {
        self.reference = reference.into();
        self
    }

    fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.note = note.into();
        self
    }
}

/// Fails with "not found" unless every path exists.
fn require(paths: &[&Path]) -> Result<(), MeasureError> {
    for path in paths {
        if !path.exists() {
            return Err(MeasureError::NotFound {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// The corpus in `dir` (read as `stemma eval DIR` reads it) analysed and scored against `truth`;
/// what reading it met goes to the section's diagnostics.
fn evaluate(section: &mut Section, dir: &Path, truth: &Path) -> Result<Evaluation, MeasureError> {
    let (articles, truth) = labelled(section, dir, truth)?;
    let analysis = analyze(articles, &AnalyzeOptions::default());
    Ok(score(&truth, &Predicted::from_analysis(&analysis)))
}

/// The articles of the folder `dir` (their input diagnostics into `section`) and the truth file
/// `truth`; an error when either is missing or no article could be read.
fn labelled(
    section: &mut Section,
    dir: &Path,
    truth: &Path,
) -> Result<(Vec<Article>, Truth), MeasureError> {
    require(&[dir, truth])?;
    let truth = Truth::load(truth)?;
    let loaded = stemma_input::load_inputs(&[dir.to_path_buf()], None, &mut std::io::empty());
    section.diagnostics.extend(loaded.diagnostics);
    if loaded.articles.is_empty() {
        return Err(MeasureError::Invalid(format!(
            "{}: no article could be read",
            dir.display()
        )));
    }
    Ok((loaded.articles, truth))
}

/// The rows `stemma eval` gives for one corpus.
fn truth_rows(section: &mut Section, e: &Evaluation) {
    let r = &e.related;
    let pairs = format!("{} truth pairs, {} predicted", r.truth, r.predicted);
    section
        .optional_ratio("related_precision", "related pairs: precision", r.precision)
        .note(pairs.clone());
    section
        .optional_ratio("related_recall", "related pairs: recall", r.recall)
        .note(pairs.clone());
    section
        .optional_ratio("related_f1", "related pairs: F1", r.f1)
        .note(pairs);
    let i = &e.independent;
    section
        .count(
            "independent_linked",
            "independent pairs linked",
            i.linked,
            i.pairs,
            Better::Lower,
        )
        .note(if i.linked_pairs.is_empty() {
            format!("in one family: {}", i.same_family)
        } else {
            format!(
                "linked: {}",
                i.linked_pairs
                    .iter()
                    .map(|[a, b]| format!("{a} ~ {b}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    let m = &e.missing_sources;
    let row = section.count(
        "missing_sources_found",
        "missing-source families found",
        m.found,
        m.assessed,
        Better::Higher,
    );
    if m.assessed == 0 {
        row.note("no family built on a missing source");
    }
    let o = &e.orientation;
    let row = section.count(
        "orientation_right",
        "derivations oriented right",
        o.right,
        o.evaluated,
        Better::Higher,
    );
    if o.evaluated == 0 {
        row.note(format!(
            "none evaluated ({} with a side missing from the corpus, {} undated)",
            o.not_in_corpus, o.untimed
        ));
    } else {
        row.note(format!(
            "reversed {}, undetermined {}, absent {}",
            o.reversed, o.undetermined, o.absent
        ));
    }
    let c = &e.chains;
    let row = section.count(
        "chains_parent_correct",
        "derived articles under their true parent",
        c.parent_correct,
        c.evaluated,
        Better::Higher,
    );
    if c.evaluated == 0 {
        row.note("none evaluated (no parent in the corpus)");
    } else {
        row.note(format!(
            "flattened {}, elsewhere {}, nowhere {}",
            c.flattened, c.elsewhere, c.nowhere
        ));
    }
}

fn seeds(section: &mut Section, shared: &Path) -> Result<(), MeasureError> {
    let dir = shared.join("seeds");
    let e = evaluate(section, &dir, &dir.join("truth.json"))?;
    truth_rows(section, &e);
    Ok(())
}

fn demo(section: &mut Section, examples: &Path) -> Result<(), MeasureError> {
    let e = evaluate(section, examples, &examples.join("truth.json"))?;
    truth_rows(section, &e);
    Ok(())
}

fn demo_alignments(section: &mut Section, examples: &Path) -> Result<(), MeasureError> {
    gold_rows(section, examples, &examples.join("alignments.json"))
}

fn pressroom(section: &mut Section, pressroom: &Path) -> Result<(), MeasureError> {
    let e = evaluate(
        section,
        &pressroom.join("corpus"),
        &pressroom.join("truth.json"),
    )?;
    truth_rows(section, &e);
    Ok(())
}

/// The pressroom one event at a time, and a few of an event's pages at a time
/// ([`small_corpus_scores`]): the default decision's links, the learned decision's beside them.
fn pressroom_events(section: &mut Section, pressroom: &Path) -> Result<(), MeasureError> {
    let (articles, truth) = labelled(
        section,
        &pressroom.join("corpus"),
        &pressroom.join("truth.json"),
    )?;
    let default = small_corpus_scores(
        &articles,
        &truth,
        AnalyzeOptions::default().relation.decision,
    );
    let learned = small_corpus_scores(&articles, &truth, Decision::Learned);
    for (d, l) in default.iter().zip(&learned) {
        let (key, folders) = match d.size {
            None => ("whole".to_string(), "each event's pages alone".to_string()),
            Some(size) => (
                size.to_string(),
                format!("{size} pages of one event at a time"),
            ),
        };
        let draws = format!("{} folders", d.draws);
        section
            .count(
                &format!("related_linked_{key}"),
                &format!("related pairs found, {folders}"),
                d.related_linked,
                d.related,
                Better::Higher,
            )
            .reference(format!("learned {} of {}", l.related_linked, l.related))
            .note(draws.clone());
        section
            .count(
                &format!("independent_linked_{key}"),
                &format!("independent pairs linked, {folders}"),
                d.independent_linked,
                d.independent,
                Better::Lower,
            )
            .reference(format!(
                "learned {} of {}",
                l.independent_linked, l.independent
            ))
            .note(draws);
    }
    Ok(())
}

/// METER showbiz scored as its README says: one analysis of every PA text and newspaper story; a
/// story counts as derived when linked to one of its own PA texts.
fn meter(section: &mut Section, shared: &Path) -> Result<(), MeasureError> {
    let dir = shared.join("benchmarks").join("meter-showbiz");
    let m = fit::meter_default(&dir)?;
    let note = format!(
        "{} stories; derived linked {} of {}",
        m.stories, m.derived_linked, m.derived
    );
    section
        .ratio(
            "story_accuracy",
            "stories called derived or not correctly",
            m.accuracy,
            Better::Higher,
        )
        .reference(format!("always \"derived\" {:.3}", m.majority))
        .note(note);
    section.count(
        "non_derived_linked",
        "non-derived stories linked to their PA copy",
        m.non_derived_linked,
        m.non_derived,
        Better::Lower,
    );
    section.count(
        "derived_linked",
        "derived stories linked to their PA copy",
        m.derived_linked,
        m.derived,
        Better::Higher,
    );
    Ok(())
}

/// Predicted sentence alignments of the corpus in `dir` against `gold_file`.
fn gold_rows(section: &mut Section, dir: &Path, gold_file: &Path) -> Result<(), MeasureError> {
    require(&[dir, gold_file])?;
    let g = gold::measure_alignments(dir, gold_file)?;
    let groups: usize = g.pairs.iter().map(|p| p.gold).sum();
    let predicted: usize = g.pairs.iter().map(|p| p.predicted).sum();
    let note = format!(
        "{} pairs, {groups} gold groups, {predicted} predicted",
        g.pairs.len()
    );
    section
        .ratio(
            "precision",
            "gold alignments: precision",
            g.precision,
            Better::Higher,
        )
        .note(note.clone());
    section
        .ratio(
            "recall",
            "gold alignments: recall",
            g.recall,
            Better::Higher,
        )
        .note(note.clone());
    section
        .ratio("f1", "gold alignments: F1", g.f1, Better::Higher)
        .note(note);
    Ok(())
}

fn clough_dir(shared: &Path) -> PathBuf {
    shared.join("benchmarks").join("clough-stevenson")
}

fn clough_coverage(section: &mut Section, shared: &Path) -> Result<(), MeasureError> {
    let dir = clough_dir(shared);
    require(&[&dir])?;
    let r = clough::measure_clough(&dir)?;
    let [stemma, baseline] = r.scores.as_slice() else {
        return Err(MeasureError::Invalid(
            "expected stemma's score and the baseline's".to_string(),
        ));
    };
    let reference = |v: f64| format!("1-gram containment {v:.3}");
    let note = format!("{} answers, each aligned with its own source", r.answers);
    section
        .ratio(
            "auc_heavy_non",
            "coverage ROC AUC heavy ~ non",
            stemma.auc_heavy_vs_non,
            Better::Higher,
        )
        .reference(reference(baseline.auc_heavy_vs_non))
        .note(note.clone());
    section
        .ratio(
            "auc_derived_non",
            "coverage ROC AUC derived ~ non",
            stemma.auc_derived_vs_non,
            Better::Higher,
        )
        .reference(reference(baseline.auc_derived_vs_non))
        .note(note.clone());
    section
        .ratio(
            "spearman_grade",
            "Spearman coverage ~ cut>light>heavy>non",
            stemma.spearman_grade,
            Better::Higher,
        )
        .reference(reference(baseline.spearman_grade))
        .note(note);
    let m = stemma.mean_by_category;
    section
        .ratio(
            "auc_light_heavy",
            "coverage ROC AUC light ~ heavy",
            stemma.auc_light_vs_heavy,
            Better::Info,
        )
        .reference(reference(baseline.auc_light_vs_heavy))
        .note(format!(
            "mean coverage cut/light/heavy/non {:.2}/{:.2}/{:.2}/{:.2}",
            m[0], m[1], m[2], m[3]
        ));
    Ok(())
}

fn clough_corpus(section: &mut Section, shared: &Path) -> Result<(), MeasureError> {
    let dir = clough_dir(shared);
    require(&[&dir])?;
    let r = clough_corpus::measure_clough_corpus(&dir)?;
    let category = |name: &str| -> Result<clough_corpus::CategoryLinks, MeasureError> {
        match r.category(name) {
            Some(c) => Ok(c.clone()),
            None => Err(MeasureError::Invalid(format!(
                "no {name} answer in labels.csv"
            ))),
        }
    };
    for name in ["cut", "light", "heavy"] {
        let c = category(name)?;
        let relations: Vec<String> = c
            .relations_to_source
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        section
            .count(
                &format!("{name}_linked_to_source"),
                &format!("{name} answers linked to their source"),
                c.linked_to_source,
                c.answers,
                Better::Higher,
            )
            .note(relations.join(", "));
    }
    let non = category("non")?;
    let linked: Vec<String> = r.linked_non.iter().map(|n| n.answer.clone()).collect();
    section
        .count(
            "non_linked_to_anything",
            "non answers linked to anything",
            non.linked_to_anything,
            non.answers,
            Better::Lower,
        )
        .note(linked.join(", "));
    section.count(
        "non_linked_to_source",
        "non answers linked to their task's source",
        non.linked_to_source,
        non.answers,
        Better::Lower,
    );
    section.count(
        "cross_task_linked",
        "pairs across tasks linked",
        r.cross_task.linked,
        r.cross_task.pairs,
        Better::Lower,
    );
    section
        .count(
            "derived_same_task_linked",
            "derived answers of one task linked to each other",
            r.derived_same_task.linked,
            r.derived_same_task.pairs,
            Better::Info,
        )
        .note("they share text only through the source; their authors chose their own passages");
    section
        .count(
            "aligned_pairs",
            "candidate pairs aligned",
            r.aligned_pairs,
            r.all_pairs,
            Better::Info,
        )
        .note(format!(
            "{} texts, {} related pairs",
            r.documents, r.related_pairs
        ));
    section
        .push(
            "analysis_ms",
            "wall time of the analysis",
            r.analysis_ms,
            RowUnit::Ms,
            Better::Info,
        )
        .note(format!(
            "{} threads",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        ));
    Ok(())
}

fn mrpc_rows(section: &mut Section, shared: &Path) -> Result<(), MeasureError> {
    let dir = shared.join("benchmarks").join("mrpc");
    require(&[&dir])?;
    let r = mrpc::measure_mrpc(&dir)?;
    let system = |prefix: &str| -> Result<&mrpc::MrpcSystem, MeasureError> {
        match r.systems.iter().find(|s| s.system.starts_with(prefix)) {
            Some(s) => Ok(s),
            None => Err(MeasureError::Invalid(format!(
                "no system {prefix:?} measured"
            ))),
        }
    };
    let jaccard = system("baseline: word-unigram Jaccard")?;
    let reference = format!(
        "Jaccard {:.3}, majority {:.3}",
        jaccard.test_accuracy, r.majority_accuracy
    );
    let threshold = |s: &mrpc::MrpcSystem| {
        format!(
            "t = {:.3} chosen on {} train pairs (train accuracy {:.3}); {} test pairs",
            s.threshold, r.train_pairs, s.train_accuracy, r.test_pairs
        )
    };
    for (key, prefix, measure, better) in [
        (
            "default",
            "stemma similarity (default)",
            "test accuracy, default similarity",
            Better::Higher,
        ),
        (
            "stop_words",
            "stemma with stop words",
            "test accuracy, stop words weighted 1.5",
            Better::Higher,
        ),
        (
            "no_thesaurus",
            "stemma without thesaurus",
            "test accuracy, without thesaurus (ablation)",
            Better::Info,
        ),
        (
            "background",
            "stemma, background weights only",
            "test accuracy, background weights only (ablation)",
            Better::Info,
        ),
        (
            "sentence_model",
            "stemma sentence model",
            "test accuracy, learned sentence-pair model (fitted on train)",
            Better::Higher,
        ),
    ] {
        let s = system(prefix)?;
        section
            .ratio(&format!("{key}_accuracy"), measure, s.test_accuracy, better)
            .reference(reference.clone())
            .note(threshold(s));
    }
    for (key, prefix, measure) in [
        (
            "default",
            "stemma similarity (default)",
            "test F1, default similarity",
        ),
        (
            "stop_words",
            "stemma with stop words",
            "test F1, stop words weighted 1.5",
        ),
        (
            "sentence_model",
            "stemma sentence model",
            "test F1, learned sentence-pair model",
        ),
    ] {
        let s = system(prefix)?;
        section
            .ratio(&format!("{key}_f1"), measure, s.test_f1, Better::Higher)
            .reference(format!("Jaccard {:.3}", jaccard.test_f1));
    }
    section
        .ratio(
            "jaccard_accuracy",
            "baseline: word-unigram Jaccard, test accuracy",
            jaccard.test_accuracy,
            Better::Info,
        )
        .note(threshold(jaccard));
    section.ratio(
        "majority_accuracy",
        "baseline: majority class, test accuracy",
        r.majority_accuracy,
        Better::Info,
    );
    Ok(())
}

/// Measures every quality number with the default settings (`stemma measure all`): the seeds, the
/// demo corpus, the pressroom and their gold alignments, METER showbiz, Clough–Stevenson (answer by
/// answer and as one corpus) and MRPC, each number a row with the baselines measured in the same run.
///
/// A benchmark that cannot be measured (a folder or file missing, or an error) gets one
/// `NOT MEASURED` row and a line in [`AllResult::problems`]; the others are still measured. Takes
/// about a minute with the shared data.
///
/// ```
/// use std::path::PathBuf;
///
/// let dirs = stemma_eval::BenchmarkDirs {
///     shared: PathBuf::from("no-shared-data-here"),
///     examples: PathBuf::from("../../examples"),
///     pressroom: PathBuf::from("no-pressroom-here"),
/// };
/// let result = stemma_eval::measure_all(&dirs);
/// assert!(!result.complete);
/// // The demo corpus needs no shared data: it is still measured.
/// let recall = result.rows.iter().find(|r| r.key == "demo.related_recall").unwrap();
/// assert_eq!(recall.value, Some(1.0));
/// ```
pub fn measure_all(dirs: &BenchmarkDirs) -> AllResult {
    let started = Instant::now();
    let shared = &dirs.shared;
    let examples = &dirs.examples;
    type Runner<'a> = Box<dyn Fn(&mut Section) -> Result<(), MeasureError> + 'a>;
    let benchmarks: Vec<(&'static str, String, Runner<'_>)> = vec![
        (
            "seeds",
            format!("seeds ({})", shared.join("seeds").display()),
            Box::new(|s| seeds(s, shared)),
        ),
        (
            "demo",
            format!("demo corpus ({})", examples.display()),
            Box::new(|s| demo(s, examples)),
        ),
        (
            "demo_alignments",
            "demo corpus, gold alignments".to_string(),
            Box::new(|s| demo_alignments(s, examples)),
        ),
        (
            "seed_alignments",
            "seeds, gold alignments (tests/data/seeds-alignments.json)".to_string(),
            Box::new(|s| {
                let gold = dirs.pressroom.join("../seeds-alignments.json");
                gold_rows(s, &shared.join("seeds"), &gold)
            }),
        ),
        (
            "pressroom",
            format!("pressroom ({})", dirs.pressroom.display()),
            Box::new(|s| pressroom(s, &dirs.pressroom)),
        ),
        (
            "pressroom_events",
            "pressroom, one event at a time".to_string(),
            Box::new(|s| pressroom_events(s, &dirs.pressroom)),
        ),
        (
            "pressroom_alignments",
            "pressroom, gold alignments".to_string(),
            Box::new(|s| {
                gold_rows(
                    s,
                    &dirs.pressroom.join("corpus"),
                    &dirs.pressroom.join("alignments.json"),
                )
            }),
        ),
        (
            "meter",
            "METER showbiz (PA copy → newspapers)".to_string(),
            Box::new(|s| meter(s, shared)),
        ),
        (
            "clough",
            "Clough–Stevenson, answer ~ own source".to_string(),
            Box::new(|s| clough_coverage(s, shared)),
        ),
        (
            "clough_corpus",
            "Clough–Stevenson as one corpus".to_string(),
            Box::new(|s| clough_corpus(s, shared)),
        ),
        (
            "mrpc",
            "MRPC".to_string(),
            Box::new(|s| mrpc_rows(s, shared)),
        ),
    ];
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut diagnostics = Vec::new();
    for (key, name, runner) in benchmarks {
        let mut section = Section::new(key, name);
        let outcome = runner(&mut section);
        diagnostics.append(&mut section.diagnostics);
        match outcome {
            Ok(()) => rows.extend(section.rows),
            Err(error) => {
                let why = error.chain();
                problems.push(format!("{}: {why}", section.name));
                rows.push(QualityRow {
                    key: key.to_string(),
                    benchmark: section.name,
                    measure: "NOT MEASURED".to_string(),
                    value: None,
                    unit: RowUnit::Ratio,
                    out_of: None,
                    better: Better::Info,
                    reference: String::new(),
                    note: why,
                });
            }
        }
    }
    AllResult {
        shared: shared.display().to_string(),
        examples: examples.display().to_string(),
        complete: problems.is_empty(),
        problems,
        rows,
        seconds: (started.elapsed().as_secs_f64() * 100.0).round() / 100.0,
        diagnostics,
    }
}

/// A row's value as shown.
fn show(row: &QualityRow) -> String {
    let Some(v) = row.value else {
        return "—".to_string();
    };
    match (row.unit, row.out_of) {
        (RowUnit::Count, Some(0)) => "—".to_string(),
        (RowUnit::Count, Some(n)) if n <= 100 => format!("{v:.0} of {n}"),
        (RowUnit::Count, Some(n)) => format!("{v:.0} of {n} ({:.1}%)", 100.0 * v / n as f64),
        (RowUnit::Count, None) => format!("{v:.0}"),
        (RowUnit::Ratio, _) => format!("{v:.3}"),
        (RowUnit::Ms, _) => format!("{v:.0} ms"),
    }
}

impl AllResult {
    /// Writes the table for people (`stemma measure all`), ending with the benchmarks not measured.
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let r = self;
        writeln!(
            out,
            "stemma quality, default settings (shared data: {}, demo corpus: {})",
            r.shared, r.examples
        )?;
        let goal = |b: Better| match b {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::Info => "info",
        };
        let mut last = "";
        for row in &r.rows {
            if row.benchmark != last {
                writeln!(out, "\n{}", row.benchmark)?;
                writeln!(
                    out,
                    "  {:<50} {:>20}  {:<6}  {:<34} note",
                    "measure", "stemma", "better", "reference (same run)"
                )?;
                last = &row.benchmark;
            }
            let line = format!(
                "  {:<50} {:>20}  {:<6}  {:<34} {}",
                row.measure,
                show(row),
                goal(row.better),
                if row.reference.is_empty() {
                    "—"
                } else {
                    &row.reference
                },
                row.note
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        writeln!(out, "\nmeasured in {:.2} s", r.seconds)?;
        if !r.problems.is_empty() {
            writeln!(out, "NOT MEASURED:")?;
            for p in &r.problems {
                writeln!(out, "  {p}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unit: RowUnit, value: Option<f64>, out_of: Option<usize>) -> QualityRow {
        QualityRow {
            key: "b.k".to_string(),
            benchmark: "bench".to_string(),
            measure: "m".to_string(),
            value,
            unit,
            out_of,
            better: Better::Higher,
            reference: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn values_are_shown_by_unit() {
        assert_eq!(show(&row(RowUnit::Ratio, Some(0.8766), None)), "0.877");
        assert_eq!(show(&row(RowUnit::Ratio, None, None)), "—");
        assert_eq!(show(&row(RowUnit::Count, Some(3.0), Some(5))), "3 of 5");
        assert_eq!(show(&row(RowUnit::Count, Some(0.0), Some(0))), "—");
        assert_eq!(
            show(&row(RowUnit::Count, Some(146.0), Some(2049))),
            "146 of 2049 (7.1%)"
        );
        assert_eq!(show(&row(RowUnit::Ms, Some(151.6), None)), "152 ms");
    }

    #[test]
    fn every_benchmark_without_its_data_is_one_row_not_measured() {
        let missing = PathBuf::from("no-such-folder-for-stemma-eval");
        let dirs = BenchmarkDirs {
            shared: missing.clone(),
            examples: missing.clone(),
            pressroom: missing.clone(),
        };
        let result = measure_all(&dirs);
        let keys: Vec<&str> = result.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "seeds",
                "demo",
                "demo_alignments",
                "seed_alignments",
                "pressroom",
                "pressroom_events",
                "pressroom_alignments",
                "meter",
                "clough",
                "clough_corpus",
                "mrpc"
            ]
        );
        assert!(result.rows.iter().all(|r| r.measure == "NOT MEASURED"));
        assert!(!result.complete);
        assert_eq!(result.problems.len(), 11);
        assert_eq!(
            result.problems[0],
            "seeds (no-such-folder-for-stemma-eval/seeds): no-such-folder-for-stemma-eval/seeds not found"
        );
        let mut text = Vec::new();
        result.write_text(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.contains("\nNOT MEASURED:\n  seeds (no-such-folder"),
            "{text}"
        );
        // The JSON has no diagnostics field: they go to standard error.
        let json = serde_json::to_value(&result).unwrap();
        assert!(json.get("diagnostics").is_none());
        assert_eq!(json["rows"].as_array().map(Vec::len), Some(11));
    }
}
