//! A persistent archive index: a wire agency's archive (or a publisher's back catalogue) indexed
//! once, then new pages checked against it every day without re-reading the archive.
//!
//! An [`Index`] is a folder holding one [redb] database. It keeps, per archived article, its text
//! (compressed) and metadata; per candidate feature, the archived articles that have it (until the
//! feature is banal); and the corpus counts that term weights, banal features and repeated lines
//! need ([`stemma_graph::CorpusCounts`]). [`Index::check`] finds, for each new article, the archived
//! articles that share enough features with it, loads only those, and analyses them with the new
//! articles as [`stemma_graph::analyze_with_archive`] does: the related pairs are those that
//! `stemma analyze --sources ARCHIVE --targets NEW` finds on the whole corpus (tested on the demo
//! corpus and a generated corpus; `docs/archive.md` says where the two can differ).
//!
//! Each [`Index::add`] is one transaction: a process killed while adding leaves the index as it
//! was before the call.
//!
//! Source layout: `lib.rs` (the [`Index`] and its operations), `record.rs` (how an article is
//! stored), `codec.rs` (count and posting buckets), `blocks.rs` (buckets and records packed into
//! page-sized B-tree values), `runs.rs` (the sorted runs of a large add's postings), `order.rs` (an add's articles sorted by
//! id), `scratch.rs` (the folder of an add's temporary files), `error.rs`.
//!
//! ```
//! use stemma_graph::{AnalyzeOptions, Article, Silent};
//! use stemma_index::Index;
//! let folder = tempfile::tempdir().unwrap();
//! let options = AnalyzeOptions::default();
//! let wire = "Border villages were evacuated after heavy shelling on Monday, officials said. \
//!     The governor said two civilians were injured while being evacuated from their homes.";
//! let mut index = Index::create(folder.path(), &options).unwrap();
//! index.add(vec![Article::new("wire", wire)], &options, &mut |_| {}).unwrap();
//! let check = index.check(vec![Article::new("copy", wire)], &options, &Silent).unwrap();
//! let pair = check.analysis.related_pairs().next().unwrap();
//! assert_eq!(check.analysis.documents[pair.a].id, "copy");
//! assert_eq!(check.analysis.documents[pair.b].id, "wire");
//! ```
//!
//! [redb]: https://docs.rs/redb
#![forbid(unsafe_code)]

mod blocks;
mod codec;
mod error;
mod order;
mod record;
mod runs;
mod scratch;

pub use error::IndexError;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use redb::{Database, ReadableTable, TableDefinition};
use stemma_graph::{
    AnalyzeOptions, Article, CorpusAnalysis, CountBatch, CountTable, Diagnostic, Progress,
    analyze_with_archive, count_keys, is_narrative,
};

use codec::Damaged;

/// Counts and settings: `format`, `articles`, `banal`, and what [`Index::stats`] reports.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Archived articles ([`record`]), in blocks keyed by their first article's number ([`blocks`]).
const ARTICLES: TableDefinition<u32, &[u8]> = TableDefinition::new("articles");
/// Article numbers by id.
const IDS: TableDefinition<&str, u32> = TableDefinition::new("ids");
/// Candidate features per article (whether it is short), [`SIZE_BLOCK`] articles a value, each
/// a 2-byte little-endian count (saturated).
const SIZES: TableDefinition<u32, &[u8]> = TableDefinition::new("sizes");
/// Articles per term hash: count buckets ([`codec`]) by the top [`TERM_BUCKET_BITS`] bits, in
/// blocks ([`blocks`]).
const TERMS: TableDefinition<u32, &[u8]> = TableDefinition::new("terms");
/// Articles per line fingerprint (folded to 64 bits, [`line_key`]): count buckets keyed by the
/// top [`LINE_BUCKET_BITS`] bits, in blocks.
const LINES: TableDefinition<u32, &[u8]> = TableDefinition::new("lines");
/// Per candidate feature (its top [`FEATURE_BITS`] bits), how many archived articles have it and,
/// until it is banal, which: posting buckets ([`codec`]) keyed by the top
/// [`POSTING_BUCKET_BITS`] bits of the feature, in blocks.
const POSTINGS: TableDefinition<u32, &[u8]> = TableDefinition::new("postings");

/// The version of the layout above; an index of another version is refused, not misread.
/// 1: a multimap entry per (feature, article); 2: a value per feature; 3: buckets.
const FORMAT: u64 = 3;
/// The database file inside an index folder.
const FILE: &str = "stemma.redb";
/// Articles whose counts are computed at a time when adding: bounds the memory of a large add.
const ADD_CHUNK: usize = 20_000;
/// The bits of a candidate feature that the index keeps: those the analysis of a corpus of up to
/// 2^20 (1,048,576) documents keeps ([`stemma_graph::candidate_key`]). Two features that agree
/// on them are one feature to the index, as they are to the analysis of such a corpus.
const FEATURE_BITS: u32 = 44;
/// The low bits of a feature dropped: `64 - FEATURE_BITS`.
const FEATURE_SHIFT: u32 = 64 - FEATURE_BITS;
/// Posting buckets: 2^24, about 29 features a bucket at a million articles.
const POSTING_BUCKET_BITS: u32 = 24;
/// Term buckets: 2^20.
const TERM_BUCKET_BITS: u32 = 20;
/// Line buckets: 2^22.
const LINE_BUCKET_BITS: u32 = 22;
/// Articles per [`SIZES`] value.
const SIZE_BLOCK: u32 = 2000;

/// How many more shared features (and narrative ones) an archived article may lack, by the
/// features the index stored for it, and still be loaded for a check. The stored features were
/// taken with the term weights of the archive at the time it was added; the analysis takes them
/// anew with today's (the new articles counted), and a term whose weight crossed the rare-term
/// threshold in between moves a few features. On a generated corpus of 10,000 articles split
/// two to one, exact rules (0) loaded one article's partners short, which moved the probability of
/// 3 of its 10,533 related pairs by up to 0.001; with 1 the links are equal (docs/archive.md).
const SLACK: usize = 1;

/// The 64-bit key under which a line fingerprint is counted: its two 64-bit halves (independent
/// hashes) combined. Among the 30 million lines of a million articles, a chance collision has a
/// probability of about 2^-25.
fn line_key(line: u128) -> u64 {
    ((line >> 64) as u64) ^ (line as u64)
}

/// The bucket of a 64-bit key, and the key's remainder in it.
fn split(key: u64, bucket_bits: u32) -> (u32, u64) {
    let bucket = (key >> (64 - bucket_bits)) as u32;
    (bucket, key & ((1u64 << (64 - bucket_bits)) - 1))
}

/// The bucket of a stored feature ([`FEATURE_BITS`] bits), and its remainder.
fn feature_split(stored: u64) -> (u32, u64) {
    let low = FEATURE_BITS - POSTING_BUCKET_BITS;
    ((stored >> low) as u32, stored & ((1u64 << low) - 1))
}

/// An archive index on disk ([crate docs](crate)).
#[derive(Debug)]
pub struct Index {
    db: Database,
    folder: PathBuf,
    path: PathBuf,
    /// Features in more archived articles than this are banal: their postings are not kept.
    banal: u64,
    /// Articles an add takes at a time ([`ADD_CHUNK`]; smaller in tests, to have many chunks).
    chunk: usize,
}

/// What an [`Index::add`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Added {
    /// Articles added.
    pub added: usize,
    /// Articles left out, each with why (an id already in the index or twice in the call).
    pub skipped: Vec<Diagnostic>,
}

/// What an index holds ([`Index::stats`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct IndexStats {
    /// Archived articles.
    pub articles: u64,
    /// Distinct terms counted.
    pub terms: u64,
    /// (feature, article) postings of the features that are not banal.
    pub postings: u64,
    /// Distinct candidate features (by their stored bits), banal ones included.
    pub features: u64,
    /// Banal features (in more archived articles than the limit): only their counts are kept.
    pub banal_features: u64,
    /// Distinct line fingerprints counted.
    pub lines: u64,
    /// Bytes of the database file.
    pub file_bytes: u64,
    /// Bytes of the stored articles (headers and compressed texts).
    pub article_bytes: u64,
}

/// The result of an [`Index::check`].
#[derive(Debug)]
pub struct Check {
    /// The analysis of the new articles with the archived articles that may be related to them.
    /// Only pairs of an archived and a new article are compared; an archived article is the
    /// declared source of a new one unless publication times say otherwise.
    pub analysis: CorpusAnalysis,
    /// The ids of the archived articles in the analysis.
    pub archived: BTreeSet<String>,
    /// New articles left out, each with why (an id already archived, or given twice).
    pub skipped: Vec<Diagnostic>,
    /// How long each step of the check took.
    pub timings: CheckTimings,
}

/// Where the time of an [`Index::check`] went, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct CheckTimings {
    /// The new articles' features and the counts of their terms and lines.
    pub features: f64,
    /// Looking the features up in the postings and choosing the archived articles to load.
    pub postings: f64,
    /// Reading the chosen archived articles and the counts of their terms and lines.
    pub load: f64,
    /// The analysis of the new and loaded articles (alignment included).
    pub analysis: f64,
    /// Archived articles loaded.
    pub loaded: usize,
}

/// The counters kept in [`META`] for [`Index::stats`].
const COUNTERS: [&str; 6] = [
    "terms",
    "lines",
    "postings",
    "features",
    "banal_features",
    "article_bytes",
];

impl Index {
    /// Creates an empty index in `folder` (created if need be). The candidate settings of
    /// `options` are fixed for the index's life: features in more than
    /// `max_document_frequency` articles are banal.
    ///
    /// # Errors
    /// [`IndexError::Exists`] if the folder holds an index already; I/O and storage errors.
    pub fn create(folder: &Path, options: &AnalyzeOptions) -> Result<Index, IndexError> {
        std::fs::create_dir_all(folder).map_err(|source| IndexError::Io {
            path: folder.to_path_buf(),
            source,
        })?;
        let path = folder.join(FILE);
        if path.exists() {
            return Err(IndexError::Exists(folder.to_path_buf()));
        }
        let db = Database::create(&path).map_err(|e| IndexError::storage(&path, e))?;
        let banal = options.candidates.banal_limit() as u64;
        let err = |e: redb::Error| IndexError::storage(&path, e);
        let txn = db.begin_write().map_err(|e| err(e.into()))?;
        {
            let mut meta = txn.open_table(META).map_err(|e| err(e.into()))?;
            for (key, value) in [("format", FORMAT), ("articles", 0), ("banal", banal)] {
                meta.insert(key, value).map_err(|e| err(e.into()))?;
            }
            for key in COUNTERS {
                meta.insert(key, 0).map_err(|e| err(e.into()))?;
            }
            // Every table exists from the start, so that reading an empty index finds them.
            txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
            txn.open_table(IDS).map_err(|e| err(e.into()))?;
            for table in [SIZES, TERMS, LINES, POSTINGS] {
                txn.open_table(table).map_err(|e| err(e.into()))?;
            }
        }
        txn.commit().map_err(|e| err(e.into()))?;
        Ok(Index::with(db, folder, banal))
    }

    /// Opens the index in `folder`.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when the folder holds no index, [`IndexError::Format`] when it was
    /// written by another version (rebuild it); storage errors.
    pub fn open(folder: &Path) -> Result<Index, IndexError> {
        let path = folder.join(FILE);
        if !path.is_file() {
            return Err(IndexError::Missing(folder.to_path_buf()));
        }
        let db = Database::open(&path).map_err(|e| IndexError::storage(&path, e))?;
        let txn = db.begin_read().map_err(|e| IndexError::storage(&path, e))?;
        let meta = txn
            .open_table(META)
            .map_err(|e| IndexError::storage(&path, e))?;
        let read = |key: &str| -> Result<u64, IndexError> {
            meta.get(key)
                .map_err(|e| IndexError::storage(&path, e))?
                .map(|v| v.value())
                .ok_or_else(|| IndexError::Corrupt {
                    path: path.clone(),
                    message: format!("no {key:?} entry"),
                })
        };
        let format = read("format")?;
        if format != FORMAT {
            return Err(IndexError::Format {
                path: path.clone(),
                found: format,
                expected: FORMAT,
            });
        }
        let banal = read("banal")?;
        drop(meta);
        drop(txn);
        Ok(Index::with(db, folder, banal))
    }

    /// The index of the database `db`, whose file is `FILE` in `folder`.
    fn with(db: Database, folder: &Path, banal: u64) -> Index {
        Index {
            db,
            folder: folder.to_path_buf(),
            path: folder.join(FILE),
            banal,
            chunk: ADD_CHUNK,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn damaged(&self, what: &str) -> IndexError {
        IndexError::Corrupt {
            path: self.path.clone(),
            message: format!("a damaged {what} bucket"),
        }
    }

    /// Adds articles to the archive, in one transaction: if the process dies before it returns,
    /// the index is as it was before the call. An id already in the index, or given twice, is
    /// skipped and named in [`Added::skipped`]. `progress` is told how many articles were
    /// processed, a chunk at a time.
    ///
    /// The articles are added in id order, whatever order the iterator gives them in: they are
    /// taken from it a chunk at a time, sorted, the chunks but the last written to temporary
    /// files in the index folder, and merged (so the input is never held whole). An article's
    /// features are taken with the corpus counts of the archive as it is when the article is
    /// added (that archive and the articles of the call before it in id order), so one add of a
    /// set of articles stores the same whatever their order. Adding writes
    /// the new articles and rewrites only the buckets of counts and postings that they touch
    /// (each once per call, in key order), never the whole index: the cost of an add grows with
    /// the articles added, not with the archive (an add of many articles touches most buckets).
    ///
    /// # Errors
    /// Storage errors (the index is then as it was before the call); I/O errors of the temporary
    /// files of a large add (in the index folder).
    pub fn add(
        &mut self,
        articles: impl IntoIterator<Item = Article>,
        options: &AnalyzeOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Added, IndexError> {
        let folder = self.folder.clone();
        let io = |source| IndexError::Io {
            path: folder.clone(),
            source,
        };
        let mut input = order::by_id(&self.folder, articles, self.chunk).map_err(io)?;
        let (txn, added) = self.add_in_order(&mut input, options, progress)?;
        // A chunk file that could not be read back ends the articles early: nothing is committed.
        input.finish().map_err(io)?;
        txn.commit()
            .map_err(|e| IndexError::storage(&self.path, e))?;
        Ok(added)
    }

    /// [`Index::add`] of articles in the order given: the transaction that writes them, not
    /// committed yet, and what it did.
    fn add_in_order(
        &mut self,
        input: &mut order::ById,
        options: &AnalyzeOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(redb::WriteTransaction, Added), IndexError> {
        let path = self.path.clone();
        let err = |e: redb::Error| IndexError::storage(&path, e);
        let txn = self.db.begin_write().map_err(|e| err(e.into()))?;
        let mut report = Added::default();
        {
            let mut meta = txn.open_table(META).map_err(|e| err(e.into()))?;
            let mut stored = txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
            let mut ids = txn.open_table(IDS).map_err(|e| err(e.into()))?;
            let mut sizes = txn.open_table(SIZES).map_err(|e| err(e.into()))?;
            let mut terms = txn.open_table(TERMS).map_err(|e| err(e.into()))?;
            let mut lines = txn.open_table(LINES).map_err(|e| err(e.into()))?;
            let mut postings = txn.open_table(POSTINGS).map_err(|e| err(e.into()))?;
            let counter =
                |meta: &redb::Table<'_, &str, u64>, key: &str| -> Result<u64, IndexError> {
                    Ok(meta
                        .get(key)
                        .map_err(|e| err(e.into()))?
                        .map_or(0, |v| v.value()))
                };
            let first = counter(&meta, "articles")?;
            let mut documents = first;
            let mut counters: HashMap<&str, i64> = HashMap::new();
            // The counts of the articles of this call so far, sorted; written at the end.
            let mut term_delta: Vec<(u64, u32)> = Vec::new();
            let mut line_delta: Vec<(u64, u32)> = Vec::new();
            let mut runs = runs::Runs::new(&self.folder).map_err(|source| IndexError::Io {
                path: self.folder.clone(),
                source,
            })?;
            let mut size_block = SizeBlock::resume(&sizes, documents, &path)?;
            let mut record_writer =
                blocks::RecordWriter::resume(&stored, u32::try_from(documents).unwrap_or(u32::MAX))
                    .map_err(|e| self.block_error(e, "article"))?;
            loop {
                // The next chunk of articles whose ids are new.
                let mut chunk = Vec::with_capacity(self.chunk);
                let mut chunk_ids = HashSet::new();
                for article in input.by_ref() {
                    let known = ids
                        .get(article.id.as_str())
                        .map_err(|e| err(e.into()))?
                        .map(|v| v.value());
                    if known.is_some() || chunk_ids.contains(&article.id) {
                        let message = if known.is_some_and(|n| u64::from(n) < first) {
                            "is in the index already; skipped"
                        } else {
                            "is given twice; the second is skipped"
                        };
                        report.skipped.push(skipped(&article.id, message));
                        continue;
                    }
                    chunk_ids.insert(article.id.clone());
                    chunk.push(article);
                    if chunk.len() == self.chunk {
                        break;
                    }
                }
                if chunk.is_empty() {
                    break;
                }
                drop(chunk_ids);
                let batch = CountBatch::new(chunk.clone());
                let keys = batch.keys();
                let mut table = CountTable {
                    documents: usize::try_from(documents).expect("an archive's size fits"),
                    ..CountTable::default()
                };
                let line_keys: Vec<(u64, u128)> = {
                    let mut k: Vec<(u64, u128)> =
                        keys.lines.iter().map(|&l| (line_key(l), l)).collect();
                    k.sort_unstable();
                    k
                };
                let stored_terms = lookup_counts(&terms, TERM_BUCKET_BITS, &keys.terms)
                    .map_err(|e| self.block_error(e, "term"))?;
                for (&t, n) in keys.terms.iter().zip(stored_terms) {
                    let n = n + sorted_count(&term_delta, t);
                    if n > 0 {
                        table.terms.insert(t, n);
                    }
                }
                let folded: Vec<u64> = line_keys.iter().map(|x| x.0).collect();
                let stored_lines = lookup_counts(&lines, LINE_BUCKET_BITS, &folded)
                    .map_err(|e| self.block_error(e, "line"))?;
                for (&(k, l), n) in line_keys.iter().zip(stored_lines) {
                    let n = n + sorted_count(&line_delta, k);
                    if n > 0 {
                        table.lines.insert(l, n);
                    }
                }
                let counts = batch.counts(&table, options);
                drop(table);
                // The articles, their ids and sizes, in number order.
                let base = documents;
                let last = base + chunk.len() as u64 - 1;
                if u32::try_from(last).is_err() {
                    return Err(IndexError::Full);
                }
                let features: Vec<Vec<u64>> = counts
                    .par_iter()
                    .map(|c| {
                        let mut f: Vec<u64> =
                            c.features.iter().map(|&f| f >> FEATURE_SHIFT).collect();
                        f.dedup();
                        f
                    })
                    .collect();
                let records: Vec<Vec<u8>> = chunk
                    .par_iter()
                    .zip(&features)
                    .map(|(article, f)| record::encode(article, f.len()))
                    .collect();
                for (k, (article, bytes)) in chunk.iter().zip(records).enumerate() {
                    let number = (base + k as u64) as u32;
                    *counters.entry("article_bytes").or_default() += bytes.len() as i64;
                    ids.insert(article.id.as_str(), number)
                        .map_err(|e| err(e.into()))?;
                    record_writer
                        .push(&mut stored, bytes)
                        .map_err(|e| err(e.into()))?;
                    size_block.push(&mut sizes, number, features[k].len(), &path)?;
                }
                documents = last + 1;
                // What the chunk adds to the counts.
                let mut chunk_terms: Vec<u64> = counts
                    .iter()
                    .flat_map(|c| c.terms.iter().copied())
                    .collect();
                chunk_terms.par_sort_unstable();
                term_delta = codec::merge_counts(&term_delta, &run_lengths(&chunk_terms));
                drop(chunk_terms);
                let mut chunk_lines: Vec<u64> = counts
                    .iter()
                    .flat_map(|c| {
                        let mut l: Vec<u64> = c.lines.iter().map(|&l| line_key(l)).collect();
                        l.sort_unstable();
                        l.dedup();
                        l
                    })
                    .collect();
                chunk_lines.par_sort_unstable();
                line_delta = codec::merge_counts(&line_delta, &run_lengths(&chunk_lines));
                drop(chunk_lines);
                drop(counts);
                let mut entries: Vec<(u64, u32)> = features
                    .iter()
                    .enumerate()
                    .flat_map(|(k, f)| {
                        let number = (base + k as u64) as u32;
                        f.iter().map(move |&f| (f, number))
                    })
                    .collect();
                drop(features);
                entries.par_sort_unstable();
                runs.push(entries).map_err(|source| IndexError::Io {
                    path: self.folder.clone(),
                    source,
                })?;
                report.added += chunk.len();
                progress(chunk.len());
            }
            size_block.finish(&mut sizes, &path)?;
            record_writer
                .finish(&mut stored)
                .map_err(|e| err(e.into()))?;
            *counters.entry("terms").or_default() +=
                merge_count_table(&mut terms, TERM_BUCKET_BITS, &term_delta)
                    .map_err(|e| self.block_error(e, "term"))?;
            drop(term_delta);
            *counters.entry("lines").or_default() +=
                merge_count_table(&mut lines, LINE_BUCKET_BITS, &line_delta)
                    .map_err(|e| self.block_error(e, "line"))?;
            drop(line_delta);
            let merged = self.merge_postings(&mut postings, runs)?;
            *counters.entry("postings").or_default() += merged.posted;
            *counters.entry("features").or_default() += merged.new_features as i64;
            *counters.entry("banal_features").or_default() += merged.banal;
            meta.insert("articles", documents)
                .map_err(|e| err(e.into()))?;
            for (key, delta) in counters {
                let value = counter(&meta, key)?.saturating_add_signed(delta);
                meta.insert(key, value).map_err(|e| err(e.into()))?;
            }
        }
        Ok((txn, report))
    }

    fn block_error(&self, e: blocks::BlockError, what: &str) -> IndexError {
        match e {
            blocks::BlockError::Storage(e) => IndexError::storage(&self.path, e),
            blocks::BlockError::Damaged => self.damaged(what),
        }
    }

    /// Merges the sorted runs of new `(feature, article)` entries into the postings, each bucket
    /// touched read, merged and written once, in key order.
    fn merge_postings(
        &self,
        postings: &mut redb::Table<'_, u32, &[u8]>,
        runs: runs::Runs,
    ) -> Result<codec::MergeStats, IndexError> {
        let io = |source| IndexError::Io {
            path: self.folder.clone(),
            source,
        };
        let mut merged = runs.merge().map_err(io)?;
        let mut total = codec::MergeStats::default();
        let mut writer = blocks::BucketWriter::new();
        let mut bucket_entries: Vec<(u64, u32)> = Vec::new();
        let mut current: Option<u32> = None;
        let mut flush = |bucket: u32,
                         entries: &mut Vec<(u64, u32)>,
                         writer: &mut blocks::BucketWriter|
         -> Result<(), IndexError> {
            writer
                .update(postings, bucket, |old| {
                    let (bytes, stats) = codec::merge_postings(old, entries, self.banal)?;
                    total.add(stats);
                    Ok(bytes)
                })
                .map_err(|e| self.block_error(e, "posting"))?;
            entries.clear();
            Ok(())
        };
        while let Some((feature, article)) = merged.next().map_err(io)? {
            let (bucket, key) = feature_split(feature);
            if current != Some(bucket) {
                if let Some(previous) = current {
                    flush(previous, &mut bucket_entries, &mut writer)?;
                }
                current = Some(bucket);
            }
            // The runs hold distinct entries, and each article is in one run only.
            bucket_entries.push((key, article));
        }
        if let Some(previous) = current {
            flush(previous, &mut bucket_entries, &mut writer)?;
        }
        writer
            .finish(postings)
            .map_err(|e| self.block_error(e, "posting"))?;
        merged.finish().map_err(io)?;
        Ok(total)
    }

    /// What the index holds.
    ///
    /// # Errors
    /// Storage errors.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let err = |e: redb::Error| IndexError::storage(&self.path, e);
        let txn = self.db.begin_read().map_err(|e| err(e.into()))?;
        let meta = txn.open_table(META).map_err(|e| err(e.into()))?;
        let read = |key: &str| -> Result<u64, IndexError> {
            Ok(meta
                .get(key)
                .map_err(|e| err(e.into()))?
                .map_or(0, |v| v.value()))
        };
        let file_bytes = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        Ok(IndexStats {
            articles: read("articles")?,
            terms: read("terms")?,
            postings: read("postings")?,
            features: read("features")?,
            banal_features: read("banal_features")?,
            lines: read("lines")?,
            file_bytes,
            article_bytes: read("article_bytes")?,
        })
    }

    /// Checks new articles against the archive: which archived articles each reuses, and how. The
    /// archive is read, not changed (add the articles afterwards to archive them).
    ///
    /// The new articles' candidate features are looked up in the postings; the archived articles
    /// that share enough of them with a new one (the rules of candidate generation,
    /// [`stemma_graph::CandidateOptions::pairs`]) are loaded and analysed with the new ones
    /// against the archive's counts ([`analyze_with_archive`]).
    ///
    /// # Errors
    /// Storage errors, and [`IndexError::Corrupt`] for an archived article that cannot be read.
    pub fn check(
        &self,
        articles: Vec<Article>,
        options: &AnalyzeOptions,
        progress: &dyn Progress,
    ) -> Result<Check, IndexError> {
        let started = std::time::Instant::now();
        let mut timings = CheckTimings::default();
        let err = |e: redb::Error| IndexError::storage(&self.path, e);
        let txn = self.db.begin_read().map_err(|e| err(e.into()))?;
        let meta = txn.open_table(META).map_err(|e| err(e.into()))?;
        let stored = txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
        let ids = txn.open_table(IDS).map_err(|e| err(e.into()))?;
        let sizes = txn.open_table(SIZES).map_err(|e| err(e.into()))?;
        let terms = txn.open_table(TERMS).map_err(|e| err(e.into()))?;
        let lines = txn.open_table(LINES).map_err(|e| err(e.into()))?;
        let postings = txn.open_table(POSTINGS).map_err(|e| err(e.into()))?;
        let documents = meta
            .get("articles")
            .map_err(|e| err(e.into()))?
            .map_or(0, |v| v.value());

        let mut skipped_new = Vec::new();
        let mut seen = HashSet::new();
        let mut new = Vec::with_capacity(articles.len());
        for article in articles {
            let known = ids
                .get(article.id.as_str())
                .map_err(|e| err(e.into()))?
                .is_some();
            if known {
                skipped_new.push(skipped(
                    &article.id,
                    "is an archived article's id; not checked (give it another id)",
                ));
            } else if !seen.insert(article.id.clone()) {
                skipped_new.push(skipped(
                    &article.id,
                    "is given twice; the second is skipped",
                ));
            } else {
                new.push(article);
            }
        }

        // The new articles' features, as the whole corpus (archive and new) would give them.
        let batch = CountBatch::new(new.clone());
        let mut table = self.load_counts(&terms, &lines, &batch.keys(), documents)?;
        let new_counts = batch.counts(&table, options);
        timings.features = started.elapsed().as_secs_f64();

        // The analysis of the whole corpus keys a feature by its top bits, as many as the corpus's
        // size leaves (`candidate_key`); the index counts the archived articles under that key.
        let total = usize::try_from(documents).expect("an archive's size fits") + new.len();
        let analysis_shift = 64 - stemma_graph::candidate_key(u64::MAX, total).count_ones();
        let analysis_key = |f: u64| f >> analysis_shift;
        // Per new article, its features by the analysis's key (one feature each).
        let per_new: Vec<Vec<u64>> = new_counts
            .iter()
            .map(|c| {
                let mut keys: Vec<u64> = c.features.iter().map(|&f| analysis_key(f)).collect();
                keys.dedup();
                keys
            })
            .collect();
        let mut in_new: HashMap<u64, u32> = HashMap::new();
        for keys in &per_new {
            for &k in keys {
                *in_new.entry(k).or_default() += 1;
            }
        }
        // The stored features under each key: a range of them when the analysis keeps fewer bits
        // than the index, the one that has the key's top bits when it keeps more.
        let range = |key: u64| -> (u64, u64) {
            if analysis_shift >= FEATURE_SHIFT {
                let width = analysis_shift - FEATURE_SHIFT;
                (key << width, ((key + 1) << width) - 1)
            } else {
                let stored = key >> (FEATURE_SHIFT - analysis_shift);
                (stored, stored)
            }
        };
        let mut wanted_keys: Vec<u64> = in_new.keys().copied().collect();
        wanted_keys.sort_unstable();
        let found = self.lookup_postings(&postings, &wanted_keys, range)?;
        for counts in &new_counts {
            for &f in &counts.features {
                if let Some(posted) = found.get(&analysis_key(f)) {
                    table.features.insert(f, posted.count);
                }
            }
        }
        // Shared features (and narrative ones) per (archived article, new article).
        let mut shared: HashMap<(u32, usize), (usize, usize)> = HashMap::new();
        for (n, keys) in per_new.iter().enumerate() {
            for &k in keys {
                let Some(posted) = found.get(&k) else {
                    continue;
                };
                if u64::from(posted.count) + u64::from(in_new[&k]) > self.banal {
                    continue;
                }
                let narrative = is_narrative(k << analysis_shift);
                for &number in &posted.articles {
                    let entry = shared.entry((number, n)).or_default();
                    entry.0 += 1;
                    entry.1 += usize::from(narrative);
                }
            }
        }
        let mut sizes_cache: HashMap<u32, Vec<u8>> = HashMap::new();
        let mut wanted = BTreeSet::new();
        for (&(number, n), &(count, narrative)) in &shared {
            let block = number / SIZE_BLOCK;
            if let std::collections::hash_map::Entry::Vacant(slot) = sizes_cache.entry(block) {
                let bytes = sizes
                    .get(block)
                    .map_err(|e| err(e.into()))?
                    .map(|v| v.value().to_vec())
                    .unwrap_or_default();
                slot.insert(bytes);
            }
            let at = ((number % SIZE_BLOCK) * 2) as usize;
            let archived_features = sizes_cache[&block]
                .get(at..at + 2)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
                as usize;
            let short = options.candidates.is_short(archived_features)
                || options.candidates.is_short(new_counts[n].features.len());
            if options
                .candidates
                .pairs(count + SLACK, narrative + SLACK, short)
            {
                wanted.insert(number);
            }
        }
        drop(shared);
        timings.postings = started.elapsed().as_secs_f64() - timings.features;
        let mut archived = BTreeSet::new();
        let mut loaded = Vec::with_capacity(wanted.len());
        for number in wanted {
            let bytes = blocks::read_record(&stored, number)
                .map_err(|e| self.block_error(e, "article"))?
                .ok_or_else(|| IndexError::Corrupt {
                    path: self.path.clone(),
                    message: format!("article {number} is posted but not stored"),
                })?;
            let (article, _) = record::decode(&bytes).map_err(|message| IndexError::Corrupt {
                path: self.path.clone(),
                message: format!("article {number}: {message}"),
            })?;
            archived.insert(article.id.clone());
            loaded.push(article);
        }
        timings.loaded = loaded.len();
        // The loaded archived articles' terms and lines are counted in the archive already; the
        // analysis looks their counts up too (the new articles' are in the table).
        let keys = count_keys(loaded.clone());
        let more = self.load_counts(&terms, &lines, &keys, documents)?;
        table.terms.extend(more.terms);
        table.lines.extend(more.lines);
        let mut corpus = new;
        corpus.extend(loaded);
        timings.load = started.elapsed().as_secs_f64() - timings.features - timings.postings;
        let before_analysis = std::time::Instant::now();
        let analysis = analyze_with_archive(corpus, &archived, &table, options, progress);
        timings.analysis = before_analysis.elapsed().as_secs_f64();
        Ok(Check {
            analysis,
            archived,
            skipped: skipped_new,
            timings,
        })
    }

    /// The archive's counts of the given keys (those it has), over `documents` articles.
    fn load_counts(
        &self,
        terms: &impl ReadableTable<u32, &'static [u8]>,
        lines: &impl ReadableTable<u32, &'static [u8]>,
        keys: &stemma_graph::CountKeys,
        documents: u64,
    ) -> Result<CountTable, IndexError> {
        let mut table = CountTable {
            documents: usize::try_from(documents).expect("an archive's size fits in memory"),
            ..CountTable::default()
        };
        let found = lookup_counts(terms, TERM_BUCKET_BITS, &keys.terms)
            .map_err(|e| self.block_error(e, "term"))?;
        for (&t, n) in keys.terms.iter().zip(found) {
            if n > 0 {
                table.terms.insert(t, n);
            }
        }
        let mut line_keys: Vec<(u64, u128)> =
            keys.lines.iter().map(|&l| (line_key(l), l)).collect();
        line_keys.sort_unstable();
        let folded: Vec<u64> = line_keys.iter().map(|x| x.0).collect();
        let found = lookup_counts(lines, LINE_BUCKET_BITS, &folded)
            .map_err(|e| self.block_error(e, "line"))?;
        for (&(_, l), n) in line_keys.iter().zip(found) {
            if n > 0 {
                table.lines.insert(l, n);
            }
        }
        Ok(table)
    }

    /// For each key (sorted), the archived articles with a stored feature in its `range`: how
    /// many, and which unless that is past the banal limit. Keys with no article are left out.
    fn lookup_postings(
        &self,
        postings: &impl ReadableTable<u32, &'static [u8]>,
        keys: &[u64],
        range: impl Fn(u64) -> (u64, u64),
    ) -> Result<HashMap<u64, Posted>, IndexError> {
        let mut out = HashMap::new();
        let mut blocks = blocks::BucketReader::new();
        let mut articles = Vec::new();
        for &key in keys {
            let (lo, hi) = range(key);
            let (bucket, lo_rem) = feature_split(lo);
            let hi_rem = lo_rem + (hi - lo);
            let bytes = blocks
                .get(postings, bucket)
                .map_err(|e| self.block_error(e, "posting"))?;
            let mut reader = codec::Postings::new(bytes, self.banal);
            let mut posted = Posted::default();
            let mut banal = false;
            let mut ranges = 0;
            while let Some(entry) = reader.next_into(&mut articles) {
                let (rem, count) = entry.map_err(|Damaged| self.damaged("posting"))?;
                if rem < lo_rem {
                    continue;
                }
                if rem > hi_rem {
                    break;
                }
                ranges += 1;
                posted.count += count;
                if u64::from(count) > self.banal {
                    banal = true;
                }
                posted.articles.extend_from_slice(&articles);
            }
            if ranges == 0 {
                continue;
            }
            if ranges > 1 && !banal {
                posted.articles.sort_unstable();
                posted.articles.dedup();
                posted.count = posted.articles.len() as u32;
            }
            if banal {
                posted.articles.clear();
            }
            out.insert(key, posted);
        }
        Ok(out)
    }
}

/// The archived articles under a feature key ([`Index::lookup_postings`]).
#[derive(Debug, Default)]
struct Posted {
    count: u32,
    articles: Vec<u32>,
}

/// The counts of sorted `keys` in a table of count buckets (0 for a key not there), in order.
fn lookup_counts(
    table: &impl ReadableTable<u32, &'static [u8]>,
    bucket_bits: u32,
    keys: &[u64],
) -> Result<Vec<u32>, blocks::BlockError> {
    let mut out = Vec::with_capacity(keys.len());
    let mut reader = blocks::BucketReader::new();
    let mut current: Option<(u32, Vec<(u64, u32)>)> = None;
    for &key in keys {
        let (bucket, rem) = split(key, bucket_bits);
        if current.as_ref().is_none_or(|c| c.0 != bucket) {
            let entries = codec::decode_counts(reader.get(table, bucket)?)?;
            current = Some((bucket, entries));
        }
        let entries = &current.as_ref().expect("read above").1;
        out.push(sorted_count(entries, rem));
    }
    Ok(out)
}

/// Adds sorted `delta` counts to a table of count buckets; returns how many keys are new.
fn merge_count_table(
    table: &mut redb::Table<'_, u32, &[u8]>,
    bucket_bits: u32,
    delta: &[(u64, u32)],
) -> Result<i64, blocks::BlockError> {
    let mut new_keys = 0i64;
    let mut writer = blocks::BucketWriter::new();
    for run in delta.chunk_by(|x, y| split(x.0, bucket_bits).0 == split(y.0, bucket_bits).0) {
        let bucket = split(run[0].0, bucket_bits).0;
        let added: Vec<(u64, u32)> = run
            .iter()
            .map(|&(k, n)| (split(k, bucket_bits).1, n))
            .collect();
        writer.update(table, bucket, |old| {
            let old = codec::decode_counts(old)?;
            let merged = codec::merge_counts(&old, &added);
            new_keys += (merged.len() - old.len()) as i64;
            Ok(codec::encode_counts(&merged))
        })?;
    }
    writer.finish(table)?;
    Ok(new_keys)
}

/// The count of `key` in sorted `(key, count)` entries (0 when absent).
fn sorted_count(entries: &[(u64, u32)], key: u64) -> u32 {
    entries
        .binary_search_by_key(&key, |e| e.0)
        .map_or(0, |k| entries[k].1)
}

/// Sorted keys as `(key, how many times)`.
fn run_lengths(sorted: &[u64]) -> Vec<(u64, u32)> {
    sorted
        .chunk_by(|x, y| x == y)
        .map(|run| (run[0], run.len() as u32))
        .collect()
}

/// The [`SIZES`] value being filled.
struct SizeBlock {
    block: u32,
    bytes: Vec<u8>,
}

impl SizeBlock {
    /// The block of the next article number, with the sizes it holds already.
    fn resume(
        sizes: &redb::Table<'_, u32, &[u8]>,
        documents: u64,
        path: &Path,
    ) -> Result<SizeBlock, IndexError> {
        let block = (documents / u64::from(SIZE_BLOCK)) as u32;
        let bytes = sizes
            .get(block)
            .map_err(|e| IndexError::storage(path, e))?
            .map(|v| v.value().to_vec())
            .unwrap_or_default();
        Ok(SizeBlock { block, bytes })
    }

    fn push(
        &mut self,
        sizes: &mut redb::Table<'_, u32, &[u8]>,
        number: u32,
        features: usize,
        path: &Path,
    ) -> Result<(), IndexError> {
        debug_assert_eq!(number / SIZE_BLOCK, self.block);
        debug_assert_eq!(self.bytes.len(), ((number % SIZE_BLOCK) * 2) as usize);
        let size = u16::try_from(features).unwrap_or(u16::MAX);
        self.bytes.extend_from_slice(&size.to_le_bytes());
        if self.bytes.len() == (SIZE_BLOCK * 2) as usize {
            self.finish(sizes, path)?;
            self.block += 1;
            self.bytes.clear();
        }
        Ok(())
    }

    fn finish(
        &self,
        sizes: &mut redb::Table<'_, u32, &[u8]>,
        path: &Path,
    ) -> Result<(), IndexError> {
        if !self.bytes.is_empty() {
            sizes
                .insert(self.block, self.bytes.as_slice())
                .map_err(|e| IndexError::storage(path, e))?;
        }
        Ok(())
    }
}

/// A diagnostic for an article left out.
fn skipped(id: &str, message: &str) -> Diagnostic {
    Diagnostic {
        source: id.to_string(),
        line: None,
        message: message.to_string(),
    }
}

// The folder of the integration tests, so that their corpora module is shared.
#[cfg(test)]
#[path = "../tests"]
mod tests {
    use super::*;

    mod support;
    use support::generated;

    #[test]
    fn an_index_of_another_format_is_refused_with_its_path_and_what_to_do() {
        let folder = tempfile::tempdir().expect("a folder");
        let index = Index::create(folder.path(), &AnalyzeOptions::default()).expect("created");
        let txn = index.db.begin_write().expect("a transaction");
        txn.open_table(META)
            .expect("meta")
            .insert("format", 2)
            .expect("written");
        txn.commit().expect("committed");
        drop(index);
        let error = Index::open(folder.path()).expect_err("refused");
        assert!(matches!(
            error,
            IndexError::Format {
                found: 2,
                expected: FORMAT,
                ..
            }
        ));
        let message = error.to_string();
        assert!(message.contains(&folder.path().join(FILE).display().to_string()));
        assert!(message.contains("rebuild it with `stemma index build`"));
    }

    #[test]
    fn an_add_stores_the_same_whatever_the_order_of_its_articles() {
        let mut articles = generated(400, 11);
        let new: Vec<Article> = articles.split_off(360);
        let options = AnalyzeOptions::default();
        let mut results = Vec::new();
        let mut reversed = articles.clone();
        reversed.reverse();
        let mut interleaved: Vec<Article> = articles.iter().step_by(2).cloned().collect();
        interleaved.extend(articles.iter().skip(1).step_by(2).cloned());
        for given in [articles, reversed, interleaved] {
            let folder = tempfile::tempdir().expect("a folder");
            let mut index = Index::create(folder.path(), &options).expect("created");
            // Chunks of 50: seven sorted chunk files merged, eight chunks of counts.
            index.chunk = 50;
            let added = index.add(given, &options, &mut |_| {}).expect("added");
            assert_eq!(added.added, 360);
            assert!(!folder.path().join("order.tmp").exists());
            let stats = index.stats().expect("stats");
            let check = index
                .check(new.clone(), &options, &stemma_graph::Silent)
                .expect("checked");
            let pairs: Vec<(String, String, String)> = check
                .analysis
                .related_pairs()
                .map(|p| {
                    (
                        check.analysis.documents[p.a].id.clone(),
                        check.analysis.documents[p.b].id.clone(),
                        format!("{:?} {:.6}", p.relation, p.probability),
                    )
                })
                .collect();
            let loaded: Vec<String> = check
                .analysis
                .documents
                .iter()
                .map(|d| d.id.clone())
                .collect();
            let counts = (stats.postings, stats.features, stats.banal_features);
            results.push((counts, pairs, loaded));
        }
        assert!(!results[0].1.is_empty(), "the check finds related pairs");
        for (k, order) in [(1, "reversed"), (2, "interleaved")] {
            assert_eq!(results[0].0, results[k].0, "stored counts, {order}");
            assert!(results[0].1 == results[k].1, "related pairs, {order}");
            assert!(results[0].2 == results[k].2, "articles loaded, {order}");
        }
    }

    #[test]
    fn features_fold_to_the_buckets_they_are_stored_in() {
        let stored = u64::MAX >> FEATURE_SHIFT;
        assert_eq!(
            feature_split(stored),
            ((1 << POSTING_BUCKET_BITS) - 1, (1 << 20) - 1)
        );
        assert_eq!(
            split(u64::MAX, TERM_BUCKET_BITS).0,
            (1 << TERM_BUCKET_BITS) - 1
        );
        assert_eq!(line_key(1 | (1 << 64)), 0);
    }
}
