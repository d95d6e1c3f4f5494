#!/usr/bin/env bash
# Load test of the SPARQL endpoint (see benches/load.py): the seeds x10 in
# a store, `serve --timeout 2`, CONNECTIONS concurrent clients (default
# 1000) for SECONDS (default 30). Exit 1 if any answer is other than 200
# or 503.
#
#   [FEATURES=rocksdb] benches/load.sh [CONNECTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
build_binary
work="$(mktemp -d)"
copy_seeds 10 "$work/corpus"
"$bin" build "$work/corpus" --out "$work/out" --store "$work/store" -q
ulimit -n 4096 2>/dev/null || true
"$bin" serve --store "$work/store" --bind 127.0.0.1:0 --timeout 2 -q > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
port=""
for _ in $(seq 100); do
  port="$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1 | cut -d: -f2 || true)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; exit 2; }
python3 benches/load.py "$port" "$server" "${1:-1000}" "${2:-30}"
