#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, JOBS at a time
# (default 2), from a seed corpus made of the project's own test texts:
# the seeds, the gold files, the ontology's Turtle, JSON Lines and HTTP
# requests written here. Needs nightly Rust and cargo-fuzz:
#
#   rustup toolchain install nightly && cargo +nightly install cargo-fuzz
#   fuzz/run.sh [SECONDS] [JOBS]
#
# Prints, per target, the runs made and the crashes found (artifacts in
# fuzz/artifacts/TARGET/); exits 1 if any target crashed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
jobs="${2:-2}"
root=".."
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus"/{extract_text,ontology_turtle,jsonl_stream,http_request,gold_json,re3d_json}
cp "$root"/seeds/* "$corpus/extract_text/"
printf 'The Kadhimi government and the Kadhimi government, Hezbollah said that it would support NATO.' > "$corpus/extract_text/attribution"
printf 'Rebels fled from Aleppo to al-Hillah and Al-Raqqa province. More fighters came later.' > "$corpus/extract_text/places"
cp "$root"/ontology/*.ttl "$corpus/ontology_turtle/"
python3 - "$root/seeds" "$corpus/jsonl_stream/seeds.jsonl" <<'PY'
import json, os, sys
with open(sys.argv[2], "w") as out:
    for name in sorted(os.listdir(sys.argv[1])):
        text = open(os.path.join(sys.argv[1], name), encoding="utf-8").read()
        out.write(json.dumps({"id": name, "text": text[:2000]}) + "\n")
PY
printf 'GET /sparql?query=SELECT%%20*%%20WHERE%%20%%7B%%3Fs%%20%%3Fp%%20%%3Fo%%7D HTTP/1.1\r\nHost: 127.0.0.1:7878\r\nAccept: application/sparql-results+json;q=0.9, text/csv\r\n\r\n' > "$corpus/http_request/get"
printf 'POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: 14\r\n\r\nASK { ?s ?p ?o }' > "$corpus/http_request/post"
cp "$root"/tests/gold/seeds/*.json "$corpus/gold_json/"
printf '{"_id":"d1","text":"Iran supports Hezbollah."}\0{"_id":"e1","documentId":"d1","begin":0,"end":4,"type":"Location","value":"Iran","confidence":1}\0{"_id":"r1","documentId":"d1","type":"AlliesOf","source":"e1","target":"e1","confidence":1}' > "$corpus/re3d_json/one"
cargo +nightly fuzz build --release >/dev/null
status=0
run() {
  local target="$1" log
  log="$(mktemp)"
  if cargo +nightly fuzz run --release "$target" "$corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 >"$log" 2>&1; then
    echo "$target: $(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#') runs in ${seconds} s, 0 crashes"
  else
    echo "$target: CRASH (see fuzz/artifacts/$target/)"; tail -30 "$log"; return 1
  fi
}
targets=(extract_text jsonl_stream ontology_turtle http_request gold_json re3d_json)
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  pids=()
  for t in "${targets[@]:i:jobs}"; do
    run "$t" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
done
exit $status
