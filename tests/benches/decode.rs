//! Decoding into the generated types next to `serde_json::Value` of the
//! same bytes: a 100-item `ListConferences` page and a fully populated
//! `call.ai_gather.ended` webhook, each through the path users take.
//! Run through `cargo xtask bench`, which folds the medians into
//! BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::Value;
use std::hint::black_box;
use telnyx_api::types::ListConferencesResponse;
use telnyx_api::{WebhookEvent, Webhooks};
use xtask::ir::Api;
use xtask::sample::Sampler;

const PAGE_ITEMS: usize = 100;

/// `ListConferences`' response with `PAGE_ITEMS` conferences, every
/// property set from the spec, ids and names distinct as on a real page.
fn conferences_page(api: &Api) -> Vec<u8> {
    let operation = api
        .operations
        .iter()
        .find(|op| op.id == "ListConferences")
        .expect("the pinned spec has ListConferences");
    let ty = operation
        .success
        .as_ref()
        .and_then(|reply| reply.ty.as_ref())
        .expect("ListConferences answers with a body");
    let mut page = Sampler::new(api).value(ty);
    let item = page["data"][0].clone();
    assert!(item.is_object(), "the sampled page has an item: {page}");
    let items = (0..PAGE_ITEMS)
        .map(|n| {
            let mut item = item.clone();
            item["id"] = format!("41b9acd4-f4da-4ff5-a85c-{n:012x}").into();
            item["name"] = format!("conference-{n}").into();
            item
        })
        .collect();
    page["data"] = Value::Array(items);
    serde_json::to_vec(&page).unwrap()
}

/// The largest voice webhook, every property set (as in webhooks.rs).
fn ai_gather_ended(api: &Api) -> Vec<u8> {
    let webhook = api
        .webhooks
        .iter()
        .find(|w| w.name == "CallAIGatherEnded")
        .expect("the pinned spec has CallAIGatherEnded");
    serde_json::to_vec(&Sampler::new(api).value(&webhook.payload)).unwrap()
}

/// A typed decode that dropped or misread a field would be cheaper than
/// the real thing; re-encoding must give back the same JSON.
fn assert_lossless<T: serde::Serialize>(typed: &T, body: &[u8]) {
    let original: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        serde_json::to_value(typed).unwrap(),
        original,
        "the typed decode keeps every field"
    );
}

fn decode(c: &mut Criterion) {
    let (api, _) = telnyx_tests::pinned_api();
    let page = conferences_page(&api);
    let event = ai_gather_ended(&api);
    let webhooks = Webhooks::without_key();

    let typed_page: ListConferencesResponse = serde_json::from_slice(&page).unwrap();
    assert_eq!(typed_page.data.as_ref().map(Vec::len), Some(PAGE_ITEMS));
    assert_lossless(&typed_page, &page);
    let typed_event = webhooks.unsafe_unwrap(&event).expect("decodes");
    let WebhookEvent::CallAiGatherEnded(inner) = &typed_event else {
        panic!("decoded as {}", typed_event.variant_name());
    };
    assert_lossless(inner, &event);

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("typed", "list_conferences_100"),
        &page,
        |b, page| {
            b.iter(|| serde_json::from_slice::<ListConferencesResponse>(black_box(page)).unwrap())
        },
    );
    group.bench_with_input(
        BenchmarkId::new("value", "list_conferences_100"),
        &page,
        |b, page| b.iter(|| serde_json::from_slice::<Value>(black_box(page)).unwrap()),
    );
    group.throughput(Throughput::Bytes(event.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("typed", "call.ai_gather.ended"),
        &event,
        |b, event| b.iter(|| webhooks.unsafe_unwrap(black_box(event)).unwrap()),
    );
    group.bench_with_input(
        BenchmarkId::new("value", "call.ai_gather.ended"),
        &event,
        |b, event| b.iter(|| serde_json::from_slice::<Value>(black_box(event)).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
