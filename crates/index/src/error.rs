//! What can go wrong with an index.

use std::path::{Path, PathBuf};

/// An index could not be created, opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// A file system operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// `create` found an index in the folder.
    #[error("{}: holds an index already (add to it with `stemma index add`)", .0.display())]
    Exists(PathBuf),
    /// `open` found no index in the folder.
    #[error("{}: no index here (make one with `stemma index build`)", .0.display())]
    Missing(PathBuf),
    /// The index was written by a version of stemma with another layout.
    #[error(
        "{}: the index is in format {found} and this stemma reads format {expected}: rebuild it \
         with `stemma index build` into a new folder (an index is not converted)",
        path.display()
    )]
    Format {
        /// The database file.
        path: PathBuf,
        /// The format found.
        found: u64,
        /// The format this version reads.
        expected: u64,
    },
    /// The storage engine failed (I/O, a damaged file, a lock held by another process).
    #[error("{}: {source}", path.display())]
    Storage {
        /// The database file.
        path: PathBuf,
        /// The engine's error.
        source: Box<redb::Error>,
    },
    /// What the index holds contradicts itself.
    #[error("{}: damaged index: {message}", path.display())]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The index numbers articles with 32 bits: it holds 4,294,967,296 already.
    #[error("the index is full (2^32 articles)")]
    Full,
}

impl IndexError {
    /// A storage error on the database at `path`.
    pub(crate) fn storage(path: &Path, error: impl Into<redb::Error>) -> IndexError {
        IndexError::Storage {
            path: path.to_path_buf(),
            source: Box::new(error.into()),
        }
    }
}
