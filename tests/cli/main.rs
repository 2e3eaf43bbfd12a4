//! End-to-end tests of the `stemma` binary.
#[test]
fn binary_exists() {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_stemma"))
        .assert()
        .success();
}
