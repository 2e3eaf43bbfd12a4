//! Reading inputs: files, folders, JSONL and metadata, with one clear diagnostic per bad input.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use stemma_graph::corpus::{Article, Metadata};

/// A problem with one input, naming the file and, where it applies, the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The path as the user named it (`-` for standard input).
    pub path: String,
    /// 1-based line, for line-oriented inputs.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What was read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Articles, sorted by id.
    pub articles: Vec<Article>,
    /// Problems met on the way; reading went on.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Deserialize)]
struct JsonArticle {
    id: String,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
}

fn diag(path: &Path, line: Option<usize>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Reads a file as UTF-8 text, refusing binary and invalid files.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        _ => format!("cannot read: {e}"),
    })?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes), skipped".into());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}), skipped",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

fn is_folder_documentation(path: &Path) -> bool {
    let stem = id_of(path).to_ascii_uppercase();
    matches!(
        stem.as_str(),
        "README" | "LICENSE" | "LICENCE" | "CHANGELOG"
    )
}

fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

struct Reader {
    articles: BTreeMap<String, (Article, String)>,
    metadata: Vec<(PathBuf, usize, Metadata)>,
    diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn add(&mut self, article: Article, origin: String, path: &Path, line: Option<usize>) {
        if article.text.trim().is_empty() {
            self.diagnostics
                .push(diag(path, line, "empty text, skipped"));
            return;
        }
        if let Some((_, first)) = self.articles.get(&article.id) {
            let message = format!(
                "duplicate id {:?} (first read from {first}), skipped",
                article.id
            );
            self.diagnostics.push(diag(path, line, message));
            return;
        }
        self.articles.insert(article.id.clone(), (article, origin));
    }

    fn read_jsonl(&mut self, path: &Path, text: &str) {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_no = n + 1;
            match serde_json::from_str::<JsonArticle>(line) {
                Ok(j) => {
                    let mut article = Article::new(j.id, j.text);
                    let meta = Metadata {
                        id: article.id.clone(),
                        title: j.title,
                        publisher: j.publisher,
                        url: j.url,
                        published: j.published,
                    };
                    if let Err(e) = article.apply_metadata(&meta) {
                        self.diagnostics
                            .push(diag(path, Some(line_no), format!("{e}")));
                    }
                    let origin = format!("{}:{line_no}", path.display());
                    self.add(article, origin, path, Some(line_no));
                }
                Err(e) => self.diagnostics.push(diag(
                    path,
                    Some(line_no),
                    format!("not a valid article: {e}"),
                )),
            }
        }
    }

    fn read_meta(&mut self, path: &Path) {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => {
                self.diagnostics.push(diag(path, None, e));
                return;
            }
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Metadata>(line) {
                Ok(m) => self.metadata.push((path.to_path_buf(), n + 1, m)),
                Err(e) => self.diagnostics.push(diag(
                    path,
                    Some(n + 1),
                    format!("not valid metadata: {e}"),
                )),
            }
        }
    }

    fn read_file(&mut self, path: &Path) {
        match read_text(path) {
            Ok(text) => {
                if path.extension().is_some_and(|e| e == "jsonl") {
                    self.read_jsonl(path, &text);
                } else {
                    let origin = path.display().to_string();
                    self.add(Article::new(id_of(path), text), origin, path, None);
                }
            }
            Err(e) => self.diagnostics.push(diag(path, None, e)),
        }
    }

    fn read_folder(&mut self, dir: &Path) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                self.diagnostics
                    .push(diag(dir, None, format!("cannot read folder: {e}")));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                self.read_folder(&entry);
            } else if entry.file_name().is_some_and(|n| n == "meta.jsonl") {
                self.read_meta(&entry);
            } else if is_folder_documentation(&entry) {
                // A folder's README or LICENSE describes the corpus; it is not an article.
                continue;
            } else if entry.file_name().is_some_and(|n| n == "meta.jsonl") {
                self.read_meta(&entry);
            } else if entry
                .extension()
                .is_some_and(|e| e == "txt" || e == "md" || e == "jsonl")
            {
                self.read_file(&entry);
            }
        }
    }
}

/// Reads every input, collecting articles and diagnostics; a bad input never stops the others.
pub fn load_inputs(paths: &[PathBuf], meta: Option<&Path>, stdin: &mut dyn Read) -> Loaded {
    let mut reader = Reader {
        articles: BTreeMap::new(),
        metadata: Vec::new(),
        diagnostics: Vec::new(),
    };
    for path in paths {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            match stdin.read_to_string(&mut text) {
                Ok(_) => reader.read_jsonl(Path::new("-"), &text),
                Err(e) => {
                    reader
                        .diagnostics
                        .push(diag(Path::new("-"), None, format!("cannot read: {e}")))
                }
            }
        } else if path.is_dir() {
            reader.read_folder(path);
        } else {
            reader.read_file(path);
        }
    }
    if let Some(meta) = meta {
        reader.read_meta(meta);
    }
    let metadata = std::mem::take(&mut reader.metadata);
    for (path, line, m) in metadata {
        if let Some((article, _)) = reader.articles.get_mut(&m.id) {
            if let Err(e) = article.apply_metadata(&m) {
                reader
                    .diagnostics
                    .push(diag(&path, Some(line), format!("{e}")));
            }
        }
    }
    let mut articles: Vec<Article> = reader.articles.into_values().map(|(a, _)| a).collect();
    for a in &mut articles {
        a.resolve_published();
    }
    Loaded {
        articles,
        diagnostics: reader.diagnostics,
    }
}
