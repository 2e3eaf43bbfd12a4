# Convenience recipes; each is a plain cargo command that works without `just`.

# Run stemma on the demo corpus.
demo:
    cargo run --release -- analyze examples/

# The test suite (what CI runs after fmt and clippy).
test:
    cargo test --workspace

# Everything CI checks.
ci:
    bash .ci/run

# Every quality number in one table (docs/quality.md): seeds, demo corpus, Clough–Stevenson, MRPC.
eval:
    cargo run --release -- measure all --shared ../shared

# Speed benchmarks (criterion).
bench:
    cargo bench -p stemma-align
