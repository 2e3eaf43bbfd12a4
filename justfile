# Convenience recipes; each is a plain cargo command that works without `just`.

# Run stemma on the demo corpus.
demo:
    cargo run --release -- diff examples/wire.txt examples/spun.txt

# The test suite (what CI runs after fmt and clippy).
test:
    cargo test --workspace

# Everything CI checks.
ci:
    bash .ci/run

# Quality on the labelled benchmarks in ../shared.
eval:
    cargo run --release -- measure mrpc ../shared/benchmarks/mrpc
    cargo run --release -- measure clough ../shared/benchmarks/clough-stevenson

# Speed benchmarks (criterion).
bench:
    cargo bench -p stemma-align
