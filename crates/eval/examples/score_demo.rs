//! Reads the demo corpus, analyses it and scores the analysis against the corpus's truth file
//! (`examples/truth.json`): related pairs, independent pairs linked, edge orientation, chains and
//! missing sources.
//!
//! ```text
//! cargo run -p stemma-eval --example score_demo
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use stemma_eval::{Predicted, Truth, score};
use stemma_graph::{AnalyzeOptions, analyze};

fn main() -> ExitCode {
    let folder = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let truth = match Truth::load(&folder.join("truth.json")) {
        Ok(truth) => truth,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let loaded = stemma_input::load_inputs(&[folder], None, &mut std::io::empty());
    for problem in &loaded.diagnostics {
        eprintln!("{problem}");
    }
    let analysis = analyze(loaded.articles, &AnalyzeOptions::default());
    let e = score(&truth, &Predicted::from_analysis(&analysis));
    let show = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    println!(
        "related pairs: precision {}, recall {}, F1 {}",
        show(e.related.precision),
        show(e.related.recall),
        show(e.related.f1)
    );
    println!(
        "independent pairs linked: {} of {}",
        e.independent.linked, e.independent.pairs
    );
    println!(
        "edges oriented right: {} of {} timed",
        e.orientation.right, e.orientation.evaluated
    );
    ExitCode::SUCCESS
}
