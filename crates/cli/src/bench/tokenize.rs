//! `stemma bench tokenize FILE` (hidden): the baseline of the scale benchmark. One pass of reading a
//! corpus as `stemma analyze` reads it and segmenting and tokenizing every text in parallel
//! ([`TextAnalysis::new`] with one [`Normalizer`]), with no interning and nothing after: the least an
//! analysis has to do. It prints one JSON line (`stemma_bench::TokenizeTimings`) on standard output.
//!
//! `stemma bench run` starts it in a child process, so that its peak memory is its own.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;
use stemma_align::Normalizer;
use stemma_align::TextAnalysis;
use stemma_bench::TokenizeTimings;

/// Arguments of `stemma bench tokenize`.
#[derive(Debug, clap::Args)]
pub struct TokenizeArgs {
    /// The corpus to read (any input `stemma analyze` takes).
    pub file: PathBuf,
}

/// Runs `stemma bench tokenize`.
pub fn run(args: &TokenizeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let loaded = stemma_input::load_inputs(
        std::slice::from_ref(&args.file),
        None,
        &mut std::io::empty(),
    );
    crate::analyze_cmd::report_diagnostics(&loaded.diagnostics);
    if loaded.articles.is_empty() {
        anyhow::bail!("{}: no article could be read", args.file.display());
    }
    let read = started.elapsed();
    let documents = loaded.articles.len();
    let normalizer = Normalizer::new();
    let (sentences, tokens) = loaded
        .articles
        .into_par_iter()
        .map(|article| {
            let analysis = TextAnalysis::new(article.text, &normalizer);
            let tokens: usize = analysis.sentences.iter().map(|(t, _)| t.len()).sum();
            (analysis.sentences.len(), tokens)
        })
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    let total = started.elapsed();
    let timings = TokenizeTimings {
        documents,
        sentences,
        tokens,
        read_s: read.as_secs_f64(),
        tokenize_s: (total - read).as_secs_f64(),
        total_s: total.as_secs_f64(),
        peak_rss_bytes: crate::analyze_cmd::peak_rss_bytes(),
    };
    print_line(&serde_json::to_string(&timings)?);
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn print_line(line: &str) {
    println!("{line}");
}
