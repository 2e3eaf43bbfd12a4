//! Clough–Stevenson: does coverage tell rewrites (cut, light, heavy) from independent answers (non)?
//!
//! Each of the 95 answers is aligned with the Wikipedia source of its own task; the answer's coverage
//! (share of its body text aligned to the source) is the score. Reported: ROC AUC for heavy vs non and
//! for all derived vs non, and Spearman's rho between coverage and the grade cut > light > heavy > non.
//! Plain word-unigram containment is measured in the same run as the reference.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{MeasureError, read_text};
use crate::stats::{roc_auc, spearman};

/// One answer and its label.
#[derive(Debug, Clone)]
struct Answer {
    file: String,
    category: String,
    source_file: String,
}

fn load_labels(dir: &Path) -> Result<Vec<Answer>, MeasureError> {
    let path = dir.join("labels.csv");
    let text = read_text(&path)?;
    let mut answers = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if fields.len() < 4 {
            return Err(MeasureError::Invalid(format!(
                "{}:{}: expected 4 fields",
                path.display(),
                n + 1
            )));
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

/// The Clough–Stevenson numbers of one score, a row of [`CloughResult`].
#[derive(Debug, Clone, Serialize)]
pub struct CloughScore {
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

/// All Clough–Stevenson numbers: what [`measure_clough`] returns.
#[derive(Debug, Clone, Serialize)]
pub struct CloughResult {
    /// Number of answers.
    pub answers: usize,
    /// stemma's coverage first, then the baseline.
    pub scores: Vec<CloughScore>,
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

fn summarise(name: &str, answers: &[Answer], scores: &[f64]) -> CloughScore {
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
    CloughScore {
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

/// Measures document coverage on the Clough–Stevenson corpus (`stemma measure clough DIR`): each
/// answer aligned with its own task's source, its coverage scored against its category (ROC AUC,
/// Spearman's rho), beside word-unigram containment.
///
/// `dir` holds `labels.csv` (`file,task,category,source_file`) and the texts it names.
///
/// # Errors
/// If a file cannot be read or a line of `labels.csv` has fewer than four fields.
///
/// ```no_run
/// let result =
///     stemma_eval::measure_clough("../shared/benchmarks/clough-stevenson".as_ref()).unwrap();
/// println!("AUC heavy ~ non {:.3}", result.scores[0].auc_heavy_vs_non);
/// ```
pub fn measure_clough(dir: &Path) -> Result<CloughResult, MeasureError> {
    let answers = load_labels(dir)?;
    let read = |name: &str| read_text(&dir.join(name));
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

impl CloughResult {
    /// Writes the numbers as a table for people (`stemma measure clough`).
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(out, "Clough–Stevenson: {} answers", self.answers)?;
        writeln!(
            out,
            "{:<38} {:>10} {:>12} {:>12} {:>9}   mean cut/light/heavy/non",
            "score", "AUC h~non", "AUC der~non", "AUC lt~hvy", "Spearman"
        )?;
        for s in &self.scores {
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task's source and four answers, one per category, in a temporary folder.
    fn corpus(labels: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let source = "Inheritance lets a class reuse the fields and methods of another class. \
                      The subclass extends the superclass and may override its methods.";
        let texts = [
            ("orig_taska.txt", source),
            ("g0_taska.txt", source),
            (
                "g1_taska.txt",
                "Inheritance lets a class reuse fields and methods of another class. The \
                 subclass extends its superclass and can override the methods.",
            ),
            (
                "g2_taska.txt",
                "With inheritance one class takes over what another defines, and a subclass \
                 may redefine behaviour it got from its parent.",
            ),
            (
                "g3_taska.txt",
                "Object orientation groups data with code. Programs become easier to change \
                 when each part hides its details.",
            ),
        ];
        for (name, text) in texts {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::write(dir.path().join("labels.csv"), labels).unwrap();
        dir
    }

    #[test]
    fn coverage_orders_the_rewrites_and_containment_is_measured_beside_it() {
        let dir = corpus(
            "file,task,category,source_file\n\
             g0_taska.txt,a,cut,orig_taska.txt\n\
             g1_taska.txt,a,light,orig_taska.txt\n\
             g2_taska.txt,a,heavy,orig_taska.txt\n\
             g3_taska.txt,a,non,orig_taska.txt\n",
        );
        let r = measure_clough(dir.path()).unwrap();
        assert_eq!(r.answers, 4);
        let [stemma, baseline] = r.scores.as_slice() else {
            panic!("two scores expected");
        };
        assert_eq!(baseline.score, "baseline: word-unigram containment");
        // The copy is wholly contained in its source; the independent answer is not.
        assert_eq!(baseline.mean_by_category[0], 1.0);
        assert!(baseline.mean_by_category[3] < 0.5);
        // One heavy and one non answer: the AUC is 1, 0.5 or 0.
        assert!([0.0, 0.5, 1.0].contains(&stemma.auc_heavy_vs_non));
        assert!(stemma.mean_by_category[0] > stemma.mean_by_category[3]);
        let mut text = Vec::new();
        r.write_text(&mut text).unwrap();
        assert!(
            String::from_utf8(text)
                .unwrap()
                .starts_with("Clough–Stevenson: 4 answers\n")
        );
    }

    #[test]
    fn a_short_line_of_labels_is_an_error_naming_its_line() {
        let dir = corpus("file,task,category,source_file\ng0_taska.txt,a,cut\n");
        let error = measure_clough(dir.path()).unwrap_err();
        assert!(matches!(error, MeasureError::Invalid(_)));
        let labels = dir.path().join("labels.csv");
        assert_eq!(
            error.chain(),
            format!("{}:2: expected 4 fields", labels.display())
        );
    }

    #[test]
    fn a_missing_text_is_an_error_naming_the_file() {
        let dir = corpus("file,task,category,source_file\ng9_taska.txt,a,cut,orig_taska.txt\n");
        let error = measure_clough(dir.path()).unwrap_err();
        assert!(matches!(error, MeasureError::Io { .. }));
        let text = dir.path().join("g9_taska.txt");
        assert!(
            error.chain().starts_with(&format!("{}: ", text.display())),
            "{}",
            error.chain()
        );
    }
}
