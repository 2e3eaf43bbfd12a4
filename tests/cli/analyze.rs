//! `stemma analyze PATH...` end to end: the demo corpus (DOT and JSON), determinism, the seed corpus,
//! bad input, standard input, `-o`, `--all-pairs`, and the progress indicator staying off pipes.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use crate::common::{
    EXAMPLE_IDS, EXAMPLES, example, example_text, seeds, stderr_of, stemma, succeeded,
};

/// `stemma analyze ARGS...` run in `dir`.
fn analyze_in(dir: &Path, args: &[&str]) -> Output {
    stemma()
        .current_dir(dir)
        .arg("analyze")
        .args(args)
        .output()
        .expect("running stemma")
}

/// Parses standard output as exactly one JSON object.
fn one_json(stdout: &str) -> Value {
    let values: Vec<Value> = serde_json::Deserializer::from_str(stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}"));
    assert_eq!(values.len(), 1, "expected exactly one JSON value: {stdout}");
    let value = values.into_iter().next().unwrap_or_default();
    assert!(value.is_object(), "expected a JSON object: {value}");
    value
}

/// `stemma analyze --format json ARGS...` in `dir`: its JSON, and its standard error.
fn json_in(dir: &Path, args: &[&str]) -> (Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = analyze_in(dir, &all);
    let stdout = succeeded(&output, &format!("stemma analyze {args:?}"));
    (one_json(&stdout), stderr_of(&output))
}

/// The JSON report of the demo folder, as printed (computed once).
fn examples_json_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let output = analyze_in(Path::new(EXAMPLES), &["--format", "json", "."]);
        let stdout = succeeded(&output, "stemma analyze examples");
        assert_eq!(stderr_of(&output), "", "the demo corpus reads cleanly");
        stdout
    })
}

fn examples_report() -> Value {
    one_json(examples_json_text())
}

/// The JSON report of the seed folder (computed once).
fn seeds_report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        let (report, stderr) = json_in(&seeds(), &["."]);
        assert_eq!(stderr, "", "the seed corpus reads cleanly");
        report
    })
}

fn array<'a>(report: &'a Value, field: &str) -> &'a Vec<Value> {
    report[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field} is not an array in {report:#}"))
}

fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string in {value}"))
}

/// Related pairs as sorted `(a, b)` id pairs.
fn pair_set(report: &Value) -> BTreeSet<(String, String)> {
    array(report, "pairs")
        .iter()
        .map(|p| {
            let (a, b) = (str_of(p, "a"), str_of(p, "b"));
            assert!(a < b, "pair ids are not sorted: {p}");
            (a.to_string(), b.to_string())
        })
        .collect()
}

/// Graph edges as `(source, target, direction)`.
fn edge_list(report: &Value) -> Vec<(String, String, String)> {
    array(report, "edges")
        .iter()
        .map(|e| {
            (
                str_of(e, "source").to_string(),
                str_of(e, "target").to_string(),
                str_of(e, "direction").to_string(),
            )
        })
        .collect()
}

fn document<'a>(report: &'a Value, id: &str) -> &'a Value {
    array(report, "documents")
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no document {id} in {:#}", report["documents"]))
}

fn document_ids(report: &Value) -> Vec<String> {
    array(report, "documents")
        .iter()
        .map(|d| str_of(d, "id").to_string())
        .collect()
}

fn relation_of(report: &Value, a: &str, b: &str) -> Option<String> {
    array(report, "pairs")
        .iter()
        .find(|p| p["a"] == a && p["b"] == b)
        .map(|p| str_of(p, "relation").to_string())
}

/// A scratch folder with `good/` holding two related articles of the demo corpus (wire and its
/// syndicated copy), without metadata.
fn scratch_with_good() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("creating a scratch folder");
    let good = dir.path().join("good");
    std::fs::create_dir(&good).expect("creating good/");
    for id in ["wire", "syndicated"] {
        std::fs::copy(
            example(&format!("{id}.txt")),
            good.join(format!("{id}.txt")),
        )
        .expect("copying an example");
    }
    dir
}

/// Checks that the two good articles were analysed and found related.
fn good_was_analysed(report: &Value) {
    assert_eq!(document_ids(report), ["syndicated", "wire"]);
    assert_eq!(
        relation_of(report, "syndicated", "wire").as_deref(),
        Some("syndicated"),
        "the good articles were not analysed as usual: {:#}",
        report["pairs"]
    );
}

/// The lines of standard error.
fn lines(stderr: &str) -> Vec<&str> {
    stderr.lines().collect()
}

// ---------------------------------------------------------------------------------------------
// The demo corpus.

/// A node of the DOT output: its index and label.
type DotNode = (usize, String);
/// An edge of the DOT output: source and target indices, label.
type DotEdge = (usize, usize, String);

/// Parses the DOT output (one statement a line) into nodes and edges.
fn parse_dot(dot: &str) -> (Vec<DotNode>, Vec<DotEdge>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for line in dot.lines().map(str::trim) {
        if line == "digraph {" || line == "}" {
            continue;
        }
        let (head, attrs) = line
            .split_once(" [ ")
            .unwrap_or_else(|| panic!("unexpected DOT line {line:?}"));
        let label = attrs
            .strip_prefix("label=\"")
            .and_then(|rest| rest.split_once("\" ").or_else(|| rest.split_once("\"]")))
            .map(|(label, _)| label.to_string())
            .unwrap_or_else(|| panic!("no label in {line:?}"));
        match head.split_once(" -> ") {
            Some((s, t)) => edges.push((
                s.parse().expect("edge source index"),
                t.parse().expect("edge target index"),
                label,
            )),
            None => nodes.push((head.parse().expect("node index"), label)),
        }
    }
    (nodes, edges)
}

#[test]
fn examples_dot_is_the_derivation_graph() {
    let output = analyze_in(Path::new(EXAMPLES), &["--format", "dot", "."]);
    let dot = succeeded(&output, "stemma analyze --format dot examples");
    assert_eq!(stderr_of(&output), "");
    assert!(
        dot.starts_with("digraph {\n") && dot.ends_with("}\n"),
        "{dot}"
    );
    assert!(!dot.contains('\u{1b}'));

    let meta: Vec<Value> = std::fs::read_to_string(example("meta.jsonl"))
        .expect("reading meta.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("meta.jsonl line"))
        .collect();
    let (nodes, edges) = parse_dot(&dot);
    assert_eq!(nodes.len(), 6, "six articles, no missing source: {dot}");
    let mut id_of = std::collections::BTreeMap::new();
    for (index, label) in &nodes {
        // id, publisher and time, on three lines (the newlines escaped).
        let parts: Vec<&str> = label.split("\\n").collect();
        assert_eq!(parts.len(), 3, "label {label:?}");
        let m = meta
            .iter()
            .find(|m| m["id"] == parts[0])
            .unwrap_or_else(|| panic!("node {label:?} is no article"));
        assert_eq!(parts[1], str_of(m, "publisher"), "{label}");
        assert_eq!(parts[2], str_of(m, "published"), "{label}");
        id_of.insert(*index, parts[0].to_string());
    }
    let directed: BTreeSet<(&str, &str)> = edges
        .iter()
        .map(|(s, t, _)| (id_of[s].as_str(), id_of[t].as_str()))
        .collect();
    for edge in [
        ("wire", "syndicated"),
        ("syndicated", "second_generation"),
        ("wire", "spun"),
    ] {
        assert!(directed.contains(&edge), "no edge {edge:?} in {dot}");
    }
    assert!(
        directed.contains(&("wire", "partial")) || directed.contains(&("syndicated", "partial")),
        "partial hangs under neither wire nor syndicated: {dot}"
    );
    assert_eq!(edges.len(), 4, "a tree over five articles: {dot}");
    assert!(
        !directed
            .iter()
            .any(|(s, t)| *s == "independent" || *t == "independent"),
        "independent is linked: {dot}"
    );
    insta::assert_snapshot!("examples_dot", dot);
}

#[test]
fn dot_labels_are_escaped() {
    // Ids and publishers with quotes, backslashes and a newline, read from JSONL on standard input.
    let lines = [
        serde_json::json!({
            "id": "wire \"A\"",
            "publisher": "The \"North\" \\ Wire",
            "text": example_text("wire"),
        }),
        serde_json::json!({
            "id": "copy\\B",
            "publisher": "Line one\nline two",
            "text": example_text("syndicated"),
        }),
    ];
    let stdin: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let output = stemma()
        .args(["analyze", "--format", "dot", "-"])
        .write_stdin(stdin)
        .output()
        .expect("running stemma");
    let dot = succeeded(&output, "stemma analyze --format dot -");
    assert_eq!(stderr_of(&output), "");
    // (The syndicated text states its own publication time, which comes after the publisher.)
    assert!(
        dot.contains(r#"label="copy\\B\nLine one\nline two\n"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"label="wire \"A\"\nThe \"North\" \\ Wire" shape=box"#),
        "{dot}"
    );
    // One statement per line: no raw newline or unescaped quote broke a label.
    for line in dot.lines() {
        let unescaped_quotes = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped_quotes % 2, 0, "unbalanced quotes in {line:?}");
    }
    assert_eq!(dot.lines().count(), 5, "{dot}");
    assert!(dot.contains(" -> "), "the two articles are linked: {dot}");
}

#[test]
fn examples_json_families_and_directions() {
    let report = examples_report();
    assert_eq!(document_ids(&report), EXAMPLE_IDS);
    for d in array(&report, "documents") {
        assert_eq!(d["published_from"], "metadata", "{d}");
    }

    // independent is in no pair; the five others are all related to each other.
    let pairs = pair_set(&report);
    assert!(
        pairs
            .iter()
            .all(|(a, b)| a != "independent" && b != "independent"),
        "independent is paired: {pairs:?}"
    );
    let five: Vec<&str> = EXAMPLE_IDS[1..].to_vec();
    let expected: BTreeSet<(String, String)> = five
        .iter()
        .flat_map(|a| five.iter().map(move |b| (a.to_string(), b.to_string())))
        .filter(|(a, b)| a < b)
        .collect();
    assert_eq!(pairs, expected);

    // Every article has a time, so every edge is oriented by them, from earlier to later.
    let edges = edge_list(&report);
    assert_eq!(edges.len(), 4, "{edges:?}");
    for (source, target, direction) in &edges {
        assert_eq!(direction, "timestamp", "{source} → {target}");
        let time = |id: &str| str_of(document(&report, id), "published").to_string();
        assert!(time(source) < time(target), "{source} → {target}");
        assert!(source != "independent" && target != "independent");
    }

    let families = array(&report, "families");
    assert_eq!(families.len(), 1, "{families:?}");
    let members: Vec<&str> = array(&families[0], "members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // In time order.
    assert_eq!(
        members,
        ["wire", "syndicated", "second_generation", "spun", "partial"]
    );
    assert!(array(&families[0], "missing_sources").is_empty());
    assert!(
        array(&report, "nodes")
            .iter()
            .all(|n| n["kind"] == "article")
    );
}

// ---------------------------------------------------------------------------------------------
// Determinism.

#[test]
fn json_does_not_depend_on_the_thread_count() {
    let reference = examples_json_text();
    for threads in ["1", "2"] {
        let output = stemma()
            .current_dir(EXAMPLES)
            .env("RAYON_NUM_THREADS", threads)
            .args(["analyze", "--format", "json", "."])
            .output()
            .expect("running stemma");
        let stdout = succeeded(&output, "stemma analyze");
        assert!(
            stdout == reference,
            "the report with RAYON_NUM_THREADS={threads} differs from the default's"
        );
    }
}

#[test]
fn json_does_not_depend_on_the_input_order() {
    let reference = examples_json_text();
    let orders = [
        [
            "independent.txt",
            "partial.txt",
            "second_generation.txt",
            "spun.txt",
            "syndicated.txt",
            "wire.txt",
        ],
        [
            "spun.txt",
            "wire.txt",
            "partial.txt",
            "independent.txt",
            "second_generation.txt",
            "syndicated.txt",
        ],
    ];
    for order in orders {
        let mut args = vec!["--format", "json", "--meta", "meta.jsonl"];
        args.extend(&order);
        let output = analyze_in(Path::new(EXAMPLES), &args);
        let stdout = succeeded(&output, "stemma analyze FILES");
        assert_eq!(stderr_of(&output), "", "{order:?}");
        assert!(
            stdout == reference,
            "the report for the files named in the order {order:?} differs from the folder's"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The seed corpus.

const SEED_RELATED: [&str; 3] = [
    "000_1cdc5eb8c7f642e6",
    "002_0328ac7a846e38ba",
    "004_312e8d815515b10d",
];
const SEED_INDEPENDENT: [&str; 2] = ["001_a8465210b3e96f81", "003_19e4bcb3ec40c178"];

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn seeds_family_with_a_missing_source() {
    let report = seeds_report();
    let pairs = pair_set(report);
    let expected: BTreeSet<(String, String)> = [(0, 1), (0, 2), (1, 2)]
        .iter()
        .map(|&(i, j)| (SEED_RELATED[i].to_string(), SEED_RELATED[j].to_string()))
        .collect();
    assert_eq!(
        pairs, expected,
        "000, 002 and 004 are linked pairwise, alone"
    );

    let families = array(report, "families");
    assert_eq!(families.len(), 1, "{families:?}");
    let mut members: Vec<&str> = array(&families[0], "members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    members.sort_unstable();
    assert_eq!(members, SEED_RELATED);
    let missing: Vec<&str> = array(&families[0], "missing_sources")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(missing.len(), 1, "{families:?}");
    let missing = missing[0];
    let node = array(report, "nodes")
        .iter()
        .find(|n| n["id"] == missing)
        .unwrap_or_else(|| panic!("no node {missing}"));
    assert_eq!(node["kind"], "missing_source");

    let edges = edge_list(report);
    let mut children: Vec<&str> = edges
        .iter()
        .filter(|(s, _, _)| s == missing)
        .map(|(_, t, _)| t.as_str())
        .collect();
    children.sort_unstable();
    assert_eq!(children, SEED_RELATED, "the missing source's children");
    for (source, target, _) in &edges {
        for id in SEED_INDEPENDENT {
            assert!(source != id && target != id, "{id} has an edge");
        }
    }
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn seeds_only_000_has_a_time_and_no_direction_is_invented() {
    let report = seeds_report();
    for d in array(report, "documents") {
        if d["id"] == SEED_RELATED[0] {
            assert_eq!(d["published"], "2023-05-23T22:33:50.746Z", "{d}");
            assert_eq!(d["published_from"], "text", "{d}");
        } else {
            assert!(d["published"].is_null(), "{d}");
            assert!(d["published_from"].is_null(), "{d}");
        }
    }
    let articles: BTreeSet<&str> = array(report, "nodes")
        .iter()
        .filter(|n| n["kind"] == "article")
        .map(|n| str_of(n, "id"))
        .collect();
    assert_eq!(articles.len(), 5);
    for (source, target, direction) in edge_list(report) {
        if articles.contains(source.as_str()) && articles.contains(target.as_str()) {
            assert_ne!(direction, "timestamp", "{source} → {target}");
        }
        assert_ne!(direction, "timestamp", "only one article has a time");
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input: one line on standard error naming the file (and line), the rest analysed.

#[test]
fn missing_path_next_to_a_good_folder() {
    let dir = scratch_with_good();
    let (report, stderr) = json_in(dir.path(), &["nothere.txt", "good"]);
    assert_eq!(lines(&stderr), ["stemma: nothere.txt: not found"]);
    good_was_analysed(&report);
}

#[test]
fn binary_file_is_skipped() {
    let dir = scratch_with_good();
    std::fs::write(
        dir.path().join("good/image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .expect("writing");
    let (report, stderr) = json_in(dir.path(), &["good"]);
    let l = lines(&stderr);
    assert_eq!(l.len(), 1, "{stderr}");
    assert!(
        l[0].starts_with("stemma: good/image.txt: binary"),
        "{stderr}"
    );
    good_was_analysed(&report);
}

#[test]
fn text_not_in_utf8_is_read_and_the_guess_said() {
    let dir = scratch_with_good();
    std::fs::write(
        dir.path().join("latin1.txt"),
        b"Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e.\nSecond line.\n",
    )
    .expect("writing");
    let (report, stderr) = json_in(dir.path(), &["latin1.txt", "good"]);
    assert_eq!(
        stderr,
        "stemma: latin1.txt: not UTF-8; read as windows-1252 (detected)\n"
    );
    assert_eq!(
        document_ids(&report),
        ["latin1", "syndicated", "wire"],
        "the file is read"
    );
}

#[test]
fn empty_file_is_skipped() {
    let dir = scratch_with_good();
    std::fs::write(dir.path().join("good/empty.txt"), b"").expect("writing");
    std::fs::write(dir.path().join("good/blank.md"), b" \n\t\n").expect("writing");
    let (report, stderr) = json_in(dir.path(), &["good"]);
    let l = lines(&stderr);
    assert_eq!(l.len(), 2, "{stderr}");
    assert!(l[0].starts_with("stemma: good/blank.md: "), "{stderr}");
    assert!(
        l[1].starts_with("stemma: good/empty.txt: empty"),
        "{stderr}"
    );
    good_was_analysed(&report);
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn malformed_jsonl_lines_are_named_by_line() {
    let dir = tempfile::tempdir().expect("scratch");
    let good = |id: &str, source: &str| {
        serde_json::json!({"id": id, "text": example_text(source)}).to_string()
    };
    let content = [
        good("a1", "wire"),
        "{not json".to_string(),
        r#"{"id": "a2", "title": "no text"}"#.to_string(),
        String::new(),
        good("a3", "syndicated"),
    ]
    .join("\n");
    std::fs::write(dir.path().join("c.jsonl"), content).expect("writing");
    let (report, stderr) = json_in(dir.path(), &["c.jsonl"]);
    let l = lines(&stderr);
    assert_eq!(l.len(), 2, "{stderr}");
    assert!(l[0].starts_with("stemma: c.jsonl:2: "), "{stderr}");
    assert!(l[0].contains("JSON"), "{stderr}");
    assert!(l[1].starts_with("stemma: c.jsonl:3: "), "{stderr}");
    assert!(l[1].contains("`text`"), "{stderr}");
    assert_eq!(document_ids(&report), ["a1", "a3"]);
    assert_eq!(
        relation_of(&report, "a1", "a3").as_deref(),
        Some("syndicated")
    );
}

#[test]
fn duplicate_ids_name_both_places_and_keep_the_first() {
    let dir = tempfile::tempdir().expect("scratch");
    let line = |source: &str| {
        serde_json::json!({"id": "x", "text": example_text(source)}).to_string() + "\n"
    };
    std::fs::write(dir.path().join("first.jsonl"), line("wire")).expect("writing");
    std::fs::write(dir.path().join("second.jsonl"), line("spun")).expect("writing");
    std::fs::copy(example("syndicated.txt"), dir.path().join("syndicated.txt")).expect("copying");
    let (report, stderr) = json_in(
        dir.path(),
        &["first.jsonl", "second.jsonl", "syndicated.txt"],
    );
    let l = lines(&stderr);
    assert_eq!(l.len(), 1, "{stderr}");
    assert!(l[0].starts_with("stemma: second.jsonl:1: "), "{stderr}");
    assert!(
        l[0].contains("\"x\"") && l[0].contains("first.jsonl:1"),
        "{stderr}"
    );
    assert_eq!(document_ids(&report), ["syndicated", "x"]);
    // x is the wire text (first read): syndicated is its syndicated copy, not a rewrite of spun.
    assert_eq!(
        relation_of(&report, "syndicated", "x").as_deref(),
        Some("syndicated")
    );
}

#[test]
fn unreadable_time_in_meta_is_reported_and_the_rest_used() {
    let dir = scratch_with_good();
    std::fs::write(
        dir.path().join("good/meta.jsonl"),
        concat!(
            r#"{"id": "wire", "publisher": "Northwire", "published": "31 Feb 2025"}"#,
            "\n",
            r#"{"id": "syndicated", "published": "2025-03-03T10:14:00Z"}"#,
            "\n"
        ),
    )
    .expect("writing");
    let (report, stderr) = json_in(dir.path(), &["good"]);
    let l = lines(&stderr);
    assert_eq!(l.len(), 1, "{stderr}");
    assert!(l[0].starts_with("stemma: good/meta.jsonl:1: "), "{stderr}");
    assert!(l[0].contains("31 Feb 2025"), "{stderr}");
    good_was_analysed(&report);
    let wire = document(&report, "wire");
    assert_eq!(
        wire["publisher"], "Northwire",
        "the rest of the entry is used"
    );
    assert_ne!(wire["published_from"], "metadata", "{wire}");
    let syndicated = document(&report, "syndicated");
    assert_eq!(syndicated["published"], "2025-03-03T10:14:00Z");
}

#[test]
fn nothing_readable_exits_2() {
    let dir = tempfile::tempdir().expect("scratch");
    std::fs::write(dir.path().join("bin.txt"), b"abc\0def").expect("writing");
    std::fs::write(dir.path().join("empty.txt"), b"").expect("writing");
    let output = analyze_in(dir.path(), &["nothere", "bin.txt", "empty.txt"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty());
    let stderr = stderr_of(&output);
    let l = lines(&stderr);
    assert_eq!(l.len(), 4, "{stderr}");
    assert!(l[0].starts_with("stemma: nothere: "), "{stderr}");
    assert!(l[1].starts_with("stemma: bin.txt: "), "{stderr}");
    assert!(l[2].starts_with("stemma: empty.txt: "), "{stderr}");
    assert_eq!(l[3], "stemma: error: no article could be read");
}

#[test]
fn no_path_is_a_usage_error() {
    let output = stemma().arg("analyze").output().expect("running stemma");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty());
    let stderr = stderr_of(&output);
    assert!(stderr.contains("<PATHS>"), "{stderr}");
}

#[test]
fn five_megabyte_line_without_a_full_stop() {
    let dir = tempfile::tempdir().expect("scratch");
    // One sentence of 5 MiB on one line: the wire story's words over and over, without punctuation.
    let wire = example_text("wire");
    let words: Vec<&str> = wire
        .split(|c: char| c.is_whitespace() || ".!?;:\"“”".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut long = String::with_capacity(5 * 1024 * 1024 + 64);
    for word in words.iter().cycle() {
        if long.len() >= 5 * 1024 * 1024 {
            break;
        }
        long.push_str(word);
        long.push(' ');
    }
    std::fs::write(dir.path().join("long.txt"), &long).expect("writing");
    // A short article sharing its words, so that the giant sentence is aligned too (against three
    // sentences, to keep the test quick: the cost grows with the other article's length).
    let lede: Vec<&str> = wire.split("\n\n").skip(1).take(3).collect();
    std::fs::write(dir.path().join("lede.txt"), lede.join("\n\n")).expect("writing");
    let output = analyze_in(dir.path(), &["--format", "json", "long.txt", "lede.txt"]);
    let stdout = succeeded(&output, "stemma analyze long.txt lede.txt");
    let stderr = stderr_of(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The line is cut into windows, and past the sentence limit the rest is not read: both said,
    // on standard error and in the report.
    assert!(
        stderr.contains("stemma: long: 1 sentence longer than 150 words"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stemma: long: only the first 5000 sentences are compared"),
        "{stderr}"
    );
    let report = one_json(&stdout);
    assert_eq!(document_ids(&report), ["lede", "long"]);
    assert_eq!(document(&report, "long")["sentences"], 5000);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 3, "{diagnostics:?}");
    assert!(diagnostics[..2].iter().all(|d| d["source"] == "long"));
    // The windows repeat the same words: a lede sentence meets more than 64 windows sharing them.
    assert_eq!(diagnostics[2]["source"], "lede");
    assert!(
        diagnostics[2]["message"].as_str().is_some_and(
            |m| m.starts_with("with long: some sentences share words with more than 64")
        ),
        "{diagnostics:?}"
    );
    assert_eq!(report["stats"]["aligned_pairs"], 1, "the pair was aligned");
    assert!(
        !report["pairs"].as_array().expect("pairs").is_empty(),
        "the lede's sentences are found in the windows"
    );
}

#[test]
fn dash_reads_jsonl_from_standard_input() {
    let stdin: String = ["wire", "syndicated", "independent"]
        .iter()
        .map(|id| serde_json::json!({"id": id, "text": example_text(id)}).to_string() + "\n")
        .collect();
    let output = stemma()
        .args(["analyze", "--format", "json", "-"])
        .write_stdin(stdin)
        .output()
        .expect("running stemma");
    let stdout = succeeded(&output, "stemma analyze -");
    assert_eq!(stderr_of(&output), "");
    let report = one_json(&stdout);
    assert_eq!(document_ids(&report), ["independent", "syndicated", "wire"]);
    let pairs = pair_set(&report);
    assert_eq!(
        pairs,
        BTreeSet::from([("syndicated".to_string(), "wire".to_string())])
    );
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn output_file_gets_plain_text_and_stdout_nothing() {
    let dir = tempfile::tempdir().expect("scratch");
    let file = dir.path().join("report.txt");
    let forced = |cmd: &mut Command| {
        cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    };
    // Colour forced on standard output reaches it (so the check below means something)…
    let mut cmd = stemma();
    forced(&mut cmd);
    let coloured = cmd
        .current_dir(EXAMPLES)
        .args(["analyze", "."])
        .output()
        .expect("running stemma");
    let coloured = succeeded(&coloured, "stemma analyze with CLICOLOR_FORCE");
    assert!(coloured.contains('\u{1b}'), "colour was not forced");

    // …but never into a file.
    let mut cmd = stemma();
    forced(&mut cmd);
    let output = cmd
        .current_dir(EXAMPLES)
        .args(["analyze", ".", "-o"])
        .arg(&file)
        .output()
        .expect("running stemma");
    let stdout = succeeded(&output, "stemma analyze -o FILE");
    assert_eq!(stdout, "", "nothing on standard output");
    assert_eq!(stderr_of(&output), "");
    let written = std::fs::read_to_string(&file).expect("the output file");
    assert!(!written.contains('\u{1b}'), "escape codes in the file");
    assert!(written.starts_with("6 documents; "), "{written}");
    assert!(
        written.contains("[-") && written.contains("{+"),
        "{written}"
    );
    // The file is what a pipe gets.
    let piped = analyze_in(Path::new(EXAMPLES), &["."]);
    assert_eq!(written, succeeded(&piped, "stemma analyze | …"));

    // JSON too.
    let json_file = dir.path().join("report.json");
    let output = analyze_in(
        Path::new(EXAMPLES),
        &[
            "--format",
            "json",
            ".",
            "--output",
            &json_file.to_string_lossy(),
        ],
    );
    assert_eq!(succeeded(&output, "stemma analyze --output"), "");
    let written = std::fs::read_to_string(&json_file).expect("the output file");
    assert_eq!(written, examples_json_text());

    // The JSON report is streamed through a temporary file renamed into place: a second run replaces
    // the first report whole and leaves nothing else in the folder.
    std::fs::write(&json_file, "an older, longer report ".repeat(10_000)).expect("scratch");
    let output = analyze_in(
        Path::new(EXAMPLES),
        &["--format", "json", ".", "-o", &json_file.to_string_lossy()],
    );
    succeeded(&output, "stemma analyze -o over an older report");
    assert_eq!(
        std::fs::read_to_string(&json_file).expect("the output file"),
        examples_json_text()
    );
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("the scratch folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["report.json", "report.txt"],
        "temporary files left behind"
    );

    // A device is written in place, not renamed over.
    #[cfg(unix)]
    {
        let output = analyze_in(
            Path::new(EXAMPLES),
            &["--format", "json", ".", "-o", "/dev/null"],
        );
        assert_eq!(succeeded(&output, "stemma analyze -o /dev/null"), "");
        assert!(
            Path::new("/dev/null")
                .metadata()
                .is_ok_and(|m| !m.is_file())
        );
    }
}

#[test]
fn escape_codes_in_the_articles_reach_neither_file_nor_terminal() {
    // An escape sequence in an id (which the text report always shows) and in the text.
    let wire = example_text("wire").replacen(
        "gave way early on Monday",
        "gave way \u{1b}[31mearly\u{1b}[0m on Monday",
        1,
    );
    assert!(wire.contains('\u{1b}'));
    let stdin = [
        serde_json::json!({"id": "wire\u{1b}[1m", "text": wire}),
        serde_json::json!({"id": "syndicated", "text": example_text("syndicated")}),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect::<String>();
    let dir = tempfile::tempdir().expect("scratch");
    let file = dir.path().join("report.txt");
    let output = stemma()
        .args(["analyze", "-", "-o"])
        .arg(&file)
        .write_stdin(stdin.clone())
        .output()
        .expect("running stemma");
    assert_eq!(succeeded(&output, "stemma analyze - -o FILE"), "");
    let written = std::fs::read_to_string(&file).expect("the output file");
    // The id's escape is shown as an escape (`\u{1b}`), written out, never sent raw.
    assert!(
        written.contains("syndicated ~ wire\\u{1b}[1m: "),
        "{written}"
    );
    assert!(
        stderr_of(&output).contains("its id has control characters"),
        "{}",
        stderr_of(&output)
    );
    assert!(!written.contains('\u{1b}'), "escape codes in the file");

    // Nor on a (forced) colour terminal: there only the report's own colour has escape codes.
    let coloured = stemma()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["analyze", "-"])
        .write_stdin(stdin)
        .output()
        .expect("running stemma");
    let coloured = succeeded(&coloured, "stemma analyze - with CLICOLOR_FORCE");
    // (Forcing works: see output_file_gets_plain_text_and_stdout_nothing. With it, anstream passes
    // escape codes through untouched, so these would reach the terminal if the report kept them.)
    assert!(
        coloured.contains("syndicated ~ wire\\u{1b}[1m: "),
        "{coloured}"
    );
    assert!(!coloured.contains("wire\u{1b}[1m"), "{coloured}");
}

// ---------------------------------------------------------------------------------------------
// Candidate generation loses nothing.

/// The report's parts that do not count work: related pairs, graph and families.
/// A link's probability is left out: the link model weighs a pair against the document's other pairs
/// with narrative evidence, and `--all-pairs` may align one more such pair that candidate
/// generation skips, which moves a probability slightly but no link of the rules.
fn findings(report: &Value) -> Value {
    let mut pairs = report["pairs"].clone();
    for p in pairs.as_array_mut().into_iter().flatten() {
        p.as_object_mut().map(|p| p.remove("probability"));
    }
    serde_json::json!({
        "pairs": pairs,
        "nodes": report["nodes"],
        "edges": report["edges"],
        "families": report["families"],
    })
}

fn assert_all_pairs_agree(dir: &Path, paths: &[&str]) -> (Value, Value) {
    let (default, _) = json_in(dir, paths);
    let mut args = vec!["--all-pairs"];
    args.extend_from_slice(paths);
    let (all, _) = json_in(dir, &args);
    let n = default["stats"]["documents"].as_u64().unwrap_or_default();
    assert_eq!(
        all["stats"]["aligned_pairs"].as_u64(),
        Some(n * (n - 1) / 2)
    );
    assert!(!array(&default, "pairs").is_empty());
    assert_eq!(
        findings(&default),
        findings(&all),
        "--all-pairs finds something candidate generation missed in {paths:?}"
    );
    (default, all)
}

#[test]
fn all_pairs_agrees_on_the_examples() {
    assert_all_pairs_agree(Path::new(EXAMPLES), &["."]);
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn all_pairs_agrees_on_the_seeds() {
    assert_all_pairs_agree(&seeds(), &["."]);
}

#[test]
#[ignore = "needs ../shared (the seed corpus)"]
fn all_pairs_agrees_on_two_unrelated_corpora_together() {
    // Two stories: candidate generation skips most pairs across them, and still loses nothing.
    let seeds = seeds();
    let (default, _) =
        assert_all_pairs_agree(Path::new(EXAMPLES), &[".", &seeds.to_string_lossy()]);
    let stats = &default["stats"];
    assert_eq!(stats["documents"], 11);
    let aligned = stats["aligned_pairs"].as_u64().unwrap_or_default();
    assert!(
        aligned < 55,
        "candidate generation skipped no pair: {stats}"
    );
}

// ---------------------------------------------------------------------------------------------
// Progress.

#[test]
fn no_progress_on_stderr_when_it_is_not_a_terminal() {
    // Standard input held open for longer than the spinner's delay: a slow run, with standard error
    // a pipe. Nothing but diagnostics may appear there.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["analyze", "--format", "json", "-"])
        .env("TERM", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running stemma");
    let mut stdin = child.stdin.take().expect("stdin");
    std::thread::sleep(Duration::from_millis(1500));
    let line = serde_json::json!({"id": "wire", "text": example_text("wire")}).to_string();
    writeln!(stdin, "{line}").expect("writing to stemma");
    drop(stdin);
    let output = child.wait_with_output().expect("waiting for stemma");
    let stdout = succeeded(&output, "stemma analyze -");
    assert_eq!(stderr_of(&output), "", "progress drawn into a pipe");
    assert_eq!(document_ids(&one_json(&stdout)), ["wire"]);
}

/// The hard-negative corpus in the repository.
const PRESSROOM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/pressroom/corpus"
);

/// Related pairs of a JSON report with their probability.
fn links_with_probability(args: &[&str]) -> Vec<(String, String, f64)> {
    let out = stemma()
        .arg("analyze")
        .arg(PRESSROOM)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("running stemma");
    let report: Value = serde_json::from_str(&succeeded(&out, "analyze pressroom")).expect("JSON");
    report["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["a"].as_str().expect("a").to_owned(),
                p["b"].as_str().expect("b").to_owned(),
                p["probability"]
                    .as_f64()
                    .expect("every link reports a probability"),
            )
        })
        .collect()
}

#[test]
fn the_learned_decision_keeps_the_rule_links_its_model_calls_likely() {
    let learned = links_with_probability(&["--decision", "learned"]);
    assert!(!learned.is_empty());
    for (a, b, p) in &learned {
        assert!(*p >= 0.5 && *p <= 1.0, "{a} ~ {b}: probability {p}");
    }
    // The rules decide otherwise: some of their links the model finds unlikely, so the flag is not
    // ignored.
    let rules = links_with_probability(&[]);
    assert!(
        rules.iter().any(|(_, _, p)| *p < 0.5),
        "every rule link has a probability of at least 0.5"
    );
    assert_ne!(
        rules
            .iter()
            .map(|(a, b, _)| (a, b))
            .collect::<BTreeSet<_>>(),
        learned
            .iter()
            .map(|(a, b, _)| (a, b))
            .collect::<BTreeSet<_>>()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped_with_a_message_instead_of_hanging() {
    let dir = tempfile::tempdir().expect("scratch");
    std::fs::write(dir.path().join("wire.txt"), example_text("wire")).expect("writing");
    std::fs::write(dir.path().join("spun.txt"), example_text("spun")).expect("writing");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.txt"))
        .status()
        .expect("running mkfifo");
    assert!(made.success());
    let output = stemma()
        .current_dir(dir.path())
        .args(["analyze", "."])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running stemma");
    let stdout = succeeded(&output, "stemma analyze a folder with a FIFO");
    assert!(stdout.starts_with("2 documents; "), "{stdout}");
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("pipe.txt") && stderr.contains("not a regular file"),
        "{stderr}"
    );
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("scratch");
    let corpus = dir.path().join("c.jsonl");
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "wire", "text": example_text("wire")}),
        serde_json::json!({"id": "spun", "text": example_text("spun")})
    );
    std::fs::write(&corpus, &lines).expect("writing");
    let output = analyze_in(
        dir.path(),
        &["c.jsonl", "--format", "json", "-o", "c.jsonl"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("the output is one of the inputs"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(std::fs::read_to_string(&corpus).expect("the corpus"), lines);

    // A report written into an input folder as an article would be read as one next time.
    std::fs::create_dir(dir.path().join("folder")).expect("folder");
    std::fs::write(dir.path().join("folder/wire.txt"), example_text("wire")).expect("writing");
    let output = analyze_in(dir.path(), &["folder", "-o", "folder/report.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("folder/report.txt").exists());
    // A JSON report there is not an article: allowed.
    let output = analyze_in(
        dir.path(),
        &["folder", "--format", "json", "-o", "folder/report.json"],
    );
    succeeded(&output, "stemma analyze folder -o folder/report.json");
}

#[cfg(unix)]
#[test]
fn a_replaced_report_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("scratch");
    let report = dir.path().join("report.json");
    std::fs::write(&report, "old").expect("writing");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let output = analyze_in(
        Path::new(EXAMPLES),
        &["--format", "json", ".", "-o", &report.to_string_lossy()],
    );
    succeeded(&output, "stemma analyze -o over an owner-only report");
    let mode = std::fs::metadata(&report)
        .expect("the report")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_ne!(std::fs::read_to_string(&report).expect("the report"), "old");
}

/// The demo corpus split into `wire/` (the wire story) and `crawl/` (the other five), without the
/// metadata file: only the syndicated copy names its own time.
fn scratch_wire_and_crawl() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("creating a scratch folder");
    for side in ["wire", "crawl"] {
        std::fs::create_dir(dir.path().join(side)).expect("creating a side folder");
    }
    for id in EXAMPLE_IDS {
        let side = if id == "wire" { "wire" } else { "crawl" };
        std::fs::copy(
            example(&format!("{id}.txt")),
            dir.path().join(side).join(format!("{id}.txt")),
        )
        .expect("copying an example");
    }
    dir
}

#[test]
fn sources_against_targets_compare_only_across_and_orient_from_the_sources() {
    let dir = scratch_wire_and_crawl();
    let (report, stderr) = json_in(dir.path(), &["--sources", "wire", "--targets", "crawl"]);
    assert_eq!(stderr, "");
    assert_eq!(document_ids(&report).len(), EXAMPLE_IDS.len());
    // The pairs with the wire that the whole corpus finds, and no pair of two crawl pages (the
    // whole corpus relates the second-generation copy to the syndicated one, for instance).
    let with_wire: BTreeSet<(String, String)> = pair_set(&examples_report())
        .into_iter()
        .filter(|(a, b)| a == "wire" || b == "wire")
        .collect();
    assert!(
        with_wire.len() >= 3,
        "the demo has copies of the wire: {with_wire:?}"
    );
    assert_eq!(pair_set(&report), with_wire);
    let edges = edge_list(&report);
    assert_eq!(edges.len(), with_wire.len());
    for (source, target, direction) in &edges {
        assert_eq!(source, "wire", "{source} -> {target} ({direction})");
        assert!(
            direction == "declared" || direction == "timestamp",
            "{source} -> {target} ({direction})"
        );
    }
    assert!(edges.iter().any(|e| e.2 == "declared"), "{edges:?}");
    assert_eq!(
        report["stats"]["all_pairs"], 5,
        "the pairs in scope: one source, five targets"
    );
}

#[test]
fn a_file_named_as_source_and_target_is_read_once_and_said() {
    let dir = scratch_wire_and_crawl();
    let (report, stderr) = json_in(
        dir.path(),
        &["--sources", "wire", "--targets", "crawl", "wire/wire.txt"],
    );
    assert_eq!(
        lines(&stderr),
        ["stemma: wire/wire.txt: named as a source and as a target; read as a source only"]
    );
    assert_eq!(document_ids(&report).len(), EXAMPLE_IDS.len());
}

#[test]
fn sources_need_targets_and_exclude_plain_paths() {
    let dir = scratch_wire_and_crawl();
    let alone = analyze_in(dir.path(), &["--sources", "wire"]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(
        stderr_of(&alone).contains("--targets"),
        "{}",
        stderr_of(&alone)
    );
    let mixed = analyze_in(
        dir.path(),
        &["crawl", "--sources", "wire", "--targets", "crawl"],
    );
    assert_eq!(mixed.status.code(), Some(2));
    assert!(
        stderr_of(&mixed).contains("cannot be used with"),
        "{}",
        stderr_of(&mixed)
    );
}
