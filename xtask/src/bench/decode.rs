//! Decoding into the generated types against `serde_json::Value` of the
//! same bytes (`tests/benches/decode.rs`).

use super::criterion::{duration, estimate, run_bench};
use crate::diag::Result;
use std::fmt::Write as _;
use std::path::Path;

const PAYLOADS: [(&str, &str); 2] = [
    (
        "list_conferences_100",
        "`ListConferences` page, 100 conferences with every property set: \
         `serde_json::from_slice::<telnyx_api::types::ListConferencesResponse>`",
    ),
    (
        "call.ai_gather.ended",
        "`call.ai_gather.ended` webhook with every property set: \
         `Webhooks::unsafe_unwrap` into `WebhookEvent`",
    ),
];
/// A typed decode allocates only the fields it keeps, where `Value` builds
/// a map per object, so typed should be no slower.
const TARGET: f64 = 1.0;

pub fn section(root: &Path, quick: bool) -> Result<String> {
    run_bench(root, "decode", quick)?;
    let mut out = String::from("## Decode: generated types against `serde_json::Value`\n\n");
    out.push_str(
        "criterion, `tests/benches/decode.rs`: median per decode and its 95 % confidence interval, \
         through the paths users take. The payloads are sampled from the pinned spec; before \
         timing, the bench checks that the typed decode re-encodes to the same JSON, so it drops \
         nothing. `serde_json` is built with `preserve_order` here (the xtask the benches use \
         enables it), so `Value` objects are insertion-ordered maps.\n\n",
    );
    out.push_str("| payload | bytes | generated types | `serde_json::Value` | × `Value` |\n|---|---|---|---|---|\n");
    let mut worst: f64 = 0.0;
    for (id, what) in PAYLOADS {
        let typed = estimate(root, &format!("decode/typed/{id}"))?;
        let value = estimate(root, &format!("decode/value/{id}"))?;
        let bytes = super::criterion::throughput_bytes(root, &format!("decode/typed/{id}"))?;
        let ratio = typed.median_ns / value.median_ns;
        worst = worst.max(ratio);
        let _ = writeln!(
            out,
            "| {what} | {:.1} KiB | {} ({} – {}) | {} ({} – {}) | {ratio:.2}× |",
            bytes as f64 / 1024.0,
            duration(typed.median_ns),
            duration(typed.low_ns),
            duration(typed.high_ns),
            duration(value.median_ns),
            duration(value.low_ns),
            duration(value.high_ns),
        );
    }
    let _ = write!(
        out,
        "\nTarget: typed decode ≤ {TARGET}× `serde_json::Value` — "
    );
    if worst <= TARGET {
        let _ = writeln!(out, "met (worst {worst:.2}×).");
    } else {
        let _ = writeln!(out, "missed (worst {worst:.2}×). {MISSED}");
    }
    Ok(out)
}

/// Why a typed decode can be slower than `Value`, and what would move it.
const MISSED: &str = "Reason: a webhook is read twice, a borrowing probe for \
     `data.event_type` and then the typed decode of the variant it names. What would move it: \
     one pass that reads `event_type` first when it leads the object, and probes only when it \
     does not.";
