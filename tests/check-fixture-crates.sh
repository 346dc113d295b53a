#!/usr/bin/env bash
# Every fixture spec's generated crate must build clippy- and rustdoc-clean,
# not only the voice crate: the fixtures hit constructs the voice surface lacks.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
dump="$(mktemp -d)"
trap 'rm -rf "$dump"' EXIT
log="$(mktemp)"
TELNYX_DUMP_FIXTURE_CRATES="$dump" cargo test -q -p telnyx-tests --test snapshots >"$log" 2>&1 \
  || { tail -60 "$log" >&2; echo "the snapshot tests failed while dumping the fixture crates" >&2; exit 1; }
rm -f "$log"
for crate in "$dump"/*/; do
  name="$(basename "$crate")"
  cargo clippy -q --manifest-path "$crate/Cargo.toml" --target-dir "$target" --all-targets -- -D warnings \
    || { echo "fixture crate $name: clippy failed" >&2; exit 1; }
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --manifest-path "$crate/Cargo.toml" --target-dir "$target" \
    || { echo "fixture crate $name: rustdoc failed" >&2; exit 1; }
done
echo "fixture crates: $(ls "$dump" | wc -l) generated, all clippy- and rustdoc-clean"
