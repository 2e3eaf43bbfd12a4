//! The `stemma` command-line tool.
fn main() {}
