//! Pairwise alignment of two news articles' sentences.
//!
//! The pipeline, one plain data type handed to the next stage:
//! text → [`segment`] (paragraphs and sentences with byte spans) → [`normalize`] (tokens: stemmed, flagged)
//! → [`similarity`] (sentence similarity robust to paraphrase) → [`alignment`] (order-aware 1:1, split and
//! merge groups, coverage) → [`diff`] (word-level diffs of aligned groups).
#![forbid(unsafe_code)]

pub mod lexicon;
pub mod segment;
