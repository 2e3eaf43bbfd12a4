//! Synonym classes from WordNet 3.0, keyed by Snowball English stems.
//!
//! Content farms rewrite an article by swapping words for synonyms ("attackers" → "assailants",
//! "killed" → "slain", "said" → "stated"). This table lets the aligner see through such swaps.
//!
//! A *class* is a WordNet synset restricted to the single-word lemmas that hold it among their
//! first few senses (WordNet lists senses most frequent first; rarer senses mostly add noise). Two
//! keys that share a class are [`Tier::Synonym`]s. Classes one hop apart in WordNet (a synset and
//! its direct hypernym, as "murder/slay" and "kill"; an adjective and the ones it is "similar to")
//! make keys [`Tier::Related`]. The generator, `tools/lexicon/gen_synonyms.py`, documents the
//! choices; the data is `crates/align/data/synonyms.txt`.
//!
//! Keys are Snowball English stems of lowercase, spelling-normalised words (see the module
//! [`crate::lexicon`]): lemmas are stemmed when the table is loaded, and lemmas that share a stem
//! share their classes. Irregular inflections ("slain", "fought", "mice") are keyed too, with the
//! classes of their lemma; [`Synonyms::lemma_of_irregular`] maps them to the lemma itself.

use std::fmt;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use super::stopwords::STOP_WORDS;

/// The shipped table: classes, one-hop links and irregular forms (format in its header).
const BUILTIN: &str = include_str!("../../data/synonyms.txt");

/// How closely two keys are related in the synonym table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// The keys share a class (a WordNet synset): "attacker"/"assailant", "say"/"state".
    Synonym,
    /// One class of one key is one hop from a class of the other (hypernym, "similar to"):
    /// "kill"/"slay", "eliminate"/"kill", "big"/"huge". Weaker evidence than [`Tier::Synonym`].
    Related,
}

/// A key's interned number in one [`Synonyms`] table, for callers that compare the same keys
/// many times: look the key up once with [`Synonyms::key_id`], then use the `*_of` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(u32);

impl KeyId {
    /// The number as an index (dense: `0..table.len()`), for callers' own per-key arrays.
    pub fn index(self) -> usize {
        self.0 as usize
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

/// A synonym table: per key, its sorted classes and the sorted classes one hop from them.
///
/// Lookups are hash lookups plus merges of short sorted slices, so [`Synonyms::relation`] can sit
/// in an inner loop. Classes of all keys live in two flat vectors with offsets.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Stem → key number.
    ids: FxHashMap<Box<str>, u32>,
    /// Key `k`'s classes are `classes[class_start[k]..class_start[k + 1]]`, sorted.
    class_start: Vec<u32>,
    classes: Vec<u32>,
    /// Key `k`'s one-hop classes (neighbours of its classes that are not its own), sorted.
    near_start: Vec<u32>,
    near: Vec<u32>,
    /// Irregular inflected form → lemma ("slain" → "slay").
    irregular: FxHashMap<Box<str>, Box<str>>,
    /// Number of classes (class numbers are `0..class_count`).
    class_count: u32,
}

impl Synonyms {
    /// The built-in table from WordNet 3.0 (parsed and stemmed once, on first use).
    ///
    /// The table is compiled into the crate and its tests parse it, so a failure here is a broken
    /// build, not bad input: it fails loudly rather than leaving every synonym unknown.
    pub fn builtin() -> &'static Synonyms {
        static TABLE: OnceLock<Synonyms> = OnceLock::new();
        TABLE.get_or_init(|| Synonyms::parse(BUILTIN).expect("the built-in synonym table parses"))
    }

    /// The shipped data file (`crates/align/data/synonyms.txt`) as text, with its lemmas unstemmed:
    /// for tools that need to list a word's synonyms as words rather than compare keys, such as the
    /// synthetic corpus generator of `stemma bench generate`. Format: see [`Synonyms::parse`].
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// Reads a table in the format of `crates/align/data/synonyms.txt`: `#` comments, then a line
    /// `@classes` followed by one line per class (member lemmas separated by spaces, optionally
    /// `|` and the numbers of later classes one hop away), then `@irregular` followed by
    /// `form lemma…` lines. Lemmas are lowercase words; they are stemmed here, stop words skipped.
    pub fn parse(text: &str) -> Result<Synonyms, ParseError> {
        Builder::new(text.len()).parse(text)
    }

    /// Synonym classes (tier 1) of `key`, a Snowball stem; empty when the key is unknown.
    pub fn classes(&self, key: &str) -> &[u32] {
        self.key_id(key).map_or(&[], |id| self.classes_of(id))
    }

    /// How `a` and `b` (Snowball stems) are related: `Some(Tier::Synonym)` when they share a
    /// class, `Some(Tier::Related)` when a class of one is one hop from a class of the other,
    /// `None` otherwise (also when either is unknown). Symmetric.
    pub fn relation(&self, a: &str, b: &str) -> Option<Tier> {
        self.relation_of(self.key_id(a)?, self.key_id(b)?)
    }

    /// The irregular form's lemma ("slain" → "slay", "mice" → "mouse", "better" → "good") from
    /// WordNet's exception lists, for a lowercase word; `None` for regular words.
    ///
    /// The table already keys irregular forms with their lemma's classes, so this is only needed
    /// by callers that want the lemma itself.
    pub fn lemma_of_irregular(&self, lowercase_word: &str) -> Option<&str> {
        self.irregular.get(lowercase_word).map(|l| &**l)
    }

    /// The interned number of `key` (a Snowball stem), when it has at least one class.
    pub fn key_id(&self, key: &str) -> Option<KeyId> {
        self.ids.get(key).map(|&k| KeyId(k))
    }

    /// Synonym classes of the key numbered `id`, sorted.
    pub fn classes_of(&self, id: KeyId) -> &[u32] {
        slice(&self.class_start, &self.classes, id.0)
    }

    /// Classes one hop from those of the key numbered `id` (excluding its own), sorted.
    pub fn related_classes_of(&self, id: KeyId) -> &[u32] {
        slice(&self.near_start, &self.near, id.0)
    }

    /// [`Synonyms::relation`] for interned keys: two slice merges, no hashing.
    pub fn relation_of(&self, a: KeyId, b: KeyId) -> Option<Tier> {
        let ca = self.classes_of(a);
        let cb = self.classes_of(b);
        if intersects(ca, cb) {
            Some(Tier::Synonym)
        } else if intersects(ca, self.related_classes_of(b)) {
            // One-hop links are symmetric, so this also covers "a class of b near a class of a".
            Some(Tier::Related)
        } else {
            None
        }
    }

    /// Number of keys with at least one class.
    pub fn len(&self) -> usize {
        self.class_start.len().saturating_sub(1)
    }

    /// Whether no key has a class.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of classes; class numbers are `0..class_count()`.
    pub fn class_count(&self) -> usize {
        self.class_count as usize
    }

    /// Number of irregular forms known to [`Synonyms::lemma_of_irregular`].
    pub fn irregular_count(&self) -> usize {
        self.irregular.len()
    }

    /// Iterates over every key and its interned number, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, KeyId)> + '_ {
        self.ids.iter().map(|(k, &id)| (&**k, KeyId(id)))
    }
}

/// `values[start[i]..start[i + 1]]`, or empty when `i` is out of range.
fn slice<'a>(start: &[u32], values: &'a [u32], i: u32) -> &'a [u32] {
    let i = i as usize;
    match (start.get(i), start.get(i + 1)) {
        (Some(&s), Some(&e)) => values.get(s as usize..e as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// Whether two sorted slices share an element (merge walk with a disjoint-range shortcut).
fn intersects(a: &[u32], b: &[u32]) -> bool {
    match (a.first(), a.last(), b.first(), b.last()) {
        (Some(&a0), Some(&a1), Some(&b0), Some(&b1)) if a0 <= b1 && b0 <= a1 => {}
        _ => return false,
    }
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
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

    fn parse(mut self, text: &'t str) -> Result<Synonyms, ParseError> {
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

        let mut ids = self.ids;
        ids.shrink_to_fit();
        irregular.shrink_to_fit();
        Ok(Synonyms {
            ids,
            class_start,
            classes,
            near_start,
            near,
            irregular,
            class_count: class,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        Stemmer::create(Algorithm::English).stem(word).into_owned()
    }

    fn rel(a: &str, b: &str) -> Option<Tier> {
        let table = Synonyms::builtin();
        let (sa, sb) = (stem(a), stem(b));
        let forward = table.relation(&sa, &sb);
        assert_eq!(
            forward,
            table.relation(&sb, &sa),
            "relation({a}, {b}) is not symmetric"
        );
        forward
    }

    #[test]
    fn builtin_parses_and_is_large() {
        assert!(Synonyms::parse(BUILTIN).is_ok());
        let table = Synonyms::builtin();
        assert!(table.len() > 30_000, "{} keys", table.len());
        assert!(table.class_count() > 30_000);
        assert!(table.irregular_count() > 1_000);
    }

    #[test]
    fn synonyms_and_related_words() {
        assert_eq!(rel("attackers", "assailants"), Some(Tier::Synonym));
        assert_eq!(rel("said", "stated"), Some(Tier::Synonym));
        assert_eq!(rel("injured", "wounded"), Some(Tier::Synonym));
        assert_eq!(rel("big", "large"), Some(Tier::Synonym));
        assert_eq!(rel("car", "automobile"), Some(Tier::Synonym));
        assert_eq!(rel("killed", "annihilated"), Some(Tier::Related));
        assert_eq!(rel("killed", "slay"), Some(Tier::Related));
    }

    #[test]
    fn irregular_forms() {
        let table = Synonyms::builtin();
        assert_eq!(table.lemma_of_irregular("slain"), Some("slay"));
        assert_eq!(table.lemma_of_irregular("mice"), Some("mouse"));
        assert_eq!(table.lemma_of_irregular("killed"), None);
        // The form is keyed with its lemma's classes, so no lemmatisation is needed.
        assert_eq!(rel("killed", "slain"), Some(Tier::Related));
        assert_eq!(rel("fought", "fight"), Some(Tier::Synonym));
    }

    #[test]
    fn unrelated_words() {
        for (a, b) in [
            ("russia", "ukraine"),
            ("north", "south"),
            ("monday", "tuesday"),
            ("buy", "sell"),
            ("killed", "wounded"),
            ("attack", "defend"),
        ] {
            assert_eq!(rel(a, b), None, "{a}/{b}");
        }
        assert_eq!(rel("the", "the"), None);
        assert!(Synonyms::builtin().classes("zzzz").is_empty());
    }

    #[test]
    fn stop_words_have_no_classes() {
        let table = Synonyms::builtin();
        for w in ["will", "can", "does", "being", "more", "further"] {
            assert!(table.classes(&stem(w)).is_empty(), "{w}");
        }
        // "own" is a stop word, but "owned" and "owns" (stem "own") are verbs with synonyms.
        assert_eq!(rel("owned", "possessed"), Some(Tier::Synonym));
    }

    #[test]
    fn relation_is_symmetric_over_many_keys() {
        let table = Synonyms::builtin();
        let keys: Vec<KeyId> = table
            .keys()
            .map(|(_, id)| id)
            .step_by(97)
            .take(300)
            .collect();
        for &a in &keys {
            for &b in &keys {
                assert_eq!(table.relation_of(a, b), table.relation_of(b, a));
            }
        }
    }

    #[test]
    fn parse_small_table_and_errors() {
        let text = "# demo\n@classes\nkill|1\nmurder slay\n@irregular\nslain slay\n";
        let t = Synonyms::parse(text).unwrap_or_default();
        assert_eq!(t.class_count(), 2);
        assert_eq!(t.relation("murder", "slay"), Some(Tier::Synonym));
        assert_eq!(t.relation("kill", "slay"), Some(Tier::Related));
        assert_eq!(t.relation("slain", "kill"), Some(Tier::Related));
        assert_eq!(t.relation("kill", "kill"), Some(Tier::Synonym));
        assert!(Synonyms::parse("kill\n").is_err());
        assert!(Synonyms::parse("@classes\nkill|0\n").is_err());
        assert!(Synonyms::parse("@classes\nkill|7\n").is_err());
        assert!(Synonyms::parse("@classes\n@irregular\nlonely\n").is_err());
    }
}
