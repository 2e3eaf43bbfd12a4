#!/usr/bin/env bash
# Soak test (not in CI; docs/reliability.md): RUNS analyses of one generated corpus of DOCS articles,
# each with the corpus's lines in a different random order and a different thread count. Every run
# must write the same JSON report, byte for byte, and no run may need more memory than the first run
# with the same thread count by more than a tenth (a thread's heap is its own, so the thread count
# moves the peak). Prints one line per run: threads, seconds, peak RSS, report hash.
#
#   tools/soak.sh [DOCS=100000] [RUNS=10] [WORK=/tmp/stemma-soak]
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-100000}"
runs="${2:-10}"
work="${3:-/tmp/stemma-soak}"
mkdir -p "$work"
cargo build --release --locked --quiet
stemma="$PWD/target/release/stemma"
[ -f "$work/corpus.jsonl" ] || "$stemma" bench generate --docs "$docs" --seed 1 --out "$work" >/dev/null
first_hash=""
declare -A first_rss
failed=0
for run in $(seq 1 "$runs"); do
  threads=$(((run - 1) % "$(nproc)" + 1))
  shuf --random-source=<(yes "$run") "$work/corpus.jsonl" >"$work/shuffled.jsonl"
  start=$(date +%s%N)
  RAYON_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$work/rss" \
    "$stemma" analyze "$work/shuffled.jsonl" --format json -o "$work/report.json"
  millis=$((($(date +%s%N) - start) / 1000000))
  rss=$(cat "$work/rss")
  hash=$(sha256sum "$work/report.json" | cut -c1-16)
  printf 'run %2d: %d threads, %6d ms, peak RSS %7d KiB, report %s\n' "$run" "$threads" "$millis" "$rss" "$hash"
  if [ -z "$first_hash" ]; then
    first_hash=$hash
  fi
  [ "$hash" = "$first_hash" ] || { echo "  report differs from run 1"; failed=1; }
  if [ -z "${first_rss[$threads]:-}" ]; then
    first_rss[$threads]=$rss
  fi
  [ "$rss" -le $((first_rss[$threads] * 11 / 10)) ] ||
    { echo "  memory grew by more than a tenth over the first run with $threads threads"; failed=1; }
done
exit "$failed"
