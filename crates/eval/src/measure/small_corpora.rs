//! A labelled corpus one event at a time, and a few of an event's pages at a time: how a link
//! decision does when the reports of an event are few.
//!
//! The hard-negative corpus (`tests/data/pressroom`) holds six events of eleven pages each; analysed
//! whole, every page shares narrative evidence with several others of its event, which is the
//! corpus context the learned decision weighs a pair against. A user's folder may hold three
//! reports of an event, or five. Each draw here is such a folder: `size` pages of one event,
//! analysed alone, its links scored against the truth's pairs among them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use stemma_graph::{AnalyzeOptions, Article, Decision, RelationOptions, analyze};

use crate::truth::{Truth, unordered};

/// Pages per draw, besides each event whole.
pub const SMALL_CORPUS_SIZES: [usize; 2] = [3, 5];

/// Draws per event and size: enough to meet most pairs of an event's eleven pages, few enough to
/// take about a second.
pub const DRAWS_PER_EVENT: usize = 8;

/// What one decision did on the draws of one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmallCorpusScore {
    /// Pages per draw; `None` for each event whole.
    pub size: Option<usize>,
    /// Folders analysed.
    pub draws: usize,
    /// Related pairs inside the draws, and how many were linked (a pair is counted once per draw
    /// it is in).
    pub related: usize,
    /// See `related`.
    pub related_linked: usize,
    /// Independent pairs inside the draws, and how many were linked.
    pub independent: usize,
    /// See `independent`.
    pub independent_linked: usize,
}

/// The event of a page: its id up to the first `-` (the pressroom's ids are `SLUG-role`).
fn event_of(id: &str) -> &str {
    id.split_once('-').map_or(id, |(event, _)| event)
}

/// `count` of `n` indices, drawn without replacement by a partial Fisher–Yates shuffle driven by a
/// xorshift generator: the same seed gives the same draw on every machine.
pub(crate) fn draw(n: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut order: Vec<usize> = (0..n).collect();
    for k in 0..count.min(n) {
        let pick = k + (next() % (n - k) as u64) as usize;
        order.swap(k, pick);
    }
    order.truncate(count.min(n));
    order.sort_unstable();
    order
}

/// Analyses every draw of `articles` (each event whole, then [`DRAWS_PER_EVENT`] draws of each of
/// [`SMALL_CORPUS_SIZES`] pages per event) with `decision`, scoring the links against `truth`.
/// Returns one score per size, each event whole first.
///
/// ```
/// use stemma_eval::{DRAWS_PER_EVENT, small_corpus_scores, Truth};
/// use stemma_graph::{Article, Decision};
///
/// let wire = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
///     about 4,000 people from villages downstream, provincial officials said. No deaths had been \
///     reported by mid-morning, but one man was missing after his car was swept off the river road.";
/// let articles = vec![
///     Article::new("flood-wire", wire),
///     Article::new("flood-copy", format!("Valley Courier\n\n{wire}")),
///     Article::new("flood-other", "The council approved a new budget for the harbour ferry."),
/// ];
/// let truth = Truth::parse(r#"{"articles": {"flood-wire": {}, "flood-copy": {"derived_from": ["flood-wire"]},
///     "flood-other": {}}, "derived_pairs": [["flood-wire", "flood-copy"]],
///     "related_pairs": [["flood-copy", "flood-wire"]],
///     "independent_pairs": [["flood-copy", "flood-other"], ["flood-other", "flood-wire"]]}"#).unwrap();
/// let scores = small_corpus_scores(&articles, &truth, Decision::Rules);
/// assert_eq!((scores[0].size, scores[0].related, scores[0].related_linked), (None, 1, 1));
/// assert_eq!(scores[1].draws, DRAWS_PER_EVENT);
/// ```
pub fn small_corpus_scores(
    articles: &[Article],
    truth: &Truth,
    decision: Decision,
) -> Vec<SmallCorpusScore> {
    let mut labels: BTreeMap<(String, String), bool> = BTreeMap::new();
    for (pairs, related) in [
        (&truth.related_pairs, true),
        (&truth.independent_pairs, false),
    ] {
        for [a, b] in pairs {
            labels.insert(unordered(a, b), related);
        }
    }
    let mut events: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for article in articles {
        events
            .entry(event_of(&article.id))
            .or_default()
            .push(article);
    }
    let options = AnalyzeOptions {
        relation: RelationOptions {
            decision,
            ..Default::default()
        },
        ..AnalyzeOptions::default()
    };
    let sizes = std::iter::once(None).chain(SMALL_CORPUS_SIZES.iter().map(|&s| Some(s)));
    sizes
        .map(|size| {
            let mut score = SmallCorpusScore {
                size,
                draws: 0,
                related: 0,
                related_linked: 0,
                independent: 0,
                independent_linked: 0,
            };
            for (e, pages) in events.values().enumerate() {
                let draws: Vec<Vec<usize>> = match size {
                    None => vec![(0..pages.len()).collect()],
                    Some(size) => (0..DRAWS_PER_EVENT)
                        .map(|d| draw(pages.len(), size, (e * 1000 + d * 10 + size) as u64))
                        .collect(),
                };
                for members in draws {
                    let folder: Vec<Article> = members.iter().map(|&k| pages[k].clone()).collect();
                    let analysis = analyze(folder, &options);
                    let id = |i: usize| analysis.articles[i].id.as_str();
                    let linked: BTreeSet<(String, String)> = analysis
                        .related_pairs()
                        .map(|p| unordered(id(p.a), id(p.b)))
                        .collect();
                    score.draws += 1;
                    for (x, &i) in members.iter().enumerate() {
                        for &j in &members[x + 1..] {
                            let pair = unordered(&pages[i].id, &pages[j].id);
                            let is_linked = usize::from(linked.contains(&pair));
                            match labels.get(&pair) {
                                Some(true) => {
                                    score.related += 1;
                                    score.related_linked += is_linked;
                                }
                                Some(false) => {
                                    score.independent += 1;
                                    score.independent_linked += is_linked;
                                }
                                None => {}
                            }
                        }
                    }
                }
            }
            score
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_is_sorted_distinct_and_repeatable() {
        for seed in 0..50 {
            let d = draw(11, 5, seed);
            assert_eq!(d.len(), 5);
            assert!(d.windows(2).all(|w| w[0] < w[1]), "{d:?}");
            assert!(d.iter().all(|&i| i < 11));
            assert_eq!(d, draw(11, 5, seed));
        }
        assert_eq!(draw(3, 5, 1), vec![0, 1, 2]);
        let distinct: BTreeSet<Vec<usize>> = (0..50).map(|s| draw(11, 3, s)).collect();
        assert!(distinct.len() > 30, "{}", distinct.len());
    }

    #[test]
    fn events_are_the_id_before_the_first_dash() {
        assert_eq!(event_of("busstrike-indep1"), "busstrike");
        assert_eq!(event_of("solo"), "solo");
    }
}
