//! End-to-end tests of the `stemma` binary.

mod analyze;
mod diff;
mod eval;
mod quality;
