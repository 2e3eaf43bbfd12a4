//! A JSON report read back scores exactly like the analysis that wrote it, on a generated corpus.

use std::path::PathBuf;

use stemma_eval::Report;
use stemma_eval::{Predicted, Truth, score};
use stemma_graph::{AnalyzeOptions, analyze};

#[test]
fn a_report_read_back_scores_like_its_analysis() {
    use stemma_synth::GenerateConfig;
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    let config = GenerateConfig { docs: 60, seed: 7 };
    stemma_synth::write_corpus(&config, &mut corpus, &mut truth).expect("generated corpus");
    let truth = Truth::parse(std::str::from_utf8(&truth).unwrap()).expect("valid truth");
    let loaded = stemma_input::load_inputs(&[PathBuf::from("-")], None, &mut corpus.as_slice());
    assert_eq!(loaded.articles.len(), 60);
    let analysis = analyze(loaded.articles, &AnalyzeOptions::default());
    let json = serde_json::to_string_pretty(&stemma_report::report(&analysis)).unwrap();
    let read = Report::parse(&json)
        .and_then(|r| Predicted::from_report(&r))
        .expect("a valid report");
    let direct = Predicted::from_analysis(&analysis);
    assert_eq!(read.ids, direct.ids);
    assert_eq!(read.timed, direct.timed);
    assert_eq!(read.related, direct.related);
    assert!(!read.related.is_empty() && read.timed.contains(&false));
    let edges = |p: &Predicted<'_>| p.derivation.edge_count();
    assert_eq!(edges(&read), edges(&direct));
    assert_eq!(read.derivation.families, direct.derivation.families);
    // Everything the scoring derives (orientation, chains, missing sources included) agrees.
    assert_eq!(score(&truth, &read), score(&truth, &direct));
}
