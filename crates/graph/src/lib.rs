//! Corpus-level provenance: which articles reuse whose text, in what way, and from which missing source.
//!
//! [`analyze`] runs the whole job on a list of [`Article`]s:
//! articles → documents (segmented, tokenized; lines repeated across the corpus marked as furniture)
//! → corpus term weights → [`Candidates`] (pairs sharing rare features, without all-pairs cost)
//! → sentence alignment of each candidate pair (in parallel) → [`PairEvidence`]: the pair's
//! features and the rules' relation → the corpus context (how far each pair stands out from its
//! documents' other pairs, [`PairFeatures::above_least`]) and the decision ([`Decision`]) →
//! [`DerivationGraph`] with families and missing sources. The `stemma-report` crate writes the
//! result as JSON, DOT, an SVG picture, a self-contained HTML report or CSV.
//!
//! Source layout, one module per stage: `corpus.rs` (articles and metadata, with `time.rs` and
//! `calendar.rs`, publication times), `candidates.rs`, `evidence.rs` (a pair's measurements and the
//! rules), `features.rs` and `model.rs` (the learned decision), `derivation.rs`; `lib.rs` wires them.
//!
//! ```
//! use stemma_graph::{analyze, Article, AnalyzeOptions};
//! let wire = "Border villages were evacuated after heavy shelling on Monday, officials said. \
//!     The governor said two civilians were injured while being evacuated from their homes. \
//!     Temporary shelters were set up for about 9,300 displaced people in the district.";
//! let copy = "Border villages were evacuated after heavy shelling on Monday, officials said. \
//!     The governor said two civilians were injured while being evacuated from their homes. \
//!     Temporary shelters were set up for some 9,300 displaced people in the district.";
//! let result = analyze(vec![Article::new("wire", wire), Article::new("copy", copy)], &AnalyzeOptions::default());
//! assert_eq!(result.related_pairs().count(), 1);
//! ```
#![forbid(unsafe_code)]

// The modules are private: what a user needs is re-exported here, so the surface is this list.
mod calendar;
mod candidates;
mod corpus;
mod counts;
mod derivation;
mod evidence;
mod features;
mod model;
mod time;

pub use calendar::{MONTHS, WEEKDAYS, civil_from_days, days_from_civil, weekday_of};
pub use candidates::{
    CandidateOptions, Candidates, candidate_key, feature_surprise, is_narrative,
    weighted_containment,
};
pub use corpus::{
    Article, ArticleInfo, Metadata, Precision, Provenance, Sourced, Timestamp, TimestampError,
    TimestampProblem, parse_timestamp, published_in_text,
};
pub use counts::{ArticleCounts, CorpusCounts, CountKeys, CountTable};
// `CountBatch` is defined below, beside `article_counts`.
pub use derivation::{
    DerivationGraph, Direction, Edge, Family, GraphEdge, GraphError, Link, Node, NodeKind, derive,
};
pub use evidence::{
    Decision, PairEvidence, Relation, RelationOptions, is_narrative as is_narrative_group,
};
pub use features::{
    BACKGROUND_COUNT, FEATURE_COUNT, FEATURE_DIRECTIONS, FEATURE_NAMES, MIN_LINK_COVERAGE,
    PairFeatures,
};
pub use model::{LinkModel, TrainingSet};
pub use stemma_align::logistic::ModelError;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use stemma_align::Normalizer;
use stemma_align::SentenceKind;
use stemma_align::{AlignOptions, PreparedDocument, align_prepared};
use stemma_align::{Document, TextAnalysis, Vocabulary};
use stemma_align::{FurnitureKind, SentenceRole};
use stemma_align::{Scorer, SimilarityParams, TermWeights};

use crate::candidates::candidate_pairs;
use crate::evidence::evidence;
use crate::features::{BACKGROUND_COUNT as BACKGROUNDS, Backgrounds, BestRenderings, Rendering};

/// What the corpus background keeps of an aligned pair: its documents and its background features.
type Background = (usize, usize, [f64; BACKGROUNDS]);

/// An aligned pair after the parallel stage: its index among the pairs to align, what the corpus
/// context needs of it (when it has narrative evidence), and its evidence (when it may be a link or
/// every pair is kept).
type AlignedPair = (
    usize,
    Option<Background>,
    Vec<Rendering>,
    Option<PairEvidence>,
);

/// Settings of a corpus analysis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalyzeOptions {
    /// Sentence alignment thresholds.
    pub align: AlignOptions,
    /// Similarity credits.
    pub similarity: SimilarityParams,
    /// Candidate generation.
    pub candidates: CandidateOptions,
    /// Relation thresholds.
    pub relation: RelationOptions,
    /// Align every pair instead of candidate pairs only (to check that candidates lose nothing).
    pub all_pairs: bool,
    /// Keep the evidence of every aligned pair, links or not (to fit and check the link model on a
    /// labelled corpus; a large corpus would hold all its candidates' alignments).
    pub keep_unrelated: bool,
    /// Which pairs are compared: all, or only sources against targets.
    pub scope: Scope,
}

/// Which pairs of a corpus are compared.
///
/// ```
/// use std::collections::BTreeSet;
/// use stemma_graph::{analyze, AnalyzeOptions, Article, Direction, Scope};
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes. \
///     Temporary shelters were set up for about 9,300 displaced people in the district.";
/// let articles = vec![Article::new("wire", text), Article::new("copy-1", text), Article::new("copy-2", text)];
/// let scope = Scope::Across { sources: BTreeSet::from(["wire".to_string()]) };
/// let analysis = analyze(articles, &AnalyzeOptions { scope, ..AnalyzeOptions::default() });
/// // The two copies are not compared with each other; the wire is their declared source.
/// assert_eq!(analysis.related_pairs().count(), 2);
/// assert!(analysis.derivation.edges().all(|e| e.edge.direction == Direction::Declared && e.source == 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Scope {
    /// Every pair (the default).
    #[default]
    All,
    /// Only pairs of a source and a target (a wire archive against a crawl): the articles whose
    /// ids are in `sources` are sources, the others targets. A source is the source of a target it
    /// is related to unless publication times say otherwise ([`Direction::Declared`]).
    Across {
        /// The ids of the sources.
        sources: BTreeSet<String>,
    },
}

/// Counts that say how much work the analysis did: in the JSON report and the `--timings` line, and
/// read back from them by benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    /// Documents analysed.
    pub documents: usize,
    /// n(n−1)/2.
    pub all_pairs: usize,
    /// Pairs aligned.
    pub aligned_pairs: usize,
    /// Pairs found related.
    pub related_pairs: usize,
    /// Candidate features dropped as banal.
    pub banal_features: usize,
    /// Sentences marked as furniture because they repeat across the corpus.
    pub repeated_lines: usize,
}

/// Wall time of each stage of an analysis. It differs from run to run, so it is kept out of every
/// output format; benchmarks report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timings {
    /// Segmenting, tokenizing and interning the texts; marking repeated lines.
    pub documents: Duration,
    /// Term weights and candidate pairs.
    pub candidates: Duration,
    /// Aligning the candidate pairs and weighing their evidence.
    pub align: Duration,
    /// The derivation graph, families and missing sources.
    pub graph: Duration,
}

/// The result of a corpus analysis.
#[derive(Debug)]
pub struct CorpusAnalysis {
    /// The articles' identities and metadata, sorted by id (indices below refer to this order).
    pub articles: Vec<ArticleInfo>,
    /// Their documents, same order: each holds its article's text (`documents[i].text`).
    pub documents: Vec<Document>,
    /// Evidence of every related pair, sorted by (a, b). Pairs aligned and found unrelated are only
    /// counted ([`Stats::aligned_pairs`]): on a large corpus they are most of the candidates, and their
    /// alignments would hold most of the memory. With [`AnalyzeOptions::keep_unrelated`] they are
    /// kept too, with no relation.
    pub pairs: Vec<PairEvidence>,
    /// The derivation graph and families.
    pub derivation: DerivationGraph,
    /// Work counts.
    pub stats: Stats,
    /// Time per stage.
    pub timings: Timings,
    /// What the user should know about what was and was not compared: limits reached, texts read
    /// as page furniture whole. A caller may add its own (the CLI puts its input diagnostics first).
    pub diagnostics: Vec<Diagnostic>,
}

/// Something that changed what was compared, named by where it happened; reported on standard
/// error and in the JSON report's `diagnostics`, never silent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// A file as the user named it (for input problems) or an article id (for the analysis's).
    pub source: String,
    /// The 1-based line in that file, where one applies.
    pub line: Option<usize>,
    /// What happened and what was done about it.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    /// `source:line: message`, or `source: message` when no line applies.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for Diagnostic {}

/// What the analysis set aside in each document, in id order.
fn document_diagnostics(documents: &[Document]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in documents {
        let note = |message: String| Diagnostic {
            source: doc.id.clone(),
            line: None,
            message,
        };
        out.extend(doc.segmentation.limits_reached().into_iter().map(note));
        let sentences = doc.sentences.len();
        if sentences > 0 && (0..sentences).all(|i| !doc.is_body(i)) {
            out.push(note(format!(
                "all {sentences} of its lines read as page furniture (menus, notices, headlines, \
                 lines repeated on many pages): it is compared with nothing"
            )));
        }
    }
    out
}

impl CorpusAnalysis {
    /// The pairs that have a relation (all of [`CorpusAnalysis::pairs`] unless
    /// [`AnalyzeOptions::keep_unrelated`] was set).
    pub fn related_pairs(&self) -> impl Iterator<Item = &PairEvidence> {
        self.pairs.iter().filter(|p| p.relation.is_some())
    }
}

/// Sentences with fewer content words than this count as short lines for [`mark_repeated_lines`].
const SHORT_LINE_CONTENT_WORDS: usize = 8;

/// Lines found in at least this many documents (and this share of the corpus) are furniture.
fn repeated_line_threshold(documents: usize) -> usize {
    5.max(documents.div_ceil(50))
}

/// Articles segmented and tokenized at a time: bounds the memory of not-yet-interned tokens.
const ANALYSIS_CHUNK: usize = 1024;

/// Two articles compared as [`analyze`] compares them in a corpus of their own: their documents and
/// the evidence of the pair (alignment, features, probability, relation), related or not. The
/// one-call API for a single pair; `stemma analyze A B` gives the same relation.
///
/// ```
/// use stemma_graph::{compare_articles, Article, AnalyzeOptions};
/// let wire = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
///     about 4,000 people from villages downstream, officials said. No deaths had been reported by \
///     mid-morning, but one man was missing after his car was swept off the river road.";
/// let spun = "Floodwater burst through the Ulden dam in the early hours of Monday, forcing some 4,000 \
///     people from villages downstream to leave, officials stated. No fatalities had been reported by \
///     mid-morning, but one man was missing after his vehicle was carried off the river road.";
/// let pair = compare_articles(Article::new("wire", wire), Article::new("spun", spun), &AnalyzeOptions::default());
/// assert_eq!(pair.documents[0].id, "spun");
/// assert!(pair.evidence.relation.is_some());
/// assert_eq!(pair.evidence.alignment.groups.len(), 2);
/// ```
pub fn compare_articles(a: Article, b: Article, options: &AnalyzeOptions) -> PairComparison {
    let options = AnalyzeOptions {
        all_pairs: true,
        keep_unrelated: true,
        ..options.clone()
    };
    let mut analysis = analyze(vec![a, b], &options);
    let evidence = analysis
        .pairs
        .pop()
        .expect("two documents make one pair, kept related or not");
    let second = analysis.documents.pop().expect("two documents");
    let first = analysis.documents.pop().expect("two documents");
    PairComparison {
        documents: [first, second],
        evidence,
    }
}

/// Two articles compared ([`compare_articles`]).
#[derive(Debug, Clone)]
pub struct PairComparison {
    /// The two documents, sorted by id (`evidence.a` is 0, `evidence.b` is 1).
    pub documents: [Document; 2],
    /// Everything measured about the pair, with its relation if it is one.
    pub evidence: PairEvidence,
}

/// A stage of an analysis, as a progress report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Segmenting, tokenizing and interning the texts; a step is an article.
    Documents,
    /// Term weights and candidate pairs; no steps.
    Candidates,
    /// Aligning the candidate pairs; a step is a pair.
    Alignment,
    /// The corpus context, the decision and the derivation graph; no steps.
    Derivation,
}

impl Stage {
    /// What the stage does, in words: `reading articles`, `finding candidate pairs`, `aligning
    /// pairs`, `building the derivation graph`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Documents => "reading articles",
            Stage::Candidates => "finding candidate pairs",
            Stage::Alignment => "aligning pairs",
            Stage::Derivation => "building the derivation graph",
        }
    }
}

/// Told how an analysis advances, for a progress bar with a count, a rate and an estimate of the time
/// left. Called from the analysis's worker threads; an implementation must be cheap.
pub trait Progress: Sync {
    /// A stage begins; it has `steps` steps (0: it is not counted).
    fn stage(&self, stage: Stage, steps: usize);
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: usize);
}

/// No progress report: what [`analyze`] uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: Stage, _: usize) {}
    fn advance(&self, _: usize) {}
}

/// Analyses a corpus. Articles are sorted by id first, so the result does not depend on input order;
/// parallel steps collect in index order, so it does not depend on the thread count either.
pub fn analyze(articles: Vec<Article>, options: &AnalyzeOptions) -> CorpusAnalysis {
    analyze_with_progress(articles, options, &Silent)
}

/// [`analyze`], telling `progress` how it advances.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use stemma_graph::{analyze_with_progress, AnalyzeOptions, Article, Progress, Stage};
///
/// #[derive(Default)]
/// struct Count(AtomicUsize);
/// impl Progress for Count {
///     fn stage(&self, _: Stage, _: usize) {}
///     fn advance(&self, steps: usize) { self.0.fetch_add(steps, Ordering::Relaxed); }
/// }
/// let text = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
///     about 4,000 people. No deaths had been reported by mid-morning, officials said.";
/// let count = Count::default();
/// let options = AnalyzeOptions { all_pairs: true, ..AnalyzeOptions::default() };
/// analyze_with_progress(vec![Article::new("a", text), Article::new("b", text)], &options, &count);
/// assert_eq!(count.0.into_inner(), 2 + 1); // two articles read, one pair aligned
/// ```
pub fn analyze_with_progress(
    articles: Vec<Article>,
    options: &AnalyzeOptions,
    progress: &dyn Progress,
) -> CorpusAnalysis {
    analyze_in_corpus(articles, options, progress, Outside::Nothing)
}

/// Analyses new articles against an archive that is held on disk, not in memory: `articles` are
/// the new articles and those archived articles that may be related to them (an index finds them),
/// `archived` names the archived ones, and `counts` holds the counts of the whole archive (the
/// archived articles given here included). Only archived articles are compared with new ones, as
/// with [`Scope::Across`] (whatever `options.scope` says), and term weights, banal features and
/// repeated lines are those of the corpus of the archive and the new articles together. So the
/// related pairs are those that [`analyze`] finds between the two sets on that corpus held whole
/// (`stemma-index` tests it), at a cost that grows with the new articles, not with the archive.
///
/// ```
/// use std::collections::BTreeSet;
/// use stemma_graph::{analyze_with_archive, article_counts, AnalyzeOptions, Article, CountTable, Silent};
/// let wire = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes.";
/// let options = AnalyzeOptions::default();
/// // An archive of one article, counted.
/// let archive = vec![Article::new("wire", wire)];
/// let mut counts = CountTable::default();
/// for article in article_counts(archive.clone(), &CountTable::default(), &options) {
///     counts.add(&article);
/// }
/// let mut articles = archive;
/// articles.push(Article::new("copy", wire));
/// let archived = BTreeSet::from(["wire".to_string()]);
/// let analysis = analyze_with_archive(articles, &archived, &counts, &options, &Silent);
/// assert_eq!(analysis.related_pairs().count(), 1);
/// ```
pub fn analyze_with_archive(
    articles: Vec<Article>,
    archived: &BTreeSet<String>,
    counts: &dyn CorpusCounts,
    options: &AnalyzeOptions,
    progress: &dyn Progress,
) -> CorpusAnalysis {
    let options = AnalyzeOptions {
        scope: Scope::Across {
            sources: archived.clone(),
        },
        ..options.clone()
    };
    analyze_in_corpus(articles, &options, progress, Outside::Archive(counts))
}

/// What each article adds to the counts of a corpus (an archive index) that already holds the
/// articles counted in `counts`: computed as [`analyze`] computes them on that corpus with these
/// articles added, term weights and repeated lines included. In the order of `articles`.
///
/// ```
/// use stemma_graph::{article_counts, AnalyzeOptions, Article, CountTable};
/// let text = "Border villages were evacuated after heavy shelling on Monday, officials said.";
/// let counts = article_counts(vec![Article::new("a", text)], &CountTable::default(), &AnalyzeOptions::default());
/// assert_eq!(counts.len(), 1);
/// assert_eq!(counts[0].lines.len(), 1);
/// assert!(!counts[0].features.is_empty());
/// ```
pub fn article_counts(
    articles: Vec<Article>,
    counts: &dyn CorpusCounts,
    options: &AnalyzeOptions,
) -> Vec<ArticleCounts> {
    CountBatch::new(articles).counts(counts, options)
}

/// The distinct term hashes and line fingerprints of some articles, sorted: the keys whose counts
/// [`article_counts`] and [`analyze_with_archive`] look up in an archive's [`CorpusCounts`], so that
/// an index can load just those into a [`CountTable`].
///
/// ```
/// use stemma_graph::{article_counts, count_keys, AnalyzeOptions, Article, CountTable};
/// let articles = vec![Article::new("a", "Border villages were evacuated on Monday, officials said.")];
/// let keys = count_keys(articles.clone());
/// let counts = article_counts(articles, &CountTable::default(), &AnalyzeOptions::default());
/// assert_eq!((keys.terms, keys.lines), (counts[0].terms.clone(), counts[0].lines.clone()));
/// ```
pub fn count_keys(articles: Vec<Article>) -> CountKeys {
    CountBatch::new(articles).keys()
}

/// Articles tokenized once for [`count_keys`] and [`article_counts`] both: an index asks for the
/// keys, loads their counts, then takes the articles' counts, without segmenting and tokenizing
/// the texts twice.
///
/// ```
/// use stemma_graph::{article_counts, AnalyzeOptions, Article, CountBatch, CountTable};
/// let articles = vec![Article::new("a", "Border villages were evacuated on Monday, officials said.")];
/// let batch = CountBatch::new(articles.clone());
/// let keys = batch.keys();
/// let options = AnalyzeOptions::default();
/// let counts = batch.counts(&CountTable::default(), &options);
/// assert_eq!(counts, article_counts(articles, &CountTable::default(), &options));
/// assert_eq!(keys.terms, counts[0].terms);
/// ```
pub struct CountBatch {
    documents: Vec<Document>,
    vocab: Vocabulary,
    fingerprints: Vec<Vec<(usize, u128)>>,
}

impl std::fmt::Debug for CountBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountBatch")
            .field("documents", &self.documents.len())
            .finish_non_exhaustive()
    }
}

impl CountBatch {
    /// Segments and tokenizes the articles (in parallel).
    pub fn new(articles: Vec<Article>) -> CountBatch {
        let (articles, texts): (Vec<ArticleInfo>, Vec<String>) =
            articles.into_iter().map(Article::into_parts).unzip();
        let mut vocab = Vocabulary::new();
        let documents = documents_of(&articles, texts, &mut vocab, &Silent);
        let fingerprints = line_fingerprints(&documents, &vocab);
        CountBatch {
            documents,
            vocab,
            fingerprints,
        }
    }

    /// The keys whose counts [`CountBatch::counts`] looks up ([`count_keys`]).
    pub fn keys(&self) -> CountKeys {
        let mut terms = self.vocab.term_hashes().to_vec();
        terms.sort_unstable();
        terms.dedup();
        let mut lines: Vec<u128> = self
            .fingerprints
            .iter()
            .flatten()
            .map(|&(_, key)| key)
            .collect();
        lines.sort_unstable();
        lines.dedup();
        CountKeys { terms, lines }
    }

    /// What each article adds to the counts of a corpus that holds the articles counted in
    /// `counts` ([`article_counts`]), in the order of the articles.
    pub fn counts(self, counts: &dyn CorpusCounts, options: &AnalyzeOptions) -> Vec<ArticleCounts> {
        let CountBatch {
            mut documents,
            vocab,
            fingerprints,
        } = self;
        let counted = vec![false; documents.len()];
        let total = documents.len() + counts.documents();
        let lines: Vec<Vec<u128>> = fingerprints
            .iter()
            .map(|keys| {
                let mut lines: Vec<u128> = keys.iter().map(|&(_, key)| key).collect();
                lines.sort_unstable();
                lines.dedup();
                lines
            })
            .collect();
        mark_repeated_lines(&mut documents, fingerprints, &counted, counts, total);
        let weights = corpus_weights(&documents, &vocab, &counted, counts, total);
        counts::counts_of(&documents, &vocab, lines, &weights, &options.candidates)
    }
}

/// Term weights of a corpus: document frequencies counted over the documents not `counted`, in
/// parallel into one table (a table per thread would multiply the vocabulary's size by the number
/// of splits), plus the counts held outside, over `total` documents.
fn corpus_weights(
    documents: &[Document],
    vocab: &Vocabulary,
    counted: &[bool],
    counts: &dyn CorpusCounts,
    total: usize,
) -> TermWeights {
    let tally: Vec<AtomicU32> = (0..vocab.len()).map(|_| AtomicU32::new(0)).collect();
    documents
        .par_iter()
        .zip(counted.par_iter())
        .filter(|(_, counted)| !**counted)
        .for_each_init(Vec::new, |terms, (doc, _)| {
            terms.clear();
            terms.extend(
                doc.sentences
                    .iter()
                    .flat_map(|s| s.tokens.iter().map(|t| t.term.as_u32())),
            );
            terms.sort_unstable();
            terms.dedup();
            for &t in terms.iter() {
                tally[t as usize].fetch_add(1, AtomicOrdering::Relaxed);
            }
        });
    let df: Vec<u32> = if counts.documents() == 0 {
        tally.into_iter().map(AtomicU32::into_inner).collect()
    } else {
        tally
            .into_par_iter()
            .enumerate()
            .map(|(t, n)| n.into_inner() + counts.term_documents(vocab.term_hashes()[t]))
            .collect()
    };
    TermWeights::from_corpus(vocab, &df, total)
}

/// Analyses one part of a corpus whose other articles are counted in `rest` (and not given): a
/// connected part of the corpus's candidate pairs, as a distributed job splits a corpus. Term
/// weights, banal features and repeated lines are those of the whole corpus; the pairs compared are
/// the part's. When no candidate pair of the whole corpus joins the part to the rest, its related
/// pairs, relations and families are those [`analyze`] finds among the part's articles in the whole
/// corpus (the median page share of a repeated line is taken over the part's pages).
///
/// ```
/// use stemma_graph::{analyze_part, article_counts, AnalyzeOptions, Article, CountTable, Silent};
/// let wire = "Border villages were evacuated after heavy shelling on Monday, officials said. \
///     The governor said two civilians were injured while being evacuated from their homes.";
/// let options = AnalyzeOptions::default();
/// let rest = vec![Article::new("other", "The mill closed on Friday. Forty people lost their jobs.")];
/// let mut counts = CountTable::default();
/// for article in article_counts(rest, &CountTable::default(), &options) {
///     counts.add(&article);
/// }
/// let part = vec![Article::new("wire", wire), Article::new("copy", wire)];
/// let analysis = analyze_part(part, &counts, &options, &Silent);
/// assert_eq!(analysis.related_pairs().count(), 1);
/// ```
pub fn analyze_part(
    articles: Vec<Article>,
    rest: &dyn CorpusCounts,
    options: &AnalyzeOptions,
    progress: &dyn Progress,
) -> CorpusAnalysis {
    analyze_in_corpus(articles, options, progress, Outside::Rest(rest))
}

/// What of a corpus an analysis does not hold.
#[derive(Clone, Copy)]
enum Outside<'a> {
    /// Nothing: the corpus is held whole.
    Nothing,
    /// An archive, counted whole; the articles given that `options.scope` names as sources are
    /// archived ones (counted in it).
    Archive(&'a dyn CorpusCounts),
    /// The articles not given, counted.
    Rest(&'a dyn CorpusCounts),
}

/// [`analyze_with_progress`], in a corpus of which `outside` counts the articles not given.
fn analyze_in_corpus(
    mut articles: Vec<Article>,
    options: &AnalyzeOptions,
    progress: &dyn Progress,
    outside: Outside<'_>,
) -> CorpusAnalysis {
    let started = Instant::now();
    articles.sort_by(|x, y| x.id.cmp(&y.id));
    // Each text moves into its document: a corpus is held once, not twice.
    let (articles, texts): (Vec<ArticleInfo>, Vec<String>) =
        articles.into_iter().map(Article::into_parts).unzip();
    let mut vocab = Vocabulary::new();
    progress.stage(Stage::Documents, articles.len());
    let mut documents = documents_of(&articles, texts, &mut vocab, progress);
    // Per document, whether it is a declared source (with `Scope::Across`).
    let sides: Option<Vec<bool>> = match &options.scope {
        Scope::All => None,
        Scope::Across { sources } => {
            Some(documents.iter().map(|d| sources.contains(&d.id)).collect())
        }
    };
    // The archived documents are counted outside already.
    let (outside, counted): (&dyn CorpusCounts, Vec<bool>) = match outside {
        Outside::Archive(counts) => (
            counts,
            sides
                .clone()
                .expect("an archive analysis names its sources"),
        ),
        Outside::Rest(counts) => (counts, vec![false; documents.len()]),
        Outside::Nothing => (&counts::Nothing, vec![false; documents.len()]),
    };
    let total = counted.iter().filter(|&&c| !c).count() + outside.documents();
    let fingerprints = line_fingerprints(&documents, &vocab);
    let repeated_lines =
        mark_repeated_lines(&mut documents, fingerprints, &counted, outside, total);
    let mut diagnostics = document_diagnostics(&documents);
    let documents_done = Instant::now();

    let weights = corpus_weights(&documents, &vocab, &counted, outside, total);
    let n = documents.len();
    let in_scope = |i: usize, j: usize| sides.as_ref().is_none_or(|s| s[i] != s[j]);
    let all_pairs = match &sides {
        None => n * n.saturating_sub(1) / 2,
        Some(s) => {
            let sources = s.iter().filter(|&&x| x).count();
            sources * (n - sources)
        }
    };

    progress.stage(Stage::Candidates, 0);
    let (pairs_to_align, banal_features) = if options.all_pairs {
        let all: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .filter(|&(i, j)| in_scope(i, j))
            .collect();
        (all, 0)
    } else {
        let c = candidate_pairs(
            &documents,
            &vocab,
            &weights,
            &options.candidates,
            sides.as_deref(),
            candidates::Outside {
                counted: &counted,
                counts: outside,
                documents: total,
            },
        );
        let limit = options.candidates.max_partners_per_document;
        diagnostics.extend(c.partners_cut.iter().map(|&(d, partners)| Diagnostic {
            source: documents[d].id.clone(),
            line: None,
            message: format!(
                "shares text with {partners} articles; only the {limit} it shares the most \
                 with are aligned"
            ),
        }));
        // Per document, in id order, whatever stage said it.
        diagnostics.sort_by(|x, y| x.source.cmp(&y.source));
        (c.pairs, c.banal_features)
    };
    let candidates_done = Instant::now();

    let scorer = Scorer::new(&vocab, options.similarity);
    progress.stage(Stage::Alignment, pairs_to_align.len());
    let units = work_units(&pairs_to_align, n);
    let capped_pairs = std::sync::Mutex::new(Vec::new());
    let mut aligned: Vec<AlignedPair> = units
        .par_iter()
        .flat_map_iter(|unit| {
            // Every document of the unit is prepared once, however many of its pairs it is in.
            let mut members: Vec<usize> = unit
                .iter()
                .flat_map(|&k| [pairs_to_align[k].0, pairs_to_align[k].1])
                .collect();
            members.sort_unstable();
            members.dedup();
            let prepared: Vec<PreparedDocument<'_>> = members
                .iter()
                .map(|&d| PreparedDocument::new(&documents[d], &weights, &scorer))
                .collect();
            let slot = |d: usize| {
                members
                    .binary_search(&d)
                    .expect("both documents of a pair are members of its unit")
            };
            unit.iter()
                .map(|&k| {
                    let (i, j) = pairs_to_align[k];
                    let alignment = align_prepared(
                        &prepared[slot(i)],
                        &prepared[slot(j)],
                        &scorer,
                        &options.align,
                    );
                    if let Some(message) = alignment.limit_reached() {
                        capped_pairs
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push((i, j, message));
                    }
                    let e = evidence(i, j, &documents[i], &documents[j], alignment, options);
                    progress.advance(1);
                    // The corpus context is the pairs with narrative evidence: the pairs that
                    // `--all-pairs` aligns beyond the candidates almost never have any.
                    let context = e.features.has_narrative_evidence();
                    let background = context.then(|| (i, j, e.features.background_values()));
                    let renderings = if context {
                        features::renderings(i, j, &e.alignment)
                    } else {
                        Vec::new()
                    };
                    // Only pairs that may be links are needed after this: four candidate pairs in
                    // five are unrelated on a large corpus, and their alignments would hold most of
                    // the memory. What the background needs of them is kept.
                    let may_link = match options.relation.decision {
                        Decision::Rules => e.relation.is_some(),
                        Decision::Learned => e.features.may_link(),
                    };
                    let kept = (may_link || options.keep_unrelated).then_some(e);
                    (k, background, renderings, kept)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    aligned.sort_unstable_by_key(|(k, _, _, _)| *k);
    let mut capped_pairs = capped_pairs
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    capped_pairs.sort_unstable();
    diagnostics.extend(capped_pairs.into_iter().map(|(i, j, message)| Diagnostic {
        source: documents[i].id.clone(),
        line: None,
        message: format!("with {}: {message}", documents[j].id),
    }));
    let backgrounds = Backgrounds::new(
        n,
        aligned
            .iter()
            .filter_map(|(_, background, _, _)| *background),
    );
    let sentence_counts: Vec<usize> = documents.iter().map(|d| d.sentences.len()).collect();
    let best_renderings = BestRenderings::new(
        &sentence_counts,
        aligned
            .iter_mut()
            .flat_map(|(_, _, r, _)| std::mem::take(r)),
        options.align.near_identical,
    );
    let mut pairs: Vec<PairEvidence> = aligned.into_iter().filter_map(|(_, _, _, e)| e).collect();
    pairs.par_iter_mut().for_each(|e| {
        backgrounds.fill(e.a, e.b, &mut e.features);
        best_renderings.fill(
            (e.a, &documents[e.a]),
            (e.b, &documents[e.b]),
            &e.alignment,
            &options.align,
            &mut e.features,
        );
        evidence::decide(e, &options.relation);
    });
    drop(backgrounds);
    drop(best_renderings);
    if !options.keep_unrelated {
        pairs.retain(|e| e.relation.is_some());
    }
    let aligned_pairs = pairs_to_align.len();
    let align_done = Instant::now();
    progress.stage(Stage::Derivation, 0);

    let links: Vec<Link<'_>> = pairs
        .iter()
        .filter(|p| p.relation.is_some())
        .map(|p| Link {
            evidence: p,
            groups: p
                .alignment
                .groups
                .iter()
                .filter(|g| evidence::is_narrative(g, &options.align))
                .map(|g| (g.a.clone().collect(), g.b.clone().collect()))
                .collect(),
        })
        .collect();
    let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
    let published: Vec<_> = articles
        .iter()
        .map(|a| a.published.as_ref().map(|p| p.value))
        .collect();
    let derivation = derive(&ids, &published, sides.as_deref(), &sentence_counts, &links);
    let related_pairs = links.len();
    drop(links);
    let graph_done = Instant::now();
    CorpusAnalysis {
        stats: Stats {
            documents: n,
            all_pairs,
            aligned_pairs,
            related_pairs,
            banal_features,
            repeated_lines,
        },
        timings: Timings {
            documents: documents_done - started,
            candidates: candidates_done - documents_done,
            align: align_done - candidates_done,
            graph: graph_done - align_done,
        },
        articles,
        documents,
        pairs,
        derivation,
        diagnostics,
    }
}

/// Pairs aligned in one unit of parallel work.
const PAIRS_PER_UNIT: usize = 2048;

/// Splits the pairs to align (indices into `pairs`) into units of work that share documents. A unit
/// prepares each of its documents once; preparing the partner anew for every pair cost more than
/// aligning it. On a large corpus the candidate graph is one giant component (same-event reports and
/// shared furniture join the stories), so components alone do not make units: documents are numbered
/// in breadth-first order of the candidate graph, which keeps a story and its copies together, and the
/// pairs, sorted by their documents' numbers, are cut into runs of [`PAIRS_PER_UNIT`]. On a generated
/// corpus of 10,000 articles this prepares 33,000 documents for 75,000 pairs instead of 71,000. The
/// split depends on the pairs only, not on the thread count.
fn work_units(pairs: &[(usize, usize)], documents: usize) -> Vec<Vec<usize>> {
    // The candidate graph in compressed adjacency form.
    let mut starts = vec![0usize; documents + 1];
    for &(i, j) in pairs {
        starts[i + 1] += 1;
        starts[j + 1] += 1;
    }
    for d in 0..documents {
        starts[d + 1] += starts[d];
    }
    let mut filled = starts.clone();
    let mut neighbours = vec![0usize; starts[documents]];
    for &(i, j) in pairs {
        neighbours[filled[i]] = j;
        filled[i] += 1;
        neighbours[filled[j]] = i;
        filled[j] += 1;
    }
    let mut rank = vec![usize::MAX; documents];
    let mut next = 0;
    let mut queue = std::collections::VecDeque::new();
    for start in 0..documents {
        if rank[start] != usize::MAX || starts[start] == starts[start + 1] {
            continue;
        }
        rank[start] = next;
        next += 1;
        queue.push_back(start);
        while let Some(d) = queue.pop_front() {
            for &e in &neighbours[starts[d]..starts[d + 1]] {
                if rank[e] == usize::MAX {
                    rank[e] = next;
                    next += 1;
                    queue.push_back(e);
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_unstable_by_key(|&k| {
        let (ri, rj) = (rank[pairs[k].0], rank[pairs[k].1]);
        (ri.min(rj), ri.max(rj))
    });
    order
        .chunks(PAIRS_PER_UNIT)
        .map(<[usize]>::to_vec)
        .collect()
}

/// Segments and tokenizes the articles in parallel, a chunk at a time, while the previous chunk is
/// interned: interning is serial (term ids are handed out in document order, so they do not depend on
/// the thread count) and overlaps with the next chunk's analysis.
fn documents_of(
    articles: &[ArticleInfo],
    mut texts: Vec<String>,
    vocab: &mut Vocabulary,
    progress: &dyn Progress,
) -> Vec<Document> {
    debug_assert_eq!(articles.len(), texts.len());
    let normalizer = Normalizer::new();
    let analyse = |chunk: &mut [String]| -> Vec<TextAnalysis> {
        chunk
            .par_iter_mut()
            .map(|text| TextAnalysis::new(std::mem::take(text), &normalizer))
            .collect()
    };
    let mut documents = Vec::with_capacity(articles.len());
    let mut chunks = articles
        .chunks(ANALYSIS_CHUNK)
        .zip(texts.chunks_mut(ANALYSIS_CHUNK));
    let mut pending: Option<(&[ArticleInfo], Vec<TextAnalysis>)> =
        chunks.next().map(|(chunk, texts)| (chunk, analyse(texts)));
    while let Some((chunk, analyses)) = pending.take() {
        let next = chunks.next();
        let (next_analyses, ()) = rayon::join(
            || next.map(|(c, texts)| (c, analyse(texts))),
            || {
                for (analysis, article) in analyses.into_iter().zip(chunk) {
                    let mut doc = vocab.intern(article.id.clone(), analysis);
                    if let Some(title) = &article.title {
                        mark_headline(&mut doc, &title.value);
                    }
                    documents.push(doc);
                }
                progress.advance(chunk.len());
            },
        );
        pending = next_analyses;
    }
    documents
}

/// Marks the body sentences whose text is the article's title (its metadata headline) as the
/// headline: a headline is no evidence of a shared text (`stemma_align::furniture`).
fn mark_headline(doc: &mut Document, title: &str) {
    let title = title.trim();
    if title.is_empty() {
        return;
    }
    for i in 0..doc.sentences.len() {
        if doc.is_body(i) && doc.sentence_text(i).trim() == title {
            doc.sentences[i].role = SentenceRole::Furniture(FurnitureKind::Headline);
        }
    }
}

/// Share of a page's body (in content words) from which a recurring block is the page's story
/// rather than furniture around it: the median over the pages that carry the block.
const STORY_BLOCK_SHARE: f64 = 0.5;

/// Marks sentences whose exact token sequence recurs in many documents as furniture: short lines
/// (teaser headlines, bylines, footers) from [`repeated_line_threshold`] documents on, and any sentence
/// once it is in a tenth of the corpus (and at least 20 documents), where it is boilerplate rather than
/// reuse. A sentence of a wire story carried by a handful of papers stays body text: it is the very
/// evidence of reuse.
///
/// A story syndicated word for word by many outlets recurs just as often, but as a block that is
/// the bulk of each page carrying it, while furniture is a small block beside a different story on
/// each page. So a recurring sentence is furniture only when the block of recurring sentences it
/// sits in (runs of them, a single other sentence inside a run bridged) is, on the median page that
/// carries it, less than [`STORY_BLOCK_SHARE`] of the page's body. Returns how many sentences were
/// marked.
///
/// `fingerprints` are [`line_fingerprints`]; the documents `counted` are counted in `outside`
/// already, and the corpus has `total` documents. The median share is taken over the pages given.
fn mark_repeated_lines(
    documents: &mut [Document],
    fingerprints: Vec<Vec<(usize, u128)>>,
    counted: &[bool],
    outside: &dyn CorpusCounts,
    total: usize,
) -> usize {
    let threshold = repeated_line_threshold(total);
    let prose_threshold = 20.max(total.div_ceil(10));
    let mut all: Vec<u128> = fingerprints
        .par_iter()
        .zip(counted.par_iter())
        .filter(|(_, counted)| !**counted)
        .flat_map_iter(|(keys, _)| {
            let mut keys: Vec<u128> = keys.iter().map(|&(_, key)| key).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        })
        .collect();
    all.par_sort_unstable();
    // Each fingerprint once, with the number of documents that have it.
    let seen_in: Vec<(u128, usize)> = all
        .chunk_by(|x, y| x == y)
        .map(|run| (run[0], run.len()))
        .collect();
    drop(all);
    let documents_with = |key: u128| -> usize {
        seen_in
            .binary_search_by_key(&key, |e| e.0)
            .map_or(0, |k| seen_in[k].1)
            + outside.line_documents(key) as usize
    };
    // Per document: the body sentences recurring often enough to be furniture, with the share of
    // the page that their block takes.
    let recurring: Vec<Vec<(usize, u128, f64)>> = documents
        .par_iter()
        .zip(fingerprints.par_iter())
        .map(|(doc, keys)| {
            let frequent: Vec<bool> = keys
                .iter()
                .map(|&(i, key)| {
                    let short = doc.segmentation.sentences[i].kind == SentenceKind::Line
                        || doc.sentences[i].content().count() < SHORT_LINE_CONTENT_WORDS;
                    let limit = if short { threshold } else { prose_threshold };
                    documents_with(key) >= limit
                })
                .collect();
            recurring_blocks(doc, keys, &frequent)
        })
        .collect();
    drop(fingerprints);
    // Each recurring fingerprint once, with the median share of its block over its pages.
    let mut shares: Vec<(u128, f64)> = recurring
        .iter()
        .flatten()
        .map(|&(_, key, share)| (key, share))
        .collect();
    shares.par_sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
    let furniture: Vec<u128> = shares
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|run| run[run.len() / 2].1 < STORY_BLOCK_SHARE)
        .map(|run| run[0].0)
        .collect();
    drop(shares);
    documents
        .par_iter_mut()
        .zip(recurring.par_iter())
        .map(|(doc, recurring)| {
            let mut marked = 0;
            for &(i, key, _) in recurring {
                if furniture.binary_search(&key).is_ok() {
                    doc.sentences[i].role = SentenceRole::Furniture(FurnitureKind::Repeated);
                    marked += 1;
                }
            }
            marked
        })
        .sum()
}

/// Each body sentence's token sequence as a 128-bit fingerprint (two independent 64-bit hashes: a
/// chance collision among millions of sentences is out of reach), per document in text order.
fn line_fingerprints(documents: &[Document], vocab: &Vocabulary) -> Vec<Vec<(usize, u128)>> {
    documents
        .par_iter()
        .map(|doc| {
            (0..doc.sentences.len())
                .filter(|&i| doc.is_body(i))
                .map(|i| (i, sentence_fingerprint(doc, vocab, i)))
                .collect()
        })
        .collect()
}

/// The recurring sentences of one page (`frequent`, parallel to its body sentences `keys`), each
/// with the share of the page's body content words taken by the block it sits in: a run of
/// recurring sentences, one other sentence between two of them bridged (an outlet's edit of one
/// sentence does not cut its copy of a story in two).
fn recurring_blocks(
    doc: &Document,
    keys: &[(usize, u128)],
    frequent: &[bool],
) -> Vec<(usize, u128, f64)> {
    debug_assert_eq!(keys.len(), frequent.len());
    let words = |i: usize| doc.sentences[i].content().count().max(1);
    let body: usize = keys.iter().map(|&(i, _)| words(i)).sum();
    let mut out = Vec::new();
    let mut k = 0;
    while k < keys.len() {
        if !frequent[k] {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < keys.len() && (frequent[end] || (end + 1 < keys.len() && frequent[end + 1])) {
            end += 1;
        }
        let block: usize = keys[k..end].iter().map(|&(i, _)| words(i)).sum();
        let share = block as f64 / body.max(1) as f64;
        out.extend(
            (k..end)
                .filter(|&j| frequent[j])
                .map(|j| (keys[j].0, keys[j].1, share)),
        );
        k = end;
    }
    out
}

/// A sentence's exact token sequence, hashed twice with different seeds. Made of the terms' key hashes,
/// not their ids, so that a sentence has one fingerprint in every corpus.
fn sentence_fingerprint(doc: &Document, vocab: &Vocabulary, index: usize) -> u128 {
    let (mut x, mut y): (u64, u64) = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344);
    for token in &doc.sentences[index].tokens {
        let t = vocab.term_hash(token.term);
        x = (x ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(27);
        y = (y.rotate_left(31) ^ t).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    }
    let len = doc.sentences[index].tokens.len() as u64;
    (u128::from(x ^ len) << 64) | u128::from(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_fingerprints_do_not_depend_on_the_corpus_order_of_terms() {
        let text =
            "Subscribe to our newsletter for the latest headlines from Kozinka and Belgorod.";
        let reversed: String = text.split_whitespace().rev().collect::<Vec<_>>().join(" ");
        let (mut alone, mut after) = (Vocabulary::new(), Vocabulary::new());
        let a = alone.document("a", text.to_string());
        after.document("r", reversed);
        let b = after.document("b", text.to_string());
        assert_ne!(a.sentences[0].tokens[0].term, b.sentences[0].tokens[0].term);
        assert_eq!(
            sentence_fingerprint(&a, &alone, 0),
            sentence_fingerprint(&b, &after, 0)
        );
    }
}
