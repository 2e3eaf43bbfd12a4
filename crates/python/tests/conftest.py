"""Shared helpers: the demo corpus read as stemma reads it, and the stemma binary for comparisons."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def read_text(path):
    """A file's text as stemma reads it: UTF-8, a byte-order mark dropped, line ends kept."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.read()


def demo_meta():
    """`examples/meta.jsonl` by id."""
    lines = read_text(EXAMPLES / "meta.jsonl").splitlines()
    return {entry["id"]: entry for entry in map(json.loads, filter(str.strip, lines))}


def demo_articles():
    """The demo corpus (`examples/*.txt` with `examples/meta.jsonl`) as article dicts."""
    meta = demo_meta()
    articles = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        article = {"id": path.stem, "text": read_text(path)}
        article.update({k: v for k, v in meta.get(path.stem, {}).items() if k != "id"})
        articles.append(article)
    return articles


def demo_text(name):
    """The text of `examples/{name}.txt`."""
    return read_text(EXAMPLES / f"{name}.txt")


@pytest.fixture(scope="session")
def stemma_bin():
    """The `stemma` binary: `$STEMMA_BIN`, else `target/release/stemma`, else
    `target/debug/stemma`; the comparisons with the CLI are skipped when none is built."""
    named = os.environ.get("STEMMA_BIN")
    if named:
        if not os.access(named, os.X_OK):
            pytest.fail(f"STEMMA_BIN={named} is not an executable file")
        return named
    for build in ("release", "debug"):
        path = ROOT / "target" / build / "stemma"
        if os.access(path, os.X_OK):
            return str(path)
    pytest.skip(
        "no stemma binary to compare with: set STEMMA_BIN, or build one with "
        "`cargo build --release` (target/release/stemma) or `cargo build` (target/debug/stemma)"
    )


def run_json(binary, *args):
    """The JSON a stemma command writes to standard output (the command must succeed)."""
    done = subprocess.run(
        [binary, *map(str, args)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, f"stemma {' '.join(map(str, args))} failed:\n{done.stderr}"
    return json.loads(done.stdout)
