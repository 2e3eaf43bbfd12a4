//! Where METER's derived stories are lost: which stage of the analysis keeps a newspaper story from
//! being linked to its own PA copy (`stemma measure meter-stages`).
//!
//! A story is followed through the stages with the best of its own PA texts: never a candidate
//! pair, aligned without a narrative group, narrative groups that are not a shared block, a block
//! the decision does not link, or linked. For a story lost at candidate generation, aligning every
//! pair says whether the candidates lost something the alignment would have found.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use stemma_graph::{AnalyzeOptions, Decision, RelationOptions, analyze};

use super::MeasureError;
use super::fit::{MeterStory, meter};
use crate::truth::unordered;

/// The stage a story reached with the best of its own PA texts, from lost earliest to linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterStage {
    /// No pair of the story and its PA copy is a candidate, and aligned anyway (`--all-pairs`)
    /// none has a narrative group: there is little shared wording to find.
    NothingToAlign,
    /// No pair is a candidate, but aligned anyway one has a narrative group: candidate generation
    /// lost it.
    NotACandidate,
    /// Aligned, but no group matches on narrative words.
    NoNarrativeGroup,
    /// Narrative groups, but not a shared block (one group in a text of more than six sentences).
    NotABlock,
    /// A shared block that the decision does not link.
    NotLinked,
    /// Linked to one of its PA texts.
    Linked,
}

impl MeterStage {
    /// Every stage, in order.
    pub const ALL: [MeterStage; 6] = [
        MeterStage::NothingToAlign,
        MeterStage::NotACandidate,
        MeterStage::NoNarrativeGroup,
        MeterStage::NotABlock,
        MeterStage::NotLinked,
        MeterStage::Linked,
    ];

    /// The stage in words, as the table shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            MeterStage::NothingToAlign => "no candidate, nothing to align",
            MeterStage::NotACandidate => "no candidate, would align",
            MeterStage::NoNarrativeGroup => "aligned, no narrative group",
            MeterStage::NotABlock => "narrative groups, not a block",
            MeterStage::NotLinked => "a block, not linked",
            MeterStage::Linked => "linked",
        }
    }
}

/// How many stories of each METER category ended at each stage, under one decision.
#[derive(Debug, Clone, Serialize)]
pub struct MeterStages {
    /// The decision (`rules`, or `learned` with the shipped model: in sample for METER).
    pub decision: String,
    /// Per category (`wholly_derived`, `partially_derived`, `non_derived`), per stage, the stories.
    pub counts: BTreeMap<String, BTreeMap<MeterStage, usize>>,
    /// Per stage, the derived stories (ids) lost there, for study.
    pub derived_lost: BTreeMap<MeterStage, Vec<String>>,
}

/// `stemma measure meter-stages`: METER showbiz analysed with the default settings under the rules
/// and under the learned decision, each story placed at the stage that lost it.
#[derive(Debug, Clone, Serialize)]
pub struct MeterStagesResult {
    /// One table per decision.
    pub decisions: Vec<MeterStages>,
}

/// What one analysis says of each pair of a story and one of its PA texts: narrative groups, shared
/// block, linked.
type PairStage = BTreeMap<(String, String), MeterStage>;

fn pair_stages(
    corpus: &super::fit::LabelledCorpus,
    decision: Decision,
    all_pairs: bool,
) -> PairStage {
    let options = AnalyzeOptions {
        keep_unrelated: true,
        all_pairs,
        relation: RelationOptions {
            decision,
            ..Default::default()
        },
        ..AnalyzeOptions::default()
    };
    let analysis = analyze(corpus.articles().to_vec(), &options);
    analysis
        .pairs
        .iter()
        .map(|p| {
            let key = unordered(&analysis.articles[p.a].id, &analysis.articles[p.b].id);
            let stage = if p.relation.is_some() {
                MeterStage::Linked
            } else if p.features.shares_block() {
                MeterStage::NotLinked
            } else if p.narrative_groups > 0 {
                MeterStage::NotABlock
            } else {
                MeterStage::NoNarrativeGroup
            };
            (key, stage)
        })
        .collect()
}

fn story_stage(story: &MeterStory, candidates: &PairStage, every_pair: &PairStage) -> MeterStage {
    let best = |stages: &PairStage| {
        story
            .sources
            .iter()
            .filter_map(|s| stages.get(&unordered(&story.id, s)).copied())
            .max()
    };
    match best(candidates) {
        Some(stage) => stage,
        None => match best(every_pair) {
            Some(s) if s > MeterStage::NoNarrativeGroup => MeterStage::NotACandidate,
            _ => MeterStage::NothingToAlign,
        },
    }
}

/// Analyses METER showbiz (the folder `dir`) and places every story at the stage that lost it,
/// under the rules and under the learned decision.
///
/// # Errors
/// When the folder or a file of it cannot be read.
pub fn measure_meter_stages(dir: &Path) -> Result<MeterStagesResult, MeasureError> {
    let corpus = meter(dir)?;
    let every_pair = pair_stages(&corpus, Decision::Rules, true);
    let mut decisions = Vec::new();
    for (name, decision) in [
        ("rules", Decision::Rules),
        ("learned (shipped model; in sample)", Decision::Learned),
    ] {
        let candidates = pair_stages(&corpus, decision, false);
        let mut counts: BTreeMap<String, BTreeMap<MeterStage, usize>> = BTreeMap::new();
        let mut derived_lost: BTreeMap<MeterStage, Vec<String>> = BTreeMap::new();
        for story in corpus.meter_stories() {
            let stage = story_stage(story, &candidates, &every_pair);
            if story.derived && stage != MeterStage::Linked {
                derived_lost
                    .entry(stage)
                    .or_default()
                    .push(story.id.clone());
            }
            *counts
                .entry(story.category.clone())
                .or_default()
                .entry(stage)
                .or_default() += 1;
        }
        decisions.push(MeterStages {
            decision: name.to_owned(),
            counts,
            derived_lost,
        });
    }
    Ok(MeterStagesResult { decisions })
}

impl MeterStagesResult {
    /// Writes one table per decision: a row per stage, a column per category.
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        const CATEGORIES: [&str; 3] = ["wholly_derived", "partially_derived", "non_derived"];
        for d in &self.decisions {
            writeln!(
                out,
                "METER showbiz stories by the stage that lost them, {}:",
                d.decision
            )?;
            writeln!(
                out,
                "  {:<32} {:>8} {:>8} {:>8}",
                "stage", "wholly", "partly", "non"
            )?;
            for stage in MeterStage::ALL {
                write!(out, "  {:<32}", stage.as_str())?;
                for c in CATEGORIES {
                    let n = d
                        .counts
                        .get(c)
                        .and_then(|m| m.get(&stage))
                        .copied()
                        .unwrap_or(0);
                    write!(out, " {n:>8}")?;
                }
                writeln!(out)?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[ignore = "needs ../shared/benchmarks/meter-showbiz"]
    fn every_story_is_placed_once_and_the_linked_ones_are_those_the_score_counts() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/meter-showbiz");
        assert!(
            dir.is_dir(),
            "METER showbiz not found at {}: this test needs the shared data beside the repo",
            dir.display()
        );
        let result = measure_meter_stages(&dir).expect("METER showbiz reads");
        let score = super::super::fit::meter_default(&dir).expect("METER showbiz reads");
        let rules = &result.decisions[0];
        let count = |category: &str, stage: MeterStage| {
            rules.counts[category].get(&stage).copied().unwrap_or(0)
        };
        let stories: usize = rules.counts.values().flat_map(|m| m.values()).sum();
        assert_eq!(stories, score.stories);
        // The default decision is the rules: the stories linked here are those the score counts.
        let derived_linked = count("wholly_derived", MeterStage::Linked)
            + count("partially_derived", MeterStage::Linked);
        assert_eq!(derived_linked, score.derived_linked);
        assert_eq!(
            count("non_derived", MeterStage::Linked),
            score.non_derived_linked
        );
        let lost: usize = rules.derived_lost.values().map(Vec::len).sum();
        assert_eq!(lost, score.derived - score.derived_linked);
    }
}
