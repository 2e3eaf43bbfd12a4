//! Sentence alignments scored against a gold standard.
//!
//! Gold groups name sentences by their exact text (so that gold does not depend on any segmenter):
//! `{"pairs": [{"a": ID, "b": ID, "groups": [{"a": [TEXT...], "b": [TEXT...]}]}]}`. Each text is found
//! in its file and mapped to the sentences its bytes overlap. A predicted group matches a gold group
//! when they share at least one sentence on both sides; precision is the share of predicted groups
//! that match a gold group, recall the share of gold groups matched by a prediction.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use stemma_align::Document;

use super::{MeasureError, read_text};

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

/// Scores of one document pair of a [`GoldResult`].
#[derive(Debug, Clone, Serialize)]
pub struct GoldPairScore {
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

/// Sentence alignments scored against gold alignments, over all pairs (micro-averaged): what
/// [`measure_alignments`] and [`measure_alignments_of_texts`] return.
#[derive(Debug, Clone, Serialize)]
pub struct GoldResult {
    /// Each pair.
    pub pairs: Vec<GoldPairScore>,
    /// Micro precision.
    pub precision: f64,
    /// Micro recall.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

/// Sentence indices of `doc` overlapped by the first occurrence of `text`.
fn sentences_of(doc: &Document, text: &str) -> Result<BTreeSet<usize>, MeasureError> {
    let Some(start) = doc.text.find(text) else {
        return Err(MeasureError::Invalid(format!(
            "{}: gold sentence not found: {text:?}",
            doc.id
        )));
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

/// Scores the sentence alignments `stemma diff` makes of each pair named in the gold file `gold`
/// (`stemma measure alignments DIR --gold GOLD`), with the articles read from `dir` as `ID.txt`.
///
/// # Errors
/// If the gold file or an article cannot be read, the gold file is not of its format, or a gold
/// sentence is not in its article.
///
/// ```
/// // The demo corpus and its gold alignments, from this crate's folder.
/// let examples = std::path::Path::new("../../examples");
/// let result = stemma_eval::measure_alignments(examples, &examples.join("alignments.json")).unwrap();
/// assert_eq!(result.pairs.len(), 5);
/// assert!(result.recall > 0.9);
/// ```
pub fn measure_alignments(dir: &Path, gold: &Path) -> Result<GoldResult, MeasureError> {
    measure_with(gold, |id| read_text(&dir.join(format!("{id}.txt"))))
}

/// Scores the sentence alignments of the pairs named in the gold file `gold`, with the articles'
/// texts given by id (`stemma eval --alignments GOLD`).
///
/// # Errors
/// As [`measure_alignments`]; an article named by the gold file and missing from `texts` is an error.
///
/// ```no_run
/// use std::collections::BTreeMap;
///
/// let texts = BTreeMap::from([
///     ("wire".to_string(), "Flood water broke through the dam.".to_string()),
///     ("copy".to_string(), "Flood water broke through the dam, officials said.".to_string()),
/// ]);
/// let result =
///     stemma_eval::measure_alignments_of_texts(&texts, "gold.json".as_ref()).unwrap();
/// println!("precision {:.3}", result.precision);
/// ```
pub fn measure_alignments_of_texts(
    texts: &BTreeMap<String, String>,
    gold: &Path,
) -> Result<GoldResult, MeasureError> {
    measure_with(gold, |id| {
        texts.get(id).cloned().ok_or_else(|| {
            MeasureError::Invalid(format!(
                "{}: article {id:?} is not in the corpus",
                gold.display()
            ))
        })
    })
}

fn measure_with(
    gold: &Path,
    read: impl Fn(&str) -> Result<String, MeasureError>,
) -> Result<GoldResult, MeasureError> {
    let gold_text = read_text(gold)?;
    let gold: GoldFile = serde_json::from_str(&gold_text).map_err(|source| MeasureError::Json {
        context: gold.display().to_string(),
        source,
    })?;
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
        pairs.push(GoldPairScore {
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

impl GoldResult {
    /// Writes the scores as a table for people (`stemma measure alignments`).
    ///
    /// ```
    /// let result = stemma_eval::GoldResult { pairs: Vec::new(), precision: 1.0, recall: 0.5, f1: 0.667 };
    /// let mut out = Vec::new();
    /// result.write_text(&mut out).unwrap();
    /// assert!(String::from_utf8(out).unwrap().ends_with("all pairs: precision 1.000, recall 0.500, F1 0.667\n"));
    /// ```
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "{:<36} {:>5} {:>9} {:>9} {:>9}",
            "pair", "gold", "predicted", "precision", "recall"
        )?;
        for p in &self.pairs {
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
            self.precision, self.recall, self.f1
        )
    }
}
