//! Hostile and unusual inputs end to end (docs/reliability.md): web pages given to `diff`, escape
//! sequences and line breaks where a terminal would act on them, FIFOs named on the command line,
//! publication times in the future, and an interrupted `-o`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{EXAMPLES, example, example_text, stderr_of, stemma, succeeded};

/// A web page around the wire story: a menu, the story's paragraphs, a footer.
fn wire_page() -> String {
    let paragraphs: String = example_text("wire")
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    format!(
        "<!doctype html><html><head><title>Dam breaks | Valley Courier</title></head><body>\n\
         <nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a> | <a href=\"/sport\">Sport</a></nav>\n\
         <article>{paragraphs}</article>\n<footer>Copyright Valley Courier</footer></body></html>"
    )
}

#[test]
fn diff_reads_a_web_page_by_its_main_text() {
    let dir = tempfile::tempdir().expect("scratch");
    let page = dir.path().join("page.html");
    std::fs::write(&page, wire_page()).expect("writing");
    let output = stemma()
        .args(["diff", "--format", "json"])
        .arg(&page)
        .arg(example("syndicated.txt"))
        .output()
        .expect("running stemma");
    let report: Value =
        serde_json::from_str(&succeeded(&output, "stemma diff page.html")).expect("JSON");
    assert_eq!(report["a"], "page");
    let texts: Vec<&str> = report["alignments"]
        .as_array()
        .expect("alignments")
        .iter()
        .map(|g| g["a_text"].as_str().expect("text"))
        .collect();
    assert!(texts.len() >= 5, "{texts:?}");
    assert!(
        texts
            .iter()
            .all(|t| !t.contains('<') && !t.contains("Home |")),
        "markup or menu aligned: {texts:?}"
    );
    assert!(
        report["coverage_a"].as_f64().expect("coverage") > 0.8,
        "{report}"
    );
}

#[test]
fn diff_sends_no_escape_sequence_from_the_articles_to_a_colour_terminal() {
    let dir = tempfile::tempdir().expect("scratch");
    // Clear the screen, retitle the window, and colour a word, inside the article's own text.
    let hostile = example_text("wire").replacen(
        "gave way early on Monday",
        "gave way \u{1b}[2J\u{1b}]0;pwned\u{7}early \u{1b}[31mon\u{1b}[0m Monday",
        1,
    );
    let a = dir.path().join("hostile.txt");
    std::fs::write(&a, hostile).expect("writing");
    let output = stemma()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["diff", "--layout", "inline"])
        .arg(&a)
        .arg(example("syndicated.txt"))
        .output()
        .expect("running stemma");
    let stdout = succeeded(&output, "stemma diff with colour");
    assert!(
        stdout.contains("\u{1b}["),
        "no colour at all: the test proves nothing"
    );
    // (The article's own `ESC[31m` cannot be told from the report's red here; the clear-screen and
    // window-title sequences can.)
    for forbidden in ["\u{1b}[2J", "\u{1b}]", "\u{7}"] {
        assert!(
            !stdout.contains(forbidden),
            "{forbidden:?} reached the terminal"
        );
    }
    assert!(stdout.contains("early"), "{stdout}");
}

#[test]
fn a_file_name_cannot_drive_the_terminal_or_forge_a_line() {
    let dir = tempfile::tempdir().expect("scratch");
    let name = "evil\u{1b}]0;pwned\u{7}\nstemma: all clear.txt";
    std::fs::write(dir.path().join(name), b"\x00\x01binary").expect("writing");
    std::fs::write(dir.path().join("wire.txt"), example_text("wire")).expect("writing");
    let output = stemma()
        .current_dir(dir.path())
        .args(["analyze", "."])
        .output()
        .expect("running stemma");
    succeeded(&output, "stemma analyze with a hostile file name");
    let stderr = stderr_of(&output);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "a forged line: {stderr:?}");
    assert!(
        stderr.contains("evil\\u{1b}]0;pwned\\u{7}\\nstemma: all clear.txt"),
        "{stderr}"
    );
}

#[test]
fn a_line_break_in_an_id_forges_no_line_of_the_report() {
    let stdin = [
        serde_json::json!({"id": "wire\nFamily 9:", "text": example_text("wire")}),
        serde_json::json!({"id": "syndicated", "text": example_text("syndicated")}),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect::<String>();
    let output = stemma()
        .args(["analyze", "-"])
        .write_stdin(stdin.clone())
        .output()
        .expect("running stemma");
    let text = succeeded(&output, "stemma analyze -");
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("Family 9:")),
        "{text}"
    );
    assert!(text.contains("wire\\nFamily 9:"), "{text}");
    assert!(stderr_of(&output).contains("-:1: its id has control characters"));
    let dot = stemma()
        .args(["analyze", "-", "--format", "dot"])
        .write_stdin(stdin)
        .output()
        .expect("running stemma");
    let dot = succeeded(&dot, "stemma analyze --format dot");
    assert!(!dot.lines().any(|l| l.starts_with("Family 9:")), "{dot}");
}

#[test]
fn a_publication_time_in_the_future_is_set_aside_and_said() {
    let stdin = [
        serde_json::json!({"id": "wire", "text": example_text("wire"), "published": "2999-01-01"}),
        serde_json::json!({"id": "syndicated", "text": example_text("syndicated"), "published": "2025-03-03T11:14Z"}),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect::<String>();
    let output = stemma()
        .args(["analyze", "-", "--format", "json"])
        .write_stdin(stdin)
        .output()
        .expect("running stemma");
    let report: Value =
        serde_json::from_str(&succeeded(&output, "stemma analyze -")).expect("JSON");
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("stemma: wire: publication time 2999-01-01 is in the future; set aside"),
        "{stderr}"
    );
    let wire = report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["id"] == "wire")
        .expect("wire");
    assert!(wire["published"].is_null(), "{wire}");
    // The year 2999 would have made the wire the copy, by publication times.
    assert!(
        report["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .all(|e| e["direction"] != "timestamp"),
        "{report}"
    );
    assert_eq!(report["diagnostics"][0]["source"], "wire");
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("running mkfifo");
    assert!(made.success());
}

/// Writes `content` into the FIFO at `path` once `delay` has passed (opening it blocks until the
/// reader opens it too).
#[cfg(unix)]
fn feed_later(path: PathBuf, content: Vec<u8>, delay: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let mut fifo = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("opening the FIFO");
        fifo.write_all(&content).expect("writing the FIFO");
    })
}

#[cfg(unix)]
#[test]
fn meta_from_a_fifo_is_read_and_the_wait_is_said() {
    let dir = tempfile::tempdir().expect("scratch");
    let fifo = dir.path().join("meta-pipe");
    mkfifo(&fifo);
    let meta = std::fs::read(example("meta.jsonl")).expect("meta");
    let writer = feed_later(fifo.clone(), meta, Duration::from_millis(2500));
    let output = stemma()
        .args(["analyze", "--format", "json", "--meta"])
        .arg(&fifo)
        .arg(example("wire.txt"))
        .arg(example("syndicated.txt"))
        .timeout(Duration::from_secs(60))
        .output()
        .expect("running stemma");
    writer.join().expect("the writer");
    let report: Value =
        serde_json::from_str(&succeeded(&output, "stemma analyze --meta FIFO")).expect("JSON");
    assert!(
        stderr_of(&output).contains("waiting for") && stderr_of(&output).contains("meta-pipe"),
        "{}",
        stderr_of(&output)
    );
    assert!(
        report["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .all(|d| !d["published"].is_null()),
        "the metadata was not applied: {report}"
    );
}

#[cfg(unix)]
#[test]
fn truth_from_a_fifo_is_read_and_the_wait_is_said() {
    let dir = tempfile::tempdir().expect("scratch");
    let fifo = dir.path().join("truth-pipe");
    mkfifo(&fifo);
    let truth = std::fs::read(example("truth.json")).expect("truth");
    let writer = feed_later(fifo.clone(), truth, Duration::from_millis(2500));
    let output = stemma()
        .arg("eval")
        .arg(EXAMPLES)
        .arg("--truth")
        .arg(&fifo)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("running stemma");
    writer.join().expect("the writer");
    succeeded(&output, "stemma eval --truth FIFO");
    assert!(
        stderr_of(&output).contains("waiting for"),
        "{}",
        stderr_of(&output)
    );
}

/// The hidden temporary files of reports in `dir`.
fn report_temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("listing")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".stemma-report-"))
        .collect()
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_report() {
    let dir = tempfile::tempdir().expect("scratch");
    // Reading waits on the FIFO, which nobody writes: the run is interrupted while its report's
    // temporary file exists.
    let fifo = dir.path().join("corpus.jsonl");
    mkfifo(&fifo);
    let out = dir.path().join("reports");
    std::fs::create_dir(&out).expect("folder");
    for signal in ["TERM", "INT", "HUP"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stemma"))
            .arg("analyze")
            .arg(&fifo)
            .arg("-o")
            .arg(out.join("report.json"))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starting stemma");
        let started = Instant::now();
        while report_temporaries(&out).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no temporary file was made"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("running kill");
        assert!(killed.success());
        let status = child.wait().expect("waiting for stemma");
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?}");
        assert_eq!(
            report_temporaries(&out),
            Vec::<String>::new(),
            "SIG{signal}"
        );
        assert!(!out.join("report.json").exists());
    }
}
