//! `stemma bench generate` end to end: a planted-reuse corpus written to a folder, then scored by
//! `stemma eval` against the truth it came with.

use std::path::Path;

use serde_json::Value;

use crate::common::stemma;

// Floors of the analysis on `stemma bench generate --docs 200 --seed 7`, measured on 2026-11-21
// (commit of `bench generate`, analyzer of f19cb77): related precision 0.9974 (385 of 386 predicted),
// recall 0.9722 (385 of 396 truth pairs), 0 of 117 independent pairs linked. Floors are a little
// below what was measured; they may only rise.
/// Related-pair precision floor (measured 0.9974 on 2026-11-21).
const PRECISION: f64 = 0.97;
/// Related-pair recall floor (measured 0.9722 on 2026-11-21).
const RECALL: f64 = 0.94;
/// Independent pairs linked, a ceiling (measured 0 of 117 on 2026-11-21).
const INDEPENDENT_LINKED_MAX: u64 = 2;

fn generate(out: &Path, docs: &str, seed: &str) -> String {
    let output = stemma()
        .args(["bench", "generate", "--docs", docs, "--seed", seed, "--out"])
        .arg(out)
        .output()
        .expect("running stemma");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "bench generate failed:\n{stderr}");
    assert!(output.stdout.is_empty(), "bench generate printed on stdout");
    stderr
}

#[test]
fn generated_corpus_is_scored_by_eval() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("gen");
    let summary = generate(&out, "200", "7");
    assert!(
        summary.starts_with("stemma: bench generate: 200 docs, ") && summary.lines().count() == 1,
        "{summary}"
    );
    let corpus = out.join("corpus.jsonl");
    let truth = out.join("truth.json");
    let lines = std::fs::read_to_string(&corpus).expect("corpus.jsonl");
    assert_eq!(lines.lines().count(), 200);

    let output = stemma()
        .arg("eval")
        .arg(&corpus)
        .arg("--truth")
        .arg(&truth)
        .args(["--format", "json"])
        .output()
        .expect("running stemma");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "eval failed:\n{stderr}");
    assert!(
        stderr.is_empty(),
        "eval complained about the corpus:\n{stderr}"
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("eval JSON");
    assert_eq!(report["documents"], 200);
    assert_eq!(report["labelled"], 200);
    let related = &report["related"];
    let precision = related["precision"].as_f64().unwrap_or(0.0);
    let recall = related["recall"].as_f64().unwrap_or(0.0);
    assert!(
        precision >= PRECISION,
        "precision {precision} < {PRECISION}; spurious: {}",
        related["spurious"]
    );
    assert!(
        recall >= RECALL,
        "recall {recall} < {RECALL}; missed: {}",
        related["missed"]
    );
    let linked = report["independent"]["linked"].as_u64().unwrap_or(u64::MAX);
    assert!(
        linked <= INDEPENDENT_LINKED_MAX,
        "{linked} independent pairs linked: {}",
        report["independent"]["linked_pairs"]
    );
}

#[test]
fn same_seed_gives_the_same_files() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    generate(&a, "30", "3");
    generate(&b, "30", "3");
    generate(&c, "30", "4");
    for file in ["corpus.jsonl", "truth.json"] {
        let read = |d: &Path| std::fs::read(d.join(file)).expect("generated file");
        assert_eq!(read(&a), read(&b), "{file} differs between two runs");
        assert_ne!(read(&a), read(&c), "{file} does not depend on the seed");
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = stemma()
        .args(["bench", "generate", "--docs", "0", "--out"])
        .arg(dir.path())
        .output()
        .expect("running stemma");
    assert_eq!(output.status.code(), Some(2));
    let output = stemma()
        .args(["bench", "generate", "--docs", "5"])
        .output()
        .expect("running stemma");
    assert_eq!(output.status.code(), Some(2));
}
