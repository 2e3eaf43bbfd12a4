//! Fictional outlets and their page furniture.
//!
//! Each outlet has a kind (wire agency, newspaper, regional outlet, content farm, aggregator), which
//! decides which articles it publishes, and its own furniture: navigation menus, bylines, share bars,
//! newsletter and membership appeals, comment forms, copyright lines and "Read more" teasers of other
//! stories. The fixed lines are chosen once per outlet (from the seed), so the same lines recur on
//! hundreds of its pages, as they do on real sites; teasers and bylines change with each page.
//! Furniture is never derived text: the truth ignores it.

use crate::rng::Rng;
use crate::text::civil_from_days;
use crate::words::{FIRST_NAMES, LAST_NAMES};

/// What kind of outlet publishes an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutletKind {
    /// A news agency: writes originals, plain wire copy.
    Wire,
    /// A newspaper: syndicates wire copy with light edits, writes its own reports.
    Newspaper,
    /// A regional outlet or broadcaster: own reporting, sometimes reusing a block of wire copy.
    Regional,
    /// A content farm: spins other outlets' stories.
    Farm,
    /// An aggregator: republishes copies.
    Aggregator,
}

/// The outlets: name, kind, relative size within its kind.
const OUTLETS: &[(&str, OutletKind, u32)] = &[
    ("Northwire", OutletKind::Wire, 30),
    ("Meridian Press Agency", OutletKind::Wire, 20),
    ("Continental Wire Service", OutletKind::Wire, 15),
    ("Eastgate News Agency", OutletKind::Wire, 10),
    ("Polaris Wire", OutletKind::Wire, 8),
    ("Atlas Newswire", OutletKind::Wire, 6),
    ("Sorrbridge Courier", OutletKind::Newspaper, 20),
    ("The Halden Ledger", OutletKind::Newspaper, 16),
    ("Riverlands Today", OutletKind::Newspaper, 14),
    ("Eastmarch Gazette", OutletKind::Newspaper, 12),
    ("The Valley Herald", OutletKind::Newspaper, 12),
    ("Morning Sentinel", OutletKind::Newspaper, 10),
    ("The Coastal Observer", OutletKind::Newspaper, 9),
    ("Northgate Chronicle", OutletKind::Newspaper, 8),
    ("Lakeshore Post", OutletKind::Newspaper, 7),
    ("The Capital Record", OutletKind::Newspaper, 7),
    ("Westfield Examiner", OutletKind::Newspaper, 6),
    ("The Harbour Times", OutletKind::Newspaper, 5),
    ("Southern Star Ledger", OutletKind::Newspaper, 4),
    ("The Evening Tribune", OutletKind::Newspaper, 4),
    ("Velden Public Radio", OutletKind::Regional, 10),
    ("Halden Valley Dispatch", OutletKind::Regional, 8),
    ("Riverbend Community News", OutletKind::Regional, 6),
    ("Ostmark Local", OutletKind::Regional, 5),
    ("Highland Broadcast News", OutletKind::Regional, 5),
    ("Fenwick Weekly", OutletKind::Regional, 3),
    ("NewsPulse Hub", OutletKind::Farm, 12),
    ("DailyTrendz", OutletKind::Farm, 10),
    ("ViralNewsDesk", OutletKind::Farm, 8),
    ("InfoStream 24", OutletKind::Farm, 7),
    ("TopStory Now", OutletKind::Farm, 6),
    ("Trendwire Daily", OutletKind::Farm, 5),
    ("NewsFlash Central", OutletKind::Farm, 4),
    ("Newsline Digest", OutletKind::Aggregator, 10),
    ("Headline Hub", OutletKind::Aggregator, 8),
    ("AllTheNews Today", OutletKind::Aggregator, 6),
    ("Morning Roundup", OutletKind::Aggregator, 5),
];

const SECTIONS: &[&str] = &[
    "Home",
    "News",
    "World",
    "Business",
    "Sport",
    "Culture",
    "Opinion",
    "Local",
    "Politics",
    "Weather",
    "Tech",
    "Health",
    "Lifestyle",
    "Crypto",
    "Entertainment",
];
const NEWSLETTER: &[&str] = &[
    "Sign up for our morning briefing and get the day's top stories in your inbox.",
    "Get the {outlet} newsletter, delivered free every weekday morning.",
    "Subscribe to our newsletter for the latest updates.",
    "Never miss a story: sign up for {outlet} alerts.",
];
const MEMBERSHIP: &[&str] = &[
    "Support independent local journalism: become a member of {outlet} today for as little as $5 a month.",
    "Our reporting is funded by readers like you. Please consider making a donation to keep {outlet} free for everyone.",
    "Journalism like this takes time and money. Subscribe to {outlet} to read unlimited articles on any device.",
];
const FOLLOW: &[&str] = &[
    "Follow us on Facebook and Twitter for the latest news from the region.",
    "Follow {outlet} on social media for breaking news and updates.",
];
const CONTACT: &[&str] = &[
    "Have a story tip or spotted an error? Contact the newsroom at news@{domain}.",
    "Got a news tip? Send it to tips@{domain} or message us on WhatsApp.",
];
const COMMENT_FORM: &[&str] = &[
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Post Comment",
];
const COPYRIGHT: &[&str] = &[
    "© 2025 {outlet}. All rights reserved.",
    "Copyright 2025 {outlet}. This material may not be published, broadcast, rewritten or redistributed.",
    "© {outlet} 2025",
];
const SHARE: &[&str] = &[
    "Share this: Facebook | Twitter | WhatsApp | Email",
    "Share on Facebook   Share on Twitter   Share via Email",
    "Share: Twitter | Facebook | LinkedIn",
];
const DISCLAIMER: &[&str] = &[
    "This article was automatically generated from a syndicated feed and has not been edited by our staff.",
    "Disclaimer: The information in this article is for general purposes only and may not reflect the views of {outlet}.",
];
const TEASER_HEADINGS: &[&str] = &[
    "Read more",
    "Related stories",
    "You may also like",
    "More from {outlet}",
];

/// One piece of an outlet's furniture.
#[derive(Debug, Clone)]
enum Piece {
    /// The same line on every page.
    Line(String),
    /// "By `<reporter>`", a different reporter on each page.
    Byline,
    /// "By Admin / March 3, 2025 / 0 Comments", with the page's date.
    AdminByline,
    /// A teaser block: a heading, then two other stories' headlines and openings.
    Teasers(String),
}

/// An outlet.
#[derive(Debug, Clone)]
pub struct Outlet {
    /// Its name, as `publisher`.
    pub name: &'static str,
    /// Its web domain (`….example`).
    pub domain: String,
    /// Its kind.
    pub kind: OutletKind,
    /// Relative size within its kind.
    weight: u32,
    /// Furniture above the headline.
    header: Vec<Piece>,
    /// Furniture below the article.
    footer: Vec<Piece>,
    /// Whether it writes a "Read more: `<headline>`" line in the middle of its articles.
    pub inline_read_more: bool,
    /// Whether its headlines are in Title Case.
    pub title_case: bool,
}

/// Another story's headline and opening, for teasers.
pub struct Teaser {
    /// The headline.
    pub title: String,
    /// The first sentence, cut to 24 words ("…" marks the cut).
    pub lead: String,
}

fn fill(template: &str, name: &str, domain: &str) -> String {
    template
        .replace("{outlet}", name)
        .replace("{domain}", domain)
}

/// All outlets with their furniture, chosen from `rng`.
pub fn outlets(rng: &mut Rng) -> Vec<Outlet> {
    OUTLETS
        .iter()
        .map(|&(name, kind, weight)| {
            let domain: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
                + ".example";
            let line = |rng: &mut Rng, pool: &[&str]| {
                Piece::Line(fill(rng.pick(pool).copied().unwrap_or(""), name, &domain))
            };
            let nav = |rng: &mut Rng| {
                let mut sections: Vec<&str> = SECTIONS.to_vec();
                rng.shuffle(&mut sections[1..]);
                let n = rng.range(5, 8);
                let sep = if rng.chance(0.5) { " | " } else { "   " };
                Piece::Line(sections[..n].join(sep))
            };
            let mut header = Vec::new();
            let mut footer = Vec::new();
            let (p_nav, p_byline, p_share, p_teasers, p_comments) = match kind {
                OutletKind::Wire => (0.0, 0.0, 0.0, 0.0, 0.0),
                OutletKind::Newspaper => (0.8, 0.7, 0.5, 0.5, 0.35),
                OutletKind::Regional => (0.6, 0.6, 0.4, 0.4, 0.5),
                OutletKind::Farm => (1.0, 0.0, 1.0, 0.8, 0.8),
                OutletKind::Aggregator => (1.0, 0.0, 0.6, 0.7, 0.2),
            };
            if rng.chance(p_nav) {
                header.push(nav(rng));
            }
            if kind == OutletKind::Farm {
                header.push(Piece::Line(
                    rng.pick(&["Breaking News", "Trending Now", "Latest"])
                        .copied()
                        .unwrap_or("Latest")
                        .to_string(),
                ));
                header.push(Piece::AdminByline);
            }
            if rng.chance(p_byline) {
                header.push(Piece::Byline);
            }
            if rng.chance(p_share) {
                let share = line(rng, SHARE);
                if rng.chance(0.5) {
                    header.push(share);
                } else {
                    footer.push(share);
                }
            }
            if kind != OutletKind::Wire {
                for (p, pool) in [
                    (0.5, NEWSLETTER),
                    (0.3, MEMBERSHIP),
                    (0.3, FOLLOW),
                    (0.25, CONTACT),
                ] {
                    if rng.chance(p) {
                        footer.push(line(rng, pool));
                    }
                }
                if kind == OutletKind::Farm && rng.chance(0.4) {
                    footer.push(line(rng, DISCLAIMER));
                }
            }
            if rng.chance(p_teasers) {
                let heading = fill(
                    rng.pick(TEASER_HEADINGS).copied().unwrap_or("Read more"),
                    name,
                    &domain,
                );
                footer.push(Piece::Teasers(heading));
            }
            if rng.chance(p_comments) {
                for l in COMMENT_FORM {
                    footer.push(Piece::Line((*l).to_string()));
                }
            }
            if kind == OutletKind::Wire {
                if rng.chance(0.5) {
                    footer.push(line(rng, COPYRIGHT));
                }
            } else if rng.chance(0.7) {
                footer.push(line(rng, COPYRIGHT));
            }
            let inline_read_more =
                matches!(kind, OutletKind::Newspaper | OutletKind::Regional) && rng.chance(0.3);
            let title_case =
                matches!(kind, OutletKind::Farm | OutletKind::Aggregator) && rng.chance(0.7);
            Outlet {
                name,
                domain,
                kind,
                weight,
                header,
                footer,
                inline_read_more,
                title_case,
            }
        })
        .collect()
}

/// An outlet of the given kind, drawn by size.
pub fn pick_outlet(outlets: &[Outlet], kind: OutletKind, rng: &mut Rng) -> usize {
    let weights: Vec<u32> = outlets
        .iter()
        .map(|o| if o.kind == kind { o.weight } else { 0 })
        .collect();
    rng.weighted(&weights)
}

/// "March 3, 2025" for a day counted from 1970-01-01.
pub fn long_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{} {d}, {y}", stemma_graph::MONTHS[(m - 1) as usize])
}

impl Outlet {
    /// Writes the header furniture of one page (each line followed by a blank line).
    pub fn header(&self, day: i64, rng: &mut Rng, out: &mut String) {
        for piece in &self.header {
            match piece {
                Piece::Line(l) => out.push_str(l),
                Piece::Byline => {
                    let first = rng.pick(FIRST_NAMES).copied().unwrap_or("Mara");
                    let last = rng.pick(LAST_NAMES).copied().unwrap_or("Okonkwo");
                    out.push_str(&format!("By {first} {last}"));
                }
                Piece::AdminByline => {
                    out.push_str(&format!("By Admin / {} / 0 Comments", long_date(day)));
                }
                Piece::Teasers(_) => continue,
            }
            out.push_str("\n\n");
        }
    }

    /// Writes the footer furniture of one page (each line after a blank line); `teaser` gives other
    /// stories' headlines and openings.
    pub fn footer(
        &self,
        rng: &mut Rng,
        teaser: &mut dyn FnMut(&mut Rng) -> Teaser,
        out: &mut String,
    ) {
        for piece in &self.footer {
            out.push_str("\n\n");
            match piece {
                Piece::Line(l) => out.push_str(l),
                Piece::Teasers(heading) => {
                    out.push_str(heading);
                    for _ in 0..2 {
                        let t = teaser(rng);
                        out.push_str("\n\n");
                        out.push_str(&t.title);
                        out.push_str("\n\n");
                        out.push_str(&t.lead);
                    }
                }
                Piece::Byline | Piece::AdminByline => {}
            }
        }
    }
}

/// The first `words` words of a sentence, with "…" when cut.
pub fn excerpt(sentence: &str, words: usize) -> String {
    let all: Vec<&str> = sentence.split_whitespace().collect();
    if all.len() <= words {
        sentence.to_string()
    } else {
        format!("{} …", all[..words].join(" "))
    }
}

/// A headline in Title Case (short function words kept lowercase).
pub fn title_case(title: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "for", "by", "as",
    ];
    title
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w) {
                w.to_string()
            } else {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
