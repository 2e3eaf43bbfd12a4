//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The shared seed corpus beside the repository.
/// The demo corpus at the workspace root.
pub const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

/// The demo corpus's articles, by id.
pub const EXAMPLE_IDS: [&str; 6] = [
    "independent",
    "partial",
    "second_generation",
    "spun",
    "syndicated",
    "wire",
];

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");

/// The `stemma` binary with a colour-free environment and the default thread count.
pub fn stemma() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stemma"));
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("RAYON_NUM_THREADS");
    cmd
}

/// The seed folder; fails the test when the shared data is not there.
pub fn seeds() -> PathBuf {
    let dir = Path::new(SEEDS);
    assert!(
        dir.is_dir(),
        "../shared/seeds not found: this test needs the shared data beside the repository \
         (looked in {})",
        dir.display()
    );
    dir.to_path_buf()
}

/// A file of the demo corpus.
pub fn example(name: &str) -> PathBuf {
    Path::new(EXAMPLES).join(name)
}

/// The text of the demo corpus's article `id`.
pub fn example_text(id: &str) -> String {
    std::fs::read_to_string(example(&format!("{id}.txt"))).expect("reading an example")
}

/// A run's standard error (lossy: it may name files that are not UTF-8).
pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A run's standard output, which must be UTF-8.
pub fn stdout_of(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Checks that a run succeeded and returns its standard output.
pub fn succeeded(output: &Output, what: &str) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{what}: {:?}\n{}",
        output.status,
        stderr_of(output)
    );
    stdout_of(output)
}
