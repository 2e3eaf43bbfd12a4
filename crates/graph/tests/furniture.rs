//! Text that recurs across a corpus: a story syndicated word for word by many outlets stays the
//! evidence of reuse, while a footer repeated beside a different story on every page is furniture.

use stemma_graph::Article;
use stemma_graph::{AnalyzeOptions, analyze};

const WIRE: &str = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation \
of about 4,000 people from villages downstream, provincial officials said.\n\nNo deaths had been \
reported by mid-morning, but one man was missing after his car was swept off the river road near \
the village of Orrin Ford.\n\nGovernor Adela Varnick declared a state of emergency for the valley \
and said the army had been asked to help move residents out of low-lying streets.\n\nEngineers had \
warned in a report last year that the spillway was too narrow for a flood of this size, according \
to documents seen by local reporters.\n\nThe regional water board said it would open an inquiry \
once the level of the reservoir had fallen.";

/// A deterministic text of `sentences` sentences from a small vocabulary, different for each seed:
/// pages of stories that share no telling.
fn unrelated_story(seed: u64, sentences: usize) -> String {
    const WORDS: [&str; 48] = [
        "council",
        "harbour",
        "budget",
        "festival",
        "orchestra",
        "tram",
        "library",
        "vineyard",
        "glacier",
        "senate",
        "bakery",
        "stadium",
        "archive",
        "ferry",
        "museum",
        "quarry",
        "pension",
        "clinic",
        "tunnel",
        "market",
        "choir",
        "airline",
        "theatre",
        "reef",
        "opened",
        "delayed",
        "approved",
        "doubled",
        "rejected",
        "closed",
        "expanded",
        "sold",
        "yesterday",
        "quietly",
        "again",
        "finally",
        "locally",
        "abroad",
        "twice",
        "slowly",
        "northern",
        "coastal",
        "ancient",
        "modern",
        "rural",
        "private",
        "public",
        "famous",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        WORDS[(state % WORDS.len() as u64) as usize]
    };
    (0..sentences)
        .map(|_| {
            let words: Vec<&str> = (0..12).map(|_| next()).collect();
            format!("The {}.", words.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn a_story_syndicated_by_many_outlets_stays_body_text() {
    let mut articles = vec![Article::new("wire", WIRE)];
    for n in 1..=24 {
        // Each outlet's own header line: the recurring block is the bulk of every page.
        let page = format!("The Valley Courier, edition {n}\n\n{WIRE}");
        articles.push(Article::new(format!("outlet{n:02}"), page));
    }
    for n in 0..6 {
        articles.push(Article::new(format!("other{n}"), unrelated_story(n, 6)));
    }
    let analysis = analyze(articles, &AnalyzeOptions::default());
    assert_eq!(
        analysis.stats.repeated_lines, 0,
        "the story was read as furniture"
    );
    let wire = analysis
        .articles
        .iter()
        .position(|a| a.id == "wire")
        .expect("wire");
    let wire_links = analysis
        .related_pairs()
        .filter(|p| p.a == wire || p.b == wire)
        .count();
    assert_eq!(wire_links, 24, "the wire is linked to every copy");
    // 25 texts of one story: every pair of them, and nothing with the other stories.
    assert_eq!(analysis.related_pairs().count(), 25 * 24 / 2);
    // Every copy is the same relation to the wire, however many copies there are.
    let relations: std::collections::BTreeSet<_> = analysis
        .related_pairs()
        .filter(|p| p.a == wire || p.b == wire)
        .map(|p| p.relation)
        .collect();
    assert_eq!(relations.len(), 1, "{relations:?}");
}

#[test]
fn a_footer_repeated_beside_different_stories_is_furniture() {
    let footer = "Sign up to the Valley Courier newsletter for the latest local news and the \
                  weekend's sport, delivered to your inbox every morning before seven.\n\n\
                  The Valley Courier is a member of the independent press standards body and \
                  follows its editors' code of practice in everything it publishes.";
    let articles: Vec<Article> = (0..30)
        .map(|n| {
            Article::new(
                format!("page{n:02}"),
                format!("{}\n\n{footer}", unrelated_story(100 + n, 8)),
            )
        })
        .collect();
    let analysis = analyze(articles, &AnalyzeOptions::default());
    assert_eq!(
        analysis.stats.repeated_lines, 60,
        "both footer sentences on 30 pages"
    );
    assert_eq!(
        analysis.related_pairs().count(),
        0,
        "pages linked by their footer"
    );
}

#[test]
fn a_page_that_is_all_furniture_is_reported() {
    let footer = "Sign up to the Valley Courier newsletter for the latest local news and the \
                  weekend's sport, delivered to your inbox every morning before seven.";
    let mut articles: Vec<Article> = (0..24)
        .map(|n| {
            Article::new(
                format!("page{n:02}"),
                format!("{}\n\n{footer}", unrelated_story(200 + n, 8)),
            )
        })
        .collect();
    articles.push(Article::new("only-footer", footer));
    let analysis = analyze(articles, &AnalyzeOptions::default());
    let said: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        said,
        [
            "only-footer: all 1 of its lines read as page furniture (menus, notices, headlines, \
          lines repeated on many pages): it is compared with nothing"
        ]
    );
}

#[test]
fn partners_beyond_the_limit_are_not_aligned_and_said() {
    let mut articles = vec![Article::new("wire", WIRE)];
    for n in 1..=9 {
        articles.push(Article::new(
            format!("copy{n}"),
            format!("Edition {n}\n\n{WIRE}"),
        ));
    }
    let mut options = AnalyzeOptions::default();
    options.candidates.max_partners_per_document = 4;
    let analysis = analyze(articles, &options);
    assert!(
        analysis.stats.aligned_pairs <= 10 * 4 / 2,
        "{:?}",
        analysis.stats
    );
    assert_eq!(analysis.diagnostics.len(), 10, "{:?}", analysis.diagnostics);
    assert!(
        analysis.diagnostics[0]
            .to_string()
            .starts_with("copy1: shares text with 9 articles; only the 4"),
        "{}",
        analysis.diagnostics[0]
    );
}
