#!/usr/bin/env bash
# Query benchmark: the seeds copied N times (default 1000: 5,000 documents,
# each copy its own file names) built into an on-disk store, then every
# example query of examples/queries run RUNS times (default 3) with
# `stratagraph query --store`, the whole process timed (start, store open,
# query, CSV out). Prints the store's quads and size, then a Markdown table
# of each query's median and slowest time and its number of rows. The
# store is the build's kind: FEATURES=rocksdb for RocksDB (the README's
# figures), N-Quads files read into memory without.
#
#   [RUNS=3] [FEATURES=rocksdb] benches/queries.sh [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
. benches/common.sh
build_binary
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="$work/x$n"
copy_seeds "$n" "$corpus"
start=$(date +%s.%N)
"$bin" build "$corpus" --out "$work/out" --format nquads --store "$work/store" -q
end=$(date +%s.%N)
quads=$(wc -l <"$work/out/graph.nq")
echo "x$n: $(ls "$corpus" | wc -l) documents, $quads quads, store $(du -sm "$work/store" | cut -f1) MB, build with --store $(python3 -c "print(f'{$end - $start:.1f}')") s"
echo
echo "| query | rows | median s | slowest s |"
echo "|---|---:|---:|---:|"
for q in examples/queries/*.rq; do
  times=()
  rows=0
  for _ in $(seq "${RUNS:-3}"); do
    s=$(date +%s.%N)
    rows=$("$bin" query --store "$work/store" --file "$q" --results csv --timeout 600 | tail -n +2 | wc -l)
    e=$(date +%s.%N)
    times+=("$(python3 -c "print($e - $s)")")
  done
  python3 - "$(basename "$q")" "$rows" "${times[@]}" <<'PY'
import statistics, sys
name, rows, times = sys.argv[1], sys.argv[2], [float(t) for t in sys.argv[3:]]
print(f"| {name} | {rows} | {statistics.median(times):.2f} | {max(times):.2f} |")
PY
done
