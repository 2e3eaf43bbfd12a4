//! How often stock phrases recur between unrelated articles: the share of an article's 8-word
//! shingles that also occur in an article of another story. Independently drawn words (the easy
//! generator) give almost none; news gives some ("said in a statement on …"), and those shared
//! phrases are what makes candidate pairs between unrelated articles.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;

/// Words of a shingle.
pub const SHINGLE_WORDS: usize = 8;

/// Shingle recurrence of a set of texts grouped into stories.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recurrence {
    /// Texts measured (those with at least one shingle).
    pub texts: usize,
    /// Stories they belong to.
    pub stories: usize,
    /// Distinct shingles of all texts.
    pub shingles: usize,
    /// Mean over texts of the share of a text's distinct shingles found in a text of another story.
    pub mean_share: f64,
    /// The same share over all shingles of all texts pooled.
    pub pooled_share: f64,
    /// Share of texts with at least one shingle found in another story.
    pub texts_with_any: f64,
}

/// Lowercase words of a text (letters and digits; everything else separates).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(text: &str) -> Vec<u64> {
    let words = words(text);
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS)
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Measures `texts`, each given with the story it belongs to (texts of one story are related and
/// do not count for each other).
pub fn shingle_recurrence<'a>(texts: impl IntoIterator<Item = (u64, &'a str)>) -> Recurrence {
    /// The first story a shingle was seen in, and whether another story has it too.
    struct Seen {
        story: u64,
        several: bool,
    }
    let texts: Vec<(u64, Vec<u64>)> = texts
        .into_iter()
        .map(|(story, text)| (story, shingles(text)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let mut seen: HashMap<u64, Seen> = HashMap::new();
    for (story, shingles) in &texts {
        for &s in shingles {
            let entry = seen.entry(s).or_insert(Seen {
                story: *story,
                several: false,
            });
            entry.several |= entry.story != *story;
        }
    }
    let mut shares = 0.0;
    let (mut recurring, mut all, mut with_any) = (0usize, 0usize, 0usize);
    for (story, shingles) in &texts {
        let n = shingles
            .iter()
            .filter(|s| seen.get(s).is_some_and(|e| e.several || e.story != *story))
            .count();
        shares += n as f64 / shingles.len() as f64;
        recurring += n;
        all += shingles.len();
        with_any += usize::from(n > 0);
    }
    let mut stories: Vec<u64> = texts.iter().map(|t| t.0).collect();
    stories.sort_unstable();
    stories.dedup();
    let per = |a: f64, b: usize| if b > 0 { a / b as f64 } else { 0.0 };
    Recurrence {
        texts: texts.len(),
        stories: stories.len(),
        shingles: seen.len(),
        mean_share: per(shares, texts.len()),
        pooled_share: per(recurring as f64, all),
        texts_with_any: per(with_any as f64, texts.len()),
    }
}

/// Story numbers of `texts` with stories merged when two of their texts share at least
/// `min_shared` shingles: a block of reused text, not a stock phrase. For corpora whose grouping is
/// not by story (METER files a story under its catchline of the day, and the same story can come
/// back under another catchline or on another day). Shingles found in more than 100 texts are
/// phrases, not reuse, and are not counted.
pub fn merge_reused_stories(texts: &[(u64, &str)], min_shared: usize) -> Vec<u64> {
    let shingled: Vec<Vec<u64>> = texts.iter().map(|(_, t)| shingles(t)).collect();
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in shingled.iter().enumerate() {
        for &x in s {
            postings.entry(x).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for list in postings.values().filter(|l| l.len() <= 100) {
        for (k, &a) in list.iter().enumerate() {
            for &b in &list[k + 1..] {
                if texts[a].0 != texts[b].0 {
                    *shared.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    // Union-find over stories.
    let mut parent: HashMap<u64, u64> = texts.iter().map(|t| (t.0, t.0)).collect();
    fn root(parent: &mut HashMap<u64, u64>, mut x: u64) -> u64 {
        while let Some(&p) = parent.get(&x).filter(|&&p| p != x) {
            x = p;
        }
        x
    }
    let mut links: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&(_, n)| n >= min_shared)
        .map(|(pair, _)| pair)
        .collect();
    links.sort_unstable();
    for (a, b) in links {
        let (ra, rb) = (root(&mut parent, texts[a].0), root(&mut parent, texts[b].0));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    texts.iter().map(|t| root(&mut parent, t.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_stories_count() {
        let stock = "the company said in a statement on tuesday that it would";
        let a = format!("alpha beta gamma delta epsilon zeta eta theta iota {stock}");
        let b = format!("{stock} kappa lambda mu nu xi omicron pi rho");
        let c = "one two three four five six seven eight nine ten";
        // a and b are of different stories and share the stock phrase; c shares nothing.
        let r = shingle_recurrence([(1, a.as_str()), (2, b.as_str()), (3, c)]);
        assert_eq!((r.texts, r.stories), (3, 3));
        assert!(r.mean_share > 0.0 && r.mean_share < 0.5, "{r:?}");
        assert!((r.texts_with_any - 2.0 / 3.0).abs() < 1e-9, "{r:?}");
        // The same texts in one story: nothing recurs between unrelated texts.
        let same = shingle_recurrence([(1, a.as_str()), (1, b.as_str()), (1, c)]);
        assert_eq!(same.mean_share, 0.0);
        assert_eq!(same.texts_with_any, 0.0);
        // Case and punctuation do not matter.
        let upper = b.to_uppercase().replace(' ', ", ");
        let r = shingle_recurrence([(1, a.as_str()), (2, upper.as_str())]);
        assert!(r.texts_with_any == 1.0, "{r:?}");
    }

    #[test]
    fn stories_sharing_a_block_are_merged() {
        let block = "one two three four five six seven eight nine ten eleven twelve";
        let a = format!("alpha beta {block}");
        let b = format!("{block} gamma delta");
        let c = "the company said in a statement on tuesday that it would go";
        let d = "and the company said in a statement on tuesday that it would stay";
        let texts = [(1, a.as_str()), (2, b.as_str()), (3, c), (4, d)];
        // a and b share five shingles (a block), c and d three (a stock phrase).
        assert_eq!(merge_reused_stories(&texts, 5), vec![1, 1, 3, 4]);
        assert_eq!(merge_reused_stories(&texts, 3), vec![1, 1, 3, 3]);
    }
}
