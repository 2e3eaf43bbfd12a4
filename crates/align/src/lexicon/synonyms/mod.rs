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

mod table;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

pub use table::ParseError;
use table::{Table, slice};

/// The shipped table: classes, one-hop links and irregular forms (format in its header).
const BUILTIN: &str = include_str!("../../../data/synonyms.txt");

/// [`BUILTIN`] as parsed and stemmed by the build script (`build.rs`).
const COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/synonyms.bin"));

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

/// A synonym table: per key, its sorted classes and the sorted classes one hop from them.
///
/// Lookups are hash lookups plus merges of short sorted slices, so [`Synonyms::relation`] can sit
/// in an inner loop. Classes of all keys live in two flat vectors with offsets.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The built-in table from WordNet 3.0 (parsed and stemmed when the crate is compiled, loaded
    /// once, on first use).
    ///
    /// The table is written by the crate's build script, so a failure here is a broken build, not
    /// bad input: it fails loudly rather than leaving every synonym unknown.
    pub fn builtin() -> &'static Synonyms {
        static TABLE: OnceLock<Synonyms> = OnceLock::new();
        TABLE.get_or_init(|| {
            Synonyms::from(Table::decode(COMPILED).expect("the build script wrote a synonym table"))
        })
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
    ///
    /// ```
    /// use stemma_align::{Synonyms, Tier};
    ///
    /// let table = Synonyms::parse("@classes\nkill|1\nmurder slay\n@irregular\nslain slay\n")?;
    /// assert_eq!(table.relation("murder", "slay"), Some(Tier::Synonym));
    /// assert_eq!(table.relation("slain", "kill"), Some(Tier::Related));
    /// # Ok::<(), stemma_align::SynonymsParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Synonyms, ParseError> {
        Table::parse(text).map(Synonyms::from)
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

impl From<Table> for Synonyms {
    fn from(table: Table) -> Self {
        let ids = table
            .keys
            .into_iter()
            .zip(0u32..)
            .collect::<FxHashMap<Box<str>, u32>>();
        Synonyms {
            ids,
            class_start: table.class_start,
            classes: table.classes,
            near_start: table.near_start,
            near: table.near,
            irregular: table.irregular.into_iter().collect(),
            class_count: table.class_count,
        }
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

#[cfg(test)]
mod tests {
    use rust_stemmers::{Algorithm, Stemmer};

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
    fn compiled_table_is_the_shipped_text_parsed() {
        let parsed = Table::parse(BUILTIN).expect("the shipped table parses");
        assert_eq!(Table::decode(&parsed.encode()).as_ref(), Some(&parsed));
        assert_eq!(Table::decode(COMPILED).as_ref(), Some(&parsed));
        assert_eq!(Synonyms::builtin(), &Synonyms::from(parsed));
        assert_eq!(Table::decode(&COMPILED[..COMPILED.len() - 1]), None);
    }

    #[test]
    fn builtin_parses_and_is_large() {
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
