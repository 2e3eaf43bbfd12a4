//! End-to-end tests of the `stemma` binary.

mod analyze;
mod bench;
mod common;
mod diff;
mod eval;
mod index;
mod quality;
mod reliability;
mod report;
mod warc;
