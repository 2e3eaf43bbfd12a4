//! The new postings of an add, as sorted runs: one per chunk of articles, the last kept in memory
//! and the others written to temporary files in the index folder, then merged into one sorted
//! stream, so that each posting bucket is rewritten once per add whatever its size.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::codec;
use crate::scratch::Scratch;

/// The folder of the runs' files inside the index folder ([`Scratch`]).
const TEMPORARY: &str = "add.tmp";

/// Sorted runs of distinct `(feature, article)` entries.
pub(crate) struct Runs {
    scratch: Scratch,
    files: Vec<PathBuf>,
    last: Option<Vec<(u64, u32)>>,
}

impl Runs {
    /// Runs whose files go in the index folder `index`; removes what a killed add left there.
    pub(crate) fn new(index: &Path) -> io::Result<Runs> {
        Ok(Runs {
            scratch: Scratch::new(index, TEMPORARY)?,
            files: Vec::new(),
            last: None,
        })
    }

    /// Adds a sorted run; the run before it goes to a file.
    pub(crate) fn push(&mut self, mut run: Vec<(u64, u32)>) -> io::Result<()> {
        run.dedup();
        if let Some(previous) = self.last.replace(run) {
            let path = self.scratch.file(&format!("run-{}", self.files.len()))?;
            let mut out = BufWriter::with_capacity(1 << 20, File::create(&path)?);
            let mut bytes = Vec::with_capacity(16);
            let mut before = 0;
            for (feature, article) in previous {
                bytes.clear();
                codec::put(&mut bytes, feature - before);
                codec::put(&mut bytes, u64::from(article));
                out.write_all(&bytes)?;
                before = feature;
            }
            out.flush()?;
            self.files.push(path);
        }
        Ok(())
    }

    /// All runs merged into one sorted stream.
    pub(crate) fn merge(self) -> io::Result<Merged> {
        let mut sources = Vec::new();
        for path in &self.files {
            sources.push(Source::File {
                reader: BufReader::with_capacity(1 << 18, File::open(path)?),
                feature: 0,
            });
        }
        if let Some(last) = self.last {
            sources.push(Source::Memory(last.into_iter()));
        }
        let mut heap = BinaryHeap::new();
        for (k, source) in sources.iter_mut().enumerate() {
            if let Some(entry) = source.next()? {
                heap.push(Reverse((entry, k)));
            }
        }
        Ok(Merged {
            sources,
            heap,
            scratch: self.scratch,
        })
    }
}

/// The merged stream.
pub(crate) struct Merged {
    sources: Vec<Source>,
    heap: BinaryHeap<Reverse<((u64, u32), usize)>>,
    /// After the sources, so that their files are closed before it is removed.
    scratch: Scratch,
}

impl Merged {
    pub(crate) fn next(&mut self) -> io::Result<Option<(u64, u32)>> {
        let Some(Reverse((entry, k))) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.sources[k].next()? {
            self.heap.push(Reverse((next, k)));
        }
        Ok(Some(entry))
    }

    /// Removes the temporary files.
    pub(crate) fn finish(self) -> io::Result<()> {
        let Merged {
            sources, scratch, ..
        } = self;
        drop(sources);
        scratch.remove()
    }
}

enum Source {
    Memory(std::vec::IntoIter<(u64, u32)>),
    File {
        reader: BufReader<File>,
        feature: u64,
    },
}

impl Source {
    fn next(&mut self) -> io::Result<Option<(u64, u32)>> {
        match self {
            Source::Memory(entries) => Ok(entries.next()),
            Source::File { reader, feature } => {
                if reader.fill_buf()?.is_empty() {
                    return Ok(None);
                }
                let delta = read_integer(reader)?;
                let article = read_integer(reader)?;
                *feature += delta;
                let article = u32::try_from(article)
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a damaged run"))?;
                Ok(Some((*feature, article)))
            }
        }
    }
}

/// A LEB128 integer from a reader.
fn read_integer(reader: &mut BufReader<File>) -> io::Result<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let mut byte = [0u8];
        io::Read::read_exact(reader, &mut byte)?;
        if shift >= 64 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "a damaged run"));
        }
        value |= u64::from(byte[0] & 0x7F) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(value);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_in_order_and_leave_no_files() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(folder.path().join(TEMPORARY).join("left")).unwrap();
        let mut runs = Runs::new(folder.path()).unwrap();
        runs.push(vec![(1, 0), (5, 1), (9, 0)]).unwrap();
        runs.push(vec![(2, 3), (5, 2)]).unwrap();
        runs.push(vec![(0, 7), (1u64 << 43, 6)]).unwrap();
        let mut merged = runs.merge().unwrap();
        let mut all = Vec::new();
        while let Some(entry) = merged.next().unwrap() {
            all.push(entry);
        }
        merged.finish().unwrap();
        let expected = vec![
            (0, 7),
            (1, 0),
            (2, 3),
            (5, 1),
            (5, 2),
            (9, 0),
            (1u64 << 43, 6),
        ];
        assert_eq!(all, expected);
        assert!(!folder.path().join(TEMPORARY).exists());
    }
}
