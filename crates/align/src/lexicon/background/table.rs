//! Background frequencies as read from text, and their compiled form.
//!
//! Reading the text stems every word, which is the slow part; the build script (`build.rs`)
//! includes this file, reads the shipped list with [`parse`] and writes [`encode`]'s bytes, which
//! the crate reads back with [`decode`].

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use crate::lexicon::compiled::{Reader, Writer};

/// Reads lines `<zipf> <word> <word> …` (see [`super::Background::parse`]): each stem with the
/// Zipf value of the summed frequencies of its words, sorted by stem.
pub(crate) fn parse(text: &str) -> Vec<(Box<str>, f32)> {
    let stemmer = Stemmer::create(Algorithm::English);
    // Linear frequencies (occurrences per billion words) per stem.
    let mut linear: FxHashMap<Box<str>, f64> = FxHashMap::default();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_ascii_whitespace();
        let Some(Ok(zipf)) = fields.next().map(str::parse::<f64>) else {
            continue;
        };
        let per_billion = 10f64.powf(zipf);
        for word in fields {
            let stem = stemmer.stem(word);
            match linear.get_mut(&*stem) {
                Some(total) => *total += per_billion,
                None => {
                    linear.insert(stem.into(), per_billion);
                }
            }
        }
    }
    let mut zipf: Vec<(Box<str>, f32)> = linear
        .into_iter()
        .map(|(stem, total)| (stem, total.log10() as f32))
        .collect();
    zipf.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    zipf
}

/// The compiled form of [`parse`]'s result, for [`decode`].
#[allow(
    dead_code,
    reason = "the crate only reads tables; build.rs and the tests write them"
)]
pub(crate) fn encode(zipf: &[(Box<str>, f32)]) -> Vec<u8> {
    let mut w = Writer::default();
    w.len(zipf.len());
    for (stem, value) in zipf {
        w.str(stem);
        w.f32(*value);
    }
    w.finish()
}

/// Reads what [`encode`] wrote; `None` when the bytes are not such a list.
pub(crate) fn decode(bytes: &[u8]) -> Option<Vec<(Box<str>, f32)>> {
    let mut r = Reader::new(bytes);
    let zipf = (0..r.len()?)
        .map(|_| Some((Box::from(r.str()?), r.f32()?)))
        .collect::<Option<Vec<_>>>()?;
    r.is_done().then_some(zipf)
}
