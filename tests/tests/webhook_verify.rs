//! Webhook signature verification against a known-good Telnyx-style
//! delivery: what passes, what each kind of tampering produces, and that no
//! error or debug output leaks the key, signature or body.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::webhook_vector::{self as vector, sign, BODY, NOW, PUBLIC_KEY, SIGNATURE, TIMESTAMP};
use ed25519_dalek::SigningKey;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::Value;
use telnyx_api::runtime::{
    decode_typed, Client, DecodeWebhook, FixedClock, PublicKey, WebhookDecodeError, WebhookError,
    Webhooks, DEFAULT_WEBHOOK_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

fn webhooks_at(now: i64) -> Webhooks {
    Webhooks::from_base64_key(PUBLIC_KEY)
        .expect("the vector key is valid")
        .with_clock(FixedClock(now))
}

fn verify(body: &[u8], timestamp: &str, signature: &str) -> Result<(), WebhookError> {
    webhooks_at(NOW).verify(
        body,
        &[(TIMESTAMP_HEADER, timestamp), (SIGNATURE_HEADER, signature)],
    )
}

/// The variant name, since `WebhookError` is non-exhaustive and cannot be
/// matched exhaustively from outside the crate.
fn variant(error: &WebhookError) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn assert_no_leak(output: &str) {
    for secret in [
        PUBLIC_KEY,
        &PUBLIC_KEY[..16],
        SIGNATURE,
        &SIGNATURE[..16],
        BODY,
    ] {
        assert!(!output.contains(secret), "{output:?} leaks {secret:?}");
    }
    assert!(!output.contains("0ccc7b54"), "{output:?} leaks the body");
}

#[test]
fn the_vector_verifies_and_decodes() {
    let webhooks = webhooks_at(NOW);
    webhooks
        .verify(BODY.as_bytes(), &vector::headers())
        .unwrap();
    let event = webhooks
        .unwrap_as::<Value, _>(BODY.as_bytes(), &vector::headers())
        .unwrap();
    assert_eq!(event["data"]["event_type"], "call.hangup");
    assert_eq!(
        PublicKey::from_bytes(
            &SigningKey::from_bytes(&vector::secret_key())
                .verifying_key()
                .to_bytes()
        )
        .unwrap(),
        PublicKey::from_base64(PUBLIC_KEY).unwrap()
    );
    assert_eq!(sign(TIMESTAMP, BODY.as_bytes()), SIGNATURE);
}

#[test]
fn any_changed_body_byte_is_a_mismatch() {
    let mut body = BODY.as_bytes().to_vec();
    // Every 7th byte keeps the test quick in debug builds and still hits
    // keys, values and punctuation; the first and last bytes are included.
    let positions = (0..body.len()).step_by(7).chain([body.len() - 1]);
    for i in positions {
        body[i] ^= 0x01;
        let result = verify(&body, TIMESTAMP, SIGNATURE);
        assert!(
            matches!(result, Err(WebhookError::SignatureMismatch)),
            "byte {i}: {result:?}"
        );
        body[i] ^= 0x01;
    }
    let mut longer = BODY.as_bytes().to_vec();
    longer.push(b'\n');
    assert!(matches!(
        verify(&longer, TIMESTAMP, SIGNATURE),
        Err(WebhookError::SignatureMismatch)
    ));
    assert!(matches!(
        verify(b"", TIMESTAMP, SIGNATURE),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn a_changed_timestamp_is_a_mismatch_when_still_fresh() {
    for timestamp in ["1700000001", "1699999999", "01700000000", "1700000299"] {
        let result = verify(BODY.as_bytes(), timestamp, SIGNATURE);
        assert!(
            matches!(result, Err(WebhookError::SignatureMismatch)),
            "{timestamp}: {result:?}"
        );
    }
}

#[test]
fn a_changed_signature_fails_as_mismatch_or_encoding() {
    let signature = STANDARD.decode(SIGNATURE).unwrap();
    for i in 0..signature.len() {
        for bit in [0x01, 0x80] {
            let mut changed = signature.clone();
            changed[i] ^= bit;
            let result = verify(BODY.as_bytes(), TIMESTAMP, &STANDARD.encode(&changed));
            assert!(
                matches!(result, Err(WebhookError::SignatureMismatch)),
                "byte {i}: {result:?}"
            );
        }
    }
    // Text edits: a different alphabet character decodes to other bytes,
    // is not canonical base64 (the last data position and the padding), or
    // changes the length.
    for i in 0..SIGNATURE.len() {
        let mut text = SIGNATURE.as_bytes().to_vec();
        text[i] = if text[i] == b'A' { b'B' } else { b'A' };
        let text = String::from_utf8(text).unwrap();
        let result = verify(BODY.as_bytes(), TIMESTAMP, &text);
        match STANDARD.decode(&text).map(|bytes| bytes.len()) {
            Ok(64) => assert!(
                matches!(result, Err(WebhookError::SignatureMismatch)),
                "char {i}: {result:?}"
            ),
            // `Q==` becoming `QA=` adds a byte.
            Ok(len) => assert!(
                matches!(result, Err(WebhookError::InvalidSignatureLength { len: l }) if l == len),
                "char {i}: {result:?}"
            ),
            Err(_) => assert!(
                matches!(result, Err(WebhookError::InvalidSignatureEncoding)),
                "char {i}: {result:?}"
            ),
        }
    }
    let result = verify(BODY.as_bytes(), TIMESTAMP, &SIGNATURE.replacen('+', "-", 1));
    assert!(
        matches!(result, Err(WebhookError::InvalidSignatureEncoding)),
        "{result:?}"
    );
}

/// One input per variant; `every_variant_is_reachable` checks the list is
/// complete and the other tests check each error's details.
fn one_error_of_each_kind() -> Vec<WebhookError> {
    let body = BODY.as_bytes();
    let signed = |now: i64| {
        webhooks_at(now)
            .verify(body, &vector::headers())
            .unwrap_err()
    };
    let not_json = b"not json";
    let short_signature = STANDARD.encode([0u8; 63]);
    vec![
        Webhooks::without_key()
            .verify(body, &vector::headers())
            .unwrap_err(),
        webhooks_at(NOW)
            .verify(body, &[(TIMESTAMP_HEADER, TIMESTAMP)])
            .unwrap_err(),
        verify(body, "17e8", SIGNATURE).unwrap_err(),
        signed(NOW + 301),
        signed(NOW - 301),
        verify(body, TIMESTAMP, "not base64!").unwrap_err(),
        verify(body, TIMESTAMP, &short_signature).unwrap_err(),
        Webhooks::from_base64_key("not base64!").unwrap_err(),
        Webhooks::from_base64_key(&STANDARD.encode([9u8; 31])).unwrap_err(),
        Webhooks::from_base64_key(&STANDARD.encode(not_a_point())).unwrap_err(),
        verify(b"{}", TIMESTAMP, SIGNATURE).unwrap_err(),
        webhooks_at(NOW)
            .unwrap_as::<Value, _>(
                not_json,
                &[
                    (TIMESTAMP_HEADER, TIMESTAMP),
                    (SIGNATURE_HEADER, &sign(TIMESTAMP, not_json)),
                ],
            )
            .unwrap_err(),
    ]
}

/// y = 2 has no x on the curve.
fn not_a_point() -> [u8; 32] {
    let mut bytes = [0; 32];
    bytes[0] = 2;
    bytes
}

#[test]
fn every_variant_is_reachable() {
    let variants: Vec<String> = one_error_of_each_kind().iter().map(variant).collect();
    assert_eq!(
        variants,
        [
            "NoPublicKey",
            "MissingHeader",
            "MalformedTimestamp",
            "StaleTimestamp",
            "FutureTimestamp",
            "InvalidSignatureEncoding",
            "InvalidSignatureLength",
            "InvalidKeyEncoding",
            "InvalidKeyLength",
            "InvalidKey",
            "SignatureMismatch",
            "Decode",
        ]
    );
}

#[test]
fn errors_carry_their_details() {
    let errors = one_error_of_each_kind();
    let tolerance = DEFAULT_WEBHOOK_TOLERANCE;
    assert!(matches!(
        errors[1],
        WebhookError::MissingHeader {
            name: SIGNATURE_HEADER
        }
    ));
    assert!(matches!(&errors[2], WebhookError::MalformedTimestamp { value } if value == "17e8"));
    assert!(matches!(
        errors[3],
        WebhookError::StaleTimestamp { timestamp: NOW, now, tolerance: t } if now == NOW + 301 && t == tolerance
    ));
    assert!(matches!(
        errors[4],
        WebhookError::FutureTimestamp { timestamp: NOW, now, tolerance: t } if now == NOW - 301 && t == tolerance
    ));
    assert!(matches!(
        errors[6],
        WebhookError::InvalidSignatureLength { len: 63 }
    ));
    assert!(matches!(
        errors[8],
        WebhookError::InvalidKeyLength { len: 31 }
    ));
    let WebhookError::Decode(decode) = &errors[11] else {
        unreachable!()
    };
    assert_eq!(decode.path(), ".");
    assert!(decode.raw_json().is_none());
}

#[test]
fn messages_say_what_to_fix_and_leak_nothing() {
    let errors = one_error_of_each_kind();
    for error in &errors {
        assert_no_leak(&error.to_string());
        assert_no_leak(&format!("{error:?}"));
        assert_no_leak(&format!("{error:#?}"));
    }
    let message = |i: usize| errors[i].to_string();
    assert!(message(0).contains("TELNYX_PUBLIC_KEY"), "{}", message(0));
    assert!(
        message(1)
            .starts_with("missing header `telnyx-signature-ed25519`: is this request from Telnyx"),
        "{}",
        message(1)
    );
    assert!(message(2).contains("`17e8`"), "{}", message(2));
    assert!(message(3).contains("301 s before now"), "{}", message(3));
    assert!(
        message(4).contains("301 s after now") && message(4).contains("clock"),
        "{}",
        message(4)
    );
    assert!(message(10).contains("raw request body"), "{}", message(10));
    assert!(
        message(11).starts_with("webhook body is not valid JSON: "),
        "{}",
        message(11)
    );

    // A decode failure of a verified, private body names the path only.
    let body = br#"{"data":{"event_type":"call.hangup","payload":{"to":"+18005550199"}}}"#;
    let error = webhooks_at(NOW)
        .unwrap_as::<Hangup, _>(body, &signed_headers(body))
        .unwrap_err();
    let debug = format!("{error:?}");
    assert!(!debug.contains("+18005550199"), "{debug}");
}

#[test]
fn keys_and_verifiers_do_not_print_the_key() {
    let key = PublicKey::from_base64(PUBLIC_KEY).unwrap();
    let webhooks = Webhooks::new(key).with_clock(FixedClock(NOW));
    for output in [
        format!("{key:?}"),
        format!("{webhooks:?}"),
        format!("{webhooks:#?}"),
    ] {
        assert_no_leak(&output);
        assert!(output.contains("redacted"), "{output}");
    }
    let debug = format!("{:?}", Webhooks::without_key());
    assert!(debug.contains("key: None"), "{debug}");
}

#[test]
fn header_names_are_case_insensitive() {
    let webhooks = webhooks_at(NOW);
    let body = BODY.as_bytes();
    for (timestamp_name, signature_name) in [
        ("Telnyx-Timestamp", "Telnyx-Signature-Ed25519"),
        ("TELNYX-TIMESTAMP", "TELNYX-SIGNATURE-ED25519"),
        ("tElNyX-tImEsTaMp", "telnyx-signature-ED25519"),
    ] {
        let headers = [(signature_name, SIGNATURE), (timestamp_name, TIMESTAMP)];
        webhooks.verify(body, &headers).unwrap();
        let map: HashMap<String, String> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        webhooks.verify(body, &map).unwrap();
    }
}

#[test]
fn missing_headers_are_named_signature_first() {
    let webhooks = webhooks_at(NOW);
    let missing = |headers: &[(&str, &str)]| match webhooks.verify(BODY.as_bytes(), headers) {
        Err(WebhookError::MissingHeader { name }) => name,
        other => panic!("expected a missing header, got {other:?}"),
    };
    assert_eq!(missing(&[]), SIGNATURE_HEADER);
    assert_eq!(missing(&[(TIMESTAMP_HEADER, TIMESTAMP)]), SIGNATURE_HEADER);
    assert_eq!(missing(&[(SIGNATURE_HEADER, SIGNATURE)]), TIMESTAMP_HEADER);
    assert_eq!(
        missing(&[
            ("telnyx-timestamp-x", TIMESTAMP),
            (SIGNATURE_HEADER, SIGNATURE)
        ]),
        TIMESTAMP_HEADER
    );
}

#[test]
fn timestamps_must_be_plain_decimal_seconds() {
    let long = "1".repeat(100);
    for timestamp in [
        "",
        "-1700000000",
        "+1700000000",
        " 1700000000",
        "1700000000 ",
        "1.7e9",
        "0x65",
        &long,
    ] {
        let result = verify(BODY.as_bytes(), timestamp, SIGNATURE);
        let Err(WebhookError::MalformedTimestamp { value }) = result else {
            panic!("{timestamp:?}: {result:?}");
        };
        assert!(value.chars().count() <= 43, "{value}");
    }
    // Non-UTF-8 header values arrive as bytes and are echoed lossily.
    let mut headers = HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_static(SIGNATURE));
    headers.insert(
        TIMESTAMP_HEADER,
        HeaderValue::from_bytes(b"17\xff").unwrap(),
    );
    let result = webhooks_at(NOW).verify(BODY.as_bytes(), &headers);
    assert!(
        matches!(&result, Err(WebhookError::MalformedTimestamp { value }) if value == "17\u{fffd}"),
        "{result:?}"
    );
}

#[test]
fn the_tolerance_window_is_inclusive_both_ways() {
    let headers = vector::headers();
    let body = BODY.as_bytes();
    for now in [NOW - 300, NOW + 300] {
        webhooks_at(now).verify(body, &headers).unwrap();
    }
    assert!(matches!(
        webhooks_at(NOW + 301).verify(body, &headers),
        Err(WebhookError::StaleTimestamp { .. })
    ));
    assert!(matches!(
        webhooks_at(NOW - 301).verify(body, &headers),
        Err(WebhookError::FutureTimestamp { .. })
    ));
    // Freshness is checked before the signature, so a stale replay of a
    // forged body is reported as stale.
    assert!(matches!(
        webhooks_at(NOW + 1000).verify(b"forged", &headers),
        Err(WebhookError::StaleTimestamp { .. })
    ));
}

#[test]
fn a_custom_tolerance_applies() {
    let tight = |now: i64| webhooks_at(now).with_tolerance(Duration::from_secs(10));
    assert_eq!(tight(NOW).tolerance(), Duration::from_secs(10));
    assert_eq!(webhooks_at(NOW).tolerance(), DEFAULT_WEBHOOK_TOLERANCE);
    let headers = vector::headers();
    tight(NOW + 10).verify(BODY.as_bytes(), &headers).unwrap();
    let result = tight(NOW + 11).verify(BODY.as_bytes(), &headers);
    assert!(
        matches!(result, Err(WebhookError::StaleTimestamp { tolerance, .. }) if tolerance == Duration::from_secs(10)),
        "{result:?}"
    );
    let wide = webhooks_at(NOW + 3600).with_tolerance(Duration::from_secs(3600));
    wide.verify(BODY.as_bytes(), &headers).unwrap();
}

#[test]
fn every_header_collection_works() {
    let webhooks = webhooks_at(NOW);
    let body = BODY.as_bytes();

    let mut header_map = HeaderMap::new();
    header_map.insert("content-type", HeaderValue::from_static("application/json"));
    header_map.insert(
        HeaderName::from_static(TIMESTAMP_HEADER),
        HeaderValue::from_static(TIMESTAMP),
    );
    header_map.insert(
        HeaderName::from_bytes(b"Telnyx-Signature-Ed25519").unwrap(),
        HeaderValue::from_static(SIGNATURE),
    );
    webhooks.verify(body, &header_map).unwrap();
    webhooks.verify(body, &&header_map).unwrap();

    let array = vector::headers();
    webhooks.verify(body, &array).unwrap();
    webhooks.verify(body, &array[..]).unwrap();
    let vec: Vec<(String, Vec<u8>)> = array
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    webhooks.verify(body, &vec).unwrap();
    let hash_map: HashMap<&str, &[u8]> = array.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    webhooks.verify(body, &hash_map).unwrap();
    let btree_map: BTreeMap<String, String> = array
        .iter()
        .map(|(k, v)| (k.to_uppercase(), v.to_string()))
        .collect();
    webhooks.verify(body, &btree_map).unwrap();
    let dynamic: &dyn telnyx_api::runtime::WebhookHeaders = &header_map;
    webhooks.verify(body, dynamic).unwrap();

    // With a header repeated, a slice uses the first occurrence.
    let repeated = [
        (TIMESTAMP_HEADER, TIMESTAMP),
        (SIGNATURE_HEADER, SIGNATURE),
        (TIMESTAMP_HEADER, "1700000001"),
    ];
    webhooks.verify(body, &repeated).unwrap();
}

#[test]
fn keys_parse_leniently_only_in_whitespace() {
    PublicKey::from_base64(&format!("  {PUBLIC_KEY}\n")).unwrap();
    for bad in [&PUBLIC_KEY[..43], &PUBLIC_KEY.replace('/', "_"), "", "===="] {
        assert!(PublicKey::from_base64(bad).is_err(), "{bad:?}");
    }
    assert!(matches!(
        PublicKey::from_base64(""),
        Err(WebhookError::InvalidKeyLength { len: 0 })
    ));
    // The identity point is on the curve but weak: no signature would verify.
    let mut identity = [0; 32];
    identity[0] = 1;
    assert!(matches!(
        PublicKey::from_bytes(&identity),
        Err(WebhookError::InvalidKey)
    ));
    assert!(matches!(
        PublicKey::from_bytes(&not_a_point()),
        Err(WebhookError::InvalidKey)
    ));
}

#[test]
fn a_different_key_does_not_verify() {
    let other = SigningKey::from_bytes(&[7; 32]).verifying_key();
    let webhooks =
        Webhooks::new(PublicKey::from_bytes(other.as_bytes()).unwrap()).with_clock(FixedClock(NOW));
    assert!(matches!(
        webhooks.verify(BODY.as_bytes(), &vector::headers()),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Hangup {
    data: HangupData,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HangupData {
    event_type: String,
    payload: HangupPayload,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HangupPayload {
    call_control_id: String,
}

/// The way generated payload types implement it.
impl DecodeWebhook for Hangup {
    fn decode_webhook(body: &[u8]) -> Result<Self, WebhookDecodeError> {
        decode_typed(body, Some("call.hangup"))
    }
}

fn signed_headers(body: &[u8]) -> [(&'static str, String); 2] {
    [
        (TIMESTAMP_HEADER, TIMESTAMP.to_owned()),
        (SIGNATURE_HEADER, sign(TIMESTAMP, body)),
    ]
}

#[test]
fn verified_bodies_decode_into_typed_events() {
    let webhooks = webhooks_at(NOW);
    let hangup: Hangup = webhooks
        .unwrap_as(BODY.as_bytes(), &vector::headers())
        .unwrap();
    assert_eq!(hangup.data.payload.call_control_id, "v3:abc");

    let body = br#"{"data":{"event_type":"call.hangup","payload":{"call_control_id":7}}}"#;
    let Err(WebhookError::Decode(error)) =
        webhooks.unwrap_as::<Hangup, _>(body, &signed_headers(body))
    else {
        panic!("expected a decode error");
    };
    assert_eq!(error.path(), "data.payload.call_control_id");
    assert_eq!(error.event_type(), Some("call.hangup"));
    assert!(
        error.message().starts_with("invalid type: integer `7`"),
        "{}",
        error.message()
    );
    assert!(
        error.to_string().starts_with(
            "webhook body does not match the `call.hangup` event at data.payload.call_control_id: "
        ),
        "{error}"
    );
    let raw = error.into_raw_json().unwrap();
    assert_eq!(raw["data"]["payload"]["call_control_id"], 7);
}

#[test]
fn decoding_without_a_key_skips_verification() {
    let webhooks = Webhooks::without_key();
    let event: Value = webhooks.decode_as(BODY.as_bytes()).unwrap();
    assert_eq!(event["meta"]["attempt"], 1);
    let error = webhooks.decode_as::<Value>(b"{\"data\": ").unwrap_err();
    assert!(error.raw_json().is_none());
    let error = webhooks
        .decode_as::<Hangup>(b"{\"data\":{\"event_type\":\"call.answered\"}}")
        .unwrap_err();
    assert_eq!(error.event_type(), Some("call.hangup"));
    assert_eq!(error.path(), "data");
    assert!(matches!(
        webhooks.unwrap_as::<Value, _>(BODY.as_bytes(), &vector::headers()),
        Err(WebhookError::NoPublicKey)
    ));
}

#[test]
fn the_public_key_can_come_from_the_environment() {
    // The only test in this binary that touches the variable.
    let saved = std::env::var_os("TELNYX_PUBLIC_KEY");
    std::env::remove_var("TELNYX_PUBLIC_KEY");
    assert!(matches!(
        Webhooks::from_env(),
        Err(WebhookError::NoPublicKey)
    ));
    std::env::set_var("TELNYX_PUBLIC_KEY", format!("{PUBLIC_KEY}\n"));
    let webhooks = Webhooks::from_env().unwrap().with_clock(FixedClock(NOW));
    webhooks
        .verify(BODY.as_bytes(), &vector::headers())
        .unwrap();
    std::env::set_var("TELNYX_PUBLIC_KEY", "AAAA");
    assert!(matches!(
        Webhooks::from_env(),
        Err(WebhookError::InvalidKeyLength { len: 3 })
    ));
    match saved {
        Some(value) => std::env::set_var("TELNYX_PUBLIC_KEY", value),
        None => std::env::remove_var("TELNYX_PUBLIC_KEY"),
    }
}

#[test]
fn the_client_builder_configures_webhooks() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .api_key("k")
        .public_key(PUBLIC_KEY)
        .webhook_clock(FixedClock(NOW))
        .build()?;
    let event = client
        .webhooks()
        .unwrap_as::<Value, _>(BODY.as_bytes(), &vector::headers())?;
    assert_eq!(event["data"]["event_type"], "call.hangup");
    assert_no_leak(&format!("{client:?}"));

    let builder = Client::builder()
        .api_key("k")
        .public_key(PUBLIC_KEY)
        .webhook_tolerance(Duration::from_secs(5))
        .webhook_clock(FixedClock(NOW + 6));
    assert_no_leak(&format!("{builder:?}"));
    let client = builder.build()?;
    assert_eq!(client.webhooks().tolerance(), Duration::from_secs(5));
    assert!(matches!(
        client
            .webhooks()
            .verify(BODY.as_bytes(), &vector::headers()),
        Err(WebhookError::StaleTimestamp { .. })
    ));

    let client = Client::new("k")?;
    assert!(matches!(
        client
            .webhooks()
            .verify(BODY.as_bytes(), &vector::headers()),
        Err(WebhookError::NoPublicKey)
    ));

    for bad in [
        &PUBLIC_KEY[..40],
        "not base64!",
        "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ] {
        match Client::builder().api_key("k").public_key(bad).build() {
            Err(telnyx_api::Error::Config(message)) => {
                assert!(
                    message.contains("public key") && !message.contains(bad),
                    "{message}"
                );
            }
            other => panic!("{bad:?}: expected a configuration error, got {other:?}"),
        }
    }
    Ok(())
}
