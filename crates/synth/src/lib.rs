//! A synthetic news corpus with planted reuse, for measuring quality and speed at scale
//! (`stemma bench generate`; docs/benchmark.md).
//!
//! [`write_corpus`] writes the articles as JSONL (the format `stemma analyze` reads) and the planted
//! relations as a truth file (the format `stemma_eval`'s `Truth` reads). [`stories`] and
//! [`generate()`] are pure: they print nothing and touch no file.
//!
//! Source layout, from the bottom up: `rng.rs` (a pinned pseudo-random generator), `words.rs`
//! (vocabulary, thesaurus, names), `text.rs` (fact sheets, sentences, reports), `spin.rs` (rewrite
//! operators), `outlets.rs` (publishers and their page furniture), `generate.rs` (the plan of stories
//! and families, and the truth), `natural.rs` (the natural generator's language model, built at run
//! time from the news texts beside the project: [`Generator::Natural`]).
//!
//! ```
//! use stemma_synth::{GenerateConfig, write_corpus};
//! let (mut corpus, mut truth) = (Vec::new(), Vec::new());
//! let summary = write_corpus(&GenerateConfig { docs: 40, seed: 1 }, &mut corpus, &mut truth).unwrap();
//! assert_eq!(summary.docs, 40);
//! assert_eq!(corpus.iter().filter(|&&b| b == b'\n').count(), 40);
//! let truth = stemma_eval::Truth::parse(std::str::from_utf8(&truth).unwrap()).unwrap();
//! assert_eq!(truth.articles.len(), 40);
//! ```
#![forbid(unsafe_code)]

// The modules are private: what a user needs is re-exported here, so the surface is this list.
mod generate;
mod natural;
mod outlets;
mod rng;
mod spin;
mod text;
mod words;

pub use generate::{
    GenerateConfig, GeneratedArticle, GeneratedStory, Generator, Op, SENTENCES, Stories,
    TRUTH_FORMAT, TruthBuilder, WithheldSource, generate, stories, stories_with,
};
pub use natural::{
    LoadError, MIN_SENTENCES, NewsModel, ORDER3_SHARE, Piece, Slot, meter_texts, mrpc_sentences,
    sentences_of,
};
pub use words::scorer_links;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The name of the corpus file [`write_files`] writes.
pub const CORPUS_FILE: &str = "corpus.jsonl";
/// The name of the truth file [`write_files`] writes.
pub const TRUTH_FILE: &str = "truth.json";

/// A file or folder of a generated corpus that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write: {source}", path.display())]
pub struct WriteError {
    /// The file or folder.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// One JSONL line of the corpus, in the field order of docs/cli.md.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    text: &'a str,
}

/// Writes one article as a JSONL line.
pub fn write_line(out: &mut impl Write, a: &GeneratedArticle) -> std::io::Result<()> {
    let line = Line {
        id: &a.id,
        title: &a.title,
        publisher: &a.publisher,
        url: &a.url,
        published: a.published.as_deref(),
        text: &a.text,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

/// What a generated corpus holds, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles written.
    pub docs: usize,
    /// Words of their texts (whitespace-separated, furniture included).
    pub words: usize,
    /// Stories.
    pub stories: usize,
    /// Stories whose articles share derived text (derivation families).
    pub families: usize,
    /// Withheld sources.
    pub withheld: usize,
    /// Related pairs of the truth.
    pub related_pairs: usize,
    /// Independent pairs of the truth.
    pub independent_pairs: usize,
    /// Bytes of corpus.jsonl.
    pub corpus_bytes: u64,
    /// Bytes of truth.json.
    pub truth_bytes: u64,
}

/// Writes the corpus of `config` to `corpus` (JSONL) and its truth to `truth` (JSON), streaming the
/// articles; returns what was written. Stories are generated on another thread (and in parallel
/// batches) while this one writes.
pub fn write_corpus(
    config: &GenerateConfig,
    corpus: &mut impl Write,
    truth: &mut impl Write,
) -> std::io::Result<Summary> {
    write_corpus_with(config, &Generator::Easy, corpus, truth)
}

/// [`write_corpus`] with the text of `generator`.
pub fn write_corpus_with(
    config: &GenerateConfig,
    generator: &Generator,
    corpus: &mut impl Write,
    truth: &mut impl Write,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut builder = TruthBuilder::default();
    let all = stories_with(config, generator);
    summary.stories = all.story_count();
    let (send, receive) = std::sync::mpsc::sync_channel::<GeneratedStory>(256);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for story in all {
                if send.send(story).is_err() {
                    break;
                }
            }
        });
        for story in receive {
            for a in &story.articles {
                write_line(corpus, a)?;
                summary.docs += 1;
                summary.words += a.words;
            }
            summary.families += usize::from(!story.related_pairs.is_empty());
            summary.withheld += usize::from(story.withheld.is_some());
            builder.add(&story);
        }
        Ok::<(), std::io::Error>(())
    })?;
    summary.related_pairs = builder.related_count();
    summary.independent_pairs = builder.independent_count();
    builder.write_json(truth)?;
    Ok(summary)
}

/// A `Write` that counts the bytes going through it.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the corpus of `config` and its truth into `out` (created if needed) as `corpus.jsonl` and
/// `truth.json`; returns what was written, bytes included.
///
/// # Errors
/// If the folder or a file cannot be created or written; the error names it.
pub fn write_files(config: &GenerateConfig, out: &Path) -> Result<Summary, WriteError> {
    write_files_with(config, &Generator::Easy, out)
}

/// [`write_files`] with the text of `generator`.
///
/// # Errors
/// If the folder or a file cannot be created or written; the error names it.
pub fn write_files_with(
    config: &GenerateConfig,
    generator: &Generator,
    out: &Path,
) -> Result<Summary, WriteError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    std::fs::create_dir_all(out).map_err(failed(out))?;
    let corpus_path = out.join(CORPUS_FILE);
    let truth_path = out.join(TRUTH_FILE);
    let open = |path: &PathBuf| -> Result<Counting<BufWriter<File>>, WriteError> {
        let file = File::create(path).map_err(failed(path))?;
        Ok(Counting {
            inner: BufWriter::with_capacity(1 << 20, file),
            bytes: 0,
        })
    };
    let mut corpus = open(&corpus_path)?;
    let mut truth = open(&truth_path)?;
    let mut summary =
        write_corpus_with(config, generator, &mut corpus, &mut truth).map_err(failed(out))?;
    corpus.flush().map_err(failed(&corpus_path))?;
    truth.flush().map_err(failed(&truth_path))?;
    summary.corpus_bytes = corpus.bytes;
    summary.truth_bytes = truth.bytes;
    Ok(summary)
}
