//! The generator's words: a Zipfian English vocabulary, stop words, a spinner's thesaurus, and the
//! fictional names of people, places, organisations and outlets.
//!
//! The vocabulary and its frequencies are `stemma-align`'s built-in wordfreq table
//! ([`Background::builtin_text`]), read as surface words: lowercase alphabetic words of three letters
//! or more, not stop words, and dictionary words (the word, or the word less a regular inflection,
//! is a WordNet lemma). A word is drawn with probability proportional to its frequency, `10^zipf`,
//! so "people" comes about as often as in English text at large and "assailant" rarely. Stop words
//! are NLTK's list ([`STOP_WORDS`]), drawn the same way. The thesaurus is the WordNet synonym table
//! ([`Synonyms::builtin_text`]) read as lemmas, plus a short list of a spinner's favourite swaps
//! ("said" → "stated", "about" → "approximately") that a thesaurus of single words lacks.
//!
//! Frequencies are turned into integer weights with a fixed table of powers of ten (no `powf`), so
//! that sampling is the same on every machine.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use stemma_align::{Background, Normalizer, STOP_WORDS, Synonyms, TokenKind};

use crate::rng::Rng;

/// `10^(k/10)` for `k` in `0..10`, so that `10^(t/10) = POW10_TENTHS[t % 10] · 10^(t / 10)`.
const POW10_TENTHS: [f64; 10] = [
    1.0,
    1.258_925_411_794_167_3,
    1.584_893_192_461_113_6,
    1.995_262_314_968_879_5,
    2.511_886_431_509_58,
    3.162_277_660_168_379_5,
    3.981_071_705_534_972,
    5.011_872_336_272_722,
    6.309_573_444_801_933,
    7.943_282_347_242_816,
];

/// Occurrences per billion words of a word of Zipf frequency `tenths / 10`, as an integer weight.
fn weight_of(tenths: u32) -> u64 {
    let mut w = POW10_TENTHS[(tenths % 10) as usize];
    for _ in 0..tenths / 10 {
        w *= 10.0;
    }
    w.round() as u64
}

/// Parses a Zipf value written with one decimal ("5.9") as tenths (59).
fn tenths(field: &str) -> Option<u32> {
    let (int, frac) = field.split_once('.').unwrap_or((field, "0"));
    let int: u32 = int.parse().ok()?;
    let frac: u32 = frac.get(..1).unwrap_or("0").parse().ok()?;
    Some(int * 10 + frac)
}

/// Words never generated: profanity and slurs that a general frequency list carries.
const BLOCKED: &[&str] = &[
    "fuck",
    "fucking",
    "fucked",
    "shit",
    "shitty",
    "bitch",
    "bitches",
    "cunt",
    "dick",
    "dicks",
    "cock",
    "pussy",
    "whore",
    "slut",
    "nigger",
    "nigga",
    "faggot",
    "fag",
    "retard",
    "retarded",
    "bastard",
    "asshole",
    "tits",
    "boobs",
    "porn",
    "penis",
    "vagina",
    "dildo",
    "wank",
    "twat",
    "spic",
    "chink",
    "kike",
    "tranny",
    "rape",
    "raped",
    "rapist",
    "nazi",
    "nazis",
    "hitler",
    "anal",
    "sex",
    "sexy",
    "horny",
    "nude",
    "naked",
    "orgasm",
    "masturbation",
    "piss",
    "crap",
    "damn",
    "hell",
    "jesus",
    "christ",
    "god",
    "lol",
    "omg",
    "gonna",
    "wanna",
    "gotta",
    "yeah",
    "hey",
    "yo",
    "ass",
    "butt",
    "boob",
    "slave",
    "slaves",
    "negro",
    "coon",
    "gay",
    "dyke",
    "homo",
];

/// Stop-word fragments of contractions in NLTK's list, and first and second person words, which
/// narration does not use (quotes do).
const NOT_NARRATIVE_STOP: &[&str] = &[
    "ain",
    "aren",
    "couldn",
    "didn",
    "doesn",
    "don",
    "hadn",
    "hasn",
    "haven",
    "isn",
    "ma",
    "mightn",
    "mustn",
    "needn",
    "shan",
    "shouldn",
    "wasn",
    "weren",
    "won",
    "wouldn",
    "ll",
    "re",
    "ve",
    "s",
    "t",
    "d",
    "m",
    "o",
    "y",
    "i",
    "me",
    "my",
    "myself",
    "mine",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "we",
    "our",
    "ours",
    "ourselves",
    "us",
];

/// A spinner's favourite swaps: words and phrases a single-word thesaurus does not offer, or offers
/// badly. Used with WordNet's classes by the spin and edit operators.
pub const SPINNER_SWAPS: &[(&str, &[&str])] = &[
    (
        "said",
        &[
            "stated",
            "noted",
            "remarked",
            "explained",
            "asserted",
            "added",
        ],
    ),
    (
        "says",
        &["states", "notes", "remarks", "explains", "asserts"],
    ),
    ("told", &["informed", "explained to", "advised"]),
    (
        "people",
        &["individuals", "persons", "residents", "citizens"],
    ),
    ("about", &["approximately", "roughly", "around", "some"]),
    ("after", &["following", "subsequent to", "in the wake of"]),
    ("before", &["prior to", "ahead of"]),
    ("because", &["since", "as", "due to the fact that"]),
    ("but", &["however", "yet", "though"]),
    ("also", &["additionally", "likewise", "as well"]),
    ("more", &["additional", "extra", "further"]),
    ("many", &["numerous", "several", "a large number of"]),
    ("during", &["throughout", "amid", "in the course of"]),
    ("over", &["in excess of", "more than", "across"]),
    ("while", &["whilst", "whereas", "even as"]),
    ("between", &["among", "amid"]),
    ("very", &["extremely", "highly", "particularly"]),
    ("help", &["assist", "aid", "support"]),
    ("use", &["utilize", "employ"]),
    ("show", &["demonstrate", "reveal", "indicate"]),
    ("start", &["begin", "commence", "launch"]),
    ("need", &["require", "demand"]),
    ("get", &["obtain", "receive", "acquire"]),
    ("make", &["create", "produce", "generate"]),
    ("think", &["believe", "consider", "reckon"]),
    ("important", &["crucial", "vital", "significant", "key"]),
    ("new", &["fresh", "novel", "recent"]),
    ("big", &["large", "huge", "major"]),
    ("first", &["initial", "earliest", "opening"]),
    ("until", &["till", "up until"]),
    ("against", &["versus", "in opposition to"]),
    ("into", &["inside", "in to"]),
    ("under", &["beneath", "below"]),
    ("around", &["roughly", "about", "round"]),
    ("across", &["throughout", "all over"]),
    ("year", &["twelve months"]),
    ("week", &["seven days"]),
    ("government", &["administration", "authorities"]),
    ("officials", &["authorities", "representatives"]),
    ("police", &["law enforcement", "officers"]),
];

/// Phrases content farms put in front of a sentence (lowercase: the sentence's first letter is
/// capitalised when it is rendered).
pub const PADDING: &[&str] = &[
    "it is worth noting that",
    "notably,",
    "in addition,",
    "furthermore,",
    "as a matter of fact,",
    "it goes without saying that",
    "interestingly,",
    "needless to say,",
    "at the same time,",
    "on top of that,",
];

/// Fictional first names (real given names, combined at random with the surnames below).
pub const FIRST_NAMES: &[&str] = &[
    "Mara", "Tomas", "Ines", "Adela", "Kofi", "Priya", "Jonas", "Leila", "Mateo", "Anika", "Sven",
    "Yusuf", "Noor", "Elif", "Dmitri", "Hana", "Oscar", "Amara", "Felix", "Sofia", "Rafael",
    "Ingrid", "Kwame", "Lucia", "Arjun", "Maren", "Tobias", "Zainab", "Henrik", "Carmen", "Emeka",
    "Yara", "Lars", "Aisha", "Pavel", "Marta", "Kenji", "Freya", "Diego", "Nadia", "Bruno", "Olga",
    "Samir", "Greta", "Idris", "Clara", "Viktor", "Ayesha", "Anton", "Helena", "Malik", "Esther",
    "Ruben", "Keiko", "Pedro", "Amina", "Nils", "Beatriz", "Tariq", "Eva", "Stefan", "Liang",
    "Ruth", "Omar", "Linnea", "Hugo", "Fatima", "Jakob", "Chiara", "Ravi", "Astrid", "Milan",
    "Selin", "Gabriel", "Wanjiru", "Erik", "Rosa", "Ali", "Johanna", "Marco", "Sunita", "Paul",
    "Irene", "Kemal", "Alma", "Daniel", "Mei", "Thabo", "Vera", "Lukas", "Ana", "Karim", "Elena",
    "Joao", "Nina", "Farid", "Agnes", "Simon", "Lena",
];

/// Fictional surnames.
pub const LAST_NAMES: &[&str] = &[
    "Okonkwo",
    "Varnick",
    "Rehn",
    "Halloran",
    "Castellan",
    "Brandt",
    "Moreau",
    "Sato",
    "Lindqvist",
    "Adeyemi",
    "Novak",
    "Ferreira",
    "Kowalczyk",
    "Haddad",
    "Oyelaran",
    "Dahlberg",
    "Marchetti",
    "Nakamura",
    "Osei",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Szabo",
    "Tanaka",
    "Uribe",
    "Vogel",
    "Whitcombe",
    "Yilmaz",
    "Zeller",
    "Achterberg",
    "Bianchi",
    "Carvalho",
    "Delacroix",
    "Eriksen",
    "Fontaine",
    "Gallo",
    "Horvath",
    "Ivanova",
    "Jansen",
    "Kariuki",
    "Larsen",
    "Mendoza",
    "Nordin",
    "Okafor",
    "Pereira",
    "Quist",
    "Rinaldi",
    "Sandoval",
    "Thorne",
    "Ulloa",
    "Valdez",
    "Wexler",
    "Xu",
    "Yamada",
    "Zamora",
    "Abernathy",
    "Belmonte",
    "Corrigan",
    "Duval",
    "Esposito",
    "Falk",
    "Grieve",
    "Hollis",
    "Ibsen",
    "Jovanovic",
    "Kessler",
    "Lachance",
    "Mbeki",
    "Nyberg",
    "Orsini",
    "Pryce",
    "Ravel",
    "Stenberg",
    "Toivonen",
    "Underhill",
    "Vance",
    "Wolanski",
    "Ashdown",
    "Brennan",
    "Calloway",
    "Dunmore",
    "Eklund",
    "Farrow",
    "Gunnarsson",
    "Hargreave",
    "Iwu",
    "Juarez",
    "Kovac",
    "Lorne",
    "Mwangi",
    "Nakashima",
    "Oduya",
    "Pellegrini",
    "Rourke",
    "Salazar",
    "Tremaine",
    "Vukovic",
    "Wainwright",
    "Yeo",
    "Zubiri",
    "Aldana",
    "Boateng",
    "Cheval",
    "Drummond",
    "Elsner",
    "Fitzroy",
    "Guerrero",
    "Hartig",
    "Ilunga",
    "Kastner",
];

/// Syllables that start fictional place names.
pub const PLACE_HEADS: &[&str] = &[
    "Kar", "Ul", "Vel", "Hal", "Orr", "Bren", "Sor", "Tam", "Ost", "Mer", "Lin", "Dra", "Fen",
    "Gal", "Ith", "Jor", "Kel", "Lus", "Mav", "Nor", "Pel", "Quen", "Ras", "Sil", "Tor", "Vas",
    "Wen", "Yar", "Zel", "Ash", "Bel", "Cor", "Dun", "Elm", "Frey", "Glen", "Hol", "Ivar", "Kes",
    "Lor", "Mor", "Nes", "Pim", "Rid", "Stav", "Tarn", "Ved", "Wick", "Ald", "Bram",
];

/// Syllables that end fictional place names.
pub const PLACE_TAILS: &[&str] = &[
    "sby", "den", "ford", "ton", "mouth", "wick", "holm", "ay", "ara", "ine", "ovo", "ija", "heim",
    "stad", "ville", "port", "field", "bridge", "more", "gate", "dale", "haven", "ness", "ley",
    "enza", "ora", "ask", "vik", "berg", "burg",
];

/// What follows a place name to make a region.
pub const REGION_KINDS: &[&str] = &["Province", "County", "Region", "District", "State"];

/// What follows a name to make an organisation.
pub const ORG_KINDS: &[&str] = &[
    "Hydro",
    "Holdings",
    "Group",
    "Regional Council",
    "Emergency Management Agency",
    "Police Service",
    "University",
    "Port Authority",
    "Health Trust",
    "Transport Authority",
    "Water Board",
    "Chamber of Commerce",
    "Institute",
    "Mining Company",
    "General Hospital",
    "Football Club",
    "Teachers' Union",
    "Energy",
    "Logistics",
    "Bank",
];

/// People's roles; `{org}` and `{place}` are filled from the story.
pub const ROLES: &[&str] = &[
    "the mayor of {place}",
    "a spokesperson for {org}",
    "the director of {org}",
    "the chief executive of {org}",
    "a resident of {place}",
    "the governor of {region}",
    "a lawyer for the families",
    "an engineer at {org}",
    "the head of {org}",
    "a councillor in {place}",
    "an opposition lawmaker",
    "the police chief of {place}",
    "a shop owner in {place}",
    "a professor at {org}",
    "the finance minister",
    "a union representative",
];

/// Verbs of attribution after a quote.
pub const SAID: &[&str] = &[
    "said",
    "said",
    "said",
    "told reporters",
    "added",
    "said in a statement",
];

/// The vocabulary, loaded once.
pub struct Lexicon {
    /// Content words, drawn by their frequency.
    content: Sampler,
    /// Content words of middling frequency (Zipf 3.0 to 4.9), from which topics are drawn.
    middling: Sampler,
    /// Narrative stop words.
    stop: Sampler,
    /// Stop words of speech (with I, we, you).
    speech_stop: Sampler,
    /// WordNet classes: their lemmas that may replace a word (frequent, not stop words, not
    /// blocked, three letters or more).
    usable: Vec<Vec<&'static str>>,
    /// One-hop links between classes (hypernym, similar-to), both ways.
    related: Vec<Vec<u32>>,
    /// The classes of each lemma.
    classes_of: FxHashMap<&'static str, Vec<u32>>,
    /// The class lists of the entries, one after the other.
    class_list: Vec<u32>,
    /// How each content word and each word of the hand swaps is replaced: one lookup per word.
    entries: FxHashMap<&'static str, Entry>,
}

/// How a word is replaced.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// From the hand swaps.
    Swap(&'static [&'static str]),
    /// From the WordNet classes of its lemma (`class_list[start..end]`), re-inflected.
    Lemma {
        lemma: &'static str,
        suffix: Suffix,
        start: u32,
        end: u32,
    },
}

/// Draws words by integer weights in constant time (Walker's alias method, built with integer
/// arithmetic so that the table is the same on every machine).
struct Sampler {
    /// Column `i`: its word, unless 32 random bits are at or above its threshold, in which case the
    /// word of its alias column. Cells are 16 bytes, so a draw touches one cache line, two at most.
    cells: Vec<Cell>,
    /// The words, by number.
    words: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    /// Accept the column's own word when the random bits are below this (`u32::MAX` and
    /// `always` for columns that are never aliased).
    threshold: u32,
    alias: u32,
    word: u32,
    always: bool,
}

impl Sampler {
    fn new(items: Vec<(&'static str, u64)>) -> Sampler {
        let n = items.len();
        let total: u128 = items
            .iter()
            .map(|&(_, w)| u128::from(w))
            .sum::<u128>()
            .max(1);
        // Scaled so that `total` stands for probability 1 of the chosen column.
        let mut scaled: Vec<u128> = items
            .iter()
            .map(|&(_, w)| u128::from(w) * n as u128)
            .collect();
        let mut prob: Vec<u128> = vec![total; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let mut small: Vec<usize> = (0..n).filter(|&i| scaled[i] < total).collect();
        let mut large: Vec<usize> = (0..n).filter(|&i| scaled[i] >= total).collect();
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            prob[s] = scaled[s];
            alias[s] = l as u32;
            scaled[l] = scaled[l] + scaled[s] - total;
            if scaled[l] < total {
                large.pop();
                small.push(l);
            }
        }
        let cells = (0..n)
            .map(|i| Cell {
                threshold: ((prob[i].min(total) << 32) / total).min(u128::from(u32::MAX)) as u32,
                alias: alias[i],
                word: i as u32,
                always: prob[i] >= total,
            })
            .collect();
        Sampler {
            cells,
            words: items.into_iter().map(|(w, _)| w).collect(),
        }
    }

    fn draw(&self, rng: &mut Rng) -> &'static str {
        // One 64-bit draw: the high half picks the column, the low half decides alias or not.
        let x = rng.next_u64();
        let column = (((x >> 32) * self.cells.len() as u64) >> 32) as usize;
        let Some(cell) = self.cells.get(column) else {
            return "";
        };
        let word = if cell.always || (x as u32) < cell.threshold {
            cell.word
        } else {
            cell.alias
        };
        self.words.get(word as usize).copied().unwrap_or("")
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.cells.len()
    }
}

impl Lexicon {
    /// The lexicon built from `stemma-align`'s tables (parsed once, on first use).
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let stop_set: FxHashSet<&str> = STOP_WORDS.iter().copied().collect();
        let blocked: FxHashSet<&str> = BLOCKED.iter().copied().collect();

        // WordNet classes as lemmas.
        let mut classes: Vec<Vec<&'static str>> = Vec::new();
        let mut links: Vec<(u32, u32)> = Vec::new();
        let mut in_classes = false;
        for line in Synonyms::builtin_text().lines() {
            if line.starts_with('#') {
                continue;
            }
            if line.starts_with('@') {
                in_classes = line == "@classes";
                continue;
            }
            if !in_classes {
                continue;
            }
            let (members, hops) = line.split_once('|').unwrap_or((line, ""));
            let id = classes.len() as u32;
            classes.push(members.split_ascii_whitespace().collect());
            for hop in hops.split_ascii_whitespace() {
                if let Ok(other) = hop.parse::<u32>() {
                    links.push((id, other));
                }
            }
        }
        let mut related: Vec<Vec<u32>> = vec![Vec::new(); classes.len()];
        for (a, b) in links {
            if let (true, true) = ((a as usize) < related.len(), (b as usize) < related.len()) {
                related[a as usize].push(b);
                related[b as usize].push(a);
            }
        }
        let mut classes_of: FxHashMap<&'static str, Vec<u32>> = FxHashMap::default();
        for (id, members) in classes.iter().enumerate() {
            for &lemma in members {
                classes_of.entry(lemma).or_default().push(id as u32);
            }
        }

        // Frequencies, in file order (most frequent first, then alphabetical within a value).
        let mut zipf: FxHashMap<&'static str, u32> = FxHashMap::default();
        let mut ordered: Vec<(&'static str, u32)> = Vec::new();
        for line in Background::builtin_text().lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_ascii_whitespace();
            let Some(t) = fields.next().and_then(tenths) else {
                continue;
            };
            for word in fields {
                if zipf.insert(word, t).is_none() {
                    ordered.push((word, t));
                }
            }
        }

        let is_dictionary_word = |w: &str| {
            classes_of.contains_key(w) || inflection(w, |l| classes_of.contains_key(l)).is_some()
        };
        let mut content = Vec::new();
        let mut middling = Vec::new();
        let mut entries: FxHashMap<&'static str, Entry> = FxHashMap::default();
        let mut class_list: Vec<u32> = Vec::new();
        let mut lemma_entry = |word: &'static str, lemma: &'static str, suffix: Suffix| {
            let start = class_list.len() as u32;
            class_list.extend(classes_of.get(lemma).map_or(&[][..], |c| c.as_slice()));
            let end = class_list.len() as u32;
            entries.insert(
                word,
                Entry::Lemma {
                    lemma,
                    suffix,
                    start,
                    end,
                },
            );
        };
        for &(word, t) in &ordered {
            if word.len() < 3
                || !word.bytes().all(|b| b.is_ascii_lowercase())
                || stop_set.contains(word)
                || blocked.contains(word)
                || !is_dictionary_word(word)
            {
                continue;
            }
            let w = weight_of(t);
            content.push((word, w));
            if (30..50).contains(&t) {
                middling.push((word, w));
            }
            if classes_of.contains_key(word) {
                lemma_entry(word, word, Suffix::None);
            } else if let Some((lemma, suffix)) = inflection(word, |l| classes_of.contains_key(l)) {
                if let Some((&key, _)) = classes_of.get_key_value(lemma.as_str()) {
                    lemma_entry(word, key, suffix);
                }
            }
        }

        let mut stop = Vec::new();
        let mut speech_stop = Vec::new();
        for &word in STOP_WORDS.iter() {
            if !word.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let fragment = matches!(
                word,
                "ain"
                    | "aren"
                    | "couldn"
                    | "didn"
                    | "doesn"
                    | "don"
                    | "hadn"
                    | "hasn"
                    | "haven"
                    | "isn"
                    | "ma"
                    | "mightn"
                    | "mustn"
                    | "needn"
                    | "shan"
                    | "shouldn"
                    | "wasn"
                    | "weren"
                    | "won"
                    | "wouldn"
                    | "ll"
                    | "re"
                    | "ve"
                    | "s"
                    | "t"
                    | "d"
                    | "m"
                    | "o"
                    | "y"
            );
            let Some(&t) = zipf.get(word) else { continue };
            let w = weight_of(t);
            if !fragment {
                speech_stop.push((word, w));
            }
            if !NOT_NARRATIVE_STOP.contains(&word) {
                stop.push((word, w));
            }
        }

        for &(word, options) in SPINNER_SWAPS {
            entries.insert(word, Entry::Swap(options));
        }
        let usable = classes
            .iter()
            .map(|members| {
                members
                    .iter()
                    .copied()
                    .filter(|&c| {
                        c.len() >= 3
                            && zipf.contains_key(c)
                            && !stop_set.contains(c)
                            && !blocked.contains(c)
                    })
                    .collect()
            })
            .collect();
        Lexicon {
            content: Sampler::new(content),
            middling: Sampler::new(middling),
            stop: Sampler::new(stop),
            speech_stop: Sampler::new(speech_stop),
            usable,
            related,
            classes_of,
            class_list,
            entries,
        }
    }

    /// A content word drawn by its English frequency.
    pub fn content_word(&self, rng: &mut Rng) -> &'static str {
        self.content.draw(rng)
    }

    /// A content word of middling frequency (Zipf 3.0 to 4.9) drawn by its frequency: topic words.
    pub fn middling_word(&self, rng: &mut Rng) -> &'static str {
        self.middling.draw(rng)
    }

    /// A narrative stop word drawn by its frequency.
    pub fn stop_word(&self, rng: &mut Rng) -> &'static str {
        self.stop.draw(rng)
    }

    /// A stop word of speech (first and second person included) drawn by its frequency.
    pub fn speech_stop_word(&self, rng: &mut Rng) -> &'static str {
        self.speech_stop.draw(rng)
    }

    /// How many content words the vocabulary has.
    #[cfg(test)]
    pub fn content_len(&self) -> usize {
        self.content.len()
    }

    /// A stock replacement for `word` from the hand swaps only (`None` when it has none): for
    /// function words, which WordNet's classes would turn into nonsense ("will" → "testament").
    pub fn swap(&self, word: &str, rng: &mut Rng) -> Option<&'static str> {
        match self.entries.get(word) {
            Some(Entry::Swap(options)) => rng.pick(options).copied(),
            _ => None,
        }
    }

    /// A word's lemma, the suffix that re-inflects it, and the lemma's WordNet classes: from its entry,
    /// or, for a word made by an earlier rewrite ("assaults"), found the slow way. `None` for a word
    /// of no class (and for a hand swap, which has none).
    fn lemma_classes(&self, word: &str) -> Option<(&'static str, Suffix, &[u32])> {
        match self.entries.get(word) {
            Some(&Entry::Lemma {
                lemma,
                suffix,
                start,
                end,
            }) => Some((
                lemma,
                suffix,
                &self.class_list[start as usize..end as usize],
            )),
            Some(Entry::Swap(_)) => None,
            None => {
                let (lemma, suffix) = inflection(word, |l| self.classes_of.contains_key(l))?;
                let (&lemma, own) = self.classes_of.get_key_value(lemma.as_str())?;
                Some((lemma, suffix, own.as_slice()))
            }
        }
    }

    /// A replacement for `word` as a spinner would choose it: from the hand swaps when the word has
    /// one, else a lemma of one of its WordNet classes (with probability `related_share` one of a
    /// class one hop away: a hypernym or a similar word), re-inflected like the word. Only words of
    /// the frequency table are offered, and never the word itself. `None` when nothing fits.
    pub fn synonym(
        &self,
        word: &str,
        related_share: f64,
        rng: &mut Rng,
    ) -> Option<Cow<'static, str>> {
        let (lemma, suffix, own) = match self.entries.get(word) {
            Some(Entry::Swap(options)) => return rng.pick(options).map(|s| Cow::Borrowed(*s)),
            _ => self.lemma_classes(word)?,
        };
        let mut class = *rng.pick(own)?;
        if rng.chance(related_share) {
            if let Some(&hop) = rng.pick(&self.related[class as usize]) {
                class = hop;
            }
        }
        let candidates = &self.usable[class as usize];
        let own_position = candidates.iter().position(|&c| c == lemma);
        let n = candidates.len() - usize::from(own_position.is_some());
        if n == 0 {
            return None;
        }
        let mut k = rng.below(n);
        if own_position.is_some_and(|p| k >= p) {
            k += 1;
        }
        let inflected = suffix.apply(candidates[k]);
        (inflected != word).then_some(inflected)
    }
}

/// Whether the scorer's synonym table links two words: the same key (stem), or a shared class or a
/// class one hop away ([`Synonyms::relation`]). Spins of the natural generator avoid such pairs, so
/// that a swap is never one the scorer credits.
pub fn scorer_links(a: &str, b: &str) -> bool {
    static NORMALIZER: OnceLock<Normalizer> = OnceLock::new();
    let n = NORMALIZER.get_or_init(Normalizer::new);
    let (ka, kind_a) = n.key(&a.to_lowercase());
    let (kb, kind_b) = n.key(&b.to_lowercase());
    if ka == kb {
        return true;
    }
    kind_a == TokenKind::Word
        && kind_b == TokenKind::Word
        && Synonyms::builtin().relation(&ka, &kb).is_some()
}

impl Lexicon {
    /// A replacement for `word` that the scorer's table does not credit ([`scorer_links`] is
    /// false): a lemma of a WordNet class two hops from one of the word's own (a sibling under a
    /// shared hypernym, or a hypernym's hypernym), as a looser thesaurus than WordNet's synsets
    /// would offer, re-inflected like the word; for a function word, a hand swap the table does not
    /// link. `None` when no try finds one.
    pub fn unlinked_synonym(&self, word: &str, rng: &mut Rng) -> Option<Cow<'static, str>> {
        let (lemma, suffix, own) = match self.entries.get(word) {
            Some(Entry::Swap(options)) => {
                let new = *rng.pick(options)?;
                return (!scorer_links(word, new)).then_some(Cow::Borrowed(new));
            }
            _ => self.lemma_classes(word)?,
        };
        for _ in 0..6 {
            let class = *rng.pick(own)?;
            let Some(&hop) = rng.pick(&self.related[class as usize]) else {
                continue;
            };
            let Some(&far) = rng.pick(&self.related[hop as usize]) else {
                continue;
            };
            if own.contains(&far) {
                continue;
            }
            let Some(&candidate) = rng.pick(&self.usable[far as usize]) else {
                continue;
            };
            if candidate == lemma {
                continue;
            }
            let inflected = suffix.apply(candidate);
            if !scorer_links(word, &inflected) {
                return Some(inflected);
            }
        }
        None
    }
}

/// A regular inflection that a spinner puts back on a synonym.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    None,
    S,
    Ed,
    Ing,
}

impl Suffix {
    fn apply(self, lemma: &'static str) -> Cow<'static, str> {
        Cow::Owned(match self {
            Suffix::None => return Cow::Borrowed(lemma),
            Suffix::S => {
                if lemma.ends_with('s')
                    || lemma.ends_with('x')
                    || lemma.ends_with("ch")
                    || lemma.ends_with("sh")
                {
                    format!("{lemma}es")
                } else if let Some(stem) = lemma.strip_suffix('y').filter(|s| !ends_with_vowel(s)) {
                    format!("{stem}ies")
                } else {
                    format!("{lemma}s")
                }
            }
            Suffix::Ed => {
                if lemma.ends_with('e') {
                    format!("{lemma}d")
                } else if let Some(stem) = lemma.strip_suffix('y').filter(|s| !ends_with_vowel(s)) {
                    format!("{stem}ied")
                } else {
                    format!("{lemma}ed")
                }
            }
            Suffix::Ing => match lemma.strip_suffix('e') {
                Some(stem) if !stem.ends_with('e') && !stem.is_empty() => format!("{stem}ing"),
                _ => format!("{lemma}ing"),
            },
        })
    }
}

fn ends_with_vowel(s: &str) -> bool {
    s.ends_with(['a', 'e', 'i', 'o', 'u'])
}

/// The lemma and suffix of a regularly inflected word ("attacks" → "attack" and -s, "moved" →
/// "move" and -ed, "stopped" → "stop" and -ed), the first candidate lemma that `known` accepts; `None` when no
/// rule gives a known lemma.
fn inflection(word: &str, known: impl Fn(&str) -> bool) -> Option<(String, Suffix)> {
    let mut candidates: Vec<(String, Suffix)> = Vec::new();
    if let Some(stem) = word.strip_suffix("ies") {
        candidates.push((format!("{stem}y"), Suffix::S));
    }
    if let Some(stem) = word.strip_suffix("es") {
        candidates.push((stem.to_string(), Suffix::S));
    }
    if let Some(stem) = word.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        candidates.push((stem.to_string(), Suffix::S));
    }
    if let Some(stem) = word.strip_suffix("ied") {
        candidates.push((format!("{stem}y"), Suffix::Ed));
    }
    for (ending, suffix) in [("ed", Suffix::Ed), ("ing", Suffix::Ing)] {
        if let Some(stem) = word.strip_suffix(ending) {
            candidates.push((stem.to_string(), suffix));
            candidates.push((format!("{stem}e"), suffix));
            let b = stem.as_bytes();
            if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
                candidates.push((stem[..stem.len() - 1].to_string(), suffix));
            }
        }
    }
    if let Some(stem) = word.strip_suffix('d').filter(|s| s.ends_with('e')) {
        candidates.push((stem.to_string(), Suffix::Ed));
    }
    candidates
        .into_iter()
        .find(|(lemma, _)| lemma.len() >= 3 && known(lemma))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_ten() {
        assert_eq!(weight_of(0), 1);
        assert_eq!(weight_of(30), 1000);
        assert_eq!(weight_of(77), 50_118_723);
        assert_eq!(tenths("5.9"), Some(59));
        assert_eq!(tenths("7"), Some(70));
        assert_eq!(tenths("x"), None);
    }

    #[test]
    fn vocabulary_is_large_clean_and_zipfian() {
        let lex = Lexicon::get();
        assert!(lex.content_len() > 15_000, "{}", lex.content_len());
        let mut rng = Rng::new(1, &[]);
        let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
        for _ in 0..50_000 {
            let w = lex.content_word(&mut rng);
            assert!(
                w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()),
                "{w}"
            );
            assert!(!STOP_WORDS.contains(&w) && !BLOCKED.contains(&w), "{w}");
            *counts.entry(w).or_default() += 1;
        }
        // Zipfian: "people" (Zipf 6.2) is drawn far more often than a word of Zipf 4.
        let people = counts.get("people").copied().unwrap_or(0);
        let rare = counts.get("cautious").copied().unwrap_or(0);
        assert!(people > 100 && people > 20 * rare.max(1), "{people} {rare}");
        // Many distinct words.
        assert!(counts.len() > 5000, "{}", counts.len());
        let stop = lex.stop_word(&mut rng);
        assert!(STOP_WORDS.contains(&stop) && !NOT_NARRATIVE_STOP.contains(&stop));
    }

    #[test]
    fn synonyms_come_from_the_thesaurus_and_keep_the_inflection() {
        let lex = Lexicon::get();
        let mut rng = Rng::new(3, &[]);
        let said = lex.synonym("said", 0.0, &mut rng).unwrap_or_default();
        assert!(SPINNER_SWAPS[0].1.contains(&&*said), "{said}");
        let mut seen = FxHashSet::default();
        for _ in 0..50 {
            if let Some(s) = lex.synonym("attacks", 0.0, &mut rng) {
                assert!(s.ends_with('s'), "{s}");
                seen.insert(s.into_owned());
            }
        }
        assert!(!seen.is_empty());
        assert!(!seen.contains("attacks"));
        assert_eq!(Suffix::Ed.apply("move"), "moved");
        assert_eq!(Suffix::Ing.apply("move"), "moving");
        assert_eq!(Suffix::S.apply("city"), "cities");
        let known = |w: &str| lex.classes_of.contains_key(w);
        assert_eq!(
            inflection("moved", known).map(|(l, _)| l),
            Some("move".to_string())
        );
        assert_eq!(
            inflection("stopped", known).map(|(l, _)| l),
            Some("stop".to_string())
        );
        assert_eq!(
            inflection("cities", known).map(|(l, _)| l),
            Some("city".to_string())
        );
    }
}
