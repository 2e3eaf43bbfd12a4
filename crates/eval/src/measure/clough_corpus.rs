//! Clough–Stevenson as one corpus: does the corpus analysis link each rewrite to its own source, and
//! leave the independent answers alone?
//!
//! The 95 answers and the 5 Wikipedia sources (`orig_task*.txt`) are read as 100 articles (id = file
//! name without extension) and analysed together by [`stemma_graph::analyze`] with the default
//! settings, exactly as `stemma analyze` would analyse them. Unlike `stemma measure clough`, which
//! aligns each answer with its own source only, here the analysis must also find the pairs itself
//! (candidate generation) and decide a relation, among 4,950 possible pairs of same-topic texts.
//!
//! Reported: for `cut`, `light` and `heavy` answers, the share linked (given a relation) to the
//! source of their own task; for `non` answers (written without the source), the share linked to
//! anything and to their own source; for information, how many pairs of derived answers of one task
//! were linked to each other (they share text through the common source, but their authors chose
//! different passages) and how many pairs across tasks were linked; the candidate pairs aligned out
//! of n(n−1)/2; the wall time of the analysis.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use stemma_graph::{AnalyzeOptions, Article, analyze};

use super::{MeasureError, read_text};
use crate::round;

/// One answer of `labels.csv`.
#[derive(Debug, Clone)]
struct Label {
    /// Article id (file name without extension).
    id: String,
    task: String,
    category: String,
    /// Article id of its task's source.
    source: String,
}

/// The id of a file name: the name without its extension.
fn id_of(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

fn load_labels(dir: &Path) -> Result<Vec<Label>, MeasureError> {
    let path = dir.join("labels.csv");
    let text = read_text(&path)?;
    let mut labels = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() < 4 {
            return Err(MeasureError::Invalid(format!(
                "{}:{}: expected 4 fields (file,task,category,source_file)",
                path.display(),
                n + 1
            )));
        }
        labels.push(Label {
            id: id_of(fields[0]),
            task: fields[1].to_string(),
            category: fields[2].to_string(),
            source: id_of(fields[3]),
        });
    }
    if labels.is_empty() {
        return Err(MeasureError::Invalid(format!(
            "{}: no answer listed",
            path.display()
        )));
    }
    Ok(labels)
}

/// How the answers of one category were linked, a row of [`CloughCorpusResult`].
#[derive(Debug, Clone, Serialize)]
pub struct CategoryLinks {
    /// `cut`, `light`, `heavy` or `non`.
    pub category: String,
    /// Answers of the category.
    pub answers: usize,
    /// Of those, linked to the source of their own task.
    pub linked_to_source: usize,
    /// `linked_to_source / answers`.
    pub share_linked_to_source: f64,
    /// Of those, linked to any other text of the corpus.
    pub linked_to_anything: usize,
    /// `linked_to_anything / answers`.
    pub share_linked_to_anything: f64,
    /// How the links to the own source were classed: relation name → count.
    pub relations_to_source: BTreeMap<String, usize>,
}

/// A `non` answer that was linked, and to what (in [`CloughCorpusResult`]).
#[derive(Debug, Clone, Serialize)]
pub struct LinkedNon {
    /// The answer.
    pub answer: String,
    /// The texts it was linked to, with the relation.
    pub linked_to: Vec<[String; 2]>,
}

/// Pairs of a kind, and how many of them were linked (in [`CloughCorpusResult`]).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PairCount {
    /// Pairs of the kind.
    pub pairs: usize,
    /// Of those, linked.
    pub linked: usize,
}

/// Everything `stemma measure clough-corpus` reports: what [`measure_clough_corpus`] returns.
#[derive(Debug, Clone, Serialize)]
pub struct CloughCorpusResult {
    /// Texts analysed (answers + sources).
    pub documents: usize,
    /// Answers (from labels.csv).
    pub answers: usize,
    /// Sources (the answers' `source_file`s).
    pub sources: usize,
    /// Per category: cut, light, heavy, non.
    pub categories: Vec<CategoryLinks>,
    /// The `non` answers that were linked to anything.
    pub linked_non: Vec<LinkedNon>,
    /// For information: pairs of derived answers (cut, light, heavy) of the same task.
    pub derived_same_task: PairCount,
    /// Pairs of texts of different tasks (sources included); all of them are independent.
    pub cross_task: PairCount,
    /// Related pairs predicted in all.
    pub related_pairs: usize,
    /// Candidate pairs aligned.
    pub aligned_pairs: usize,
    /// n(n−1)/2.
    pub all_pairs: usize,
    /// Wall time of the analysis (reading excluded), in milliseconds.
    pub analysis_ms: f64,
}

impl CloughCorpusResult {
    /// The links of one category (`cut`, `light`, `heavy` or `non`).
    ///
    /// ```no_run
    /// let dir = std::path::Path::new("../shared/benchmarks/clough-stevenson");
    /// let result = stemma_eval::measure_clough_corpus(dir).unwrap();
    /// let heavy = result.category("heavy").unwrap();
    /// println!("{} of {} heavy rewrites linked", heavy.linked_to_source, heavy.answers);
    /// ```
    pub fn category(&self, name: &str) -> Option<&CategoryLinks> {
        self.categories.iter().find(|c| c.category == name)
    }
}

fn share(n: usize, d: usize) -> f64 {
    if d == 0 {
        f64::NAN
    } else {
        round(n as f64 / d as f64)
    }
}

/// Analyses the Clough–Stevenson corpus in `dir` as one corpus with the default settings and scores
/// its links (`stemma measure clough-corpus DIR`): which rewrites are linked to their own source, and
/// which independent answers are linked anyway.
///
/// `dir` holds `labels.csv` (`file,task,category,source_file`) and the texts it names.
///
/// # Errors
/// If a file cannot be read or `labels.csv` is malformed or empty.
///
/// ```no_run
/// let dir = std::path::Path::new("../shared/benchmarks/clough-stevenson");
/// let result = stemma_eval::measure_clough_corpus(dir).unwrap();
/// result.write_text(&mut std::io::stdout()).unwrap();
/// ```
pub fn measure_clough_corpus(dir: &Path) -> Result<CloughCorpusResult, MeasureError> {
    let labels = load_labels(dir)?;
    let sources: BTreeSet<String> = labels.iter().map(|l| l.source.clone()).collect();
    let read = |id: &str| -> Result<Article, MeasureError> {
        let text = read_text(&dir.join(format!("{id}.txt")))?;
        Ok(Article::new(id, text))
    };
    let mut articles = Vec::with_capacity(labels.len() + sources.len());
    for id in labels.iter().map(|l| &l.id).chain(&sources) {
        articles.push(read(id)?);
    }

    let started = Instant::now();
    let analysis = analyze(articles, &AnalyzeOptions::default());
    let analysis_ms = started.elapsed().as_secs_f64() * 1000.0;

    let ids: Vec<&str> = analysis.articles.iter().map(|a| a.id.as_str()).collect();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    // Related pairs, both ways, with their relation.
    let mut links: BTreeMap<usize, Vec<(usize, &'static str)>> = BTreeMap::new();
    for p in analysis.related_pairs() {
        let relation = p.relation.map_or("", |r| r.as_str());
        links.entry(p.a).or_default().push((p.b, relation));
        links.entry(p.b).or_default().push((p.a, relation));
    }
    let relation_between = |x: usize, y: usize| -> Option<&'static str> {
        links
            .get(&x)
            .and_then(|l| l.iter().find(|(o, _)| *o == y).map(|(_, r)| *r))
    };

    let mut categories = Vec::new();
    for category in ["cut", "light", "heavy", "non"] {
        let members: Vec<&Label> = labels.iter().filter(|l| l.category == category).collect();
        let mut linked_to_source = 0;
        let mut linked_to_anything = 0;
        let mut relations_to_source: BTreeMap<String, usize> = BTreeMap::new();
        for l in &members {
            let me = index[l.id.as_str()];
            if let Some(relation) = relation_between(me, index[l.source.as_str()]) {
                linked_to_source += 1;
                *relations_to_source.entry(relation.to_string()).or_default() += 1;
            }
            if links.get(&me).is_some_and(|v| !v.is_empty()) {
                linked_to_anything += 1;
            }
        }
        categories.push(CategoryLinks {
            category: category.to_string(),
            answers: members.len(),
            linked_to_source,
            share_linked_to_source: share(linked_to_source, members.len()),
            linked_to_anything,
            share_linked_to_anything: share(linked_to_anything, members.len()),
            relations_to_source,
        });
    }

    let linked_non = labels
        .iter()
        .filter(|l| l.category == "non")
        .filter_map(|l| {
            let others = links.get(&index[l.id.as_str()])?;
            let mut linked_to: Vec<[String; 2]> = others
                .iter()
                .map(|&(o, r)| [ids[o].to_string(), r.to_string()])
                .collect();
            linked_to.sort();
            Some(LinkedNon {
                answer: l.id.clone(),
                linked_to,
            })
        })
        .collect();

    // Pairs by kind: the task of every text (a source's task is that of its answers).
    let mut task_of: BTreeMap<&str, &str> = BTreeMap::new();
    for l in &labels {
        task_of.insert(&l.id, &l.task);
        task_of.insert(&l.source, &l.task);
    }
    let derived: BTreeSet<&str> = labels
        .iter()
        .filter(|l| l.category != "non")
        .map(|l| l.id.as_str())
        .collect();
    let mut derived_same_task = PairCount {
        pairs: 0,
        linked: 0,
    };
    let mut cross_task = derived_same_task;
    for i in 0..ids.len() {
        for j in i + 1..ids.len() {
            let linked = relation_between(i, j).is_some();
            let (ti, tj) = (task_of.get(ids[i]), task_of.get(ids[j]));
            let counter = if ti != tj {
                &mut cross_task
            } else if derived.contains(ids[i]) && derived.contains(ids[j]) {
                &mut derived_same_task
            } else {
                continue;
            };
            counter.pairs += 1;
            counter.linked += usize::from(linked);
        }
    }

    Ok(CloughCorpusResult {
        documents: analysis.stats.documents,
        answers: labels.len(),
        sources: sources.len(),
        categories,
        linked_non,
        derived_same_task,
        cross_task,
        related_pairs: analysis.stats.related_pairs,
        aligned_pairs: analysis.stats.aligned_pairs,
        all_pairs: analysis.stats.all_pairs,
        analysis_ms: (analysis_ms * 10.0).round() / 10.0,
    })
}

impl CloughCorpusResult {
    /// Writes the result as a table for people (`stemma measure clough-corpus`).
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let r = self;
        writeln!(
            out,
            "Clough–Stevenson as one corpus: {} texts ({} answers, {} sources), default analysis",
            r.documents, r.answers, r.sources
        )?;
        writeln!(
            out,
            "{:<10} {:>7} {:>18} {:>18}   relations to the source",
            "category", "answers", "linked to source", "linked to any"
        )?;
        for c in &r.categories {
            let relations: Vec<String> = c
                .relations_to_source
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            writeln!(
                out,
                "{:<10} {:>7} {:>18} {:>18}   {}",
                c.category,
                c.answers,
                format!("{} ({:.3})", c.linked_to_source, c.share_linked_to_source),
                format!(
                    "{} ({:.3})",
                    c.linked_to_anything, c.share_linked_to_anything
                ),
                if relations.is_empty() {
                    "—".to_string()
                } else {
                    relations.join(", ")
                }
            )?;
        }
        for n in &r.linked_non {
            let to: Vec<String> = n
                .linked_to
                .iter()
                .map(|[id, relation]| format!("{id} ({relation})"))
                .collect();
            writeln!(out, "  non answer {} linked to {}", n.answer, to.join(", "))?;
        }
        writeln!(
            out,
            "derived answers of one task linked to each other: {} of {} pairs (information)",
            r.derived_same_task.linked, r.derived_same_task.pairs
        )?;
        writeln!(
            out,
            "pairs across tasks linked: {} of {}",
            r.cross_task.linked, r.cross_task.pairs
        )?;
        writeln!(
            out,
            "related pairs {}; candidate pairs aligned {} of {} ({:.1}%); analysis {:.0} ms",
            r.related_pairs,
            r.aligned_pairs,
            r.all_pairs,
            100.0 * r.aligned_pairs as f64 / r.all_pairs.max(1) as f64,
            r.analysis_ms
        )
    }
}
