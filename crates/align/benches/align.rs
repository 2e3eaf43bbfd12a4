//! Speed benchmarks of the alignment pipeline (criterion).
//!
//! Run with `cargo bench -p stemma-align` (or `just bench`); results and the targets they are held
//! against are in `docs/performance.md`. All inputs come from the demo corpus in `examples/`:
//!
//! - `text/segment` and `text/analyse`: [`segment`] and [`Vocabulary::document`] on every demo page
//!   concatenated and repeated to about 1 MB, reported in bytes per second;
//! - `sentence/overlap` and `sentence/word_diff`: [`Scorer::overlap`] and [`word_diff`] on one aligned
//!   sentence pair of `wire.txt` and `spun.txt` (the 1:1 pair closest to 20 words a side);
//! - `pair/align_wire_spun`: [`align`] of `wire.txt` against `spun.txt` (two articles of 30 to 40
//!   sentences) with the documents, weights and scorer built beforehand, and `pair/compare_wire_spun`,
//!   the same pair from raw text through [`stemma_align::compare`];
//! - `large/align_1000x1000`: [`align`] of two generated 1,000-sentence documents (see
//!   [`LargePair`]).
//!
//! The `*_no_thesaurus` variants repeat a measurement with [`SimilarityParams::use_thesaurus`] off
//! (exact keys only), which shows how much of the time the thesaurus look-ups take.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use stemma_align::Background;
use stemma_align::SentenceRole;
use stemma_align::word_diff;
use stemma_align::{AlignOptions, align};
use stemma_align::{Bag, Scorer, SimilarityParams, TermWeights};
use stemma_align::{Document, Vocabulary};
use stemma_align::{Normalizer, TokenKind};
use stemma_align::{SentenceKind, segment};

/// Size the demo corpus is repeated to for the throughput benchmarks.
const TEXT_BYTES: usize = 1_000_000;

/// Number of sentences in each document of the large pair.
const LARGE_SENTENCES: usize = 1_000;

/// Background Zipf frequency below which a name is rare enough to be replaced in a retold story.
const RARE_NAME_ZIPF: f32 = 3.0;

/// The demo pages that seed the large pair's document A: the three that do not copy one another.
const LARGE_A_FILES: &[&str] = &["wire", "independent", "partial"];

/// The directory of the demo corpus.
fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Reads one demo page by name (without `.txt`).
fn example(name: &str) -> String {
    let path = examples_dir().join(format!("{name}.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read demo page {}: {e}", path.display()))
}

/// All demo pages, by name, in name order.
fn examples() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(examples_dir())
        .expect("the examples directory is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "txt" {
                return None;
            }
            let name = path.file_stem()?.to_str()?.to_string();
            let text = std::fs::read_to_string(&path).ok()?;
            Some((name, text))
        })
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no demo pages in examples/");
    pages
}

/// Every demo page, separated by blank lines and repeated until the text holds at least
/// [`TEXT_BYTES`] bytes.
fn megabyte_text() -> String {
    let corpus = examples()
        .into_iter()
        .map(|(_, text)| text.trim().to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    let copies = TEXT_BYTES.div_ceil(corpus.len() + 2);
    vec![corpus; copies].join("\n\n")
}

/// Segmentation and document analysis throughput on about 1 MB of news pages.
fn bench_text(c: &mut Criterion) {
    let text = megabyte_text();
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("segment", |b| b.iter(|| segment(black_box(&text))));
    group.bench_function("analyse", |b| {
        b.iter_batched(
            || (Vocabulary::new(), text.clone()),
            |(mut vocab, text)| vocab.document("bench", text),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

/// Two demo pages analysed in one vocabulary, with background weights: what [`align`] needs.
struct Pair {
    /// The shared vocabulary.
    vocab: Vocabulary,
    /// The first document.
    a: Document,
    /// The second document.
    b: Document,
    /// Background term weights over `vocab`.
    weights: TermWeights,
}

impl Pair {
    /// Analyses two texts in one vocabulary.
    fn new(a_id: &str, a_text: String, b_id: &str, b_text: String) -> Pair {
        let mut vocab = Vocabulary::new();
        let a = vocab.document(a_id, a_text);
        let b = vocab.document(b_id, b_text);
        let weights = TermWeights::background(&vocab);
        Pair {
            vocab,
            a,
            b,
            weights,
        }
    }

    /// A scorer with the default parameters.
    fn scorer(&self) -> Scorer<'_> {
        Scorer::new(&self.vocab, SimilarityParams::default())
    }

    /// A scorer that leaves the thesaurus out (exact keys only), to show what the thesaurus costs.
    fn scorer_without_thesaurus(&self) -> Scorer<'_> {
        Scorer::new(
            &self.vocab,
            SimilarityParams {
                use_thesaurus: false,
                ..SimilarityParams::default()
            },
        )
    }

    /// Aligns the two documents with the default options.
    fn align(&self, scorer: &Scorer<'_>) -> stemma_align::Alignment {
        align(
            &self.a,
            &self.b,
            &self.weights,
            scorer,
            &AlignOptions::default(),
        )
    }
}

/// Number of white-space separated words in a text.
fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Similarity and word diff of one typical aligned sentence pair, alignment of two articles.
fn bench_pair(c: &mut Criterion) {
    let (wire, spun) = (example("wire"), example("spun"));
    let pair = Pair::new("wire", wire.clone(), "spun", spun.clone());
    let scorer = pair.scorer();
    let alignment = pair.align(&scorer);

    // The aligned 1:1 pair whose sides are both closest to 20 words.
    let typical = alignment
        .groups
        .iter()
        .filter(|g| g.is_one_to_one())
        .min_by_key(|g| {
            let a = word_count(pair.a.sentence_text(g.a.start));
            let b = word_count(pair.b.sentence_text(g.b.start));
            (a.abs_diff(20) + b.abs_diff(20), g.a.start)
        })
        .expect("wire and spun align");
    let (i, j) = (typical.a.start, typical.b.start);
    let bag_a = Bag::new(&pair.a.sentences[i].tokens, &pair.weights);
    let bag_b = Bag::new(&pair.b.sentences[j].tokens, &pair.weights);
    let (text_a, text_b) = (pair.a.sentence_text(i), pair.b.sentence_text(j));

    let exact = pair.scorer_without_thesaurus();

    let mut group = c.benchmark_group("sentence");
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("overlap", |b| {
        b.iter(|| scorer.overlap(black_box(&bag_a), black_box(&bag_b)));
    });
    group.bench_function("overlap_no_thesaurus", |b| {
        b.iter(|| exact.overlap(black_box(&bag_a), black_box(&bag_b)));
    });
    group.bench_function("word_diff", |b| {
        b.iter(|| word_diff(black_box(text_a), black_box(text_b)));
    });
    group.finish();

    let mut group = c.benchmark_group("pair");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("align_wire_spun", |b| {
        b.iter(|| {
            align(
                black_box(&pair.a),
                black_box(&pair.b),
                &pair.weights,
                &scorer,
                &AlignOptions::default(),
            )
        });
    });
    group.bench_function("align_wire_spun_no_thesaurus", |b| {
        b.iter(|| pair.align(black_box(&exact)));
    });
    group.bench_function("compare_wire_spun", |b| {
        b.iter(|| stemma_align::compare("wire", black_box(&wire), "spun", black_box(&spun)));
    });
    group.finish();
}

/// A small deterministic random number generator (SplitMix64), so the generated documents are the
/// same on every run and every machine.
struct SplitMix(u64);

impl SplitMix {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random index below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// FNV-1a hash of a string, to derive stable pseudo-words.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An invented name standing for `word` in story `story`: the same word always gets the same name in
/// one story, and different stories get different names.
fn invented_name(word: &str, story: usize) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let mut rng = SplitMix(fnv1a(&word.to_lowercase()) ^ (story as u64).wrapping_mul(0x2545_f491));
    let syllables = 2 + rng.below(2);
    let mut name = String::new();
    for _ in 0..syllables {
        name.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
        name.push(char::from(VOWELS[rng.below(VOWELS.len())]));
    }
    name.push(char::from(CONSONANTS[rng.below(CONSONANTS.len())]));
    let all_caps = word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if all_caps {
        name.to_uppercase()
    } else {
        let mut chars = name.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// The figures of story `story`: every digit shifted by the story number.
fn shifted_number(number: &str, story: usize) -> String {
    let shift = (story % 10) as u32;
    number
        .chars()
        .enumerate()
        .map(|(k, c)| match c.to_digit(10) {
            Some(d) => {
                let d = (d + shift) % 10;
                // No leading zero, so the number stays one token of the same shape.
                let d = if k == 0 && d == 0 { 1 } else { d };
                char::from_digit(d, 10).unwrap_or(c)
            }
            None => c,
        })
        .collect()
}

/// One sentence rewritten for story `story`: rare names replaced by invented ones and figures shifted,
/// so that each story reports a different event in much the same words (story 0 is the original).
fn retell(normalizer: &Normalizer, sentence: &str, story: usize) -> String {
    if story == 0 {
        return sentence.to_string();
    }
    let (tokens, _) = normalizer.tokenize(sentence, 0..sentence.len(), true, false);
    let mut out = String::with_capacity(sentence.len());
    let mut at = 0;
    for token in tokens {
        let surface = &sentence[token.span.clone()];
        let follows = sentence[token.span.end..].chars().next();
        let rare = Background::builtin()
            .zipf(&token.key)
            .is_none_or(|z| z < RARE_NAME_ZIPF);
        let replacement = match token.kind {
            // Titles and abbreviations ("Gov.", "St.") and capitalised common words ("Monday") stay.
            TokenKind::Name if rare && follows != Some('.') => invented_name(surface, story),
            TokenKind::Number if surface.chars().any(|c| c.is_ascii_digit()) => {
                shifted_number(surface, story)
            }
            _ => continue,
        };
        out.push_str(&sentence[at..token.span.start]);
        out.push_str(&replacement);
        at = token.span.end;
    }
    out.push_str(&sentence[at..]);
    out
}

/// The prose paragraphs of a demo page (page furniture, headlines and bylines left out), each as its
/// sentences, on one line each.
fn prose_paragraphs(text: String) -> Vec<Vec<String>> {
    let doc = Vocabulary::new().document("page", text);
    (0..doc.segmentation.paragraphs.len())
        .filter_map(|p| {
            let range = doc.segmentation.paragraphs[p].sentences.clone();
            let prose = range.clone().all(|s| {
                doc.sentences[s].role == SentenceRole::Body
                    && doc.segmentation.sentences[s].kind == SentenceKind::Prose
            });
            prose.then(|| {
                range
                    .map(|s| {
                        doc.sentence_text(s)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect()
            })
        })
        .collect()
}

/// Two generated documents of [`LARGE_SENTENCES`] sentences each, built deterministically from the
/// demo corpus so that aligning them is real work.
///
/// Document A tells the three demo pages that copy nothing from one another (`wire`, `independent`,
/// `partial`) again and again, each time as a different story: every name is replaced by an invented
/// one and every figure shifted ([`retell`]). Its paragraphs are therefore distinct, but share most
/// of their narrative words with the same paragraph in the other stories, as a digest of similar
/// reports does.
///
/// Document B is A with every third sentence replaced by a random sentence of another demo page (told
/// as the same story) and one paragraph in every ten moved five paragraphs further down.
struct LargePair {
    /// The text of document A.
    a: String,
    /// The text of document B.
    b: String,
}

impl LargePair {
    /// Builds the pair.
    fn new() -> LargePair {
        let normalizer = Normalizer::new();
        let pages: Vec<(String, Vec<Vec<String>>)> = examples()
            .into_iter()
            .map(|(name, text)| (name, prose_paragraphs(text)))
            .collect();
        let seeds: Vec<(usize, &Vec<Vec<String>>)> = pages
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| LARGE_A_FILES.contains(&name.as_str()))
            .map(|(k, (_, paragraphs))| (k, paragraphs))
            .collect();
        assert_eq!(seeds.len(), LARGE_A_FILES.len(), "demo pages missing");

        // A's paragraphs, each with its source page and story, cut at LARGE_SENTENCES sentences.
        let mut paragraphs: Vec<(usize, usize, Vec<String>)> = Vec::new();
        let mut count = 0;
        'stories: for story in 0.. {
            for &(page, seed) in &seeds {
                for paragraph in seed {
                    let take = paragraph.len().min(LARGE_SENTENCES - count);
                    let told = paragraph[..take]
                        .iter()
                        .map(|s| retell(&normalizer, s, story))
                        .collect();
                    paragraphs.push((page, story, told));
                    count += take;
                    if count == LARGE_SENTENCES {
                        break 'stories;
                    }
                }
            }
        }

        let mut rng = SplitMix(0x5eed);
        let mut index = 0;
        let mut b_paragraphs: Vec<Vec<String>> = paragraphs
            .iter()
            .map(|(page, story, sentences)| {
                sentences
                    .iter()
                    .map(|sentence| {
                        index += 1;
                        if index % 3 != 0 {
                            return sentence.clone();
                        }
                        let mut other = rng.below(pages.len());
                        if other == *page {
                            other = (other + 1) % pages.len();
                        }
                        let source = &pages[other].1;
                        let paragraph = &source[rng.below(source.len())];
                        retell(&normalizer, &paragraph[rng.below(paragraph.len())], *story)
                    })
                    .collect()
            })
            .collect();
        let mut p = 3;
        while p + 5 < b_paragraphs.len() {
            let moved = b_paragraphs.remove(p);
            b_paragraphs.insert(p + 5, moved);
            p += 10;
        }

        let join = |paragraphs: Vec<Vec<String>>| -> String {
            paragraphs
                .into_iter()
                .map(|sentences| sentences.join(" "))
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        LargePair {
            a: join(paragraphs.into_iter().map(|(_, _, s)| s).collect()),
            b: join(b_paragraphs),
        }
    }
}

/// Alignment of two 1,000-sentence documents.
fn bench_large(c: &mut Criterion) {
    let large = LargePair::new();
    let pair = Pair::new("a", large.a, "b", large.b);
    let scorer = pair.scorer();
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("align_1000x1000", |b| b.iter(|| pair.align(&scorer)));
    let exact = pair.scorer_without_thesaurus();
    group.bench_function("align_1000x1000_no_thesaurus", |b| {
        b.iter(|| pair.align(&exact));
    });
    group.finish();
}

criterion_group!(benches, bench_text, bench_pair, bench_large);
criterion_main!(benches);
