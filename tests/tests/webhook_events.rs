//! Every webhook of the pinned spec decodes to its own `WebhookEvent`
//! variant from a body built from its schema and examples; event types map
//! one-to-one onto variants; what the spec does not know stays raw.

mod common;

use std::collections::BTreeSet;

use common::webhook_vector::{headers, BODY, NOW, PUBLIC_KEY};
use serde_json::{json, Value};
use telnyx_api::runtime::{DecodeWebhook, FixedClock};
use telnyx_api::types::{CampaignStatusUpdateEvent, ReplacedLinkClickEvent};
use telnyx_api::{WebhookEvent, Webhooks};
use telnyx_tests::pinned_api;
use xtask::ir::EventTypeAt;
use xtask::sample::Sampler;

/// Sets the value at a JSON path of object keys, creating objects on the way.
fn set_path(body: &mut Value, path: &[&str], value: Value) {
    let (last, parents) = path.split_last().expect("a non-empty path");
    let mut current = body;
    for key in parents {
        current = current
            .as_object_mut()
            .expect("an object on the way")
            .entry(key.to_string())
            .or_insert_with(|| json!({}));
    }
    current
        .as_object_mut()
        .expect("an object at the end")
        .insert(last.to_string(), value);
}

fn decode(body: &Value) -> WebhookEvent {
    let bytes = serde_json::to_vec(body).expect("serializable");
    Webhooks::without_key()
        .unsafe_unwrap(&bytes)
        .unwrap_or_else(|e| panic!("{e}\nbody: {body:#}"))
}

/// Under `full` (this crate's dependency enables it), as every typed
/// event is: none is gated by a resource's feature.
#[test]
fn every_event_type_decodes_to_its_own_variant() {
    let (api, names) = pinned_api();
    let sampler = Sampler::new(&api);
    let unknown_before = telnyx_api::runtime::unknown_values_seen();
    assert_eq!(api.webhooks.len(), 66, "the pinned spec has 66 webhooks");
    let mut covered = BTreeSet::new();
    for event in &names.events {
        let webhook = &api.webhooks[event.webhook];
        let key = webhook.event_key.as_ref().expect("events come from keys");
        let mut body = sampler.value(&webhook.payload);
        set_path(&mut body, key.at.path(), json!(event.event_type));
        let decoded = decode(&body);
        assert_eq!(
            (decoded.variant_name(), decoded.event_type()),
            (event.variant.as_str(), event.event_type.as_str()),
            "webhook `{}`",
            webhook.name
        );
        if key.at == EventTypeAt::Root {
            // Telnyx wraps every event in `data`, whatever the schema says.
            let wrapped = decode(&json!({ "data": body }));
            assert_eq!(wrapped.variant_name(), event.variant);
        }
        covered.insert(webhook.name.clone());
    }
    let keyless: BTreeSet<String> = api
        .webhooks
        .iter()
        .filter(|w| w.event_key.is_none())
        .map(|w| w.name.clone())
        .collect();
    assert_eq!(
        keyless,
        BTreeSet::from(["campaignStatusUpdate".into(), "replacedLinkClick".into()]),
        "webhooks without an event type need a typed entry point below"
    );
    assert_eq!(covered.len() + keyless.len(), 66);
    assert_eq!(
        telnyx_api::runtime::unknown_values_seen(),
        unknown_before,
        "a sampled body decoded an enum value the spec does not list"
    );
}

#[test]
fn event_types_and_variants_correspond_one_to_one() {
    let (api, names) = pinned_api();
    let from_spec: Vec<&str> = api
        .webhooks
        .iter()
        .filter_map(|w| w.event_key.as_ref())
        .flat_map(|k| k.values.iter().map(String::as_str))
        .collect();
    let unique: BTreeSet<&str> = from_spec.iter().copied().collect();
    assert_eq!(
        unique.len(),
        from_spec.len(),
        "an event type names two webhooks"
    );
    let generated: BTreeSet<&str> = WebhookEvent::EVENT_TYPES.iter().copied().collect();
    assert_eq!(
        generated, unique,
        "WebhookEvent::EVENT_TYPES against the spec"
    );
    let variants: BTreeSet<&str> = names.events.iter().map(|e| e.variant.as_str()).collect();
    assert_eq!(
        variants.len(),
        unique.len(),
        "two event types share a variant"
    );
    let several = |name: &str| {
        api.webhooks
            .iter()
            .find(|w| w.name == name)
            .and_then(|w| w.event_key.as_ref())
            .map_or(0, |k| k.values.len())
    };
    assert_eq!(several("deliveryUpdate"), 2);
    assert_eq!(several("hostedNumberOrderEvent"), 8);
}

#[test]
fn webhooks_without_an_event_type_decode_through_their_own_types() {
    let (api, _) = pinned_api();
    let sampler = Sampler::new(&api);
    let webhooks = Webhooks::without_key();
    for webhook in api.webhooks.iter().filter(|w| w.event_key.is_none()) {
        let body = serde_json::to_vec(&sampler.value(&webhook.payload)).unwrap();
        match webhook.name.as_str() {
            "campaignStatusUpdate" => {
                let event: CampaignStatusUpdateEvent = webhooks.decode_as(&body).unwrap();
                assert!(event.campaign_id.is_some());
            }
            "replacedLinkClick" => {
                let event: ReplacedLinkClickEvent = webhooks.decode_as(&body).unwrap();
                assert!(event.data.is_some());
            }
            other => panic!("no typed entry point tested for `{other}`"),
        }
        let as_event = webhooks.unsafe_unwrap(&body).unwrap();
        assert_eq!(as_event.variant_name(), "Unknown");
    }
}

#[test]
fn a_call_event_reads_naturally() {
    let body = br#"{"data":{"event_type":"call.initiated","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2018-02-02T22:25:27.521992Z","record_type":"event","payload":{"call_control_id":"v3:abc","connection_id":"7267","direction":"incoming","from":"+18005550199","to":"+18005550100","state":"parked","client_state":null}}}"#;
    let WebhookEvent::CallInitiated(event) = WebhookEvent::decode_webhook(body).unwrap() else {
        panic!("call.initiated is CallInitiated");
    };
    let payload = event.data.payload.as_ref().expect("the payload");
    assert_eq!(payload.call_control_id.as_deref(), Some("v3:abc"));
    assert_eq!(payload.to.as_deref(), Some("+18005550100"));
    assert_eq!(event.data.event_type.as_str(), "call.initiated");
}

#[test]
fn unlisted_event_types_stay_raw() {
    let body = br#"{"data":{"event_type":"call.teleported","id":"x","payload":{"to":"mars"}}}"#;
    let event = WebhookEvent::decode_webhook(body).unwrap();
    assert_eq!(event.variant_name(), "Unknown");
    assert_eq!(event.event_type(), "call.teleported");
    let WebhookEvent::Unknown(raw) = event else {
        unreachable!()
    };
    assert_eq!(raw["data"]["payload"]["to"], "mars");
    for body in [&br#"{"data":{"id":"x"}}"#[..], b"[]", b"{}", b"null"] {
        let event = WebhookEvent::decode_webhook(body).unwrap();
        assert_eq!((event.variant_name(), event.event_type()), ("Unknown", ""));
    }
}

#[test]
fn a_known_event_that_breaks_its_schema_is_an_error_with_the_path_and_the_body() {
    let body =
        br#"{"data":{"event_type":"call.hangup","id":"x","payload":{"call_control_id":42}}}"#;
    let error = WebhookEvent::decode_webhook(body).unwrap_err();
    assert_eq!(error.path(), "data.payload.call_control_id");
    assert_eq!(error.event_type(), Some("call.hangup"));
    assert_eq!(
        error.raw_json().expect("the body was JSON")["data"]["payload"]["call_control_id"],
        42
    );
    let error = WebhookEvent::decode_webhook(b"{\"data\":").unwrap_err();
    assert!(error.raw_json().is_none());
}

#[test]
fn the_signed_vector_unwraps_to_a_typed_hangup_through_the_client() {
    let client = telnyx_api::Client::builder()
        .api_key("KEY")
        .public_key(PUBLIC_KEY)
        .webhook_clock(FixedClock(NOW))
        .build()
        .unwrap();
    let event = client
        .webhooks()
        .unwrap(BODY.as_bytes(), &headers()[..])
        .unwrap();
    let WebhookEvent::CallHangup(hangup) = &event else {
        panic!("call.hangup is CallHangup, got {}", event.variant_name());
    };
    let payload = hangup.data.payload.as_ref().expect("the payload");
    assert_eq!(payload.call_control_id.as_deref(), Some("v3:abc"));
    assert_eq!(
        hangup.data.id.as_deref(),
        Some("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")
    );
    assert!(hangup.data.occurred_at.is_some());
    let mut tampered = BODY.as_bytes().to_vec();
    tampered[40] ^= 1;
    assert!(client.webhooks().unwrap(&tampered, &headers()[..]).is_err());
}
