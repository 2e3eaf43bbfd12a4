//! `stemma index build|add|stats` and `stemma check`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::common::{EXAMPLES, example, stderr_of, stemma, succeeded};

/// The demo corpus split: four archived articles and the two new ones (`second_generation`, the
/// copy of a copy, and `wire`, the source of all).
fn demo_split() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (archive, new) = (dir.path().join("archive"), dir.path().join("new"));
    std::fs::create_dir_all(&archive).expect("a folder");
    std::fs::create_dir_all(&new).expect("a folder");
    for id in ["independent", "partial", "spun", "syndicated"] {
        std::fs::copy(
            example(&format!("{id}.txt")),
            archive.join(format!("{id}.txt")),
        )
        .expect("copied");
    }
    for id in ["second_generation", "wire"] {
        std::fs::copy(example(&format!("{id}.txt")), new.join(format!("{id}.txt")))
            .expect("copied");
    }
    (dir, archive, new)
}

fn meta() -> PathBuf {
    Path::new(EXAMPLES).join("meta.jsonl")
}

fn build(index: &Path, archive: &Path) {
    let output = stemma()
        .args(["index", "build"])
        .arg(archive)
        .arg("--index")
        .arg(index)
        .arg("--meta")
        .arg(meta())
        .output()
        .expect("running stemma");
    succeeded(&output, "stemma index build");
    assert!(
        stderr_of(&output).contains("indexed 4 articles into"),
        "{}",
        stderr_of(&output)
    );
}

fn check(index: &Path, new: &Path, format: &str) -> String {
    let output = stemma()
        .arg("check")
        .arg(new)
        .arg("--index")
        .arg(index)
        .arg("--meta")
        .arg(meta())
        .args(["--format", format])
        .output()
        .expect("running stemma");
    succeeded(&output, "stemma check")
}

/// Pairs of a JSON report: ids, relation and probability.
fn pairs(report: &Value) -> Vec<(String, String, String, String)> {
    report["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["a"].as_str().expect("a").to_string(),
                p["b"].as_str().expect("b").to_string(),
                p["relation"].to_string(),
                p["probability"].to_string(),
            )
        })
        .collect()
}

/// Edges of a JSON report: source, target, relation, direction.
fn edges(report: &Value) -> Vec<(String, String, String, String)> {
    report["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["source"].to_string(),
                e["target"].to_string(),
                e["relation"].to_string(),
                e["direction"].to_string(),
            )
        })
        .collect()
}

#[test]
fn check_finds_what_analyze_finds_across_archive_and_new() {
    let (dir, archive, new) = demo_split();
    let index = dir.path().join("index");
    build(&index, &archive);
    let checked: Value = serde_json::from_str(&check(&index, &new, "json")).expect("JSON");
    let output = stemma()
        .arg("analyze")
        .arg("--sources")
        .arg(&archive)
        .arg("--targets")
        .arg(&new)
        .arg("--meta")
        .arg(meta())
        .args(["--format", "json"])
        .output()
        .expect("running stemma");
    let analysed: Value =
        serde_json::from_str(&succeeded(&output, "stemma analyze")).expect("JSON");
    assert!(!pairs(&analysed).is_empty());
    assert_eq!(pairs(&checked), pairs(&analysed));
    assert_eq!(edges(&checked), edges(&analysed));
    // The archive is the declared source where times do not say otherwise.
    assert!(
        edges(&checked)
            .iter()
            .all(|e| e.3 == "\"declared\"" || e.3 == "\"timestamp\"")
    );
}

#[test]
fn check_writes_every_format_of_analyze() {
    let (dir, archive, new) = demo_split();
    let index = dir.path().join("index");
    build(&index, &archive);
    let text = check(&index, &new, "text");
    insta::assert_snapshot!("check_demo_text", text);
    assert!(check(&index, &new, "csv").lines().count() > 1);
    assert!(check(&index, &new, "dot").starts_with("digraph"));
    assert!(check(&index, &new, "html").contains("<html"));
    assert!(check(&index, &new, "svg").contains("<svg"));
}

#[test]
fn an_index_is_not_built_twice_and_a_missing_one_is_named() {
    let (dir, archive, new) = demo_split();
    let index = dir.path().join("index");
    build(&index, &archive);
    let again = stemma()
        .args(["index", "build"])
        .arg(&archive)
        .arg("--index")
        .arg(&index)
        .output()
        .expect("running stemma");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr_of(&again).contains("holds an index already"));
    let missing = stemma()
        .arg("check")
        .arg(&new)
        .arg("--index")
        .arg(dir.path().join("nowhere"))
        .output()
        .expect("running stemma");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr_of(&missing).contains("nowhere: no index here"));
}

#[test]
fn adding_an_archived_id_again_is_skipped_and_said() {
    let (dir, archive, _) = demo_split();
    let index = dir.path().join("index");
    build(&index, &archive);
    let output = stemma()
        .args(["index", "add"])
        .arg(archive.join("spun.txt"))
        .arg("--index")
        .arg(&index)
        .output()
        .expect("running stemma");
    succeeded(&output, "stemma index add");
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("spun: is in the index already; skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("added 0 articles"), "{stderr}");
    assert_eq!(stats(&index)["articles"], 4);
}

fn stats(index: &Path) -> Value {
    let output = stemma()
        .args(["index", "stats", "--json", "--index"])
        .arg(index)
        .output()
        .expect("running stemma");
    serde_json::from_str(&succeeded(&output, "stemma index stats")).expect("JSON")
}

/// An `index add` killed at any point leaves the index as it was before the call or with the call
/// applied, and a later add and check work.
#[test]
fn a_killed_add_leaves_the_index_as_it_was_or_complete() {
    let (dir, archive, new) = demo_split();
    let corpus = dir.path().join("corpus");
    let generated = stemma()
        .args([
            "bench", "generate", "--docs", "3000", "--seed", "2", "--out",
        ])
        .arg(&corpus)
        .output()
        .expect("running stemma");
    succeeded(&generated, "stemma bench generate");
    let index = dir.path().join("index");
    build(&index, &archive);
    let before = stats(&index)["articles"].as_u64().expect("a count");
    let jsonl = corpus.join("corpus.jsonl");
    let mut outcomes = Vec::new();
    for delay_ms in [100u64, 300, 600, 1000, 1500, 2500] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stemma"))
            .args(["index", "add"])
            .arg(&jsonl)
            .arg("--index")
            .arg(&index)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("running stemma");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().expect("waited");
        let now = stats(&index)["articles"].as_u64().expect("a count");
        assert!(
            now == before || now == before + 3000,
            "after a kill at {delay_ms} ms the index holds {now} articles"
        );
        outcomes.push((status.success(), now));
        if now != before {
            break;
        }
    }
    assert!(
        outcomes.iter().any(|&(done, _)| !done),
        "no add was interrupted: {outcomes:?}"
    );
    // The index still takes adds and answers checks.
    let output = stemma()
        .args(["index", "add"])
        .arg(&jsonl)
        .arg("--index")
        .arg(&index)
        .output()
        .expect("running stemma");
    succeeded(&output, "stemma index add");
    assert_eq!(stats(&index)["articles"].as_u64(), Some(before + 3000));
    let report: Value = serde_json::from_str(&check(&index, &new, "json")).expect("JSON");
    assert!(!pairs(&report).is_empty());
}

/// `index build` reads its input as it indexes it, in the file's order; the index it makes of a
/// JSONL file whose ids are not in order is the one made when the whole input was read first
/// (and handed to the index sorted by id): the same stats, the same `check` report, and the same
/// diagnostics about bad input, said once the input is read.
#[test]
fn an_index_built_from_a_stream_is_the_one_built_from_the_whole_input() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let corpus = dir.path().join("corpus");
    let generated = stemma()
        .args(["bench", "generate", "--docs", "600", "--seed", "4", "--out"])
        .arg(&corpus)
        .output()
        .expect("running stemma");
    succeeded(&generated, "stemma bench generate");
    let text = std::fs::read_to_string(corpus.join("corpus.jsonl")).expect("the corpus");
    let lines: Vec<&str> = text.lines().collect();
    let (archived, new) = lines.split_at(lines.len() - 40);
    let id_of = |line: &str| -> String {
        let value: Value = serde_json::from_str(line).expect("a JSON line");
        value["id"].as_str().expect("an id").to_owned()
    };
    let mut sorted = archived.to_vec();
    sorted.sort_by_key(|line| id_of(line));
    assert_ne!(sorted, archived, "the corpus's ids are in order already");
    // A bad line and a duplicate id in the middle of the file, said by line.
    let mut streamed = archived.to_vec();
    streamed.insert(100, "not json");
    streamed.insert(200, archived[0]);
    let write = |name: &str, lines: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").expect("written");
        path
    };
    let (streamed, sorted, new) = (
        write("archive.jsonl", &streamed),
        write("sorted.jsonl", &sorted),
        write("new.jsonl", new),
    );
    let build = |input: &Path, index: &Path| {
        let output = stemma()
            .args(["index", "build"])
            .arg(input)
            .arg("--index")
            .arg(index)
            .output()
            .expect("running stemma");
        succeeded(&output, "stemma index build");
        stderr_of(&output)
    };
    let (by_stream, by_id) = (dir.path().join("streamed"), dir.path().join("sorted"));
    let said = build(&streamed, &by_stream);
    build(&sorted, &by_id);
    let first = id_of(archived[0]);
    let shown = streamed.display();
    assert_eq!(
        said.lines().collect::<Vec<_>>(),
        [
            format!("stemma: {shown}:101: not valid JSON: expected ident (column 2); skipped"),
            format!(
                "stemma: {shown}:201: duplicate id \"{first}\": already read from {shown}:1; this \
                 one is skipped"
            ),
            format!("stemma: indexed 560 articles into {}", by_stream.display()),
        ]
    );
    let (mut a, mut b) = (stats(&by_stream), stats(&by_id));
    // The articles' order in the file is theirs: its bytes on disk may differ by a page.
    for s in [&mut a, &mut b] {
        s.as_object_mut().expect("an object").remove("file_bytes");
    }
    assert_eq!(a, b);
    assert_eq!(check(&by_stream, &new, "json"), check(&by_id, &new, "json"));
}
