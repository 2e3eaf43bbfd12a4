//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};

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
