//! Rewrite operators: what newspapers, aggregators and content farms do to a text they take.
//!
//! Each operator works on a list of [`Sentence`]s and keeps their units (see [`crate::text`]):
//! a swapped word keeps the sentence's unit, a split gives both halves the unit, a merge joins both
//! units, a dropped sentence takes its unit away, an added sentence brings a new one. Names, numbers
//! and quotes ([`Kind::Fixed`], [`Kind::Quote`]) are never touched, as spinners leave them alone.

use crate::rng::Rng;
use crate::text::{Kind, Sentence, Text, Tok};
use std::borrow::Cow;

use crate::words::{Lexicon, PADDING};

/// Where a spinner's synonyms come from.
#[derive(Clone, Copy)]
pub struct Thesaurus<'a> {
    /// The vocabulary and its WordNet classes.
    pub lex: &'a Lexicon,
    /// Only words the scorer's table does not link to the one replaced
    /// ([`Lexicon::unlinked_synonym`]; the natural generator), rather than WordNet's own classes
    /// (the easy generator, whose every swap the scorer knows).
    pub unlinked: bool,
}

impl Thesaurus<'_> {
    /// A replacement for a content word (`related_share`: see [`Lexicon::synonym`]).
    fn synonym(&self, word: &str, related_share: f64, rng: &mut Rng) -> Option<Cow<'static, str>> {
        if self.unlinked {
            self.lex.unlinked_synonym(word, rng)
        } else {
            self.lex.synonym(word, related_share, rng)
        }
    }

    /// A stock replacement for a function word.
    fn swap(&self, word: &str, rng: &mut Rng) -> Option<&'static str> {
        let new = self.lex.swap(word, rng)?;
        (!self.unlinked || !crate::words::scorer_links(word, new)).then_some(new)
    }
}

/// Share of WordNet swaps taken from a class one hop away (a hypernym or a "similar" word) rather
/// than from the word's own class: spinners' thesauri are looser than synonym sets.
pub const RELATED_SHARE: f64 = 0.2;

/// Conjunctions a split cuts at and a merge joins with.
const JOINS: &[&str] = &[
    "and", "but", "while", "which", "as", "after", "although", "so",
];

/// Replaces about `share` of the content words (those the thesaurus knows) with synonyms, and some
/// function words with a spinner's phrases ("about" → "approximately"). Returns (content words
/// changed, content words in all).
pub fn spin_words(
    sentences: &mut [Sentence],
    share: f64,
    thesaurus: Thesaurus<'_>,
    rng: &mut Rng,
) -> (usize, usize) {
    let mut positions: Vec<(usize, usize)> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        for (j, t) in s.toks.iter().enumerate() {
            if t.kind == Kind::Word {
                positions.push((i, j));
            }
        }
    }
    let total = positions.len();
    let wanted = (share * total as f64).round() as usize;
    rng.shuffle(&mut positions);
    let mut changed = 0;
    for (i, j) in positions {
        if changed >= wanted {
            break;
        }
        let tok = &mut sentences[i].toks[j];
        if let Some(new) = thesaurus.synonym(tok.text.as_str(), RELATED_SHARE, rng) {
            tok.text = Text::from_cow(new);
            changed += 1;
        }
    }
    // Function words: a third of those with a stock replacement.
    for s in sentences.iter_mut() {
        for t in &mut s.toks {
            if t.kind == Kind::Stop && rng.chance(0.3) {
                if let Some(new) = thesaurus.swap(t.text.as_str(), rng) {
                    t.text = Text::Static(new);
                }
            }
        }
    }
    (changed, total)
}

/// `n` small edits of a copy editor, each in a random sentence: a word swapped for a synonym, a
/// content word deleted, or one inserted. Returns how many were made.
pub fn word_edits(
    sentences: &mut [Sentence],
    n: usize,
    thesaurus: Thesaurus<'_>,
    rng: &mut Rng,
) -> usize {
    let mut made = 0;
    for _ in 0..n * 4 {
        if made >= n || sentences.is_empty() {
            break;
        }
        let i = rng.below(sentences.len());
        let s = &mut sentences[i];
        let words: Vec<usize> = (0..s.toks.len())
            .filter(|&j| s.toks[j].kind == Kind::Word)
            .collect();
        let Some(&j) = rng.pick(&words) else { continue };
        match rng.below(4) {
            0 | 1 => {
                if let Some(new) = thesaurus.synonym(s.toks[j].text.as_str(), 0.1, rng) {
                    s.toks[j].text = Text::from_cow(new);
                    made += 1;
                }
            }
            2 if words.len() > 4 => {
                s.toks.remove(j);
                made += 1;
            }
            _ => {
                s.toks.insert(j, Tok::word(thesaurus.lex.content_word(rng)));
                made += 1;
            }
        }
    }
    made
}

/// Drops `k` sentences, never the first; returns how many were dropped.
pub fn drop_sentences(sentences: &mut Vec<Sentence>, k: usize, rng: &mut Rng) -> usize {
    let mut dropped = 0;
    for _ in 0..k {
        if sentences.len() < 3 {
            break;
        }
        let i = rng.range(1, sentences.len() - 1);
        let para = sentences[i].para;
        sentences.remove(i);
        if para {
            if let Some(next) = sentences.get_mut(i) {
                next.para = true;
            }
        }
        dropped += 1;
    }
    dropped
}

/// Drops the last `k` sentences (a trimmed copy), keeping at least `keep`.
pub fn trim_tail(sentences: &mut Vec<Sentence>, k: usize, keep: usize) {
    let len = sentences
        .len()
        .saturating_sub(k)
        .max(keep)
        .min(sentences.len());
    sentences.truncate(len);
}

/// Inserts new sentences, each at a random place after the first (as its own paragraph or not).
pub fn insert_sentences(sentences: &mut Vec<Sentence>, new: Vec<Sentence>, rng: &mut Rng) {
    for mut s in new {
        let at = rng.range(1, sentences.len());
        s.para = rng.chance(0.5) || at == sentences.len();
        sentences.insert(at, s);
    }
}

/// Swaps two adjacent sentences after the first.
pub fn swap_adjacent(sentences: &mut [Sentence], rng: &mut Rng) {
    if sentences.len() >= 4 {
        let i = rng.range(1, sentences.len() - 2);
        let (a, b) = (sentences[i].para, sentences[i + 1].para);
        sentences.swap(i, i + 1);
        sentences[i].para = a;
        sentences[i + 1].para = b;
    }
}

/// Moves one paragraph (not the first) to another place, as rewriters move the background up.
pub fn move_paragraph(sentences: &mut Vec<Sentence>, rng: &mut Rng) {
    let starts: Vec<usize> = (1..sentences.len())
        .filter(|&i| sentences[i].para)
        .collect();
    if starts.len() < 3 {
        return;
    }
    let k = rng.below(starts.len());
    let from = starts[k];
    let to_end = starts.get(k + 1).copied().unwrap_or(sentences.len());
    let block: Vec<Sentence> = sentences.drain(from..to_end).collect();
    let targets: Vec<usize> = (1..sentences.len())
        .filter(|&i| sentences[i].para && i != from)
        .collect();
    let at = rng.pick(&targets).copied().unwrap_or(1);
    for (n, s) in block.into_iter().enumerate() {
        sentences.insert(at + n, s);
    }
}

/// Splits sentence `s` in two at a clause boundary (", and …", or a conjunction in its middle third);
/// `None` for a quote sentence or one too short.
fn split_one(s: &Sentence) -> Option<(Sentence, Sentence)> {
    if s.quote.is_some() || s.toks.len() < 12 {
        return None;
    }
    let n = s.toks.len();
    let at_conj = |i: usize| {
        matches!(s.toks[i].kind, Kind::Stop | Kind::Word)
            && JOINS.contains(&s.toks[i].text.as_str())
    };
    let (first_end, second_start) =
        if let Some(i) = (4..n - 5).find(|&i| s.toks[i].kind == Kind::Comma && at_conj(i + 1)) {
            (i, i + 2)
        } else if let Some(i) = (n / 3..2 * n / 3).find(|&i| at_conj(i)) {
            (i, i + 1)
        } else {
            let i = (n / 3..2 * n / 3).find(|&i| s.toks[i].kind == Kind::Stop)?;
            (i, i)
        };
    let mut first: Vec<Tok> = s.toks[..first_end].to_vec();
    while first
        .last()
        .is_some_and(|t| matches!(t.kind, Kind::Stop | Kind::Comma))
    {
        first.pop();
    }
    let second: Vec<Tok> = s.toks[second_start..].to_vec();
    if first.len() < 4 || second.len() < 4 {
        return None;
    }
    let a = Sentence {
        toks: first,
        end: ".",
        units: s.units.clone(),
        quote: None,
        padded: false,
        para: s.para,
    };
    let b = Sentence {
        toks: second,
        end: s.end,
        units: s.units.clone(),
        quote: None,
        padded: false,
        para: false,
    };
    Some((a, b))
}

/// Splits up to `k` sentences in two; returns how many were split.
pub fn split(sentences: &mut Vec<Sentence>, k: usize, rng: &mut Rng) -> usize {
    let mut done = 0;
    for _ in 0..k * 3 {
        if done >= k {
            break;
        }
        let i = rng.below(sentences.len());
        if let Some((a, b)) = split_one(&sentences[i]) {
            sentences[i] = a;
            sentences.insert(i + 1, b);
            done += 1;
        }
    }
    done
}

/// Merges up to `k` pairs of adjacent narrative sentences into one (", and …"); returns how many.
pub fn merge(sentences: &mut Vec<Sentence>, k: usize, rng: &mut Rng) -> usize {
    let mut done = 0;
    for _ in 0..k * 3 {
        if done >= k || sentences.len() < 3 {
            break;
        }
        let i = rng.range(1, sentences.len() - 2);
        let (a, b) = (&sentences[i], &sentences[i + 1]);
        if a.quote.is_some() || b.quote.is_some() || a.toks.len() + b.toks.len() > 48 {
            continue;
        }
        let b = sentences.remove(i + 1);
        let a = &mut sentences[i];
        a.toks.push(Tok::comma());
        let join = rng.pick(JOINS).copied().unwrap_or("and");
        a.toks.push(if stemma_align::is_stop_word(join) {
            Tok::stop(join)
        } else {
            Tok::word(join)
        });
        a.toks.extend(b.toks);
        a.end = b.end;
        for u in b.units {
            if !a.units.contains(&u) {
                a.units.push(u);
            }
        }
        done += 1;
    }
    done
}

/// Puts a padding phrase ("It is worth noting that", "Notably,") in front of `k` narrative sentences.
pub fn pad(sentences: &mut [Sentence], k: usize, rng: &mut Rng) {
    for _ in 0..k {
        if sentences.len() < 2 {
            return;
        }
        let i = rng.range(1, sentences.len() - 1);
        let s = &mut sentences[i];
        if s.quote.is_some() || s.padded || s.toks.first().is_some_and(|t| t.kind == Kind::Quote) {
            continue;
        }
        s.padded = true;
        let phrase = rng.pick(PADDING).copied().unwrap_or("Notably,");
        let mut toks = Tok::phrase(phrase);
        toks.append(&mut s.toks);
        s.toks = toks;
    }
}

/// Spins a headline: about half of its lowercase words swapped for synonyms.
pub fn spin_title(title: &str, share: f64, thesaurus: Thesaurus<'_>, rng: &mut Rng) -> String {
    title
        .split(' ')
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii_lowercase()) && rng.chance(share) {
                thesaurus
                    .synonym(w, RELATED_SHARE, rng)
                    .map_or_else(|| w.to_string(), |s| s.into_owned())
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that open a subordinate clause a rewriter may drop (", which …", ", while …").
const DROPPABLE: &[&str] = &[
    "which", "while", "although", "after", "who", "as", "because",
];

fn is_said(t: &Tok) -> bool {
    matches!(t.text.as_str(), "said" | "says" | "added" | "told")
}

/// Reorders the clauses of up to `k` narrative sentences, as paraphrasers do and no thesaurus
/// undoes: an opening phrase moves to the end ("In Karsby, police said …" → "Police said … in
/// Karsby"), a closing attribution to the front ("…, Okonkwo said" → "Okonkwo said …"), or the two
/// halves of "A, and B" swap. Returns how many were reordered.
pub fn reorder_clauses(sentences: &mut [Sentence], k: usize, rng: &mut Rng) -> usize {
    let mut done = 0;
    for _ in 0..k * 4 {
        if done >= k || sentences.is_empty() {
            break;
        }
        let s = &mut sentences[rng.below(sentences.len())];
        let n = s.toks.len();
        if s.quote.is_some() || n < 8 || s.toks.iter().any(|t| t.kind == Kind::Quote) {
            continue;
        }
        let commas: Vec<usize> = (1..n - 1)
            .filter(|&i| s.toks[i].kind == Kind::Comma)
            .collect();
        let (Some(&first), Some(&last)) = (commas.first(), commas.last()) else {
            continue;
        };
        let toks = std::mem::take(&mut s.toks);
        let tail = &toks[last + 1..];
        s.toks = if tail.len() <= 4 && tail.iter().any(is_said) {
            // "…, Okonkwo said" → "Okonkwo said …"
            let mut t: Vec<Tok> = tail.to_vec();
            t.extend(toks[..last].iter().cloned());
            t
        } else if first <= 6 && toks[0].kind == Kind::Stop {
            // "In Karsby, …" → "… in Karsby"
            let mut t: Vec<Tok> = toks[first + 1..].to_vec();
            t.extend(toks[..first].iter().cloned());
            t
        } else if let Some(&i) = commas
            .iter()
            .find(|&&i| i >= 4 && n - i >= 6 && toks[i + 1].text.as_str() == "and")
        {
            // "A, and B" → "B, and A"
            let mut t: Vec<Tok> = toks[i + 2..].to_vec();
            t.extend(toks[i..i + 2].iter().cloned());
            t.extend(toks[..i].iter().cloned());
            t
        } else {
            s.toks = toks;
            continue;
        };
        done += 1;
    }
    done
}

/// Drops a subordinate clause (", which …", ", while …" up to the next comma or the end) from up
/// to `k` sentences, keeping at least six tokens. Returns how many were dropped.
pub fn drop_clauses(sentences: &mut [Sentence], k: usize, rng: &mut Rng) -> usize {
    let mut done = 0;
    for _ in 0..k * 6 {
        if done >= k || sentences.is_empty() {
            break;
        }
        let s = &mut sentences[rng.below(sentences.len())];
        if s.quote.is_some() {
            continue;
        }
        let n = s.toks.len();
        let Some(start) = (2..n.saturating_sub(2)).find(|&i| {
            s.toks[i].kind == Kind::Comma && DROPPABLE.contains(&s.toks[i + 1].text.as_str())
        }) else {
            continue;
        };
        let end = (start + 2..n)
            .find(|&i| s.toks[i].kind == Kind::Comma)
            .unwrap_or(n);
        if n - (end - start) < 6 || s.toks[start..end].iter().any(|t| t.kind == Kind::Quote) {
            continue;
        }
        // Keep the comma that closed the clause only when something follows it.
        let end = if end < n { end + 1 } else { end };
        s.toks.drain(start..end);
        if s.toks.last().is_some_and(|t| t.kind == Kind::Comma) {
            s.toks.pop();
        }
        done += 1;
    }
    done
}

/// Appends a clause to some narrative sentences (", while …"): each of `clauses` goes to a random
/// sentence that is no quote. The clause adds words, not a unit: the sentence still renders the same
/// part of the story.
pub fn add_clauses(sentences: &mut [Sentence], clauses: Vec<Vec<Tok>>, rng: &mut Rng) {
    for clause in clauses {
        if sentences.is_empty() || clause.is_empty() {
            return;
        }
        let s = &mut sentences[rng.below(sentences.len())];
        if s.quote.is_some() || s.toks.last().is_some_and(|t| t.kind == Kind::Quote) {
            continue;
        }
        s.toks.push(Tok::comma());
        let join = rng.pick(&["while", "and", "as"]).copied().unwrap_or("and");
        s.toks.push(Tok::stop(join));
        s.toks.extend(clause);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Facts, Units, Writer};

    fn sample(seed: u64) -> (Vec<Sentence>, Units) {
        let lex = Lexicon::get();
        let mut rng = Rng::new(seed, &[]);
        let facts = Box::leak(Box::new(Facts::draw(lex, &mut rng, 20_000)));
        let mut units = Units::default();
        let mut w = Writer::new(lex, facts);
        (w.report(&mut rng, &mut units, 26, None, &[0, 1]), units)
    }

    fn render(s: &[Sentence]) -> Vec<String> {
        s.iter()
            .map(|s| {
                let mut t = String::new();
                s.render(&mut t);
                t
            })
            .collect()
    }

    #[test]
    fn spinning_changes_the_share_asked_and_keeps_quotes() {
        let lex = Lexicon::get();
        let (original, _) = sample(11);
        let mut spun = original.clone();
        let mut rng = Rng::new(12, &[]);
        let thesaurus = Thesaurus {
            lex,
            unlinked: false,
        };
        let (changed, total) = spin_words(&mut spun, 0.45, thesaurus, &mut rng);
        let share = changed as f64 / total as f64;
        assert!((0.35..=0.5).contains(&share), "{changed} of {total}");
        for (a, b) in original.iter().zip(&spun) {
            let fixed = |s: &Sentence| -> Vec<String> {
                s.toks
                    .iter()
                    .filter(|t| matches!(t.kind, Kind::Fixed | Kind::Quote))
                    .map(|t| t.text.as_str().to_string())
                    .collect()
            };
            assert_eq!(fixed(a), fixed(b));
            assert_eq!(a.units, b.units);
        }
    }

    #[test]
    fn unlinked_spins_use_no_pair_the_scorer_links() {
        let lex = Lexicon::get();
        let thesaurus = Thesaurus {
            lex,
            unlinked: true,
        };
        let (mut changed, mut total) = (0, 0);
        for seed in 0..12 {
            let (original, _) = sample(seed);
            let mut spun = original.clone();
            let mut rng = Rng::new(seed + 100, &[]);
            let (c, t) = spin_words(&mut spun, 0.5, thesaurus, &mut rng);
            (changed, total) = (changed + c, total + t);
            for (a, b) in original.iter().zip(&spun) {
                assert_eq!(a.toks.len(), b.toks.len());
                for (x, y) in a.toks.iter().zip(&b.toks) {
                    let (x, y) = (x.text.as_str(), y.text.as_str());
                    assert!(
                        x == y || !crate::words::scorer_links(x, y),
                        "{x} → {y} is a pair the scorer credits"
                    );
                }
            }
        }
        // The held-apart source still finds replacements for a good share of the words.
        assert!(changed * 5 > total, "{changed} of {total} changed");
    }

    proptest::proptest! {
        #[test]
        fn unlinked_synonyms_are_never_linked(seed in 0u64..1_000_000) {
            let lex = Lexicon::get();
            let mut rng = Rng::new(seed, &[]);
            for _ in 0..20 {
                let word = lex.content_word(&mut rng);
                if let Some(new) = lex.unlinked_synonym(word, &mut rng) {
                    proptest::prop_assert!(new != word);
                    proptest::prop_assert!(
                        !crate::words::scorer_links(word, &new),
                        "{} → {}", word, new
                    );
                }
            }
        }
    }

    #[test]
    fn clauses_are_reordered_dropped_and_added() {
        let (original, _) = sample(41);
        let mut s = original.clone();
        let mut rng = Rng::new(42, &[]);
        assert!(reorder_clauses(&mut s, 4, &mut rng) >= 1);
        let words = |s: &[Sentence]| {
            s.iter()
                .flat_map(|x| &x.toks)
                .filter(|t| t.kind != Kind::Comma)
                .count()
        };
        assert_eq!(words(&s), words(&original), "a reorder keeps every word");
        assert_ne!(render(&s), render(&original));
        drop_clauses(&mut s, 3, &mut rng);
        assert!(words(&s) <= words(&original));
        let before = words(&s);
        let clause = vec![Tok::stop("the"), Tok::word("market"), Tok::word("fell")];
        add_clauses(&mut s, vec![clause.clone(), clause], &mut rng);
        assert!(words(&s) > before);
        for (a, b) in original.iter().zip(&s) {
            assert_eq!(a.units, b.units);
        }
    }

    #[test]
    fn splits_and_merges_keep_units() {
        let (original, _) = sample(21);
        let mut s = original.clone();
        let mut rng = Rng::new(22, &[]);
        let splits = split(&mut s, 4, &mut rng);
        assert!(splits >= 3, "{splits}");
        assert_eq!(s.len(), original.len() + splits);
        let merges = merge(&mut s, 3, &mut rng);
        assert!(merges >= 2, "{merges}");
        assert_eq!(s.len(), original.len() + splits - merges);
        let mut units: Vec<u32> = s.iter().flat_map(|x| x.units.clone()).collect();
        units.sort_unstable();
        units.dedup();
        let mut before: Vec<u32> = original.iter().flat_map(|x| x.units.clone()).collect();
        before.sort_unstable();
        assert_eq!(units, before);
        for text in render(&s) {
            assert!(text.ends_with('.') || text.ends_with(".\""), "{text}");
            assert!(
                text.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '"'),
                "{text}"
            );
        }
    }

    #[test]
    fn moves_drops_and_trims() {
        let (original, _) = sample(31);
        let mut s = original.clone();
        let mut rng = Rng::new(32, &[]);
        move_paragraph(&mut s, &mut rng);
        assert_eq!(s.len(), original.len());
        assert!(s[0].para);
        drop_sentences(&mut s, 2, &mut rng);
        assert_eq!(s.len(), original.len() - 2);
        trim_tail(&mut s, 30, 15);
        assert_eq!(s.len(), 15);
        pad(&mut s, 3, &mut rng);
        assert_eq!(s.len(), 15);
    }
}
