#!/usr/bin/env bash
# The one test command: everything a change must pass, in the order that
# fails fastest. Needs ../shared beside the checkout (or TELNYX_SPEC=PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

spec_source="${TELNYX_SPEC:-../shared/spec/telnyx-spec3-12de4dd.yml}"
echo "== fetch the pinned spec (sha256-checked) from $spec_source"
cargo xtask fetch-spec --from "$spec_source"

echo "== generated/ matches the generator and the pinned spec"
cargo xtask regen --check --strict

echo "== formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== rustdoc of the generated crate, warnings denied"
RUSTDOCFLAGS="-D warnings" cargo doc -p telnyx --no-deps --quiet

echo "== --out writes a self-contained crate that builds on its own"
out="$(mktemp -d)/telnyx"
before="$(git status --porcelain -- generated)"
cargo xtask regen --out "$out" >/dev/null
cargo build --quiet --manifest-path "$out/Cargo.toml" --target-dir "${CARGO_TARGET_DIR:-target}"
[ "$before" = "$(git status --porcelain -- generated)" ] || { echo "--out touched generated/"; exit 1; }

echo "== every fixture spec's generated crate is clippy- and rustdoc-clean"
bash tests/check-fixture-crates.sh

echo "== Python with the official Telnyx SDK, for the webhook cross-check"
if [ -z "${TELNYX_PYTHON:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
  export TELNYX_PYTHON="$PWD/.venv/bin/python"
fi

echo "== tests: generator units, runtime units, snapshots, HTTP integration, doctests"
cargo test --workspace
