//! `stemma analyze --format html|svg|csv` end to end: the demo corpus (structure of the page, the
//! picture, the CSV snapshot), `-o`, determinism, and a hostile corpus whose file names, titles,
//! publishers, URLs and bodies carry markup.

use std::path::Path;
use std::process::Output;

use crate::common::{EXAMPLE_IDS, EXAMPLES, stemma};

fn run(args: &[&str]) -> Output {
    stemma()
        .arg("analyze")
        .args(args)
        .output()
        .expect("running stemma")
}

/// Standard output of a run that must succeed.
fn output(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stemma analyze {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The value of attribute `name` of every element that has it, in document order.
fn attribute_values(page: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    page.match_indices(&key)
        .map(|(at, _)| {
            let rest = &page[at + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .collect()
}

#[test]
fn html_report_of_the_examples() {
    let page = output(&[EXAMPLES, "--format", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.ends_with("</html>\n"));
    assert!(
        page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    );
    // No external resources: nothing with a src, no stylesheet link, no http(s) URL but the
    // articles' own links.
    assert_eq!(count(&page, " src="), 0);
    assert_eq!(count(&page, "<link"), 0);
    assert_eq!(count(&page, "<script"), 1);
    for href in attribute_values(&page, "href") {
        assert!(
            href.starts_with('#') || href.starts_with("https://") && href.contains(".example/"),
            "{href}"
        );
    }
    // The graph: one node per article, four edges, each pair edge pointing at a pair section.
    assert_eq!(count(&page, "<svg"), 1);
    let mut nodes = Vec::new();
    for (at, _) in page.match_indices("<g class=\"node article\"") {
        let tag = &page[at..at + page[at..].find('>').unwrap_or(0)];
        nodes.push(attribute_values(tag, "aria-label").join(""));
    }
    nodes.sort();
    assert_eq!(nodes, EXAMPLE_IDS);
    assert_eq!(count(&page, "<g class=\"edge "), 4);
    let sections = attribute_values(&page, "data-pair");
    let pair_sections: Vec<&String> = sections.iter().skip(4).collect();
    assert_eq!(pair_sections.len(), 10, "one section per related pair");
    for edge_pair in sections.iter().take(4) {
        assert!(page.contains(&format!("<section class=\"pair\" id=\"pair-{edge_pair}\"")));
    }
    // Families, articles, pairs: the demo's one family, six article rows, ten pair sections with
    // aligned groups, word changes and the direction's basis.
    assert!(page.contains("<li id=\"family-1\"><b>Family 1</b> (5 articles)"));
    assert_eq!(count(&page, "<tr id=\"article-"), 6);
    assert_eq!(count(&page, "<section class=\"pair\""), 10);
    assert!(count(&page, "<tr class=\"group") > 100);
    assert!(count(&page, "<del") > 10 && count(&page, "<ins") > 10);
    assert_eq!(
        count(&page, "<span class=\"basis\">by publication times</span>"),
        4
    );
    assert_eq!(count(&page, "not an edge of the derivation graph"), 6);
    // wire → spun: the source, wire, on the left.
    let spun = &page[page.find("id=\"pair-9\"").expect("pair 9")..];
    let spun = &spun[..spun.find("</section>").expect("its end")];
    assert!(spun.contains("<span class=\"aid\">wire</span> → <span class=\"aid\">spun</span>"));
    assert!(spun.contains(
        "<th class=\"a\"><span class=\"role\">source</span> <span class=\"aid\">wire</span>"
    ));
    assert!(
        spun.contains("<del class=\"r\">"),
        "replaced words are marked"
    );
    // The filter bar has the four relations.
    for r in ["duplicate", "syndicated", "rewrite", "partial"] {
        assert!(page.contains(&format!("name=\"relation\" value=\"{r}\" checked")));
    }
}

#[test]
fn svg_of_the_examples_is_the_graph_alone() {
    let svg = output(&[EXAMPLES, "--format", "svg"]);
    assert!(svg.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
    ));
    assert!(svg.ends_with("</svg>\n"));
    assert_eq!(count(&svg, "<svg"), 1);
    assert_eq!(count(&svg, "class=\"node article\""), 6);
    assert_eq!(count(&svg, "<g class=\"edge "), 4);
    assert_eq!(
        count(&svg, "marker-end="),
        4,
        "every demo edge has a direction"
    );
    for label in [
        "#10 syndicated 0.76",
        "#9 rewrite 0.75",
        "#4 partial 0.15",
        "#6 syndicated 0.79",
    ] {
        assert!(svg.contains(&format!(">{label}</text>")), "{label}");
    }
    assert!(!svg.contains("<script"));
}

#[test]
fn csv_of_the_examples() {
    let csv = output(&[EXAMPLES, "--format", "csv"]);
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 11, "a header and one row per related pair");
    assert!(!csv.replace("\r\n", "").contains('\n'));
    insta::assert_snapshot!("examples_csv", csv.replace("\r\n", "\n"));
}

#[test]
fn the_reports_are_deterministic_and_o_writes_them() {
    let dir = tempfile::tempdir().expect("scratch");
    for format in ["html", "svg", "csv"] {
        let file = dir.path().join(format!("report.{format}"));
        let file_arg = file.to_str().expect("UTF-8 path");
        let out = run(&[EXAMPLES, "--format", format, "-o", file_arg]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty(), "-o leaves standard output empty");
        let written = std::fs::read_to_string(&file).expect("the report was written");
        assert_eq!(written, output(&[EXAMPLES, "--format", format]), "{format}");
        let threads = stemma()
            .env("RAYON_NUM_THREADS", "1")
            .args(["analyze", EXAMPLES, "--format", format])
            .output()
            .expect("running stemma");
        assert_eq!(
            String::from_utf8_lossy(&threads.stdout),
            written,
            "{format}, one thread"
        );
    }
}

const PAYLOAD: &str = "<script>alert(1)</script> \"double\" 'single' </svg> ]]> </script>";

/// A folder with three hostile copies of the wire story and a hostile meta.jsonl.
fn hostile_corpus(dir: &Path) -> Vec<&'static str> {
    let wire = std::fs::read_to_string(Path::new(EXAMPLES).join("wire.txt")).expect("wire.txt");
    let ids = vec![
        "<b>bold",
        "x\"><svg onload=alert(1)>",
        "=HYPERLINK(\"x\") it's ]]>",
    ];
    for (k, id) in ids.iter().enumerate() {
        let mut paragraphs: Vec<String> = wire.split("\n\n").map(String::from).collect();
        paragraphs.insert(2 + k, format!("{PAYLOAD} Paragraph {k}."));
        paragraphs[3] = format!("{} {PAYLOAD}", paragraphs[3]);
        std::fs::write(dir.join(format!("{id}.txt")), paragraphs.join("\n\n")).expect("writing");
    }
    let meta: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            serde_json::json!({
                "id": id,
                "title": format!("</title></svg><script>alert({k})</script> \"t\" 't'"),
                "publisher": format!("'\"><img src=x onerror=alert({k})>"),
                "url": if k == 0 { "javascript:alert(1)".to_string() } else { format!("https://example.invalid/{k}\"><script>") },
                "published": format!("2025-03-0{}T08:00:00Z", k + 3),
            })
            .to_string()
        })
        .collect();
    std::fs::write(dir.join("meta.jsonl"), meta.join("\n") + "\n").expect("writing meta");
    ids
}

#[test]
fn hostile_input_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().expect("scratch");
    let ids = hostile_corpus(dir.path());
    let path = dir.path().to_str().expect("UTF-8 path");

    let page = output(&[path, "--format", "html"]);
    assert_eq!(count(&page, "<script"), 1, "only the report's own script");
    assert_eq!(count(&page, "</script"), 1);
    assert_eq!(count(&page, "<svg"), 1);
    assert_eq!(count(&page, "</svg>"), 1);
    assert_eq!(count(&page, "<img"), 0);
    assert_eq!(count(&page, "<b>bold"), 0);
    assert_eq!(count(&page, "]]>"), 0);
    assert_eq!(count(&page, "href=\"javascript"), 0);
    assert_eq!(
        count(&page, "<section class=\"pair\""),
        3,
        "the three copies relate"
    );
    assert_eq!(count(&page, "class=\"node article\""), 3);
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &lt;/svg&gt; ]]&gt;"));
    assert!(page.contains("&lt;/title&gt;&lt;/svg&gt;&lt;script&gt;alert(0)&lt;/script&gt;"));
    assert!(page.contains("aria-label=\"x&quot;&gt;&lt;svg onload=alert(1)&gt;\""));

    let svg = output(&[path, "--format", "svg"]);
    assert_eq!(count(&svg, "<svg"), 1);
    assert_eq!(count(&svg, "</svg>"), 1);
    assert_eq!(count(&svg, "<script"), 0);
    assert_eq!(count(&svg, "]]>"), 0);
    assert_eq!(count(&svg, "class=\"node article\""), 3);

    let csv = output(&[path, "--format", "csv"]);
    assert_eq!(csv.split_terminator("\r\n").count(), 4);
    // The id that starts with `=` gets a leading quote, and its double quotes are doubled.
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\") it's ]]>\""), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"));
    assert!(csv.contains(&format!("\"{}\"", ids[1].replace('"', "\"\""))));
}
