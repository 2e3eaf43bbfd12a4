//! `stemma analyze` on a crawl: the demo corpus written as a WARC file of HTML pages
//! (`crates/input/tests/support/warc_writer.rs`, also the `demo_warc` example) gives the same
//! related pairs and edges as the demo folder.

#[allow(dead_code)]
#[path = "../../crates/input/tests/support/warc_writer.rs"]
mod warc_writer;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{EXAMPLE_IDS, EXAMPLES, stderr_of, stemma, succeeded};

/// `stemma analyze --format json ARGS...` in `dir`: its report and its standard error.
fn json_report(dir: &Path, args: &[&str]) -> (Value, String) {
    let output = stemma()
        .current_dir(dir)
        .args(["analyze", "--format", "json"])
        .args(args)
        .output()
        .expect("running stemma");
    let stdout = succeeded(&output, &format!("stemma analyze {args:?}"));
    let report = serde_json::from_str(&stdout).expect("one JSON report");
    (report, stderr_of(&output))
}

/// The related pairs with their relations, and the edges with their directions.
fn pairs_and_edges(report: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let list = |field: &str| report[field].as_array().cloned().unwrap_or_default();
    let pairs = list("pairs")
        .iter()
        .map(|p| format!("{} {} {}", p["a"], p["b"], p["relation"]))
        .collect();
    let edges = list("edges")
        .iter()
        .map(|e| format!("{} -> {} {}", e["source"], e["target"], e["direction"]))
        .collect();
    (pairs, edges)
}

#[test]
fn a_crawl_of_the_demo_corpus_gives_the_demo_report() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let (warc, meta) = warc_writer::demo_warc(Path::new(EXAMPLES)).expect("writing the crawl");
    std::fs::write(dir.path().join("demo.warc.gz"), warc).expect("writing the crawl");
    // The demo's metadata names each page by the URL it was captured from.
    std::fs::write(dir.path().join("meta.jsonl"), meta).expect("writing meta.jsonl");

    let (crawl, stderr) = json_report(dir.path(), &["demo.warc.gz"]);
    assert_eq!(
        stderr,
        "stemma: demo.warc.gz: 19 records: 6 pages read; skipped 9 requests, 1 warcinfo record, \
         2 non-HTML responses (images, scripts, style sheets, robots.txt, …), 1 redirect (3xx)\n"
    );
    let (folder, _) = json_report(Path::new(EXAMPLES), &["."]);
    let ids: Vec<&str> = crawl["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, EXAMPLE_IDS);
    let (pairs, edges) = pairs_and_edges(&crawl);
    assert_eq!((pairs.len(), edges.len()), (10, 4));
    assert_eq!((pairs, edges), pairs_and_edges(&folder));

    // Without the metadata, the pages are known by their URLs, which are also their `url`.
    std::fs::remove_file(dir.path().join("meta.jsonl")).expect("removing meta.jsonl");
    let (bare, _) = json_report(dir.path(), &["demo.warc.gz"]);
    let documents = bare["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 6);
    for d in documents {
        assert_eq!(d["id"], d["url"], "{d}");
        assert!(
            d["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("https://")),
            "{d}"
        );
    }
    assert_eq!(bare["pairs"].as_array().map(Vec::len), Some(10));
}

#[test]
fn a_damaged_crawl_is_read_up_to_the_damage() {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let (warc, _) = warc_writer::demo_warc(Path::new(EXAMPLES)).expect("writing the crawl");
    let cut = warc.len() * 2 / 3;
    std::fs::write(dir.path().join("cut.warc.gz"), &warc[..cut]).expect("writing the crawl");
    let (report, stderr) = json_report(dir.path(), &["cut.warc.gz"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "stemma: cut.warc.gz: damaged at byte {cut} (the file is cut short inside compressed data"
        )),
        "{stderr}"
    );
    assert!(
        lines[0].ends_with("the records from there on are not read"),
        "{stderr}"
    );
    assert!(lines[1].contains("pages read"), "{stderr}");
    assert!(
        !report["documents"]
            .as_array()
            .expect("documents")
            .is_empty()
    );
    // The report's diagnostics say the same.
    let diagnostics = report["diagnostics"].to_string();
    assert!(
        diagnostics.contains(&format!("damaged at byte {cut}")),
        "{diagnostics}"
    );
}
