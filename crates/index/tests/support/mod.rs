//! Corpora for the index's tests, shared by the integration tests and the crate's unit tests
//! (which include this file by path).

use stemma_graph::Article;

/// A generated corpus of `docs` articles, in the generator's (time) order.
pub fn generated(docs: usize, seed: u64) -> Vec<Article> {
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    stemma_synth::write_corpus(
        &stemma_synth::GenerateConfig { docs, seed },
        &mut corpus,
        &mut truth,
    )
    .expect("written to memory");
    let loaded = stemma_input::load_inputs(
        &[std::path::PathBuf::from("-")],
        None,
        &mut corpus.as_slice(),
    );
    assert_eq!(loaded.articles.len(), docs);
    loaded.articles
}
