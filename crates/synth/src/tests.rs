//! Tests of the whole generator: determinism, counts, the truth, and what each kind of article
//! shares with its source.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use crate::generate::{
    GenerateConfig, GeneratedStory, Generator, SENTENCES, TruthBuilder, generate, stories,
    stories_with,
};
use crate::natural::{NewsModel, SAMPLE};
use crate::{write_corpus, write_corpus_with};
use stemma_eval::{MISSING_PREFIX, Truth};

fn files(docs: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    let summary =
        write_corpus(&GenerateConfig { docs, seed }, &mut corpus, &mut truth).unwrap_or_default();
    assert_eq!(summary.docs, docs);
    (corpus, truth)
}

/// FNV-1a, 64 bits: a hash whose definition cannot change.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn all_stories(docs: usize, seed: u64) -> Vec<GeneratedStory> {
    stories(&GenerateConfig { docs, seed }).collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = files(150, 7);
    let b = files(150, 7);
    assert!(a == b, "two runs with the same seed differ");
    let c = files(150, 8);
    assert_ne!(a.0, c.0);
    assert_ne!(a.1, c.1);
    // The in-process iterator yields the same articles as the files.
    let lines: Vec<String> = String::from_utf8_lossy(&a.0)
        .lines()
        .map(str::to_string)
        .collect();
    let articles: Vec<_> = generate(&GenerateConfig { docs: 150, seed: 7 }).collect();
    assert_eq!(lines.len(), articles.len());
    for (line, article) in lines.iter().zip(&articles) {
        let mut expected = Vec::new();
        crate::write_line(&mut expected, article).unwrap_or_default();
        assert_eq!(format!("{line}\n").as_bytes(), expected.as_slice());
    }
}

/// Pins the output: a silent change of the generator (or of the lexicon it reads, or of the random
/// stream) changes these hashes. When a change is meant, update them in the same commit and say so.
#[test]
fn output_is_pinned() {
    let (corpus, truth) = files(40, 7);
    let first = String::from_utf8_lossy(&corpus)
        .lines()
        .next()
        .map(|l| l.chars().take(120).collect::<String>())
        .unwrap_or_default();
    assert_eq!(
        (fnv(&corpus), fnv(&truth), corpus.len(), first.as_str()),
        PINNED,
        "the output of `stemma bench generate --docs 40 --seed 7` changed"
    );
}

/// FNV-1a of corpus.jsonl and truth.json, the corpus's length and the start of its first line, for
/// `--docs 40 --seed 7` (2026-11-21).
const PINNED: (u64, u64, usize, &str) = (
    1_109_299_021_678_275_299,
    17_098_452_175_135_548_170,
    149_437,
    "{\"id\":\"47ab9ce0a0782d3e\",\"title\":\"Hargreave infusion still system question university few drink list\",\"publisher\":\"Merid",
);

#[test]
fn counts_ids_sources_and_truth_are_consistent() {
    for (docs, seed) in [(1, 1), (2, 3), (17, 5), (400, 11)] {
        let (corpus, truth_json) = files(docs, seed);
        check_truth(docs, &corpus, &truth_json);
    }
}

/// Ids are unique, every article is in the truth, every source exists (in the corpus, or as a
/// withheld source with at least two derivations).
fn check_truth(docs: usize, corpus: &[u8], truth_json: &[u8]) {
    let text = String::from_utf8_lossy(corpus);
    let ids: Vec<String> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
            v["id"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(ids.len(), docs, "docs={docs}");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), docs, "ids not unique");
    let truth = Truth::parse(&String::from_utf8_lossy(truth_json))
        .unwrap_or_else(|e| panic!("the truth does not parse: {e}"));
    assert_eq!(truth.articles.len(), docs);
    for id in &ids {
        assert!(truth.articles.contains_key(id));
    }
    for (id, article) in &truth.articles {
        for source in &article.derived_from {
            match source.strip_prefix(MISSING_PREFIX) {
                Some(name) => {
                    assert!(truth.missing_sources.contains_key(name), "{id}: {source}");
                    // A withheld source is not in the corpus.
                    assert!(!unique.contains(&name.to_string()));
                }
                None => assert!(unique.contains(source), "{id}: {source}"),
            }
        }
    }
    // Every withheld source has at least two derivations in the corpus.
    for name in truth.missing_sources.keys() {
        let missing = format!("{MISSING_PREFIX}{name}");
        let children = truth
            .articles
            .values()
            .filter(|a| a.derived_from.contains(&missing))
            .count();
        assert!(children >= 2, "{name}: {children} derivations");
    }
}

#[test]
fn pairs_stay_within_stories_and_cover_each_story() {
    let mut truth = TruthBuilder::default();
    let mut story_of: BTreeMap<String, usize> = BTreeMap::new();
    let all = all_stories(500, 3);
    for story in &all {
        truth.add(story);
        for a in &story.articles {
            story_of.insert(a.id.clone(), story.index);
            assert!(
                (SENTENCES.0..=SENTENCES.1).contains(&a.body_sentences),
                "{} ({}) has {} body sentences",
                a.id,
                a.kind,
                a.body_sentences
            );
        }
        // Every pair of a story's articles is either related or independent, never both.
        let n = story.articles.len();
        assert_eq!(
            story.related_pairs.len() + story.independent_pairs.len(),
            n * (n - 1) / 2
        );
    }
    let truth = truth.to_truth();
    for [a, b] in truth.related_pairs.iter().chain(&truth.independent_pairs) {
        assert_eq!(story_of[a], story_of[b], "{a} {b} are of different stories");
    }
    // A derived article is related to its source when the source is in the corpus.
    let related: BTreeSet<(String, String)> = truth
        .related_pairs
        .iter()
        .map(|[a, b]| (a.clone(), b.clone()))
        .collect();
    for (id, a) in &truth.articles {
        for s in a
            .derived_from
            .iter()
            .filter(|s| !s.starts_with(MISSING_PREFIX))
        {
            let pair = if s < id {
                (s.clone(), id.clone())
            } else {
                (id.clone(), s.clone())
            };
            assert!(
                related.contains(&pair),
                "{id} derives from {s} but is not related to it"
            );
        }
    }
    // Kinds: every kind is planted, and about a third of the articles are related to nothing.
    let kinds: BTreeSet<&str> = all
        .iter()
        .flat_map(|s| s.articles.iter().map(|a| a.kind))
        .collect();
    for kind in [
        "original",
        "independent",
        "copy",
        "syndicated",
        "spun",
        "partial",
    ] {
        assert!(kinds.contains(kind), "no {kind} article");
    }
    let linked: BTreeSet<&String> = truth.related_pairs.iter().flatten().collect();
    let alone = 500 - linked.len();
    assert!(
        (100..=250).contains(&alone),
        "{alone} of 500 articles related to nothing"
    );
    assert!(!truth.missing_sources.is_empty());
}

/// Sentences of a text, roughly: split after ". " and at line ends.
fn sentences(text: &str) -> Vec<String> {
    text.split(['\n'])
        .flat_map(|line| line.split(". "))
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .filter(|s| s.split_whitespace().count() >= 6)
        .collect()
}

/// Quoted passages of a text.
fn quotes(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(|q| q.trim_end_matches([',', '.']).to_string())
        .filter(|q| q.split_whitespace().count() >= 4)
        .collect()
}

/// Lowercase words of a text that are not stop words (with their counts).
fn content_words(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for w in text.split(|c: char| !c.is_alphabetic()) {
        if w.len() >= 3 && w.chars().all(|c| c.is_lowercase()) && !stemma_align::is_stop_word(w) {
            *out.entry(w.to_string()).or_insert(0) += 1;
        }
    }
    out
}

/// Share of `a`'s content word occurrences that `b` lacks.
fn changed_share(a: &str, b: &str) -> f64 {
    let (wa, wb) = (content_words(a), content_words(b));
    let total: usize = wa.values().sum();
    let missing: usize = wa
        .iter()
        .map(|(w, &n)| n.saturating_sub(wb.get(w).copied().unwrap_or(0)))
        .sum();
    missing as f64 / total.max(1) as f64
}

#[test]
fn independent_reports_share_quotes_but_no_telling() {
    let all = all_stories(600, 5);
    // Lines that recur across stories are furniture (menus, appeals, copyright lines).
    let mut seen_in: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for story in &all {
        for a in &story.articles {
            for s in sentences(&a.text) {
                seen_in.entry(s).or_default().insert(story.index);
            }
        }
    }
    let mut checked = 0;
    for story in &all {
        let Some(original) = story.articles.iter().find(|a| a.kind == "original") else {
            continue;
        };
        let original_sentences: BTreeSet<String> = sentences(&original.text).into_iter().collect();
        let original_quotes = quotes(&original.text);
        for report in story.articles.iter().filter(|a| a.kind == "independent") {
            checked += 1;
            let shared_quotes = quotes(&report.text).intersection(&original_quotes).count();
            assert!(
                shared_quotes >= 1,
                "{} shares no quote with {}",
                report.id,
                original.id
            );
            for s in sentences(&report.text) {
                let furniture = seen_in.get(&s).is_some_and(|stories| stories.len() > 1);
                assert!(
                    s.contains('"') || furniture || !original_sentences.contains(&s),
                    "{} and {} share a sentence that is no quote: {s}",
                    report.id,
                    original.id
                );
            }
        }
    }
    assert!(checked >= 20, "only {checked} independent reports");
}

#[test]
fn rewrites_change_words_as_their_kind_does() {
    let all = all_stories(600, 9);
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for story in &all {
        let by_id: BTreeMap<&str, &crate::generate::GeneratedArticle> =
            story.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        for a in &story.articles {
            let Some(parent) = a.derived_from.first().and_then(|p| by_id.get(p.as_str())) else {
                continue;
            };
            by_kind
                .entry(a.kind)
                .or_default()
                .push(changed_share(&parent.text, &a.text));
        }
    }
    let mean = |k: &str| {
        let v = &by_kind[k];
        v.iter().sum::<f64>() / v.len() as f64
    };
    // Spun rewrites replace 30-60% of content words (fewer show as changed: some synonyms are
    // words the text has elsewhere); each one changes a good share.
    assert!((0.3..0.6).contains(&mean("spun")), "spun {}", mean("spun"));
    for &share in &by_kind["spun"] {
        assert!(
            share > 0.2,
            "a spun rewrite changed only {share:.2} of its source's words"
        );
    }
    // Copies and syndicated edits change little (a trimmed tail, a few words, a sentence).
    assert!(mean("copy") < 0.15, "copy {}", mean("copy"));
    assert!(
        mean("syndicated") < 0.2,
        "syndicated {}",
        mean("syndicated")
    );
    assert!(mean("syndicated") > mean("copy"));
    // Partial reuse takes only a block: most of the source is not in it.
    assert!(mean("partial") > 0.4, "partial {}", mean("partial"));
}

/// The natural generator on a model of the invented sample sentences (the tests need nothing beside
/// the repository; the model of `../shared` is tested apart, ignored by default).
fn sample_generator() -> Generator {
    Generator::Natural(Arc::new(NewsModel::from_sentences(SAMPLE.iter().copied())))
}

fn natural_files(generator: &Generator, docs: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    let summary = write_corpus_with(
        &GenerateConfig { docs, seed },
        generator,
        &mut corpus,
        &mut truth,
    )
    .unwrap_or_default();
    assert_eq!(summary.docs, docs);
    (corpus, truth)
}

#[test]
fn natural_generator_is_deterministic_for_a_seed() {
    let generator = sample_generator();
    let a = natural_files(&generator, 120, 7);
    // A model built again from the same sentences writes the same bytes.
    let b = natural_files(&sample_generator(), 120, 7);
    assert!(a == b, "two natural runs with the same seed differ");
    let c = natural_files(&generator, 120, 8);
    assert_ne!(a.0, c.0);
    // It is not the easy generator's text.
    assert_ne!(a.0, files(120, 7).0);
}

#[test]
fn natural_truth_is_consistent() {
    let generator = sample_generator();
    for (docs, seed) in [(1, 1), (17, 5), (400, 11)] {
        let (corpus, truth) = natural_files(&generator, docs, seed);
        check_truth(docs, &corpus, &truth);
    }
    // Pairs stay within stories and cover each story; bodies are within their page.
    let all: Vec<GeneratedStory> =
        stories_with(&GenerateConfig { docs: 300, seed: 3 }, &generator).collect();
    let mut kinds = BTreeSet::new();
    for story in &all {
        let n = story.articles.len();
        assert_eq!(
            story.related_pairs.len() + story.independent_pairs.len(),
            n * (n - 1) / 2
        );
        let ids: BTreeSet<&str> = story.articles.iter().map(|a| a.id.as_str()).collect();
        for [a, b] in story.related_pairs.iter().chain(&story.independent_pairs) {
            assert!(ids.contains(a.as_str()) && ids.contains(b.as_str()));
        }
        for a in &story.articles {
            kinds.insert(a.kind);
            assert!(
                (SENTENCES.0..=SENTENCES.1).contains(&a.body_sentences),
                "{} has {} body sentences",
                a.id,
                a.body_sentences
            );
            // The body starts after the headline.
            assert!(a.body.len() > 200, "{}", a.id);
            assert!(
                a.text[..a.body.start].ends_with(&format!("{}\n\n", a.title)),
                "{}",
                a.id
            );
            // A derived article's source is in its story, or withheld.
            for source in &a.derived_from {
                assert!(
                    ids.contains(source.as_str()) || story.withheld.is_some(),
                    "{}: {source}",
                    a.id
                );
            }
        }
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}

#[test]
fn natural_spins_leave_names_and_quotes_and_change_words() {
    let generator = sample_generator();
    let all: Vec<GeneratedStory> =
        stories_with(&GenerateConfig { docs: 400, seed: 9 }, &generator).collect();
    let mut spun = Vec::new();
    for story in &all {
        let by_id: BTreeMap<&str, &crate::generate::GeneratedArticle> =
            story.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        for a in story.articles.iter().filter(|a| a.kind == "spun") {
            let Some(parent) = a.derived_from.first().and_then(|p| by_id.get(p.as_str())) else {
                continue;
            };
            spun.push(changed_share(&parent.text, &a.text));
            // Quotes are kept verbatim.
            let (pq, aq) = (quotes(&parent.text), quotes(&a.text));
            assert!(
                aq.iter().filter(|q| pq.contains(*q)).count() >= aq.len().min(1),
                "{}",
                a.id
            );
        }
    }
    assert!(spun.len() >= 10, "{} spun articles", spun.len());
    let mean = spun.iter().sum::<f64>() / spun.len() as f64;
    assert!(
        mean > 0.1,
        "spun rewrites changed {mean:.2} of their sources' words"
    );
}

#[test]
#[ignore = "needs ../shared/benchmarks (MRPC and METER showbiz) beside the repository"]
fn natural_generator_on_shared_news() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let model = NewsModel::load(&shared).unwrap_or_else(|e| panic!("{e}"));
    let generator = Generator::Natural(Arc::new(model));
    let (corpus, truth) = natural_files(&generator, 500, 4);
    check_truth(500, &corpus, &truth);
    assert!(natural_files(&generator, 500, 4) == (corpus, truth));
}
