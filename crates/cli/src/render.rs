//! Text rendering for people: coloured word diffs, inline or side by side.
//!
//! Colour goes through `anstream`, which drops it when standard output is not a terminal or `NO_COLOR`
//! is set; without colour, changes are marked in the `[-deleted-]{+inserted+}` style of `git diff
//! --word-diff`, so nothing is lost in a pipe.

use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use stemma_align::diff::{DiffOp, DiffRun};
use unicode_width::UnicodeWidthStr;

use crate::diff_cmd::DiffReport;

/// How to lay out aligned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Side by side when the terminal is at least [`SIDE_BY_SIDE_MIN_WIDTH`] columns wide.
    Auto,
    /// Both sides in one flow, changes marked in place.
    Inline,
    /// A on the left, B on the right.
    SideBySide,
}

/// Narrowest terminal that gets side-by-side output.
pub const SIDE_BY_SIDE_MIN_WIDTH: usize = 120;

const DELETED: Style = AnsiColor::Red.on_default().strikethrough();
const INSERTED: Style = AnsiColor::Green.on_default().bold();
const HEADER: Style = AnsiColor::Cyan.on_default().bold();
const DIM: Style = Style::new().dimmed();

/// Whether colour will reach standard output.
pub fn colour_enabled() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// Writes a `stemma diff` report.
pub fn diff_report(out: &mut impl Write, report: &DiffReport, layout: Layout) -> io::Result<()> {
    let colour = colour_enabled();
    let width = terminal_width();
    let side_by_side = match layout {
        Layout::SideBySide => true,
        Layout::Inline => false,
        Layout::Auto => width.is_some_and(|w| w >= SIDE_BY_SIDE_MIN_WIDTH),
    };
    let width = width.unwrap_or(SIDE_BY_SIDE_MIN_WIDTH).max(40);
    writeln!(
        out,
        "{HEADER}{} ↔ {}{HEADER:#}: {} aligned groups",
        report.a,
        report.b,
        report.alignments.len()
    )?;
    for group in &report.alignments {
        writeln!(out)?;
        writeln!(out, "{DIM}{}{DIM:#}", group_label(group))?;
        if side_by_side {
            write_side_by_side(out, &group.diff, width, colour)?;
        } else {
            write_inline(out, &group.diff, colour)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "coverage: {} {:.1}% aligned, {} {:.1}% aligned",
        report.a,
        report.coverage_a * 100.0,
        report.b,
        report.coverage_b * 100.0
    )
}

fn group_label(group: &crate::diff_cmd::GroupReport) -> String {
    let shape = match (group.a_sentences.len(), group.b_sentences.len()) {
        (1, 1) => "",
        (1, _) => ", split",
        (_, 1) => ", merge",
        _ => ", group",
    };
    let order = if group.in_order { "" } else { ", moved" };
    format!(
        "A {} ↔ B {}  similarity {:.2}{shape}{order}",
        sentence_list(&group.a_sentences),
        sentence_list(&group.b_sentences),
        group.score
    )
}

fn sentence_list(indices: &[usize]) -> String {
    match indices {
        [] => "-".to_string(),
        [one] => format!("#{one}"),
        [first, .., last] => format!("#{first}–{last}"),
    }
}

/// One flow of text: unchanged words plain, deleted ones red and struck, inserted ones green.
fn write_inline(out: &mut impl Write, runs: &[DiffRun], colour: bool) -> io::Result<()> {
    write!(out, "  ")?;
    for run in runs {
        match run.op {
            DiffOp::Equal => write!(out, "{}", run.b)?,
            DiffOp::Delete | DiffOp::Insert | DiffOp::Replace => {
                write_marked(out, &run.a, DELETED, "[-", "-]", colour)?;
                write_marked(out, &run.b, INSERTED, "{+", "+}", colour)?;
            }
        }
    }
    writeln!(out)
}

fn write_marked(
    out: &mut impl Write,
    text: &str,
    style: Style,
    open: &str,
    close: &str,
    colour: bool,
) -> io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let core = text.trim_end();
    let space = &text[core.len()..];
    if colour {
        write!(out, "{style}{core}{style:#}{space}")
    } else {
        write!(out, "{open}{core}{close}{space}")
    }
}

/// A styled word of one side.
struct Word {
    text: String,
    style: Option<Style>,
}

fn side_words(runs: &[DiffRun], side_a: bool) -> Vec<Word> {
    let mut words = Vec::new();
    for run in runs {
        let text = if side_a { &run.a } else { &run.b };
        let style = match run.op {
            DiffOp::Equal => None,
            _ if side_a => Some(DELETED),
            _ => Some(INSERTED),
        };
        for word in text.split_whitespace() {
            words.push(Word {
                text: word.to_string(),
                style,
            });
        }
    }
    words
}

/// Wraps styled words into lines of at most `width` columns; returns each line's text and its width.
fn wrap(words: &[Word], width: usize, colour: bool) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in words {
        let (shown, visible) = match (word.style, colour) {
            (Some(style), true) => (format!("{style}{}{style:#}", word.text), word.text.width()),
            (Some(style), false) => {
                let (open, close) = if style == DELETED {
                    ("[-", "-]")
                } else {
                    ("{+", "+}")
                };
                let t = format!("{open}{}{close}", word.text);
                let w = t.width();
                (t, w)
            }
            (None, _) => (word.text.clone(), word.text.width()),
        };
        if used > 0 && used + 1 + visible > width {
            lines.push((std::mem::take(&mut line), used));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(&shown);
        used += visible;
    }
    if used > 0 {
        lines.push((line, used));
    }
    lines
}

fn write_side_by_side(
    out: &mut impl Write,
    runs: &[DiffRun],
    width: usize,
    colour: bool,
) -> io::Result<()> {
    let column = (width.saturating_sub(5)) / 2;
    let left = wrap(&side_words(runs, true), column, colour);
    let right = wrap(&side_words(runs, false), column, colour);
    for k in 0..left.len().max(right.len()) {
        let (l, lw) = left.get(k).map_or(("", 0), |(t, w)| (t.as_str(), *w));
        let r = right.get(k).map_or("", |(t, _)| t.as_str());
        let pad = column.saturating_sub(lw);
        writeln!(out, "  {l}{:pad$} │ {r}", "")?;
    }
    Ok(())
}
