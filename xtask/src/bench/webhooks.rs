//! `unwrap` (verify + typed decode) per event against bare Ed25519
//! verification of the same bytes (`tests/benches/webhooks.rs`).

use super::criterion::{duration, estimate, run_bench, Timing};
use crate::diag::Result;
use std::fmt::Write as _;
use std::path::Path;

const EVENTS: [(&str, &str); 2] = [
    ("call.hangup", "the signed test vector, 370 bytes"),
    (
        "call.ai_gather.ended",
        "every property set, from the schema",
    ),
];
const TARGET: f64 = 1.3;

pub fn section(root: &Path, quick: bool) -> Result<String> {
    run_bench(root, "webhooks", quick, &Timing::DEFAULT)?;
    let mut out = String::from("## Webhooks: `unwrap` against bare Ed25519 verification\n\n");
    out.push_str(
        "criterion, `tests/benches/webhooks.rs`: median per event and its 95 % confidence interval. \
         The floor verifies the same `{timestamp}|{body}` bytes with `ed25519_dalek::VerifyingKey::verify_strict`; \
         `unwrap` adds header parsing, the timestamp window and the typed decode into `WebhookEvent`.\n\n",
    );
    out.push_str(
        "| event | Ed25519 verify (floor) | `Webhooks::unwrap` | × floor |\n|---|---|---|---|\n",
    );
    let mut worst: f64 = 0.0;
    for (event, what) in EVENTS {
        let floor = estimate(root, &format!("webhooks/ed25519_verify/{event}"))?;
        let unwrap = estimate(root, &format!("webhooks/unwrap/{event}"))?;
        let ratio = unwrap.median_ns / floor.median_ns;
        worst = worst.max(ratio);
        let _ = writeln!(
            out,
            "| `{event}` ({what}) | {} ({} – {}) | {} ({} – {}) | {ratio:.2}× |",
            duration(floor.median_ns),
            duration(floor.low_ns),
            duration(floor.high_ns),
            duration(unwrap.median_ns),
            duration(unwrap.low_ns),
            duration(unwrap.high_ns),
        );
    }
    let verdict = if worst <= TARGET { "met" } else { "missed" };
    let _ = writeln!(
        out,
        "\nTarget: `unwrap` ≤ {TARGET}× bare verification — {verdict} (worst {worst:.2}×)."
    );
    Ok(out)
}
