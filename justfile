# Convenience recipes; each is a plain cargo command that works without `just`.

# Run stemma on the demo corpus.
demo:
    cargo run --release -- analyze examples/

# The HTML report of the demo corpus (open target/report.html in a browser).
report:
    cargo run --release -- analyze examples/ --format html -o target/report.html

# The HTML report in headless Chromium (needs Debian's chromium and Node; see docs/report.md).
browser:
    cargo build
    cd tests/browser && npm ci && node --test report.test.mjs

# The test suite (what CI runs after fmt and clippy).
test:
    cargo test --workspace

# The test suite with the tests that need ../shared (what CI runs).
test-all:
    cargo test --workspace -- --include-ignored

# The Python package installed into target/python-venv, then its tests (crates/python/README.md).
python:
    python3 -m venv target/python-venv
    target/python-venv/bin/pip install ./crates/python pytest
    target/python-venv/bin/pytest crates/python/tests -q

# Everything CI checks.
ci:
    bash .ci/run

# Every quality number in one table (docs/quality.md): seeds, demo corpus, Clough–Stevenson, MRPC.
eval:
    cargo run --release -- measure all --shared ../shared

# Speed benchmarks: the criterion micro-benchmarks, then the scale benchmark at 1k, 10k and 100k
# articles with the brute-force comparison on 2k (docs/performance.md; takes a while).
bench:
    cargo bench -p stemma-align
    cargo run --release -- bench run

# The scale benchmark at 1k and 10k articles only (with the brute-force comparison on 2k).
bench-quick:
    cargo run --release -- bench run --docs 1000,10000
