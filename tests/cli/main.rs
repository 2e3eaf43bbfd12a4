//! End-to-end tests of the `stemma` binary.

mod diff;
mod eval;
