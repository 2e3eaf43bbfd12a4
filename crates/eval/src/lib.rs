//! Scoring stemma against labelled data: a corpus analysis against document-level truth
//! ([`truth`]), a JSON report read back for scoring ([`report`]), and the statistics the benchmarks
//! use ([`stats`]: accuracy and F1 at a threshold, ROC AUC, Spearman's rank correlation).
//!
//! ```
//! use stemma_eval::truth::{Predicted, Truth, score};
//! use stemma_graph::{AnalyzeOptions, analyze, Article};
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

pub mod report;
pub mod stats;
pub mod truth;

use std::path::PathBuf;

pub use stemma_report::round;

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
