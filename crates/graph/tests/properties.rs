//! Corpus-level invariants over random small corpora: copies, trims, reorderings and rewordings of a
//! few source stories, unrelated texts, some with publication times.

use std::collections::BTreeSet;

use proptest::prelude::*;
use stemma_graph::{AnalyzeOptions, CorpusAnalysis, analyze};
use stemma_graph::{Article, Precision, Sourced, Timestamp};
use stemma_graph::{Direction, Family, NodeKind, Scope};

const STORIES: [&[&str]; 3] = [
    &[
        "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of about 4,000 people from villages downstream.",
        "No deaths had been reported by mid-morning, but one man was missing after his car was swept off the river road.",
        "Governor Adela Varnick declared a state of emergency and asked the army to help move residents out of low-lying streets.",
        "Engineers had warned in a report last year that the spillway was too narrow for a flood of this size.",
        "The regional water board said it would open an inquiry once the level of the reservoir had fallen.",
        "Schools in the valley will stay closed until the end of the week, the education office said.",
    ],
    &[
        "Bus drivers in Marlow walked out on Tuesday after talks over pay broke down late on Monday night.",
        "The union says its members have not had a rise that keeps pace with prices for three years.",
        "Commuters queued for taxis outside the central station as the first services failed to run.",
        "The operator called the strike unnecessary and said its offer of six per cent remained on the table.",
        "A second walkout is planned for next month unless a new offer is made before the weekend.",
    ],
    &[
        "A former finance director was found guilty of fraud on Thursday after a six-week trial at the crown court.",
        "The jury heard that he moved more than two million pounds into accounts controlled by his brother.",
        "His lawyer told the court the money had been a loan that the company's board knew about.",
        "The judge said he would pass sentence next month and warned that a prison term was likely.",
        "Outside the court, former employees said they had lost their pensions when the firm collapsed.",
    ],
];

const SWAPS: [(&str, &str); 8] = [
    ("broke through", "burst"),
    ("early on", "in the early hours of"),
    ("said", "stated"),
    ("walked out", "went on strike"),
    ("found guilty", "convicted"),
    ("warned", "cautioned"),
    ("more than", "over"),
    ("asked", "requested"),
];

/// How one article of a random corpus is made.
#[derive(Debug, Clone)]
enum Make {
    /// Story `story`'s sentences in `keep` (indices, in this order), with `swaps` of [`SWAPS`] applied.
    Derived {
        story: usize,
        keep: Vec<usize>,
        swaps: Vec<usize>,
    },
    /// Words of no story.
    Unrelated(u64),
}

fn make() -> impl Strategy<Value = (Make, Option<u32>)> {
    let derived = (
        0..STORIES.len(),
        proptest::sample::subsequence((0..6).collect::<Vec<_>>(), 2..=5),
        any::<bool>(),
        proptest::collection::vec(0..SWAPS.len(), 0..4),
    )
        .prop_map(|(story, mut keep, reorder, swaps)| {
            keep.retain(|&k| k < STORIES[story].len());
            if reorder {
                keep.reverse();
            }
            Make::Derived { story, keep, swaps }
        });
    let made = prop_oneof![4 => derived, 1 => any::<u64>().prop_map(Make::Unrelated)];
    (made, proptest::option::of(0..72u32))
}

fn text_of(made: &Make) -> String {
    match made {
        Make::Derived { story, keep, swaps } => {
            let mut text = keep
                .iter()
                .map(|&k| STORIES[*story][k])
                .collect::<Vec<_>>()
                .join("\n\n");
            for &s in swaps {
                text = text.replace(SWAPS[s].0, SWAPS[s].1);
            }
            text
        }
        Make::Unrelated(seed) => {
            // Words of 512 made-up stems: texts that share no story and few words. Made-up words
            // weigh as rare as any word can, so over a small vocabulary (16 or 64 stems) two such
            // texts share many "rare" words, and the relation rules, run on all pairs, link some of
            // them while candidates (which need shared phrasing) rightly do not pair them.
            const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor"];
            let mut state = seed | 1;
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            (0..4)
                .map(|_| {
                    let words: Vec<String> = (0..10)
                        .map(|_| {
                            let x = next();
                            format!(
                                "{}{}{}",
                                SYLLABLES[(x % 8) as usize],
                                SYLLABLES[((x >> 8) % 8) as usize],
                                SYLLABLES[((x >> 16) % 8) as usize]
                            )
                        })
                        .collect();
                    format!("The {}.", words.join(" "))
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        }
    }
}

fn corpus() -> impl Strategy<Value = Vec<Article>> {
    proptest::collection::vec(make(), 2..7).prop_map(|made| {
        made.iter()
            .enumerate()
            .map(|(i, (m, hour))| {
                let mut article = Article::new(format!("a{i}"), text_of(m));
                article.published = hour.map(|h| {
                    Sourced::metadata(Timestamp::from_unix_millis(
                        1_700_000_000_000 + i64::from(h) * 3_600_000,
                        Precision::Minute,
                    ))
                });
                article
            })
            .collect()
    })
}

/// A family's member ids, sorted and joined by commas.
fn member_ids(analysis: &CorpusAnalysis, family: &Family) -> String {
    let mut members: Vec<&str> = family
        .members
        .iter()
        .map(|&m| analysis.articles[m].id.as_str())
        .collect();
    members.sort_unstable();
    members.join(",")
}

/// What a report says, by article id: related pairs with relation and score, edges, families.
fn summary(analysis: &CorpusAnalysis) -> (Vec<String>, Vec<String>, Vec<String>) {
    let id = |i: usize| analysis.articles[i].id.clone();
    let pairs = analysis
        .related_pairs()
        .map(|p| format!("{}~{} {:?} {}", id(p.a), id(p.b), p.relation, p.score))
        .collect();
    let graph = &analysis.derivation;
    let node = |n: usize| match &graph.node(n).kind {
        NodeKind::Article(i) => id(*i),
        NodeKind::MissingSource => format!("missing:{}", graph.node(n).id),
    };
    let mut edges: Vec<String> = graph
        .edges()
        .map(|e| {
            format!(
                "{}->{} {:?}",
                node(e.source),
                node(e.target),
                e.edge.direction
            )
        })
        .collect();
    edges.sort();
    let mut families: Vec<String> = analysis
        .derivation
        .families
        .iter()
        .map(|f| member_ids(analysis, f))
        .collect();
    families.sort();
    (pairs, edges, families)
}

/// The corpus analysed as given and reversed says the same.
fn same_report_reversed(
    articles: Vec<Article>,
    options: &AnalyzeOptions,
) -> Result<(), TestCaseError> {
    let mut reversed = articles.clone();
    reversed.reverse();
    prop_assert_eq!(
        summary(&analyze(articles, options)),
        summary(&analyze(reversed, options))
    );
    Ok(())
}

fn related(analysis: &CorpusAnalysis) -> BTreeSet<(usize, usize)> {
    analysis.related_pairs().map(|p| (p.a, p.b)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn input_order_does_not_change_the_report(articles in corpus()) {
        same_report_reversed(articles, &AnalyzeOptions::default())?;
    }

    #[test]
    fn input_order_does_not_change_the_learned_decision(articles in corpus()) {
        let options = AnalyzeOptions {
            relation: stemma_graph::RelationOptions {
                decision: stemma_graph::Decision::Learned,
                ..Default::default()
            },
            ..AnalyzeOptions::default()
        };
        same_report_reversed(articles, &options)?;
    }

    #[test]
    fn sources_against_targets_find_the_cross_pairs_of_the_whole_corpus(
        articles in corpus(),
        side_bits in any::<u8>(),
    ) {
        // Article i is a source when bit i is set: any split of the corpus in two.
        let sources: BTreeSet<String> = articles
            .iter()
            .enumerate()
            .filter(|(i, _)| side_bits >> i & 1 == 1)
            .map(|(_, a)| a.id.clone())
            .collect();
        let whole = analyze(articles.clone(), &AnalyzeOptions::default());
        let is_source = |a: &CorpusAnalysis, i: usize| sources.contains(&a.articles[i].id);
        let cross: BTreeSet<(usize, usize)> = related(&whole)
            .into_iter()
            .filter(|&(x, y)| is_source(&whole, x) != is_source(&whole, y))
            .collect();
        let scope = Scope::Across { sources: sources.clone() };
        let across = analyze(articles, &AnalyzeOptions { scope, ..AnalyzeOptions::default() });
        prop_assert_eq!(related(&across), cross);
        // Every edge between articles runs from a source to a target, unless times say otherwise.
        let graph = &across.derivation;
        for e in graph.edges() {
            if let (NodeKind::Article(x), NodeKind::Article(y)) = (&graph.node(e.source).kind, &graph.node(e.target).kind) {
                match e.edge.direction {
                    Direction::Declared => prop_assert!(is_source(&across, *x) && !is_source(&across, *y)),
                    Direction::Timestamp => {}
                    other => prop_assert!(false, "edge {x}->{y} directed by {other}"),
                }
            }
        }
    }

    #[test]
    fn candidates_lose_no_related_pair_of_all_pairs(articles in corpus()) {
        let candidates = analyze(articles.clone(), &AnalyzeOptions::default());
        let all = analyze(articles, &AnalyzeOptions { all_pairs: true, ..AnalyzeOptions::default() });
        prop_assert_eq!(related(&candidates), related(&all));
    }

    #[test]
    fn the_derivation_graph_is_consistent_with_the_pairs(articles in corpus()) {
        let analysis = analyze(articles, &AnalyzeOptions::default());
        let pairs = related(&analysis);
        let graph = &analysis.derivation;
        for e in graph.edges() {
            if let (NodeKind::Article(x), NodeKind::Article(y)) = (&graph.node(e.source).kind, &graph.node(e.target).kind) {
                let (x, y) = (*x, *y);
                prop_assert!(pairs.contains(&(x.min(y), x.max(y))), "edge {x}->{y} joins no related pair");
            }
        }
        for family in &analysis.derivation.families {
            // Connected through related pairs.
            let mut reached = BTreeSet::from([family.members[0]]);
            let mut frontier = vec![family.members[0]];
            while let Some(m) = frontier.pop() {
                for &(a, b) in &pairs {
                    let other = if a == m { b } else if b == m { a } else { continue };
                    if reached.insert(other) {
                        frontier.push(other);
                    }
                }
            }
            let members: BTreeSet<usize> = family.members.iter().copied().collect();
            prop_assert_eq!(reached, members);
            for &ms in &family.missing_sources {
                let children = graph.children(ms).count();
                prop_assert!(children >= 2, "a missing source with {children} children");
            }
        }
    }
}

/// Related pairs by id, with relation, score and probability; families by member ids.
fn by_id(analysis: &CorpusAnalysis) -> (BTreeSet<String>, BTreeSet<String>) {
    let id = |i: usize| analysis.articles[i].id.clone();
    let pairs = analysis
        .related_pairs()
        .map(|p| {
            format!(
                "{}~{} {:?} {} {}",
                id(p.a),
                id(p.b),
                p.relation,
                p.score,
                p.probability
            )
        })
        .collect();
    let families = analysis
        .derivation
        .families
        .iter()
        .map(|f| {
            format!(
                "{} missing:{}",
                member_ids(analysis, f),
                f.missing_sources.len()
            )
        })
        .collect();
    (pairs, families)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A distributed job analyses each connected part of the candidate pairs on its own, with the
    /// counts of the rest of the corpus: together the parts say what the whole corpus says. (Each
    /// part analysed alone, without the counts of the rest, fails this: its term weights differ.)
    #[test]
    fn connected_parts_analysed_apart_find_what_the_whole_corpus_finds(articles in corpus()) {
        use stemma_graph::{analyze_part, article_counts, CountTable, Silent};
        let options = AnalyzeOptions::default();
        let whole = analyze(articles.clone(), &AnalyzeOptions { keep_unrelated: true, ..options.clone() });
        // Parts: connected components of the aligned (candidate) pairs, by union-find.
        let n = whole.articles.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while parent[r] != r { r = parent[r]; }
            parent[x] = r;
            r
        }
        for p in &whole.pairs {
            let (a, b) = (root(&mut parent, p.a), root(&mut parent, p.b));
            parent[a.max(b)] = a.min(b);
        }
        let part_of: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
        let expected = by_id(&analyze(articles.clone(), &options));
        let (mut pairs, mut families) = (BTreeSet::new(), BTreeSet::new());
        for part in part_of.iter().copied().collect::<BTreeSet<usize>>() {
            let in_part = |a: &Article| {
                let i = whole.articles.iter().position(|x| x.id == a.id).expect("an article of the corpus");
                part_of[i] == part
            };
            let (inside, rest): (Vec<Article>, Vec<Article>) = articles.iter().cloned().partition(in_part);
            let mut counts = CountTable::default();
            for c in article_counts(rest, &CountTable::default(), &options) {
                counts.add(&c);
            }
            let found = by_id(&analyze_part(inside, &counts, &options, &Silent));
            pairs.extend(found.0);
            families.extend(found.1);
        }
        prop_assert_eq!((pairs, families), expected);
    }
}
