# Shared by the benchmark scripts (sourced from the repository's root):
# the release binary, built first, and the seeds copied N times.

# Builds the release binary (with FEATURES, e.g. FEATURES=rocksdb for
# stores in RocksDB) and sets $bin to it.
build_binary() {
  cargo build --release --quiet ${FEATURES:+--features "$FEATURES"}
  bin="${CARGO_TARGET_DIR:-target}/release/stratagraph"
  [ -x "$bin" ] || bin="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/stratagraph"
}

# copy_seeds N DIR: the seeds copied N times into DIR, each copy its own
# file names.
copy_seeds() {
  mkdir -p "$2"
  for i in $(seq -w 1 "$1"); do
    for f in seeds/*; do
      base="$(basename "$f")"
      cp "$f" "$2/${base%.*}_$i.${base##*.}"
    done
  done
}
