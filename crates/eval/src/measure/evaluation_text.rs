//! The text table of `stemma eval`: an [`Evaluation`] for people.

use std::io::Write;
use std::path::Path;

use crate::truth::{ChainOutcome, Evaluation, Orientation};

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn show_pairs(pairs: &[[String; 2]]) -> String {
    pairs
        .iter()
        .map(|[a, b]| format!("{a} ~ {b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Evaluation {
    /// Writes the evaluation as a table for people (`stemma eval`); `truth` is the truth file's name as
    /// shown in the first line.
    ///
    /// ```
    /// use stemma_eval::{Predicted, Truth, score};
    /// use stemma_graph::{AnalyzeOptions, Article, analyze};
    ///
    /// let truth = Truth::parse(r#"{"articles": {
    ///     "wire": {"kind": "original", "derived_from": []},
    ///     "copy": {"kind": "syndicated", "derived_from": ["wire"]}},
    ///   "derived_pairs": [["wire", "copy"]], "related_pairs": [["wire", "copy"]]}"#).unwrap();
    /// let text = "Flood water broke through the Ulden dam early on Monday, forcing the evacuation of \
    ///     about 4,000 people. No deaths had been reported by mid-morning, officials said.";
    /// let analysis = analyze(vec![Article::new("wire", text), Article::new("copy", text)], &AnalyzeOptions::default());
    /// let evaluation = score(&truth, &Predicted::from_analysis(&analysis));
    /// let mut out = Vec::new();
    /// evaluation.write_text(&mut out, "truth.json".as_ref()).unwrap();
    /// assert!(String::from_utf8(out).unwrap().starts_with("2 documents, 2 described by truth.json\n"));
    /// ```
    pub fn write_text(&self, out: &mut impl Write, truth: &Path) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} documents, {} described by {}",
            e.documents,
            e.labelled,
            truth.display()
        )?;
        if !e.unlabelled_articles.is_empty() {
            writeln!(
                out,
                "  not in the truth (left out): {}",
                e.unlabelled_articles.join(", ")
            )?;
        }
        if !e.absent_articles.is_empty() {
            writeln!(
                out,
                "  not in the corpus (left out): {}",
                e.absent_articles.join(", ")
            )?;
        }
        let r = &e.related;
        writeln!(
            out,
            "\n{:<16} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
            "related pairs", "truth", "predicted", "correct", "precision", "recall", "F1"
        )?;
        writeln!(
            out,
            "{:<16} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
            "",
            r.truth,
            r.predicted,
            r.correct,
            show(r.precision),
            show(r.recall),
            show(r.f1)
        )?;
        if r.derivations > 0 {
            writeln!(
                out,
                "  one derived from the other: {} of {} found; related through others (siblings, cousins): {} of {}",
                r.derivations_found,
                r.derivations,
                r.correct - r.derivations_found,
                r.truth - r.derivations
            )?;
        }
        if !r.missed.is_empty() {
            writeln!(out, "  missed: {}", show_pairs(&r.missed))?;
        }
        if !r.spurious.is_empty() {
            writeln!(out, "  spurious: {}", show_pairs(&r.spurious))?;
        }
        let i = &e.independent;
        writeln!(
            out,
            "\nindependent pairs linked: {} of {} (in one family: {})",
            i.linked, i.pairs, i.same_family
        )?;
        if !i.linked_pairs.is_empty() {
            writeln!(out, "  linked: {}", show_pairs(&i.linked_pairs))?;
        }
        if i.same_family > i.linked {
            writeln!(out, "  in one family: {}", show_pairs(&i.same_family_pairs))?;
        }
        let o = &e.orientation;
        writeln!(
            out,
            "\n{:<16} {:>9} {:>6} {:>8} {:>12} {:>6}",
            "orientation", "evaluated", "right", "reversed", "undetermined", "absent"
        )?;
        writeln!(
            out,
            "{:<16} {:>9} {:>6} {:>8} {:>12} {:>6}",
            "", o.evaluated, o.right, o.reversed, o.undetermined, o.absent
        )?;
        writeln!(
            out,
            "  left out: {} with a side missing from the corpus, {} with a side undated",
            o.not_in_corpus, o.untimed
        )?;
        for p in o.pairs.iter().filter(|p| p.outcome != Orientation::Right) {
            let outcome = match p.outcome {
                Orientation::Right => "right",
                Orientation::Reversed => "reversed",
                Orientation::Undetermined => "undetermined",
                Orientation::Absent => "absent",
            };
            writeln!(out, "  {} → {}: {outcome}", p.source, p.derived)?;
        }
        let c = &e.chains;
        writeln!(
            out,
            "\n{:<16} {:>9} {:>14} {:>9} {:>9} {:>7}",
            "chains", "evaluated", "parent correct", "flattened", "elsewhere", "nowhere"
        )?;
        writeln!(
            out,
            "{:<16} {:>9} {:>14} {:>9} {:>9} {:>7}",
            "", c.evaluated, c.parent_correct, c.flattened, c.elsewhere, c.nowhere
        )?;
        for item in c
            .articles
            .iter()
            .filter(|a| a.outcome != ChainOutcome::ParentCorrect)
        {
            let mut under: Vec<String> = item.predicted_parents.clone();
            under.extend(
                item.undetermined_neighbours
                    .iter()
                    .map(|n| format!("{n} (undetermined)")),
            );
            let under = if under.is_empty() {
                "nothing".to_string()
            } else {
                under.join(", ")
            };
            let outcome = match item.outcome {
                ChainOutcome::ParentCorrect => "parent correct",
                ChainOutcome::Flattened => "chain flattened",
                ChainOutcome::Elsewhere => "elsewhere",
                ChainOutcome::Nowhere => "nowhere",
            };
            writeln!(
                out,
                "  {}: {outcome}, under {under} (true parent {})",
                item.article,
                item.true_parents.join(", ")
            )?;
        }
        let m = &e.missing_sources;
        writeln!(
            out,
            "\nmissing sources: {} of {} families built on a missing source got a missing-source node",
            m.found, m.assessed
        )?;
        for g in &m.groups {
            writeln!(out, "  {}: {}", g.root, g.members.join(", "))?;
            if g.families.is_empty() {
                writeln!(out, "    no two of them in one family")?;
            }
            for f in &g.families {
                if f.found {
                    writeln!(
                        out,
                        "    {}: {} (children: {})",
                        f.members.join(", "),
                        f.missing_sources.join(", "),
                        if f.under_missing_source.is_empty() {
                            "none of these".to_string()
                        } else {
                            f.under_missing_source.join(", ")
                        }
                    )?;
                } else {
                    writeln!(out, "    {}: no missing-source node", f.members.join(", "))?;
                }
            }
        }
        Ok(())
    }
}
