//! Clough–Stevenson: does coverage tell rewrites (cut, light, heavy) from independent answers (non)?
//!
//! Each of the 95 answers is aligned with the Wikipedia source of its own task; the answer's coverage
//! (share of its body text aligned to the source) is the score. Reported: ROC AUC for heavy vs non and
//! for all derived vs non, and Spearman's rho between coverage and the grade cut > light > heavy > non.
//! Plain word-unigram containment is measured in the same run as the reference.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::MeasureFormat;
use super::stats::{roc_auc, spearman};

/// One answer and its label.
#[derive(Debug, Clone)]
struct Answer {
    file: String,
    category: String,
    source_file: String,
}

fn load_labels(dir: &Path) -> Result<Vec<Answer>> {
    let path = dir.join("labels.csv");
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let mut answers = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if fields.len() < 4 {
            bail!("{}:{}: expected 4 fields", path.display(), n + 1);
        }
        answers.push(Answer {
            file: fields[0].to_string(),
            category: fields[2].to_string(),
            source_file: fields[3].to_string(),
        });
    }
    Ok(answers)
}

/// The grade of a category: cut 3, light 2, heavy 1, non 0.
fn grade(category: &str) -> f64 {
    match category {
        "cut" => 3.0,
        "light" => 2.0,
        "heavy" => 1.0,
        _ => 0.0,
    }
}

/// Numbers for one score.
#[derive(Debug, Serialize)]
pub struct ScoreResult {
    /// Which score.
    pub score: String,
    /// ROC AUC, heavy revision vs non.
    pub auc_heavy_vs_non: f64,
    /// ROC AUC, cut + light + heavy vs non.
    pub auc_derived_vs_non: f64,
    /// ROC AUC, light vs heavy (the open problem of the field).
    pub auc_light_vs_heavy: f64,
    /// Spearman's rho of the score with the grade cut > light > heavy > non.
    pub spearman_grade: f64,
    /// Mean score per category: cut, light, heavy, non.
    pub mean_by_category: [f64; 4],
}

/// All Clough–Stevenson numbers.
#[derive(Debug, Serialize)]
pub struct CloughResult {
    /// Number of answers.
    pub answers: usize,
    /// stemma's coverage first, then the baseline.
    pub scores: Vec<ScoreResult>,
}

fn containment(answer: &str, source: &str) -> f64 {
    let words = |s: &str| -> BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, s) = (words(answer), words(source));
    if a.is_empty() {
        return 0.0;
    }
    a.intersection(&s).count() as f64 / a.len() as f64
}

fn summarise(name: &str, answers: &[Answer], scores: &[f64]) -> ScoreResult {
    let of = |cats: &[&str]| -> Vec<f64> {
        answers
            .iter()
            .zip(scores)
            .filter(|(a, _)| cats.contains(&a.category.as_str()))
            .map(|(_, &s)| s)
            .collect()
    };
    let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let grades: Vec<f64> = answers.iter().map(|a| grade(&a.category)).collect();
    ScoreResult {
        score: name.to_string(),
        auc_heavy_vs_non: roc_auc(&of(&["heavy"]), &of(&["non"])),
        auc_derived_vs_non: roc_auc(&of(&["cut", "light", "heavy"]), &of(&["non"])),
        auc_light_vs_heavy: roc_auc(&of(&["light"]), &of(&["heavy"])),
        spearman_grade: spearman(scores, &grades),
        mean_by_category: [
            mean(of(&["cut"])),
            mean(of(&["light"])),
            mean(of(&["heavy"])),
            mean(of(&["non"])),
        ],
    }
}

/// Measures Clough–Stevenson.
pub fn measure(dir: &Path) -> Result<CloughResult> {
    let answers = load_labels(dir)?;
    let read = |name: &str| -> Result<String> {
        let path = dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))
    };
    let mut coverage = Vec::with_capacity(answers.len());
    let mut baseline = Vec::with_capacity(answers.len());
    for answer in &answers {
        let source = read(&answer.source_file)?;
        let text = read(&answer.file)?;
        let comparison = stemma_align::compare("source", &source, "answer", &text);
        coverage.push(comparison.alignment.coverage_b);
        baseline.push(containment(&text, &source));
    }
    Ok(CloughResult {
        answers: answers.len(),
        scores: vec![
            summarise("stemma coverage of the answer", &answers, &coverage),
            summarise("baseline: word-unigram containment", &answers, &baseline),
        ],
    })
}

/// Runs `stemma measure clough`.
pub fn run(dir: &Path, format: MeasureFormat, out: &mut impl Write) -> Result<()> {
    let result = measure(dir)?;
    match format {
        MeasureFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?,
        MeasureFormat::Text => {
            writeln!(out, "Clough–Stevenson: {} answers", result.answers)?;
            writeln!(
                out,
                "{:<38} {:>10} {:>12} {:>12} {:>9}   mean cut/light/heavy/non",
                "score", "AUC h~non", "AUC der~non", "AUC lt~hvy", "Spearman"
            )?;
            for s in &result.scores {
                let m = s.mean_by_category;
                writeln!(
                    out,
                    "{:<38} {:>10.3} {:>12.3} {:>12.3} {:>9.3}   {:.2}/{:.2}/{:.2}/{:.2}",
                    s.score,
                    s.auc_heavy_vs_non,
                    s.auc_derived_vs_non,
                    s.auc_light_vs_heavy,
                    s.spearman_grade,
                    m[0],
                    m[1],
                    m[2],
                    m[3]
                )?;
            }
        }
    }
    Ok(())
}
