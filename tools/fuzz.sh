#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for SECONDS each, default 720: an hour in all over
# the five targets. Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds
# each target's corpus (fuzz/corpus/<target>, not committed) from the demo corpus, the pressroom
# corpus and hostile cases; a crash is saved under fuzz/artifacts/<target>/ and must become a
# regression test (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-720}"
targets=(segment align_pair jsonl html analyze)

seed() {
  local dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    segment | align_pair)
      for f in examples/*.txt tests/data/pressroom/corpus/*.txt; do cp "$f" "$dir/$(basename "$f")"; done
      printf 'यह पहला वाक्य है। यह दूसरा है।' >"$dir/hindi"
      printf '%s' "$(printf 'word %.0s' $(seq 1 400))" >"$dir/no-punctuation"
      printf 'A.\x1b]0;title\x07 B\r\nC\xe2\x80\xa8D\xc2\x85E' >"$dir/controls"
      ;;
    jsonl)
      cp examples/meta.jsonl "$dir/meta"
      printf '{"id":"a","text":"One sentence. Two."}\n{"id":"b","text":"x","published":2999}\n[1,2]\n{"id":"a\\n","text":"y"}\n' >"$dir/mixed"
      ;;
    html)
      printf '<html><head><title>T</title><meta property="article:published_time" content="2023-05-23T10:00:00Z"></head><body><nav>Home | News</nav><article><p>First paragraph of the story.</p><p>Second one.</p></article></body></html>' >"$dir/page"
      printf '%s' "$(printf '<div>%.0s' $(seq 1 300))" >"$dir/deep"
      printf '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-05-23"}</script><p>x</p>' >"$dir/jsonld"
      ;;
    analyze)
      local joined=""
      for f in examples/*.txt; do joined+="$(cat "$f")"$'\x1e'; done
      printf '%s' "$joined" >"$dir/demo"
      ;;
  esac
}

(cd fuzz && cargo +nightly fuzz build -O)
for target in "${targets[@]}"; do
  seed "$target"
  echo "== $target: ${secs}s"
  (cd fuzz && cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done|==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)' || true)
done
