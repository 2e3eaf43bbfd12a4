//! Synthetic news text: an event's fact sheet, sentences made of Zipfian words around its names,
//! numbers and quotes, and whole reports.
//!
//! A sentence is a list of tokens that remember what they are: a content word (which a rewrite may
//! swap), a stop word, a fixed fact (a name, a place, a number: kept by every rewrite), a quote (kept
//! verbatim) or punctuation. Every sentence also carries the *units* it renders: the number of the
//! sentence of the story it was first written as. A copy keeps a sentence's unit, a split gives both
//! halves the unit, a merge both units; new sentences get new units. Two articles share derived text
//! exactly when they share a narrative unit, which is how the truth's related pairs are computed.
//! Quote sentences get units too, but not narrative ones: quotes are what independent reports share.

use std::rc::Rc;

use stemma_graph::{MONTHS, WEEKDAYS, weekday_of};

pub use stemma_graph::civil_from_days;

use crate::natural::{NewsModel, Piece, Slot};
use crate::rng::Rng;
use crate::words::{
    FIRST_NAMES, LAST_NAMES, Lexicon, ORG_KINDS, PLACE_HEADS, PLACE_TAILS, REGION_KINDS, ROLES,
    SAID,
};

/// Text that is either static (vocabulary) or shared (facts, generated words).
#[derive(Debug, Clone)]
pub enum Text {
    /// A word of the built-in tables.
    Static(&'static str),
    /// A generated string, shared between the articles of a story.
    Shared(Rc<str>),
}

impl Text {
    /// Static text stays static, owned text becomes shared.
    pub fn from_cow(text: std::borrow::Cow<'static, str>) -> Text {
        match text {
            std::borrow::Cow::Borrowed(s) => Text::Static(s),
            std::borrow::Cow::Owned(s) => Text::Shared(Rc::from(s)),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

/// What a token is, which decides what rewrites may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A content word: rewrites may swap it for a synonym.
    Word,
    /// A stop word (or a short function phrase).
    Stop,
    /// A name, place, organisation, number or date: kept as it is.
    Fixed,
    /// A quote with its quotation marks and inner punctuation: kept verbatim.
    Quote,
    /// A comma.
    Comma,
}

/// One token.
#[derive(Debug, Clone)]
pub struct Tok {
    /// What it is.
    pub kind: Kind,
    /// Its text.
    pub text: Text,
}

impl Tok {
    /// A content word.
    pub fn word(s: &'static str) -> Tok {
        Tok {
            kind: Kind::Word,
            text: Text::Static(s),
        }
    }

    /// A stop word.
    pub fn stop(s: &'static str) -> Tok {
        Tok {
            kind: Kind::Stop,
            text: Text::Static(s),
        }
    }

    /// A fixed fact.
    pub fn fixed(s: &Rc<str>) -> Tok {
        Tok {
            kind: Kind::Fixed,
            text: Text::Shared(Rc::clone(s)),
        }
    }

    /// A comma.
    pub fn comma() -> Tok {
        Tok {
            kind: Kind::Comma,
            text: Text::Static(","),
        }
    }

    /// Tokens of a static phrase: stop words as [`Kind::Stop`], commas, the rest as [`Kind::Word`].
    pub fn phrase(phrase: &'static str) -> Vec<Tok> {
        let mut out = Vec::new();
        for piece in phrase.split(' ') {
            let (word, comma) = match piece.strip_suffix(',') {
                Some(w) => (w, true),
                None => (piece, false),
            };
            let lower = word.to_ascii_lowercase();
            let stop = stemma_align::is_stop_word(&lower);
            // Keep the static text; capitalisation is decided when rendering.
            let text = Text::Static(word);
            out.push(Tok {
                kind: if stop { Kind::Stop } else { Kind::Word },
                text,
            });
            if comma {
                out.push(Tok::comma());
            }
        }
        out
    }
}

/// One sentence of an article.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Its tokens.
    pub toks: Vec<Tok>,
    /// Its final punctuation ("" when the last token, a quote, ends it).
    pub end: &'static str,
    /// The units of the story it renders.
    pub units: Vec<u32>,
    /// For a quote sentence (a quote and its attribution, nothing of the telling), which quote of
    /// the story it gives.
    pub quote: Option<usize>,
    /// Whether a padding phrase was put in front of it.
    pub padded: bool,
    /// Whether it starts a paragraph.
    pub para: bool,
}

impl Sentence {
    /// Renders the sentence: tokens joined by spaces (none before punctuation), the first letter
    /// capitalised, the final punctuation added.
    pub fn render(&self, out: &mut String) {
        let mut first = true;
        for tok in &self.toks {
            let text = tok.text.as_str();
            if !(first || tok.kind == Kind::Comma || text.starts_with([':', ';', ','])) {
                out.push(' ');
            }
            if first && matches!(tok.kind, Kind::Word | Kind::Stop) {
                let mut chars = text.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(text);
            }
            first = false;
        }
        out.push_str(self.end);
    }
}

/// A person of the story.
#[derive(Debug, Clone)]
pub struct Person {
    /// "Mara Okonkwo".
    pub full: Rc<str>,
    /// "Okonkwo".
    pub last: Rc<str>,
    /// "the mayor of Karsby".
    pub role: Rc<str>,
}

/// A quote of the story, as its speaker said it.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The words, capitalised, without final punctuation.
    pub words: Rc<str>,
    /// Who said it (index into the people).
    pub speaker: usize,
}

/// What every report of the event knows: its people, places, numbers, quotes and topic words.
#[derive(Debug, Clone)]
pub struct Facts {
    /// People, the first being the main one.
    pub people: Vec<Person>,
    /// Places, the first being where it happened.
    pub places: Vec<Rc<str>>,
    /// The region.
    pub region: Rc<str>,
    /// Organisations.
    pub orgs: Vec<Rc<str>>,
    /// Numbers ("4,200", "2.4 million", "35 percent").
    pub numbers: Vec<Rc<str>>,
    /// The weekday of the event ("Tuesday").
    pub day: Rc<str>,
    /// Month and day for datelines ("March 3").
    pub date: Rc<str>,
    /// Quotes.
    pub quotes: Vec<Quote>,
    /// Topic words with cumulative weights (the story's vocabulary).
    topic: Vec<&'static str>,
    topic_cumulative: Vec<u64>,
}

/// A fictional place name.
pub fn place_name(rng: &mut Rng) -> String {
    let head = rng.pick(PLACE_HEADS).copied().unwrap_or("Kar");
    let tail = rng.pick(PLACE_TAILS).copied().unwrap_or("sby");
    format!("{head}{tail}")
}

/// A number as news writes it.
fn number(rng: &mut Rng) -> String {
    match rng.below(9) {
        0 | 1 => rng.range(2, 60).to_string(),
        2 => {
            let n = rng.range(1, 99) * 100 + rng.range(0, 9) * 10 * usize::from(rng.chance(0.3));
            let thousands = n / 1000;
            if thousands > 0 {
                format!("{thousands},{:03}", n % 1000)
            } else {
                n.to_string()
            }
        }
        3 => format!("{}.{} million", rng.range(1, 40), rng.range(1, 9)),
        4 => format!("{} percent", rng.range(2, 95)),
        5 => format!("${}.{} million", rng.range(1, 900), rng.range(1, 9)),
        6 => rng.range(1950, 2024).to_string(),
        7 => format!("{} billion", rng.range(1, 30)),
        _ => format!("{},{:03}", rng.range(1, 90), rng.range(0, 999)),
    }
}

/// The weekday and "Month D" of a day counted from 1970-01-01.
pub fn day_names(days: i64) -> (&'static str, String) {
    let (_, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS[weekday_of(days)];
    (weekday, format!("{} {day}", MONTHS[(month - 1) as usize]))
}

impl Facts {
    /// The fact sheet of an event happening on `day` (days since 1970-01-01), drawn from `rng`.
    #[cfg(test)]
    pub fn draw(lex: &'static Lexicon, rng: &mut Rng, day: i64) -> Facts {
        Facts::draw_with(lex, None, rng, day)
    }

    /// [`Facts::draw`], the quotes written by `model` when there is one (the natural generator).
    pub fn draw_with(
        lex: &'static Lexicon,
        model: Option<&NewsModel>,
        rng: &mut Rng,
        day: i64,
    ) -> Facts {
        let places: Vec<Rc<str>> = (0..rng.range(2, 4))
            .map(|_| Rc::from(place_name(rng)))
            .collect();
        let region_kind = rng.pick(REGION_KINDS).copied().unwrap_or("Province");
        let region: Rc<str> = Rc::from(format!("{} {region_kind}", place_name(rng)));
        let orgs: Vec<Rc<str>> = (0..rng.range(1, 3))
            .map(|_| {
                let kind = rng.pick(ORG_KINDS).copied().unwrap_or("Group");
                let base = if rng.chance(0.5) {
                    places
                        .get(rng.below(places.len()))
                        .map_or_else(|| place_name(rng), |p| p.to_string())
                } else {
                    place_name(rng)
                };
                Rc::from(format!("{base} {kind}"))
            })
            .collect();
        let people: Vec<Person> = (0..rng.range(3, 5))
            .map(|_| {
                let first = rng.pick(FIRST_NAMES).copied().unwrap_or("Mara");
                let last = rng.pick(LAST_NAMES).copied().unwrap_or("Okonkwo");
                let role = rng.pick(ROLES).copied().unwrap_or("a resident of {place}");
                let place = places.get(rng.below(places.len())).map_or("", |p| &**p);
                let org = orgs.get(rng.below(orgs.len())).map_or("", |o| &**o);
                let role = role
                    .replace("{place}", place)
                    .replace("{org}", org)
                    .replace("{region}", &region);
                Person {
                    full: Rc::from(format!("{first} {last}")),
                    last: Rc::from(last),
                    role: Rc::from(role),
                }
            })
            .collect();
        let numbers: Vec<Rc<str>> = (0..rng.range(4, 8))
            .map(|_| Rc::from(number(rng)))
            .collect();
        let (weekday, date) = day_names(day);

        // Topic words: middling-frequency words, weighted by rank within the topic (1/r).
        let size = rng.range(25, 40);
        let mut topic: Vec<&'static str> = Vec::with_capacity(size);
        while topic.len() < size {
            let w = lex.middling_word(rng);
            // The sampler hands out the same &'static str for a word: comparing addresses is enough.
            if !topic.iter().any(|t| std::ptr::eq(t.as_ptr(), w.as_ptr())) {
                topic.push(w);
            }
        }
        let mut total = 0u64;
        let topic_cumulative = (0..topic.len())
            .map(|r| {
                total += 10_000 / (r as u64 + 5);
                total
            })
            .collect();

        let mut facts = Facts {
            people,
            places,
            region,
            orgs,
            numbers,
            day: Rc::from(weekday),
            date: Rc::from(date),
            quotes: Vec::new(),
            topic,
            topic_cumulative,
        };
        let quotes = rng.range(3, 5);
        let mut drawn = Vec::with_capacity(quotes);
        for q in 0..quotes {
            let speaker = if q == 0 {
                0
            } else {
                rng.below(facts.people.len())
            };
            let words = match model {
                None => facts.speech(lex, rng),
                Some(model) => {
                    let mut writer = Writer::with_model(lex, &facts, Some(model));
                    let sentence = Sentence {
                        toks: writer.model_tokens(model, rng),
                        end: "",
                        units: Vec::new(),
                        quote: None,
                        padded: false,
                        para: false,
                    };
                    let mut text = String::new();
                    sentence.render(&mut text);
                    text
                }
            };
            drawn.push(Quote {
                words: Rc::from(words),
                speaker,
            });
        }
        facts.quotes = drawn;
        facts
    }

    /// A topic word.
    pub fn topic_word(&self, rng: &mut Rng) -> &'static str {
        let total = self.topic_cumulative.last().copied().unwrap_or(0);
        let r = ((u128::from(rng.next_u64()) * u128::from(total)) >> 64) as u64;
        let i = self.topic_cumulative.partition_point(|&c| c <= r);
        self.topic
            .get(i)
            .or(self.topic.last())
            .copied()
            .unwrap_or("event")
    }

    /// A content word: a topic word with probability `topical`, else one drawn from English.
    pub fn content_word(&self, lex: &Lexicon, rng: &mut Rng, topical: f64) -> &'static str {
        if rng.chance(topical) {
            self.topic_word(rng)
        } else {
            lex.content_word(rng)
        }
    }

    /// The words of a quote: spoken, first person, 8 to 22 words, capitalised, no final punctuation.
    fn speech(&self, lex: &Lexicon, rng: &mut Rng) -> String {
        const OPENERS: &[&str] = &[
            "We", "I", "This", "There", "It", "Our", "Nobody", "Everyone", "People", "What",
        ];
        let target = rng.range(8, 22);
        let mut out = String::from(rng.pick(OPENERS).copied().unwrap_or("We"));
        let mut previous_stop = true;
        let mut last = "";
        for i in 1..target {
            if i == target / 2 && target > 14 && rng.chance(0.4) {
                out.push(',');
            }
            let stop = if previous_stop {
                rng.chance(0.3)
            } else {
                rng.chance(0.6)
            };
            let mut word = if stop {
                lex.speech_stop_word(rng)
            } else {
                self.content_word(lex, rng, 0.3)
            };
            if word == last {
                word = lex.speech_stop_word(rng);
            }
            if i + 1 == target && stop {
                word = self.content_word(lex, rng, 0.3);
            }
            out.push(' ');
            out.push_str(if word == "i" { "I" } else { word });
            previous_stop = stop;
            last = word;
        }
        out
    }
}

/// Unit numbers of one story, and whether each is narrative.
#[derive(Debug, Default)]
pub struct Units {
    narrative: Vec<bool>,
}

impl Units {
    /// A new unit.
    pub fn next(&mut self, narrative: bool) -> u32 {
        self.narrative.push(narrative);
        (self.narrative.len() - 1) as u32
    }

    /// Whether a unit is narrative (text of the telling, not a quote).
    pub fn is_narrative(&self, unit: u32) -> bool {
        self.narrative.get(unit as usize).copied().unwrap_or(false)
    }
}

/// Writes sentences about one event for one article: knows the facts and who was named already.
pub struct Writer<'a> {
    /// The vocabulary.
    pub lex: &'static Lexicon,
    /// The event.
    pub facts: &'a Facts,
    /// People already named in this article (later mentions use the surname).
    mentioned: Vec<bool>,
    /// The language model of the natural generator (`None`: the easy generator's Zipfian words).
    model: Option<&'a NewsModel>,
}

/// Conjunctions that join the two clauses of a sentence after a comma.
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "while", "which", "as", "after", "although", "so",
];

/// Prepositions that open a sentence before a place or a day.
const OPENING_PREPOSITIONS: &[&str] = &["in", "on", "at", "after", "during", "by"];

impl<'a> Writer<'a> {
    /// A writer for a new article.
    #[cfg(test)]
    pub fn new(lex: &'static Lexicon, facts: &'a Facts) -> Writer<'a> {
        Writer::with_model(lex, facts, None)
    }

    /// A writer whose sentences come from `model` when there is one.
    pub fn with_model(
        lex: &'static Lexicon,
        facts: &'a Facts,
        model: Option<&'a NewsModel>,
    ) -> Writer<'a> {
        Writer {
            lex,
            facts,
            mentioned: vec![false; facts.people.len()],
            model,
        }
    }

    /// A fact of the story for a slot of a model sentence.
    fn fill(&mut self, slot: Slot, rng: &mut Rng) -> Tok {
        let f = self.facts;
        let name = |w: &mut Self, rng: &mut Rng| {
            if rng.chance(0.75) {
                let p = rng.below(f.people.len());
                w.name(p)
            } else {
                Tok::fixed(&f.orgs[rng.below(f.orgs.len())])
            }
        };
        match slot {
            Slot::Name => name(self, rng),
            Slot::NamePossessive => {
                let base = name(self, rng);
                Tok {
                    kind: Kind::Fixed,
                    text: Text::Shared(Rc::from(format!("{}'s", base.text.as_str()))),
                }
            }
            Slot::Place => {
                if rng.chance(0.15) {
                    Tok::fixed(&f.region)
                } else {
                    Tok::fixed(&f.places[rng.below(f.places.len())])
                }
            }
            Slot::Number => Tok::fixed(&f.numbers[rng.below(f.numbers.len())]),
            Slot::Day => Tok::fixed(if rng.chance(0.6) { &f.day } else { &f.date }),
        }
    }

    /// The tokens of a new sentence of `model`, its slots filled with the story's facts.
    pub fn model_tokens(&mut self, model: &NewsModel, rng: &mut Rng) -> Vec<Tok> {
        model
            .sentence(rng)
            .into_iter()
            .map(|piece| match piece {
                Piece::Word(w) => Tok::word(w),
                Piece::Stop(w) => Tok::stop(w),
                Piece::Comma => Tok::comma(),
                Piece::Slot(slot) => self.fill(slot, rng),
            })
            .collect()
    }

    /// A clause for a rewrite to add (the natural generator only; `None` for the easy one): five
    /// to nine tokens of a model sentence, from its start, ending on no function word.
    pub fn clause(&mut self, rng: &mut Rng) -> Option<Vec<Tok>> {
        let model = self.model?;
        let mut toks = self.model_tokens(model, rng);
        toks.truncate(rng.range(5, 9));
        while toks
            .last()
            .is_some_and(|t| matches!(t.kind, Kind::Stop | Kind::Comma))
        {
            toks.pop();
        }
        (toks.len() >= 3).then_some(toks)
    }

    /// A person's name: full at the first mention in the article, the surname after.
    fn name(&mut self, person: usize) -> Tok {
        let p = &self.facts.people[person];
        if self.mentioned[person] {
            Tok::fixed(&p.last)
        } else {
            self.mentioned[person] = true;
            Tok::fixed(&p.full)
        }
    }

    /// A fact token for the middle of a sentence: a person, place, organisation or number (a
    /// number comes with the word it counts).
    fn entity(&mut self, rng: &mut Rng, out: &mut Vec<Tok>) {
        let f = self.facts;
        match rng.weighted(&[40, 25, 15, 20]) {
            0 => {
                let p = rng.below(f.people.len());
                out.push(self.name(p));
            }
            1 => {
                let place = if rng.chance(0.15) {
                    &f.region
                } else {
                    &f.places[rng.below(f.places.len())]
                };
                out.push(Tok::fixed(place));
            }
            2 => out.push(Tok::fixed(&f.orgs[rng.below(f.orgs.len())])),
            _ => {
                out.push(Tok::fixed(&f.numbers[rng.below(f.numbers.len())]));
                out.push(Tok::word(f.content_word(self.lex, rng, 0.5)));
            }
        }
    }

    /// A sentence of narrative: 12 to 30 words, stop words and Zipfian content words (a quarter of
    /// them topic words) with names, places and numbers, sometimes two clauses joined by a comma,
    /// sometimes attributed ("…, Okonkwo said.").
    pub fn narrative(&mut self, rng: &mut Rng, units: &mut Units) -> Sentence {
        if let Some(model) = self.model {
            return Sentence {
                toks: self.model_tokens(model, rng),
                end: ".",
                units: vec![units.next(true)],
                quote: None,
                padded: false,
                para: false,
            };
        }
        let target = (rng.range(10, 26) + rng.range(10, 26)) / 2;
        let toks = self.narrative_tokens(rng, target);
        Sentence {
            toks,
            end: ".",
            units: vec![units.next(true)],
            quote: None,
            padded: false,
            para: false,
        }
    }

    /// The lead sentence: where and when it happened, with the main number.
    pub fn lead(&mut self, rng: &mut Rng, units: &mut Units) -> Sentence {
        if self.model.is_some() {
            let mut s = self.narrative(rng, units);
            s.para = true;
            return s;
        }
        let f = self.facts;
        let mut toks = Vec::new();
        toks.push(Tok::stop("the"));
        toks.push(Tok::word(f.topic_word(rng)));
        toks.push(Tok::word(f.content_word(self.lex, rng, 0.5)));
        toks.push(Tok::stop(if rng.chance(0.5) { "in" } else { "near" }));
        toks.push(Tok::fixed(&f.places[0]));
        toks.push(Tok::stop("on"));
        toks.push(Tok::fixed(&f.day));
        let target = rng.range(8, 16);
        toks.extend(self.narrative_tokens(rng, target));
        toks.push(Tok::comma());
        toks.push(Tok::fixed(&f.numbers[0]));
        toks.push(Tok::word(f.topic_word(rng)));
        toks.push(Tok::word(SAID[0]));
        Sentence {
            toks,
            end: ".",
            units: vec![units.next(true)],
            quote: None,
            padded: false,
            para: true,
        }
    }

    /// The tokens of a narrative sentence of about `target` words.
    pub fn narrative_tokens(&mut self, rng: &mut Rng, target: usize) -> Vec<Tok> {
        let lex = self.lex;
        let f = self.facts;
        let mut toks: Vec<Tok> = Vec::with_capacity(target + 12);
        let mut previous_stop = true;
        match rng.below(100) {
            0..=31 => toks.push(Tok::stop("the")),
            32..=41 => {
                self.entity(rng, &mut toks);
                previous_stop = false;
            }
            42..=51 => {
                toks.push(Tok::stop(
                    rng.pick(OPENING_PREPOSITIONS).copied().unwrap_or("in"),
                ));
                if rng.chance(0.5) {
                    toks.push(Tok::fixed(&f.places[rng.below(f.places.len())]));
                } else {
                    toks.push(Tok::stop("the"));
                    toks.push(Tok::word(f.topic_word(rng)));
                }
                toks.push(Tok::comma());
            }
            52..=55 => {
                toks.push(Tok::word("according"));
                toks.push(Tok::stop("to"));
                if rng.chance(0.5) {
                    toks.push(Tok::fixed(&f.orgs[rng.below(f.orgs.len())]));
                } else {
                    let p = rng.below(f.people.len());
                    toks.push(self.name(p));
                }
                toks.push(Tok::comma());
            }
            _ => {}
        }
        let entities = rng.weighted(&[25, 45, 25, 5]);
        let mut entity_at: [usize; 3] = [usize::MAX; 3];
        for slot in entity_at.iter_mut().take(entities) {
            *slot = rng.range(1, target.saturating_sub(2).max(1));
        }
        let comma_at =
            (target >= 16 && rng.chance(0.45)).then(|| rng.range(target * 2 / 5, target * 3 / 5));
        let mut words = toks.iter().filter(|t| t.kind != Kind::Comma).count();
        let mut last: &str = "";
        while words < target {
            if comma_at == Some(words) && toks.last().is_some_and(|t| t.kind != Kind::Comma) {
                toks.push(Tok::comma());
                let conj = rng.pick(CONJUNCTIONS).copied().unwrap_or("and");
                toks.push(if stemma_align::is_stop_word(conj) {
                    Tok::stop(conj)
                } else {
                    Tok::word(conj)
                });
                previous_stop = true;
                words += 1;
                continue;
            }
            if let Some(slot) = entity_at.iter_mut().find(|s| **s == words) {
                *slot = usize::MAX;
                self.entity(rng, &mut toks);
                previous_stop = false;
                words += 1;
                continue;
            }
            let stop = if previous_stop {
                rng.chance(0.22)
            } else {
                rng.chance(0.58)
            };
            if stop {
                let mut w = lex.stop_word(rng);
                if w == last {
                    w = lex.stop_word(rng);
                }
                toks.push(Tok::stop(w));
                last = w;
            } else {
                let mut w = f.content_word(lex, rng, 0.2);
                if w == last {
                    w = lex.content_word(rng);
                }
                toks.push(Tok::word(w));
                last = w;
            }
            previous_stop = stop;
            words += 1;
        }
        // End on a content word or a fact, as sentences do.
        while toks
            .last()
            .is_some_and(|t| matches!(t.kind, Kind::Stop | Kind::Comma))
        {
            toks.pop();
        }
        toks.push(Tok::word(f.content_word(lex, rng, 0.25)));
        if rng.chance(0.14) {
            toks.push(Tok::comma());
            let p = rng.below(f.people.len());
            toks.push(self.name(p));
            toks.push(Tok::word("said"));
        }
        toks
    }

    /// A quote sentence for quote `q`, in one of the usual forms (`"…," said Mara Okonkwo, the
    /// mayor of Karsby.`, `"…," Okonkwo told reporters.`, `Okonkwo said: "…."`).
    pub fn quote_sentence(&mut self, rng: &mut Rng, q: usize, units: &mut Units) -> Sentence {
        let quote = &self.facts.quotes[q];
        let first = !self.mentioned[quote.speaker];
        let name = self.name(quote.speaker);
        let role = Rc::clone(&self.facts.people[quote.speaker].role);
        let said = rng.pick(SAID).copied().unwrap_or("said");
        let with_comma = || Tok {
            kind: Kind::Quote,
            text: Text::Shared(Rc::from(format!("\"{},\"", quote.words))),
        };
        let mut end = ".";
        let toks = match rng.below(4) {
            0 if first => vec![
                with_comma(),
                Tok::word("said"),
                name,
                Tok::comma(),
                Tok::fixed(&role),
            ],
            0 | 1 => vec![with_comma(), Tok::word("said"), name],
            2 => {
                let mut t = vec![with_comma(), name];
                t.extend(Tok::phrase(said));
                t
            }
            _ => {
                end = "";
                vec![
                    name,
                    Tok::word("said"),
                    Tok {
                        kind: Kind::Quote,
                        text: Text::Shared(Rc::from(format!(": \"{}.\"", quote.words))),
                    },
                ]
            }
        };
        Sentence {
            toks,
            end,
            units: vec![units.next(false)],
            quote: Some(q),
            padded: false,
            para: false,
        }
    }

    /// A headline: a fact and six to ten words, mostly content words, no final punctuation.
    pub fn headline(&mut self, rng: &mut Rng) -> String {
        if let Some(model) = self.model {
            // The start of a model sentence, six to ten words, as headlines are cut.
            let mut toks = self.model_tokens(model, rng);
            toks.retain(|t| t.kind != Kind::Comma);
            toks.truncate(rng.range(6, 10));
            while toks.len() > 3 && toks.last().is_some_and(|t| t.kind == Kind::Stop) {
                toks.pop();
            }
            let sentence = Sentence {
                toks,
                end: "",
                units: Vec::new(),
                quote: None,
                padded: false,
                para: false,
            };
            let mut text = String::new();
            sentence.render(&mut text);
            return text;
        }
        let f = self.facts;
        let mut words: Vec<String> = Vec::new();
        if rng.chance(0.6) {
            words.push(f.places[0].to_string());
        } else if rng.chance(0.5) {
            words.push(f.people[0].last.to_string());
        }
        let n = rng.range(6, 10);
        while words.len() < n {
            let w = if rng.chance(0.2) {
                self.lex.stop_word(rng)
            } else {
                f.content_word(self.lex, rng, 0.45)
            };
            if words.is_empty() {
                let mut c = w.chars();
                let cap: String = c
                    .next()
                    .map(|c| c.to_ascii_uppercase())
                    .into_iter()
                    .chain(c)
                    .collect();
                words.push(cap);
            } else {
                words.push(w.to_string());
            }
        }
        if rng.chance(0.3) {
            let at = rng.range(1, words.len());
            words.insert(at, f.numbers[0].to_string());
        }
        words.join(" ")
    }

    /// A whole report of `n` sentences: the given lead (or a new one), narrative, and a quote
    /// sentence for each of `quotes`, spread after the second sentence, grouped into paragraphs of
    /// one to three sentences.
    pub fn report(
        &mut self,
        rng: &mut Rng,
        units: &mut Units,
        n: usize,
        lead: Option<Sentence>,
        quotes: &[usize],
    ) -> Vec<Sentence> {
        let mut out = Vec::with_capacity(n);
        out.push(match lead {
            Some(l) => l,
            None => self.lead(rng, units),
        });
        // Quote positions: distinct, in 2..n, in the order given.
        let mut slots: Vec<usize> = Vec::new();
        while slots.len() < quotes.len().min(n.saturating_sub(2)) {
            let s = rng.range(2, n - 1);
            if !slots.contains(&s) {
                slots.push(s);
            }
        }
        slots.sort_unstable();
        let mut next_quote = 0;
        for i in 1..n {
            if next_quote < slots.len() && slots[next_quote] == i {
                out.push(self.quote_sentence(rng, quotes[next_quote], units));
                next_quote += 1;
            } else {
                out.push(self.narrative(rng, units));
            }
        }
        paragraphs(rng, &mut out);
        out
    }
}

/// Groups sentences into paragraphs of one to three sentences (a quote often opens one).
pub fn paragraphs(rng: &mut Rng, sentences: &mut [Sentence]) {
    let mut left = 0usize;
    for (i, s) in sentences.iter_mut().enumerate() {
        if i == 0 || left == 0 || (s.quote.is_some() && rng.chance(0.4)) {
            s.para = true;
            left = [1, 2, 2, 3, 3, 2][rng.below(6)];
        } else {
            s.para = false;
        }
        left = left.saturating_sub(1);
    }
}

/// Renders a body: paragraphs separated by blank lines, sentences by spaces, the dateline in front
/// of the first sentence.
pub fn render_body(dateline: Option<&str>, sentences: &[Sentence], out: &mut String) {
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            out.push_str(if s.para { "\n\n" } else { " " });
        }
        if i == 0 {
            if let Some(d) = dateline {
                out.push_str(d);
                out.push(' ');
            }
        }
        s.render(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_150), (2025, 3, 3));
        assert_eq!(day_names(20_150), ("Monday", "March 3".to_string()));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn sentences_render_like_prose() {
        let lex = Lexicon::get();
        let mut rng = Rng::new(5, &[]);
        let facts = Facts::draw(lex, &mut rng, 20_150);
        let mut units = Units::default();
        let mut w = Writer::new(lex, &facts);
        let body = w.report(&mut rng, &mut units, 25, None, &[0, 1, 2]);
        assert_eq!(body.len(), 25);
        assert_eq!(body.iter().filter(|s| s.quote.is_some()).count(), 3);
        let mut lengths = Vec::new();
        for s in &body {
            let mut text = String::new();
            s.render(&mut text);
            let first = text.chars().next().unwrap_or(' ');
            assert!(first.is_uppercase() || first == '"', "{text}");
            assert!(text.ends_with('.') || text.ends_with(".\""), "{text}");
            assert!(!text.contains(" ,") && !text.contains("  "), "{text}");
            if s.quote.is_none() {
                lengths.push(text.split_whitespace().count());
            }
        }
        let mean = lengths.iter().sum::<usize>() as f64 / lengths.len() as f64;
        assert!((15.0..28.0).contains(&mean), "{mean}");
        // Stop words interleaved at a realistic rate (about 35-50% of narrative words).
        let (stop, all) = body
            .iter()
            .filter(|s| s.quote.is_none())
            .fold((0, 0), |(s, a), x| {
                let stops = x.toks.iter().filter(|t| t.kind == Kind::Stop).count();
                let words = x.toks.iter().filter(|t| t.kind != Kind::Comma).count();
                (s + stops, a + words)
            });
        let share = stop as f64 / all as f64;
        assert!((0.3..0.5).contains(&share), "{share}");
    }
}
