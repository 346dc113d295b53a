//! `unwrap` (verify + typed decode) per event next to bare Ed25519
//! verification of the same bytes: the floor no receiver can go under.
//! Run through `cargo xtask bench`, which folds the medians into
//! BENCHMARKS.md.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use std::hint::black_box;
use telnyx_api::runtime::FixedClock;
use telnyx_api::{WebhookEvent, Webhooks};
use xtask::sample::Sampler;

const SEED: [u8; 32] = [7; 32];
const TIMESTAMP: &str = "1700000000";

/// A short hangup as Telnyx sends it, and a `call.ai_gather.ended` with
/// every property set (about 3 KB): small and large typed decodes.
fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let hangup = br#"{"data":{"event_type":"call.hangup","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2018-02-02T22:25:27.521992Z","payload":{"call_control_id":"v3:abc","call_leg_id":"428c31b6-7af4-4bcb-b7f5-5013ef9657c1","call_session_id":"428c31b6-abf3-3bc1-b7f4-5013ef9657c1","connection_id":"7267xxxxxxxxxxxxxx"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks"}}"#;
    let (api, _) = telnyx_tests::pinned_api();
    let webhook = api
        .webhooks
        .iter()
        .find(|w| w.name == "CallAIGatherEnded")
        .expect("the pinned spec has CallAIGatherEnded");
    let large = serde_json::to_vec(&Sampler::new(&api).value(&webhook.payload)).unwrap();
    vec![
        ("call.hangup", hangup.to_vec()),
        ("call.ai_gather.ended", large),
    ]
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    [TIMESTAMP.as_bytes(), b"|", body].concat()
}

fn webhooks(c: &mut Criterion) {
    let signing = SigningKey::from_bytes(&SEED);
    let verifying: VerifyingKey = signing.verifying_key();
    let receiver = Webhooks::from_base64_key(&STANDARD.encode(verifying.as_bytes()))
        .expect("a valid key")
        .with_clock(FixedClock(1_700_000_000));
    let mut group = c.benchmark_group("webhooks");
    for (event, body) in bodies() {
        let signature = signing.sign(&signed_message(&body));
        let encoded = STANDARD.encode(signature.to_bytes());
        let headers = [
            ("telnyx-timestamp", TIMESTAMP),
            ("telnyx-signature-ed25519", encoded.as_str()),
        ];
        let decoded = receiver.unwrap(&body, &headers[..]).expect("verifies");
        assert!(
            !matches!(decoded, WebhookEvent::Unknown(_)),
            "{event} is typed"
        );
        // Every function in turn, round after round (see `ROUNDS_ENV`).
        for round in 1..=xtask::bench::rounds() {
            let id = format!("{event}-r{round}");
            group.bench_with_input(BenchmarkId::new("ed25519_verify", &id), &body, |b, body| {
                b.iter(|| {
                    let message = signed_message(black_box(body));
                    verifying.verify_strict(&message, &signature).unwrap();
                })
            });
            group.bench_with_input(BenchmarkId::new("unwrap", &id), &body, |b, body| {
                b.iter(|| receiver.unwrap(black_box(body), &headers[..]).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, webhooks);
criterion_main!(benches);
