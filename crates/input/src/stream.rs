//! Reading the inputs one article at a time: [`InputStream`], the one reader behind
//! [`load_inputs`](super::load_inputs) and the indexing commands.
//!
//! A folder is walked a file at a time and a JSONL or WARC file read a batch of lines or records
//! at a time, so what is held is one batch, the ids read so far (to find duplicates) and the
//! metadata tables, never the texts of the articles already handed out. Diagnostics are the same,
//! in the same order, as when everything was read first: those of a file's lines and records,
//! then its duplicate ids, then (at the end of the run) metadata problems, unused metadata and
//! publication times set aside.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use stemma_graph::Article;

use super::files::{self, FileKind, ReadProblem};
use super::jsonl::{ArticleLines, MetaTable};
use super::warc::WarcPages;
use super::{Diagnostic, apply, article_from_file, as_prose, canonical, diagnostic, duplicate_id};

/// The articles of the inputs `load_inputs` reads (files, folders, JSONL, WARC, `-` for JSONL on
/// standard input, each maybe compressed, and metadata), handed out one at a time in reading
/// order: the paths in the order named, a folder's files in byte order of their names before its
/// subfolders, a file's articles in its order. Each article is complete when it comes out (its
/// metadata applied, its publication time resolved, its text made prose); an id read before is
/// skipped with a diagnostic, as in [`load_inputs`](super::load_inputs), which is this stream
/// collected and sorted by id.
///
/// Memory is bounded by a batch of one file (a few thousand JSONL lines or a few hundred WARC
/// pages, and at most 64 MiB of either), the ids read so far and the metadata tables: not by the
/// corpus. Take the diagnostics with [`InputStream::finish`] once the articles are taken.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let lines = "{\"id\":\"b\",\"text\":\"The mill closed on Friday.\"}\n\
///              not json\n\
///              {\"id\":\"a\",\"text\":\"The mill shut on Friday.\"}\n\
///              {\"id\":\"b\",\"text\":\"A second b.\"}\n";
/// std::fs::write(dir.path().join("wire.jsonl"), lines).unwrap();
/// let mut stdin = std::io::empty();
/// let mut stream = stemma_input::InputStream::new(&[dir.path().to_path_buf()], None, &mut stdin);
/// let ids: Vec<String> = stream.by_ref().map(|a| a.id).collect();
/// assert_eq!(ids, ["b", "a"]);
/// let diagnostics = stream.finish();
/// assert_eq!(diagnostics[0].line, Some(2));
/// assert!(diagnostics[1].message.starts_with("duplicate id \"b\""));
/// ```
pub struct InputStream<'a> {
    loader: Loader,
    stdin: Option<&'a mut dyn Read>,
    /// What was named and is not read yet, in order.
    named: VecDeque<Named>,
    /// The folders of a named folder being walked.
    walk: Option<Walk>,
    /// The JSONL or WARC file being read.
    open: Option<OpenFile<'a>>,
    /// Articles read and kept, not handed out yet (a batch at most).
    ready: VecDeque<Article>,
    /// Whether the targets of [`InputStream::sided`] are being read.
    in_targets: bool,
    /// The caller's clock, when publication times in the future are to be set aside.
    now_unix_millis: Option<i64>,
    /// The diagnostics of times set aside, given at the end in id order.
    future: Vec<Diagnostic>,
}

/// One path named by the user, or where the targets begin.
enum Named {
    Path(PathBuf),
    Targets,
}

/// The walk of one named folder, depth first, a folder's files before its subfolders.
struct Walk {
    /// Folders to walk, the next on top.
    stack: Vec<PathBuf>,
    /// The folder whose entries are being read.
    folder: Option<Folder>,
}

struct Folder {
    /// Its canonical path.
    key: PathBuf,
    entries: std::vec::IntoIter<PathBuf>,
    subfolders: Vec<PathBuf>,
}

/// A JSONL or WARC file being read.
struct OpenFile<'a> {
    shown: String,
    folder: Option<PathBuf>,
    reader: FileReader<'a>,
}

enum FileReader<'a> {
    Jsonl(ArticleLines<Box<dyn BufRead + 'a>>),
    // Boxed: its decompressor's state is large beside a JSONL reader's.
    Warc(Box<WarcPages<BufReader<std::fs::File>>>),
}

impl<'a> InputStream<'a> {
    /// The articles of `paths` (`-` reads `stdin`), with the metadata file `meta` for all of them
    /// if one is named; nothing is read until the first article is asked for, except `meta`.
    pub fn new(paths: &[PathBuf], meta: Option<&Path>, stdin: &'a mut dyn Read) -> Self {
        Self::sided(paths, &[], meta, stdin)
    }

    /// The articles of `sources`, then of `targets` ([`InputStream::reading_targets`] says which
    /// is being read), as [`load_sources_and_targets`](super::load_sources_and_targets) reads
    /// them.
    pub fn sided(
        sources: &[PathBuf],
        targets: &[PathBuf],
        meta: Option<&Path>,
        stdin: &'a mut dyn Read,
    ) -> Self {
        let mut named: VecDeque<Named> = sources.iter().cloned().map(Named::Path).collect();
        if !targets.is_empty() {
            named.push_back(Named::Targets);
            named.extend(targets.iter().cloned().map(Named::Path));
        }
        Self {
            loader: Loader::with_meta(meta),
            stdin: Some(stdin),
            named,
            walk: None,
            open: None,
            ready: VecDeque::new(),
            in_targets: false,
            now_unix_millis: None,
            future: Vec::new(),
        }
    }

    /// Sets aside publication times later than `now_unix_millis` (the caller's clock) by more
    /// than [`FUTURE_TOLERANCE_MILLIS`](super::FUTURE_TOLERANCE_MILLIS), as
    /// [`Loaded::set_aside_future_times`](super::Loaded::set_aside_future_times) does; their
    /// diagnostics come last, in id order, as they do there.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let line = r#"{"id":"typo","text":"The mill closed.","published":"2999-01-01"}"#;
    /// std::fs::write(dir.path().join("a.jsonl"), line).unwrap();
    /// let mut stdin = std::io::empty();
    /// let mut stream = stemma_input::InputStream::new(&[dir.path().join("a.jsonl")], None, &mut stdin)
    ///     .setting_aside_future_times(1_700_000_000_000);
    /// assert!(stream.next().unwrap().published.is_none());
    /// assert!(stream.finish()[0].message.contains("in the future"));
    /// ```
    #[must_use]
    pub fn setting_aside_future_times(mut self, now_unix_millis: i64) -> Self {
        self.now_unix_millis = Some(now_unix_millis);
        self
    }

    /// Whether the article last handed out was read from the targets of [`InputStream::sided`].
    pub fn reading_targets(&self) -> bool {
        self.in_targets
    }

    /// Reads what is left (its articles are dropped) and gives every diagnostic of the run, in
    /// the order [`load_inputs`](super::load_inputs) gives them.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.ready.clear();
        while self.step() {
            self.ready.clear();
        }
        let mut diagnostics = self.loader.finish();
        self.future.sort_by(|a, b| a.source.cmp(&b.source));
        diagnostics.append(&mut self.future);
        diagnostics
    }

    /// Reads a little more: a batch of the open file, a folder entry, a named path. `false` when
    /// everything is read.
    fn step(&mut self) -> bool {
        if self.open.is_some() {
            self.read_open_file();
        } else if let Some(walk) = &mut self.walk {
            if let Some(folder) = &mut walk.folder {
                match folder.entries.next() {
                    Some(entry) => {
                        let key = folder.key.clone();
                        if let Some(subfolder) = self.read_entry(entry, key) {
                            if let Some(folder) = self.walk.as_mut().and_then(|w| w.folder.as_mut())
                            {
                                folder.subfolders.push(subfolder);
                            }
                        }
                    }
                    None => {
                        // Sorted order: the first subfolder is walked first.
                        walk.stack.extend(folder.subfolders.drain(..).rev());
                        walk.folder = None;
                    }
                }
            } else if let Some(dir) = walk.stack.pop() {
                walk.folder = self.loader.open_folder(&dir);
            } else {
                self.walk = None;
            }
        } else {
            match self.named.pop_front() {
                Some(Named::Path(path)) => self.read_named(&path),
                Some(Named::Targets) => {
                    self.loader.source_files = Some(self.loader.files_seen.clone());
                    self.in_targets = true;
                }
                None => return false,
            }
        }
        true
    }

    /// A path as the user named it on the command line.
    fn read_named(&mut self, path: &Path) {
        if path.as_os_str() == "-" {
            let Some(stdin) = self.stdin.take() else {
                self.loader.report(
                    "-",
                    None,
                    "standard input was named more than once; read once",
                );
                return;
            };
            match files::sniffed(stdin) {
                Ok(lines) => {
                    let lines: Box<dyn BufRead + 'a> = Box::new(lines);
                    self.open = Some(OpenFile {
                        shown: "-".to_owned(),
                        folder: None,
                        reader: FileReader::Jsonl(ArticleLines::new(lines, "-")),
                    });
                }
                Err(problem) => self.loader.report_problem("-", problem),
            }
            return;
        }
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => self
                .loader
                .report(&shown, None, files::describe_io_error(&e)),
            Ok(m) if m.is_dir() => {
                self.walk = Some(Walk {
                    stack: vec![path.to_path_buf()],
                    folder: None,
                });
            }
            Ok(_) => {
                let kind = files::kind_of(path);
                if kind == FileKind::Meta {
                    self.loader.report(
                        &shown,
                        None,
                        "a meta.jsonl file holds metadata, not articles: name its folder, \
                         or pass it with --meta",
                    );
                    return;
                }
                let kind = if kind == FileKind::Other {
                    FileKind::Text
                } else {
                    kind
                };
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let key = canonical(dir);
                // Loaded now, so that its diagnostics come in reading order.
                self.loader.load_folder_meta(&key, dir);
                self.read_file(path, kind, Some(key));
            }
        }
    }

    /// One entry of a folder being walked (`key`: the folder's canonical path); a subfolder is
    /// given back, to be walked after the folder's files.
    fn read_entry(&mut self, entry: PathBuf, key: PathBuf) -> Option<PathBuf> {
        let shown = entry.display().to_string();
        let metadata = match std::fs::metadata(&entry) {
            Ok(m) => m,
            Err(e) => {
                self.loader
                    .report(&shown, None, files::describe_io_error(&e));
                return None;
            }
        };
        if metadata.is_dir() {
            return Some(entry);
        }
        // A FIFO, socket or device in a folder would block the run or never end; only regular
        // files are read from folders.
        if !metadata.is_file() {
            if files::kind_of(&entry) != FileKind::Other {
                self.loader.report(
                    &shown,
                    None,
                    "not a regular file (a FIFO, socket or device); skipped",
                );
            }
            return None;
        }
        if files::is_folder_doc(&entry) {
            return None;
        }
        match files::kind_of(&entry) {
            // The folder's metadata was loaded when the folder was opened.
            FileKind::Meta | FileKind::Other => {}
            kind => self.read_file(&entry, kind, Some(key)),
        }
        None
    }

    /// One file of a known kind: a text or page is read at once, a JSONL or WARC file opened to
    /// be read a batch at a time.
    fn read_file(&mut self, path: &Path, kind: FileKind, folder: Option<PathBuf>) {
        let shown = path.display().to_string();
        let loader = &mut self.loader;
        let canonical_path = canonical(path);
        if !loader.files_seen.insert(canonical_path.clone()) {
            if loader
                .source_files
                .as_ref()
                .is_some_and(|sources| sources.contains(&canonical_path))
            {
                loader.report(
                    &shown,
                    None,
                    "named as a source and as a target; read as a source only",
                );
            }
            return;
        }
        let stem = files::id_of(path);
        loader.note_id(&stem, folder.as_deref());
        let reader = match kind {
            FileKind::Jsonl => match files::open_jsonl(path) {
                Ok(reader) => {
                    let reader: Box<dyn BufRead + 'a> = reader;
                    FileReader::Jsonl(ArticleLines::new(reader, &shown))
                }
                Err(problem) => return loader.report_problem(&shown, problem),
            },
            FileKind::Warc => match files::open(path) {
                Ok(source) => FileReader::Warc(Box::new(WarcPages::new(source, &shown))),
                Err(problem) => return loader.report_problem(&shown, problem),
            },
            FileKind::Html | FileKind::Text | FileKind::Other | FileKind::Meta => {
                match article_from_file(path, kind, stem) {
                    Ok((article, note)) => {
                        if let Some(note) = note {
                            loader.report(&shown, None, note);
                        }
                        let kept = loader.accept(article, &shown, None, None, folder.as_deref());
                        self.keep(kept);
                    }
                    Err((line, message)) => loader.skip(&shown, line, message),
                }
                return;
            }
        };
        self.open = Some(OpenFile {
            shown,
            folder,
            reader,
        });
    }

    /// The next batch of the open file, or its end.
    fn read_open_file(&mut self) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        let loader = &mut self.loader;
        let folder = open.folder.as_deref();
        let mut kept = Vec::new();
        // A file's duplicate ids are said after its own diagnostics, as when it was read whole.
        let read = match &mut open.reader {
            FileReader::Jsonl(lines) => lines.next_batch(&mut loader.diagnostics).map(|batch| {
                for line in batch {
                    kept.push(loader.accept(
                        line.article,
                        &open.shown,
                        Some(line.line),
                        None,
                        folder,
                    ));
                }
            }),
            FileReader::Warc(pages) => pages.next_batch(&mut loader.diagnostics).map(|batch| {
                for page in batch {
                    let mut article = page.article;
                    if let Some(id) = loader.id_for_url(&article.id, &page.uri, folder) {
                        article.id = id;
                    }
                    kept.push(loader.accept(article, &open.shown, None, Some(&page.place), folder));
                }
            }),
        };
        if read.is_none() {
            self.open = None;
            let held = std::mem::take(&mut loader.held);
            loader.diagnostics.extend(held);
        }
        for article in kept {
            self.keep(article);
        }
    }

    /// Queues an article kept by [`Loader::accept`], its publication time set aside if it is in
    /// the future.
    fn keep(&mut self, article: Option<Article>) {
        let Some(mut article) = article else {
            return;
        };
        if let Some(now) = self.now_unix_millis {
            if let Some(d) = super::set_aside_future_time(&mut article, now) {
                self.future.push(d);
            }
        }
        self.ready.push_back(article);
    }
}

impl Iterator for InputStream<'_> {
    type Item = Article;

    fn next(&mut self) -> Option<Article> {
        loop {
            if let Some(article) = self.ready.pop_front() {
                return Some(article);
            }
            if !self.step() {
                return None;
            }
        }
    }
}

/// What reading keeps beside the articles: metadata, the ids and files seen, the diagnostics.
struct Loader {
    /// The `--meta` file, if one was named and could be read.
    explicit_meta: Option<MetaTable>,
    diagnostics: Vec<Diagnostic>,
    /// The duplicate ids of the JSONL or WARC file being read, said after its own diagnostics.
    held: Vec<Diagnostic>,
    /// Problems applying metadata, said after those of reading.
    late: Vec<Diagnostic>,
    /// Id → where it was first read.
    first_place: HashMap<String, String>,
    /// Canonical paths of files already read (a file named twice is read once).
    files_seen: HashSet<PathBuf>,
    /// A folder (canonical path) → its `meta.jsonl`, loaded on first use
    /// (`None`: absent or unreadable).
    folder_meta: HashMap<PathBuf, Option<MetaTable>>,
    /// Folders (canonical paths) read whole, not just some files named in them.
    walked: HashSet<PathBuf>,
    /// Ids (and file stems) met in each folder, to spot metadata that names nothing.
    ids_in_folder: HashMap<PathBuf, HashSet<String>>,
    /// Ids (and file stems) met anywhere.
    ids_anywhere: HashSet<String>,
    /// While targets are read: the files read as sources.
    source_files: Option<HashSet<PathBuf>>,
}

impl Loader {
    /// A loader with the `--meta` file read, if one is named.
    fn with_meta(meta: Option<&Path>) -> Self {
        let mut loader = Self {
            explicit_meta: None,
            diagnostics: Vec::new(),
            held: Vec::new(),
            late: Vec::new(),
            first_place: HashMap::new(),
            files_seen: HashSet::new(),
            folder_meta: HashMap::new(),
            walked: HashSet::new(),
            ids_in_folder: HashMap::new(),
            ids_anywhere: HashSet::new(),
            source_files: None,
        };
        loader.explicit_meta = meta.and_then(|path| {
            let shown = path.display().to_string();
            loader.load_meta_table(path, &shown)
        });
        loader
    }

    fn report(&mut self, path: &str, line: Option<usize>, message: impl Into<String>) {
        self.diagnostics.push(diagnostic(path, line, message));
    }

    /// Starts reading a folder of a walk: its metadata loaded, its entries listed in sorted
    /// order. `None` if it was walked before or cannot be listed (said).
    fn open_folder(&mut self, dir: &Path) -> Option<Folder> {
        let shown = dir.display().to_string();
        let key = canonical(dir);
        if !self.walked.insert(key.clone()) {
            return None;
        }
        self.load_folder_meta(&key, dir);
        match files::sorted_entries(dir) {
            Ok(entries) => Some(Folder {
                key,
                entries: entries.into_iter(),
                subfolders: Vec::new(),
            }),
            Err(e) => {
                self.report(
                    &shown,
                    None,
                    format!("cannot list folder: {}", files::describe_io_error(&e)),
                );
                None
            }
        }
    }

    /// The id a metadata entry gives the page captured from `uri` by naming it as its `url`,
    /// when no entry is for the page's own id (`--meta` first, then the folder's `meta.jsonl`).
    fn id_for_url(&self, id: &str, uri: &str, folder: Option<&Path>) -> Option<String> {
        let folder_table = folder
            .and_then(|f| self.folder_meta.get(f))
            .and_then(Option::as_ref);
        let tables: Vec<&MetaTable> = self.explicit_meta.iter().chain(folder_table).collect();
        if tables.iter().any(|t| t.has(id)) {
            return None;
        }
        tables
            .iter()
            .find_map(|t| t.id_for_url(uri))
            .map(str::to_owned)
    }

    /// Reports an input that could not be read and is left out; the run goes on.
    fn report_problem(&mut self, shown: &str, problem: ReadProblem) {
        self.skip(shown, problem.line(), problem);
    }

    /// Reports an input left out, and why.
    fn skip(&mut self, shown: &str, line: Option<usize>, why: impl std::fmt::Display) {
        self.report(shown, line, format!("{why}; skipped"));
    }

    /// Notes an id met, for the metadata tables that will ask which ids were (a folder's table is
    /// loaded before its files are read): where there is none, the ids are not kept twice more
    /// beside `first_place`, which an archive of millions would feel.
    fn note_id(&mut self, id: &str, folder: Option<&Path>) {
        if self.explicit_meta.is_some() {
            self.ids_anywhere.insert(id.to_owned());
        }
        if let Some(folder) = folder {
            if matches!(self.folder_meta.get(folder), Some(Some(_))) {
                self.ids_in_folder
                    .entry(folder.to_path_buf())
                    .or_default()
                    .insert(id.to_owned());
            }
        }
    }

    /// The article, complete (prose, metadata, publication time), unless its id was read before;
    /// `line` or `within` (a WARC record's place) say where in the file it is.
    fn accept(
        &mut self,
        mut article: Article,
        shown: &str,
        line: Option<usize>,
        within: Option<&str>,
        folder: Option<&Path>,
    ) -> Option<Article> {
        article.text = as_prose(std::mem::take(&mut article.text));
        self.note_id(&article.id, folder);
        if let Some(first) = self.first_place.get(&article.id) {
            let message = match within {
                Some(within) => format!("{within}: {}", duplicate_id(&article.id, first)),
                None => duplicate_id(&article.id, first),
            };
            // Held until the end of a JSONL or WARC file; `held` is empty otherwise.
            let d = diagnostic(shown, line, message);
            if line.is_some() || within.is_some() {
                self.held.push(d);
            } else {
                self.diagnostics.push(d);
            }
            return None;
        }
        let place = match (line, within) {
            (Some(line), _) => format!("{shown}:{line}"),
            (None, Some(within)) => format!("{shown} ({within})"),
            (None, None) => shown.to_owned(),
        };
        self.first_place.insert(article.id.clone(), place);
        let from_folder = folder
            .and_then(|f| self.folder_meta.get_mut(f))
            .and_then(Option::as_mut)
            .and_then(|t| t.take_use(&article.id));
        let from_explicit = self
            .explicit_meta
            .as_mut()
            .and_then(|t| t.take_use(&article.id));
        for (meta, shown, line) in from_folder.into_iter().chain(from_explicit) {
            apply(&mut article, &meta, &shown, line, &mut self.late);
        }
        article.resolve_published();
        Some(article)
    }

    /// Loads a metadata file, reporting its bad lines.
    fn load_meta_table(&mut self, path: &Path, shown: &str) -> Option<MetaTable> {
        match files::open_jsonl(path) {
            Ok(mut reader) => Some(super::jsonl::read_meta(
                &mut reader,
                shown,
                &mut self.diagnostics,
            )),
            Err(problem) => {
                self.report_problem(shown, problem);
                None
            }
        }
    }

    /// Loads the `meta.jsonl` of a folder once: `key` is its canonical path,
    /// `dir` the path as the user would recognise it.
    fn load_folder_meta(&mut self, key: &Path, dir: &Path) {
        if self.folder_meta.contains_key(key) {
            return;
        }
        let path = files::META_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file());
        let table = path.and_then(|path| {
            let shown = path.display().to_string();
            self.load_meta_table(&path, &shown)
        });
        self.folder_meta.insert(key.to_path_buf(), table);
    }

    /// The diagnostics of the run: those of reading, then those of metadata.
    fn finish(mut self) -> Vec<Diagnostic> {
        self.diagnostics.append(&mut self.late);
        // Metadata that names no article read: likely a typo in an id.
        let mut folders: Vec<_> = self.folder_meta.iter().collect();
        folders.sort_by(|a, b| a.0.cmp(b.0));
        let empty = HashSet::new();
        for (folder, table) in folders {
            if !self.walked.contains(folder) {
                // Only some files of it were named: its other entries are expected to go unused.
                continue;
            }
            if let Some(table) = table {
                let known = self.ids_in_folder.get(folder).unwrap_or(&empty);
                if let Some(d) = table.unmatched(known, "in its folder") {
                    self.diagnostics.push(d);
                }
            }
        }
        if let Some(table) = &self.explicit_meta {
            if let Some(d) = table.unmatched(&self.ids_anywhere, "among the inputs") {
                self.diagnostics.push(d);
            }
        }
        self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::InputStream;

    #[test]
    fn a_file_is_held_a_batch_at_a_time() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let file = tmp.path().join("many.jsonl");
        let mut text = String::new();
        for i in 0..20_000 {
            writeln!(text, "{{\"id\":\"a{i}\",\"text\":\"Article {i}.\"}}").expect("a string");
        }
        std::fs::write(&file, text).expect("written");
        let mut stdin = std::io::empty();
        let mut stream = InputStream::new(&[file], None, &mut stdin);
        assert_eq!(stream.next().map(|a| a.id).as_deref(), Some("a0"));
        // One parse batch of the file is waiting, not the file.
        assert!(stream.ready.len() < 4096, "{} held", stream.ready.len());
        assert_eq!(stream.count(), 19_999);
    }
}
