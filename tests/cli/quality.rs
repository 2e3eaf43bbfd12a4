//! Regression floors of stemma's quality numbers (`stemma measure all`, docs/quality.md).
//!
//! A floor may only rise, and only with the measurement that justifies it.
//!
//! `stemma measure all --format json` is run once for all the tests here (on `../shared` beside the
//! repository and on `examples/`), and each number the table judges (better `higher` or `lower`) is
//! checked against its bound below: at least its floor, or at most its ceiling for false links.
//! Floors are the measured value less a small margin (0.01 for AUCs and accuracies, 0.02 for
//! Spearman's rho); counts of small sets and ratios of them are held exactly. Every constant says what
//! was measured and when. These tests need the shared benchmarks beside the repository, so they are
//! ignored by a plain `cargo test` and run with `--include-ignored` (as `.ci/run` does); run so
//! without `../shared`, they fail, saying so.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;

use crate::common::{EXAMPLES, stemma};

/// The hard-negative corpus in the repository.
const PRESSROOM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/pressroom");

/// The shared data beside the repository.
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

// ---------------------------------------------------------------------------------------------
// The floors. Measured on 2026-11-21 (commit 153a547 with `stemma measure all`).

/// Seeds: precision of related pairs. Measured 1.000 (3 of 3 predicted) on 2026-11-21.
const SEEDS_RELATED_PRECISION: f64 = 1.0;
/// Seeds: recall of related pairs. Measured 1.000 (3 of 3 truth pairs) on 2026-11-21.
const SEEDS_RELATED_RECALL: f64 = 1.0;
/// Seeds: F1 of related pairs. Measured 1.000 on 2026-11-21.
const SEEDS_RELATED_F1: f64 = 1.0;
/// Seeds: independent pairs linked, a ceiling. Measured 0 of 7 on 2026-11-21.
const SEEDS_INDEPENDENT_LINKED_MAX: u32 = 0;
/// Seeds: families built on a missing source that got a missing-source node. Measured 1 of 1 on
/// 2026-11-21.
const SEEDS_MISSING_SOURCES_FOUND: u32 = 1;
/// Seeds: derivations oriented right. Measured 0 of 0 (every derived pair has a missing side) on
/// 2026-11-21.
const SEEDS_ORIENTATION_RIGHT: u32 = 0;
/// Seeds: derived articles under their true parent. Measured 0 of 0 on 2026-11-21.
const SEEDS_CHAINS_PARENT_CORRECT: u32 = 0;

/// Demo corpus: precision of related pairs. Measured 1.000 (10 of 10) on 2026-11-21.
const DEMO_RELATED_PRECISION: f64 = 1.0;
/// Demo corpus: recall of related pairs. Measured 1.000 (10 of 10) on 2026-11-21.
const DEMO_RELATED_RECALL: f64 = 1.0;
/// Demo corpus: F1 of related pairs. Measured 1.000 on 2026-11-21.
const DEMO_RELATED_F1: f64 = 1.0;
/// Demo corpus: independent pairs linked, a ceiling. Measured 0 of 5 on 2026-11-21.
const DEMO_INDEPENDENT_LINKED_MAX: u32 = 0;
/// Demo corpus: missing-source families found. Measured 0 of 0 (no missing source) on 2026-11-21.
const DEMO_MISSING_SOURCES_FOUND: u32 = 0;
/// Demo corpus: derivations oriented right. Measured 4 of 4 on 2026-11-21.
const DEMO_ORIENTATION_RIGHT: u32 = 4;
/// Demo corpus: derived articles under their true parent. Measured 4 of 4 on 2026-11-21.
const DEMO_CHAINS_PARENT_CORRECT: u32 = 4;
/// Demo corpus: precision of sentence alignments against the gold. Measured 0.952 (118 of 124
/// predicted groups) on 2026-11-21, 0.975 (118 of 121) on 2026-12-06 once headlines no longer align.
const DEMO_GOLD_PRECISION: f64 = 0.965;
/// Demo corpus: recall of sentence alignments against the gold. Measured 1.000 (118 of 118 gold
/// groups) on 2026-11-21.
const DEMO_GOLD_RECALL: f64 = 0.99;
/// Demo corpus: F1 of sentence alignments against the gold. Measured 0.975 on 2026-11-21, 0.987 on
/// 2026-12-06.
const DEMO_GOLD_F1: f64 = 0.977;

/// Clough–Stevenson: ROC AUC of coverage, heavy vs non. Measured 0.985 on 2026-11-21 (1-gram
/// containment: 0.996).
const CLOUGH_AUC_HEAVY_NON: f64 = 0.975;
/// Clough–Stevenson: ROC AUC of coverage, cut + light + heavy vs non. Measured 0.966 on 2026-11-21
/// (1-gram containment: 0.974).
const CLOUGH_AUC_DERIVED_NON: f64 = 0.956;
/// Clough–Stevenson: Spearman's rho of coverage with cut > light > heavy > non. Measured 0.721 on
/// 2026-11-21 (1-gram containment: 0.766).
const CLOUGH_SPEARMAN_GRADE: f64 = 0.70;

/// Clough–Stevenson as one corpus: cut answers linked to their source. Measured 15 of 19 on
/// 2026-11-21; raised to 16 with the measurement of 16 of 19 once repeated prose stopped counting as
/// furniture below a tenth of the corpus (same day).
const CLOUGH_CORPUS_CUT_LINKED: u32 = 16;
/// Clough–Stevenson as one corpus: light answers linked to their source. Measured 19 of 19 on
/// 2026-11-21.
const CLOUGH_CORPUS_LIGHT_LINKED: u32 = 19;
/// Clough–Stevenson as one corpus: heavy answers linked to their source. Measured 17 of 19 on
/// 2026-11-21.
const CLOUGH_CORPUS_HEAVY_LINKED: u32 = 17;
/// Clough–Stevenson as one corpus: non answers linked to anything, a ceiling. Measured 10 of 38 on
/// 2026-11-21, then 9 of 38 the same day after the furniture change (all to other answers of their
/// task, none to a source).
const CLOUGH_CORPUS_NON_LINKED_MAX: u32 = 9;
/// Clough–Stevenson as one corpus: non answers linked to their task's source, a ceiling. Measured 0
/// of 38 on 2026-11-21.
const CLOUGH_CORPUS_NON_LINKED_TO_SOURCE_MAX: u32 = 0;
/// Clough–Stevenson as one corpus: pairs of texts of different tasks linked, a ceiling. Measured 0
/// of 4,000 on 2026-11-21.
const CLOUGH_CORPUS_CROSS_TASK_LINKED_MAX: u32 = 0;

/// MRPC: test accuracy of the default similarity, threshold chosen on train. Measured 0.729 on
/// 2026-11-21 (word-unigram Jaccard: 0.730, majority: 0.665).
const MRPC_DEFAULT_ACCURACY: f64 = 0.719;
/// MRPC: test accuracy with stop words weighted 1.5. Measured 0.739 on 2026-11-21.
const MRPC_STOP_WORDS_ACCURACY: f64 = 0.729;
/// MRPC: test F1 (paraphrase class) of the default similarity. Measured 0.808 on 2026-11-21
/// (word-unigram Jaccard: 0.814).
const MRPC_DEFAULT_F1: f64 = 0.798;
/// MRPC: test F1 with stop words weighted 1.5. Measured 0.819 on 2026-11-21.
const MRPC_STOP_WORDS_F1: f64 = 0.809;
/// MRPC: test accuracy of the learned sentence-pair model (fitted and thresholded on train).
/// Measured 0.752 on 2026-12-07.
const MRPC_SENTENCE_MODEL_ACCURACY: f64 = 0.742;
/// MRPC: test F1 of the learned sentence-pair model. Measured 0.820 on 2026-12-07.
const MRPC_SENTENCE_MODEL_F1: f64 = 0.810;

/// Seeds: sentence alignments against the careful marking of `tests/data/seeds-alignments.json`.
/// Measured precision 0.862, recall 0.610, F1 0.714 (41 gold groups) on 2026-12-06; the issue's
/// target is recall 0.70 at precision 0.90.
const SEED_GOLD_PRECISION: f64 = 0.852;
const SEED_GOLD_RECALL: f64 = 0.600;
const SEED_GOLD_F1: f64 = 0.704;

/// Pressroom (hard negatives, default rules): related pairs. Measured precision 0.368, recall 0.885
/// (85 of 96), F1 0.520 on 2026-12-06.
const PRESSROOM_RELATED_PRECISION: f64 = 0.358;
const PRESSROOM_RELATED_RECALL: f64 = 0.885;
const PRESSROOM_RELATED_F1: f64 = 0.510;
/// Pressroom: independent pairs linked, a ceiling. Measured 146 of 2,049 on 2026-12-06 (the
/// issue's target is 0).
const PRESSROOM_INDEPENDENT_LINKED_MAX: u32 = 146;
/// Pressroom: missing sources found (4 of 6), derivations oriented right (17 of 30), articles under
/// their true parent (17 of 30), measured on 2026-12-06.
const PRESSROOM_MISSING_SOURCES_FOUND: u32 = 4;
const PRESSROOM_ORIENTATION_RIGHT: u32 = 17;
const PRESSROOM_CHAINS_PARENT_CORRECT: u32 = 17;
/// Pressroom, each event's eleven pages analysed alone: related pairs found. Measured 76 of 96 on
/// 2026-12-07 (the learned decision 72).
const PRESSROOM_EVENT_RELATED: u32 = 76;
/// Pressroom, each event's pages alone: independent pairs linked. Measured 123 of 234 on 2026-12-07
/// (the learned decision 22).
const PRESSROOM_EVENT_INDEPENDENT_MAX: u32 = 123;
/// Pressroom, 3 pages of one event at a time (48 folders): related pairs found. Measured 35 of 41
/// on 2026-12-07.
const PRESSROOM_EVENT_3_RELATED: u32 = 35;
/// Pressroom, 3 pages at a time: independent pairs linked. Measured 52 of 103 on 2026-12-07 (the
/// learned decision 83).
const PRESSROOM_EVENT_3_INDEPENDENT_MAX: u32 = 52;
/// Pressroom, 5 pages of one event at a time (48 folders): related pairs found. Measured 145 of 168
/// on 2026-12-07.
const PRESSROOM_EVENT_5_RELATED: u32 = 145;
/// Pressroom, 5 pages at a time: independent pairs linked. Measured 194 of 312 on 2026-12-07 (the
/// learned decision 213).
const PRESSROOM_EVENT_5_INDEPENDENT_MAX: u32 = 194;
/// Pressroom gold alignments. Measured precision 0.912, recall 0.972, F1 0.941 (427 gold groups) on
/// 2026-12-06.
const PRESSROOM_GOLD_PRECISION: f64 = 0.902;
const PRESSROOM_GOLD_RECALL: f64 = 0.962;
const PRESSROOM_GOLD_F1: f64 = 0.931;

/// METER showbiz: stories called right. Measured 0.520 (91 of 175; always "derived" 0.771) on
/// 2026-12-06; the floor is one story less.
const METER_STORY_ACCURACY: f64 = 0.514;
/// METER showbiz: non-derived stories linked, a ceiling. Measured 2 of 40 on 2026-12-06.
const METER_NON_DERIVED_LINKED_MAX: u32 = 2;
/// METER showbiz: derived stories linked. Measured 53 of 135 on 2026-12-06.
const METER_DERIVED_LINKED: u32 = 53;

/// A bound on one number of the table.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// A floor: the number must be at least this.
    AtLeast(f64),
    /// A ceiling: the number must be at most this.
    AtMost(f64),
}
use Bound::{AtLeast, AtMost};

/// Every judged number of `stemma measure all`, by row key, with its bound.
const BOUNDS: &[(&str, Bound)] = &[
    ("seeds.related_precision", AtLeast(SEEDS_RELATED_PRECISION)),
    ("seeds.related_recall", AtLeast(SEEDS_RELATED_RECALL)),
    ("seeds.related_f1", AtLeast(SEEDS_RELATED_F1)),
    (
        "seeds.independent_linked",
        AtMost(SEEDS_INDEPENDENT_LINKED_MAX as f64),
    ),
    (
        "seeds.missing_sources_found",
        AtLeast(SEEDS_MISSING_SOURCES_FOUND as f64),
    ),
    (
        "seeds.orientation_right",
        AtLeast(SEEDS_ORIENTATION_RIGHT as f64),
    ),
    (
        "seeds.chains_parent_correct",
        AtLeast(SEEDS_CHAINS_PARENT_CORRECT as f64),
    ),
    ("demo.related_precision", AtLeast(DEMO_RELATED_PRECISION)),
    ("demo.related_recall", AtLeast(DEMO_RELATED_RECALL)),
    ("demo.related_f1", AtLeast(DEMO_RELATED_F1)),
    (
        "demo.independent_linked",
        AtMost(DEMO_INDEPENDENT_LINKED_MAX as f64),
    ),
    (
        "demo.missing_sources_found",
        AtLeast(DEMO_MISSING_SOURCES_FOUND as f64),
    ),
    (
        "demo.orientation_right",
        AtLeast(DEMO_ORIENTATION_RIGHT as f64),
    ),
    (
        "demo.chains_parent_correct",
        AtLeast(DEMO_CHAINS_PARENT_CORRECT as f64),
    ),
    ("demo_alignments.precision", AtLeast(DEMO_GOLD_PRECISION)),
    ("demo_alignments.recall", AtLeast(DEMO_GOLD_RECALL)),
    ("demo_alignments.f1", AtLeast(DEMO_GOLD_F1)),
    ("seed_alignments.precision", AtLeast(SEED_GOLD_PRECISION)),
    ("seed_alignments.recall", AtLeast(SEED_GOLD_RECALL)),
    ("seed_alignments.f1", AtLeast(SEED_GOLD_F1)),
    (
        "pressroom.related_precision",
        AtLeast(PRESSROOM_RELATED_PRECISION),
    ),
    (
        "pressroom.related_recall",
        AtLeast(PRESSROOM_RELATED_RECALL),
    ),
    ("pressroom.related_f1", AtLeast(PRESSROOM_RELATED_F1)),
    (
        "pressroom.independent_linked",
        AtMost(PRESSROOM_INDEPENDENT_LINKED_MAX as f64),
    ),
    (
        "pressroom.missing_sources_found",
        AtLeast(PRESSROOM_MISSING_SOURCES_FOUND as f64),
    ),
    (
        "pressroom.orientation_right",
        AtLeast(PRESSROOM_ORIENTATION_RIGHT as f64),
    ),
    (
        "pressroom.chains_parent_correct",
        AtLeast(PRESSROOM_CHAINS_PARENT_CORRECT as f64),
    ),
    (
        "pressroom_events.related_linked_whole",
        AtLeast(PRESSROOM_EVENT_RELATED as f64),
    ),
    (
        "pressroom_events.independent_linked_whole",
        AtMost(PRESSROOM_EVENT_INDEPENDENT_MAX as f64),
    ),
    (
        "pressroom_events.related_linked_3",
        AtLeast(PRESSROOM_EVENT_3_RELATED as f64),
    ),
    (
        "pressroom_events.independent_linked_3",
        AtMost(PRESSROOM_EVENT_3_INDEPENDENT_MAX as f64),
    ),
    (
        "pressroom_events.related_linked_5",
        AtLeast(PRESSROOM_EVENT_5_RELATED as f64),
    ),
    (
        "pressroom_events.independent_linked_5",
        AtMost(PRESSROOM_EVENT_5_INDEPENDENT_MAX as f64),
    ),
    (
        "pressroom_alignments.precision",
        AtLeast(PRESSROOM_GOLD_PRECISION),
    ),
    (
        "pressroom_alignments.recall",
        AtLeast(PRESSROOM_GOLD_RECALL),
    ),
    ("pressroom_alignments.f1", AtLeast(PRESSROOM_GOLD_F1)),
    ("meter.story_accuracy", AtLeast(METER_STORY_ACCURACY)),
    (
        "meter.non_derived_linked",
        AtMost(METER_NON_DERIVED_LINKED_MAX as f64),
    ),
    ("meter.derived_linked", AtLeast(METER_DERIVED_LINKED as f64)),
    ("clough.auc_heavy_non", AtLeast(CLOUGH_AUC_HEAVY_NON)),
    ("clough.auc_derived_non", AtLeast(CLOUGH_AUC_DERIVED_NON)),
    ("clough.spearman_grade", AtLeast(CLOUGH_SPEARMAN_GRADE)),
    (
        "clough_corpus.cut_linked_to_source",
        AtLeast(CLOUGH_CORPUS_CUT_LINKED as f64),
    ),
    (
        "clough_corpus.light_linked_to_source",
        AtLeast(CLOUGH_CORPUS_LIGHT_LINKED as f64),
    ),
    (
        "clough_corpus.heavy_linked_to_source",
        AtLeast(CLOUGH_CORPUS_HEAVY_LINKED as f64),
    ),
    (
        "clough_corpus.non_linked_to_anything",
        AtMost(CLOUGH_CORPUS_NON_LINKED_MAX as f64),
    ),
    (
        "clough_corpus.non_linked_to_source",
        AtMost(CLOUGH_CORPUS_NON_LINKED_TO_SOURCE_MAX as f64),
    ),
    (
        "clough_corpus.cross_task_linked",
        AtMost(CLOUGH_CORPUS_CROSS_TASK_LINKED_MAX as f64),
    ),
    ("mrpc.default_accuracy", AtLeast(MRPC_DEFAULT_ACCURACY)),
    (
        "mrpc.stop_words_accuracy",
        AtLeast(MRPC_STOP_WORDS_ACCURACY),
    ),
    ("mrpc.default_f1", AtLeast(MRPC_DEFAULT_F1)),
    ("mrpc.stop_words_f1", AtLeast(MRPC_STOP_WORDS_F1)),
    (
        "mrpc.sentence_model_accuracy",
        AtLeast(MRPC_SENTENCE_MODEL_ACCURACY),
    ),
    ("mrpc.sentence_model_f1", AtLeast(MRPC_SENTENCE_MODEL_F1)),
];

// ---------------------------------------------------------------------------------------------
// Running `stemma measure all` once.

/// The output of `stemma measure all --format json`, rows by key.
struct Report {
    rows: BTreeMap<String, Value>,
    seconds: f64,
}

fn run_measure_all() -> Result<Report, String> {
    let started = Instant::now();
    let output = stemma()
        .args(["measure", "all", "--format", "json", "--shared", SHARED])
        .args(["--examples", EXAMPLES])
        .args(["--pressroom", PRESSROOM])
        .output()
        .map_err(|e| format!("cannot run stemma: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "stemma measure all failed ({}):\n{stderr}\n{stdout}",
            output.status
        ));
    }
    let report: Value = serde_json::from_str(&stdout)
        .map_err(|e| format!("stemma measure all printed no JSON ({e}):\n{stdout}"))?;
    let rows = report["rows"]
        .as_array()
        .ok_or_else(|| format!("no rows in:\n{stdout}"))?
        .iter()
        .map(|row| (row["key"].as_str().unwrap_or("").to_string(), row.clone()))
        .collect();
    Ok(Report { rows, seconds })
}

/// The report, measured once for every test of this file; fails when `../shared` is absent.
fn report() -> &'static Report {
    static REPORT: OnceLock<Result<Report, String>> = OnceLock::new();
    let shared = Path::new(SHARED);
    assert!(
        shared.join("benchmarks").is_dir() && shared.join("seeds").is_dir(),
        "the quality tests need the shared benchmarks beside the repository: {} (with seeds/ and \
         benchmarks/mrpc, benchmarks/clough-stevenson) was not found",
        shared.display()
    );
    match REPORT.get_or_init(run_measure_all) {
        Ok(report) => report,
        Err(message) => panic!("{message}"),
    }
}

/// Checks every bound whose key starts with `prefix`; fails once, naming each number below its floor
/// (or above its ceiling).
fn check(prefix: &str) {
    let report = report();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (key, bound) in BOUNDS.iter().filter(|(k, _)| k.starts_with(prefix)) {
        checked += 1;
        let Some(row) = report.rows.get(*key) else {
            failures.push(format!("{key}: not in the report"));
            continue;
        };
        let Some(value) = row["value"].as_f64() else {
            failures.push(format!("{key}: not measured ({})", row["note"]));
            continue;
        };
        let shown = format!("{key} ({}) = {value}", row["measure"]);
        match *bound {
            AtLeast(floor) if value < floor => failures.push(format!("{shown} < floor {floor}")),
            AtMost(ceiling) if value > ceiling => {
                failures.push(format!("{shown} > ceiling {ceiling}"));
            }
            _ => {}
        }
    }
    assert!(checked > 0, "no bound for {prefix}");
    assert!(
        failures.is_empty(),
        "quality below its floor (stemma measure all ran in {:.1} s):\n  {}",
        report.seconds,
        failures.join("\n  ")
    );
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn seeds_floors() {
    check("seeds.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn seed_gold_alignment_floors() {
    check("seed_alignments.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn pressroom_floors() {
    check("pressroom.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn pressroom_one_event_at_a_time_floors() {
    check("pressroom_events.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn pressroom_gold_alignment_floors() {
    check("pressroom_alignments.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn meter_floors() {
    check("meter.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn demo_corpus_floors() {
    check("demo.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn demo_gold_alignment_floors() {
    check("demo_alignments.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn clough_coverage_floors() {
    check("clough.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn clough_corpus_floors() {
    check("clough_corpus.");
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn mrpc_floors() {
    check("mrpc.");
}

/// A number the table judges cannot appear without a bound here, nor a bound outlive its number.
#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn every_judged_number_has_a_bound() {
    let report = report();
    let bounded: Vec<&str> = BOUNDS.iter().map(|(k, _)| *k).collect();
    for (key, row) in &report.rows {
        let judged = matches!(row["better"].as_str(), Some("higher" | "lower"));
        assert!(
            !judged || bounded.contains(&key.as_str()),
            "{key} is judged ({}) but has no bound in tests/cli/quality.rs",
            row["better"]
        );
    }
    for key in bounded {
        assert!(
            report.rows.contains_key(key),
            "bound for {key}, which stemma measure all no longer reports"
        );
    }
}

/// A missing folder is said in its row and makes the command fail, after the rest is printed.
#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn missing_shared_folder_is_reported_and_fails() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let absent = scratch.path().join("no-shared-here");
    let output = stemma()
        .args(["measure", "all", "--format", "json", "--examples", EXAMPLES])
        .arg("--shared")
        .arg(&absent)
        .output()
        .expect("running stemma");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["complete"], false);
    let rows = report["rows"].as_array().expect("rows");
    for key in ["seeds", "clough", "clough_corpus", "mrpc"] {
        let row = rows
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no NOT MEASURED row {key} in {report:#}"));
        assert_eq!(row["measure"], "NOT MEASURED");
        assert!(
            row["note"]
                .as_str()
                .is_some_and(|n| n.contains("not found")),
            "{row:#}"
        );
    }
    // The demo corpus does not need the shared data: it is still measured.
    assert!(
        rows.iter()
            .any(|r| r["key"] == "demo.related_f1" && r["value"].is_number()),
        "{report:#}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not measured"), "{stderr}");
}

/// `stemma measure fit`'s text report, run once.
fn fit_report() -> &'static str {
    static REPORT: OnceLock<String> = OnceLock::new();
    REPORT.get_or_init(|| {
        assert!(
            Path::new(SHARED).is_dir(),
            "../shared not found: this test needs the shared benchmarks beside the repository"
        );
        let out = stemma()
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .args(["measure", "fit", "--shared", SHARED])
            .output()
            .expect("running stemma measure fit");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    })
}

/// The independent pairs linked on the pressroom corpus in one section of the report.
fn pressroom_false_links(section: &str) -> u32 {
    let report = fit_report();
    let start = report.find(section).expect("the section is in the report");
    let line = report[start..]
        .lines()
        .find(|l| l.trim_start().starts_with("pressroom"))
        .expect("a pressroom row");
    let false_links = line
        .split_whitespace()
        .nth(4)
        .expect("the false-links column");
    false_links
        .split('/')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("false links as N/M")
}

#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn the_shipped_link_model_is_what_measure_fit_fits() {
    assert!(
        fit_report()
            .contains("shipped model (crates/graph/src/link_model.json): the same as this fit"),
        "refit with `cargo run --release -- measure fit --write`:\n{}",
        fit_report()
    );
}

/// On the hard-negative corpus, judged leave one story out, the learned decision links fewer
/// independent pairs than the rules. Measured 34 against 146 (of 2,049) on 2026-12-07.
#[test]
#[ignore = "needs ../shared (the shared benchmarks)"]
fn the_learned_decision_links_fewer_independent_reports_than_the_rules_out_of_sample() {
    let rules = pressroom_false_links("the rules (`--decision rules`");
    let learned = pressroom_false_links("leave one story out");
    assert!(
        rules <= PRESSROOM_INDEPENDENT_LINKED_MAX,
        "the rules link {rules} independent pairs"
    );
    // Measured 34 of 2,049 on 2026-12-07, since the natural generator's corpus joined the training
    // data (15 without it, which found 0.729 of the natural generator's related pairs; 18 for the
    // rules' veto model of 2026-12-06).
    assert!(
        learned <= 36 && learned * 4 < rules,
        "learned (LOSO) links {learned} independent pairs"
    );
}
