//! Text rendering for people: coloured word diffs, inline or side by side.
//!
//! Colour goes through `anstream`, which drops it when standard output is not a terminal or `NO_COLOR`
//! is set; without colour, changes are marked in the `[-deleted-]{+inserted+}` style of `git diff
//! --word-diff`, so nothing is lost in a pipe.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use stemma_align::{DiffOp, DiffRun};
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

fn group_label(group: &stemma_report::DiffGroup) -> String {
    let shape = match group.shape() {
        "one_to_one" => String::new(),
        other => format!(", {other}"),
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
///
/// White space is attributed like words: where A and B space a boundary differently, each side's
/// space goes inside its own marks, so that dropping the insertions reads exactly as A and dropping
/// the deletions reads exactly as B.
pub fn write_inline(out: &mut impl Write, runs: &[DiffRun], colour: bool) -> io::Result<()> {
    let split = |t: &str| -> (String, String) {
        let core = t.trim_end();
        (core.to_string(), t[core.len()..].to_string())
    };
    // Segments of shared (None), deleted or inserted text; neighbours of one kind are merged so that
    // a deleted word and the space after it are one mark.
    let mut segments: Vec<(Option<Style>, String)> = Vec::new();
    let mut push = |kind: Option<Style>, text: &str| {
        if text.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some((k, t)) if *k == kind => t.push_str(text),
            _ => segments.push((kind, text.to_string())),
        }
    };
    let (mut pending_a, mut pending_b) = (String::new(), String::new());
    for run in runs {
        let (core_a, space_a) = split(&run.a);
        let (core_b, space_b) = split(&run.b);
        let common = common_prefix(&pending_a, &pending_b);
        let rest_a = pending_a[common..].to_string();
        let rest_b = pending_b[common..].to_string();
        match run.op {
            DiffOp::Equal => {
                push(Some(DELETED), &rest_a);
                push(Some(INSERTED), &rest_b);
                push(None, &pending_a[..common]);
                push(None, &core_b);
                pending_a = space_a;
                pending_b = space_b;
            }
            _ => {
                push(None, &pending_a[..common]);
                if core_a.is_empty() {
                    push(Some(DELETED), &rest_a);
                    push(Some(INSERTED), &format!("{rest_b}{core_b}"));
                    pending_a = String::new();
                    pending_b = space_b;
                } else if core_b.is_empty() {
                    push(Some(DELETED), &format!("{rest_a}{core_a}"));
                    push(Some(INSERTED), &rest_b);
                    pending_a = space_a;
                    pending_b = String::new();
                } else {
                    push(Some(DELETED), &format!("{rest_a}{core_a}"));
                    push(Some(INSERTED), &format!("{rest_b}{core_b}"));
                    pending_a = space_a;
                    pending_b = space_b;
                }
            }
        }
    }
    let common = common_prefix(&pending_a, &pending_b);
    push(Some(DELETED), &pending_a[common..]);
    push(Some(INSERTED), &pending_b[common..]);
    push(None, &pending_a[..common]);
    write!(out, "  ")?;
    for (kind, text) in &segments {
        match kind {
            None => write!(out, "{text}")?,
            Some(style) if *style == DELETED => {
                write_marked(out, text, DELETED, "[-", "-]", colour)?
            }
            Some(_) => write_marked(out, text, INSERTED, "{+", "+}", colour)?,
        }
    }
    writeln!(out)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, x), _)| i + x.len_utf8())
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
    if colour {
        write!(out, "{style}{text}{style:#}")
    } else {
        write!(out, "{open}{text}{close}")
    }
}

/// A word of one side as it is wrapped: pieces of text that stand together without white space
/// (a word and the punctuation after it may differ in style).
#[derive(Default)]
struct Word {
    pieces: Vec<(String, Option<Style>)>,
}

fn side_words(runs: &[DiffRun], side_a: bool) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut space_pending = true;
    for run in runs {
        let text = if side_a { &run.a } else { &run.b };
        let style = match run.op {
            DiffOp::Equal => None,
            _ if side_a => Some(DELETED),
            _ => Some(INSERTED),
        };
        for (k, piece) in text.split_whitespace().enumerate() {
            let starts_word = k > 0 || space_pending || text.starts_with(char::is_whitespace);
            if starts_word || words.is_empty() {
                words.push(Word::default());
            }
            if let Some(word) = words.last_mut() {
                word.pieces.push((piece.to_string(), style));
            }
        }
        if !text.is_empty() {
            space_pending = text.ends_with(char::is_whitespace);
        }
    }
    words
}

/// Wraps words into lines of at most `width` columns; returns each line's text and its width.
fn wrap(words: &[Word], width: usize, colour: bool) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in words {
        let mut shown = String::new();
        let mut visible = 0;
        for (text, style) in &word.pieces {
            match (style, colour) {
                (Some(style), true) => {
                    shown.push_str(&format!("{style}{text}{style:#}"));
                    visible += text.width();
                }
                (Some(style), false) => {
                    let (open, close) = if *style == DELETED {
                        ("[-", "-]")
                    } else {
                        ("{+", "+}")
                    };
                    let t = format!("{open}{text}{close}");
                    visible += t.width();
                    shown.push_str(&t);
                }
                (None, _) => {
                    shown.push_str(text);
                    visible += text.width();
                }
            }
        }
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

/// Text from the articles as a terminal report shows it: escape sequences and other control
/// characters (which a page or a JSONL string may carry) are dropped, so that they cannot pass for
/// the report's own colour, move the cursor or retitle the window.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        Cow::Owned(
            anstream::adapter::strip_str(text)
                .to_string()
                .chars()
                .filter(|&c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// A message for standard error on one line: every control character, line breaks included, shown
/// escaped (`\n`, `\u{1b}`), so that a file name cannot forge a line or drive the terminal.
pub fn one_line(text: &str) -> Cow<'_, str> {
    stemma_input::escape_controls(text)
}
