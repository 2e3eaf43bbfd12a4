//! The JSONL reader on any bytes given as standard input: never panics, ids unique and sorted.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut stdin = data;
    let loaded = stemma_input::load_inputs(&[PathBuf::from("-")], None, &mut stdin);
    for pair in loaded.articles.windows(2) {
        assert!(pair[0].id < pair[1].id, "ids not unique and sorted");
    }
    for d in &loaded.diagnostics {
        assert_eq!(d.source, "-");
    }
});
