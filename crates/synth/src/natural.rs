//! The language of the natural generator: a word-level Markov model of real news sentences, built at
//! run time from the benchmark texts beside the project (`../shared`), never shipped.
//!
//! The easy generator draws its words independently, so no phrase recurs by chance between two
//! unrelated articles. News is not like that: "said in a statement on", "according to figures
//! released by" recur everywhere. A Markov chain over real sentences reproduces that phrasing (and
//! its rate, which `stemma bench recurrence` measures) while making new sentences.
//!
//! Names, places, numbers and days of the training sentences become *slots*, filled with the
//! story's facts when a sentence is written: articles of one story share their names, articles of
//! different stories share only phrasing. METER's terms forbid copying it into the repository, so
//! the model is only ever built from the files at run time ([`NewsModel::load`]).

use std::path::{Path, PathBuf};
use stemma_graph::{MONTHS, WEEKDAYS};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::rng::Rng;

/// What the model could not read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A folder or file the model needs is not there.
    #[error(
        "{}: not found; the natural generator builds its language model at run time from the benchmark texts in ../shared (benchmarks/mrpc and benchmarks/meter-showbiz); pass --shared DIR if they are elsewhere",
        path.display()
    )]
    Missing {
        /// What is missing.
        path: PathBuf,
    },
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The texts held too few usable sentences to build a model.
    #[error("{}: only {sentences} usable sentences; a model needs at least {MIN_SENTENCES}", path.display())]
    TooFew {
        /// The folder read.
        path: PathBuf,
        /// Usable sentences found.
        sentences: usize,
    },
}

/// Fewest training sentences for a model: fewer and the chain only recites them.
pub const MIN_SENTENCES: usize = 20;

/// A slot of a sentence: filled with one of the story's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// A person or an organisation.
    Name,
    /// A person or organisation with a possessive `'s`.
    NamePossessive,
    /// A place (a name after "in", "at", "from", …).
    Place,
    /// A number, an amount, a share or a year.
    Number,
    /// A weekday or a month and day.
    Day,
}

/// One token of the model's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A content word.
    Word(&'static str),
    /// A stop word, or `;` / `:` (rendered without a space before).
    Stop(&'static str),
    /// A comma.
    Comma,
    /// A fact of the story.
    Slot(Slot),
}

const BOS: u32 = 0;
const EOS: u32 = 1;
/// Bits of a token number in a packed context (vocabularies stay far below two million words).
const BITS: u32 = 21;

/// Probability that a step follows the three previous tokens rather than two. Calibrated so that
/// the share of 8-word shingles recurring in unrelated articles is near METER showbiz's (see
/// docs/performance.md): three tokens of context on a few hundred thousand training tokens mostly
/// recites training sentences, two make new ones.
pub const ORDER3_SHARE: f64 = 0.2;

/// Probability that a step follows the previous token only (when it does not follow three).
pub const ORDER1_SHARE: f64 = 0.3;

/// Shortest and longest generated sentence, in tokens (a sentence outside is drawn again).
const LENGTH: (usize, usize) = (8, 40);

/// A word-level Markov model of news sentences, with facts as slots.
pub struct NewsModel {
    pieces: Vec<Piece>,
    /// Context (one, two or three packed token numbers) → successors' range in `successors`.
    order1: FxHashMap<u64, (u32, u32)>,
    order2: FxHashMap<u64, (u32, u32)>,
    order3: FxHashMap<u64, (u32, u32)>,
    successors: Vec<u32>,
    sentences: usize,
    tokens: usize,
    order3_share: f64,
    order1_share: f64,
}

impl std::fmt::Debug for NewsModel {
    // The tables hold hundreds of thousands of entries: a debug print shows their sizes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewsModel")
            .field("sentences", &self.sentences)
            .field("tokens", &self.tokens)
            .field("vocabulary", &self.pieces.len())
            .field(
                "contexts",
                &(self.order1.len() + self.order2.len() + self.order3.len()),
            )
            .field("order3_share", &self.order3_share)
            .field("order1_share", &self.order1_share)
            .finish()
    }
}

fn pack2(a: u32, b: u32) -> u64 {
    (u64::from(a) << BITS) | u64::from(b)
}

fn pack3(a: u32, b: u32, c: u32) -> u64 {
    (u64::from(a) << (2 * BITS)) | (u64::from(b) << BITS) | u64::from(c)
}

/// Words after which a name is a place.
const PLACE_BEFORE: &[&str] = &[
    "in", "at", "from", "near", "across", "outside", "inside", "to", "into",
];

/// Words that follow a number and belong to it ("2.4 million", "35 percent").
const NUMBER_TAILS: &[&str] = &[
    "million", "billion", "trillion", "percent", "per", "cent", "%",
];

/// Interns strings as `&'static str`. The model is built once per process and its words are shared
/// by every token the generator makes (tokens hold `&'static str`), so its vocabulary is leaked on
/// purpose: a few megabytes, once.
#[derive(Default)]
struct Interner {
    map: FxHashMap<&'static str, u32>,
    pieces: Vec<Piece>,
}

impl Interner {
    fn id(&mut self, piece: Piece) -> u32 {
        let key: &'static str = match piece {
            Piece::Word(w) => w,
            Piece::Stop(w) => w,
            Piece::Comma => ",",
            Piece::Slot(Slot::Name) => "\u{1}name",
            Piece::Slot(Slot::NamePossessive) => "\u{1}name's",
            Piece::Slot(Slot::Place) => "\u{1}place",
            Piece::Slot(Slot::Number) => "\u{1}number",
            Piece::Slot(Slot::Day) => "\u{1}day",
        };
        if let Some(&id) = self.map.get(key) {
            return id;
        }
        let id = self.pieces.len() as u32;
        self.pieces.push(piece);
        self.map.insert(key, id);
        id
    }

    fn word(&mut self, word: &str, stop: bool) -> u32 {
        if let Some(&id) = self.map.get(word) {
            return id;
        }
        let leaked: &'static str = Box::leak(word.to_string().into_boxed_str());
        self.id(if stop {
            Piece::Stop(leaked)
        } else {
            Piece::Word(leaked)
        })
    }
}

/// Cuts a sentence into raw words with their trailing punctuation stripped and reported.
fn raw_words(sentence: &str) -> Vec<(String, Option<char>)> {
    let mut out = Vec::new();
    for raw in sentence.split_whitespace() {
        let raw = raw.replace("``", "").replace("''", "");
        let trimmed = raw.trim_start_matches(['"', '“', '”', '‘', '(', '[', '\'', '’', '-', '—']);
        let mut word = trimmed;
        let mut punct = None;
        // Closing quotes and punctuation in any order ("said.'", "end,\""): the first punctuation
        // mark from the end is the one that counts.
        while let Some(c) = word.chars().last().filter(|c| ",;:.!?\"”’')]".contains(*c)) {
            if ",;:.!?".contains(c) {
                punct = punct.or(Some(c));
            }
            word = &word[..word.len() - c.len_utf8()];
        }
        if word.is_empty() || word.chars().all(|c| !c.is_alphanumeric()) {
            if let (Some(p), Some(last)) = (punct, out.last_mut()) {
                let last: &mut (String, Option<char>) = last;
                last.1 = last.1.or(Some(p));
            }
            continue;
        }
        out.push((word.to_string(), punct));
    }
    out
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

impl NewsModel {
    /// Builds the model from the news texts under `shared` (the folder beside the project that holds
    /// `benchmarks/`): the MRPC sentences and the METER showbiz texts (wire copy and newspaper
    /// stories).
    ///
    /// # Errors
    /// When a folder or file is missing or unreadable (the error names it), or too few sentences.
    pub fn load(shared: &Path) -> Result<NewsModel, LoadError> {
        let mut sentences = mrpc_sentences(shared)?;
        for (_, text) in meter_texts(shared)? {
            sentences.extend(sentences_of(&text));
        }
        let model = NewsModel::from_sentences(sentences.iter().map(String::as_str));
        if model.sentences < MIN_SENTENCES {
            return Err(LoadError::TooFew {
                path: shared.to_path_buf(),
                sentences: model.sentences,
            });
        }
        Ok(model)
    }

    /// Builds the model from sentences (each one sentence of prose; duplicates are counted once).
    pub fn from_sentences<'s>(sentences: impl IntoIterator<Item = &'s str>) -> NewsModel {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let raw: Vec<Vec<(String, Option<char>)>> = sentences
            .into_iter()
            .map(str::trim)
            .filter(|s| seen.insert(s))
            .map(raw_words)
            .filter(|w| w.len() >= 5)
            .collect();
        // Words seen in lower case somewhere: a capitalised first word that is one is no name.
        let lower: FxHashSet<&str> = raw
            .iter()
            .flat_map(|s| s.iter().skip(1))
            .map(|(w, _)| w.as_str())
            .filter(|w| !is_capitalised(w))
            .collect();
        let mut interner = Interner::default();
        interner.id(Piece::Stop("\u{2}bos"));
        interner.id(Piece::Stop("\u{2}eos"));
        let mut order1: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut order2: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut order3: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut tokens = 0;
        let mut count = 0;
        for words in &raw {
            let ids = tokenize(words, &lower, &mut interner);
            if ids.len() < LENGTH.0 {
                continue;
            }
            count += 1;
            tokens += ids.len();
            let mut context = [BOS, BOS, BOS];
            for &id in ids.iter().chain(std::iter::once(&EOS)) {
                order1.entry(u64::from(context[2])).or_default().push(id);
                order2
                    .entry(pack2(context[1], context[2]))
                    .or_default()
                    .push(id);
                order3
                    .entry(pack3(context[0], context[1], context[2]))
                    .or_default()
                    .push(id);
                context = [context[1], context[2], id];
            }
        }
        let mut successors = Vec::new();
        let mut flatten = |table: FxHashMap<u64, Vec<u32>>| {
            // Sorted so that the flat layout, hence nothing, depends on the hash map's order.
            let mut entries: Vec<(u64, Vec<u32>)> = table.into_iter().collect();
            entries.sort_unstable_by_key(|e| e.0);
            entries
                .into_iter()
                .map(|(key, next)| {
                    let start = successors.len() as u32;
                    successors.extend(next);
                    (key, (start, successors.len() as u32))
                })
                .collect::<FxHashMap<u64, (u32, u32)>>()
        };
        let order1 = flatten(order1);
        let order2 = flatten(order2);
        let order3 = flatten(order3);
        NewsModel {
            pieces: interner.pieces,
            order1,
            order2,
            order3,
            successors,
            sentences: count,
            tokens,
            order3_share: ORDER3_SHARE,
            order1_share: ORDER1_SHARE,
        }
    }

    /// The model with another probability of following one token only (default
    /// [`ORDER1_SHARE`]): higher breaks more runs of training text, so fewer phrases recur.
    pub fn with_order1_share(mut self, share: f64) -> NewsModel {
        self.order1_share = share.clamp(0.0, 1.0);
        self
    }

    /// The model with another probability of following three tokens rather than two (default
    /// [`ORDER3_SHARE`]): higher recites more of the training text, so more phrases recur.
    pub fn with_order3_share(mut self, share: f64) -> NewsModel {
        self.order3_share = share.clamp(0.0, 1.0);
        self
    }

    /// Training sentences.
    pub fn sentence_count(&self) -> usize {
        self.sentences
    }

    /// Training tokens.
    pub fn token_count(&self) -> usize {
        self.tokens
    }

    /// A new sentence: its pieces, without final punctuation.
    pub fn sentence(&self, rng: &mut Rng) -> Vec<Piece> {
        let mut best: Vec<u32> = Vec::new();
        for _ in 0..8 {
            let ids = self.walk(rng);
            let fits = (LENGTH.0..=LENGTH.1).contains(&ids.len());
            if fits || best.is_empty() {
                best = ids;
            }
            if fits {
                break;
            }
        }
        best.truncate(LENGTH.1);
        while best
            .last()
            .is_some_and(|&id| matches!(self.pieces[id as usize], Piece::Comma | Piece::Stop(_)))
        {
            best.pop();
        }
        best.iter().map(|&id| self.pieces[id as usize]).collect()
    }

    fn walk(&self, rng: &mut Rng) -> Vec<u32> {
        let mut out = Vec::with_capacity(32);
        let mut context = [BOS, BOS, BOS];
        while out.len() < 2 * LENGTH.1 {
            let r = rng.unit();
            let range = if r < self.order3_share {
                self.order3.get(&pack3(context[0], context[1], context[2]))
            } else if r < self.order3_share + self.order1_share && context[2] != BOS {
                self.order1.get(&u64::from(context[2]))
            } else {
                None
            }
            .or_else(|| self.order2.get(&pack2(context[1], context[2])));
            let Some(&(start, end)) = range else { break };
            let next = self.successors[start as usize + rng.below((end - start) as usize)];
            if next == EOS {
                break;
            }
            out.push(next);
            context = [context[1], context[2], next];
        }
        out
    }
}

/// Token numbers of one sentence's raw words: names, places, numbers and days become slots.
fn tokenize(
    words: &[(String, Option<char>)],
    lower: &FxHashSet<&str>,
    interner: &mut Interner,
) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(words.len() + 4);
    let mut previous: Option<Piece> = None;
    let mut previous_word = String::new();
    for (i, (word, punct)) in words.iter().enumerate() {
        let lowered = word.to_lowercase();
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        let number_tail =
            previous == Some(Piece::Slot(Slot::Number)) && NUMBER_TAILS.contains(&lowered.as_str());
        let piece = if has_digit || number_tail {
            Piece::Slot(Slot::Number)
        } else if WEEKDAYS.contains(&word.as_str()) || MONTHS.contains(&word.as_str()) {
            Piece::Slot(Slot::Day)
        } else if word == "I" {
            Piece::Stop("I")
        } else if is_capitalised(word)
            && !(i == 0
                && (stemma_align::is_stop_word(&lowered) || lower.contains(lowered.as_str())))
        {
            let possessive = word.ends_with("'s") || word.ends_with("’s");
            if possessive {
                Piece::Slot(Slot::NamePossessive)
            } else if PLACE_BEFORE.contains(&previous_word.as_str()) {
                Piece::Slot(Slot::Place)
            } else {
                Piece::Slot(Slot::Name)
            }
        } else {
            let id = interner.word(&lowered, stemma_align::is_stop_word(&lowered));
            interner.pieces[id as usize]
        };
        // A run of capitalised words or of number words is one fact.
        let merge = match (previous, piece) {
            (Some(Piece::Slot(a)), Piece::Slot(b)) => {
                a == b
                    || (a == Slot::Name && b == Slot::NamePossessive)
                    || (a == Slot::Place && b == Slot::Name)
            }
            _ => false,
        };
        if merge {
            if let (Some(last), Piece::Slot(Slot::NamePossessive)) = (ids.last_mut(), piece) {
                *last = interner.id(piece);
            }
        } else {
            ids.push(interner.id(piece));
        }
        previous = Some(match (merge, previous) {
            (true, Some(Piece::Slot(Slot::Place))) => Piece::Slot(Slot::Place),
            _ => piece,
        });
        match *punct {
            Some(',') => {
                ids.push(interner.id(Piece::Comma));
                previous = Some(Piece::Comma);
            }
            Some(c @ (';' | ':')) if i + 1 < words.len() => {
                let p = if c == ';' { ";" } else { ":" };
                ids.push(interner.id(Piece::Stop(p)));
                previous = Some(Piece::Stop(p));
            }
            _ => {}
        }
        previous_word = lowered;
    }
    ids
}

impl Piece {
    /// The text of a word or stop word ("" for a comma or a slot).
    pub fn text(self) -> &'static str {
        match self {
            Piece::Word(w) | Piece::Stop(w) => w,
            Piece::Comma | Piece::Slot(_) => "",
        }
    }
}

/// Sentences of a text of prose, as the analysis segments them (one-line headlines and bylines
/// left out).
pub fn sentences_of(text: &str) -> Vec<String> {
    let text = stemma_align::unwrap_wire_copy(text).unwrap_or_else(|| text.to_string());
    let segmentation = stemma_align::segment(&text);
    segmentation
        .sentences
        .iter()
        .filter(|s| s.kind == stemma_align::SentenceKind::Prose)
        .map(|s| {
            text[s.span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn read(path: &Path) -> Result<String, LoadError> {
    if !path.exists() {
        return Err(LoadError::Missing {
            path: path.to_path_buf(),
        });
    }
    std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The sentences of MRPC (`shared/benchmarks/mrpc/msr_paraphrase_{train,test}.txt`), both sides of
/// every pair.
///
/// # Errors
/// When a file is missing or unreadable.
pub fn mrpc_sentences(shared: &Path) -> Result<Vec<String>, LoadError> {
    let folder = shared.join("benchmarks").join("mrpc");
    let mut out = Vec::new();
    for name in ["msr_paraphrase_train.txt", "msr_paraphrase_test.txt"] {
        let text = read(&folder.join(name))?;
        // Tab-separated without quoting (the README warns: quotes are part of the sentences).
        for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
            let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            if let [_, _, _, a, b] = fields.as_slice() {
                out.push((*a).to_string());
                out.push((*b).to_string());
            }
        }
    }
    Ok(out)
}

/// The METER showbiz texts (`shared/benchmarks/meter-showbiz`, wire copy and newspaper stories),
/// each with its story (`date/catchline`), sorted by path. Read only at run time: METER's terms
/// forbid copying it into the repository.
///
/// # Errors
/// When the folder is missing or a file unreadable.
pub fn meter_texts(shared: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let root = shared.join("benchmarks").join("meter-showbiz");
    let mut out = Vec::new();
    for part in ["PA", "newspapers"] {
        let folder = root.join(part).join("rawtexts").join("showbiz");
        if !folder.is_dir() {
            return Err(LoadError::Missing { path: folder });
        }
        let mut files = Vec::new();
        collect_txt(&folder, &mut files)?;
        files.sort();
        for file in files {
            let Ok(relative) = file.strip_prefix(&folder) else {
                continue;
            };
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // date/catchline/file.txt; the readme files of the folders are no stories.
            if let [date, catchline, _] = parts.as_slice() {
                out.push((format!("{date}/{catchline}"), read(&file)?));
            }
        }
    }
    Ok(out)
}

fn collect_txt(folder: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let failed = |source| LoadError::Read {
        path: folder.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(folder).map_err(failed)? {
        let path = entry.map_err(failed)?.path();
        if path.is_dir() {
            collect_txt(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

/// Invented news sentences (written for these tests, from no corpus), enough for a small chain.
#[cfg(test)]
pub(crate) const SAMPLE: &[&str] = &[
    "The company said in a statement on Tuesday that it would cut 1,200 jobs by the end of the year.",
    "Shares of Norvale Industries fell 4 percent in early trading in London after the announcement.",
    "Police said in a statement that three people had been taken to hospital with minor injuries.",
    "According to figures released by the ministry, unemployment rose to 7.2 percent in March.",
    "The minister told reporters in Karsby that the government would not change its plans.",
    "Officials said the decision was expected to be announced later this week.",
    "The company said it would continue to work with regulators to resolve the issue.",
    "A spokesman for the council said the road would remain closed until Friday.",
    "The report, which was published on Monday, found that prices had risen sharply over the past year.",
    "Analysts said the results were better than expected, but warned that the outlook remained uncertain.",
    "The government said in a statement that it had no plans to raise taxes this year.",
    "He said the company had been in talks with several potential buyers since January.",
    "The mayor of Dunmore said the city would spend $4.5 million on new flood defences.",
    "Police said they were still looking for witnesses to the accident on the main road.",
    "The union said its members would walk out on Thursday if no agreement was reached.",
    "According to the statement, the two companies expect the deal to close by the end of the year.",
    "The hospital said in a statement that the patient was in a stable condition.",
    "Officials said it was too early to say what had caused the fire at the warehouse.",
    "The bank said it expected profits to fall in the second half of the year.",
    "She told reporters that she had not decided whether to stand again at the next election.",
    "The court heard that the two men had been friends for more than 20 years.",
    "A spokeswoman for the airline said flights would resume on Wednesday morning.",
    "The figures, released by the statistics office on Friday, showed exports fell for a third month.",
    "The council said it would review the plans after receiving more than 300 complaints.",
    "Investors said they were worried that the company would not be able to repay its debts.",
    "The police said in a statement on Sunday that a man had been arrested in connection with the attack.",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> NewsModel {
        NewsModel::from_sentences(SAMPLE.iter().copied())
    }

    #[test]
    fn names_numbers_and_days_become_slots() {
        let m = model();
        assert_eq!(m.sentence_count(), SAMPLE.len());
        let has = |p: Piece| m.pieces.contains(&p);
        assert!(has(Piece::Slot(Slot::Number)));
        assert!(has(Piece::Slot(Slot::Day)));
        assert!(has(Piece::Slot(Slot::Place)));
        assert!(has(Piece::Slot(Slot::Name)));
        assert!(has(Piece::Word("statement")));
        assert!(has(Piece::Stop("the")));
        // No capitalised word, digit or quote character is left as a word.
        for p in &m.pieces {
            if let Piece::Word(w) = p {
                assert!(
                    !is_capitalised(w) && !w.chars().any(|c| c.is_ascii_digit()),
                    "{w}"
                );
                assert!(!w.contains(['"', ',', '.']), "{w}");
            }
        }
    }

    #[test]
    fn sentences_are_deterministic_and_of_bounded_length() {
        let m = model();
        let draw = |seed| {
            let mut rng = Rng::new(seed, &[]);
            (0..50).map(|_| m.sentence(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
        for s in draw(5) {
            assert!((1..=LENGTH.1).contains(&s.len()), "{s:?}");
            assert!(
                !matches!(s.last(), Some(Piece::Comma | Piece::Stop(_))),
                "{s:?}"
            );
        }
    }

    #[test]
    fn missing_shared_folder_is_named() {
        let missing = Path::new("/nonexistent/shared-folder");
        let err = NewsModel::load(missing).expect_err("no such folder");
        let message = err.to_string();
        assert!(message.contains("/nonexistent/shared-folder"), "{message}");
        assert!(message.contains("not found"), "{message}");
    }

    #[test]
    #[ignore = "needs ../shared/benchmarks (MRPC and METER showbiz) beside the repository"]
    fn model_of_shared_news_is_large() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        let m = NewsModel::load(&shared).expect("../shared is readable");
        assert!(m.sentence_count() > 10_000, "{}", m.sentence_count());
        assert!(m.token_count() > 200_000, "{}", m.token_count());
    }
}
