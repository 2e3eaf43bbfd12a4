//! Corpus-level provenance analysis.
