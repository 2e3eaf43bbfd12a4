//! Reading one article from a file, with clear errors.

use std::path::Path;

use anyhow::{Result, bail};

/// Reads a text file, refusing missing, binary, non-UTF-8 and empty files with a message naming it.
pub fn read_article(path: &Path) -> Result<String> {
    let shown = path.display();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!("{shown}: no such file"),
        Err(e) => bail!("{shown}: cannot read: {e}"),
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        bail!("{shown}: binary file (contains NUL bytes), not text");
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => bail!(
            "{shown}: not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty() {
        bail!("{shown}: empty file, nothing to compare");
    }
    Ok(crate::input::as_prose(text))
}

/// The article id of a file: its name without the extension.
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
