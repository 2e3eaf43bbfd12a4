//! Tests of [`load_inputs`] on real files in temporary folders.

use std::fs;
use std::path::{Path, PathBuf};

use stemma_graph::{Article, Provenance};

use super::*;

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, contents).unwrap();
    path
}

fn load(paths: &[PathBuf], meta: Option<&Path>) -> Loaded {
    load_inputs(paths, meta, &mut std::io::empty())
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded.articles.iter().map(|a| a.id.as_str()).collect()
}

fn article<'a>(loaded: &'a Loaded, id: &str) -> &'a Article {
    loaded
        .articles
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id}: {:?}", ids(loaded)))
}

fn messages(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(ToString::to_string).collect()
}

/// Asserts exactly one diagnostic mentions `path_end` and contains `needle`; returns it.
fn one_diagnostic<'a>(loaded: &'a Loaded, path_end: &str, needle: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.source.ends_with(path_end))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "diagnostics for {path_end}: {:?}",
        messages(loaded)
    );
    assert!(
        found[0].message.contains(needle),
        "{needle:?} not in {}",
        found[0]
    );
    found[0]
}

const PAGE: &str = r#"<html><head><title>Raid in Belgorod | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2023-05-23T22:33:50Z">
<script>var tracking = "pixel";</script></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/casino">Casino</a></nav>
<article><h1>Raid in Belgorod</h1>
<p>Fighting in the Belgorod region near the Ukrainian border entered a second day on Tuesday, officials said, after the largest incursion into Russia since the war began.</p>
<p>Russian authorities evacuated residents from the Graivoron district after the raiding forces declared the capture of several border towns, including Kozinka.</p>
</article>
<footer>Copyright The Daily Example. All rights reserved. <a href="/privacy">Privacy policy</a></footer>
<script>track();</script></body></html>"#;

#[test]
fn reads_a_folder_of_every_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    write(&dir, "b.txt", "Second article.\nWith two lines.\n");
    write(&dir, "a.md", "# Heading\n\nFirst article.\n");
    write(&dir, "page.html", PAGE);
    write(
        &dir,
        "wire.jsonl",
        "{\"id\":\"w1\",\"text\":\"Wire one.\",\"title\":\"T1\",\"published\":\"2023-05-23\"}\n\n{\"id\":\"w2\",\"text\":\"Wire two.\"}\n",
    );
    write(&dir, "photo.png", [0x89u8, b'P', b'N', b'G', 0, 0, 0, 1]);
    write(&dir, "data.json", "{\"not\": \"an article\"}");
    write(&dir, ".hidden.txt", "hidden");
    write(&dir, "README.md", "# About this corpus");
    write(&dir, "LICENSE", "Terms.");
    write(&dir, "sub/c.txt", "Third article in a subfolder.");

    let loaded = load(std::slice::from_ref(&dir), None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", messages(&loaded));
    assert_eq!(ids(&loaded), ["a", "b", "c", "page", "w1", "w2"]);
    assert_eq!(
        article(&loaded, "b").text,
        "Second article.\nWith two lines.\n"
    );
    assert_eq!(article(&loaded, "a").text, "# Heading\n\nFirst article.\n");

    let w1 = article(&loaded, "w1");
    assert_eq!(
        w1.title.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("T1", Provenance::Metadata))
    );
    assert_eq!(
        w1.published.as_ref().map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-23".to_owned(), Provenance::Metadata))
    );

    let page = article(&loaded, "page");
    // Readability drops the headline from the body when it repeats the title.
    assert!(
        page.text.starts_with("Fighting in the Belgorod region"),
        "{}",
        page.text
    );
    assert_eq!(page.text.matches("\n\n").count(), 1, "{}", page.text);
    assert!(page.text.contains("border towns, including Kozinka."));
    for furniture in ["Home", "Casino", "pixel", "Copyright", "Privacy"] {
        assert!(
            !page.text.contains(furniture),
            "{furniture} kept in {}",
            page.text
        );
    }
    assert_eq!(
        page.title.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("Raid in Belgorod", Provenance::Page))
    );
    assert_eq!(
        page.publisher.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("The Daily Example", Provenance::Page))
    );
    assert_eq!(
        page.published
            .as_ref()
            .map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-23T22:33:50Z".to_owned(), Provenance::Page))
    );
}

#[test]
fn explicit_files_of_unknown_kind_are_text() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = write(tmp.path(), "notes.data", "Plain words in an odd file.");
    let readme = write(tmp.path(), "README", "No extension at all.");
    let loaded = load(&[notes, readme], None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", messages(&loaded));
    assert_eq!(ids(&loaded), ["README", "notes"]);
    assert_eq!(
        article(&loaded, "notes").text,
        "Plain words in an odd file."
    );
}

#[test]
fn every_bad_file_gets_one_diagnostic_and_reading_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good = write(d, "good.txt", "A good article.");
    let missing = d.join("missing.txt");
    let nul = write(d, "nul.txt", b"text with a \0 NUL byte");
    let controls = write(
        d,
        "controls.txt",
        [1u8, 2, 3, 4, 5, 6, 7, 8, 14, 15, b'a', b'b'],
    );
    let latin1 = write(d, "latin1.txt", b"caf\xe9 line one\nline two \xe9t\xe9\n");
    let empty = write(d, "empty.txt", "");
    let blank = write(d, "blank.md", "  \n\t\n  ");
    let empty_html = write(
        d,
        "empty.html",
        "<html><head><script>x()</script></head><body></body></html>",
    );
    let empty_jsonl = write(d, "empty.jsonl", "\n\n");
    let not_a_dir = d.join("good.txt").join("inside.txt");
    let paths = [
        missing,
        nul,
        controls,
        latin1,
        empty,
        blank,
        empty_html,
        empty_jsonl,
        not_a_dir,
        good,
    ];
    let loaded = load(&paths, None);
    // Text that is not UTF-8 is read, in the encoding detected, and said.
    assert_eq!(ids(&loaded), ["good", "latin1"]);
    assert_eq!(
        article(&loaded, "latin1").text,
        "café line one\nline two été\n"
    );
    assert_eq!(loaded.diagnostics.len(), 9, "{:?}", messages(&loaded));
    one_diagnostic(&loaded, "missing.txt", "not found");
    one_diagnostic(&loaded, "nul.txt", "binary");
    one_diagnostic(&loaded, "controls.txt", "binary");
    let guessed = one_diagnostic(
        &loaded,
        "latin1.txt",
        "not UTF-8; read as windows-1252 (detected)",
    );
    assert!(!guessed.message.contains("skipped"));
    one_diagnostic(&loaded, "empty.txt", "empty file");
    one_diagnostic(&loaded, "blank.md", "only whitespace");
    one_diagnostic(&loaded, "empty.html", "no text found");
    one_diagnostic(&loaded, "empty.jsonl", "nothing read");
    one_diagnostic(&loaded, "inside.txt", "cannot read");
    // The path is shown as named.
    assert_eq!(
        loaded.diagnostics[0].to_string(),
        format!("{}: not found", d.join("missing.txt").display())
    );
}

#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let locked = write(tmp.path(), "locked.txt", "secret");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reading, nothing to test.
        return;
    }
    let loaded = load(&[locked], None);
    assert!(loaded.articles.is_empty());
    one_diagnostic(&loaded, "locked.txt", "permission denied");
}

#[test]
fn malformed_jsonl_lines_are_reported_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id":"ok1","text":"First good line."}"#,
        r#"{"id":"bad-json","text":"#,
        r#"{"text":"no id"}"#,
        r#"{"id":"no-text"}"#,
        r#"{"id":7,"text":"numeric id"}"#,
        r#"{"id":"typed","text":["not","a","string"]}"#,
        r#"["ok2","an array"]"#,
        r#"{"id":"  ","text":"blank id"}"#,
        r#"{"id":"blank-text","text":"   "}"#,
        "",
        r#"{"id":"late","text":"Kept, without its time.","published":"2023-02-30"}"#,
        r#"{"id":"ok2","text":"Last good line.","publisher":"Agency","url":"https://x.test/a"}"#,
    ];
    let file = write(tmp.path(), "mixed.jsonl", lines.join("\n"));
    let loaded = load(&[file], None);
    assert_eq!(ids(&loaded), ["late", "ok1", "ok2"]);
    let got: Vec<(Option<usize>, &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    let want_prefixes = [
        (Some(2), "not valid JSON: EOF while parsing"),
        (Some(3), "not an article: missing field `id`"),
        (Some(4), "not an article: missing field `text`"),
        (
            Some(5),
            "not an article: invalid type: integer `7`, expected a string",
        ),
        (
            Some(6),
            "not an article: invalid type: sequence, expected a string",
        ),
        (
            Some(7),
            "not an article: expected a JSON object, found an array",
        ),
        (Some(8), "\"id\" is empty"),
        (Some(9), "\"text\" is empty"),
        (
            Some(11),
            "cannot read \"2023-02-30\" as a time: February 2023 has no day 30; the article is read without it",
        ),
    ];
    assert_eq!(got.len(), want_prefixes.len(), "{:?}", messages(&loaded));
    for ((line, message), (want_line, want)) in got.iter().zip(want_prefixes) {
        assert_eq!(*line, want_line, "{message}");
        assert!(
            message.starts_with(want),
            "{message:?} does not start with {want:?}"
        );
    }
    assert!(
        loaded.diagnostics[0]
            .to_string()
            .contains("mixed.jsonl:2: not valid JSON")
    );
    let late = article(&loaded, "late");
    assert_eq!(late.published, None);
    let ok2 = article(&loaded, "ok2");
    assert_eq!(
        ok2.publisher.as_ref().map(|p| p.value.as_str()),
        Some("Agency")
    );
    assert_eq!(
        ok2.url.as_ref().map(|p| p.value.as_str()),
        Some("https://x.test/a")
    );
}

#[test]
fn many_bad_lines_are_summarised() {
    let tmp = tempfile::tempdir().unwrap();
    let body = "not json\n".repeat(MAX_LINE_DIAGNOSTICS + 30);
    let file = write(tmp.path(), "noise.jsonl", body);
    let loaded = load(&[file], None);
    assert_eq!(loaded.diagnostics.len(), MAX_LINE_DIAGNOSTICS + 1);
    let last = loaded.diagnostics.last().unwrap();
    assert_eq!(
        (last.line, last.message.as_str()),
        (None, "30 more bad lines not shown")
    );
}

#[test]
fn binary_jsonl_is_one_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = b"{\"id\":\"a\",\"text\":\"b\"}\n".to_vec();
    bytes.extend([0u8; 64]);
    let file = write(tmp.path(), "blob.jsonl", bytes);
    let loaded = load(&[file], None);
    assert!(loaded.articles.is_empty());
    assert_eq!(loaded.diagnostics.len(), 1);
    one_diagnostic(&loaded, "blob.jsonl", "binary");
}

#[test]
fn duplicate_ids_keep_the_first_and_name_both_places() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let first = write(d, "one/story.txt", "The first story.");
    let second = write(d, "two/story.md", "The second story with the same id.");
    let lines = write(
        d,
        "more.jsonl",
        "{\"id\":\"x\",\"text\":\"x1\"}\n{\"id\":\"story\",\"text\":\"third\"}\n{\"id\":\"x\",\"text\":\"x2\"}\n",
    );
    let loaded = load(&[first.clone(), second.clone(), lines.clone()], None);
    assert_eq!(ids(&loaded), ["story", "x"]);
    assert_eq!(article(&loaded, "story").text, "The first story.");
    assert_eq!(article(&loaded, "x").text, "x1");
    let got = messages(&loaded);
    assert_eq!(
        got,
        [
            format!(
                "{}: duplicate id \"story\": already read from {}; this one is skipped",
                second.display(),
                first.display()
            ),
            format!(
                "{}:2: duplicate id \"story\": already read from {}; this one is skipped",
                lines.display(),
                first.display()
            ),
            format!(
                "{0}:3: duplicate id \"x\": already read from {0}:1; this one is skipped",
                lines.display()
            ),
        ]
    );
    // Naming the same file twice (or a file and its folder) reads it once, silently.
    let again = load(&[first.clone(), d.join("one"), first], None);
    assert!(again.diagnostics.is_empty(), "{:?}", messages(&again));
    assert_eq!(ids(&again), ["story"]);
}

#[test]
fn folder_metadata_applies_to_its_own_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    write(&dir, "a.txt", "Alpha text.\nPublished: 20 May 2023\n");
    write(&dir, "b.txt", "Beta text.\nPublished: 20 May 2023\n");
    write(&dir, "page.html", PAGE);
    write(
        &dir,
        "lines.jsonl",
        "{\"id\":\"j\",\"text\":\"From JSONL.\",\"title\":\"Own title\"}\n",
    );
    write(&dir, "sub/d.txt", "Delta, in a subfolder.");
    write(
        &dir,
        "meta.jsonl",
        [
            r#"{"id":"a","title":"Alpha","publisher":"Agency A","url":"https://a.test/","published":"2023-05-23T10:00:00+02:00"}"#,
            r#"{"id":"page","title":"Meta title","published":"May 24, 2023"}"#,
            r#"{"id":"j","publisher":"J Corp"}"#,
            r#"{"id":"d","title":"Not for the subfolder"}"#,
        ]
        .join("\n"),
    );
    write(&dir, "sub/meta.jsonl", r#"{"id":"d","title":"Delta"}"#);

    let loaded = load(std::slice::from_ref(&dir), None);
    assert_eq!(
        ids(&loaded),
        ["a", "b", "d", "j", "page"],
        "meta.jsonl is never an article"
    );
    let a = article(&loaded, "a");
    assert_eq!(
        a.title.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("Alpha", Provenance::Metadata))
    );
    assert_eq!(
        a.publisher.as_ref().map(|t| t.value.as_str()),
        Some("Agency A")
    );
    assert_eq!(
        a.url.as_ref().map(|t| t.value.as_str()),
        Some("https://a.test/")
    );
    assert_eq!(
        a.published.as_ref().map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-23T08:00:00Z".to_owned(), Provenance::Metadata))
    );
    // No metadata: the time stated in the text.
    let b = article(&loaded, "b");
    assert_eq!(
        b.published.as_ref().map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-20".to_owned(), Provenance::Text))
    );
    // Metadata wins over the page's own tags.
    let page = article(&loaded, "page");
    assert_eq!(
        page.title.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("Meta title", Provenance::Metadata))
    );
    assert_eq!(
        page.published
            .as_ref()
            .map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-24".to_owned(), Provenance::Metadata))
    );
    assert_eq!(
        page.publisher.as_ref().map(|t| t.from),
        Some(Provenance::Page)
    );
    // JSONL articles of the folder are matched by id, field by field.
    let j = article(&loaded, "j");
    assert_eq!(
        j.title.as_ref().map(|t| t.value.as_str()),
        Some("Own title")
    );
    assert_eq!(
        j.publisher.as_ref().map(|t| t.value.as_str()),
        Some("J Corp")
    );
    // The subfolder has its own.
    assert_eq!(
        article(&loaded, "d")
            .title
            .as_ref()
            .map(|t| t.value.as_str()),
        Some("Delta")
    );
    // The parent's entry for "d" named no article of its folder.
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", messages(&loaded));
    let d = one_diagnostic(
        &loaded,
        "c/meta.jsonl",
        "1 metadata entry names no article in its folder: \"d\"",
    );
    assert_eq!(d.line, Some(4));

    // A file named on its own still gets its folder's metadata, and the
    // entries for the files not named are not reported.
    let alone = load(&[dir.join("a.txt")], None);
    assert_eq!(
        article(&alone, "a")
            .title
            .as_ref()
            .map(|t| t.value.as_str()),
        Some("Alpha")
    );
    assert!(alone.diagnostics.is_empty(), "{:?}", messages(&alone));
}

#[test]
fn meta_jsonl_named_explicitly_is_not_read_as_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let meta = write(
        tmp.path(),
        "meta.jsonl",
        r#"{"id":"a","text":"looks like an article"}"#,
    );
    let loaded = load(&[meta], None);
    assert!(loaded.articles.is_empty());
    one_diagnostic(&loaded, "meta.jsonl", "holds metadata, not articles");
}

#[test]
fn explicit_meta_wins_and_its_bad_lines_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    write(&dir, "a.txt", "Alpha text.");
    write(&dir, "b.txt", "Beta text.");
    write(
        &dir,
        "meta.jsonl",
        r#"{"id":"a","title":"Folder title","publisher":"Folder publisher"}"#,
    );
    let meta = write(
        tmp.path(),
        "all-meta.jsonl",
        [
            r#"{"id":"a","title":"Explicit title"}"#,
            r#"{"id":"b","publisher":"B Corp","published":"not a date"}"#,
            r#"{"id":"b","title":"duplicate"}"#,
            r#"{"title":"no id"}"#,
            r#"{"id":"c","title":5}"#,
            "{broken",
            r#"{"id":"ghost","title":"No such article"}"#,
            r#"{"id":"   "}"#,
        ]
        .join("\n"),
    );
    let loaded = load(std::slice::from_ref(&dir), Some(&meta));
    let a = article(&loaded, "a");
    assert_eq!(
        a.title.as_ref().map(|t| t.value.as_str()),
        Some("Explicit title")
    );
    assert_eq!(
        a.publisher.as_ref().map(|t| t.value.as_str()),
        Some("Folder publisher")
    );
    let b = article(&loaded, "b");
    assert_eq!(
        b.publisher.as_ref().map(|t| t.value.as_str()),
        Some("B Corp")
    );
    assert_eq!(b.title, None);
    assert_eq!(b.published, None);
    let got: Vec<(Option<usize>, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect();
    let want: Vec<(Option<usize>, &str)> = vec![
        (Some(2), "cannot read \"not a date\" as a time"),
        (
            Some(3),
            "duplicate id \"b\" (first at line 2); this entry is ignored",
        ),
        (Some(4), "not a metadata entry: missing field `id`"),
        (
            Some(5),
            "not a metadata entry: invalid type: integer `5`, expected a string",
        ),
        (Some(6), "not valid JSON"),
        (Some(8), "\"id\" is empty"),
        (
            Some(7),
            "1 metadata entry names no article among the inputs: \"ghost\"",
        ),
    ];
    assert_eq!(got.len(), want.len(), "{:?}", messages(&loaded));
    for ((line, message), (want_line, want)) in got.iter().zip(want) {
        assert_eq!(*line, want_line, "{message}");
        assert!(
            message.starts_with(want),
            "{message:?} does not start with {want:?}"
        );
        assert!(
            loaded
                .diagnostics
                .iter()
                .all(|d| d.source.ends_with("all-meta.jsonl"))
        );
    }

    let missing = load(
        std::slice::from_ref(&dir),
        Some(&tmp.path().join("nope.jsonl")),
    );
    assert_eq!(ids(&missing), ["a", "b"]);
    one_diagnostic(&missing, "nope.jsonl", "not found");
}

#[test]
fn jsonl_from_a_reader() {
    let input = "{\"id\":\"s2\",\"text\":\"Second.\"}\r\n\u{feff}\nnot json\n{\"id\":\"s1\",\"text\":\"First.\\nPublished: 23 May 2023\"}";
    let mut reader = input.as_bytes();
    let loaded = load_inputs(&[PathBuf::from("-"), PathBuf::from("-")], None, &mut reader);
    assert_eq!(ids(&loaded), ["s1", "s2"]);
    assert_eq!(
        article(&loaded, "s1").text,
        "First.\nPublished: 23 May 2023"
    );
    assert_eq!(
        article(&loaded, "s1")
            .published
            .as_ref()
            .map(|t| (t.value.to_string(), t.from)),
        Some(("2023-05-23".to_owned(), Provenance::Text))
    );
    assert_eq!(
        messages(&loaded),
        [
            "-:2: not valid JSON: expected value (column 1); skipped",
            "-:3: not valid JSON: expected ident (column 2); skipped",
            "-: standard input was named more than once; read once",
        ]
    );

    let mut binary: &[u8] = b"{\"id\":\"a\",\"text\":\"b\"}\n\0\0\0";
    let refused = load_inputs(&[PathBuf::from("-")], None, &mut binary);
    assert_eq!(messages(&refused), ["-: binary data, not text; skipped"]);

    let empty = load_inputs(&[PathBuf::from("-")], None, &mut std::io::empty());
    assert_eq!(
        messages(&empty),
        ["-: standard input was empty; no articles read"]
    );
}

#[test]
fn huge_lines_and_files_are_fine() {
    let tmp = tempfile::tempdir().unwrap();
    let words = "word ".repeat(1_000_000); // 5 MB
    let json = serde_json::json!({"id": "huge", "text": words}).to_string();
    let jsonl = write(tmp.path(), "huge.jsonl", &json); // no final newline
    let txt = write(tmp.path(), "big.txt", &words);
    let mut stdin = json.as_bytes();
    let loaded = load_inputs(&[jsonl], None, &mut std::io::empty());
    assert!(loaded.diagnostics.is_empty(), "{:?}", messages(&loaded));
    assert_eq!(loaded.articles[0].text.len(), words.len());
    let loaded = load_inputs(&[txt, PathBuf::from("-")], None, &mut stdin);
    assert_eq!(ids(&loaded), ["big", "huge"]);
}

#[test]
fn order_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let d = &tmp.path().join("corpus");
    // Created in reverse order, so that the file system's listing order differs from the sorted one.
    for name in ["z.txt", "m/k.txt", "m/b.txt", "c.md", "a.txt"] {
        write(d, name, format!("Text of {name}."));
    }
    write(
        d,
        "list.jsonl",
        "{\"id\":\"y\",\"text\":\"Y.\"}\n{\"id\":\"b2\",\"text\":\"B2.\"}\n",
    );
    let extra = write(tmp.path(), "extra-order-test.txt", "Extra.");
    let one = load(&[d.to_path_buf(), extra.clone()], None);
    let two = load(&[extra.clone(), d.to_path_buf()], None);
    assert_eq!(
        ids(&one),
        ["a", "b", "b2", "c", "extra-order-test", "k", "y", "z"]
    );
    assert_eq!(one.articles, two.articles);
    assert_eq!(one.articles, load(&[d.to_path_buf(), extra], None).articles);

    // Among duplicates, the first in reading order (sorted names) wins, whatever the listing order.
    write(
        d,
        "m/y.txt",
        "A file called y, read before list.jsonl's y? No: 'list.jsonl' < 'm'.",
    );
    let dup = load(&[d.to_path_buf()], None);
    assert_eq!(article(&dup, "y").text, "Y.");
    one_diagnostic(&dup, "y.txt", "already read from");
}

#[test]
fn diagnostics_display() {
    let d = diagnostic("a/b.jsonl", Some(3), "bad");
    assert_eq!(d.to_string(), "a/b.jsonl:3: bad");
    let d = diagnostic("-", None, "empty");
    assert_eq!(d.to_string(), "-: empty");
}

#[test]
fn folder_metadata_problems_come_in_reading_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    write(&dir, "a.txt", "Alpha.");
    write(
        &dir,
        "meta.jsonl",
        "{\"id\":\"a\",\"published\":\"2023-99-01\"}\n",
    );
    let later = write(tmp.path(), "later.txt", "");
    let loaded = load(&[dir.clone(), later], None);
    let got = messages(&loaded);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].contains("meta.jsonl:1: cannot read \"2023-99-01\" as a time: there is no month 99; the entry is used without it"), "{got:?}");
    assert!(got[1].contains("later.txt: empty file"), "{got:?}");
    assert_eq!(article(&loaded, "a").published, None);
    // The same folder spelt two ways is one folder: its metadata is read once.
    let spelt = load(&[dir.join("."), dir.join("a.txt"), dir.clone()], None);
    assert_eq!(spelt.diagnostics.len(), 1, "{:?}", messages(&spelt));
}

#[test]
fn symlink_loops_and_dangling_links() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    write(&dir, "a.txt", "Alpha.");
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("dangling.txt")).unwrap();
    let loaded = load(std::slice::from_ref(&dir), None);
    assert_eq!(ids(&loaded), ["a"]);
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", messages(&loaded));
    one_diagnostic(&loaded, "dangling.txt", "not found");
}

/// A WARC response record of an HTML page captured from `uri`.
fn warc_page(uri: &str, body: &str) -> String {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
    format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
}

/// The stream's articles and diagnostics, and [`load_inputs`]'s, for the same inputs.
fn both(
    paths: &[PathBuf],
    meta: Option<&Path>,
    stdin: &[u8],
) -> ((Vec<Article>, Vec<Diagnostic>), Loaded) {
    let mut input = stdin;
    let mut stream = InputStream::new(paths, meta, &mut input);
    let articles: Vec<Article> = stream.by_ref().collect();
    let streamed = (articles, stream.finish());
    let mut input = stdin;
    (streamed, load_inputs(paths, meta, &mut input))
}

#[test]
fn the_stream_is_load_inputs_in_reading_order() {
    let tmp = tempfile::tempdir().unwrap();
    let d = &tmp.path().join("corpus");
    write(
        d,
        "z.txt",
        "Zed, a text file read after the JSONL and the WARC.",
    );
    write(d, "a.md", "# A\n\nThe first file of the folder.");
    write(
        d,
        "lines.jsonl",
        "{\"id\":\"q\",\"text\":\"Q.\",\"published\":\"someday\"}\nnot json\n\
         {\"id\":\"a\",\"text\":\"A second a.\"}\n{\"id\":\"c\",\"text\":\"C.\"}\n",
    );
    let page = "<html><head><title>P</title></head><body><article><p>A page of a crawl, \
                long enough to be read as the main text of the page.</p></article></body></html>";
    write(
        d,
        "crawl.warc",
        format!(
            "{}{}{}",
            warc_page("https://x.example/p", page),
            warc_page("https://x.example/q", page),
            warc_page("https://x.example/p", page),
        ),
    );
    write(
        d,
        "meta.jsonl",
        "{\"id\":\"c\",\"title\":\"C from meta\"}\n{\"id\":\"gone\",\"title\":\"nobody\"}\n\
         {\"id\":\"q-page\",\"url\":\"https://x.example/q\"}\n",
    );
    write(
        d,
        "sub/b.txt",
        "B, in a subfolder, read after every file of its parent.",
    );
    write(d, "sub/deeper/y.txt", "Y, deeper still.");
    write(d, "sub2/x.txt", "X, in the second subfolder.");
    let single = write(
        tmp.path(),
        "single.txt",
        "Named on its own, after the folder.",
    );
    let meta = write(
        tmp.path(),
        "all.jsonl",
        "{\"id\":\"z\",\"published\":\"2999-01-01\"}\n",
    );
    let stdin =
        b"{\"id\":\"s\",\"text\":\"From standard input.\"}\n{\"id\":\"z\",\"text\":\"Z again.\"}\n";
    let paths = [d.clone(), PathBuf::from("-"), single];
    let ((streamed, diagnostics), loaded) = both(&paths, Some(&meta), stdin);

    let order: Vec<&str> = streamed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        order,
        [
            "a",
            "https://x.example/p",
            "q-page",
            "q",
            "c",
            "z",
            "b",
            "y",
            "x",
            "s",
            "single"
        ]
    );
    let mut sorted = streamed.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(sorted, loaded.articles);
    assert_eq!(diagnostics, loaded.diagnostics);
    let got: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let shown = |name: &str| d.join(name).display().to_string();
    assert_eq!(
        got,
        [
            // A file's own problems, then its duplicate ids.
            format!(
                "{0}: record at byte {1}: duplicate id \"https://x.example/p\": already read from \
                 {0} (record at byte 0); this one is skipped",
                shown("crawl.warc"),
                2 * warc_page("https://x.example/p", page).len()
            ),
            format!(
                "{}:1: cannot read \"someday\" as a time: no date found where one was expected \
                 (accepted: 2023-05-23T22:33:50Z, 2023-05-23, May 23, 2023, 23 May 2023, \
                 23.05.2023, optionally with a weekday and a time); the article is read without it",
                shown("lines.jsonl")
            ),
            format!(
                "{}:2: not valid JSON: expected ident (column 2); skipped",
                shown("lines.jsonl")
            ),
            format!(
                "{0}:3: duplicate id \"a\": already read from {1}; this one is skipped",
                shown("lines.jsonl"),
                shown("a.md")
            ),
            format!(
                "-:2: duplicate id \"z\": already read from {}; this one is skipped",
                shown("z.txt")
            ),
            // At the end: metadata that names nothing, then times set aside (none here: the
            // clock is the caller's).
            format!(
                "{}:2: 1 metadata entry names no article in its folder: \"gone\"",
                shown("meta.jsonl")
            ),
        ]
    );
    assert_eq!(
        article(&loaded, "c")
            .title
            .as_ref()
            .map(|t| t.value.as_str()),
        Some("C from meta")
    );
}

#[test]
fn a_large_jsonl_file_streams_across_batches() {
    // Three parse batches of lines, with bad lines and duplicate ids on both sides of each
    // boundary: the bad lines are said in line order, then the count of those not shown, then the
    // duplicates, as when the file was read whole.
    let lines = 10_000;
    let mut text = String::new();
    let mut bad = Vec::new();
    let mut duplicates = Vec::new();
    for line in 1..=lines {
        if line % 400 == 7 {
            bad.push(line);
            text.push_str("{oops\n");
        } else if line % 1_000 == 999 {
            duplicates.push(line);
            text.push_str(&format!(
                "{{\"id\":\"a{}\",\"text\":\"Again.\"}}\n",
                line - 998
            ));
        } else {
            text.push_str(&format!(
                "{{\"id\":\"a{line}\",\"text\":\"Line {line}.\"}}\n"
            ));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "big.jsonl", &text);
    let ((streamed, diagnostics), loaded) = both(std::slice::from_ref(&file), None, b"");
    let expected: Vec<String> = (1..=lines)
        .filter(|l| !bad.contains(l) && !duplicates.contains(l))
        .map(|l| format!("a{l}"))
        .collect();
    let order: Vec<&str> = streamed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(order, expected);
    assert_eq!(diagnostics, loaded.diagnostics);
    let lines_said: Vec<Option<usize>> = diagnostics.iter().map(|d| d.line).collect();
    let mut want: Vec<Option<usize>> = bad[..MAX_LINE_DIAGNOSTICS]
        .iter()
        .map(|&l| Some(l))
        .collect();
    want.push(None);
    want.extend(duplicates.iter().map(|&l| Some(l)));
    assert_eq!(lines_said, want);
    assert_eq!(
        diagnostics[MAX_LINE_DIAGNOSTICS].message,
        more_bad_lines(bad.len() - MAX_LINE_DIAGNOSTICS)
    );
}

mod streamed {
    use std::fs;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::both;

    /// A line of a generated JSONL file: an article with one of a few ids (so that ids repeat
    /// within and across files), a bad line, or a blank one.
    #[derive(Debug, Clone)]
    enum Line {
        Article(u8),
        Bad,
        Blank,
    }

    fn line() -> impl Strategy<Value = Line> {
        prop_oneof![
            6 => (0u8..12).prop_map(Line::Article),
            1 => Just(Line::Bad),
            1 => Just(Line::Blank),
        ]
    }

    /// A file: JSONL lines, or a text file whose id is its name.
    #[derive(Debug, Clone)]
    enum File {
        Jsonl(Vec<Line>),
        Text(u8),
    }

    fn file() -> impl Strategy<Value = File> {
        prop_oneof![
            3 => proptest::collection::vec(line(), 0..12).prop_map(File::Jsonl),
            1 => (0u8..12).prop_map(File::Text),
        ]
    }

    /// Writes `files` into `dir` (named so that their order is their index, a text file in a
    /// subfolder of its own so that its id can be an id of the JSONL files) and gives each
    /// file's path and the ids in it.
    fn write_files(dir: &Path, files: &[File], tag: &str) -> Vec<(PathBuf, Vec<String>)> {
        fs::create_dir_all(dir).expect("a folder");
        let mut written = Vec::new();
        for (i, file) in files.iter().enumerate() {
            match file {
                File::Jsonl(lines) => {
                    let path = dir.join(format!("f{i:02}.jsonl"));
                    let mut text = String::new();
                    let mut ids = Vec::new();
                    for line in lines {
                        match line {
                            Line::Article(n) => {
                                text.push_str(&format!(
                                    "{{\"id\":\"a{n}\",\"text\":\"Article {n} of {tag}.\"}}\n"
                                ));
                                ids.push(format!("a{n}"));
                            }
                            Line::Bad => text.push_str("{not json\n"),
                            Line::Blank => text.push('\n'),
                        }
                    }
                    fs::write(&path, text).expect("written");
                    written.push((path, ids));
                }
                File::Text(n) => {
                    let sub = dir.join(format!("f{i:02}-t"));
                    fs::create_dir_all(&sub).expect("a folder");
                    let path = sub.join(format!("a{n}.txt"));
                    fs::write(&path, format!("Text {n} of {tag}.")).expect("written");
                    written.push((path, vec![format!("a{n}")]));
                }
            }
        }
        written
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The stream hands out the first article of each id in reading order (files in name order,
        /// a file's lines in order), and collected and sorted it is `load_inputs`, diagnostics and
        /// all; each file's duplicate ids are said after its own problems.
        #[test]
        fn the_stream_reads_in_order_and_collects_to_load_inputs(
            files in proptest::collection::vec(file(), 0..6),
            named in proptest::collection::vec(file(), 0..3),
        ) {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let folder = tmp.path().join("corpus");
            let mut written = write_files(&folder, &files, "the folder");
            // A folder's files are read before its subfolders (where the text files are).
            written.sort_by_key(|(path, _)| path.parent() != Some(folder.as_path()));
            let mut paths = vec![folder];
            for (path, ids) in write_files(&tmp.path().join("named"), &named, "a named file") {
                paths.push(path.clone());
                written.push((path, ids));
            }
            let ((streamed, diagnostics), loaded) = both(&paths, None, b"");

            let mut seen = std::collections::HashSet::new();
            let expected: Vec<String> = written
                .iter()
                .flat_map(|(_, ids)| ids.iter().cloned())
                .filter(|id| seen.insert(id.clone()))
                .collect();
            let order: Vec<String> = streamed.iter().map(|a| a.id.clone()).collect();
            prop_assert_eq!(order, expected);
            let mut sorted = streamed.clone();
            sorted.sort_by(|a, b| a.id.cmp(&b.id));
            prop_assert_eq!(&sorted, &loaded.articles);
            prop_assert_eq!(&diagnostics, &loaded.diagnostics);
            // Per file, no diagnostic of its own after its first duplicate.
            for (path, _) in &written {
                let shown = path.display().to_string();
                let mine: Vec<bool> = diagnostics
                    .iter()
                    .filter(|d| d.source == shown)
                    .map(|d| d.message.starts_with("duplicate id"))
                    .collect();
                prop_assert!(mine.windows(2).all(|w| w[1] || !w[0]), "{:?}", diagnostics);
            }
        }
    }
}
