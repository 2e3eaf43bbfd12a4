//! Built-in lexical resources: synonyms, background word frequencies, stop words and
//! British → American spelling variants.
//!
//! Content farms "spin" an article by swapping words for synonyms ("attackers" → "assailants",
//! "killed" → "slain", "said" → "stated") and by respelling it for another market ("defence" →
//! "defense"). These tables let the aligner see through both, with nothing to install: every
//! table is compiled into the crate: the build script (`build.rs`) parses and stems the shipped
//! text and the crate loads the result once, on first use (`std::sync::OnceLock`).
//!
//! # Keys
//!
//! [`synonyms`] and [`background`] are keyed by the same token key as the rest of the crate: the
//! Snowball English stem (`rust_stemmers`, `Algorithm::English`) of a lowercase word after
//! spelling normalisation, that is `stem(lemma_of_irregular(american_spelling(w)))`, for
//! example "Defences" → "defences" → "defenses" → "defens", and "slain" → "slay" → "slay".
//! The tables stem their own words when they are loaded, so words sharing a stem share an entry
//! (their synonym classes are merged, their frequencies added).
//!
//! # The resources
//!
//! | module | what | why | source | licence |
//! | --- | --- | --- | --- | --- |
//! | [`synonyms`] | synonym classes with two tiers, [`Tier::Synonym`] (shared WordNet synset) and [`Tier::Related`] (one hop: hypernym, "similar to"); irregular forms ("slain" → "slay") | credit swapped synonyms in sentence similarity | WordNet 3.0 | WordNet 3.0 licence (permissive, notice required: `data/WORDNET-LICENSE`) |
//! | [`background`] | Zipf frequency of 50,000 English words | inverse document frequency when the corpus is two articles | `wordfreq` 3.1 | CC BY-SA 4.0 (`data/BACKGROUND-LICENSE`) |
//! | [`stopwords`] | the NLTK English stop-word list | grammar words carry no content | NLTK `stopwords` corpus | a list of 198 function words in the source |
//! | [`spelling`] | about a thousand British → American spellings | "defence" and "defense" are one word | rules over `wordfreq`'s word list, checked against WordNet | CC BY-SA 4.0 as derived from `wordfreq` (`data/BACKGROUND-LICENSE`) |
//!
//! The data files live in `crates/align/data/`; the scripts that regenerate them, and the
//! measurements behind their settings, in `tools/lexicon/` (see its README).

pub mod background;
mod compiled;
pub mod spelling;
pub mod stopwords;
pub mod synonyms;

pub use background::Background;
pub use spelling::american_spelling;
pub use stopwords::{STOP_WORDS, is_stop_word};
pub use synonyms::{KeyId, ParseError, Synonyms, Tier};
