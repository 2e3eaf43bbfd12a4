//! Quality on labelled benchmarks: what `stemma measure` and `stemma eval` compute.
//!
//! Each benchmark is a `measure_*` function returning a serialisable result with the baselines
//! measured in the same run beside stemma's numbers, so that a number is never read without its
//! reference; each result writes itself as a text table (`write_text`). None of them prints: the
//! caller chooses where the table (or the result's JSON) goes.

pub(crate) mod all;
pub(crate) mod clough;
pub(crate) mod clough_corpus;
pub(crate) mod evaluation_text;
pub(crate) mod fit;
pub(crate) mod gold;
pub(crate) mod meter_stages;
pub(crate) mod mrpc;
pub(crate) mod small_corpora;

use std::path::{Path, PathBuf};

use crate::EvalError;

/// Why a benchmark could not be measured.
///
/// The messages are those `stemma measure` prints: the file concerned first, then what went wrong;
/// [`MeasureError::chain`] gives the message with its causes on one line.
///
/// ```
/// let error = stemma_eval::measure_mrpc(std::path::Path::new("no-such-folder")).unwrap_err();
/// assert!(matches!(error, stemma_eval::MeasureError::Io { .. }));
/// assert!(error.chain().starts_with("no-such-folder/msr_paraphrase_train.txt: "));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureError {
    /// A benchmark's folder or file is not there.
    #[error("{} not found", path.display())]
    NotFound {
        /// What was looked for.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{context}")]
    Io {
        /// The file, as shown (with what was being done, where that is not plain reading).
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A JSON file is not of its format.
    #[error("{context}")]
    Json {
        /// The file, as shown.
        context: String,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A truth file could not be read.
    #[error(transparent)]
    Truth(#[from] EvalError),
    /// A data file is malformed or inconsistent (labels, gold alignments, a corpus folder), or a
    /// benchmark did not give a number it should have.
    #[error("{0}")]
    Invalid(String),
    /// `FitResult::write_model` refuses to write a model fitted without every corpus.
    #[error("not every corpus could be read; the model was not written")]
    Incomplete,
}

impl MeasureError {
    /// The message followed by each of its causes, separated by `": "` (as `stemma` prints errors).
    ///
    /// ```
    /// let error = stemma_eval::MeasureError::Io {
    ///     context: "labels.csv".to_string(),
    ///     source: std::io::Error::other("disk on fire"),
    /// };
    /// assert_eq!(error.chain(), "labels.csv: disk on fire");
    /// ```
    pub fn chain(&self) -> String {
        let mut message = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        message
    }

    /// An I/O error on `path`, shown as the path alone.
    pub(crate) fn read(path: &Path, source: std::io::Error) -> Self {
        MeasureError::Io {
            context: path.display().to_string(),
            source,
        }
    }
}

/// Reads a text file; the error names it.
pub(crate) fn read_text(path: &Path) -> Result<String, MeasureError> {
    std::fs::read_to_string(path).map_err(|e| MeasureError::read(path, e))
}

/// Where the labelled data of `stemma measure all` and `stemma measure fit` are.
///
/// ```
/// use std::path::PathBuf;
///
/// // What the command line uses when run from the repository's root.
/// let dirs = stemma_eval::BenchmarkDirs {
///     shared: PathBuf::from("../shared"),
///     examples: PathBuf::from("examples"),
///     pressroom: PathBuf::from("tests/data/pressroom"),
/// };
/// assert!(dirs.shared.ends_with("shared"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchmarkDirs {
    /// The shared data beside the repository: `seeds/` (with `truth.json`) and
    /// `benchmarks/{mrpc,clough-stevenson,meter-showbiz}/`.
    pub shared: PathBuf,
    /// The demo corpus (with `truth.json`, `alignments.json` and `meta.jsonl`).
    pub examples: PathBuf,
    /// The hard-negative corpus (`corpus/`, `truth.json`, `alignments.json`) and the seeds' gold
    /// alignments (`../seeds-alignments.json` beside it).
    pub pressroom: PathBuf,
}
