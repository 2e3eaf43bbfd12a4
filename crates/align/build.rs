//! Parses and stems the shipped lexicon tables once, at compile time.
//!
//! Stemming every WordNet lemma and every word of the frequency list took most of the time of a
//! short process (such as `stemma check` of one article); the crate now loads this script's
//! output instead. The script compiles the crate's own parsing code (the `table.rs` files and
//! the codec), so the compiled tables are exactly what `Synonyms::parse` and `Background::parse`
//! give, which the crate's tests assert.

use std::path::{Path, PathBuf};

// The modules keep the crate's layout (under `src/lexicon`) so that their `crate::lexicon::…`
// paths resolve here too.
#[allow(dead_code)]
#[path = "src/lexicon"]
mod lexicon {
    pub mod compiled;
    pub mod stopwords;
    pub mod synonyms {
        pub mod table;
    }
    pub mod background {
        pub mod table;
    }
}

fn main() {
    for input in [
        "data/synonyms.txt",
        "data/background.txt",
        "src/lexicon/compiled.rs",
        "src/lexicon/stopwords.rs",
        "src/lexicon/synonyms/table.rs",
        "src/lexicon/background/table.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let synonyms = read("data/synonyms.txt");
    let table = lexicon::synonyms::table::Table::parse(&synonyms)
        .unwrap_or_else(|e| panic!("crates/align/data/synonyms.txt: {e}"));
    write(&out.join("synonyms.bin"), &table.encode());

    let background = read("data/background.txt");
    let zipf = lexicon::background::table::parse(&background);
    write(
        &out.join("background.bin"),
        &lexicon::background::table::encode(&zipf),
    );
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
