//! Invariants of similarity, alignment and diff over generated text.

use proptest::prelude::*;
use stemma_align::Vocabulary;
use stemma_align::{AlignOptions, PreparedDocument, align, align_prepared};
use stemma_align::{Bag, Scorer, SimilarityParams, TermWeights};

const WORDS: &[&str] = &[
    "the",
    "governor",
    "said",
    "villages",
    "were",
    "evacuated",
    "after",
    "heavy",
    "shelling",
    "near",
    "border",
    "Gladkov",
    "Russia",
    "attackers",
    "assailants",
    "killed",
    "eliminated",
    "70",
    "seventy",
    "on",
    "Monday",
    "residents",
    "homes",
    "returned",
    "army",
    "claimed",
    "defence",
    "defense",
    "ministry",
    "drones",
    "struck",
    "buildings",
    "“",
    "”",
    ",",
    "Mr.",
    "U.S.",
    "reported",
    "wounded",
    "injured",
    "hurt",
    "slain",
    "murdered",
    "stated",
    "huge",
    "large",
    "big",
    "hit",
];

/// Sentences built from news-like words, some capitalised, each ending with a full stop.
fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..14).prop_map(|words| {
        let mut s = words.join(" ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s.push('.');
        s
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..12).prop_map(|sentences| {
        sentences
            .chunks(3)
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn similarity_is_symmetric_bounded_and_one_on_identity(a in sentence(), b in sentence()) {
        let mut vocab = Vocabulary::new();
        let da = vocab.document("a", a);
        let db = vocab.document("b", b);
        let weights = TermWeights::background(&vocab);
        let scorer = Scorer::new(&vocab, SimilarityParams::default());
        let bag = |d: &stemma_align::Document| {
            Bag::new(d.sentences.iter().flat_map(|s| s.tokens.iter()), &weights)
        };
        let (ba, bb) = (bag(&da), bag(&db));
        let ab = scorer.overlap(&ba, &bb);
        let ba_ = scorer.overlap(&bb, &ba);
        prop_assert_eq!(ab.similarity, ba_.similarity);
        prop_assert!((0.0..=1.0).contains(&ab.similarity));
        prop_assert_eq!(ab.recall_a, ba_.recall_b);
        if !ba.is_empty() {
            let own = scorer.overlap(&ba, &ba);
            prop_assert!((own.similarity - 1.0).abs() < 1e-9, "self similarity {}", own.similarity);
        }
    }

    #[test]
    fn overlap_bound_is_never_below_the_overlap(
        a in sentence(),
        b in sentence(),
        c in sentence(),
        synonym in 0.0f32..1.2,
        related in 0.0f32..1.2,
        use_thesaurus in any::<bool>(),
        stop_word_weight in prop::sample::select(&[0.0f32, 1.5][..]),
    ) {
        let mut vocab = Vocabulary::new();
        let da = vocab.document("a", a);
        let db = vocab.document("b", b);
        let dc = vocab.document("c", c);
        let weights = TermWeights::background(&vocab);
        let params = SimilarityParams { synonym, related, use_thesaurus, stop_word_weight };
        let scorer = Scorer::new(&vocab, params);
        let tokens = |d: &stemma_align::Document| -> Vec<stemma_align::Token> {
            d.sentences.iter().flat_map(|s| s.tokens.iter().cloned()).collect()
        };
        let (ta, tb, tc) = (tokens(&da), tokens(&db), tokens(&dc));
        // Indexed bags (as the aligner builds them), a merged pair of them, and bags without an index.
        let indexed = [scorer.bag(&ta, &weights), scorer.bag(&tb, &weights), scorer.bag(&tc, &weights)];
        let merged = indexed[1].concat(&indexed[2]);
        let plain = [
            Bag::with_stop_words(&ta, &weights, stop_word_weight),
            Bag::with_stop_words(&tb, &weights, stop_word_weight),
        ];
        for (x, y) in [
            (&indexed[0], &indexed[1]),
            (&indexed[1], &indexed[0]),
            (&indexed[0], &merged),
            (&merged, &indexed[0]),
            (&plain[0], &plain[1]),
            (&indexed[0], &plain[1]),
            (&indexed[0], &indexed[0]),
        ] {
            let overlap = scorer.overlap(x, y);
            let bound = scorer.overlap_bound(x, y);
            prop_assert!(bound.similarity >= overlap.similarity, "{:?} < {:?}", bound, overlap);
            prop_assert!(bound.narrative_similarity >= overlap.narrative_similarity, "{:?} < {:?}", bound, overlap);
            prop_assert!(bound.similarity <= 1.0 && bound.narrative_similarity <= 1.0);
        }
    }

    #[test]
    fn self_alignment_covers_all_body_text(t in text()) {
        let c = stemma_align::compare("a", &t, "b", &t);
        if c.a.body_len() > 0 {
            prop_assert!((c.alignment.coverage_a - 1.0).abs() < 1e-9, "coverage {}", c.alignment.coverage_a);
            prop_assert!((c.alignment.coverage_b - 1.0).abs() < 1e-9);
        }
        for g in &c.alignment.groups {
            prop_assert!(g.score > 0.0 && g.score <= 1.0);
        }
    }

    #[test]
    fn swapping_the_arguments_swaps_the_sides(a in text(), b in text()) {
        let mut vocab = Vocabulary::new();
        let da = vocab.document("a", a);
        let db = vocab.document("b", b);
        let weights = TermWeights::background(&vocab);
        let scorer = Scorer::new(&vocab, SimilarityParams::default());
        let options = AlignOptions::default();
        let ab = align(&da, &db, &weights, &scorer, &options);
        let ba = align(&db, &da, &weights, &scorer, &options);
        prop_assert_eq!(ab.swapped(), ba);
    }

    #[test]
    fn prepared_documents_align_as_plain_ones(a in text(), b in text()) {
        let mut vocab = Vocabulary::new();
        let da = vocab.document("a", a);
        let db = vocab.document("b", b);
        let weights = TermWeights::background(&vocab);
        let scorer = Scorer::new(&vocab, SimilarityParams::default());
        let options = AlignOptions::default();
        let pa = PreparedDocument::new(&da, &weights, &scorer);
        let pb = PreparedDocument::new(&db, &weights, &scorer);
        prop_assert_eq!(align_prepared(&pa, &pb, &scorer, &options), align(&da, &db, &weights, &scorer, &options));
        prop_assert_eq!(align_prepared(&pb, &pa, &scorer, &options), align(&db, &da, &weights, &scorer, &options));
    }

    #[test]
    fn groups_are_disjoint_and_in_bounds(a in text(), b in text()) {
        let c = stemma_align::compare("a", &a, "b", &b);
        let mut used_a = vec![false; c.a.sentences.len()];
        let mut used_b = vec![false; c.b.sentences.len()];
        for g in &c.alignment.groups {
            prop_assert!(!g.a.is_empty() && !g.b.is_empty());
            prop_assert!(g.a.len() <= 2 && g.b.len() <= 2);
            for i in g.a.clone() {
                prop_assert!(i < used_a.len() && !used_a[i]);
                used_a[i] = true;
                prop_assert!(c.a.is_body(i));
            }
            for j in g.b.clone() {
                prop_assert!(j < used_b.len() && !used_b[j]);
                used_b[j] = true;
                prop_assert!(c.b.is_body(j));
            }
        }
        prop_assert!((0.0..=1.0).contains(&c.alignment.coverage_a));
        prop_assert!((0.0..=1.0).contains(&c.alignment.coverage_b));
    }

    #[test]
    fn verbatim_twins_align_with_each_other(sentences in prop::collection::vec(sentence(), 1..12), seed in any::<u64>()) {
        // B is A's sentences in another order: every sentence found once in each text must face its
        // own twin, however the order was changed.
        let mut shuffled = sentences.clone();
        let mut state = seed | 1;
        for k in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(k, (state % (k as u64 + 1)) as usize);
        }
        let c = stemma_align::compare("a", &sentences.join(" "), "b", &shuffled.join(" "));
        type Words = Vec<(u32, stemma_align::TokenKind, bool)>;
        let words = |d: &stemma_align::Document, i: usize| -> Words {
            d.sentences[i].content().map(|t| (t.term.as_u32(), t.kind, t.quoted)).collect()
        };
        let key_a: Vec<Words> = (0..c.a.sentences.len()).map(|i| words(&c.a, i)).collect();
        let key_b: Vec<Words> = (0..c.b.sentences.len()).map(|j| words(&c.b, j)).collect();
        for (i, key) in key_a.iter().enumerate() {
            let in_b: Vec<usize> = (0..key_b.len()).filter(|&j| &key_b[j] == key).collect();
            let once_in_a = key_a.iter().filter(|k| *k == key).count() == 1;
            if key.is_empty() || !once_in_a || in_b.len() != 1 || !c.a.is_body(i) || !c.b.is_body(in_b[0]) {
                continue;
            }
            let j = in_b[0];
            prop_assert!(
                c.alignment.groups.iter().any(|g| g.a == (i..i + 1) && g.b == (j..j + 1)),
                "sentence {} of A is not aligned with its twin {} of B: {:?}", i, j, c.alignment.groups
            );
        }
    }
}
