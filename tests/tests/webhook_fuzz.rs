//! Property tests of webhook verification over arbitrary input: nothing
//! panics, nothing unsigned or altered is accepted, and a correctly signed
//! body is accepted exactly when it is JSON.

mod common;

use common::webhook_vector as vector;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::Value;
use std::time::Duration;
use telnyx_api::runtime::{
    FixedClock, WebhookError, Webhooks, DEFAULT_WEBHOOK_TOLERANCE, SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
};

const NOW: i64 = vector::NOW;

type Headers = Vec<(String, Vec<u8>)>;

fn webhooks(now: i64) -> Webhooks {
    Webhooks::from_base64_key(vector::PUBLIC_KEY)
        .unwrap()
        .with_clock(FixedClock(now))
}

fn signed_headers(timestamp: &str, body: &[u8]) -> Headers {
    vec![
        (TIMESTAMP_HEADER.to_owned(), timestamp.as_bytes().to_vec()),
        (
            SIGNATURE_HEADER.to_owned(),
            vector::sign(timestamp, body).into_bytes(),
        ),
    ]
}

/// The first value of `name`, looked up independently of the crate's own
/// header matching.
fn first<'h>(headers: &'h Headers, name: &str) -> Option<&'h [u8]> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_slice())
}

fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).is_ok()
}

/// A name in random letter case.
fn recased(name: &'static str) -> impl Strategy<Value = String> {
    vec(any::<bool>(), name.len()).prop_map(move |upper| {
        name.chars()
            .zip(upper)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[A-Za-z0-9-]{0,30}",
        1 => recased(TIMESTAMP_HEADER),
        1 => recased(SIGNATURE_HEADER),
    ]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..100),
        "-?[0-9]{0,22}".prop_map(String::into_bytes),
        "[A-Za-z0-9+/]{0,100}={0,3}".prop_map(String::into_bytes),
        Just(vector::SIGNATURE.as_bytes().to_vec()),
        Just(vector::TIMESTAMP.as_bytes().to_vec()),
    ]
}

/// Small JSON documents, so that signed bodies are JSON often enough.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((any::<String>(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..300),
        json_value().prop_map(|value| serde_json::to_vec(&value).unwrap()),
        json_value().prop_map(|value| serde_json::to_vec_pretty(&value).unwrap()),
        Just(vector::BODY.as_bytes().to_vec()),
    ]
}

/// One way of altering a correctly signed delivery.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBodyByte(usize, u8),
    TruncateBody(usize),
    ExtendBody(Vec<u8>),
    ChangeTimestampByte(usize, u8),
    PrefixTimestamp(u8),
    ChangeSignatureByte(usize, u8),
    DropHeader(bool),
    RenameHeader(bool, String),
    MoveClock(i64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let nonzero = 1..=u8::MAX;
    prop_oneof![
        (any::<usize>(), nonzero.clone()).prop_map(|(i, x)| Mutation::FlipBodyByte(i, x)),
        any::<usize>().prop_map(Mutation::TruncateBody),
        vec(any::<u8>(), 1..8).prop_map(Mutation::ExtendBody),
        (any::<usize>(), nonzero.clone()).prop_map(|(i, x)| Mutation::ChangeTimestampByte(i, x)),
        any::<u8>().prop_map(Mutation::PrefixTimestamp),
        (any::<usize>(), nonzero).prop_map(|(i, x)| Mutation::ChangeSignatureByte(i, x)),
        any::<bool>().prop_map(Mutation::DropHeader),
        (any::<bool>(), "[a-z0-9-]{1,4}").prop_map(|(s, suffix)| Mutation::RenameHeader(s, suffix)),
        prop_oneof![301..100_000i64, -100_000..-300i64].prop_map(Mutation::MoveClock),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, ..ProptestConfig::default() })]

    /// Random headers and bodies: never a panic, and never an acceptance
    /// unless they happen to form the known-good delivery.
    #[test]
    fn arbitrary_requests_are_rejected(
        body in body(),
        headers in vec((header_name(), header_value()), 0..6),
        now in prop_oneof![Just(NOW), any::<i64>()],
        tolerance in prop_oneof![Just(DEFAULT_WEBHOOK_TOLERANCE), any::<u64>().prop_map(Duration::from_secs)],
    ) {
        let webhooks = webhooks(now).with_tolerance(tolerance);
        // The strategies can reassemble the known-good delivery; only that
        // one may pass, and only while fresh.
        let genuine = body == vector::BODY.as_bytes()
            && first(&headers, TIMESTAMP_HEADER) == Some(vector::TIMESTAMP.as_bytes())
            && first(&headers, SIGNATURE_HEADER) == Some(vector::SIGNATURE.as_bytes())
            && u128::from(now.abs_diff(NOW)) * 1_000_000_000 <= tolerance.as_nanos();
        prop_assert_eq!(webhooks.verify(&body, &headers).is_ok(), genuine);
        prop_assert_eq!(webhooks.unwrap_as::<Value, _>(&body, &headers).is_ok(), genuine);
        let unverified = Webhooks::without_key().unwrap_as::<Value, _>(&body, &headers);
        prop_assert!(matches!(unverified, Err(WebhookError::NoPublicKey)));
        let decoded = webhooks.decode_as::<Value>(&body);
        prop_assert_eq!(decoded.is_ok(), is_json(&body));
        if let Err(error) = decoded {
            prop_assert_eq!(error.raw_json().is_some(), false);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Correctly signed bodies within the tolerance verify, and decode
    /// exactly when they are JSON.
    #[test]
    fn signed_bodies_are_accepted_iff_json(
        body in body(),
        age in -300..=300i64,
        recase in any::<bool>(),
    ) {
        let timestamp = (NOW - age).to_string();
        let mut headers = signed_headers(&timestamp, &body);
        if recase {
            for (name, _) in &mut headers {
                *name = name.to_uppercase();
            }
        }
        let webhooks = webhooks(NOW);
        prop_assert!(webhooks.verify(&body, &headers).is_ok());
        match webhooks.unwrap_as::<Value, _>(&body, &headers) {
            Ok(value) => {
                prop_assert!(is_json(&body));
                prop_assert_eq!(value, serde_json::from_slice::<Value>(&body).unwrap());
            }
            Err(WebhookError::Decode(error)) => {
                prop_assert!(!is_json(&body));
                prop_assert!(error.raw_json().is_none());
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Any single alteration of a correctly signed delivery is rejected,
    /// with the error that names it where that is unambiguous.
    #[test]
    fn altered_deliveries_are_rejected(body in body(), mutation in mutation()) {
        let mut body = body;
        let mut headers = signed_headers(vector::TIMESTAMP, &body);
        let mut now = NOW;
        match &mutation {
            Mutation::FlipBodyByte(i, x) if !body.is_empty() => {
                let i = i % body.len();
                body[i] ^= x;
            }
            Mutation::TruncateBody(n) if !body.is_empty() => body.truncate(n % body.len()),
            Mutation::FlipBodyByte(..) | Mutation::TruncateBody(_) => body.push(b' '),
            Mutation::ExtendBody(extra) => body.extend_from_slice(extra),
            Mutation::ChangeTimestampByte(i, x) => {
                let value = &mut headers[0].1;
                let i = i % value.len();
                value[i] ^= x;
            }
            Mutation::PrefixTimestamp(byte) => headers[0].1.insert(0, *byte),
            Mutation::ChangeSignatureByte(i, x) => {
                let value = &mut headers[1].1;
                let i = i % value.len();
                value[i] ^= x;
            }
            Mutation::DropHeader(signature) => {
                headers.remove(usize::from(*signature));
            }
            Mutation::RenameHeader(signature, suffix) => {
                headers[usize::from(*signature)].0.push_str(suffix);
            }
            Mutation::MoveClock(delta) => now += delta,
        }

        let webhooks = webhooks(now);
        let result = webhooks.verify(&body, &headers);
        prop_assert!(result.is_err(), "{:?} was accepted", mutation);
        prop_assert!(webhooks.unwrap_as::<Value, _>(&body, &headers).is_err());
        let error = result.unwrap_err();
        let expected = match mutation {
            Mutation::FlipBodyByte(..) | Mutation::TruncateBody(_) | Mutation::ExtendBody(_) => {
                matches!(error, WebhookError::SignatureMismatch)
            }
            Mutation::DropHeader(_) | Mutation::RenameHeader(..) => {
                matches!(error, WebhookError::MissingHeader { .. })
            }
            Mutation::MoveClock(delta) if delta > 0 => {
                matches!(error, WebhookError::StaleTimestamp { .. })
            }
            Mutation::MoveClock(_) => matches!(error, WebhookError::FutureTimestamp { .. }),
            Mutation::ChangeSignatureByte(..) => matches!(
                error,
                WebhookError::SignatureMismatch
                    | WebhookError::InvalidSignatureEncoding
                    | WebhookError::InvalidSignatureLength { .. }
            ),
            Mutation::ChangeTimestampByte(..) | Mutation::PrefixTimestamp(_) => matches!(
                error,
                WebhookError::SignatureMismatch
                    | WebhookError::MalformedTimestamp { .. }
                    | WebhookError::StaleTimestamp { .. }
                    | WebhookError::FutureTimestamp { .. }
            ),
        };
        prop_assert!(expected, "unexpected {:?}", error);
    }
}

/// Bodies shaped like Telnyx events: a listed event type (or a near miss)
/// with arbitrary JSON where the payload, id and timestamp go.
fn event_body() -> impl Strategy<Value = (String, Vec<u8>)> {
    let event_type = prop_oneof![
        4 => proptest::sample::select(telnyx_api::WebhookEvent::EVENT_TYPES).prop_map(str::to_owned),
        1 => "[a-z_.]{0,24}",
    ];
    (
        event_type,
        json_value(),
        json_value(),
        json_value(),
        any::<bool>(),
    )
        .prop_map(|(event_type, payload, id, occurred_at, enveloped)| {
            let event = serde_json::json!({
                "event_type": event_type,
                "payload": payload,
                "id": id,
                "occurred_at": occurred_at,
                "record_type": "event",
            });
            let body = if enveloped {
                serde_json::json!({ "data": event })
            } else {
                event
            };
            (event_type, serde_json::to_vec(&body).unwrap())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Signed event-shaped bodies go through the typed decoder: each either
    /// decodes to the variant its event type names (or `Unknown` for an
    /// unlisted one) or fails as a decode error that keeps the raw JSON.
    #[test]
    fn signed_event_bodies_decode_typed_or_fail_cleanly((event_type, body) in event_body()) {
        let headers = signed_headers(vector::TIMESTAMP, &body);
        let listed = telnyx_api::WebhookEvent::EVENT_TYPES.contains(&event_type.as_str());
        match webhooks(NOW).unwrap(&body, &headers) {
            Ok(event) => {
                prop_assert_eq!(event.event_type(), event_type.as_str());
                prop_assert_eq!(event.variant_name() == "Unknown", !listed);
            }
            Err(WebhookError::Decode(error)) => {
                prop_assert!(listed, "an unlisted event type must stay raw: {}", error);
                prop_assert!(error.raw_json().is_some());
                prop_assert_eq!(error.event_type(), Some(event_type.as_str()));
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}
