#!/usr/bin/env bash
# The Spark example's test: a corpus of ~300 documents built once by
# `stratagraph build` and once by stratagraph_spark.py on a two-executor
# local-cluster must give the same graph.nq, graph.ttl and candidates.tsv,
# byte for byte. Run twice: the folder of texts (--texts), and JSON Lines.
# Needs the built binary, Java 17+ and pyspark (pip). Exit 1 on a difference.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${STRATAGRAPH_BIN:-${CARGO_TARGET_DIR:-/var/cache/stratagraph/target}/release/stratagraph}"
ontology="$root/ontology"
master='local-cluster[2,1,1024]'
partitions=7

[ -x "$bin" ] || { echo "check.sh: no binary at $bin (cargo build --release)" >&2; exit 2; }
java -version >/dev/null 2>&1 || { echo "check.sh: Java 17+ is needed" >&2; exit 2; }
pyspark_dir="$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')" ||
  { echo "check.sh: pyspark is needed (python3 -m pip install pyspark)" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# One snapshot of the binary and the ontology for every run below, so that a
# rebuild or an ontology edit during the check cannot make them differ.
ln "$bin" "$tmp/stratagraph" 2>/dev/null || cp "$bin" "$tmp/stratagraph"
cp -R "$root/ontology" "$tmp/ontology"
bin="$tmp/stratagraph" ontology="$tmp/ontology"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# The corpus: copies of the seeds under distinct names in a few folders and
# short generated texts (plain/, also written as JSON Lines in 3 files),
# then cases where a reader of files could differ from `build`: a Markdown
# file, an upper-case extension, a name with a space and an accent, CRLF
# lines, a byte-order mark, an empty file, a hidden file, a file that is not
# UTF-8 (skipped), a file not read (.csv), a folder reached through a link.
python3 - "$root/seeds" "$tmp" <<'PY'
import json, os, sys
seeds, tmp = sys.argv[1], sys.argv[2]
docs = {}
names = sorted(f for f in os.listdir(seeds) if f.endswith(".txt"))
folders = ["reports/2019", "reports/2020", "briefs", "archive/old/deep"]
for i in range(275):
    seed = names[i % len(names)]
    with open(os.path.join(seeds, seed), "rb") as f:
        text = f.read().decode("utf-8")
    docs[f"{folders[i % len(folders)]}/{i:03d}-{seed}"] = text
actors = ["NATO", "the Iraqi Security Forces", "Iran", "Hezbollah", "the United States",
          "ISIS", "Turkey", "the Kurdistan Regional Government", "Russia", "the European Union"]
verbs = ["trains", "supports", "attacks", "cooperates with", "opposes"]
places = ["Iraq", "Syria", "Baghdad", "Mosul", "Lebanon"]
for i in range(20):
    a, b = actors[i % len(actors)], actors[(3 * i + 1) % len(actors)]
    text = (f"{a[0].upper() + a[1:]} {verbs[i % len(verbs)]} {b} in {places[i % len(places)]}.\n"
            f"In {2000 + i}, {b} operated in {places[(i + 2) % len(places)]}.\n")
    docs[f"generated/note-{i:02d}.txt"] = text
for rel, text in docs.items():
    path = os.path.join(tmp, "corpus", "plain", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
os.makedirs(os.path.join(tmp, "jsonl"))
for k in range(3):
    with open(os.path.join(tmp, "jsonl", f"docs-{k}.jsonl"), "w", encoding="utf-8") as f:
        for j, (rel, text) in enumerate(sorted(docs.items())):
            if j % 3 == k:
                f.write(json.dumps({"id": rel, "text": text}) + "\n")
odd = {
    "notes/Überblick 1.md": "# Overview\n\nNATO trains the Iraqi Security Forces in Baghdad.\n".encode(),
    "CAPS/REPORT.TXT": b"Iran supports Hezbollah in Lebanon.\n",
    "notes/crlf.txt": b"Turkey opposes the Kurdistan Regional Government.\r\nRussia supports Syria.\r\n",
    "notes/bom.txt": b"\xef\xbb\xbfThe United States attacks ISIS in Mosul.\n",
    "notes/empty.txt": b"",
    "notes/.hidden.txt": b"The European Union supports Iraq.\n",
    "notes/broken.txt": b"Iran \xff supports Hezbollah.\n",
    "notes/table.csv": b"NATO,trains,Iraq\n",
}
for rel, data in odd.items():
    path = os.path.join(tmp, "corpus", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
os.symlink(os.path.join(tmp, "corpus", "plain", "briefs"), os.path.join(tmp, "corpus", "linked"))
print(f"corpus: {len(docs)} texts in plain/ (and as JSON Lines), {len(odd)} odd files, a folder link")
PY

# Single builds: the whole folder (one file is not UTF-8: exit 1), and plain/
# alone, which is what the JSON Lines hold.
build() { # OUT DIR EXPECTED-STATUS
  local t rc=0
  t="$(now)"
  "$bin" build "$2" --out "$1" --ontology-dir "$ontology" -q 2>"$1.log" || rc=$?
  if [ "$rc" != "$3" ]; then
    cat "$1.log" >&2
    echo "check.sh: stratagraph build $2 exited $rc, not $3" >&2
    exit 1
  fi
  echo "single build of $2: $(since "$t")"
}
build "$tmp/single-all" "$tmp/corpus" 1
build "$tmp/single-plain" "$tmp/corpus/plain" 0

# Spark from the pip package. A local-cluster's workers keep their
# executors' folders (with a copy of every shipped file) in $SPARK_HOME/work:
# a SPARK_HOME of links in $tmp keeps them out of site-packages.
mkdir "$tmp/spark-home" "$tmp/spark-local"
ln -s "$pyspark_dir/bin" "$pyspark_dir/jars" "$tmp/spark-home/"
export SPARK_HOME="$tmp/spark-home" SPARK_LOCAL_DIRS="$tmp/spark-local" SPARK_LOCAL_IP=127.0.0.1
PYSPARK_PYTHON="$(command -v python3)"
export PYSPARK_PYTHON PYSPARK_DRIVER_PYTHON="$PYSPARK_PYTHON"
echo "pyspark $(python3 -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)"

failed=0
spark() { # NAME EXPECTED-STATUS REFERENCE ARGS...
  local name="$1" want="$2" ref="$3" t rc=0 app f
  shift 3
  t="$(now)"
  "$SPARK_HOME/bin/spark-submit" --master "$master" "$here/stratagraph_spark.py" "$@" \
    "$tmp/out-$name" --partitions "$partitions" --binary "$bin" --ontology-dir "$ontology" \
    >"$tmp/$name.log" 2>&1 || rc=$?
  grep '^stratagraph_spark:' "$tmp/$name.log" | sed 's/^/  /' || true
  app="$(sed -n 's/^stratagraph_spark: master .*, application //p' "$tmp/$name.log")"
  if [ "$rc" != "$want" ] || ! grep -qF "stratagraph_spark: master $master," "$tmp/$name.log"; then
    tail -n 60 "$tmp/$name.log" >&2
    for f in "$SPARK_HOME"/work/"$app"/*/stderr; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
    echo "check.sh: Spark job $name exited $rc, not $want" >&2
    exit 1
  fi
  # Both executors of the local cluster ran tasks: each fetched the binary.
  for e in 0 1; do
    [ -f "$SPARK_HOME/work/$app/$e/$(basename "$bin")" ] ||
      { echo "check.sh: executor $e of $app ran no task" >&2; exit 1; }
  done
  echo "Spark job $name ($master, $partitions partitions, $(ls "$tmp/out-$name/parts" | grep -c '^part-') parts): $(since "$t")"
  for f in graph.nq graph.ttl candidates.tsv; do
    if cmp "$ref/$f" "$tmp/out-$name/$f" >&2; then
      echo "  $f: identical ($(wc -c <"$ref/$f") bytes, sha256 $(sha256sum "$ref/$f" | cut -c1-16))"
    else
      failed=1
      echo "  $f DIFFERS from the single build:" >&2
      diff <(sort "$ref/$f") <(sort "$tmp/out-$name/$f") | head -n 20 >&2 || true
    fi
  done
  rm -rf "$SPARK_HOME/work/$app"
}
spark texts 1 "$tmp/single-all" --texts "$tmp/corpus"
spark jsonl 0 "$tmp/single-plain" "$tmp/jsonl"

if [ "$failed" != 0 ]; then
  echo "check.sh: the Spark outputs differ from the single builds" >&2
  exit 1
fi
echo "check.sh: Spark outputs identical to the single builds"
