#!/usr/bin/env bash
# Whole-build benchmark: x1, x10, x100 and x1000 copies of the seeds (each
# copy its own file names), built to Turtle and N-Quads. Prints, per size,
# the input MB, wall-clock seconds, MB/s, peak memory and seconds per MB,
# as a Markdown table for the README. Each size is built RUNS times (default
# 5) into a fresh directory; the table gives the median time and the
# largest peak memory, since wall-clock time on a shared VM varies by 20%
# and more from run to run.
#
#   [RUNS=5] benches/scale.sh [SIZES...]      (default: 1 10 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1 10 100 1000}")
read -r -a sizes <<<"${sizes[*]}"
. benches/common.sh
build_binary
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "| copies | input MB | documents | seconds | MB/s | peak memory MB | s per MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$work/x$n"
  copy_seeds "$n" "$corpus"
  summaries=()
  for _ in $(seq "${RUNS:-5}"); do
    rm -rf "$work/out$n"
    summaries+=("$("$bin" build "$corpus" --out "$work/out$n" 2>&1 >/dev/null | tail -1)")
  done
  # Each summary: "N quads in S s (R MB/s), peak memory M MB"
  python3 - "$n" "$corpus" "${summaries[@]}" <<'PY'
import os, re, statistics, sys
n, corpus, summaries = sys.argv[1], sys.argv[2], sys.argv[3:]
size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus)) / 1e6
docs = len(os.listdir(corpus))
runs = [re.search(r"in ([0-9.]+) s \(([0-9.]+) MB/s\), peak memory ([0-9]+) MB", s) for s in summaries]
secs = statistics.median(float(m.group(1)) for m in runs)
peak = max(int(m.group(3)) for m in runs)
print(f"| {n} | {size:.1f} | {docs} | {secs:.2f} | {size / secs:.1f} | {peak} | {secs / size:.3f} |")
PY
  rm -rf "$corpus" "$work/out$n"
done
