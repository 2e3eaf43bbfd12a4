//! WARC files, compressed inputs and character encodings, read through `load_inputs` from files
//! written in temporary folders.

#[allow(dead_code)]
#[path = "support/warc_writer.rs"]
mod warc_writer;

use std::io::Write;
use std::path::{Path, PathBuf};

use stemma_graph::{Article, Provenance};
use stemma_input::{Loaded, load_inputs};
use warc_writer::{chunked, gzip, http_response, record, request, response, warc_gz, warcinfo};

fn load(paths: &[PathBuf]) -> Loaded {
    load_inputs(paths, None, &mut std::io::empty())
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writing a test file");
    path
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded.articles.iter().map(|a| a.id.as_str()).collect()
}

fn messages(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(ToString::to_string).collect()
}

fn article<'a>(loaded: &'a Loaded, id: &str) -> &'a Article {
    loaded
        .articles
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id}: {:?}", ids(loaded)))
}

/// A news page with a story long enough for the HTML reader to find it.
fn story_page(title: &str, words: &str, head_extra: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{head_extra}</head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{title}</h1>\
         <p>{words} The water rose through the night and the bridge was closed to traffic.</p>\
         <p>Officials said the evacuation of the lower town would go on until Tuesday morning.</p>\
         </article><footer>All rights reserved.</footer></body></html>"
    )
}

const A: &str = "https://news.example/a";
const B: &str = "https://news.example/b";
const C: &str = "https://news.example/c";
const D: &str = "https://news.example/d";

/// A crawl of four pages and ten records that are not articles; the offsets of its members.
fn crawl() -> (Vec<Vec<u8>>, Vec<u8>) {
    let html = |status: &str, body: &[u8]| {
        http_response(
            status,
            &[("Content-Type", "text/html; charset=utf-8")],
            body,
        )
    };
    let a = story_page(
        "Alpha",
        "Alpha's story begins here.",
        "<link rel=\"canonical\" href=\"https://news.example/alpha-canonical\">",
    );
    let b = story_page("Beta", "Beta's story is sent chunked and compressed.", "");
    let c = story_page("Gamma", "Gamma has no content type at all.", "");
    let d_text = latin(&story_page(
        "Delta",
        "Déjà vu: the café by the bridge closed, its façade under water.",
        "",
    ));
    let records = vec![
        warcinfo(),
        request(A),
        response(A, &html("200 OK", a.as_bytes())),
        request(B),
        response(
            B,
            &http_response(
                "200 OK",
                &[
                    ("Content-Type", "text/html"),
                    ("Transfer-Encoding", "chunked"),
                    ("Content-Encoding", "gzip"),
                ],
                &chunked(&gzip(b.as_bytes()), 97),
            ),
        ),
        response(
            C,
            &http_response("200 OK", &[("Server", "x")], c.as_bytes()),
        ),
        response(
            D,
            &http_response(
                "200 OK",
                &[("Content-Type", "text/html; charset=windows-1252")],
                &d_text,
            ),
        ),
        response(
            "https://news.example/robots.txt",
            &http_response(
                "200 OK",
                &[("Content-Type", "text/plain")],
                b"User-agent: *\n",
            ),
        ),
        response(
            "https://news.example/logo.png",
            &http_response(
                "200 OK",
                &[("Content-Type", "image/png")],
                b"\x89PNG\r\n\x1a\n",
            ),
        ),
        response(
            "http://news.example/a",
            &http_response("301 Moved Permanently", &[("Location", A)], b""),
        ),
        response(
            "https://news.example/gone",
            &html("404 Not Found", b"<p>Not here</p>"),
        ),
        record(
            "revisit",
            Some(A),
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ),
        record(
            "metadata",
            Some(A),
            "application/warc-fields",
            b"outlinks: 3\r\n",
        ),
    ];
    let gz = warc_gz(&records);
    (records, gz)
}

const SUMMARY: &str = "13 records: 4 pages read; skipped 2 requests, 1 warcinfo record, 1 \
                       metadata record, 1 revisit (a capture recorded as unchanged), 2 non-HTML \
                       responses (images, scripts, style sheets, robots.txt, …), 1 redirect \
                       (3xx), 1 error response (4xx, 5xx)";

#[test]
fn reads_the_pages_of_a_crawl_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, gz) = crawl();
    let path = write(tmp.path(), "crawl.warc.gz", &gz);
    let loaded = load(std::slice::from_ref(&path));
    assert_eq!(ids(&loaded), [A, B, C, D]);
    let shown = path.display().to_string();
    assert_eq!(messages(&loaded), [format!("{shown}: {SUMMARY}")]);

    let a = article(&loaded, A);
    assert!(
        a.text.starts_with("Alpha's story begins here."),
        "{}",
        a.text
    );
    assert!(!a.text.contains("Home") && !a.text.contains("rights reserved"));
    assert_eq!(
        a.url.as_ref().map(|u| (u.value.as_str(), u.from)),
        Some(("https://news.example/alpha-canonical", Provenance::Page)),
        "the page's own URL wins"
    );
    assert_eq!(a.title.as_ref().map(|t| t.value.as_str()), Some("Alpha"));
    let b = article(&loaded, B);
    assert!(
        b.text.starts_with("Beta's story is sent chunked"),
        "{}",
        b.text
    );
    assert_eq!(
        b.url.as_ref().map(|u| (u.value.as_str(), u.from)),
        Some((B, Provenance::Page)),
        "the record's URI when the page names none"
    );
    assert!(
        article(&loaded, C)
            .text
            .starts_with("Gamma has no content type")
    );
    assert!(
        article(&loaded, D)
            .text
            .starts_with("Déjà vu: the café by the bridge closed, its façade under water."),
        "{}",
        article(&loaded, D).text
    );
}

#[test]
fn plain_and_zstd_warc_files_read_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let (records, gz) = crawl();
    let reference = load(&[write(tmp.path(), "crawl.warc.gz", &gz)]);
    let plain = load(&[write(tmp.path(), "plain.warc", records.concat())]);
    // Zstandard a frame per record, with a skippable frame first (as some writers leave).
    let mut zst = 0x184D_2A50u32.to_le_bytes().to_vec();
    zst.extend_from_slice(&4u32.to_le_bytes());
    zst.extend_from_slice(b"skip");
    for r in &records {
        zst.extend(ruzstd::encoding::compress_to_vec(
            &r[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ));
    }
    let zstd = load(&[write(tmp.path(), "crawl.warc.zst", zst)]);
    // A crawl gzipped whole, not a record per member.
    let whole = load(&[write(tmp.path(), "whole.warc.gz", gzip(&records.concat()))]);
    for other in [&plain, &zstd, &whole] {
        assert_eq!(other.articles, reference.articles);
        assert_eq!(other.diagnostics.len(), 1, "{:?}", messages(other));
        assert!(other.diagnostics[0].message.ends_with(SUMMARY));
    }
}

#[test]
fn a_truncated_warc_gz_keeps_the_records_before_the_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let (records, gz) = crawl();
    // The members of records 0..=4 whole (up to B's response), then half of the next (C's).
    let members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    assert_eq!(members.concat(), gz);
    let c_start: usize = members[..5].iter().map(Vec::len).sum();
    let cut = c_start + members[5].len() / 2;
    let path = write(tmp.path(), "cut.warc.gz", &gz[..cut]);
    let loaded = load(std::slice::from_ref(&path));
    assert_eq!(ids(&loaded), [A, B]);
    let shown = path.display().to_string();
    assert_eq!(
        messages(&loaded),
        [
            format!(
                "{shown}: damaged at byte {cut} (the file is cut short inside compressed data; \
                 the record at byte {c_start} is lost with it); the records from there on are \
                 not read"
            ),
            format!("{shown}: 5 records: 2 pages read; skipped 2 requests, 1 warcinfo record"),
        ]
    );

    // Corrupt bytes inside a member: the damage is placed near them, the run goes on.
    let mut corrupt = gz.clone();
    for byte in &mut corrupt[c_start + 20..c_start + 60] {
        *byte ^= 0x5A;
    }
    let other = write(
        tmp.path(),
        "other.txt",
        "Another article, read after the damaged crawl.",
    );
    let loaded = load(&[write(tmp.path(), "corrupt.warc.gz", corrupt), other]);
    assert_eq!(ids(&loaded), [A, B, "other"]);
    let damage = &loaded.diagnostics[0].message;
    assert!(damage.starts_with("damaged at byte "), "{damage}");
    let at: usize = damage["damaged at byte ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a byte offset");
    assert!(
        (c_start..=c_start + members[5].len()).contains(&at),
        "{damage}"
    );
}

#[test]
fn damage_in_a_plain_warc_is_placed_at_its_record() {
    let tmp = tempfile::tempdir().unwrap();
    let (records, _) = crawl();
    let before: usize = records[..2].iter().map(Vec::len).sum();
    let header = 4 + records[2]
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap();
    let whole = records.concat();
    let path = write(
        tmp.path(),
        "cut.warc",
        &whole[..before + records[2].len() / 2],
    );
    let loaded = load(std::slice::from_ref(&path));
    assert!(loaded.articles.is_empty());
    let shown = path.display().to_string();
    assert_eq!(
        messages(&loaded),
        [
            format!(
                "{shown}: damaged at byte {before} (the file ends inside the record that starts \
                 there, after {} of its {} bytes); the records from there on are not read",
                records[2].len() / 2 - header,
                records[2].len() - header - 4
            ),
            format!("{shown}: 2 records: 0 pages read; skipped 1 request, 1 warcinfo record"),
        ]
    );

    let not_warc = write(
        tmp.path(),
        "notes.warc",
        "Just some text, not a web archive.\n",
    );
    let loaded = load(std::slice::from_ref(&not_warc));
    assert_eq!(
        messages(&loaded),
        [format!(
            "{}: not a WARC file: it starts \"Just some text, not a we\", not \"WARC/1.0\" or \
             \"WARC/1.1\"; skipped",
            not_warc.display()
        )]
    );
    let empty = write(tmp.path(), "empty.warc.gz", gzip(b""));
    let loaded = load(std::slice::from_ref(&empty));
    assert_eq!(
        messages(&loaded),
        [format!(
            "{}: no WARC records in it; nothing read",
            empty.display()
        )]
    );
}

#[test]
fn pages_that_cannot_be_read_are_said_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = vec![b'a'; 64 * 1024 * 1024 + 1];
    let mut big = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>".to_vec();
    big.extend_from_slice(&huge);
    let records = [
        response(
            "https://x.example/empty",
            &http_response(
                "200 OK",
                &[("Content-Type", "text/html")],
                b"<html><body></body></html>",
            ),
        ),
        response("https://x.example/big", &big),
        response(
            "https://x.example/br",
            &http_response(
                "200 OK",
                &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
                b"\x1b\x03\x00\xf8\x25",
            ),
        ),
        response(
            "https://x.example/ok",
            &http_response(
                "200 OK",
                &[("Content-Type", "text/html")],
                story_page("Ok", "A page that is fine.", "").as_bytes(),
            ),
        ),
    ];
    let path = write(tmp.path(), "mixed.warc", records.concat());
    let loaded = load(std::slice::from_ref(&path));
    assert_eq!(ids(&loaded), ["https://x.example/ok"]);
    let got: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    let big_at = records[0].len();
    let br_at = big_at + records[1].len();
    assert_eq!(
        got,
        [
            "record at byte 0 (https://x.example/empty): no text found in the page; skipped"
                .to_owned(),
            format!(
                "record at byte {big_at} (https://x.example/big): a record of {} bytes, more \
                 than the 64 MiB a page may have; skipped",
                big.len()
            ),
            format!(
                "record at byte {br_at} (https://x.example/br): its content is compressed with \
                 Brotli (br), which stemma does not read; skipped"
            ),
            "4 records: 1 page read; 3 pages could not be read (said above)".to_owned(),
        ]
    );
}

#[test]
fn metadata_names_the_pages_of_a_crawl_by_their_url() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, gz) = crawl();
    let path = write(tmp.path(), "crawl.warc.gz", &gz);
    write(
        tmp.path(),
        "meta.jsonl",
        [
            format!(r#"{{"id":"beta","url":"{B}","title":"Beta, from metadata","published":"2025-03-03"}}"#),
            format!(r#"{{"id":"{A}","publisher":"Alpha Press"}}"#),
            format!(r#"{{"id":"alpha","url":"{A}","title":"not used: the entry by id wins"}}"#),
        ]
        .join("\n"),
    );
    let loaded = load(std::slice::from_ref(&path));
    assert_eq!(ids(&loaded), ["beta", A, C, D]);
    let beta = article(&loaded, "beta");
    assert_eq!(
        beta.title.as_ref().map(|t| (t.value.as_str(), t.from)),
        Some(("Beta, from metadata", Provenance::Metadata))
    );
    assert_eq!(
        beta.published.as_ref().map(|t| t.value.to_string()),
        Some("2025-03-03".to_owned())
    );
    let a = article(&loaded, A);
    assert_eq!(
        a.publisher.as_ref().map(|p| p.value.as_str()),
        Some("Alpha Press")
    );
    assert_eq!(a.title.as_ref().map(|t| t.value.as_str()), Some("Alpha"));
    // Only the summary (entries unused are reported when a folder is read whole).
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", messages(&loaded));

    // The same URL captured twice: the first capture is kept, the second said.
    let twice = write(
        tmp.path(),
        "twice.warc",
        [
            response(
                A,
                &http_response(
                    "200 OK",
                    &[("Content-Type", "text/html")],
                    story_page("One", "First capture.", "").as_bytes(),
                ),
            ),
            response(
                A,
                &http_response(
                    "200 OK",
                    &[("Content-Type", "text/html")],
                    story_page("Two", "Second capture.", "").as_bytes(),
                ),
            ),
        ]
        .concat(),
    );
    let loaded = load(std::slice::from_ref(&twice));
    assert_eq!(ids(&loaded), [A]);
    assert!(article(&loaded, A).text.starts_with("First capture."));
    let shown = twice.display().to_string();
    let second = record_len_of_first(&twice);
    assert_eq!(
        messages(&loaded),
        [format!(
            "{shown}: record at byte {second}: duplicate id \"{A}\": already read from {shown} \
             (record at byte 0); this one is skipped"
        )]
    );
}

/// The length of the first record of a plain WARC file (where the second starts).
fn record_len_of_first(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    let second = bytes
        .windows(8)
        .skip(1)
        .position(|w| w == b"WARC/1.1")
        .unwrap();
    second + 1
}

/// Windows-1252 text.
fn latin(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

const JAPANESE: &str = "東京都は月曜日、大雨による洪水の危険が高まったとして、川沿いの住民に避難を呼びかけた。\
                        気象庁によると、雨は火曜日の朝まで降り続く見込みだという。";

#[test]
fn files_in_any_encoding_are_read_and_guesses_said() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let old = write(
        d,
        "old.txt",
        latin(
            "Le café de la gare a fermé ses portes après quarante années. Les habitués regrettent déjà l'été passé sur la terrasse.",
        ),
    );
    let page = write(
        d,
        "page.html",
        latin(&story_page("Café", "Le café de la gare a fermé, déjà.", "")),
    );
    let sjis_page = encoding_rs::SHIFT_JIS
        .encode(&format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\
             <title>洪水</title></head><body><article><p>{JAPANESE}</p><p>{JAPANESE}</p></article></body></html>"
        ))
        .0
        .into_owned();
    let declared = write(d, "declared.html", &sjis_page);
    let sjis_text = write(d, "sjis.txt", &encoding_rs::SHIFT_JIS.encode(JAPANESE).0);
    let loaded = load(&[old, page, declared.clone(), sjis_text]);
    assert_eq!(ids(&loaded), ["declared", "old", "page", "sjis"]);
    assert!(
        article(&loaded, "old")
            .text
            .starts_with("Le café de la gare a fermé")
    );
    assert!(article(&loaded, "page").text.contains("fermé, déjà."));
    assert!(article(&loaded, "declared").text.contains(JAPANESE));
    assert_eq!(article(&loaded, "sjis").text, JAPANESE);
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            (
                Path::new(&d.source)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                d.message.clone(),
            )
        })
        .collect();
    // A declared encoding is no guess: nothing said for declared.html.
    assert_eq!(
        got,
        [
            (
                "old.txt".to_owned(),
                "not UTF-8; read as windows-1252 (detected)".to_owned()
            ),
            (
                "page.html".to_owned(),
                "not UTF-8; read as windows-1252 (detected)".to_owned()
            ),
            (
                "sjis.txt".to_owned(),
                "not UTF-8; read as Shift_JIS (detected)".to_owned()
            ),
        ]
    );

    // In a crawl, a Shift_JIS page declared only by its HTTP header.
    let crawl = write(
        d,
        "jp.warc.gz",
        warc_gz(&[response(
            "https://jp.example/news",
            &http_response("200 OK", &[("Content-Type", "text/html; charset=sjis")], &encoding_rs::SHIFT_JIS.encode(&format!("<html><body><article><p>{JAPANESE}</p><p>{JAPANESE}</p></article></body></html>")).0),
        )]),
    );
    let loaded = load(&[crawl]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", messages(&loaded));
    assert!(loaded.articles[0].text.contains(JAPANESE));
}

#[test]
fn compressed_files_of_every_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "a.txt.gz", gzip(b"The first article, gzipped."));
    write(
        &dir,
        "b.html.zst",
        ruzstd::encoding::compress_to_vec(
            story_page("Bee", "The second article, a page in Zstandard.", "").as_bytes(),
            ruzstd::encoding::CompressionLevel::Fastest,
        ),
    );
    write(
        &dir,
        "lines.jsonl.gz",
        gzip(b"{\"id\":\"c\",\"text\":\"From compressed JSONL.\"}\n"),
    );
    write(
        &dir,
        "meta.jsonl.gz",
        gzip(b"{\"id\":\"a\",\"title\":\"Alpha\"}\n"),
    );
    write(&dir, "photo.png.gz", gzip(b"\x89PNG"));
    let loaded = load(std::slice::from_ref(&dir));
    assert!(loaded.diagnostics.is_empty(), "{:?}", messages(&loaded));
    assert_eq!(ids(&loaded), ["a", "b", "c"]);
    assert_eq!(article(&loaded, "a").text, "The first article, gzipped.");
    assert_eq!(
        article(&loaded, "a")
            .title
            .as_ref()
            .map(|t| t.value.as_str()),
        Some("Alpha")
    );
    assert!(article(&loaded, "b").text.starts_with("The second article"));

    // JSONL piped in compressed.
    let mut piped: &[u8] = &gzip(b"{\"id\":\"p\",\"text\":\"Piped.\"}\n");
    let loaded = load_inputs(&[PathBuf::from("-")], None, &mut piped);
    assert_eq!(ids(&loaded), ["p"]);
}

#[test]
fn decompression_bombs_are_refused_not_expanded() {
    let tmp = tempfile::tempdir().unwrap();
    // 80 MiB of words in 80 KiB or so.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let words = b"boom ".repeat(1024 * 1024);
    for _ in 0..16 {
        encoder.write_all(&words).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);
    let txt = write(tmp.path(), "bomb.txt.gz", &bomb);
    let loaded = load(std::slice::from_ref(&txt));
    assert!(loaded.articles.is_empty());
    assert_eq!(
        messages(&loaded),
        [format!(
            "{}: decompresses to more than the 64 MiB an article may have; skipped",
            txt.display()
        )]
    );

    // Streamed inputs have no size limit, so the expansion is what gives a bomb away.
    let newlines = gzip(&vec![b'\n'; 80 * 1024 * 1024]);
    let jsonl = write(tmp.path(), "bomb.jsonl.gz", &newlines);
    let loaded = load(std::slice::from_ref(&jsonl));
    let got = messages(&loaded);
    assert!(
        got[0].contains("read error, stopped: damaged at byte"),
        "{got:?}"
    );
    assert!(got[0].contains("a decompression bomb, not text"), "{got:?}");

    let mut warc = request("https://x.example/").to_vec();
    warc.extend_from_slice(b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://x.example/zeros\r\nContent-Length: 83886080\r\n\r\n");
    warc.extend(std::iter::repeat_n(0u8, 80 * 1024 * 1024));
    let warc = write(tmp.path(), "bomb.warc.gz", gzip(&warc));
    let loaded = load(std::slice::from_ref(&warc));
    let got = messages(&loaded);
    assert!(got[0].contains("a decompression bomb, not text"), "{got:?}");
}
