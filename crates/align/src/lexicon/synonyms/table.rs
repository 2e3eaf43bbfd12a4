//! A synonym table as read from text, and its compiled form.
//!
//! Reading the text stems every lemma, which is the slow part; the build script (`build.rs`)
//! includes this file, reads the shipped table with [`Table::parse`] and writes
//! [`Table::encode`]'s bytes, which the crate reads back with [`Table::decode`]. So this file
//! depends only on the stop-word list and the codec, both also compiled into the build script.

use std::fmt;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::lexicon::compiled::{Reader, Writer};
use crate::lexicon::stopwords::STOP_WORDS;

/// A parsed table in plain vectors: what [`super::Synonyms`] is built from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Stems in key-number order.
    pub(crate) keys: Vec<Box<str>>,
    /// Key `k`'s classes are `classes[class_start[k]..class_start[k + 1]]`, sorted.
    pub(crate) class_start: Vec<u32>,
    pub(crate) classes: Vec<u32>,
    /// Key `k`'s one-hop classes, the same way.
    pub(crate) near_start: Vec<u32>,
    pub(crate) near: Vec<u32>,
    /// Irregular form and its first lemma, sorted by form.
    pub(crate) irregular: Vec<(Box<str>, Box<str>)>,
    /// Number of classes.
    pub(crate) class_count: u32,
}

impl Table {
    /// Reads a table in the format of `crates/align/data/synonyms.txt` (see
    /// [`super::Synonyms::parse`]).
    pub(crate) fn parse(text: &str) -> Result<Table, ParseError> {
        Builder::new(text.len()).parse(text)
    }

    /// The compiled form, for [`Table::decode`].
    #[allow(
        dead_code,
        reason = "the crate only reads tables; build.rs and the tests write them"
    )]
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.len(self.keys.len());
        for key in &self.keys {
            w.str(key);
        }
        w.u32s(&self.class_start);
        w.u32s(&self.classes);
        w.u32s(&self.near_start);
        w.u32s(&self.near);
        w.len(self.irregular.len());
        for (form, lemma) in &self.irregular {
            w.str(form);
            w.str(lemma);
        }
        w.u32(self.class_count);
        w.finish()
    }

    /// Reads what [`Table::encode`] wrote; `None` when the bytes are not such a table.
    pub(crate) fn decode(bytes: &[u8]) -> Option<Table> {
        let mut r = Reader::new(bytes);
        let keys = (0..r.len()?)
            .map(|_| r.str().map(Box::from))
            .collect::<Option<Vec<_>>>()?;
        let class_start = r.u32s()?;
        let classes = r.u32s()?;
        let near_start = r.u32s()?;
        let near = r.u32s()?;
        let irregular = (0..r.len()?)
            .map(|_| Some((Box::from(r.str()?), Box::from(r.str()?))))
            .collect::<Option<Vec<_>>>()?;
        let class_count = r.u32()?;
        r.is_done().then_some(Table {
            keys,
            class_start,
            classes,
            near_start,
            near,
            irregular,
            class_count,
        })
    }
}

/// Why a synonym table's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number in the text.
    pub line: usize,
    /// What was wrong with it.
    pub message: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "synonym table line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// `values[start[i]..start[i + 1]]`, or empty when `i` is out of range.
pub(crate) fn slice<'a>(start: &[u32], values: &'a [u32], i: u32) -> &'a [u32] {
    let i = i as usize;
    match (start.get(i), start.get(i + 1)) {
        (Some(&s), Some(&e)) => values.get(s as usize..e as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Groups `(row, value)` pairs by row (a counting sort, rows `0..rows`): returns `start` with
/// `rows + 1` offsets and the values, each row's sorted and without duplicates.
fn group(pairs: &[(u32, u32)], rows: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; rows + 1];
    for &(r, _) in pairs {
        if let Some(n) = start.get_mut(r as usize + 1) {
            *n += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut fill = start.clone();
    let mut values = vec![0u32; pairs.len()];
    for &(r, v) in pairs {
        if let Some(pos) = fill.get_mut(r as usize) {
            if let Some(slot) = values.get_mut(*pos as usize) {
                *slot = v;
            }
            *pos += 1;
        }
    }
    // Sort and deduplicate each row, compacting in place.
    let mut out = 0usize;
    let mut row_start = 0usize;
    for r in 0..rows {
        let end = start[r + 1] as usize;
        let row = &mut values[row_start..end];
        row.sort_unstable();
        let mut last = None;
        for i in row_start..end {
            let v = values[i];
            if last != Some(v) {
                values[out] = v;
                out += 1;
                last = Some(v);
            }
        }
        row_start = end;
        start[r + 1] = out as u32;
    }
    values.truncate(out);
    (start, values)
}

/// Parsing state: stems, key numbers and the pairs collected so far.
struct Builder<'t> {
    stemmer: Stemmer,
    /// Stems of the stop words: a lemma with one of these stems is skipped ("doe" ~ "does").
    stop_stems: FxHashSet<String>,
    /// Stem → key number.
    ids: FxHashMap<Box<str>, u32>,
    /// Lemma → key number (or [`SKIPPED`]), so that each lemma is stemmed once.
    lemma_key: FxHashMap<&'t str, u32>,
    /// (key, class) memberships.
    member: Vec<(u32, u32)>,
    /// (class, class) one-hop links, both directions.
    links: Vec<(u32, u32)>,
}

/// Marks a lemma skipped as a stop word in [`Builder::lemma_key`].
const SKIPPED: u32 = u32::MAX;

/// Stop words that are also content verbs whose inflections are not stop words ("owned",
/// "owns" stem to "own"): they keep their classes. Callers skip the stop word itself.
const CONTENT_STOP_WORDS: [&str; 1] = ["own"];

impl<'t> Builder<'t> {
    /// A builder with room for a table of `text_len` bytes.
    fn new(text_len: usize) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let stop_stems = STOP_WORDS
            .iter()
            .map(|w| stemmer.stem(w).into_owned())
            .collect();
        // About one lemma per 20 bytes of text in the shipped table.
        let lemmas = text_len / 20;
        Builder {
            stemmer,
            stop_stems,
            ids: FxHashMap::with_capacity_and_hasher(lemmas, Default::default()),
            lemma_key: FxHashMap::with_capacity_and_hasher(lemmas, Default::default()),
            member: Vec::with_capacity(lemmas * 2),
            links: Vec::with_capacity(lemmas * 2),
        }
    }

    /// The key number of `word`'s stem, creating it; `None` for stop words and their stems.
    fn key_of_word(&mut self, word: &'t str) -> Option<u32> {
        if let Some(&k) = self.lemma_key.get(word) {
            return (k != SKIPPED).then_some(k);
        }
        let stem = self.stemmer.stem(word);
        // A stop word's stem is among the stop stems, so this also skips the stop words.
        let k = if self.stop_stems.contains(&*stem) && !CONTENT_STOP_WORDS.contains(&word) {
            SKIPPED
        } else if let Some(&k) = self.ids.get(&*stem) {
            k
        } else {
            let k = self.ids.len() as u32;
            self.ids.insert(stem.into(), k);
            k
        };
        self.lemma_key.insert(word, k);
        (k != SKIPPED).then_some(k)
    }

    fn parse(mut self, text: &'t str) -> Result<Table, ParseError> {
        #[derive(PartialEq)]
        enum Section {
            Header,
            Classes,
            Irregular,
        }
        let mut section = Section::Header;
        let mut class: u32 = 0;
        // Forms whose key takes their lemmas' classes, and form -> first lemma for lookups.
        let mut irregular_pairs: Vec<(&str, &str)> = Vec::new();
        let mut irregular: FxHashMap<Box<str>, Box<str>> = FxHashMap::default();
        for (n, line) in text.lines().enumerate() {
            let err = |message| ParseError {
                line: n + 1,
                message,
            };
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            match line {
                "@classes" => {
                    section = Section::Classes;
                    continue;
                }
                "@irregular" => {
                    section = Section::Irregular;
                    continue;
                }
                _ => {}
            }
            match section {
                Section::Header => return Err(err("data before the @classes line")),
                Section::Classes => {
                    let (words, near) = line.split_once('|').unwrap_or((line, ""));
                    for word in words.split_ascii_whitespace() {
                        if let Some(k) = self.key_of_word(word) {
                            self.member.push((k, class));
                        }
                    }
                    for other in near.split_ascii_whitespace() {
                        let other: u32 = other.parse().map_err(|_| err("bad class number"))?;
                        if other <= class {
                            return Err(err("links must point to later classes"));
                        }
                        self.links.push((class, other));
                        self.links.push((other, class));
                    }
                    class = class
                        .checked_add(1)
                        .ok_or_else(|| err("too many classes"))?;
                }
                Section::Irregular => {
                    let mut fields = line.split_ascii_whitespace();
                    let (Some(form), Some(first)) = (fields.next(), fields.next()) else {
                        return Err(err("expected 'form lemma...'"));
                    };
                    irregular.entry(form.into()).or_insert_with(|| first.into());
                    irregular_pairs.push((form, first));
                    irregular_pairs.extend(fields.map(|lemma| (form, lemma)));
                }
            }
        }
        if self.links.iter().any(|&(_, b)| b >= class) {
            return Err(ParseError {
                line: 0,
                message: "link to a class that does not exist",
            });
        }

        // Classes of lemmas, then irregular forms borrow their lemma's classes.
        let (lemma_start, lemma_classes) = group(&self.member, self.ids.len());
        for (form, lemma) in irregular_pairs {
            let Some(&lk) = self.lemma_key.get(lemma) else {
                continue;
            };
            if lk == SKIPPED {
                continue;
            }
            let Some(fk) = self.key_of_word(form) else {
                continue;
            };
            if fk == lk {
                continue;
            }
            for &c in slice(&lemma_start, &lemma_classes, lk) {
                self.member.push((fk, c));
            }
        }
        let rows = self.ids.len();
        let (class_start, classes) = group(&self.member, rows);

        // One-hop neighbours per key: neighbours of its classes, minus its own classes.
        let (link_start, link_to) = group(&self.links, class as usize);
        let mut near_start = Vec::with_capacity(rows + 1);
        let mut near = Vec::new();
        let mut scratch: Vec<u32> = Vec::new();
        for k in 0..rows as u32 {
            near_start.push(near.len() as u32);
            let own = slice(&class_start, &classes, k);
            scratch.clear();
            for &c in own {
                scratch.extend_from_slice(slice(&link_start, &link_to, c));
            }
            scratch.sort_unstable();
            scratch.dedup();
            near.extend(scratch.iter().filter(|c| own.binary_search(c).is_err()));
        }
        near_start.push(near.len() as u32);

        let mut keys: Vec<Box<str>> = vec![Box::from(""); self.ids.len()];
        for (stem, k) in self.ids {
            keys[k as usize] = stem;
        }
        let mut irregular: Vec<(Box<str>, Box<str>)> = irregular.into_iter().collect();
        irregular.sort_unstable();
        Ok(Table {
            keys,
            class_start,
            classes,
            near_start,
            near,
            irregular,
            class_count: class,
        })
    }
}
