//! `stemma diff A B`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use stemma_report::{DiffGroup, diff_groups, round};

use crate::render;
use crate::{DiffArgs, DiffFormat};

/// The JSON shape of `stemma diff --format json` (documented in docs/json.md; fields only get added).
#[derive(Debug, Serialize)]
pub struct DiffReport {
    /// Id of the first article.
    pub a: String,
    /// Id of the second article.
    pub b: String,
    /// Share of A's body text that is aligned.
    pub coverage_a: f64,
    /// Share of B's body text that is aligned.
    pub coverage_b: f64,
    /// Aligned groups in A's order.
    pub alignments: Vec<DiffGroup>,
}

/// Builds the report of a comparison.
pub fn report(c: &stemma_align::Comparison) -> DiffReport {
    let alignments = diff_groups(&c.a, &c.b, &c.alignment);
    DiffReport {
        a: c.a.id.clone(),
        b: c.b.id.clone(),
        coverage_a: round(c.alignment.coverage_a),
        coverage_b: round(c.alignment.coverage_b),
        alignments,
    }
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    // The same reader as `analyze`: HTML pages by their main text, the same limits and checks.
    let (a, b) = crate::waiting::noting_waits([args.a.as_path(), args.b.as_path()], || {
        (
            stemma_input::read_article_noted(&args.a),
            stemma_input::read_article_noted(&args.b),
        )
    });
    let (a, b) = match (a, b) {
        (Ok((a, notes_a)), Ok((b, notes_b))) => {
            // A guessed encoding is said, as `analyze` says it.
            crate::analyze_cmd::report_diagnostics(&[notes_a, notes_b].concat());
            (a, b)
        }
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(anyhow::anyhow!(e)),
        (Err(ea), Err(eb)) => {
            crate::report_error(&anyhow::anyhow!(ea));
            return Err(anyhow::anyhow!(eb));
        }
    };
    let comparison = stemma_align::compare(&a.id, &a.text, &b.id, &b.text);
    report_limits(&comparison);
    let report = report(&comparison);
    match args.format {
        DiffFormat::Json => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer(&mut out, &report).context("writing JSON")?;
            writeln!(out).context("writing JSON")?;
        }
        DiffFormat::Text => {
            let report = printable_report(report);
            let mut out = anstream::stdout().lock();
            render::diff_report(&mut out, &report, args.layout).context("writing output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The report with what the articles carry made safe for a terminal ([`render::printable`]): with
/// colour on, an escape sequence in a page would otherwise reach the terminal as is.
fn printable_report(mut report: DiffReport) -> DiffReport {
    let clean = |s: &mut String| {
        if let std::borrow::Cow::Owned(safe) = render::printable(s) {
            *s = safe;
        }
    };
    let one_line = |s: &mut String| {
        if let std::borrow::Cow::Owned(safe) = render::one_line(s) {
            *s = safe;
        }
    };
    one_line(&mut report.a);
    one_line(&mut report.b);
    for group in &mut report.alignments {
        clean(&mut group.a_text);
        clean(&mut group.b_text);
        for run in &mut group.diff {
            clean(&mut run.a);
            clean(&mut run.b);
        }
    }
    report
}

/// The limits the comparison reached, on standard error (docs/reliability.md): never silent.
#[allow(clippy::print_stderr)]
fn report_limits(c: &stemma_align::Comparison) {
    for doc in [&c.a, &c.b] {
        for message in doc.segmentation.limits_reached() {
            eprintln!("stemma: {}: {message}", render::one_line(&doc.id));
        }
    }
    if let Some(message) = c.alignment.limit_reached() {
        eprintln!("stemma: {message}");
    }
}
