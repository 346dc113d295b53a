#!/usr/bin/env bash
# The one test command: everything a change must pass, in the order that
# fails fastest. Needs ../shared beside the checkout (or TELNYX_SPEC=PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage prints its name and, when the next starts, how long it took.
stage_started=$SECONDS
stage_name=""
stage() {
  [ -z "$stage_name" ] || echo "   ($stage_name: $((SECONDS - stage_started)) s)"
  stage_name="$1"
  stage_started=$SECONDS
  echo "== $1"
}
trap 'echo "   ($stage_name: $((SECONDS - stage_started)) s; all: $SECONDS s)"' EXIT

spec_source="${TELNYX_SPEC:-../shared/spec/telnyx-spec3-12de4dd.yml}"
stage "fetch the pinned spec (sha256-checked) from $spec_source"
cargo xtask fetch-spec --from "$spec_source"

stage "generated/ matches the generator and the pinned spec"
cargo xtask regen --check --strict

stage "formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

stage "rustdoc of the generated crate with every feature (as docs.rs builds it), warnings denied"
RUSTDOCFLAGS="-D warnings" cargo doc -p telnyx-api --features full --no-deps --quiet

stage "every cargo feature alone, the defaults, no features, every group and full build with -D warnings"
cargo xtask check-features --jobs 2

stage "--out writes a self-contained crate that packages and publishes (dry run) on its own"
out="$(mktemp -d)/telnyx-api"
before="$(git status --porcelain -- generated)"
cargo xtask regen --out "$out" >/dev/null
[ "$before" = "$(git status --porcelain -- generated)" ] || { echo "--out touched generated/"; exit 1; }
# Packages the crate, checks its metadata and builds the packaged copy (default
# features) against crates.io, as `cargo publish` would, without uploading.
publish_log="$(mktemp)"
cargo publish --dry-run --manifest-path "$out/Cargo.toml" --target-dir "${CARGO_TARGET_DIR:-target}" \
  >"$publish_log" 2>&1 || { tail -40 "$publish_log"; echo "cargo publish --dry-run failed"; exit 1; }
grep -E '^ *Packaged ' "$publish_log"  # files, size and compressed size
rm -f "$publish_log"

stage "no OpenSSL, reqwest 0.13: the crate's normal dependency tree"
tree="$(cargo tree -p telnyx-api -e normal --prefix none --all-features)"
grep -q '^reqwest v0\.13\.' <<<"$tree" || { echo "telnyx-api does not use reqwest 0.13"; exit 1; }
# openssl-probe (via rustls-platform-verifier) only looks for certificate files.
if grep -E '^(openssl|openssl-sys|native-tls) ' <<<"$tree"; then echo "telnyx-api depends on OpenSSL"; exit 1; fi

stage "every fixture spec's generated crate is clippy- and rustdoc-clean"
bash tests/check-fixture-crates.sh

stage "the verify_webhook example accepts the signed test vector and refuses a tampered copy"
# RFC 8032 test-1 key pair; the same vector as tests/tests/common/webhook_vector.rs.
vector_body="$(mktemp)"
printf '%s' '{"data":{"event_type":"call.hangup","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2018-02-02T22:25:27.521992Z","payload":{"call_control_id":"v3:abc","call_leg_id":"428c31b6-7af4-4bcb-b7f5-5013ef9657c1","call_session_id":"428c31b6-abf3-3bc1-b7f4-5013ef9657c1","connection_id":"7267xxxxxxxxxxxxxx"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks"}}' >"$vector_body"
verify_vector=(cargo run --quiet -p telnyx-api --example verify_webhook --
  --public-key "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" --timestamp 1700000000 --now 1700000000
  --signature "7uyTh+TRfbqz/aeb73crNqgS2szxQlOK5pQ5+YTTD3f7IJz3uqOlxDckT/sVfXEirpmpC2STIPMqWQWNje0PCQ=="
  --body-file "$vector_body")
printed="$("${verify_vector[@]}")" || { echo "verify_webhook refused the test vector"; exit 1; }
[ "$printed" = "call.hangup CallHangup" ] || { echo "verify_webhook printed '$printed'"; exit 1; }
sed -i 's/v3:abc/v3:abd/' "$vector_body"
status=0
"${verify_vector[@]}" >/dev/null 2>&1 || status=$?
rm -f "$vector_body"
[ "$status" -eq 1 ] || { echo "verify_webhook exited $status on a tampered body, not 1"; exit 1; }

stage "Python with the official Telnyx SDK, for the webhook cross-check"
if [ -z "${TELNYX_PYTHON:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
  export TELNYX_PYTHON="$PWD/.venv/bin/python"
fi

stage "conformance: every operation, then every guide snippet, against the Prism mock"
# Installs the pinned Prism into .tools/prism (npm) on first use.
cargo xtask conformance

stage "tests: generator units, runtime units, snapshots, HTTP integration, doctests"
cargo test --workspace

stage "benchmarks build and run: cargo xtask bench --quick (a smoke run; timings are not checked)"
# Uses the test profile `cargo test` built above; writes no BENCHMARKS.md.
cargo xtask bench --quick
