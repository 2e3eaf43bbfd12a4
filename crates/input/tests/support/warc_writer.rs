//! Writes WARC files as crawlers do (wget, Heritrix, warcio): WARC/1.1 records, each its own
//! gzip member, HTTP responses stored as sent. Shared by the tests of `stemma-input`, the
//! `demo_warc` example and the end-to-end tests of `stemma` (each includes this file with
//! `#[path]`), so that all of them read WARC files written one way.

use std::io::Write;
use std::path::Path;

/// One WARC record, uncompressed: the version line, the header fields, a blank line, the block
/// and the two line ends that close a record.
pub fn record(kind: &str, uri: Option<&str>, content_type: &str, block: &[u8]) -> Vec<u8> {
    // A record id from a counter would do as well; this one is stable for a given record.
    let id = block.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{:012x}>\r\n\
         WARC-Date: 2025-03-04T12:00:00Z\r\n",
        id & 0xffff_ffff_ffff
    );
    if let Some(uri) = uri {
        out.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    out.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

/// An HTTP response as a crawler stores it: status line, headers, blank line, body.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A `response` record of an HTTP response.
pub fn response(uri: &str, http: &[u8]) -> Vec<u8> {
    record(
        "response",
        Some(uri),
        "application/http; msgtype=response",
        http,
    )
}

/// A `request` record for `uri`.
pub fn request(uri: &str) -> Vec<u8> {
    let path = uri.splitn(4, '/').nth(3).unwrap_or("");
    let host = uri.split('/').nth(2).unwrap_or("");
    let http = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test-crawler\r\n\r\n");
    record(
        "request",
        Some(uri),
        "application/http; msgtype=request",
        http.as_bytes(),
    )
}

/// The `warcinfo` record a crawl starts with.
pub fn warcinfo() -> Vec<u8> {
    record(
        "warcinfo",
        None,
        "application/warc-fields",
        b"software: stemma test writer\r\nformat: WARC File Format 1.1\r\n",
    )
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Records as a `.warc.gz`: each record its own gzip member.
pub fn warc_gz(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gzip(r)).collect()
}

/// `body` in chunked transfer-encoding, in chunks of `size` bytes.
pub fn chunked(body: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(size.max(1)) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Text with `&`, `<` and `>` escaped for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A plain-text article as a web page: its first line the title, each line a paragraph.
pub fn html_page(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap_or("");
    let mut page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p>{}</p>\n",
        escape(title),
        escape(title)
    );
    for line in lines {
        page.push_str(&format!("<p>{}</p>\n", escape(line)));
    }
    page.push_str("</body></html>\n");
    page
}

/// The demo corpus (`examples/*.txt`) as a crawl: a `.warc.gz` of its articles as HTML pages,
/// each fetched from the URL `examples/meta.jsonl` gives it (with a request before each response,
/// as crawlers record them), plus a `robots.txt`, an image and a redirect, which are not articles.
/// Two pages are sent chunked and gzip-compressed, as many servers send them. Returns the file's
/// bytes and the `meta.jsonl` to put beside it (the demo's own, which names each page by its URL).
pub fn demo_warc(examples: &Path) -> std::io::Result<(Vec<u8>, String)> {
    let meta = std::fs::read_to_string(examples.join("meta.jsonl"))?;
    let mut entries: Vec<(String, String)> = meta
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(std::io::Error::other)?;
            let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
            Ok((field("id"), field("url")))
        })
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    let mut records = vec![warcinfo()];
    let robots = "https://northwire.example/robots.txt";
    records.push(request(robots));
    records.push(response(
        robots,
        &http_response(
            "200 OK",
            &[("Content-Type", "text/plain")],
            b"User-agent: *\nAllow: /\n",
        ),
    ));
    for (k, (id, url)) in entries.iter().enumerate() {
        let text = std::fs::read_to_string(examples.join(format!("{id}.txt")))?;
        let page = html_page(&text);
        let http = if k % 3 == 1 {
            http_response(
                "200 OK",
                &[
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ],
                &chunked(&gzip(page.as_bytes()), 1000),
            )
        } else {
            http_response(
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8")],
                page.as_bytes(),
            )
        };
        records.push(request(url));
        records.push(response(url, &http));
    }
    let logo = "https://northwire.example/logo.png";
    records.push(request(logo));
    records.push(response(
        logo,
        &http_response(
            "200 OK",
            &[("Content-Type", "image/png")],
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        ),
    ));
    let old = "http://northwire.example/world/2025/03/03/dam";
    records.push(request(old));
    records.push(response(
        old,
        &http_response(
            "301 Moved Permanently",
            &[("Location", entries.first().map_or("/", |e| e.1.as_str()))],
            b"",
        ),
    ));
    Ok((warc_gz(&records), meta))
}
