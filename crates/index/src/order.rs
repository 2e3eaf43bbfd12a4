//! An add's articles in id order, whatever order they are given in.
//!
//! An article's features are taken with the counts of the archive and of the articles added
//! before it, so the order of an add is part of what it stores. Sorting by id makes one `index
//! build` (or one large `index add`) of a set of articles the same index whatever the order of its
//! input. The input is never held whole: it is sorted a chunk at a time, every sorted chunk but
//! the last written to a temporary file in the index folder (as a stored record with its text
//! uncompressed), and the chunks are merged.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use stemma_graph::Article;

use crate::record;
use crate::scratch::Scratch;

/// The folder of the sorted chunks inside the index folder ([`Scratch`]).
const TEMPORARY: &str = "order.tmp";

/// `articles` in id order (articles with one id in the order given), sorted `chunk` at a time;
/// the chunks but the last are written to files in the index folder `index`.
pub(crate) fn by_id(
    index: &Path,
    articles: impl IntoIterator<Item = Article>,
    chunk: usize,
) -> io::Result<ById> {
    let mut scratch = Scratch::new(index, TEMPORARY)?;
    let chunk = chunk.max(1);
    let mut files = Vec::new();
    let mut input = articles.into_iter();
    let mut last: Vec<Article> = Vec::new();
    loop {
        let mut sorted: Vec<Article> = input.by_ref().take(chunk).collect();
        if sorted.is_empty() {
            break;
        }
        // Stable, so that articles sharing an id stay in the order given.
        sorted.sort_by(|x, y| x.id.cmp(&y.id));
        if !last.is_empty() {
            let path = scratch.file(&format!("chunk-{}", files.len()))?;
            write_chunk(&path, &last)?;
            files.push(path);
        }
        last = sorted;
    }
    let mut sources: Vec<Source> = Vec::with_capacity(files.len() + 1);
    for path in &files {
        sources.push(Source::File(BufReader::with_capacity(
            1 << 18,
            File::open(path)?,
        )));
    }
    sources.push(Source::Memory(last.into_iter()));
    let mut merged = ById {
        scratch,
        heads: Vec::with_capacity(sources.len()),
        heap: BinaryHeap::with_capacity(sources.len()),
        sources,
        error: None,
    };
    for k in 0..merged.sources.len() {
        let head = merged.sources[k].next()?;
        if let Some(article) = &head {
            merged.heap.push(Reverse((article.id.clone(), k)));
        }
        merged.heads.push(head);
    }
    Ok(merged)
}

fn write_chunk(path: &Path, articles: &[Article]) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    for article in articles {
        let bytes = record::encode_as(article, 0, record::Text::Plain);
        let length = u32::try_from(bytes.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "an article over 4 GiB"))?;
        out.write_all(&length.to_le_bytes())?;
        out.write_all(&bytes)?;
    }
    out.flush()
}

/// The articles of [`by_id`], merged. It stops at the first error reading a chunk back, which
/// [`ById::finish`] returns.
pub(crate) struct ById {
    sources: Vec<Source>,
    /// Each source's next article.
    heads: Vec<Option<Article>>,
    /// The heads' ids with their source: ties go to the earlier chunk, which was given first.
    heap: BinaryHeap<Reverse<(String, usize)>>,
    error: Option<io::Error>,
    /// After the sources, so that their files are closed before it is removed.
    scratch: Scratch,
}

impl Iterator for ById {
    type Item = Article;

    fn next(&mut self) -> Option<Article> {
        if self.error.is_some() {
            return None;
        }
        let Reverse((_, k)) = self.heap.pop()?;
        let article = self.heads[k]
            .take()
            .expect("a source in the heap has a head");
        match self.sources[k].next() {
            Ok(Some(next)) => {
                self.heap.push(Reverse((next.id.clone(), k)));
                self.heads[k] = Some(next);
            }
            Ok(None) => {}
            Err(e) => self.error = Some(e),
        }
        Some(article)
    }
}

impl ById {
    /// Removes the temporary files; the error that cut the articles short, if one did.
    pub(crate) fn finish(self) -> io::Result<()> {
        let ById {
            sources,
            scratch,
            error,
            ..
        } = self;
        drop(sources);
        let removed = scratch.remove();
        error.map_or(removed, Err)
    }
}

/// A sorted chunk: in memory (the last one) or in its file.
enum Source {
    File(BufReader<File>),
    Memory(std::vec::IntoIter<Article>),
}

impl Source {
    fn next(&mut self) -> io::Result<Option<Article>> {
        match self {
            Source::Memory(articles) => Ok(articles.next()),
            Source::File(reader) => {
                // The end of the file between records is the end; anywhere else it is damage.
                if reader.fill_buf()?.is_empty() {
                    return Ok(None);
                }
                let mut length = [0u8; 4];
                reader.read_exact(&mut length)?;
                let mut bytes = vec![0u8; u32::from_le_bytes(length) as usize];
                reader.read_exact(&mut bytes)?;
                record::decode_as(&bytes, record::Text::Plain)
                    .map(|(article, _)| Some(article))
                    .map_err(|message| io::Error::new(io::ErrorKind::InvalidData, message))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(articles: impl Iterator<Item = Article>) -> Vec<String> {
        articles.map(|a| a.id).collect()
    }

    #[test]
    fn articles_come_out_in_id_order_across_chunks_and_leave_no_files() {
        let folder = tempfile::tempdir().expect("a folder");
        let given: Vec<Article> = [7, 3, 9, 1, 4, 8, 2, 6, 5, 0]
            .iter()
            .map(|n| Article::new(format!("a{n}"), format!("Text of article {n}.")))
            .collect();
        for chunk in [1, 3, 4, 10, 100] {
            let mut sorted = by_id(folder.path(), given.clone(), chunk).expect("sorted");
            let out: Vec<Article> = sorted.by_ref().collect();
            sorted.finish().expect("no error");
            assert_eq!(
                ids(out.iter().cloned()),
                (0..10).map(|n| format!("a{n}")).collect::<Vec<_>>()
            );
            // Texts travel with their ids through the chunk files.
            assert!(
                out.iter()
                    .all(|a| a.text == format!("Text of article {}.", &a.id[1..]))
            );
            assert!(!folder.path().join(TEMPORARY).exists(), "chunk {chunk}");
        }
    }

    #[test]
    fn articles_sharing_an_id_keep_the_order_given() {
        let folder = tempfile::tempdir().expect("a folder");
        let given = vec![
            Article::new("b", "first b"),
            Article::new("a", "a"),
            Article::new("b", "second b"),
            Article::new("c", "c"),
            Article::new("b", "third b"),
        ];
        for chunk in [1, 2, 5] {
            let sorted = by_id(folder.path(), given.clone(), chunk).expect("sorted");
            let texts: Vec<String> = sorted.map(|a| a.text).collect();
            assert_eq!(
                texts,
                ["a", "first b", "second b", "third b", "c"],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_damaged_chunk_file_is_an_error_not_a_panic() {
        let folder = tempfile::tempdir().expect("a folder");
        let path = folder.path().join("chunk");
        let given: Vec<Article> = (0..3)
            .map(|n| Article::new(format!("a{n}"), "Some text."))
            .collect();
        write_chunk(&path, &given).expect("written");
        let bytes = std::fs::read(&path).expect("a chunk file");
        for cut in [bytes.len() - 1, bytes.len() / 2, 2] {
            std::fs::write(&path, &bytes[..cut]).expect("cut");
            let mut source = Source::File(BufReader::new(File::open(&path).expect("opened")));
            let read: Vec<io::Result<Option<Article>>> =
                std::iter::from_fn(|| match source.next() {
                    Ok(None) => None,
                    other => Some(other),
                })
                .take(4)
                .collect();
            assert!(read.last().is_some_and(Result::is_err), "cut at {cut}");
        }
    }

    #[test]
    fn what_a_killed_add_left_is_removed() {
        let folder = tempfile::tempdir().expect("a folder");
        let stale = folder.path().join(TEMPORARY);
        std::fs::create_dir_all(&stale).expect("made");
        std::fs::write(stale.join("chunk-0"), b"junk").expect("written");
        let sorted = by_id(folder.path(), vec![Article::new("a", "x")], 10).expect("sorted");
        assert!(!stale.exists());
        assert_eq!(ids(sorted), ["a"]);
    }
}
