//! Reads the demo corpus folder (texts and their `meta.jsonl`), analyses it, and prints the
//! derivation graph in Graphviz DOT; pipe it to `dot -Tsvg` to draw it.
//!
//! ```text
//! cargo run -p stemma-report --example folder_to_dot
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use stemma_graph::{AnalyzeOptions, analyze};

fn main() {
    let folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let loaded = stemma_input::load_inputs(&[folder], None, &mut std::io::empty());
    for problem in &loaded.diagnostics {
        eprintln!("{problem}");
    }
    let analysis = analyze(loaded.articles, &AnalyzeOptions::default());
    eprintln!(
        "{} articles, {} related pairs, {} families",
        analysis.stats.documents,
        analysis.stats.related_pairs,
        analysis.derivation.families.len()
    );
    print!("{}", stemma_report::dot(&analysis));
}
