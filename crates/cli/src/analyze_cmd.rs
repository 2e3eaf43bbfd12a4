//! `stemma analyze PATH...`: the corpus job.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use stemma_align::diff::word_diff;
use stemma_graph::derivation::Direction;
use stemma_graph::{AnalyzeOptions, CorpusAnalysis, analyze, export};

use crate::render;

/// Output formats of `stemma analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// Families and related pairs with their strongest aligned sentences, for people.
    Text,
    /// One JSON object (docs/json.md).
    Json,
    /// The derivation graph in Graphviz DOT.
    Dot,
}

/// Arguments of `stemma analyze`.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Files and folders (read recursively): .txt, .md, .jsonl; `-` reads JSONL from standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// A metadata file (JSONL: id, title, publisher, url, published) for all inputs.
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Align every pair instead of candidate pairs (slow; for checking candidate generation).
    #[arg(long)]
    pub all_pairs: bool,
}

/// Runs `stemma analyze`.
#[allow(clippy::print_stderr)]
pub fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    let loaded =
        crate::input::load_inputs(&args.paths, args.meta.as_deref(), &mut std::io::stdin());
    for d in &loaded.diagnostics {
        eprintln!("stemma: {d}");
    }
    if loaded.articles.is_empty() {
        eprintln!("stemma: error: no article could be read");
        return Ok(ExitCode::from(2));
    }
    let options = AnalyzeOptions {
        all_pairs: args.all_pairs,
        ..AnalyzeOptions::default()
    };
    let analysis = analyze(loaded.articles, &options);
    let mut buffer: Vec<u8> = Vec::new();
    match args.format {
        AnalyzeFormat::Json => {
            serde_json::to_writer_pretty(&mut buffer, &export::report(&analysis))?;
            buffer.push(b'\n');
        }
        AnalyzeFormat::Dot => buffer.extend_from_slice(export::dot(&analysis).as_bytes()),
        AnalyzeFormat::Text => write_text(&mut buffer, &analysis)?,
    }
    match &args.output {
        Some(path) => std::fs::write(path, &buffer)
            .with_context(|| format!("{}: cannot write", path.display()))?,
        None => {
            if args.format == AnalyzeFormat::Text {
                anstream::stdout().lock().write_all(&buffer)?;
            } else {
                std::io::stdout().lock().write_all(&buffer)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How many aligned groups of each related pair the text report shows.
const GROUPS_SHOWN: usize = 3;

fn write_text(out: &mut Vec<u8>, analysis: &CorpusAnalysis) -> std::io::Result<()> {
    let graph = &analysis.derivation.graph;
    let s = &analysis.stats;
    writeln!(
        out,
        "{} documents; {} of {} pairs aligned; {} related",
        s.documents, s.aligned_pairs, s.all_pairs, s.related_pairs
    )?;
    if analysis.derivation.families.is_empty() {
        writeln!(out, "\nNo document reuses another's text.")?;
    }
    for (k, family) in analysis.derivation.families.iter().enumerate() {
        writeln!(out, "\nFamily {}:", k + 1)?;
        for &m in &family.members {
            let a = &analysis.articles[m];
            let when = a
                .published
                .as_ref()
                .map_or("time unknown".to_string(), |p| p.value.to_string());
            writeln!(out, "  {} ({when})", a.id)?;
        }
        for &ms in &family.missing_sources {
            let node = &graph[petgraph::stable_graph::NodeIndex::new(ms)];
            let children: Vec<&str> = graph
                .neighbors_directed(
                    petgraph::stable_graph::NodeIndex::new(ms),
                    petgraph::Direction::Outgoing,
                )
                .map(|c| graph[c].id.as_str())
                .collect::<Vec<_>>();
            let mut children = children;
            children.sort_unstable();
            writeln!(
                out,
                "  {}: a common source not in the corpus, reused by {}",
                node.id,
                children.join(", ")
            )?;
        }
        for e in graph.edge_indices() {
            let (source, target) = graph.edge_endpoints(e).unwrap_or_default();
            let w = &graph[e];
            let in_family = [source, target].iter().any(|n| match graph[*n].kind {
                stemma_graph::derivation::NodeKind::Article(i) => family.members.contains(&i),
                stemma_graph::derivation::NodeKind::MissingSource => false,
            });
            if !in_family {
                continue;
            }
            let arrow = if w.direction == Direction::Undetermined {
                "—"
            } else {
                "→"
            };
            let basis = match w.direction {
                Direction::Timestamp => "by publication times",
                Direction::Evidence => "by content evidence",
                Direction::Undetermined => "direction undetermined",
            };
            writeln!(
                out,
                "  {} {arrow} {}: {} ({basis})",
                graph[source].id,
                graph[target].id,
                w.relation.map_or("common source", |r| r.as_str()),
            )?;
        }
    }
    for pair in analysis.related_pairs() {
        let (a, b) = (&analysis.documents[pair.a], &analysis.documents[pair.b]);
        writeln!(
            out,
            "\n{} ~ {}: {} (score {:.2}; coverage {:.0}% / {:.0}%; verbatim {:.0}%)",
            a.id,
            b.id,
            pair.relation.map_or("none", |r| r.as_str()),
            pair.score,
            pair.alignment.coverage_a * 100.0,
            pair.alignment.coverage_b * 100.0,
            pair.verbatim_share * 100.0
        )?;
        let mut groups: Vec<&stemma_align::alignment::AlignedGroup> =
            pair.alignment.groups.iter().collect();
        groups.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.start.cmp(&y.a.start)));
        for g in groups.into_iter().take(GROUPS_SHOWN) {
            let runs = word_diff(
                &a.sentences_text(g.a.clone()),
                &b.sentences_text(g.b.clone()),
            );
            writeln!(out, "  similarity {:.2}:", g.score)?;
            render::write_inline(out, &runs, render::colour_enabled())?;
        }
    }
    Ok(())
}
