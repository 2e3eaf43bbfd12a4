//! Sentence alignments scored against a gold standard.
//!
//! Gold groups name sentences by their exact text (so that gold does not depend on any segmenter):
//! `{"pairs": [{"a": ID, "b": ID, "groups": [{"a": [TEXT...], "b": [TEXT...]}]}]}`. Each text is found
//! in its file and mapped to the sentences its bytes overlap. A predicted group matches a gold group
//! when they share at least one sentence on both sides; precision is the share of predicted groups
//! that match a gold group, recall the share of gold groups matched by a prediction.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use stemma_align::Document;

use super::MeasureFormat;

#[derive(Debug, Deserialize)]
struct GoldFile {
    pairs: Vec<GoldPair>,
}

#[derive(Debug, Deserialize)]
struct GoldPair {
    a: String,
    b: String,
    groups: Vec<GoldGroup>,
}

#[derive(Debug, Deserialize)]
struct GoldGroup {
    a: Vec<String>,
    b: Vec<String>,
}

/// Scores of one document pair.
#[derive(Debug, Serialize)]
pub struct PairScore {
    /// First document.
    pub a: String,
    /// Second document.
    pub b: String,
    /// Gold groups.
    pub gold: usize,
    /// Predicted groups.
    pub predicted: usize,
    /// Predicted groups that match a gold group.
    pub correct: usize,
    /// Gold groups matched by a prediction.
    pub found: usize,
    /// correct / predicted.
    pub precision: f64,
    /// found / gold.
    pub recall: f64,
}

/// Scores over all pairs (micro-averaged).
#[derive(Debug, Serialize)]
pub struct GoldResult {
    /// Each pair.
    pub pairs: Vec<PairScore>,
    /// Micro precision.
    pub precision: f64,
    /// Micro recall.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

/// Sentence indices of `doc` overlapped by the first occurrence of `text`.
fn sentences_of(doc: &Document, text: &str) -> Result<BTreeSet<usize>> {
    let Some(start) = doc.text.find(text) else {
        bail!("{}: gold sentence not found: {text:?}", doc.id);
    };
    let end = start + text.len();
    Ok(doc
        .segmentation
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.span.start < end && start < s.span.end)
        .map(|(i, _)| i)
        .collect())
}

/// Scores predicted alignments of the corpus in `dir` (articles as `ID.txt`) against `gold`.
pub fn measure(dir: &Path, gold: &Path) -> Result<GoldResult> {
    measure_with(gold, |id| {
        let path = dir.join(format!("{id}.txt"));
        std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))
    })
}

/// Scores predicted alignments against `gold`, with the articles' texts by id.
pub fn measure_texts(
    texts: &std::collections::BTreeMap<String, String>,
    gold: &Path,
) -> Result<GoldResult> {
    measure_with(gold, |id| {
        texts
            .get(id)
            .cloned()
            .with_context(|| format!("{}: article {id:?} is not in the corpus", gold.display()))
    })
}

fn measure_with(gold: &Path, read: impl Fn(&str) -> Result<String>) -> Result<GoldResult> {
    let gold_text = std::fs::read_to_string(gold).with_context(|| format!("{}", gold.display()))?;
    let gold: GoldFile =
        serde_json::from_str(&gold_text).with_context(|| format!("{}", gold.display()))?;
    let mut pairs = Vec::new();
    for pair in &gold.pairs {
        let c = stemma_align::compare(&pair.a, &read(&pair.a)?, &pair.b, &read(&pair.b)?);
        let mut gold_groups = Vec::new();
        for g in &pair.groups {
            let mut sa = BTreeSet::new();
            for t in &g.a {
                sa.extend(sentences_of(&c.a, t)?);
            }
            let mut sb = BTreeSet::new();
            for t in &g.b {
                sb.extend(sentences_of(&c.b, t)?);
            }
            gold_groups.push((sa, sb));
        }
        let overlaps = |pa: &std::ops::Range<usize>,
                        pb: &std::ops::Range<usize>,
                        g: &(BTreeSet<usize>, BTreeSet<usize>)| {
            pa.clone().any(|i| g.0.contains(&i)) && pb.clone().any(|j| g.1.contains(&j))
        };
        let predicted = &c.alignment.groups;
        let correct = predicted
            .iter()
            .filter(|p| gold_groups.iter().any(|g| overlaps(&p.a, &p.b, g)))
            .count();
        let found = gold_groups
            .iter()
            .filter(|g| predicted.iter().any(|p| overlaps(&p.a, &p.b, g)))
            .count();
        pairs.push(PairScore {
            a: pair.a.clone(),
            b: pair.b.clone(),
            gold: gold_groups.len(),
            predicted: predicted.len(),
            correct,
            found,
            precision: ratio(correct, predicted.len()),
            recall: ratio(found, gold_groups.len()),
        });
    }
    let precision = ratio(
        pairs.iter().map(|p| p.correct).sum(),
        pairs.iter().map(|p| p.predicted).sum(),
    );
    let recall = ratio(
        pairs.iter().map(|p| p.found).sum(),
        pairs.iter().map(|p| p.gold).sum(),
    );
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Ok(GoldResult {
        pairs,
        precision,
        recall,
        f1,
    })
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Runs `stemma measure alignments`.
pub fn run(dir: &Path, gold: &Path, format: MeasureFormat, out: &mut impl Write) -> Result<()> {
    let result = measure(dir, gold)?;
    write(&result, format, out)
}

/// Writes alignment scores as a table or JSON.
pub fn write(result: &GoldResult, format: MeasureFormat, out: &mut impl Write) -> Result<()> {
    match format {
        MeasureFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(result)?)?,
        MeasureFormat::Text => {
            writeln!(
                out,
                "{:<36} {:>5} {:>9} {:>9} {:>9}",
                "pair", "gold", "predicted", "precision", "recall"
            )?;
            for p in &result.pairs {
                writeln!(
                    out,
                    "{:<36} {:>5} {:>9} {:>9.3} {:>9.3}",
                    format!("{} ~ {}", p.a, p.b),
                    p.gold,
                    p.predicted,
                    p.precision,
                    p.recall
                )?;
            }
            writeln!(
                out,
                "all pairs: precision {:.3}, recall {:.3}, F1 {:.3}",
                result.precision, result.recall, result.f1
            )?;
        }
    }
    Ok(())
}
