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
//! stored), `error.rs`.
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

mod error;
mod record;

pub use error::IndexError;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};
use stemma_graph::{
    AnalyzeOptions, Article, CorpusAnalysis, CountKeys, CountTable, Diagnostic, Progress,
    analyze_with_archive, article_counts, count_keys, is_narrative,
};

/// Counts and settings: `format`, `articles`, `banal`.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Archived articles by number ([`record`]).
const ARTICLES: TableDefinition<u32, &[u8]> = TableDefinition::new("articles");
/// Article numbers by id.
const IDS: TableDefinition<&str, u32> = TableDefinition::new("ids");
/// Candidate features per article number (whether it is short).
const FEATURE_COUNTS: TableDefinition<u32, u32> = TableDefinition::new("feature_counts");
/// Articles per term hash.
const TERMS: TableDefinition<u64, u32> = TableDefinition::new("terms");
/// Articles per banal candidate feature (the others' counts are their postings').
const BANAL: TableDefinition<u64, u32> = TableDefinition::new("banal");
/// Articles per line fingerprint.
const LINES: TableDefinition<u128, u32> = TableDefinition::new("lines");
/// The articles of each feature that is not banal yet.
/// One value per feature, the article numbers as 4-byte little-endian integers: one B-tree entry
/// per feature rather than per (feature, article), which a redb multimap table costs (most features
/// are in one article only). A posting list holds at most the banal limit of numbers.
const POSTINGS: TableDefinition<u64, &[u8]> = TableDefinition::new("postings");

/// The version of the layout above; an index of another version is refused, not misread.
const FORMAT: u64 = 2;
/// The database file inside an index folder.
const FILE: &str = "stemma.redb";
/// Articles whose counts are computed at a time when adding: bounds the memory of a large add.
const ADD_CHUNK: usize = 20_000;

/// How many more shared features (and narrative ones) an archived article may lack, by the
/// features the index stored for it, and still be loaded for a check. The stored features were
/// taken with the term weights of the archive at the time it was added; the analysis takes them
/// anew with today's (the new articles counted), and a term whose weight crossed the rare-term
/// threshold in between moves a few features. On a generated corpus of 10,000 articles split
/// two to one, exact rules (0) loaded one article's partners short, which moved the probability of
/// 3 of its 10,533 related pairs by up to 0.001; with 1 the links are equal (docs/archive.md).
const SLACK: usize = 1;

/// An archive index on disk ([crate docs](crate)).
#[derive(Debug)]
pub struct Index {
    db: Database,
    path: PathBuf,
    /// Features in more archived articles than this are banal: their postings are not kept.
    banal: u64,
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
}

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
        let txn = db
            .begin_write()
            .map_err(|e| IndexError::storage(&path, e))?;
        {
            let mut meta = txn
                .open_table(META)
                .map_err(|e| IndexError::storage(&path, e))?;
            for (key, value) in [("format", FORMAT), ("articles", 0), ("banal", banal)] {
                meta.insert(key, value)
                    .map_err(|e| IndexError::storage(&path, e))?;
            }
            // Every table exists from the start, so that reading an empty index finds them.
            txn.open_table(ARTICLES)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(IDS)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(FEATURE_COUNTS)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(TERMS)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(BANAL)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(LINES)
                .map_err(|e| IndexError::storage(&path, e))?;
            txn.open_table(POSTINGS)
                .map_err(|e| IndexError::storage(&path, e))?;
        }
        txn.commit().map_err(|e| IndexError::storage(&path, e))?;
        Ok(Index { db, path, banal })
    }

    /// Opens the index in `folder`.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when the folder holds no index, [`IndexError::Format`] when it was
    /// written by another version; storage errors.
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
        Ok(Index { db, path, banal })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds articles to the archive, in one transaction: if the process dies before it returns,
    /// the index is as it was before the call. An id already in the index, or given twice, is
    /// skipped and named in [`Added::skipped`]. `progress` is told how many articles were
    /// processed, a chunk at a time.
    ///
    /// An article's features are taken with the corpus counts of the archive as it is when the
    /// article is added (that archive and the articles of the call). Adding never rewrites what is
    /// stored: the cost of an add grows with the articles added, not with the archive.
    ///
    /// # Errors
    /// Storage errors (the index is then as it was before the call).
    pub fn add(
        &mut self,
        articles: Vec<Article>,
        options: &AnalyzeOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Added, IndexError> {
        let path = self.path.clone();
        let err = |e: redb::Error| IndexError::storage(&path, e);
        let txn = self.db.begin_write().map_err(|e| err(e.into()))?;
        let mut report = Added::default();
        {
            let mut meta = txn.open_table(META).map_err(|e| err(e.into()))?;
            let mut stored = txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
            let mut ids = txn.open_table(IDS).map_err(|e| err(e.into()))?;
            let mut feature_counts = txn.open_table(FEATURE_COUNTS).map_err(|e| err(e.into()))?;
            let mut terms = txn.open_table(TERMS).map_err(|e| err(e.into()))?;
            let mut banal = txn.open_table(BANAL).map_err(|e| err(e.into()))?;
            let mut lines = txn.open_table(LINES).map_err(|e| err(e.into()))?;
            let mut postings = txn.open_table(POSTINGS).map_err(|e| err(e.into()))?;
            let mut documents = meta
                .get("articles")
                .map_err(|e| err(e.into()))?
                .map_or(0, |v| v.value());
            let mut seen = HashSet::new();
            let mut fresh = Vec::with_capacity(articles.len());
            for article in articles {
                let known = ids
                    .get(article.id.as_str())
                    .map_err(|e| err(e.into()))?
                    .is_some();
                if known || !seen.insert(article.id.clone()) {
                    let message = if known {
                        "is in the index already; skipped"
                    } else {
                        "is given twice; the second is skipped"
                    };
                    report.skipped.push(skipped(&article.id, message));
                } else {
                    fresh.push(article);
                }
            }
            for chunk in fresh.chunks(ADD_CHUNK) {
                let keys = count_keys(chunk.to_vec());
                let table = load_counts(&terms, &lines, &keys, documents).map_err(|e| err(*e))?;
                let counts = article_counts(chunk.to_vec(), &table, options);
                let mut term_delta: HashMap<u64, u32> = HashMap::new();
                let mut line_delta: HashMap<u128, u32> = HashMap::new();
                let mut new_postings: Vec<(u64, u32)> = Vec::new();
                for (article, counts) in chunk.iter().zip(&counts) {
                    let number = u32::try_from(documents).map_err(|_| IndexError::Full)?;
                    documents += 1;
                    let bytes = record::encode(article, counts.features.len());
                    stored
                        .insert(number, bytes.as_slice())
                        .map_err(|e| err(e.into()))?;
                    ids.insert(article.id.as_str(), number)
                        .map_err(|e| err(e.into()))?;
                    feature_counts
                        .insert(number, counts.features.len() as u32)
                        .map_err(|e| err(e.into()))?;
                    for &t in &counts.terms {
                        *term_delta.entry(t).or_default() += 1;
                    }
                    for &l in &counts.lines {
                        *line_delta.entry(l).or_default() += 1;
                    }
                    new_postings.extend(counts.features.iter().map(|&f| (f, number)));
                }
                add_counts(&mut terms, term_delta).map_err(|e| err(*e))?;
                add_counts(&mut lines, line_delta).map_err(|e| err(*e))?;
                // Sorted, so that the B-trees are written in key order and each feature's new
                // postings come together.
                new_postings.sort_unstable();
                for run in new_postings.chunk_by(|x, y| x.0 == y.0) {
                    let feature = run[0].0;
                    let added = run.len() as u32;
                    let known_banal = banal
                        .get(feature)
                        .map_err(|e| err(e.into()))?
                        .map(|v| v.value());
                    if let Some(before) = known_banal {
                        banal
                            .insert(feature, before + added)
                            .map_err(|e| err(e.into()))?;
                        continue;
                    }
                    let mut list: Vec<u8> = postings
                        .get(feature)
                        .map_err(|e| err(e.into()))?
                        .map(|v| v.value().to_vec())
                        .unwrap_or_default();
                    let before = (list.len() / 4) as u32;
                    let after = before + added;
                    if u64::from(after) <= self.banal {
                        list.extend(run.iter().flat_map(|&(_, number)| number.to_le_bytes()));
                        postings
                            .insert(feature, list.as_slice())
                            .map_err(|e| err(e.into()))?;
                    } else {
                        // The feature is banal from now on: no check will pair by it again, so
                        // only its count is kept.
                        if before > 0 {
                            postings.remove(feature).map_err(|e| err(e.into()))?;
                        }
                        banal.insert(feature, after).map_err(|e| err(e.into()))?;
                    }
                }
                report.added += chunk.len();
                progress(chunk.len());
            }
            meta.insert("articles", documents)
                .map_err(|e| err(e.into()))?;
        }
        txn.commit().map_err(|e| err(e.into()))?;
        Ok(report)
    }

    /// What the index holds.
    ///
    /// # Errors
    /// Storage errors.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let err = |e: redb::Error| IndexError::storage(&self.path, e);
        let txn = self.db.begin_read().map_err(|e| err(e.into()))?;
        let meta = txn.open_table(META).map_err(|e| err(e.into()))?;
        let stored = txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
        let mut article_bytes = 0u64;
        for entry in stored.iter().map_err(|e| err(e.into()))? {
            let (_, bytes) = entry.map_err(|e| err(e.into()))?;
            article_bytes += bytes.value().len() as u64;
        }
        let mut postings = 0u64;
        let lists = txn.open_table(POSTINGS).map_err(|e| err(e.into()))?;
        for entry in lists.iter().map_err(|e| err(e.into()))? {
            let (_, list) = entry.map_err(|e| err(e.into()))?;
            postings += (list.value().len() / 4) as u64;
        }
        let file_bytes = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        Ok(IndexStats {
            articles: meta
                .get("articles")
                .map_err(|e| err(e.into()))?
                .map_or(0, |v| v.value()),
            terms: txn
                .open_table(TERMS)
                .and_then(|t| t.len().map_err(Into::into))
                .map_err(|e| err(e.into()))?,
            banal_features: txn
                .open_table(BANAL)
                .and_then(|t| t.len().map_err(Into::into))
                .map_err(|e| err(e.into()))?,
            postings,
            lines: txn
                .open_table(LINES)
                .and_then(|t| t.len().map_err(Into::into))
                .map_err(|e| err(e.into()))?,
            file_bytes,
            article_bytes,
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
        let err = |e: redb::Error| IndexError::storage(&self.path, e);
        let txn = self.db.begin_read().map_err(|e| err(e.into()))?;
        let meta = txn.open_table(META).map_err(|e| err(e.into()))?;
        let stored = txn.open_table(ARTICLES).map_err(|e| err(e.into()))?;
        let ids = txn.open_table(IDS).map_err(|e| err(e.into()))?;
        let feature_counts = txn.open_table(FEATURE_COUNTS).map_err(|e| err(e.into()))?;
        let terms = txn.open_table(TERMS).map_err(|e| err(e.into()))?;
        let banal = txn.open_table(BANAL).map_err(|e| err(e.into()))?;
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
        let keys = count_keys(new.clone());
        let mut table = load_counts(&terms, &lines, &keys, documents).map_err(|e| err(*e))?;
        let new_counts = article_counts(new.clone(), &table, options);
        let mut in_new: HashMap<u64, u32> = HashMap::new();
        for counts in &new_counts {
            for &f in &counts.features {
                *in_new.entry(f).or_default() += 1;
            }
        }
        for &f in in_new.keys() {
            let archived = match banal.get(f).map_err(|e| err(e.into()))? {
                Some(n) => n.value(),
                None => postings
                    .get(f)
                    .map_err(|e| err(e.into()))?
                    .map_or(0, |list| (list.value().len() / 4) as u32),
            };
            if archived > 0 {
                table.features.insert(f, archived);
            }
        }
        // Shared features (and narrative ones) per (archived article, new article).
        let mut shared: HashMap<(u32, usize), (usize, usize)> = HashMap::new();
        for (n, counts) in new_counts.iter().enumerate() {
            for &f in &counts.features {
                let archived = u64::from(table.features.get(&f).copied().unwrap_or(0));
                if archived == 0 || archived + u64::from(in_new[&f]) > self.banal {
                    continue;
                }
                let Some(list) = postings.get(f).map_err(|e| err(e.into()))? else {
                    continue;
                };
                for number in list.value().chunks_exact(4) {
                    let number = u32::from_le_bytes(number.try_into().expect("four bytes"));
                    let entry = shared.entry((number, n)).or_default();
                    entry.0 += 1;
                    entry.1 += usize::from(is_narrative(f));
                }
            }
        }
        let mut wanted = BTreeSet::new();
        for (&(number, n), &(count, narrative)) in &shared {
            let archived_features = feature_counts
                .get(number)
                .map_err(|e| err(e.into()))?
                .map_or(0, |v| v.value()) as usize;
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
        let mut archived = BTreeSet::new();
        let mut loaded = Vec::with_capacity(wanted.len());
        for number in wanted {
            let bytes = stored
                .get(number)
                .map_err(|e| err(e.into()))?
                .ok_or_else(|| IndexError::Corrupt {
                    path: self.path.clone(),
                    message: format!("article {number} is posted but not stored"),
                })?;
            let (article, _) =
                record::decode(bytes.value()).map_err(|message| IndexError::Corrupt {
                    path: self.path.clone(),
                    message: format!("article {number}: {message}"),
                })?;
            archived.insert(article.id.clone());
            loaded.push(article);
        }
        // The loaded archived articles' terms and lines are counted in the archive already; the
        // analysis looks their counts up too (the new articles' are in the table).
        let keys = count_keys(loaded.clone());
        let more = load_counts(&terms, &lines, &keys, documents).map_err(|e| err(*e))?;
        table.terms.extend(more.terms);
        table.lines.extend(more.lines);
        let mut corpus = new;
        corpus.extend(loaded);
        let analysis = analyze_with_archive(corpus, &archived, &table, options, progress);
        Ok(Check {
            analysis,
            archived,
            skipped: skipped_new,
        })
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

/// The archive's counts of the given keys (those it has), over `documents` articles.
fn load_counts(
    terms: &impl ReadableTable<u64, u32>,
    lines: &impl ReadableTable<u128, u32>,
    keys: &CountKeys,
    documents: u64,
) -> Result<CountTable, Box<redb::Error>> {
    let mut table = CountTable {
        documents: usize::try_from(documents).expect("an archive's size fits in memory"),
        ..CountTable::default()
    };
    for &t in &keys.terms {
        if let Some(n) = terms.get(t).map_err(|e| Box::new(e.into()))? {
            table.terms.insert(t, n.value());
        }
    }
    for &l in &keys.lines {
        if let Some(n) = lines.get(l).map_err(|e| Box::new(e.into()))? {
            table.lines.insert(l, n.value());
        }
    }
    Ok(table)
}

/// Adds `delta` to the counts of a table, in key order.
fn add_counts<K>(
    table: &mut redb::Table<'_, K, u32>,
    delta: HashMap<K, u32>,
) -> Result<(), Box<redb::Error>>
where
    K: redb::Key + Ord + Copy + for<'a> std::borrow::Borrow<K::SelfType<'a>> + 'static,
{
    let mut delta: Vec<(K, u32)> = delta.into_iter().collect();
    delta.sort_unstable_by_key(|x| x.0);
    for (key, n) in delta {
        let before = table
            .get(key)
            .map_err(|e| Box::new(e.into()))?
            .map_or(0, |v| v.value());
        table
            .insert(key, before + n)
            .map_err(|e| Box::new(e.into()))?;
    }
    Ok(())
}
