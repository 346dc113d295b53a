//! `unwrap` (verify + typed decode) per event against bare Ed25519
//! verification of the same bytes (`tests/benches/webhooks.rs`).

use super::criterion::{rounds_note, run_bench_in_rounds, Rounds};
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
    let rounds = run_bench_in_rounds(root, "webhooks", quick)?;
    let mut out = String::from("## Webhooks: `unwrap` against bare Ed25519 verification\n\n");
    out.push_str(
        "criterion, `tests/benches/webhooks.rs`: time per event. \
         The floor verifies the same `{timestamp}|{body}` bytes with `ed25519_dalek::VerifyingKey::verify_strict`; \
         `unwrap` adds header parsing, the timestamp window and the typed decode into `WebhookEvent`. ",
    );
    out.push_str(&rounds_note(rounds));
    out.push_str("\n\n");
    out.push_str(
        "| event | Ed25519 verify (floor) | `Webhooks::unwrap` | × floor |\n|---|---|---|---|\n",
    );
    let mut worst: f64 = 0.0;
    for (event, what) in EVENTS {
        let floor = Rounds::read(root, &format!("webhooks/ed25519_verify/{event}"), rounds)?;
        let unwrap = Rounds::read(root, &format!("webhooks/unwrap/{event}"), rounds)?;
        let ratio = unwrap.ratio_to(&floor);
        worst = worst.max(ratio);
        let _ = writeln!(
            out,
            "| `{event}` ({what}) | {} | {} | {ratio:.2}× |",
            floor.cell(),
            unwrap.cell(),
        );
    }
    let verdict = if worst <= TARGET { "met" } else { "missed" };
    let _ = writeln!(
        out,
        "\nTarget: `unwrap` ≤ {TARGET}× bare verification — {verdict} (worst {worst:.2}×)."
    );
    Ok(out)
}
