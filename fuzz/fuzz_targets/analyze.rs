//! The whole analysis of a small corpus (up to eight texts separated by 0x1E bytes) and every
//! report format: never panics, and the report does not depend on the order of the articles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma_graph::Article;
use stemma_graph::{AnalyzeOptions, analyze};
use stemma_report as export;

fuzz_target!(|data: &[u8]| {
    let articles: Vec<Article> = data
        .split(|&b| b == 0x1E)
        .take(8)
        .enumerate()
        .map(|(i, text)| Article::new(format!("doc{i}"), String::from_utf8_lossy(text)))
        .collect();
    let mut reversed = articles.clone();
    reversed.reverse();
    let options = AnalyzeOptions::default();
    let forward = analyze(articles, &options);
    let backward = analyze(reversed, &options);
    let json = serde_json::to_string(&export::report(&forward)).expect("report serialises");
    let json_back = serde_json::to_string(&export::report(&backward)).expect("report serialises");
    assert_eq!(json, json_back, "the report depends on input order");
    let _ = export::dot(&forward);
    let _ = export::csv(&forward);
    let _ = export::html(&forward);
});
