//! Reading a FIFO or device named on the command line: allowed (`<(zcat corpus.jsonl.gz)` is one),
//! but a read that blocks says so instead of hanging without a word.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long a read may block before the user is told what it waits for.
const WAIT_NOTICE_AFTER: Duration = Duration::from_secs(1);

/// Runs `read`; if it has not finished after [`WAIT_NOTICE_AFTER`] and one of `paths` is neither a
/// regular file nor a folder, names those paths on standard error as what the run waits for.
#[allow(clippy::print_stderr)]
pub fn noting_waits<'p, T>(
    paths: impl IntoIterator<Item = &'p Path>,
    read: impl FnOnce() -> T,
) -> T {
    let special: Vec<String> = paths
        .into_iter()
        .filter(|p| p.as_os_str() != "-")
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()))
        .map(|p| crate::render::one_line(&p.display().to_string()).into_owned())
        .collect();
    if special.is_empty() {
        return read();
    }
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if finished.recv_timeout(WAIT_NOTICE_AFTER) == Err(mpsc::RecvTimeoutError::Timeout) {
                for path in &special {
                    eprintln!(
                        "stemma: waiting for {path}: not a regular file (a FIFO or device); \
                         reading goes on when it is written and closed"
                    );
                }
            }
        });
        let value = read();
        drop(done);
        value
    })
}
