//! Scoring stemma against labelled data: a corpus analysis against document-level truth
//! ([`score`], [`Truth`], [`Evaluation`]), a JSON report read back for scoring ([`Report`]), the
//! statistics the benchmarks use ([`accuracy_f1`] and [`best_threshold`], [`roc_auc`],
//! [`spearman`]), and the benchmarks of `stemma measure`:
//!
//! | function | benchmark | result |
//! | --- | --- | --- |
//! | [`measure_all`] | every quality number in one table | [`AllResult`] |
//! | [`measure_mrpc`] | sentence similarity on MRPC | [`MrpcResult`] |
//! | [`measure_clough`] | document coverage on Clough–Stevenson | [`CloughResult`] |
//! | [`measure_clough_corpus`] | Clough–Stevenson as one corpus | [`CloughCorpusResult`] |
//! | [`measure_alignments`], [`measure_alignments_of_texts`] | sentence alignments against gold | [`GoldResult`] |
//! | [`fit_link_model`] | the link model's fit, cross-validated | [`FitResult`] |
//! | [`measure_meter_stages`] | where METER's derived stories are lost | [`MeterStagesResult`] |
//!
//! Every result is `serde::Serialize` (the commands' `--format json`) and writes itself as the
//! commands' text table (`write_text`). Nothing here prints or exits; what cannot be measured is a
//! [`MeasureError`] (or, in [`measure_all`] and [`fit_link_model`], a problem listed in the result).
//!
//! ```
//! use stemma_eval::{Predicted, Truth, score};
//! use stemma_graph::{AnalyzeOptions, Article, analyze};
//!
//! let truth = Truth::parse(r#"{"articles": {
//!     "wire": {"kind": "original", "derived_from": []},
//!     "copy": {"kind": "syndicated", "derived_from": ["wire"]}},
//!   "derived_pairs": [["wire", "copy"]], "related_pairs": [["wire", "copy"]]}"#).unwrap();
//! let text = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
//!     about 4,000 people. No deaths had been reported by mid-morning, officials said.";
//! let analysis = analyze(vec![Article::new("wire", text), Article::new("copy", text)], &AnalyzeOptions::default());
//! let evaluation = score(&truth, &Predicted::from_analysis(&analysis));
//! assert_eq!(evaluation.related.recall, Some(1.0));
//! ```
#![forbid(unsafe_code)]

// The modules are private: what a user needs is re-exported here, so the surface is this list.
mod measure;
mod report;
mod stats;
mod truth;

use std::path::PathBuf;

pub use stemma_report::round;

pub use measure::all::{AllResult, Better, QualityRow, RowUnit, measure_all};
pub use measure::clough::{CloughResult, CloughScore, measure_clough};
pub use measure::clough_corpus::{
    CategoryLinks, CloughCorpusResult, LinkedNon, PairCount, measure_clough_corpus,
};
pub use measure::fit::{
    FIT_COMMAND, FitCorpusResult, FitResult, FolderScore, LabelledCorpora, LabelledCorpus,
    LinkScore, MeterScore, SHIPPED_PATH, fit_link_model,
};
pub use measure::gold::{
    GoldPairScore, GoldResult, measure_alignments, measure_alignments_of_texts,
};
pub use measure::meter_stages::{MeterStage, MeterStages, MeterStagesResult, measure_meter_stages};
pub use measure::mrpc::{MrpcResult, MrpcSystem, SENTENCE_MODEL_PATH, measure_mrpc};
pub use measure::small_corpora::{
    DRAWS_PER_EVENT, SMALL_CORPUS_SIZES, SmallCorpusScore, small_corpus_scores,
};
pub use measure::{BenchmarkDirs, MeasureError};
pub use report::{Report, ReportDocument, ReportEdge, ReportFamily, ReportNode, ReportPair};
pub use stats::{accuracy_f1, best_threshold, roc_auc, spearman};
pub use truth::{
    ChainItem, ChainOutcome, ChainScore, Evaluation, FORMAT as TRUTH_FORMAT_NAME, GroupFamily,
    IndependentScore, MAX_TRUTH_BYTES, MISSING_PREFIX, MissingGroup, MissingSource,
    MissingSourceScore, Orientation, OrientationScore, OrientedPair, Predicted, RelatedScore,
    Truth, TruthArticle, score,
};

/// Why a truth file or a report could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// Opening or reading failed.
    #[error("{}: cannot read {what}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What it was meant to be.
        what: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Larger than its limit.
    #[error("{}: over {limit_mib} MiB, not read", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit_mib: u64,
    },
    /// Not valid JSON of its format, or inconsistent.
    #[error("{}: invalid {what}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What it was meant to be.
        what: &'static str,
        /// What is wrong.
        message: String,
    },
}
