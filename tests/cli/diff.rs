//! `stemma diff A B` end to end: the JSON report, text output, the seed corpus and bad input.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::common::{example, seeds, stderr_of, stdout_of, stemma};

fn run_diff(args: &[&str], a: &Path, b: &Path) -> Output {
    stemma()
        .arg("diff")
        .args(args)
        .arg(a)
        .arg(b)
        .output()
        .expect("running stemma")
}

/// Runs `stemma diff --format json a b`, checks it succeeded and printed exactly one JSON object.
fn diff_json(a: &Path, b: &Path) -> Value {
    let output = run_diff(&["--format", "json"], a, b);
    let stderr = stderr_of(&output);
    assert!(
        output.status.success(),
        "stemma diff {} {} failed: {:?}\n{stderr}",
        a.display(),
        b.display(),
        output.status
    );
    assert!(stderr.is_empty(), "unexpected stderr: {stderr}");
    let stdout = stdout_of(&output);
    let values: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("stdout is JSON");
    assert_eq!(values.len(), 1, "expected exactly one JSON value: {stdout}");
    assert!(stdout.ends_with("}\n"), "one object and a newline");
    let value = values.into_iter().next().unwrap_or_default();
    assert!(value.is_object(), "expected a JSON object: {value}");
    value
}

fn num(report: &Value, field: &str) -> f64 {
    report[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {report}"))
}

fn groups(report: &Value) -> &Vec<Value> {
    report["alignments"]
        .as_array()
        .expect("alignments is an array")
}

/// Text output of `stemma diff` with the given layout.
fn diff_text(layout: &str, a: &Path, b: &Path) -> String {
    let output = run_diff(&["--layout", layout], a, b);
    assert!(
        output.status.success(),
        "stemma diff failed: {}",
        stderr_of(&output)
    );
    assert!(output.stderr.is_empty(), "{}", stderr_of(&output));
    stdout_of(&output)
}

/// A fresh scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stemma-e2e-diff-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating scratch folder");
    dir
}

// ---------------------------------------------------------------------------------------------
// The demo corpus, JSON.

#[test]
fn json_report_of_wire_and_spun_has_the_documented_shape() {
    let report = diff_json(&example("wire.txt"), &example("spun.txt"));
    let wire = std::fs::read_to_string(example("wire.txt")).expect("reading wire.txt");

    assert_eq!(report["a"], "wire");
    assert_eq!(report["b"], "spun");
    for field in ["coverage_a", "coverage_b"] {
        let coverage = num(&report, field);
        assert!((0.0..=1.0).contains(&coverage), "{field} = {coverage}");
        assert!(
            coverage > 0.6,
            "{field} = {coverage}: spun is a paraphrase of wire"
        );
    }

    let alignments = groups(&report);
    assert!(!alignments.is_empty(), "no aligned groups");
    let mut single_sentence_groups = 0;
    for group in alignments {
        for side in ["a_sentences", "b_sentences"] {
            let indices = group[side].as_array().expect("sentence list");
            assert!(!indices.is_empty(), "{side} is empty in {group}");
            assert!(
                indices.iter().all(|i| i.is_u64()),
                "{side} holds non-integers in {group}"
            );
        }
        let a_text = group["a_text"].as_str().expect("a_text");
        let b_text = group["b_text"].as_str().expect("b_text");
        let score = num(group, "score");
        assert!(score > 0.0 && score <= 1.0, "score {score} in {group}");
        assert!(group["in_order"].is_boolean(), "in_order in {group}");

        let runs = group["diff"].as_array().expect("diff runs");
        assert!(!runs.is_empty(), "empty diff in {group}");
        let (mut side_a, mut side_b) = (String::new(), String::new());
        for run in runs {
            let op = run["op"].as_str().expect("op");
            assert!(
                ["equal", "delete", "insert", "replace"].contains(&op),
                "unknown op {op}"
            );
            let a = run["a"].as_str().expect("run a");
            let b = run["b"].as_str().expect("run b");
            match op {
                "delete" => assert!(!a.is_empty() && b.is_empty(), "bad delete {run}"),
                "insert" => assert!(a.is_empty() && !b.is_empty(), "bad insert {run}"),
                "replace" => assert!(!a.is_empty() && !b.is_empty(), "bad replace {run}"),
                _ => {}
            }
            side_a.push_str(a);
            side_b.push_str(b);
        }
        assert_eq!(side_a, a_text, "diff's A side is not a_text");
        assert_eq!(side_b, b_text, "diff's B side is not b_text");

        if group["a_sentences"].as_array().map(Vec::len) == Some(1) {
            single_sentence_groups += 1;
            assert!(
                wire.contains(a_text),
                "a_text of a one-sentence group is not verbatim in wire.txt: {a_text:?}"
            );
        }
    }
    assert!(
        single_sentence_groups > 0,
        "no one-sentence groups to check"
    );
}

#[test]
fn swapping_the_articles_swaps_the_coverages() {
    let forward = diff_json(&example("wire.txt"), &example("spun.txt"));
    let backward = diff_json(&example("spun.txt"), &example("wire.txt"));
    assert_eq!(backward["a"], "spun");
    assert_eq!(backward["b"], "wire");
    assert_eq!(num(&forward, "coverage_a"), num(&backward, "coverage_b"));
    assert_eq!(num(&forward, "coverage_b"), num(&backward, "coverage_a"));
    assert_eq!(groups(&forward).len(), groups(&backward).len());
}

#[test]
fn an_independent_report_is_covered_less_than_derived_copies() {
    let wire = example("wire.txt");
    let independent = num(&diff_json(&wire, &example("independent.txt")), "coverage_b");
    let spun = num(&diff_json(&wire, &example("spun.txt")), "coverage_b");
    let syndicated = num(&diff_json(&wire, &example("syndicated.txt")), "coverage_b");
    assert!(
        independent < spun && independent < syndicated,
        "coverage_b: independent {independent}, spun {spun}, syndicated {syndicated}"
    );
}

#[test]
fn a_bom_prefixed_file_is_read_as_text() {
    let dir = scratch("bom");
    let wire_path = example("wire.txt");
    let wire = std::fs::read(&wire_path).expect("reading wire.txt");
    let bom_path = dir.join("wire_bom.txt");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&wire);
    std::fs::write(&bom_path, bytes).expect("writing BOM file");

    let report = diff_json(&bom_path, &wire_path);
    assert_eq!(report["a"], "wire_bom");
    assert_eq!(num(&report, "coverage_a"), 1.0);
    assert_eq!(num(&report, "coverage_b"), 1.0);
    let plain = diff_json(&wire_path, &wire_path);
    assert_eq!(
        report["alignments"], plain["alignments"],
        "the BOM changed the alignment"
    );
    let first = groups(&report)
        .first()
        .and_then(|g| g["a_text"].as_str())
        .expect("a first group");
    assert!(!first.starts_with('\u{feff}'), "the BOM leaked into a_text");

    let text = diff_text("inline", &bom_path, &wire_path);
    assert!(
        !text.contains('\u{feff}'),
        "the BOM leaked into text output"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// The demo corpus, text.

fn check_text_output(text: &str) {
    assert!(text.starts_with("wire ↔ syndicated: "), "header: {text}");
    assert!(text.contains("[-"), "no deletion markers");
    assert!(text.contains("{+"), "no insertion markers");
    assert!(!text.contains('\u{1b}'), "colour escapes despite NO_COLOR");
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("coverage: wire ") && last.contains("% aligned, syndicated "),
        "last line is not the coverage line: {last:?}"
    );
}

#[test]
fn text_output_inline() {
    let text = diff_text("inline", &example("wire.txt"), &example("syndicated.txt"));
    check_text_output(&text);
    insta::assert_snapshot!("wire_syndicated_inline", text);
}

#[test]
fn text_output_side_by_side() {
    let text = diff_text(
        "side-by-side",
        &example("wire.txt"),
        &example("syndicated.txt"),
    );
    check_text_output(&text);
    assert!(text.contains(" │ "), "no column separator");
    insta::assert_snapshot!("wire_syndicated_side_by_side", text);
}

#[test]
fn auto_layout_is_inline_when_stdout_is_not_a_terminal() {
    let (wire, syndicated) = (example("wire.txt"), example("syndicated.txt"));
    assert_eq!(
        diff_text("auto", &wire, &syndicated),
        diff_text("inline", &wire, &syndicated)
    );
}

/// The aligned groups of text output: for each group, its lines below the label, without the
/// two-space indent.
fn text_groups(text: &str) -> Vec<Vec<&str>> {
    let blocks: Vec<&str> = text.split("\n\n").collect();
    assert!(blocks.len() >= 2, "no header or coverage block: {text}");
    blocks[1..blocks.len() - 1]
        .iter()
        .map(|block| {
            let mut lines = block.lines();
            let label = lines.next().unwrap_or_default();
            assert!(label.starts_with("A #"), "not a group label: {label:?}");
            lines
                .map(|line| {
                    line.strip_prefix("  ")
                        .unwrap_or_else(|| panic!("line without indent: {line:?}"))
                })
                .collect()
        })
        .collect()
}

/// Words separated by single spaces.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `squeeze` without the space before closing punctuation, in lower case and with typographic quotes
/// and dashes folded. Unchanged runs are shown in B's spelling, as the word diff compares words
/// folded; and dropping an inserted phrase from `report {+from 2022+}, seen` leaves `report , seen`.
fn loose(text: &str) -> String {
    let squeezed = squeeze(text);
    let mut out = String::with_capacity(squeezed.len());
    let mut chars = squeezed.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && chars.peek().is_some_and(|next| ",.;:!?)".contains(*next)) {
            continue;
        }
        out.extend(c.to_lowercase().map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        }));
    }
    out
}

/// Text with the `open … close` spans either kept (markers removed) or dropped.
fn resolve(text: &str, open: &str, close: &str, keep: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let end = after
            .find(close)
            .unwrap_or_else(|| panic!("unclosed {open} in {text:?}"));
        if keep {
            out.push_str(&after[..end]);
        }
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Pairs of the demo corpus whose text output is checked word by word.
const TEXT_PAIRS: [(&str, &str); 6] = [
    ("wire.txt", "syndicated.txt"),
    ("wire.txt", "spun.txt"),
    ("wire.txt", "partial.txt"),
    ("wire.txt", "independent.txt"),
    ("syndicated.txt", "second_generation.txt"),
    ("spun.txt", "wire.txt"),
];

/// Inline output read without the insertions is A's text and without the deletions is B's: no
/// word is lost, doubled, glued to its neighbour (`record[-in the province-]`) or split
/// (`long-[-running-] {+standing+}` read as B is `long- standing`) by the `[-…-]{+…+}` markers.
#[test]
fn inline_text_reads_as_both_articles() {
    let mut failures = Vec::new();
    for (a, b) in TEXT_PAIRS {
        let report = diff_json(&example(a), &example(b));
        let text = diff_text("inline", &example(a), &example(b));
        let shown = text_groups(&text);
        assert_eq!(shown.len(), groups(&report).len(), "group count of {text}");
        for (lines, group) in shown.iter().zip(groups(&report)) {
            assert_eq!(lines.len(), 1, "inline group is not one line: {lines:?}");
            let line = lines[0];
            let as_a = resolve(&resolve(line, "{+", "+}", false), "[-", "-]", true);
            let as_b = resolve(&resolve(line, "[-", "-]", false), "{+", "+}", true);
            for (side, shown, field) in [("A", as_a, "a_text"), ("B", as_b, "b_text")] {
                let expected = group[field].as_str().expect("group text");
                if loose(&shown) != loose(expected) {
                    failures.push(format!(
                        "{a} ~ {b}: does not read as {side}:\n  {line}\n  read: {}\n  text: {}",
                        loose(&shown),
                        loose(expected)
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} inline lines lose, glue or split words:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// In side-by-side output the left column, markers removed, is A's text and the right column is
/// B's: wrapping and marking add or drop no space (`record ,` for `record,`) and no word.
#[test]
fn side_by_side_columns_read_as_the_articles() {
    let mut failures = Vec::new();
    for (a, b) in TEXT_PAIRS {
        let report = diff_json(&example(a), &example(b));
        let text = diff_text("side-by-side", &example(a), &example(b));
        let shown = text_groups(&text);
        assert_eq!(shown.len(), groups(&report).len(), "group count of {text}");
        for (lines, group) in shown.iter().zip(groups(&report)) {
            let (mut left, mut right) = (String::new(), String::new());
            for line in lines {
                let (l, r) = line
                    .split_once(" \u{2502} ")
                    .unwrap_or_else(|| panic!("no column separator: {line:?}"));
                left.push_str(l);
                left.push(' ');
                right.push_str(r);
                right.push(' ');
            }
            let columns = [
                ("left", resolve(&left, "[-", "-]", true), "a_text"),
                ("right", resolve(&right, "{+", "+}", true), "b_text"),
            ];
            for (side, shown, field) in columns {
                let expected = group[field].as_str().expect("group text");
                if squeeze(&shown) != squeeze(expected) {
                    failures.push(format!(
                        "{a} ~ {b}: {side} column is not {field}:\n{}\n  read: {}\n  text: {}",
                        lines.join("\n"),
                        squeeze(&shown),
                        squeeze(expected)
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} side-by-side columns add or drop spaces or words:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The seed corpus.

fn seed(prefix: &str) -> PathBuf {
    let dir = seeds();
    let mut matches: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("listing ../shared/seeds")
        .map(|entry| entry.expect("reading ../shared/seeds").path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "txt")
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{prefix}_")))
        })
        .collect();
    assert_eq!(
        matches.len(),
        1,
        "expected one seed file starting with {prefix}_ in {}: {matches:?}",
        dir.display()
    );
    matches.remove(0)
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn seeds_related_pairs_are_covered_more_than_independent_pairs() {
    let coverage = |x: &str, y: &str| {
        let report = diff_json(&seed(x), &seed(y));
        num(&report, "coverage_a").max(num(&report, "coverage_b"))
    };
    let related: Vec<(String, f64)> = [("000", "002"), ("000", "004"), ("002", "004")]
        .iter()
        .map(|(x, y)| (format!("{x}~{y}"), coverage(x, y)))
        .collect();
    let independent: Vec<(String, f64)> = [("000", "001"), ("000", "003")]
        .iter()
        .map(|(x, y)| (format!("{x}~{y}"), coverage(x, y)))
        .collect();
    let weakest_related = related
        .iter()
        .map(|(_, c)| *c)
        .fold(f64::INFINITY, f64::min);
    for (pair, c) in &independent {
        assert!(
            *c < weakest_related,
            "independent pair {pair} has coverage {c}, not below the weakest related pair \
             ({weakest_related}); related: {related:?}, independent: {independent:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input.

/// Runs `stemma diff` with `bad` as A and then as B (the other side being a good article) and checks
/// that it fails cleanly, naming the file and giving `reason`.
fn assert_rejected(bad: &Path, reason: &str) {
    let good = example("wire.txt");
    for (a, b) in [(bad, good.as_path()), (good.as_path(), bad)] {
        for format in ["text", "json"] {
            let output = run_diff(&["--format", format], a, b);
            let stderr = stderr_of(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "stemma diff {} {}: status {:?}, stderr {stderr}",
                a.display(),
                b.display(),
                output.status
            );
            assert!(!stderr.contains("panicked"), "panic: {stderr}");
            assert!(
                stderr.contains(&bad.display().to_string()),
                "stderr does not name {}: {stderr}",
                bad.display()
            );
            assert!(
                stderr.contains(reason),
                "stderr does not say {reason:?}: {stderr}"
            );
            assert!(
                !stderr.contains(&good.display().to_string()),
                "stderr blames the good file: {stderr}"
            );
            assert!(output.stdout.is_empty(), "output despite the error");
        }
    }
}

#[test]
fn a_missing_file_is_an_error() {
    let dir = scratch("missing");
    assert_rejected(&dir.join("no-such-article.txt"), "not found");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_is_an_error() {
    let dir = scratch("directory");
    let folder = dir.join("a-folder.txt");
    std::fs::create_dir(&folder).expect("creating folder");
    assert_rejected(&folder, "is a folder, expected a file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_binary_file_is_an_error() {
    let dir = scratch("binary");
    let path = dir.join("image.txt");
    std::fs::write(&path, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;The dam failed.").expect("writing");
    assert_rejected(&path, "binary data, not text");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_not_in_utf8_is_read_and_the_guess_said() {
    let dir = scratch("utf8");
    let path = dir.join("latin1.txt");
    std::fs::write(
        &path,
        b"The caf\xE9 by the dam was flooded. Residents left the caf\xE9 and the mus\xE9e.\n",
    )
    .expect("writing");
    let output = run_diff(&["--format", "json"], &path, &example("wire.txt"));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "stemma: {}: not UTF-8; read as windows-1252 (detected)\n",
            path.display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_web_archive_is_an_error() {
    let dir = scratch("warc");
    let path = dir.join("crawl.warc");
    std::fs::write(&path, b"WARC/1.1\r\nContent-Length: 0\r\n\r\n\r\n\r\n").expect("writing");
    assert_rejected(&path, "holds many articles");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_file_is_an_error() {
    let dir = scratch("empty");
    let path = dir.join("empty.txt");
    std::fs::write(&path, b"").expect("writing");
    assert_rejected(&path, "empty file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_whitespace_only_file_is_an_error() {
    let dir = scratch("whitespace");
    let path = dir.join("blank.txt");
    std::fs::write(&path, " \n\t\r\n  \n").expect("writing");
    assert_rejected(&path, "contains only whitespace");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_bad_files_are_both_named() {
    let dir = scratch("both");
    let missing = dir.join("missing.txt");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("writing");
    let output = run_diff(&[], &missing, &empty);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(
        stderr.contains(&format!("{}: not found", missing.display())),
        "A not named: {stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: empty file", empty.display())),
        "B not named: {stderr}"
    );
    assert!(output.stdout.is_empty(), "output despite the errors");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// Broken pipe.

/// A reader that closes the pipe early (`stemma diff … | head`) is not an error, in either format.
///
/// The read end is closed right after the process starts, long before it has read and aligned the
/// articles, so its first write meets a closed pipe. (Were it ever to write first, it would succeed
/// and the test would still pass, never fail spuriously.)
#[test]
fn a_closed_pipe_is_not_an_error() {
    let wire = example("wire.txt");
    for format in ["json", "text"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stemma"))
            .env("NO_COLOR", "1")
            .args(["diff", "--format", format, "--layout", "inline"])
            .arg(&wire)
            .arg(&wire)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting stemma");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("waiting for stemma");
        let stderr = stderr_of(&output);
        assert!(
            output.status.success() && stderr.is_empty(),
            "--format {format} into a closed pipe: status {:?}, stderr {stderr}",
            output.status
        );
    }
}
