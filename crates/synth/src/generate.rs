//! The corpus plan: stories, their families of planted derivations, and the truth.
//!
//! A corpus of N articles is a sequence of *stories* (events). Each story has a fact sheet
//! ([`Facts`]) and one of three shapes:
//!
//! - a **single** report (about 55% of stories): one original article, related to nothing;
//! - a **same-event cluster** (7%): an original and one to three independent reports, written apart
//!   from the same fact sheet (same names, numbers and quotes, no shared telling);
//! - a **derivation family** (38%): an original (withheld from the corpus in 15% of families with
//!   two derivations or more), 1 to 11 derived articles (verbatim copies, syndicated edits, spun
//!   rewrites, partial reuse; about a quarter are second-generation, made from another derived
//!   article), up to three independent reports, and in 20% of cases a copy or syndicated edit of an
//!   independent report.
//!
//! The plan is drawn story by story until exactly N articles are planned (the last story is cut to
//! fit). Each story's text is then generated from its own random stream, so that one story can be
//! generated without the others: the plan (pass 1) is cheap and sequential, the text (pass 2) can
//! be generated in any order, and the iterator yields stories in order.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::natural::NewsModel;
use crate::outlets::{Outlet, OutletKind, Teaser, excerpt, outlets, pick_outlet, title_case};
use crate::rng::{Rng, mix};
use crate::spin::{self, Thesaurus};
use crate::text::{Facts, Sentence, Tok, Units, Writer, civil_from_days, render_body};
use crate::words::Lexicon;
use stemma_eval::{MissingSource, Truth, TruthArticle};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Number of articles written to the corpus (withheld sources are not counted).
    pub docs: usize,
    /// The seed: the same `docs` and `seed` give the same corpus, byte for byte.
    pub seed: u64,
}

/// Which text the generator writes.
#[derive(Debug, Clone, Default)]
pub enum Generator {
    /// Zipfian words drawn independently around the facts, spun with the scorer's own thesaurus:
    /// fast and self-contained, but no phrase recurs by chance between unrelated articles.
    #[default]
    Easy,
    /// Sentences of a Markov model of real news ([`NewsModel`], built at run time from `../shared`),
    /// spun with synonyms the scorer's table does not link, with clauses reordered, dropped and
    /// added: stock phrases recur between unrelated articles as they do in news.
    Natural(Arc<NewsModel>),
}

impl Generator {
    /// `easy` or `natural`.
    pub fn name(&self) -> &'static str {
        match self {
            Generator::Easy => "easy",
            Generator::Natural(_) => "natural",
        }
    }
}

/// Fewest and most body sentences of an article (headline and furniture not counted).
pub const SENTENCES: (usize, usize) = (15, 40);

/// Share of derived and independent articles published without a time, and with a date only.
const UNTIMED: u32 = 10;
const DATE_ONLY: u32 = 5;

/// Names of the random streams.
mod stream {
    pub const PLAN: u64 = 1;
    pub const FACTS: u64 = 2;
    pub const HEAD: u64 = 3;
    pub const STORY: u64 = 4;
    pub const OUTLETS: u64 = 5;
    pub const TIME: u64 = 7;
    pub const PAGE: u64 = 8;
}

/// How an article was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The first report of a story (the wire story of a family).
    Original,
    /// Another report of the same event, written apart.
    Independent,
    /// A verbatim copy, perhaps with another headline and a trimmed tail.
    Copy,
    /// A syndicated edit: a few words changed, sentences dropped or added, a small reorder.
    Syndicated,
    /// A spun rewrite: many words swapped for synonyms, splits, merges, padding, a moved paragraph.
    Spun,
    /// Own reporting that reuses a block of 3 to 8 sentences of the source, lightly edited.
    Partial,
}

impl Op {
    /// The `kind` written to the truth.
    pub fn kind(self) -> &'static str {
        match self {
            Op::Original => "original",
            Op::Independent => "independent",
            Op::Copy => "copy",
            Op::Syndicated => "syndicated",
            Op::Spun => "spun",
            Op::Partial => "partial",
        }
    }
}

/// One planned article of a story.
#[derive(Debug, Clone)]
struct Member {
    op: Op,
    /// The member it is made from.
    parent: Option<usize>,
    /// Not written to the corpus (a withheld source).
    withheld: bool,
}

/// One planned story.
#[derive(Debug, Clone)]
struct StoryPlan {
    /// The story's number.
    index: usize,
    /// The global number of its first written article.
    first_article: usize,
    members: Vec<Member>,
}

fn written(members: &[Member]) -> usize {
    members.iter().filter(|m| !m.withheld).count()
}

/// Plans story `index` with at most `remaining` written articles.
fn plan_story(seed: u64, index: usize, remaining: usize) -> Vec<Member> {
    let mut rng = Rng::new(seed, &[stream::PLAN, index as u64]);
    let root = |withheld| Member {
        op: Op::Original,
        parent: None,
        withheld,
    };
    let r = rng.below(100);
    if remaining <= 1 || r < 55 {
        return vec![root(false)];
    }
    let independent = |parent| Member {
        op: Op::Independent,
        parent,
        withheld: false,
    };
    let mut members = vec![root(false)];
    if r < 62 {
        for _ in 0..rng.range(1, 3) {
            members.push(independent(None));
        }
    } else {
        let derived = 1 + rng.weighted(&[22, 20, 15, 12, 9, 7, 5, 4, 3, 2, 1]);
        members[0].withheld = derived >= 2 && rng.chance(0.15);
        for j in 0..derived {
            let second_generation = j > 0 && !(members[0].withheld && j < 2) && rng.chance(0.28);
            let (parent, op) = if second_generation {
                let parent = rng.range(1, j);
                let op = [Op::Copy, Op::Syndicated, Op::Spun, Op::Partial]
                    [rng.weighted(&[35, 40, 15, 10])];
                (parent, op)
            } else {
                let op = [Op::Copy, Op::Syndicated, Op::Spun, Op::Partial]
                    [rng.weighted(&[18, 32, 30, 20])];
                (0, op)
            };
            members.push(Member {
                op,
                parent: Some(parent),
                withheld: false,
            });
        }
        for _ in 0..rng.weighted(&[50, 30, 14, 6]) {
            members.push(independent(None));
            if rng.chance(0.2) {
                let parent = members.len() - 1;
                for _ in 0..rng.range(1, 2) {
                    let op = if rng.chance(0.5) {
                        Op::Copy
                    } else {
                        Op::Syndicated
                    };
                    members.push(Member {
                        op,
                        parent: Some(parent),
                        withheld: false,
                    });
                }
            }
        }
    }
    // Cut to fit: members come after their parents, so dropping from the end keeps the tree whole.
    loop {
        while written(&members) > remaining {
            members.pop();
        }
        let root_children = members.iter().filter(|m| m.parent == Some(0)).count();
        if members[0].withheld && root_children < 2 {
            members[0].withheld = false;
            continue;
        }
        break;
    }
    members
}

/// Plans the whole corpus: stories until exactly `docs` articles are planned.
fn plan(config: &GenerateConfig) -> Vec<StoryPlan> {
    let mut stories = Vec::new();
    let mut planned = 0;
    while planned < config.docs {
        let index = stories.len();
        let members = plan_story(config.seed, index, config.docs - planned);
        let n = written(&members);
        stories.push(StoryPlan {
            index,
            first_article: planned,
            members,
        });
        planned += n;
    }
    stories
}

/// One article of the corpus, as written to `corpus.jsonl`, with how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedArticle {
    /// Its id (16 hex digits, unique in the corpus).
    pub id: String,
    /// Its headline (also the first line of the text after the header furniture).
    pub title: String,
    /// The outlet.
    pub publisher: String,
    /// Its address (`https://….example/…`).
    pub url: String,
    /// Its publication time, RFC 3339 (`2025-03-03T08:12:00Z`) or a date (`2025-03-03`); `None` for
    /// an undated page.
    pub published: Option<String>,
    /// The page's text: furniture, headline, body, furniture.
    pub text: String,
    /// How it was made ([`Op::kind`]).
    pub kind: &'static str,
    /// Its direct source: an article id or `missing:NAME`.
    pub derived_from: Vec<String>,
    /// Body sentences (between 15 and 40; headline and furniture not counted).
    pub body_sentences: usize,
    /// Words of the text (whitespace-separated, furniture included).
    pub words: usize,
    /// Byte range of the body in `text` (from the dateline to the last paragraph, a "Read more"
    /// line included; the headline and the page furniture are outside).
    pub body: std::ops::Range<usize>,
}

/// A source used by the corpus but not written to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldSource {
    /// Its name (the truth refers to it as `missing:NAME`).
    pub name: String,
    /// When it was published (RFC 3339).
    pub published: String,
}

/// One story: its articles and what the truth says about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedStory {
    /// The story's number.
    pub index: usize,
    /// Its articles, in planned order (sources before what is made from them).
    pub articles: Vec<GeneratedArticle>,
    /// Its withheld source, if any.
    pub withheld: Option<WithheldSource>,
    /// Pairs of its articles that share derived text (smaller id first).
    pub related_pairs: Vec<[String; 2]>,
    /// Pairs of its articles that share none (smaller id first).
    pub independent_pairs: Vec<[String; 2]>,
}

/// A draft article: what the operators work on before it is rendered.
#[derive(Debug, Clone)]
struct Draft {
    title: String,
    dateline: Option<Rc<str>>,
    sentences: Vec<Sentence>,
    outlet: usize,
    /// Minutes since 1970-01-01 (also kept for undated pages, to date their copies).
    minute: i64,
    /// How the page states its time.
    dating: Dating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dating {
    Full,
    DateOnly,
    None,
}

/// The stories of a corpus, generated one after the other.
pub struct Stories {
    config: GenerateConfig,
    lex: &'static Lexicon,
    model: Option<Arc<NewsModel>>,
    outlets: Vec<Outlet>,
    plans: Vec<StoryPlan>,
    next: usize,
    id_key: u64,
    /// Minutes the corpus spans: a week for small corpora, up to a year (about 50 stories a day).
    span: i64,
    /// (start minute, story) of every story, sorted: for "latest news" teasers.
    by_time: Vec<(i64, usize)>,
    /// Each story's headline and the start of its lead, once computed (teasers show them).
    heads: Vec<OnceLock<(String, String)>>,
    /// Stories generated ahead, in order.
    ready: VecDeque<GeneratedStory>,
}

/// Stories generated together (in parallel) by the iterator.
const BATCH: usize = 256;

/// The stories of the corpus of `config`, in order (a pure function of the config), written by the
/// easy generator.
pub fn stories(config: &GenerateConfig) -> Stories {
    stories_with(config, &Generator::Easy)
}

/// The stories of the corpus of `config` written by `generator`, in order (a pure function of both).
pub fn stories_with(config: &GenerateConfig, generator: &Generator) -> Stories {
    let mut rng = Rng::new(config.seed, &[stream::OUTLETS]);
    let plans = plan(config);
    let span = (plans.len() as i64 / STORIES_PER_DAY).clamp(7, 365) * 1440;
    let mut by_time: Vec<(i64, usize)> = (0..plans.len())
        .map(|i| (story_minute(config.seed, i, plans.len(), span), i))
        .collect();
    by_time.sort_unstable();
    let heads = (0..plans.len()).map(|_| OnceLock::new()).collect();
    Stories {
        config: *config,
        lex: Lexicon::get(),
        model: match generator {
            Generator::Easy => None,
            Generator::Natural(model) => Some(Arc::clone(model)),
        },
        outlets: outlets(&mut rng),
        plans,
        next: 0,
        id_key: mix(config.seed ^ 0x1D5E_ED00_1D5E_ED00),
        span,
        by_time,
        heads,
        ready: VecDeque::new(),
    }
}

/// The articles of the corpus of `config`, in order: exactly `config.docs` of them.
#[allow(
    dead_code,
    reason = "the in-process entry point for a benchmark runner; the CLI writes stories"
)]
pub fn generate(config: &GenerateConfig) -> impl Iterator<Item = GeneratedArticle> {
    stories(config).flat_map(|s| s.articles)
}

/// 2025-01-01T00:00Z in minutes since 1970-01-01.
const START_MINUTE: i64 = 20_089 * 1440;

/// Stories per day of the corpus's time span (at least a week, at most a year).
const STORIES_PER_DAY: i64 = 50;

/// How far back a "latest news" teaser reaches, in minutes.
const TEASER_WINDOW: i64 = 2 * 1440;

impl Iterator for Stories {
    type Item = GeneratedStory;

    fn next(&mut self) -> Option<GeneratedStory> {
        if self.ready.is_empty() {
            let end = (self.next + BATCH).min(self.plans.len());
            let this = &*self;
            // Each story depends on the config and its plan only, so the batch is the same whatever
            // the number of threads.
            let batch: Vec<GeneratedStory> = (self.next..end)
                .into_par_iter()
                .map(|i| this.story(&this.plans[i]))
                .collect();
            self.next = end;
            self.ready.extend(batch);
        }
        self.ready.pop_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.plans.len() - self.next + self.ready.len();
        (left, Some(left))
    }
}

/// When story `index` of `count` happens, in minutes since 1970-01-01: stories are spread evenly
/// over `span` minutes from the start of 2025, in order, each somewhere in its own slot (so the
/// corpus reads like a crawl in time order, and a story's teasers show stories generated before).
fn story_minute(seed: u64, index: usize, count: usize, span: i64) -> i64 {
    let mut rng = Rng::new(seed, &[stream::TIME, index as u64]);
    let slot = span / count.max(1) as i64;
    START_MINUTE
        + index as i64 * span / count.max(1) as i64
        + rng.below(slot.max(1) as usize) as i64
}

/// "2025-03-03T08:12:00Z".
fn rfc3339(minute: i64) -> String {
    let (y, m, d) = civil_from_days(minute.div_euclid(1440));
    let in_day = minute.rem_euclid(1440);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        in_day / 60,
        in_day % 60
    )
}

/// "2025-03-03".
fn iso_date(minute: i64) -> String {
    let (y, m, d) = civil_from_days(minute.div_euclid(1440));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether two sorted unit lists share a unit (they hold a few units each).
fn share(a: &[u32], b: &[u32]) -> bool {
    a.iter().any(|unit| b.binary_search(unit).is_ok())
}

fn ordered_pair(a: &str, b: &str) -> [String; 2] {
    if a <= b {
        [a.to_string(), b.to_string()]
    } else {
        [b.to_string(), a.to_string()]
    }
}

impl Stories {
    /// Number of stories planned.
    pub fn story_count(&self) -> usize {
        self.plans.len()
    }

    /// The fact sheet, headline and lead sentence of story `index` (the lead is unit 0).
    fn head(&self, index: usize, units: &mut Units) -> (Facts, String, Sentence) {
        let seed = self.config.seed;
        let minute = story_minute(seed, index, self.plans.len(), self.span);
        let mut rng = Rng::new(seed, &[stream::FACTS, index as u64]);
        let model = self.model.as_deref();
        let facts = Facts::draw_with(self.lex, model, &mut rng, minute.div_euclid(1440));
        let mut rng = Rng::new(seed, &[stream::HEAD, index as u64]);
        let mut writer = Writer::with_model(self.lex, &facts, model);
        let title = writer.headline(&mut rng);
        let lead = writer.lead(&mut rng, units);
        (facts, title, lead)
    }

    /// Another story's headline and opening, for a teaser on a page of story `index` published at
    /// `minute`: one of the stories of the two days before, as "latest news" lists show (else one of
    /// the ten latest before, else any).
    fn teaser(&self, index: usize, minute: i64, rng: &mut Rng) -> Teaser {
        let hi = self.by_time.partition_point(|&(m, _)| m < minute);
        let lo = self
            .by_time
            .partition_point(|&(m, _)| m < minute - TEASER_WINDOW);
        let lo = if hi - lo < 2 {
            hi.saturating_sub(10)
        } else {
            lo
        };
        let candidates: Vec<usize> = self.by_time[lo..hi]
            .iter()
            .map(|&(_, i)| i)
            .filter(|&i| i != index)
            .collect();
        let other = match rng.pick(&candidates) {
            Some(&i) => i,
            None => {
                let n = self.plans.len();
                let i = rng.below(n);
                if i == index && n > 1 { (i + 1) % n } else { i }
            }
        };
        let (title, lead) = self.heads[other].get_or_init(|| {
            let (_, title, lead) = self.head(other, &mut Units::default());
            let mut text = String::new();
            lead.render(&mut text);
            (title, excerpt(&text, 24))
        });
        Teaser {
            title: title.clone(),
            lead: lead.clone(),
        }
    }

    fn id(&self, article: usize) -> String {
        format!("{:016x}", mix(article as u64 ^ self.id_key))
    }

    fn outlet_for(&self, op: Op, avoid: Option<usize>, rng: &mut Rng) -> usize {
        use OutletKind::*;
        let (kinds, weights): (&[OutletKind], &[u32]) = match op {
            Op::Original => (&[Wire, Newspaper, Regional], &[75, 20, 5]),
            Op::Independent => (&[Wire, Newspaper, Regional], &[35, 45, 20]),
            Op::Copy => (&[Aggregator, Farm, Newspaper], &[45, 25, 30]),
            Op::Syndicated => (&[Newspaper, Regional], &[80, 20]),
            Op::Spun => (&[Farm, Aggregator], &[90, 10]),
            Op::Partial => (&[Regional, Newspaper], &[45, 55]),
        };
        let kind = kinds[rng.weighted(weights)];
        let mut outlet = pick_outlet(&self.outlets, kind, rng);
        if Some(outlet) == avoid {
            outlet = pick_outlet(&self.outlets, kind, rng);
        }
        outlet
    }

    /// A dateline for a page of `outlet`: the agency's own for a wire story, sometimes a bare place.
    fn dateline(&self, facts: &Facts, outlet: usize, rng: &mut Rng) -> Option<Rc<str>> {
        let place = facts.places[0].to_uppercase();
        let o = &self.outlets[outlet];
        if o.kind == OutletKind::Wire {
            Some(Rc::from(format!("{place}, {} ({}) —", facts.date, o.name)))
        } else if rng.chance(0.4) {
            Some(Rc::from(format!("{place} —")))
        } else {
            None
        }
    }

    /// Generates one story from its plan.
    fn story(&self, plan: &StoryPlan) -> GeneratedStory {
        let lex = self.lex;
        let model = self.model.as_deref();
        let natural = model.is_some();
        let thesaurus = Thesaurus {
            lex,
            unlinked: natural,
        };
        let seed = self.config.seed;
        let mut units = Units::default();
        let (facts, head_title, lead) = self.head(plan.index, &mut units);
        self.heads[plan.index].get_or_init(|| {
            let mut text = String::new();
            lead.render(&mut text);
            (head_title.clone(), excerpt(&text, 24))
        });
        let mut rng = Rng::new(seed, &[stream::STORY, plan.index as u64]);
        let start = story_minute(seed, plan.index, self.plans.len(), self.span);
        let mut drafts: Vec<Draft> = Vec::with_capacity(plan.members.len());
        // Every report quotes the main speaker's key line (quote 0), and one to three more.
        let quotes = |rng: &mut Rng| {
            let mut q: Vec<usize> = (1..facts.quotes.len()).collect();
            rng.shuffle(&mut q);
            q.truncate(rng.range(1, 3));
            q.insert(rng.range(0, q.len()), 0);
            q
        };
        let length = |rng: &mut Rng| (rng.range(15, 33) + rng.range(15, 33)) / 2;
        for member in &plan.members {
            let parent = member.parent.map(|p| &drafts[p]);
            let outlet = self.outlet_for(member.op, parent.map(|p| p.outlet), &mut rng);
            let mut writer = Writer::with_model(lex, &facts, model);
            let mut draft = match (member.op, parent) {
                (Op::Original, _) => {
                    let n = length(&mut rng);
                    let q = quotes(&mut rng);
                    let sentences = writer.report(&mut rng, &mut units, n, Some(lead.clone()), &q);
                    Draft {
                        title: head_title.clone(),
                        dateline: self.dateline(&facts, outlet, &mut rng),
                        sentences,
                        outlet,
                        minute: start,
                        dating: Dating::Full,
                    }
                }
                (Op::Copy, Some(p)) => {
                    let mut d = p.clone();
                    if rng.chance(0.35) {
                        spin::trim_tail(&mut d.sentences, rng.range(1, 3), SENTENCES.0);
                    }
                    if rng.chance(0.4) {
                        d.title = spin::spin_title(&d.title, 0.25, thesaurus, &mut rng);
                    }
                    if rng.chance(0.4) {
                        d.dateline = None;
                    }
                    d
                }
                (Op::Syndicated, Some(p)) => {
                    let mut d = p.clone();
                    spin::word_edits(&mut d.sentences, rng.range(2, 8), thesaurus, &mut rng);
                    let drop = rng.weighted(&[3, 4, 3]);
                    spin::drop_sentences(&mut d.sentences, drop, &mut rng);
                    let added: Vec<Sentence> = (0..rng.weighted(&[4, 4, 2]))
                        .map(|_| writer.narrative(&mut rng, &mut units))
                        .collect();
                    spin::insert_sentences(&mut d.sentences, added, &mut rng);
                    if rng.chance(0.3) {
                        spin::swap_adjacent(&mut d.sentences, &mut rng);
                    }
                    if natural {
                        spin::reorder_clauses(&mut d.sentences, rng.range(0, 2), &mut rng);
                    }
                    d.title = if rng.chance(0.6) {
                        writer.headline(&mut rng)
                    } else {
                        spin::spin_title(&d.title, 0.2, thesaurus, &mut rng)
                    };
                    if rng.chance(0.5) {
                        d.dateline = self.dateline(&facts, outlet, &mut rng);
                    }
                    d
                }
                (Op::Spun, Some(p)) => {
                    let mut d = p.clone();
                    let share = 0.3 + 0.3 * rng.unit();
                    spin::spin_words(&mut d.sentences, share, thesaurus, &mut rng);
                    if natural {
                        // What a paraphraser does and a thesaurus cannot undo.
                        spin::reorder_clauses(&mut d.sentences, rng.range(3, 8), &mut rng);
                        spin::drop_clauses(&mut d.sentences, rng.range(1, 4), &mut rng);
                        let clauses: Vec<Vec<Tok>> = (0..rng.range(1, 4))
                            .filter_map(|_| writer.clause(&mut rng))
                            .collect();
                        spin::add_clauses(&mut d.sentences, clauses, &mut rng);
                    }
                    spin::split(&mut d.sentences, rng.range(2, 5), &mut rng);
                    spin::merge(&mut d.sentences, rng.range(2, 4), &mut rng);
                    spin::pad(&mut d.sentences, rng.range(1, 4), &mut rng);
                    if rng.chance(0.5) {
                        spin::move_paragraph(&mut d.sentences, &mut rng);
                    }
                    let drop = rng.weighted(&[3, 3, 2, 2]);
                    spin::drop_sentences(&mut d.sentences, drop, &mut rng);
                    d.title = spin::spin_title(&d.title, 0.6, thesaurus, &mut rng);
                    d.dateline = None;
                    d
                }
                (Op::Partial, Some(p)) => {
                    let mut block = reused_block(&p.sentences, &units, &mut rng);
                    let edits = rng.range(1, block.len());
                    spin::word_edits(&mut block, edits, thesaurus, &mut rng);
                    if rng.chance(0.3) {
                        spin::spin_words(&mut block, 0.15, thesaurus, &mut rng);
                    }
                    let total = length(&mut rng).max(block.len() + 10);
                    let mut q = quotes(&mut rng);
                    q.retain(|i| block.iter().all(|s| s.quote != Some(*i)));
                    let mut own =
                        writer.report(&mut rng, &mut units, total - block.len(), None, &q);
                    let at = rng.range(3, own.len() - 2);
                    if let Some(s) = block.first_mut() {
                        s.para = true;
                    }
                    own[at].para = true;
                    own.splice(at..at, block);
                    Draft {
                        title: writer.headline(&mut rng),
                        dateline: self.dateline(&facts, outlet, &mut rng),
                        sentences: own,
                        outlet,
                        minute: 0,
                        dating: Dating::Full,
                    }
                }
                // Independent reports (and, defensively, a derived member without a parent).
                _ => {
                    let n = length(&mut rng);
                    let q = quotes(&mut rng);
                    let sentences = writer.report(&mut rng, &mut units, n, None, &q);
                    Draft {
                        title: writer.headline(&mut rng),
                        dateline: self.dateline(&facts, outlet, &mut rng),
                        sentences,
                        outlet,
                        minute: 0,
                        dating: Dating::Full,
                    }
                }
            };
            draft.outlet = outlet;
            self.fit(&mut draft.sentences, &mut writer, &mut units, &mut rng);
            draft.minute = match (member.op, parent) {
                (Op::Original, _) => start,
                (_, Some(p)) => p.minute + delay(&mut rng),
                _ => start - 120 + rng.below(1020) as i64,
            };
            draft.dating = if member.op == Op::Original {
                Dating::Full
            } else {
                [Dating::None, Dating::DateOnly, Dating::Full]
                    [rng.weighted(&[UNTIMED, DATE_ONLY, 100 - UNTIMED - DATE_ONLY])]
            };
            drafts.push(draft);
        }

        // Ids, sources and truth.
        let mut ids: Vec<Option<String>> = Vec::with_capacity(drafts.len());
        let mut next_article = plan.first_article;
        for member in &plan.members {
            if member.withheld {
                ids.push(None);
            } else {
                ids.push(Some(self.id(next_article)));
                next_article += 1;
            }
        }
        let withheld = plan.members[0].withheld.then(|| WithheldSource {
            name: format!("source-{:016x}", mix(plan.index as u64 ^ !self.id_key)),
            published: rfc3339(drafts[0].minute),
        });
        let source_of = |m: usize| -> Vec<String> {
            match plan.members[m].parent {
                None => Vec::new(),
                Some(p) => match (&ids[p], &withheld) {
                    (Some(id), _) => vec![id.clone()],
                    (None, Some(w)) => {
                        vec![format!("{}{}", stemma_eval::MISSING_PREFIX, w.name)]
                    }
                    (None, None) => Vec::new(),
                },
            }
        };
        let narrative: Vec<Vec<u32>> = drafts
            .iter()
            .map(|d| {
                let mut u: Vec<u32> = d
                    .sentences
                    .iter()
                    .flat_map(|s| s.units.iter().copied())
                    .filter(|&u| units.is_narrative(u))
                    .collect();
                u.sort_unstable();
                u.dedup();
                u
            })
            .collect();
        let mut related_pairs = Vec::new();
        let mut independent_pairs = Vec::new();
        for a in 0..drafts.len() {
            for b in a + 1..drafts.len() {
                let (Some(ia), Some(ib)) = (&ids[a], &ids[b]) else {
                    continue;
                };
                let pair = ordered_pair(ia, ib);
                if share(&narrative[a], &narrative[b]) {
                    related_pairs.push(pair);
                } else {
                    independent_pairs.push(pair);
                }
            }
        }
        related_pairs.sort();
        independent_pairs.sort();

        let mut page_rng = Rng::new(seed, &[stream::PAGE, plan.index as u64]);
        let articles = drafts
            .iter()
            .enumerate()
            .filter_map(|(m, d)| {
                let id = ids[m].clone()?;
                Some(self.render(id, plan, m, d, source_of(m), &mut page_rng))
            })
            .collect();
        GeneratedStory {
            index: plan.index,
            articles,
            withheld,
            related_pairs,
            independent_pairs,
        }
    }

    /// Keeps a body between [`SENTENCES`]: merges or drops when too long, splits or adds when short.
    fn fit(
        &self,
        sentences: &mut Vec<Sentence>,
        writer: &mut Writer<'_>,
        units: &mut Units,
        rng: &mut Rng,
    ) {
        let (min, max) = SENTENCES;
        while sentences.len() > max {
            if spin::merge(sentences, 1, rng) == 0 {
                spin::drop_sentences(sentences, 1, rng);
            }
        }
        while sentences.len() < min {
            if spin::split(sentences, 1, rng) == 0 {
                let s = writer.narrative(rng, units);
                spin::insert_sentences(sentences, vec![s], rng);
            }
        }
    }

    /// Renders a draft as a page of its outlet.
    fn render(
        &self,
        id: String,
        plan: &StoryPlan,
        member: usize,
        d: &Draft,
        derived_from: Vec<String>,
        rng: &mut Rng,
    ) -> GeneratedArticle {
        let outlet = &self.outlets[d.outlet];
        let title = if outlet.title_case {
            title_case(&d.title)
        } else {
            d.title.clone()
        };
        let day = d.minute.div_euclid(1440);
        let mut text = String::with_capacity(8192);
        outlet.header(day, rng, &mut text);
        text.push_str(&title);
        text.push_str("\n\n");
        let body_start = text.len();
        render_body(d.dateline.as_deref(), &d.sentences, &mut text);
        if outlet.inline_read_more && rng.chance(0.7) {
            // "Read more: <another story's headline>" between two paragraphs near the middle.
            let body = &text[body_start..];
            let breaks: Vec<usize> = body.match_indices("\n\n").map(|(i, _)| i).collect();
            if breaks.len() >= 4 {
                let at = body_start + breaks[breaks.len() / 2];
                let teaser = self.teaser(plan.index, d.minute, rng);
                text.insert_str(at, &format!("\n\nRead more: {}", teaser.title));
            }
        }
        let body = body_start..text.len();
        let mut teaser = |rng: &mut Rng| self.teaser(plan.index, d.minute, rng);
        outlet.footer(rng, &mut teaser, &mut text);
        let published = match d.dating {
            Dating::Full => Some(rfc3339(d.minute)),
            Dating::DateOnly => Some(iso_date(d.minute)),
            Dating::None => None,
        };
        let slug: String = d
            .title
            .split(' ')
            .take(8)
            .map(|w| {
                w.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let url = if d.dating == Dating::None {
            format!("https://{}/news/{slug}-{}", outlet.domain, &id[..6])
        } else {
            let (y, m, dd) = civil_from_days(day);
            format!("https://{}/{y:04}/{m:02}/{dd:02}/{slug}", outlet.domain)
        };
        GeneratedArticle {
            id,
            title,
            publisher: outlet.name.to_string(),
            url,
            published,
            kind: plan.members[member].op.kind(),
            derived_from,
            body_sentences: d.sentences.len(),
            words: count_words(&text),
            body,
            text,
        }
    }
}

/// Number of whitespace-separated words (a tight loop over bytes: the text is mostly ASCII, and
/// the non-ASCII characters used here are no spaces).
fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_space = true;
    for &b in text.as_bytes() {
        let space = matches!(b, b' ' | b'\n' | b'\t' | b'\r');
        words += usize::from(in_space & !space);
        in_space = space;
    }
    words
}

/// How long after its source a derived page appears, in minutes: minutes to three days.
fn delay(rng: &mut Rng) -> i64 {
    let (lo, hi) = [(5, 60), (60, 360), (360, 1440), (1440, 4320)][rng.weighted(&[30, 35, 20, 15])];
    rng.range(lo, hi) as i64
}

/// A block of 3 to 8 consecutive sentences of `source` (not the lead) holding at least three
/// narrative sentences (quotes are reused too, but do not count), for a partial reuse.
fn reused_block(source: &[Sentence], units: &Units, rng: &mut Rng) -> Vec<Sentence> {
    let narrative =
        |s: &Sentence| s.quote.is_none() && s.units.iter().any(|&u| units.is_narrative(u));
    let wanted = rng.range(3, 8);
    let start = rng.range(1, source.len().saturating_sub(wanted + 1).max(1));
    let mut end = start;
    let mut count = 0;
    while end < source.len() && (end - start < wanted || count < 3) && end - start < 8 {
        count += usize::from(narrative(&source[end]));
        end += 1;
    }
    // Too few narrative sentences before the end or the limit: start earlier.
    let mut start = start;
    while count < 3 && start > 1 {
        start -= 1;
        count += usize::from(narrative(&source[start]));
        if end - start > 8 {
            end -= 1;
            count -= usize::from(narrative(&source[end]));
        }
    }
    source[start..end].to_vec()
}

/// The truth of a corpus, collected story by story.
#[derive(Debug, Clone, Default)]
pub struct TruthBuilder {
    articles: BTreeMap<String, (&'static str, Vec<String>)>,
    missing: BTreeMap<String, String>,
    derived_pairs: Vec<[String; 2]>,
    related_pairs: Vec<[String; 2]>,
    independent_pairs: Vec<[String; 2]>,
}

impl TruthBuilder {
    /// Adds a story's articles, withheld source and pairs.
    pub fn add(&mut self, story: &GeneratedStory) {
        for a in &story.articles {
            self.articles
                .insert(a.id.clone(), (a.kind, a.derived_from.clone()));
            for source in &a.derived_from {
                self.derived_pairs.push([source.clone(), a.id.clone()]);
            }
        }
        if let Some(w) = &story.withheld {
            self.missing.insert(w.name.clone(), w.published.clone());
        }
        self.related_pairs
            .extend(story.related_pairs.iter().cloned());
        self.independent_pairs
            .extend(story.independent_pairs.iter().cloned());
    }

    /// Number of related pairs.
    pub fn related_count(&self) -> usize {
        self.related_pairs.len()
    }

    /// Number of independent pairs.
    pub fn independent_count(&self) -> usize {
        self.independent_pairs.len()
    }

    /// The truth as `stemma eval` reads it.
    #[allow(
        dead_code,
        reason = "the in-process entry point for a benchmark runner; the CLI writes JSON"
    )]
    pub fn to_truth(&self) -> Truth {
        Truth {
            format: Some(TRUTH_FORMAT.to_string()),
            articles: self
                .articles
                .iter()
                .map(|(id, (kind, from))| {
                    (
                        id.clone(),
                        TruthArticle {
                            kind: Some((*kind).to_string()),
                            derived_from: from.clone(),
                        },
                    )
                })
                .collect(),
            missing_sources: self
                .missing
                .keys()
                .map(|name| (name.clone(), MissingSource::default()))
                .collect(),
            derived_pairs: self.sorted(&self.derived_pairs),
            related_pairs: self.sorted(&self.related_pairs),
            independent_pairs: self.sorted(&self.independent_pairs),
        }
    }

    fn sorted(&self, pairs: &[[String; 2]]) -> Vec<[String; 2]> {
        let mut v = pairs.to_vec();
        v.sort();
        v
    }

    /// Writes the truth file (docs/evaluation.md): one article or pair per line, sorted.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        let s = |x: &str| serde_json::to_string(x).unwrap_or_default();
        writeln!(out, "{{")?;
        writeln!(out, " \"format\": {},", s(TRUTH_FORMAT))?;
        writeln!(out, " \"articles\": {{")?;
        let n = self.articles.len();
        for (i, (id, (kind, from))) in self.articles.iter().enumerate() {
            let from: Vec<String> = from.iter().map(|f| s(f)).collect();
            writeln!(
                out,
                "  {}: {{\"kind\": {}, \"derived_from\": [{}]}}{}",
                s(id),
                s(kind),
                from.join(", "),
                if i + 1 < n { "," } else { "" }
            )?;
        }
        writeln!(out, " }},")?;
        writeln!(out, " \"missing_sources\": {{")?;
        let n = self.missing.len();
        for (i, (name, published)) in self.missing.iter().enumerate() {
            writeln!(
                out,
                "  {}: {{\"derived_from\": [], \"published\": {}}}{}",
                s(name),
                s(published),
                if i + 1 < n { "," } else { "" }
            )?;
        }
        writeln!(out, " }},")?;
        for (field, pairs, last) in [
            ("derived_pairs", &self.derived_pairs, false),
            ("related_pairs", &self.related_pairs, false),
            ("independent_pairs", &self.independent_pairs, true),
        ] {
            let pairs = self.sorted(pairs);
            writeln!(out, " \"{field}\": [")?;
            let n = pairs.len();
            for (i, [a, b]) in pairs.iter().enumerate() {
                writeln!(
                    out,
                    "  [{}, {}]{}",
                    s(a),
                    s(b),
                    if i + 1 < n { "," } else { "" }
                )?;
            }
            writeln!(out, " ]{}", if last { "" } else { "," })?;
        }
        writeln!(out, "}}")
    }
}

/// The `format` of the truth files written here.
pub const TRUTH_FORMAT: &str = "stemma truth v1: planted-reuse corpus from stemma bench generate";
