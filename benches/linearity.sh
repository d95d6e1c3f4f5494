#!/usr/bin/env bash
# One document growing from 1 MB to 64 MB (the seeds' text repeated into a
# single file, paragraphs kept): does build time grow linearly with the
# size of one document? Also a 1 MB line with no full stop at all (read in
# bounded pieces). Prints a Markdown table: MB, seconds, MB/s, peak
# memory, seconds per MB, quads, for the README's limits section.
#
#   benches/linearity.sh [SIZES_MB...]      (default: 1 2 4 8 16 32 64)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1 2 4 8 16 32 64}")
read -r -a sizes <<<"${sizes[*]}"
. benches/common.sh
build_binary
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat seeds/* > "$work/unit.txt"
echo "| document | MB | seconds | MB/s | peak memory MB | s per MB | quads |"
echo "|---|---:|---:|---:|---:|---:|---:|"
run() {
  local label="$1" file="$2"
  rm -rf "$work/out"
  local summary
  summary="$("$bin" build "$file" --out "$work/out" -f nquads 2>&1 >/dev/null | tail -1)"
  python3 - "$label" "$file" "$summary" <<'PY'
import os, re, sys
label, path, summary = sys.argv[1], sys.argv[2], sys.argv[3]
m = re.search(r"([\d,]+) quads in ([\d.]+) s .*peak memory (\d+) MB", summary)
if not m:
    sys.exit(f"unexpected summary: {summary}")
quads, secs, peak = int(m.group(1).replace(",", "")), float(m.group(2)), int(m.group(3))
mb = os.path.getsize(path) / 1e6
print(f"| {label} | {mb:.1f} | {secs:.2f} | {mb / secs:.2f} | {peak} | {secs / mb:.3f} | {quads:,} |")
PY
}
for n in "${sizes[@]}"; do
  file="$work/one-$n.txt"
  python3 - "$work/unit.txt" "$file" "$n" <<'PY'
import sys
unit, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(unit, encoding="utf-8").read()
target = mb * 1_000_000
with open(out, "w", encoding="utf-8") as f:
    written = 0
    while written < target:
        f.write(text)
        f.write("\n\n")
        written += len(text.encode("utf-8")) + 2
PY
  run "seeds repeated" "$file"
done
# A 1 MB line of words with no punctuation.
python3 - "$work/line.txt" <<'PY'
import sys
words = ["Iran", "supports", "the", "militias", "and", "NATO", "trains", "Iraqi", "forces", "in", "Baghdad"]
out, n, i = [], 0, 0
while n < 1_000_000:
    w = words[i % len(words)]
    out.append(w)
    n += len(w) + 1
    i += 1
open(sys.argv[1], "w").write(" ".join(out) + "\n")
PY
run "1 MB line, no full stop" "$work/line.txt"
