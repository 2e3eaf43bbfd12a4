//! An interrupted run (SIGINT, SIGTERM, SIGHUP) removes the temporary file of a report it was
//! writing: a half-written report would otherwise stay behind, hidden, as large as the report.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files to remove if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit status of a run ended by a signal (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

/// Installs the handler; a run goes on without it if the platform refuses.
#[allow(clippy::print_stderr)]
pub fn install() {
    let installed = ctrlc::set_handler(|| {
        let pending = match PENDING.lock() {
            Ok(pending) => pending,
            Err(poisoned) => poisoned.into_inner(),
        };
        for path in pending.iter() {
            let _ = std::fs::remove_file(path);
        }
        eprintln!("stemma: interrupted");
        std::process::exit(INTERRUPTED);
    });
    if let Err(e) = installed {
        eprintln!("stemma: note: cannot clean up on interruption: {e}");
    }
}

/// A temporary file removed if the run is interrupted while this guard lives.
pub struct Pending(PathBuf);

impl Pending {
    /// Registers `path`.
    pub fn register(path: &Path) -> Pending {
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        pending.push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|p| p != &self.0);
    }
}
