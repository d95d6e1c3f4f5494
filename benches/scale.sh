#!/usr/bin/env bash
# Whole-build benchmark: x1, x10, x100 and x1000 copies of the seeds (each
# copy its own file names), built to Turtle and N-Quads. Prints, per size,
# the input MB, wall-clock seconds, MB/s, peak memory and seconds per MB,
# as a Markdown table for the README.
#
#   benches/scale.sh [SIZES...]      (default: 1 10 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1 10 100 1000}")
read -r -a sizes <<<"${sizes[*]}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/stratagraph"
[ -x "$bin" ] || bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/stratagraph"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "| copies | input MB | documents | seconds | MB/s | peak memory MB | s per MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  corpus="$work/x$n"
  mkdir -p "$corpus"
  for i in $(seq -w 1 "$n"); do
    for f in seeds/*; do
      base="$(basename "$f")"
      cp "$f" "$corpus/${base%.*}_$i.${base##*.}"
    done
  done
  summary="$("$bin" build "$corpus" --out "$work/out$n" 2>&1 >/dev/null | tail -1)"
  # "N quads in S s (R MB/s), peak memory M MB"
  python3 - "$n" "$corpus" "$summary" <<'PY'
import os, re, sys
n, corpus, summary = sys.argv[1], sys.argv[2], sys.argv[3]
size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus)) / 1e6
docs = len(os.listdir(corpus))
m = re.search(r"in ([0-9.]+) s \(([0-9.]+) MB/s\), peak memory ([0-9]+) MB", summary)
secs, rate, peak = float(m.group(1)), float(m.group(2)), int(m.group(3))
print(f"| {n} | {size:.1f} | {docs} | {secs:.2f} | {rate:.1f} | {peak} | {secs / size:.3f} |")
PY
  rm -rf "$corpus" "$work/out$n"
done
