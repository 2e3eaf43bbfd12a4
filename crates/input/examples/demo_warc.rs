//! Writes the demo corpus (`examples/`) as a crawl: `demo.warc.gz`, its six articles as HTML pages
//! in WARC records (each record its own gzip member, a request before each response, a
//! `robots.txt`, an image and a redirect among them, as crawlers record a site), and beside it the
//! demo's `meta.jsonl`, whose `url` fields name each page by the URL it was captured from, so that
//! `stemma analyze OUT/demo.warc.gz` reads the pages under the demo's ids.
//!
//! ```text
//! cargo run -p stemma-input --example demo_warc -- target/demo-warc
//! cargo run --release -- analyze target/demo-warc/demo.warc.gz
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[allow(dead_code)]
#[path = "../tests/support/warc_writer.rs"]
mod warc_writer;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target/demo-warc"), PathBuf::from);
    let examples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let (warc, meta) = warc_writer::demo_warc(&examples)?;
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("demo.warc.gz"), &warc)?;
    std::fs::write(out.join("meta.jsonl"), meta)?;
    println!("{}", out.join("demo.warc.gz").display());
    Ok(())
}
