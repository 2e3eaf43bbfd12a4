//! The link model's labelled corpora, its fit, and honest (cross-validated) numbers.
//!
//! Every labelled corpus is analysed once with every aligned pair kept
//! ([`AnalyzeOptions::keep_unrelated`]); the features of a pair do not depend on the model, so a
//! model fitted on some pairs can be judged on others without aligning again. Numbers are given
//! three ways:
//! - **leave one corpus out** (LOCO): the model is fitted on every other corpus, then the held-out
//!   corpus is analysed with it (corpus-level numbers: links, missing sources, orientation);
//! - **leave one story out** (LOSO): within every corpus, each story's pairs are judged by a model
//!   fitted without them (pooled pair-level numbers);
//! - **in sample**: the shipped model, fitted on everything, judged on what it was fitted on; labelled
//!   as such, never quoted as a result.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use stemma_graph::{
    AnalyzeOptions, Article, Decision, LinkModel, PairFeatures, Relation, RelationOptions,
    TrainingSet, analyze,
};

use super::{BenchmarkDirs, MeasureError};
use crate::truth::{Evaluation, Predicted, Truth, score, unordered};

/// The L2 penalty on the standardized weights (36 features on about 1,500 pairs; 1 and 3.3 were
/// measured too, docs/quality.md).
const L2: f64 = 10.0;
/// The weight of one pair of a corpus in the fit. Pairs weigh alike, except the hard-negative
/// corpus's (same-event reports are the case the model exists for). Chosen on the
/// leave-one-story-out numbers of docs/quality.md: the generator's pairs at 0.3 let teaser pages
/// through at scale, at 2 the pressroom's false links rose from 25 to 33; weighing each corpus
/// equally let the five seed pairs outweigh whole corpora.
fn pair_weight(corpus: &str) -> f64 {
    match corpus {
        "pressroom" => 2.0,
        _ => 1.0,
    }
}
/// The probability from which a pair is a link.
const THRESHOLD: f64 = 0.5;
/// The command that refits the shipped model (named in the model's `fitted_on`).
///
/// ```
/// assert!(stemma_eval::FIT_COMMAND.contains("measure fit"));
/// ```
pub const FIT_COMMAND: &str = "cargo run --release -- measure fit --shared ../shared --write";

/// Where the shipped model lives, from the workspace root (`stemma measure fit --write` writes it).
///
/// ```
/// assert!(stemma_eval::SHIPPED_PATH.ends_with("link_model.json"));
/// ```
pub const SHIPPED_PATH: &str = "crates/graph/src/link_model.json";

/// A corpus with labelled pairs, one of the link model's training corpora ([`LabelledCorpora`]).
///
/// The corpora on disk are read by [`LabelledCorpora::load`]; a generated corpus is made with
/// [`LabelledCorpus::synthetic`].
#[derive(Debug, Clone)]
pub struct LabelledCorpus {
    /// Short name (`seeds`, `demo`, `pressroom`, `meter`, `clough`, `synthetic`, `natural`).
    name: &'static str,
    /// The articles.
    articles: Vec<Article>,
    /// Unordered pairs (smaller id first) with their label: `true` when they share a text.
    labels: BTreeMap<(String, String), bool>,
    /// The story of each article, for leave-one-story-out folds.
    story: BTreeMap<String, String>,
    /// Document-level truth, where the corpus has one.
    truth: Option<Truth>,
    /// METER: each newspaper story's candidate PA sources and label.
    meter: Vec<MeterStory>,
}

/// One labelled newspaper story of METER.
#[derive(Debug, Clone)]
pub(crate) struct MeterStory {
    /// Its id.
    pub(crate) id: String,
    /// Its own PA texts (ids).
    pub(crate) sources: Vec<String>,
    /// Whether it is derived (wholly or partially) from them.
    pub(crate) derived: bool,
    /// Its category: `wholly_derived`, `partially_derived` or `non_derived`.
    pub(crate) category: String,
}

/// Reads a folder the way `stemma analyze` does; any diagnostic is an error (the corpora are known
/// good).
fn read_folder(dir: &Path) -> Result<Vec<Article>, MeasureError> {
    if !dir.is_dir() {
        return Err(MeasureError::NotFound {
            path: dir.to_path_buf(),
        });
    }
    let loaded = stemma_input::load_inputs(&[dir.to_path_buf()], None, &mut std::io::empty());
    if let Some(d) = loaded.diagnostics.first() {
        return Err(MeasureError::Invalid(format!("{}: {d}", dir.display())));
    }
    Ok(loaded.articles)
}

/// Reads a file of a labelled corpus; the error says "cannot read".
fn read_labelled(path: &Path) -> Result<String, MeasureError> {
    std::fs::read_to_string(path).map_err(|source| MeasureError::Io {
        context: format!("{}: cannot read", path.display()),
        source,
    })
}

/// A corpus with a `truth.json`: its related and independent pairs are the labels, and every
/// article's story is its family in the truth (the connected part of its related pairs).
fn truth_corpus(
    name: &'static str,
    dir: &Path,
    truth: &Path,
) -> Result<LabelledCorpus, MeasureError> {
    let truth = Truth::load(truth)?;
    let articles = read_folder(dir)?;
    Ok(from_truth(name, articles, truth))
}

fn from_truth(name: &'static str, articles: Vec<Article>, truth: Truth) -> LabelledCorpus {
    let mut labels = BTreeMap::new();
    for [a, b] in &truth.related_pairs {
        labels.insert(unordered(a, b), true);
    }
    for [a, b] in &truth.independent_pairs {
        labels.insert(unordered(a, b), false);
    }
    // Stories: the id's prefix before the first '-' (pressroom: `busstrike-wire`), else the family of
    // related pairs, else the article itself.
    let mut story: BTreeMap<String, String> = BTreeMap::new();
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    fn find(parent: &BTreeMap<String, String>, x: &str) -> String {
        let mut x = x.to_owned();
        while let Some(p) = parent.get(&x).cloned() {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }
    for [a, b] in &truth.related_pairs {
        let (ra, rb) = (find(&parent, a), find(&parent, b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(high, low);
        }
    }
    for a in &articles {
        let key = match a.id.split_once('-') {
            Some((prefix, _)) if name == "pressroom" => prefix.to_owned(),
            _ => find(&parent, &a.id),
        };
        story.insert(a.id.clone(), key);
    }
    LabelledCorpus {
        name,
        articles,
        labels,
        story,
        truth: Some(truth),
        meter: Vec::new(),
    }
}

/// Every pair of texts of different stories (`story`: id → story), labelled independent.
fn independent_across(story: &BTreeMap<String, String>) -> BTreeMap<(String, String), bool> {
    let ids: Vec<&String> = story.keys().collect();
    let mut labels = BTreeMap::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            if story[*a] != story[*b] {
                labels.insert(unordered(a, b), false);
            }
        }
    }
    labels
}

/// METER showbiz: every PA text and newspaper story as one corpus. A story and one of its own PA
/// texts are labelled by the story's label; texts of different catchlines or days are independent;
/// pairs of one catchline otherwise (two PA updates, two papers) are not labelled.
pub(crate) fn meter(dir: &Path) -> Result<LabelledCorpus, MeasureError> {
    let labels_path = dir.join("labels.csv");
    let text = read_labelled(&labels_path)?;
    let id_of = |file: &str| -> String {
        file.trim_end_matches(".txt")
            .replace("/rawtexts/showbiz/", "_")
            .replace('/', "_")
    };
    let mut stories = Vec::new();
    let mut files: BTreeMap<String, (String, String)> = BTreeMap::new(); // id -> (path, story key)
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() < 10 {
            return Err(MeasureError::Invalid(format!(
                "{}:{}: expected 10 columns",
                labels_path.display(),
                n + 1
            )));
        }
        let key = format!("{}/{}", cells[2], cells[3]);
        let id = id_of(cells[0]);
        let sources: Vec<String> = cells[7].split(';').map(id_of).collect();
        for (s, file) in sources.iter().zip(cells[7].split(';')) {
            files.insert(s.clone(), (file.to_owned(), key.clone()));
        }
        files.insert(id.clone(), (cells[0].to_owned(), key));
        stories.push(MeterStory {
            id,
            sources,
            derived: cells[6] == "1",
            category: cells[5].to_owned(),
        });
    }
    let mut articles = Vec::new();
    let mut story = BTreeMap::new();
    for (id, (file, key)) in &files {
        let text = read_labelled(&dir.join(file))?;
        articles.push(Article::new(id.clone(), stemma_input::as_prose(text)));
        story.insert(id.clone(), key.clone());
    }
    let mut labels = independent_across(&story);
    for s in &stories {
        for source in &s.sources {
            labels.insert(unordered(&s.id, source), s.derived);
        }
    }
    Ok(LabelledCorpus {
        name: "meter",
        articles,
        labels,
        story,
        truth: None,
        meter: stories,
    })
}

/// Clough–Stevenson: each answer with its own task's source is labelled by the answer's category
/// (`non` is independent); texts of different tasks are independent; two answers of one task are not
/// labelled (several share course material the labels do not describe).
fn clough(dir: &Path) -> Result<LabelledCorpus, MeasureError> {
    let labels_path = dir.join("labels.csv");
    let text = read_labelled(&labels_path)?;
    let mut task_of: BTreeMap<String, String> = BTreeMap::new();
    let mut answer_labels = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() < 4 {
            return Err(MeasureError::Invalid(format!(
                "{}:{}: expected 4 columns",
                labels_path.display(),
                n + 1
            )));
        }
        let id = cells[0].trim_end_matches(".txt").to_owned();
        let source = cells[3].trim_end_matches(".txt").to_owned();
        task_of.insert(id.clone(), cells[1].to_owned());
        task_of.insert(source.clone(), cells[1].to_owned());
        answer_labels.push((id, source, cells[2] != "non"));
    }
    let mut articles = Vec::new();
    for id in task_of.keys() {
        let text = read_labelled(&dir.join(format!("{id}.txt")))?;
        articles.push(Article::new(id.clone(), text));
    }
    let mut labels = independent_across(&task_of);
    for (id, source, derived) in answer_labels {
        labels.insert(unordered(&id, &source), derived);
    }
    Ok(LabelledCorpus {
        name: "clough",
        articles,
        labels,
        story: task_of,
        truth: None,
        meter: Vec::new(),
    })
}

impl LabelledCorpus {
    /// A corpus of the project's own generator (`stemma-synth`), whose truth is known by
    /// construction: `articles` as read back from the generated JSONL, `truth` its document-level
    /// truth, and `story` the story of every article (article id → story name). The generator plants
    /// every shared text, so every pair that the truth does not call related is labelled independent.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    ///
    /// let truth = stemma_eval::Truth::parse(r#"{"articles": {
    ///     "a": {"derived_from": []}, "b": {"derived_from": ["a"]}, "c": {"derived_from": []}},
    ///   "derived_pairs": [["a", "b"]], "related_pairs": [["a", "b"]]}"#).unwrap();
    /// let articles = ["a", "b", "c"].map(|id| stemma_graph::Article::new(id, "Some text."));
    /// let story = BTreeMap::from([("a", "s1"), ("b", "s1"), ("c", "s2")].map(|(a, s)| (a.to_string(), s.to_string())));
    /// let corpus = stemma_eval::LabelledCorpus::synthetic(articles.to_vec(), truth, story);
    /// assert_eq!(corpus.name(), "synthetic");
    /// assert_eq!(corpus.labelled_pairs(), (1, 2));
    /// ```
    pub fn synthetic(
        articles: Vec<Article>,
        truth: Truth,
        story: BTreeMap<String, String>,
    ) -> LabelledCorpus {
        let mut labelled = from_truth("synthetic", articles, truth);
        labelled.story = story;
        // The generator plants every shared text, so every other pair is independent, among them the
        // pages that carry the same teasers or newsletter lines: what a link must never rest on.
        let ids: Vec<&String> = labelled.story.keys().collect();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                labelled.labels.entry(unordered(a, b)).or_insert(false);
            }
        }
        labelled
    }

    /// The same corpus under another name: the generated corpora of both generators are
    /// [`LabelledCorpus::synthetic`] corpora, told apart by name (`synthetic`, `natural`).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    ///
    /// let truth = stemma_eval::Truth::parse(r#"{"articles": {"a": {"derived_from": []}}}"#).unwrap();
    /// let articles = vec![stemma_graph::Article::new("a", "Some text.")];
    /// let story = BTreeMap::from([("a".to_string(), "s1".to_string())]);
    /// let corpus = stemma_eval::LabelledCorpus::synthetic(articles, truth, story);
    /// assert_eq!(corpus.named("natural").name(), "natural");
    /// ```
    pub fn named(mut self, name: &'static str) -> LabelledCorpus {
        self.name = name;
        self
    }

    /// The corpus's short name (`seeds`, `demo`, `pressroom`, `meter`, `clough`, `synthetic`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The corpus's articles.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// METER's labelled newspaper stories (none for the other corpora).
    pub(crate) fn meter_stories(&self) -> &[MeterStory] {
        &self.meter
    }

    /// How many pairs are labelled related and how many independent.
    pub fn labelled_pairs(&self) -> (usize, usize) {
        let related = self.labels.values().filter(|&&l| l).count();
        (related, self.labels.len() - related)
    }
}

/// The link model's training data: every labelled corpus that could be read, and why the others
/// could not.
///
/// ```no_run
/// use std::path::PathBuf;
///
/// let dirs = stemma_eval::BenchmarkDirs {
///     shared: PathBuf::from("../shared"),
///     examples: PathBuf::from("examples"),
///     pressroom: PathBuf::from("tests/data/pressroom"),
/// };
/// let corpora = stemma_eval::LabelledCorpora::load(&dirs);
/// for problem in corpora.problems() {
///     eprintln!("not measured: {problem}");
/// }
/// let fit = stemma_eval::fit_link_model(&corpora);
/// println!("bias {:.3}", fit.model.bias);
/// ```
#[derive(Debug, Clone, Default)]
pub struct LabelledCorpora {
    corpora: Vec<LabelledCorpus>,
    problems: Vec<String>,
}

impl LabelledCorpora {
    /// Reads every labelled corpus on disk, in this order: the seeds, the demo corpus, the
    /// pressroom, METER showbiz and Clough–Stevenson. A corpus that cannot be read is left out and
    /// recorded as a problem (`"NAME: why"`).
    ///
    /// `stemma measure fit` then adds the generated corpus ([`LabelledCorpus::synthetic`]) with
    /// [`LabelledCorpora::push`].
    pub fn load(dirs: &BenchmarkDirs) -> LabelledCorpora {
        let mut out = LabelledCorpora::default();
        let seeds = dirs.shared.join("seeds");
        let with_truth = [
            ("seeds", seeds.clone(), seeds.join("truth.json")),
            (
                "demo",
                dirs.examples.clone(),
                dirs.examples.join("truth.json"),
            ),
            (
                "pressroom",
                dirs.pressroom.join("corpus"),
                dirs.pressroom.join("truth.json"),
            ),
        ];
        let mut attempts: Vec<(&str, Result<LabelledCorpus, MeasureError>)> = with_truth
            .into_iter()
            .map(|(name, dir, truth)| (name, truth_corpus(name, &dir, &truth)))
            .collect();
        let benchmarks = dirs.shared.join("benchmarks");
        attempts.push(("meter", meter(&benchmarks.join("meter-showbiz"))));
        attempts.push(("clough", clough(&benchmarks.join("clough-stevenson"))));
        for (name, attempt) in attempts {
            match attempt {
                Ok(c) => out.corpora.push(c),
                Err(e) => out.push_problem(name, &e.chain()),
            }
        }
        out
    }

    /// Adds a corpus after those already there (the corpora's order is the fit's).
    pub fn push(&mut self, corpus: LabelledCorpus) {
        self.corpora.push(corpus);
    }

    /// Records that the corpus `name` could not be made, and why.
    pub fn push_problem(&mut self, name: &str, why: &str) {
        self.problems.push(format!("{name}: {why}"));
    }

    /// The corpora, in the fit's order.
    pub fn corpora(&self) -> &[LabelledCorpus] {
        &self.corpora
    }

    /// The corpora that could not be read, each as `"NAME: why"`.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// One aligned pair of a labelled corpus.
#[derive(Debug, Clone)]
struct Record {
    /// Index of the corpus in the list.
    corpus: usize,
    /// Ids, smaller first.
    a: String,
    /// Second id.
    b: String,
    /// The features: a pair is fitted on when it shares a block
    /// ([`PairFeatures::shares_block`]) and judged when it may link ([`PairFeatures::may_link`]).
    features: PairFeatures,
    /// The label, where the corpus has one.
    label: Option<bool>,
    /// The rules' relation.
    rules: Option<Relation>,
    /// The fold: the story of both, or of the first when they differ.
    story: String,
    /// `None` when measured in the whole corpus; the folder's size when measured in a folder of a
    /// few of its story's articles.
    folder: Option<usize>,
    /// Which of the folders of that size drawn from the story (0 in the whole corpus).
    draw: usize,
}

/// Aligns every candidate pair of every corpus, keeping all of them.
fn records(corpora: &[LabelledCorpus]) -> Vec<Record> {
    let mut out = Vec::new();
    for (c, corpus) in corpora.iter().enumerate() {
        // The rules' relation is what the model may veto; the features do not depend on the decision.
        let options = AnalyzeOptions {
            keep_unrelated: true,
            relation: RelationOptions {
                decision: Decision::Rules,
                ..Default::default()
            },
            ..AnalyzeOptions::default()
        };
        // Every pair of an analysis of (some of) the corpus's articles, as records.
        let push_pairs =
            |out: &mut Vec<Record>, articles: Vec<Article>, folder: Option<usize>, draw: usize| {
                let analysis = analyze(articles, &options);
                for p in &analysis.pairs {
                    let (a, b) = unordered(&analysis.articles[p.a].id, &analysis.articles[p.b].id);
                    let label = corpus.labels.get(&(a.clone(), b.clone())).copied();
                    let story = corpus.story.get(&a).cloned().unwrap_or_default();
                    out.push(Record {
                        corpus: c,
                        a,
                        b,
                        features: p.features,
                        rules: p.relation,
                        label,
                        story,
                        folder,
                        draw,
                    });
                }
            };
        push_pairs(&mut out, corpus.articles.clone(), None, 0);
        // The same stories a few articles at a time: what a user's folder of three or five
        // reports of an event looks like (the draws differ from those of `measure all`).
        let mut stories: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
        for article in &corpus.articles {
            if let Some(story) = corpus.story.get(&article.id) {
                stories.entry(story.as_str()).or_default().push(article);
            }
        }
        for (s, pages) in stories.values().enumerate() {
            for size in crate::measure::small_corpora::SMALL_CORPUS_SIZES {
                if pages.len() <= size {
                    continue;
                }
                for d in 0..FOLDER_DRAWS {
                    let members = crate::measure::small_corpora::draw(
                        pages.len(),
                        size,
                        (7_000_000 + c * 100_000 + s * 100 + d * 10 + size) as u64,
                    );
                    let folder = members.iter().map(|&k| pages[k].clone()).collect();
                    push_pairs(&mut out, folder, Some(size), d);
                }
            }
        }
    }
    out
}

/// Folders drawn per story and size for the training data.
const FOLDER_DRAWS: usize = 4;

/// Fits a model on the labelled records that share a block ([`PairFeatures::shares_block`]) and
/// that `keep` accepts, each pair weighing
/// [`pair_weight`] of its corpus.
fn fit(
    corpora: &[LabelledCorpus],
    records: &[Record],
    keep: impl Fn(&Record) -> bool,
    fitted_on: &str,
) -> LinkModel {
    let mut set = TrainingSet::new();
    for r in records {
        // Pairs measured in small folders are for judging the model only: fitted on them too, it
        // did better in small folders and lost the seeds and METER (docs/quality.md).
        if let (true, Some(label), true) = (
            r.features.shares_block(),
            r.label,
            keep(r) && r.folder.is_none(),
        ) {
            set.push(&r.features, label, pair_weight(corpora[r.corpus].name));
        }
    }
    set.fit(L2, THRESHOLD, fitted_on)
}

/// Pair-level counts of a prediction against a corpus's labels (in [`FitCorpusResult`]).
///
/// ```
/// let s = stemma_eval::LinkScore { true_links: 3, false_links: 1, missed: 1, true_negatives: 5 };
/// assert_eq!((s.precision(), s.recall(), s.f1()), (0.75, 0.75, 0.75));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinkScore {
    /// Labelled related pairs linked.
    pub true_links: usize,
    /// Labelled independent pairs linked.
    pub false_links: usize,
    /// Labelled related pairs not linked (aligned or not).
    pub missed: usize,
    /// Labelled independent pairs not linked.
    pub true_negatives: usize,
}

impl LinkScore {
    /// Precision of the links.
    pub fn precision(&self) -> f64 {
        ratio(self.true_links, self.true_links + self.false_links)
    }
    /// Recall of the related pairs.
    pub fn recall(&self) -> f64 {
        ratio(self.true_links, self.true_links + self.missed)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Which labelled pairs of a corpus are links, given a prediction for each aligned pair.
fn linked_pairs<'r>(
    records: impl Iterator<Item = &'r Record>,
    predict: impl Fn(&Record) -> bool,
) -> BTreeSet<(String, String)> {
    records
        .filter(|r| r.features.may_link() && predict(r))
        .map(|r| (r.a.clone(), r.b.clone()))
        .collect()
}

/// Scores the links of one corpus against its labels (unaligned labelled pairs count as not linked).
fn pair_score(corpus: &LabelledCorpus, linked: &BTreeSet<(String, String)>) -> LinkScore {
    let mut s = LinkScore::default();
    for (pair, &label) in &corpus.labels {
        match (label, linked.contains(pair)) {
            (true, true) => s.true_links += 1,
            (true, false) => s.missed += 1,
            (false, true) => s.false_links += 1,
            (false, false) => s.true_negatives += 1,
        }
    }
    s
}

/// METER's story-level numbers: a story counts as derived when linked to one of its own PA texts
/// (in [`FitCorpusResult`], and a section of [`measure_all`](crate::measure_all)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MeterScore {
    /// Stories.
    pub stories: usize,
    /// Correctly called derived or not.
    pub correct: usize,
    /// Accuracy.
    pub accuracy: f64,
    /// Derived stories linked.
    pub derived_linked: usize,
    /// Derived stories.
    pub derived: usize,
    /// Non-derived stories linked to their PA copy.
    pub non_derived_linked: usize,
    /// Non-derived stories.
    pub non_derived: usize,
    /// Accuracy of always answering "derived".
    pub majority: f64,
}

fn meter_score(corpus: &LabelledCorpus, linked: &BTreeSet<(String, String)>) -> MeterScore {
    let mut s = MeterScore::default();
    for story in &corpus.meter {
        let called = story
            .sources
            .iter()
            .any(|src| linked.contains(&unordered(&story.id, src)));
        s.stories += 1;
        if called == story.derived {
            s.correct += 1;
        }
        if story.derived {
            s.derived += 1;
            s.derived_linked += usize::from(called);
        } else {
            s.non_derived += 1;
            s.non_derived_linked += usize::from(called);
        }
    }
    s.accuracy = ratio(s.correct, s.stories);
    s.majority = ratio(s.derived.max(s.non_derived), s.stories);
    s
}

/// The related pairs of an analysis, by ids (smaller first).
fn linked_ids(analysis: &stemma_graph::CorpusAnalysis) -> BTreeSet<(String, String)> {
    analysis
        .related_pairs()
        .map(|p| unordered(&analysis.articles[p.a].id, &analysis.articles[p.b].id))
        .collect()
}

/// METER showbiz analysed with the default settings, scored story by story.
pub(crate) fn meter_default(dir: &Path) -> Result<MeterScore, MeasureError> {
    let corpus = meter(dir)?;
    let analysis = analyze(corpus.articles.clone(), &AnalyzeOptions::default());
    Ok(meter_score(&corpus, &linked_ids(&analysis)))
}

/// The numbers of one corpus under one way of judging, a row of [`FitResult`].
#[derive(Debug, Clone, Serialize)]
pub struct FitCorpusResult {
    /// The corpus.
    pub corpus: String,
    /// Labelled pairs.
    pub pairs: LinkScore,
    /// METER's story-level numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meter: Option<MeterScore>,
    /// The corpus analysed with the model (LOCO only): the truth's numbers.
    #[serde(skip)]
    pub evaluation: Option<Evaluation>,
}

/// Everything `stemma measure fit` measures: what [`fit_link_model`] returns.
#[derive(Debug, Clone)]
pub struct FitResult {
    /// The model fitted on every corpus (what ships).
    pub model: LinkModel,
    /// Leave one corpus out.
    pub loco: Vec<FitCorpusResult>,
    /// Leave one story out, within each corpus.
    pub loso: Vec<FitCorpusResult>,
    /// In sample (the shipped model on its own training data).
    pub in_sample: Vec<FitCorpusResult>,
    /// Labelled eligible pairs per corpus.
    pub training_pairs: Vec<(String, usize, usize)>,
    /// The rules (`--decision rules`), on every corpus.
    pub rules: Vec<FitCorpusResult>,
    /// Leave one story out, in folders of a few articles of one story.
    pub small_folders: Vec<FolderScore>,
    /// Corpora that could not be read.
    pub problems: Vec<String>,
    /// Every aligned pair with its corpus, label, leave-one-story-out probability and features, as
    /// CSV (for study): the pairs of each whole corpus (column `folder` empty), then those of the
    /// small folders (`folder` is `size/draw`).
    pub pairs_csv: String,
}

/// Labelled pairs in folders of `size` articles of one story, linked by the learned decision
/// (leave one story out) and by the rules.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FolderScore {
    /// The corpus.
    pub corpus: String,
    /// Articles per folder.
    pub size: usize,
    /// Related pairs (counted once per folder).
    pub related: usize,
    /// Linked by the learned decision.
    pub related_learned: usize,
    /// Linked by the rules.
    pub related_rules: usize,
    /// Independent pairs.
    pub independent: usize,
    /// Linked by the learned decision.
    pub independent_learned: usize,
    /// Linked by the rules.
    pub independent_rules: usize,
}

/// Fits the link model on every corpus of `corpora` and measures it three ways: leave one corpus
/// out, leave one story out, and in sample; the rules are measured beside it (`stemma measure fit`).
/// The model fitted on everything is [`FitResult::model`], what ships.
///
/// Every corpus is analysed with every aligned pair kept; this takes a while (minutes on the full
/// training data).
///
/// ```
/// use std::collections::BTreeMap;
///
/// // A corpus of four copies of one text and an unrelated one: too small to fit anything useful,
/// // but every number is defined.
/// let truth = stemma_eval::Truth::parse(r#"{"articles": {
///     "a": {"derived_from": []}, "b": {"derived_from": ["a"]}, "c": {"derived_from": []},
///     "d": {"derived_from": ["a"]}, "e": {"derived_from": ["a"]}},
///   "derived_pairs": [["a", "b"], ["a", "d"], ["a", "e"]],
///   "related_pairs": [["a", "b"], ["a", "d"], ["a", "e"], ["b", "d"], ["b", "e"], ["d", "e"]]}"#).unwrap();
/// let text = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
///     about 4,000 people. No deaths had been reported by mid-morning, officials said.";
/// let other = "The city council approved the new budget on Tuesday after a long debate. \
///     Spending on parks will rise by a tenth, the mayor said.";
/// let articles = vec![
///     stemma_graph::Article::new("a", text),
///     stemma_graph::Article::new("b", text),
///     stemma_graph::Article::new("c", other),
///     stemma_graph::Article::new("d", text),
///     stemma_graph::Article::new("e", text),
/// ];
/// let story = BTreeMap::from([("a", "s1"), ("b", "s1"), ("c", "s2"), ("d", "s1"), ("e", "s1")]
///     .map(|(a, s)| (a.to_string(), s.to_string())));
/// let mut corpora = stemma_eval::LabelledCorpora::default();
/// corpora.push(stemma_eval::LabelledCorpus::synthetic(articles, truth, story));
/// let fit = stemma_eval::fit_link_model(&corpora);
/// assert_eq!(fit.rules[0].pairs.true_links, 6);
/// // The copies' story also three articles at a time, four times: 12 related pairs, every one
/// // linked by the rules (the whole corpus is not a folder of 5: the story has only 4).
/// assert_eq!(fit.small_folders.len(), 1);
/// let folders = &fit.small_folders[0];
/// assert_eq!((folders.size, folders.related, folders.related_rules), (3, 12, 12));
/// // Every aligned pair with the probability of the model fitted without its story.
/// assert!(fit.pairs_csv.starts_with("corpus,a,b,story,folder,eligible,label,rules,loso_probability,"));
/// assert!(fit.pairs_csv.lines().count() > 1 && !fit.pairs_csv.contains("NaN"));
/// ```
pub fn fit_link_model(corpora: &LabelledCorpora) -> FitResult {
    let problems = corpora.problems.clone();
    let corpora = &corpora.corpora;
    let records = records(corpora);
    let names: Vec<&str> = corpora.iter().map(|c| c.name).collect();
    let model = fit(
        corpora,
        &records,
        |_| true,
        &format!("{}; refit with `{FIT_COMMAND}`", names.join(", ")),
    );
    let training_pairs = corpora
        .iter()
        .enumerate()
        .map(|(c, corpus)| {
            let (mut positive, mut negative) = (0, 0);
            for r in records
                .iter()
                .filter(|r| r.corpus == c && r.folder.is_none() && r.features.shares_block())
            {
                match r.label {
                    Some(true) => positive += 1,
                    Some(false) => negative += 1,
                    None => {}
                }
            }
            (corpus.name.to_owned(), positive, negative)
        })
        .collect();

    let result_of = |c: usize, linked: BTreeSet<(String, String)>, evaluation| FitCorpusResult {
        corpus: corpora[c].name.to_owned(),
        pairs: pair_score(&corpora[c], &linked),
        meter: (!corpora[c].meter.is_empty()).then(|| meter_score(&corpora[c], &linked)),
        evaluation,
    };

    // A corpus analysed with `options`, scored on its labels and, where it has one, its truth.
    let analysed = |c: usize, options: &AnalyzeOptions| -> FitCorpusResult {
        let analysis = analyze(corpora[c].articles.clone(), options);
        let linked = linked_ids(&analysis);
        let evaluation = corpora[c]
            .truth
            .as_ref()
            .map(|t| score(t, &Predicted::from_analysis(&analysis)));
        result_of(c, linked, evaluation)
    };
    let mut loco = Vec::new();
    for c in 0..corpora.len() {
        let held_out = fit(corpora, &records, |r| r.corpus != c, "leave one corpus out");
        let options = AnalyzeOptions {
            relation: RelationOptions {
                decision: Decision::Learned,
                model: Arc::new(held_out),
                ..Default::default()
            },
            ..AnalyzeOptions::default()
        };
        loco.push(analysed(c, &options));
    }

    let mut loso = Vec::new();
    // Each record's probability under the model fitted without its story (for the CSV).
    let mut loso_probability = vec![f64::NAN; records.len()];
    for c in 0..corpora.len() {
        let stories: BTreeSet<&str> = records
            .iter()
            .filter(|r| r.corpus == c)
            .map(|r| r.story.as_str())
            .collect();
        let mut linked = BTreeSet::new();
        for story in stories {
            let touches = |r: &Record| {
                r.corpus == c
                    && (r.story == story
                        || corpora[c].story.get(&r.b).map(String::as_str) == Some(story))
            };
            let model = fit(corpora, &records, |r| !touches(r), "leave one story out");
            for (k, r) in records.iter().enumerate() {
                if r.corpus == c && r.story == story {
                    loso_probability[k] = model.probability(&r.features);
                }
            }
            linked.extend(linked_pairs(
                records
                    .iter()
                    .filter(|r| r.corpus == c && r.story == story && r.folder.is_none()),
                |r| model.probability(&r.features) >= model.threshold,
            ));
        }
        loso.push(result_of(c, linked, None));
    }

    let mut pairs_csv = format!(
        "corpus,a,b,story,folder,eligible,label,rules,loso_probability,{}\n",
        stemma_graph::FEATURE_NAMES.join(",")
    );
    let mut small_folders: BTreeMap<(usize, usize), FolderScore> = BTreeMap::new();
    for (r, loso) in records.iter().zip(&loso_probability) {
        let (Some(size), Some(label)) = (r.folder, r.label) else {
            continue;
        };
        let s = small_folders
            .entry((r.corpus, size))
            .or_insert(FolderScore {
                corpus: corpora[r.corpus].name.to_owned(),
                size,
                ..FolderScore::default()
            });
        let learned = usize::from(r.features.may_link() && *loso >= THRESHOLD);
        let rules = usize::from(r.rules.is_some());
        if label {
            s.related += 1;
            s.related_learned += learned;
            s.related_rules += rules;
        } else {
            s.independent += 1;
            s.independent_learned += learned;
            s.independent_rules += rules;
        }
    }
    let small_folders: Vec<FolderScore> = small_folders.into_values().collect();
    for (r, loso) in records.iter().zip(&loso_probability) {
        let values: Vec<String> = r
            .features
            .values()
            .iter()
            .map(|x| format!("{x:.5}"))
            .collect();
        pairs_csv += &format!(
            "{},{},{},{},{},{},{},{},{loso:.5},{}\n",
            corpora[r.corpus].name,
            r.a,
            r.b,
            r.story,
            // A folder of a few articles as size/draw; empty in the whole corpus.
            r.folder
                .map_or(String::new(), |size| format!("{size}/{}", r.draw)),
            u8::from(r.features.shares_block()),
            r.label.map_or(String::new(), |l| u8::from(l).to_string()),
            r.rules.map_or("", |x| x.as_str()),
            values.join(",")
        );
    }
    let rules_options = AnalyzeOptions {
        relation: RelationOptions {
            decision: Decision::Rules,
            ..Default::default()
        },
        ..AnalyzeOptions::default()
    };
    let rules = (0..corpora.len())
        .map(|c| analysed(c, &rules_options))
        .collect();

    let in_sample = (0..corpora.len())
        .map(|c| {
            let linked = linked_pairs(
                records
                    .iter()
                    .filter(|r| r.corpus == c && r.folder.is_none()),
                |r| model.probability(&r.features) >= model.threshold,
            );
            result_of(c, linked, None)
        })
        .collect();

    FitResult {
        model,
        loco,
        loso,
        in_sample,
        training_pairs,
        rules,
        small_folders,
        problems,
        pairs_csv,
    }
}

impl FitResult {
    /// Writes the text report of `stemma measure fit`: the problems, the training pairs, the four
    /// tables, whether the shipped model is this fit, and the fitted weights.
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let r = self;
        for p in &r.problems {
            writeln!(out, "not measured: {p}")?;
        }
        writeln!(out, "labelled aligned pairs (related / independent):")?;
        for (name, positive, negative) in &r.training_pairs {
            writeln!(out, "  {name:<10} {positive:>6} / {negative:>6}")?;
        }
        for (title, rows) in [
            (
                "the rules (`--decision rules`; fitted on nothing, hand-set on seeds and demo)",
                &r.rules,
            ),
            (
                "leave one corpus out (model fitted on the other corpora)",
                &r.loco,
            ),
            ("leave one story out (pooled within each corpus)", &r.loso),
            (
                "IN SAMPLE (the shipped model on its own training data)",
                &r.in_sample,
            ),
        ] {
            writeln!(out, "\n{title}:")?;
            writeln!(
                out,
                "  {:<10} {:>9} {:>7} {:>7} {:>9} {:>9}  extra",
                "corpus", "precision", "recall", "F1", "false", "missed"
            )?;
            for row in rows.iter() {
                let s = &row.pairs;
                write!(
                    out,
                    "  {:<10} {:>9.3} {:>7.3} {:>7.3} {:>9} {:>9}",
                    row.corpus,
                    s.precision(),
                    s.recall(),
                    s.f1(),
                    format!("{}/{}", s.false_links, s.false_links + s.true_negatives),
                    format!("{}/{}", s.missed, s.missed + s.true_links),
                )?;
                if let Some(m) = &row.meter {
                    write!(
                        out,
                        "  story accuracy {:.3} (majority {:.3}); non-derived linked {}/{}; derived linked {}/{}",
                        m.accuracy,
                        m.majority,
                        m.non_derived_linked,
                        m.non_derived,
                        m.derived_linked,
                        m.derived
                    )?;
                }
                if let Some(e) = &row.evaluation {
                    write!(
                        out,
                        "  independent linked {}/{}; missing sources {}/{}; oriented {}/{}; parents {}/{}",
                        e.independent.linked,
                        e.independent.pairs,
                        e.missing_sources.found,
                        e.missing_sources.assessed,
                        e.orientation.right,
                        e.orientation.evaluated,
                        e.chains.parent_correct,
                        e.chains.evaluated,
                    )?;
                }
                writeln!(out)?;
            }
        }
        writeln!(
            out,
            "\nlabelled pairs in folders of 3 or 5 articles of one story, linked by the learned \
             decision (leave one story out) / by the rules:"
        )?;
        for s in &r.small_folders {
            writeln!(
                out,
                "  {:<10} {} articles: related {} / {} of {}, independent {} / {} of {}",
                s.corpus,
                s.size,
                s.related_learned,
                s.related_rules,
                s.related,
                s.independent_learned,
                s.independent_rules,
                s.independent
            )?;
        }
        let shipped = LinkModel::shipped();
        writeln!(
            out,
            "\nshipped model ({}): {}",
            SHIPPED_PATH,
            if *shipped == r.model {
                "the same as this fit"
            } else {
                "DIFFERS from this fit (refit it with --write)"
            }
        )?;
        writeln!(out, "\nmodel (standardized weights):")?;
        for (name, w) in r.model.features.iter().zip(&r.model.weights) {
            writeln!(out, "  {name:<22} {w:>8.3}")?;
        }
        writeln!(out, "  {:<22} {:>8.3}", "bias", r.model.bias)?;
        Ok(())
    }

    /// Writes the model fitted on everything to `path` (the shipped model is at
    /// [`SHIPPED_PATH`], from the workspace root), as `stemma measure fit --write` does.
    ///
    /// # Errors
    /// [`MeasureError::Incomplete`] (nothing written) if a corpus could not be read; an I/O error
    /// if the file cannot be written.
    pub fn write_model(&self, path: &Path) -> Result<(), MeasureError> {
        if !self.problems.is_empty() {
            return Err(MeasureError::Incomplete);
        }
        std::fs::write(path, self.model.to_json()).map_err(|source| MeasureError::Io {
            context: format!("{}: cannot write the model", path.display()),
            source,
        })
    }
}
