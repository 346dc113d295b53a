//! Webhook signatures checked across implementations: the official Telnyx
//! Python SDK (with PyNaCl) signs and Rust verifies, then Rust signs and the
//! SDK's `webhooks.unwrap` verifies, tampered deliveries included.
//!
//! Needs a Python with `tests/python/requirements.txt` installed: the one in
//! `TELNYX_PYTHON`, else `<workspace>/.venv/bin/python` (`tests/run.sh`
//! creates it).

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::webhook_vector as vector;
use ed25519_dalek::SigningKey;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{json, Value};
use telnyx_api::runtime::{
    Clock, FixedClock, SystemClock, WebhookError, Webhooks, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};

/// What the SDK says when a signature does not verify.
const PYTHON_MISMATCH: &str = "Signature verification failed";

/// Runs the cross-check script once with `request` on stdin.
fn run_python(request: &Value) -> Value {
    common::python::run_script("webhook_crosscheck.py", request)
}

/// Bodies that exercise the byte-exactness of signing: non-ASCII UTF-8,
/// escapes, whitespace, a `|` like the separator, and size.
fn bodies() -> Vec<String> {
    let large_text = "Grüße, ñandú — 你好 🎉 ".repeat(2000);
    vec![
        vector::BODY.to_owned(),
        r#"{"data":{"event_type":"call.speak.ended","payload":{"text":"Grüße aus Zürich — 你好, мир 🎉"}},"meta":{"attempt":2}}"#.to_owned(),
        "{\n  \"data\": {\n    \"event_type\": \"call.answered\",\n    \"payload\": {\"client_state\": \"aGVsbG8=\", \"note\": \"\\u00e9\\n\\\"|\\\"\"}\n  }\n}\n".to_owned(),
        r#"{"data":{"event_type":"call.dtmf.received","payload":{"digit":"|"}}}"#.to_owned(),
        "{}".to_owned(),
        json!({"data": {"event_type": "call.transcription", "payload": {"text": large_text}}}).to_string(),
    ]
}

fn event_type(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).unwrap();
    value["data"]["event_type"].as_str().map(str::to_owned)
}

/// Flips one bit of the decoded signature, keeping it canonical base64 so
/// that no decoder can accept it by ignoring the change.
fn tamper_signature(signature: &str) -> String {
    let mut bytes = STANDARD.decode(signature).unwrap();
    bytes[17] ^= 0x04;
    STANDARD.encode(bytes)
}

fn bump(timestamp: &str) -> String {
    (timestamp.parse::<i64>().unwrap() + 1).to_string()
}

/// Headers as Telnyx sends them: capitalized, in an `http::HeaderMap`.
fn header_map(timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("Telnyx-Signature-Ed25519", signature),
        ("Telnyx-Timestamp", timestamp),
    ] {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    headers
}

#[test]
fn python_signed_webhooks_verify_in_rust() {
    let bodies = bodies();
    let answer = run_python(&json!({"mode": "sign", "bodies": bodies}));
    let public_key = answer["public_key"].as_str().expect("a public key");
    let deliveries = answer["deliveries"].as_array().expect("deliveries");
    assert_eq!(deliveries.len(), bodies.len());
    let webhooks = Webhooks::from_base64_key(public_key).unwrap();
    let other_key = SigningKey::from_bytes(&[3; 32]).verifying_key();
    let wrong_key = Webhooks::from_base64_key(&STANDARD.encode(other_key.as_bytes())).unwrap();

    for (body, delivery) in bodies.iter().zip(deliveries) {
        let timestamp = delivery["timestamp"].as_str().unwrap();
        let signature = delivery["signature"].as_str().unwrap();
        let headers = header_map(timestamp, signature);
        let event = webhooks
            .unwrap_as::<Value, _>(body.as_bytes(), &headers)
            .unwrap_or_else(|error| panic!("{error} for {body:.60}"));
        assert_eq!(
            event["data"]["event_type"].as_str().map(str::to_owned),
            event_type(body)
        );

        let mismatch = |result: Result<(), WebhookError>, what: &str| {
            assert!(
                matches!(result, Err(WebhookError::SignatureMismatch)),
                "{what} of {body:.60}: {result:?}"
            );
        };
        let mut flipped = body.as_bytes().to_vec();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x20;
        mismatch(webhooks.verify(&flipped, &headers), "a flipped body byte");
        mismatch(
            webhooks.verify(format!("{body} ").as_bytes(), &headers),
            "an appended space",
        );
        mismatch(
            webhooks.verify(body.as_bytes(), &header_map(&bump(timestamp), signature)),
            "a later timestamp",
        );
        mismatch(
            webhooks.verify(
                body.as_bytes(),
                &header_map(timestamp, &tamper_signature(signature)),
            ),
            "a changed signature",
        );
        mismatch(wrong_key.verify(body.as_bytes(), &headers), "another key");
    }
}

/// One delivery for the SDK to judge, with the verdict both sides must reach.
struct Case {
    what: String,
    public_key: String,
    body: String,
    timestamp: String,
    signature: String,
    /// Pins both clocks, for deliveries signed at a fixed time.
    now: Option<i64>,
    /// The event type the SDK reports, or a part of its error message.
    expect: Result<Option<String>, &'static str>,
}

#[test]
fn rust_signed_webhooks_verify_in_python() {
    let seed = [0x42; 32];
    let public_key = STANDARD.encode(SigningKey::from_bytes(&seed).verifying_key().as_bytes());
    let sign = |timestamp: &str, body: &str| vector::sign_with(&seed, timestamp, body);
    let now = SystemClock.now_unix_seconds().to_string();
    let case = |what: &str, body: &str, timestamp: &str, signature: &str, expect| Case {
        what: what.to_owned(),
        public_key: public_key.clone(),
        body: body.to_owned(),
        timestamp: timestamp.to_owned(),
        signature: signature.to_owned(),
        now: None,
        expect,
    };

    let mut cases = Vec::new();
    for body in bodies() {
        let signature = sign(&now, &body);
        let changed = format!("{body} ");
        let tampered = tamper_signature(&signature);
        cases.extend([
            case("as signed", &body, &now, &signature, Ok(event_type(&body))),
            case(
                "a changed body",
                &changed,
                &now,
                &signature,
                Err(PYTHON_MISMATCH),
            ),
            case(
                "a later timestamp",
                &body,
                &bump(&now),
                &signature,
                Err(PYTHON_MISMATCH),
            ),
            case(
                "a changed signature",
                &body,
                &now,
                &tampered,
                Err(PYTHON_MISMATCH),
            ),
        ]);
    }

    // The fixed vector: accepted by the SDK under its own key within the
    // tolerance, refused when stale, future or under another key.
    let vector_case = |what: &str, public_key: &str, now: i64, expect| Case {
        what: what.to_owned(),
        public_key: public_key.to_owned(),
        body: vector::BODY.to_owned(),
        timestamp: vector::TIMESTAMP.to_owned(),
        signature: vector::SIGNATURE.to_owned(),
        now: Some(now),
        expect,
    };
    let hangup = || Ok(Some("call.hangup".to_owned()));
    cases.extend([
        vector_case("the vector", vector::PUBLIC_KEY, vector::NOW, hangup()),
        vector_case(
            "the vector, 300 s on",
            vector::PUBLIC_KEY,
            vector::NOW + 300,
            hangup(),
        ),
        vector_case(
            "the vector, 300 s early",
            vector::PUBLIC_KEY,
            vector::NOW - 300,
            hangup(),
        ),
        vector_case(
            "the vector, 301 s on",
            vector::PUBLIC_KEY,
            vector::NOW + 301,
            Err("too old"),
        ),
        vector_case(
            "the vector, 301 s early",
            vector::PUBLIC_KEY,
            vector::NOW - 301,
            Err("too new"),
        ),
        vector_case(
            "the vector, another key",
            &public_key,
            vector::NOW,
            Err(PYTHON_MISMATCH),
        ),
    ]);
    judge(&cases);
}

/// Has the SDK judge all `cases` in one run, and checks that it and this
/// crate both reach each case's expected verdict.
fn judge(cases: &[Case]) {
    let request = json!({
        "mode": "verify",
        "cases": cases.iter().map(|case| json!({
            "public_key": case.public_key,
            "body": case.body,
            "headers": {"Telnyx-Signature-Ed25519": case.signature, "Telnyx-Timestamp": case.timestamp},
            "now": case.now,
        })).collect::<Vec<_>>(),
    });
    let answer = run_python(&request);
    let results = answer["results"].as_array().expect("results");
    assert_eq!(results.len(), cases.len());

    for (case, result) in cases.iter().zip(results) {
        let label = format!("{} ({:.40})", case.what, case.body);
        let python = if result["ok"] == true {
            Ok(result["event_type"].as_str().map(str::to_owned))
        } else {
            Err(result["error"].as_str().unwrap_or_default().to_owned())
        };
        match (&case.expect, &python) {
            (Ok(expected), Ok(event_type)) => assert_eq!(expected, event_type, "{label}"),
            (Err(expected), Err(error)) => assert!(error.contains(expected), "{label}: {error}"),
            _ => panic!(
                "{label}: the SDK answered {python:?}, expected {:?}",
                case.expect
            ),
        }

        let webhooks = Webhooks::from_base64_key(&case.public_key).unwrap();
        let webhooks = match case.now {
            Some(now) => webhooks.with_clock(FixedClock(now)),
            None => webhooks,
        };
        let headers = [
            (SIGNATURE_HEADER, case.signature.as_str()),
            (TIMESTAMP_HEADER, case.timestamp.as_str()),
        ];
        let rust = webhooks.unwrap_as::<Value, _>(case.body.as_bytes(), &headers);
        assert_eq!(
            rust.is_ok(),
            python.is_ok(),
            "{label}: Rust answered {rust:?}"
        );
    }
}
