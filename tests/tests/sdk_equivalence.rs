//! The same call through the official Telnyx Python SDK and through this
//! crate sends the same HTTP request, for every SDK method the voice guides
//! in `../shared/seeds/` name.
//!
//! Both clients talk to one capture server. Each case gets its own base URL
//! (`/py/{case}` for the SDK, `/rs/{case}` for Rust), so every captured
//! request is paired with its case whatever the order of arrival. A case
//! passes when the method, the path (percent-decoded), the query pairs
//! (percent-decoded, in any order) and the JSON body (`serde_json::Value`
//! equality) agree. Where the pinned spec itself sides with us against the
//! SDK, the case names its section of `spec/quirks.md` and states the
//! difference exactly: the SDK's request, adjusted by the quirk, must equal
//! ours, and must differ without the adjustment (a quirk that no longer
//! applies fails too, so that its entry gets removed).
//!
//! The server answers every request with 200 and `{"data": {}}`; neither
//! client's decoding of that stub matters, only what was sent.
//!
//! `SDK_EQUIVALENCE_DUMP=1` prints every captured pair.
//!
//! Needs a Python with `tests/python/requirements.txt` installed: the one in
//! `TELNYX_PYTHON`, else `<workspace>/.venv/bin/python` (`tests/run.sh`
//! creates it).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use futures_util::future::{join_all, BoxFuture};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use telnyx_api::types::*;
use telnyx_api::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Seed methods that send no request: `webhooks.unwrap` verifies a delivery
/// locally (`webhook_crosscheck.rs` compares it with the SDK).
const NOT_HTTP: [&str; 1] = ["webhooks.unwrap"];

const CALL: &str = "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg";
const OTHER_CALL: &str = "v3:HqM0Ds4T5uLKYE3kyRRkm1tnjAqf7Pbnb5mDHHsbuBiAuQk2gB6bDw";
const CONFERENCE: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const APPLICATION: &str = "1293384261075731499";
const CONNECTION: &str = "7267xxxxxxxxxxxxxx";
const COMMAND: &str = "891510ac-f3e4-11e8-af5b-de00688a4901";
const STATE: &str = "aGF2ZSBhIG5pY2UgZGF5ID1d";
const RECORDING: &str = "6e00ab49-9487-4364-8ad6-23965965afb2";

/// Sections of `spec/quirks.md` that cases refer to.
const FLOAT_QUIRK: &str = "SDK equivalence: `number` fields are written as floats";
const WEBHOOK_URLS_QUIRK: &str = "SDK equivalence: `webhook_urls` maps an event to one URL";

/// Writes the integer at `path` of the body as a float (`-2` → `-2.0`).
fn float_at(request: &mut Captured, path: &[&str]) {
    let mut value = request.body.as_mut().expect("a body");
    for key in path {
        value = value.get_mut(*key).expect("the path exists");
    }
    let number = value.as_f64().expect("a number");
    *value = json!(number);
}

/// What a Rust call returns once its response is dropped.
type Sent = BoxFuture<'static, Result<(), telnyx_api::Error>>;

/// `rust!(c => c.calls().dial(...).timeout_secs(30))`: sends the request
/// built from the client `c`.
macro_rules! rust {
    ($c:ident => $call:expr) => {
        |$c: Client| -> Sent { Box::pin(async move { $call.await.map(drop) }) }
    };
}

/// A nested input of the Rust call, from the JSON the API expects.
fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|error| {
        panic!(
            "{value} does not fit {}: {error}",
            std::any::type_name::<T>()
        )
    })
}

/// A header list of the kind several operations take.
fn headers<T: DeserializeOwned>() -> Vec<T> {
    typed(json!([{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}]))
}

struct Case {
    /// The seed method, e.g. `calls.actions.answer`.
    method: &'static str,
    /// Tells apart several cases of one method.
    variant: &'static str,
    /// The SDK call's keyword arguments, in the SDK's own names.
    python: Value,
    rust: fn(Client) -> Sent,
    quirk: Option<Quirk>,
}

/// A documented difference between the SDK's request and ours.
struct Quirk {
    /// The heading of its section in `spec/quirks.md`, without `## `.
    section: &'static str,
    /// Turns the SDK's request into ours.
    adjust: fn(&mut Captured),
}

fn case(method: &'static str, python: Value, rust: fn(Client) -> Sent) -> Case {
    Case {
        method,
        variant: "",
        python,
        rust,
        quirk: None,
    }
}

impl Case {
    fn variant(mut self, variant: &'static str) -> Self {
        self.variant = variant;
        self
    }

    fn quirk(mut self, section: &'static str, adjust: fn(&mut Captured)) -> Self {
        self.quirk = Some(Quirk { section, adjust });
        self
    }

    fn name(&self) -> String {
        match self.variant {
            "" => self.method.to_owned(),
            variant => format!("{} ({variant})", self.method),
        }
    }
}

fn cases() -> Vec<Case> {
    vec![
        // ---- call_control_applications
        case(
            "call_control_applications.create",
            json!({
                "application_name": "call-router",
                "webhook_event_url": "https://example.com/webhooks",
                "active": false,
                "anchorsite_override": "Chicago, IL",
                "dtmf_type": "Inband",
                "first_command_timeout": true,
                "first_command_timeout_secs": 10,
                "inbound": {"channel_limit": 10, "shaken_stir_enabled": true, "sip_subdomain": "router"},
                "outbound": {"channel_limit": 5, "outbound_voice_profile_id": APPLICATION},
                "webhook_api_version": "2",
                "webhook_event_failover_url": "https://failover.example.com/webhooks",
                "webhook_timeout_secs": 25,
            }),
            rust!(c => c
                .call_control_applications()
                .create("call-router", "https://example.com/webhooks")
                .active(false)
                .anchorsite_override("Chicago, IL")
                .dtmf_type("Inband")
                .first_command_timeout(true)
                .first_command_timeout_secs(10)
                .inbound(typed::<CallControlApplicationInbound>(json!(
                    {"channel_limit": 10, "shaken_stir_enabled": true, "sip_subdomain": "router"}
                )))
                .outbound(typed::<CallControlApplicationOutbound>(json!(
                    {"channel_limit": 5, "outbound_voice_profile_id": APPLICATION}
                )))
                .webhook_api_version("2")
                .webhook_event_failover_url("https://failover.example.com/webhooks")
                .webhook_timeout_secs(25)),
        ),
        case(
            "call_control_applications.delete",
            json!({"id": APPLICATION}),
            rust!(c => c.call_control_applications().delete(APPLICATION)),
        ),
        case(
            "call_control_applications.list",
            json!({
                "filter": {
                    "application_name": {"contains": "router"},
                    "outbound_outbound_voice_profile_id": APPLICATION,
                },
                "page_number": 2,
                "page_size": 50,
                "sort": "connection_name",
            }),
            rust!(c => c
                .call_control_applications()
                .list()
                .filter(typed::<CallControlFilterConsolidated>(json!({
                    "application_name": {"contains": "router"},
                    "outbound.outbound_voice_profile_id": APPLICATION,
                })))
                .page(typed::<CallControlPageConsolidated>(json!({"number": 2, "size": 50})))
                .sort("connection_name")),
        ),
        case(
            "call_control_applications.retrieve",
            json!({"id": APPLICATION}),
            rust!(c => c.call_control_applications().retrieve(APPLICATION)),
        ),
        case(
            "call_control_applications.update",
            json!({
                "id": APPLICATION,
                "application_name": "call-router-eu",
                "webhook_event_url": "https://example.com/webhooks/eu",
                "active": true,
                "dtmf_type": "RFC 2833",
                "outbound": {"channel_limit": 2},
                "tags": ["support", "eu"],
                "webhook_timeout_secs": 10,
            }),
            rust!(c => c
                .call_control_applications()
                .update(APPLICATION, "call-router-eu", "https://example.com/webhooks/eu")
                .active(true)
                .dtmf_type("RFC 2833")
                .outbound(typed::<CallControlApplicationOutbound>(json!({"channel_limit": 2})))
                .tags(vec!["support".to_owned(), "eu".to_owned()])
                .webhook_timeout_secs(10)),
        ),
        // ---- call_events
        case(
            "call_events.list",
            json!({
                "filter": {
                    "leg_id": "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
                    "type": "webhook",
                    "failed": false,
                    "from": "+18005550101",
                    "occurred_at": {"gte": "2024-01-01T00:00:00Z", "lt": "2024-02-01T00:00:00Z"},
                },
                "page_number": 1,
                "page_size": 20,
            }),
            rust!(c => c
                .call_events()
                .list()
                .filter(typed::<CallControlFilterConsolidated>(json!({
                    "leg_id": "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
                    "type": "webhook",
                    "failed": false,
                    "from": "+18005550101",
                    "occurred_at": {"gte": "2024-01-01T00:00:00Z", "lt": "2024-02-01T00:00:00Z"},
                })))
                .page(typed::<CallControlPageConsolidated>(json!({"number": 1, "size": 20})))),
        ),
        // ---- calls
        case(
            "calls.dial",
            json!({
                "connection_id": CONNECTION,
                "to": ["+18005550100", "sip:bob@example.com"],
                "from_": "+18005550101",
                "from_display_name": "Acme Support",
                "timeout_secs": 30,
                "time_limit_secs": 1800,
                "client_state": STATE,
                "command_id": COMMAND,
                "answering_machine_detection": "premium",
                "answering_machine_detection_config": {
                    "total_analysis_time_millis": 5000,
                    "greeting_duration_millis": 3500,
                },
                "custom_headers": [{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}],
                "sip_headers": [{"name": "User-to-User", "value": "12345"}],
                "conference_config": {
                    "conference_name": "sales",
                    "start_conference_on_enter": true,
                    "beep_enabled": "on_exit",
                    "supervisor_role": "whisper",
                    "whisper_call_control_ids": [OTHER_CALL],
                },
                "webhook_retries_policies": {"call.answered": {"retries_ms": [1000, 2000]}},
                "webhook_urls": {"call.hangup": "https://example.com/hangup"},
                "webhook_urls_method": "POST",
                "media_encryption": "SRTP",
                "sip_transport_protocol": "TLS",
                "record": "record-from-answer",
                "record_channels": "single",
                "record_track": "inbound",
                "stream_url": "wss://example.com/stream",
                "stream_bidirectional_sampling_rate": 16000,
                "link_to": OTHER_CALL,
                "bridge_intent": true,
                "prevent_double_bridge": true,
                "privacy": "id",
            }),
            rust!(c => c
                .calls()
                .dial(
                    CONNECTION,
                    vec!["+18005550100".to_owned(), "sip:bob@example.com".to_owned()],
                    "+18005550101",
                )
                .from_display_name("Acme Support")
                .timeout_secs(30)
                .time_limit_secs(1800)
                .client_state(STATE)
                .command_id(COMMAND)
                .answering_machine_detection("premium")
                .answering_machine_detection_config(typed::<CallRequestAnsweringMachineDetectionConfig>(json!({
                    "total_analysis_time_millis": 5000,
                    "greeting_duration_millis": 3500,
                })))
                .custom_headers(headers())
                .sip_headers(typed::<Vec<SipHeader>>(json!([{"name": "User-to-User", "value": "12345"}])))
                .conference_config(typed::<CallRequestConferenceConfig>(json!({
                    "conference_name": "sales",
                    "start_conference_on_enter": true,
                    "beep_enabled": "on_exit",
                    "supervisor_role": "whisper",
                    "whisper_call_control_ids": [OTHER_CALL],
                })))
                .webhook_retries_policies(typed::<BTreeMap<String, CallRequestWebhookRetriesPoliciesValue>>(
                    json!({"call.answered": {"retries_ms": [1000, 2000]}}),
                ))
                .webhook_urls(BTreeMap::from([(
                    "call.hangup".to_owned(),
                    "https://example.com/hangup".to_owned(),
                )]))
                .webhook_urls_method("POST")
                .media_encryption("SRTP")
                .sip_transport_protocol("TLS")
                .record("record-from-answer")
                .record_channels("single")
                .record_track("inbound")
                .stream_url("wss://example.com/stream")
                .stream_bidirectional_sampling_rate(16000)
                .link_to(OTHER_CALL)
                .bridge_intent(true)
                .prevent_double_bridge(true)
                .privacy("id")),
        ),
        case(
            "calls.dial",
            json!({"connection_id": CONNECTION, "to": "+18005550100", "from_": "+18005550101"}),
            rust!(c => c.calls().dial(CONNECTION, "+18005550100", "+18005550101")),
        )
        .variant("required only"),
        case(
            "calls.retrieve_status",
            json!({"call_control_id": CALL}),
            rust!(c => c.calls().retrieve_status(CALL)),
        ),
        // ---- calls.actions
        case(
            "calls.actions.answer",
            json!({
                "call_control_id": CALL,
                "billing_group_id": "f5586561-8ff0-4291-a0ac-84fe544797bd",
                "client_state": STATE,
                "command_id": COMMAND,
                "custom_headers": [{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}],
                "sip_headers": [{"name": "User-to-User", "value": "12345"}],
                "record": "record-from-answer",
                "record_channels": "dual",
                "record_format": "mp3",
                "record_max_length": 3600,
                "send_silence_when_idle": true,
                "stream_url": "wss://example.com/stream",
                "stream_track": "both_tracks",
                "transcription": true,
                "transcription_config": {
                    "transcription_engine": "Google",
                    "transcription_engine_config": {
                        "transcription_engine": "Google",
                        "language": "en",
                        "interim_results": true,
                    },
                    "transcription_tracks": "both",
                },
                "webhook_url": "https://example.com/answer",
                "webhook_url_method": "GET",
            }),
            rust!(c => c
                .calls()
                .actions()
                .answer(CALL)
                .billing_group_id("f5586561-8ff0-4291-a0ac-84fe544797bd")
                .client_state(STATE)
                .command_id(COMMAND)
                .custom_headers(headers())
                .sip_headers(typed::<Vec<SipHeader>>(json!([{"name": "User-to-User", "value": "12345"}])))
                .record("record-from-answer")
                .record_channels("dual")
                .record_format("mp3")
                .record_max_length(3600)
                .send_silence_when_idle(true)
                .stream_url("wss://example.com/stream")
                .stream_track("both_tracks")
                .transcription(true)
                .transcription_config(typed::<TranscriptionStartRequest>(json!({
                    "transcription_engine": "Google",
                    "transcription_engine_config": {
                        "transcription_engine": "Google",
                        "language": "en",
                        "interim_results": true,
                    },
                    "transcription_tracks": "both",
                })))
                .webhook_url("https://example.com/answer")
                .webhook_url_method("GET")),
        ),
        case(
            "calls.actions.answer",
            json!({
                "call_control_id": CALL,
                "webhook_urls": {
                    "call.answered": ["https://example.com/answered"],
                    "call.hangup": ["https://example.com/hangup"],
                },
                "webhook_urls_method": "POST",
            }),
            rust!(c => c
                .calls()
                .actions()
                .answer(CALL)
                .webhook_urls(BTreeMap::from([
                    ("call.answered".to_owned(), "https://example.com/answered".to_owned()),
                    ("call.hangup".to_owned(), "https://example.com/hangup".to_owned()),
                ]))
                .webhook_urls_method("POST")),
        )
        .variant("webhook_urls as the SDK types them")
        .quirk(WEBHOOK_URLS_QUIRK, |request| {
            let urls = request.body.as_mut().and_then(|body| body.get_mut("webhook_urls"));
            for url in urls.and_then(Value::as_object_mut).into_iter().flat_map(|map| map.values_mut()) {
                if let Some([only]) = url.as_array().map(Vec::as_slice) {
                    *url = only.clone();
                }
            }
        }),
        case(
            "calls.actions.bridge",
            json!({
                "call_control_id_to_bridge": CALL,
                "call_control_id_to_bridge_with": OTHER_CALL,
                "client_state": STATE,
                "command_id": COMMAND,
                "park_after_unbridge": "self",
                "hold_after_unbridge": false,
                "play_ringtone": true,
                "ringtone": "nl",
                "mute_dtmf": "opposite",
                "record": "record-from-answer",
                "record_trim": "trim-silence",
            }),
            rust!(c => c
                .calls()
                .actions()
                .bridge(CALL, OTHER_CALL)
                .client_state(STATE)
                .command_id(COMMAND)
                .park_after_unbridge("self")
                .hold_after_unbridge(false)
                .play_ringtone(true)
                .ringtone("nl")
                .mute_dtmf("opposite")
                .record("record-from-answer")
                .record_trim("trim-silence")),
        ),
        case(
            "calls.actions.enqueue",
            json!({
                "call_control_id": CALL,
                "queue_name": "support",
                "client_state": STATE,
                "max_size": 20,
                "max_wait_time_secs": 600,
                "keep_after_hangup": true,
            }),
            rust!(c => c
                .calls()
                .actions()
                .enqueue(CALL, "support")
                .client_state(STATE)
                .max_size(20)
                .max_wait_time_secs(600)
                .keep_after_hangup(true)),
        ),
        case(
            "calls.actions.hangup",
            json!({
                "call_control_id": CALL,
                "client_state": STATE,
                "command_id": COMMAND,
                "custom_headers": [{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}],
            }),
            rust!(c => c
                .calls()
                .actions()
                .hangup(CALL)
                .client_state(STATE)
                .command_id(COMMAND)
                .custom_headers(headers())),
        ),
        case(
            "calls.actions.hangup",
            json!({"call_control_id": CALL}),
            rust!(c => c.calls().actions().hangup(CALL)),
        )
        .variant("required only"),
        case(
            "calls.actions.leave_queue",
            json!({"call_control_id": CALL, "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c.calls().actions().leave_queue(CALL).client_state(STATE).command_id(COMMAND)),
        ),
        case(
            "calls.actions.refer",
            json!({
                "call_control_id": CALL,
                "sip_address": "sip:username@sip.non-telnyx-address.com",
                "client_state": STATE,
                "custom_headers": [{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}],
                "sip_headers": [{"name": "User-to-User", "value": "12345"}],
                "sip_auth_username": "agent",
                "sip_auth_password": "s3cret",
            }),
            rust!(c => c
                .calls()
                .actions()
                .refer(CALL, "sip:username@sip.non-telnyx-address.com")
                .client_state(STATE)
                .custom_headers(headers())
                .sip_headers(typed::<Vec<SipHeader>>(json!([{"name": "User-to-User", "value": "12345"}])))
                .sip_auth_username("agent")
                .sip_auth_password("s3cret")),
        ),
        case(
            "calls.actions.reject",
            json!({"call_control_id": CALL, "cause": "USER_BUSY", "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c
                .calls()
                .actions()
                .reject(CALL, "USER_BUSY")
                .client_state(STATE)
                .command_id(COMMAND)),
        ),
        case(
            "calls.actions.send_dtmf",
            json!({"call_control_id": CALL, "digits": "1www2WABCDw9", "duration_millis": 500, "client_state": STATE}),
            rust!(c => c
                .calls()
                .actions()
                .send_dtmf(CALL, "1www2WABCDw9")
                .duration_millis(500)
                .client_state(STATE)),
        ),
        case(
            "calls.actions.send_sip_info",
            json!({
                "call_control_id": CALL,
                "content_type": "application/json",
                "body": "{\"key\": \"value\", \"numValue\": 100}",
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .send_sip_info(CALL, "application/json", "{\"key\": \"value\", \"numValue\": 100}")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.start_forking",
            json!({
                "call_control_id": CALL,
                "rx": "udp:192.0.2.1:9000",
                "tx": "udp:192.0.2.1:9001",
                "stream_type": "decrypted",
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .start_forking(CALL)
                .rx("udp:192.0.2.1:9000")
                .tx("udp:192.0.2.1:9001")
                .stream_type("decrypted")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.start_noise_suppression",
            json!({
                "call_control_id": CALL,
                "direction": "both",
                "noise_suppression_engine": "Krisp",
                "noise_suppression_engine_config": {"model": "krisp-viva-tel-v2.kef", "suppression_level": 0.8},
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .start_noise_suppression(CALL)
                .direction("both")
                .noise_suppression_engine("Krisp")
                .noise_suppression_engine_config(typed::<NoiseSuppressionEngineConfig>(json!(
                    {"model": "krisp-viva-tel-v2.kef", "suppression_level": 0.8}
                )))
                .client_state(STATE)),
        ),
        case(
            "calls.actions.start_siprec",
            json!({
                "call_control_id": CALL,
                "connector_name": "my-siprec-connector",
                "siprec_track": "both_tracks",
                "sip_transport": "tls",
                "session_timeout_secs": 600,
                "secure": true,
                "include_metadata_custom_headers": true,
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .start_siprec(CALL)
                .connector_name("my-siprec-connector")
                .siprec_track("both_tracks")
                .sip_transport("tls")
                .session_timeout_secs(600)
                .secure(true)
                .include_metadata_custom_headers(true)
                .client_state(STATE)),
        ),
        case(
            "calls.actions.start_streaming",
            json!({
                "call_control_id": CALL,
                "stream_url": "wss://example.com/stream",
                "stream_track": "both_tracks",
                "stream_codec": "PCMA",
                "stream_bidirectional_mode": "rtp",
                "stream_bidirectional_codec": "G722",
                "stream_bidirectional_sampling_rate": 16000,
                "stream_bidirectional_target_legs": "both",
                "custom_parameters": [{"name": "tenant", "value": "acme"}],
                "enable_dialogflow": false,
                "stream_auth_token": "token-123",
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .start_streaming(CALL)
                .stream_url("wss://example.com/stream")
                .stream_track("both_tracks")
                .stream_codec("PCMA")
                .stream_bidirectional_mode("rtp")
                .stream_bidirectional_codec("G722")
                .stream_bidirectional_sampling_rate(16000)
                .stream_bidirectional_target_legs("both")
                .custom_parameters(typed::<Vec<StartStreamingRequestCustomParametersItem>>(json!(
                    [{"name": "tenant", "value": "acme"}]
                )))
                .enable_dialogflow(false)
                .stream_auth_token("token-123")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.start_transcription",
            json!({
                "call_control_id": CALL,
                "transcription_engine": "Google",
                "transcription_engine_config": {
                    "transcription_engine": "Google",
                    "language": "en",
                    "interim_results": true,
                    "enable_speaker_diarization": true,
                    "min_speaker_count": 2,
                    "max_speaker_count": 4,
                    "hints": ["Telnyx", "SIPREC"],
                },
                "transcription_tracks": "inbound",
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .start_transcription(CALL)
                .transcription_engine("Google")
                .transcription_engine_config(typed::<TranscriptionStartRequestTranscriptionEngineConfig>(json!({
                    "transcription_engine": "Google",
                    "language": "en",
                    "interim_results": true,
                    "enable_speaker_diarization": true,
                    "min_speaker_count": 2,
                    "max_speaker_count": 4,
                    "hints": ["Telnyx", "SIPREC"],
                })))
                .transcription_tracks("inbound")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.stop_forking",
            json!({"call_control_id": CALL, "stream_type": "raw", "client_state": STATE}),
            rust!(c => c
                .calls()
                .actions()
                .stop_forking(CALL)
                .stream_type("raw")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.stop_noise_suppression",
            json!({"call_control_id": CALL, "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c
                .calls()
                .actions()
                .stop_noise_suppression(CALL)
                .client_state(STATE)
                .command_id(COMMAND)),
        ),
        case(
            "calls.actions.stop_siprec",
            json!({"call_control_id": CALL, "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c
                .calls()
                .actions()
                .stop_siprec(CALL)
                .client_state(STATE)
                .command_id(COMMAND)),
        ),
        case(
            "calls.actions.stop_streaming",
            json!({
                "call_control_id": CALL,
                "stream_id": "1edb94f9-7ef0-4150-b502-e0ebadfd9491",
                "client_state": STATE,
            }),
            rust!(c => c
                .calls()
                .actions()
                .stop_streaming(CALL)
                .stream_id("1edb94f9-7ef0-4150-b502-e0ebadfd9491")
                .client_state(STATE)),
        ),
        case(
            "calls.actions.stop_transcription",
            json!({"call_control_id": CALL, "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c
                .calls()
                .actions()
                .stop_transcription(CALL)
                .client_state(STATE)
                .command_id(COMMAND)),
        ),
        case(
            "calls.actions.switch_supervisor_role",
            json!({"call_control_id": CALL, "role": "whisper"}),
            rust!(c => c.calls().actions().switch_supervisor_role(CALL, "whisper")),
        ),
        case(
            "calls.actions.transfer",
            json!({
                "call_control_id": CALL,
                "to": "+18005550100",
                "from_": "+18005550101",
                "from_display_name": "Acme Support",
                "timeout_secs": 45,
                "time_limit_secs": 600,
                "answering_machine_detection": "detect",
                "answering_machine_detection_config": {
                    "total_analysis_time_millis": 5000,
                    "after_greeting_silence_millis": 1000,
                },
                "custom_headers": [{"name": "X-Account", "value": "acme"}, {"name": "X-Route", "value": "eu-1"}],
                "sip_headers": [{"name": "User-to-User", "value": "12345"}],
                "sound_modifications": {"pitch": 0.8, "semitone": -2, "octaves": 0.1, "track": "both"},
                "target_leg_client_state": "aGV5",
                "early_media": true,
                "mute_dtmf": "both",
                "record": "record-from-answer",
                "record_format": "wav",
                "sip_region": "Europe",
                "webhook_url": "https://example.com/transfer",
            }),
            rust!(c => c
                .calls()
                .actions()
                .transfer(CALL, "+18005550100")
                .from("+18005550101")
                .from_display_name("Acme Support")
                .timeout_secs(45)
                .time_limit_secs(600)
                .answering_machine_detection("detect")
                .answering_machine_detection_config(typed::<TransferCallRequestAnsweringMachineDetectionConfig>(json!({
                    "total_analysis_time_millis": 5000,
                    "after_greeting_silence_millis": 1000,
                })))
                .custom_headers(headers())
                .sip_headers(typed::<Vec<SipHeader>>(json!([{"name": "User-to-User", "value": "12345"}])))
                .sound_modifications(typed::<SoundModifications>(json!(
                    {"pitch": 0.8, "semitone": -2, "octaves": 0.1, "track": "both"}
                )))
                .target_leg_client_state("aGV5")
                .early_media(true)
                .mute_dtmf("both")
                .record("record-from-answer")
                .record_format("wav")
                .sip_region("Europe")
                .webhook_url("https://example.com/transfer")),
        )
        .quirk(FLOAT_QUIRK, |request| {
            float_at(request, &["sound_modifications", "semitone"]);
        }),
        case(
            "calls.actions.update_client_state",
            json!({"call_control_id": CALL, "client_state": STATE}),
            rust!(c => c.calls().actions().update_client_state(CALL, STATE)),
        ),
        // ---- conferences
        case(
            "conferences.create",
            json!({
                "call_control_id": CALL,
                "name": "Business",
                "beep_enabled": "on_enter",
                "client_state": STATE,
                "comfort_noise": false,
                "duration_minutes": 5,
                "hold_audio_url": "https://example.com/hold.wav",
                "max_participants": 10,
                "start_conference_on_create": false,
                "region": "US",
            }),
            rust!(c => c
                .conferences()
                .create(CALL, "Business")
                .beep_enabled("on_enter")
                .client_state(STATE)
                .comfort_noise(false)
                .duration_minutes(5)
                .hold_audio_url("https://example.com/hold.wav")
                .max_participants(10)
                .start_conference_on_create(false)
                .region("US")),
        ),
        case(
            "conferences.list",
            json!({
                "filter": {
                    "name": "Sales & Support / Zürich",
                    "status": "in_progress",
                    "occurred_at": {"gt": "2024-01-01T00:00:00Z"},
                },
                "page_number": 2,
                "page_size": 10,
                "region": "Middle East",
            }),
            rust!(c => c
                .conferences()
                .list()
                .filter(typed::<CallControlFilterConsolidated>(json!({
                    "name": "Sales & Support / Zürich",
                    "status": "in_progress",
                    "occurred_at": {"gt": "2024-01-01T00:00:00Z"},
                })))
                .page(typed::<CallControlPageConsolidated>(json!({"number": 2, "size": 10})))
                .region("Middle East")),
        ),
        case(
            "conferences.list",
            json!({}),
            rust!(c => c.conferences().list()),
        )
        .variant("no inputs"),
        case(
            "conferences.list_participants",
            json!({
                "conference_id": CONFERENCE,
                "filter": {"muted": true, "on_hold": false},
                "page_number": 1,
                "page_size": 25,
                "region": "Europe",
            }),
            rust!(c => c
                .conferences()
                .list_participants(CONFERENCE)
                .filter(typed::<ListConferenceParticipantsFilter>(json!({"muted": true, "on_hold": false})))
                .page(typed::<CallControlPageConsolidated>(json!({"number": 1, "size": 25})))
                .region("Europe")),
        ),
        case(
            "conferences.retrieve",
            json!({"id": CONFERENCE, "region": "Australia"}),
            rust!(c => c.conferences().retrieve(CONFERENCE).region("Australia")),
        ),
        // ---- conferences.actions
        case(
            "conferences.actions.end_conference",
            json!({"id": CONFERENCE, "command_id": COMMAND}),
            rust!(c => c.conferences().actions().end_conference(CONFERENCE).command_id(COMMAND)),
        ),
        case(
            "conferences.actions.gather_dtmf_audio",
            json!({
                "id": CONFERENCE,
                "call_control_id": CALL,
                "audio_url": "https://example.com/prompt.wav",
                "invalid_audio_url": "https://example.com/invalid.wav",
                "minimum_digits": 1,
                "maximum_digits": 4,
                "maximum_tries": 3,
                "timeout_millis": 30000,
                "valid_digits": "123",
                "terminating_digit": "#",
                "gather_id": "menu-1",
                "client_state": STATE,
            }),
            rust!(c => c
                .conferences()
                .actions()
                .gather_dtmf_audio(CONFERENCE, CALL)
                .audio_url("https://example.com/prompt.wav")
                .invalid_audio_url("https://example.com/invalid.wav")
                .minimum_digits(1)
                .maximum_digits(4)
                .maximum_tries(3)
                .timeout_millis(30000)
                .valid_digits("123")
                .terminating_digit("#")
                .gather_id("menu-1")
                .client_state(STATE)),
        ),
        case(
            "conferences.actions.hold",
            json!({
                "id": CONFERENCE,
                "call_control_ids": [CALL],
                "audio_url": "https://example.com/hold.wav",
                "region": "US",
            }),
            rust!(c => c
                .conferences()
                .actions()
                .hold(CONFERENCE)
                .call_control_ids(vec![CALL.to_owned()])
                .audio_url("https://example.com/hold.wav")
                .region("US")),
        ),
        case(
            "conferences.actions.join",
            json!({
                "id": CONFERENCE,
                "call_control_id": CALL,
                "beep_enabled": "always",
                "client_state": STATE,
                "command_id": COMMAND,
                "end_conference_on_exit": true,
                "hold": true,
                "hold_audio_url": "https://example.com/hold.wav",
                "mute": false,
                "start_conference_on_enter": true,
                "supervisor_role": "whisper",
                "whisper_call_control_ids": [OTHER_CALL],
            }),
            rust!(c => c
                .conferences()
                .actions()
                .join(CONFERENCE, CALL)
                .beep_enabled("always")
                .client_state(STATE)
                .command_id(COMMAND)
                .end_conference_on_exit(true)
                .hold(true)
                .hold_audio_url("https://example.com/hold.wav")
                .mute(false)
                .start_conference_on_enter(true)
                .supervisor_role("whisper")
                .whisper_call_control_ids(vec![OTHER_CALL.to_owned()])),
        ),
        case(
            "conferences.actions.leave",
            json!({"id": CONFERENCE, "call_control_id": CALL, "beep_enabled": "never", "command_id": COMMAND}),
            rust!(c => c
                .conferences()
                .actions()
                .leave(CONFERENCE, CALL)
                .beep_enabled("never")
                .command_id(COMMAND)),
        ),
        case(
            "conferences.actions.mute",
            json!({"id": CONFERENCE, "call_control_ids": [CALL, OTHER_CALL], "region": "Europe"}),
            rust!(c => c
                .conferences()
                .actions()
                .mute(CONFERENCE)
                .call_control_ids(vec![CALL.to_owned(), OTHER_CALL.to_owned()])
                .region("Europe")),
        ),
        case(
            "conferences.actions.mute",
            json!({"id": CONFERENCE}),
            rust!(c => c.conferences().actions().mute(CONFERENCE)),
        )
        .variant("required only"),
        case(
            "conferences.actions.play",
            json!({
                "id": CONFERENCE,
                "audio_url": "https://example.com/announcement.mp3",
                "loop": 3,
                "call_control_ids": [CALL],
            }),
            rust!(c => c
                .conferences()
                .actions()
                .play(CONFERENCE)
                .audio_url("https://example.com/announcement.mp3")
                .loop_(3)
                .call_control_ids(vec![CALL.to_owned()])),
        ),
        case(
            "conferences.actions.play",
            json!({"id": CONFERENCE, "media_name": "hold-music", "loop": "infinity", "region": "Middle East"}),
            rust!(c => c
                .conferences()
                .actions()
                .play(CONFERENCE)
                .media_name("hold-music")
                .loop_("infinity")
                .region("Middle East")),
        )
        .variant("endless loop"),
        case(
            "conferences.actions.record_pause",
            json!({"id": CONFERENCE, "recording_id": RECORDING, "command_id": COMMAND}),
            rust!(c => c
                .conferences()
                .actions()
                .record_pause(CONFERENCE)
                .recording_id(RECORDING)
                .command_id(COMMAND)),
        ),
        case(
            "conferences.actions.record_resume",
            json!({"id": CONFERENCE, "recording_id": RECORDING, "command_id": COMMAND}),
            rust!(c => c
                .conferences()
                .actions()
                .record_resume(CONFERENCE)
                .recording_id(RECORDING)
                .command_id(COMMAND)),
        ),
        case(
            "conferences.actions.record_start",
            json!({
                "id": CONFERENCE,
                "format": "mp3",
                "channels": "dual",
                "play_beep": true,
                "trim": "trim-silence",
                "custom_file_name": "weekly-sync",
                "command_id": COMMAND,
            }),
            rust!(c => c
                .conferences()
                .actions()
                .record_start(CONFERENCE, "mp3")
                .channels("dual")
                .play_beep(true)
                .trim("trim-silence")
                .custom_file_name("weekly-sync")
                .command_id(COMMAND)),
        ),
        case(
            "conferences.actions.record_stop",
            json!({"id": CONFERENCE, "recording_id": RECORDING, "client_state": STATE, "command_id": COMMAND}),
            rust!(c => c
                .conferences()
                .actions()
                .record_stop(CONFERENCE)
                .recording_id(RECORDING)
                .client_state(STATE)
                .command_id(COMMAND)),
        ),
        case(
            "conferences.actions.send_dtmf",
            json!({
                "id": CONFERENCE,
                "digits": "1234#",
                "call_control_ids": [CALL],
                "duration_millis": 250,
                "client_state": STATE,
            }),
            rust!(c => c
                .conferences()
                .actions()
                .send_dtmf(CONFERENCE, "1234#")
                .call_control_ids(vec![CALL.to_string()])
                .duration_millis(250)
                .client_state(STATE)),
        ),
        case(
            "conferences.actions.speak",
            json!({
                "id": CONFERENCE,
                "payload": "The meeting starts now.",
                "voice": "Telnyx.KokoroTTS.af",
                "payload_type": "text",
                "language": "en-US",
                "call_control_ids": [CALL],
                "command_id": COMMAND,
                "voice_settings": {"type": "telnyx", "voice_speed": 1.25},
            }),
            rust!(c => c
                .conferences()
                .actions()
                .speak(CONFERENCE, "The meeting starts now.", "Telnyx.KokoroTTS.af")
                .payload_type("text")
                .language("en-US")
                .call_control_ids(vec![CALL.to_owned()])
                .command_id(COMMAND)
                .voice_settings(typed::<ConferenceSpeakRequestVoiceSettings>(json!(
                    {"type": "telnyx", "voice_speed": 1.25}
                )))),
        ),
        case(
            "conferences.actions.stop",
            json!({"id": CONFERENCE, "call_control_ids": [CALL]}),
            rust!(c => c
                .conferences()
                .actions()
                .stop(CONFERENCE)
                .call_control_ids(vec![CALL.to_owned()])),
        ),
        case(
            "conferences.actions.unhold",
            json!({"id": CONFERENCE, "call_control_ids": [CALL, OTHER_CALL], "region": "Australia"}),
            rust!(c => c
                .conferences()
                .actions()
                .unhold(CONFERENCE, vec![CALL.to_owned(), OTHER_CALL.to_owned()])
                .region("Australia")),
        ),
        case(
            "conferences.actions.unmute",
            json!({"id": CONFERENCE, "call_control_ids": [CALL]}),
            rust!(c => c
                .conferences()
                .actions()
                .unmute(CONFERENCE)
                .call_control_ids(vec![CALL.to_owned()])),
        ),
        case(
            "conferences.actions.update",
            json!({
                "id": CONFERENCE,
                "call_control_id": CALL,
                "supervisor_role": "barge",
                "whisper_call_control_ids": [OTHER_CALL],
                "command_id": COMMAND,
            }),
            rust!(c => c
                .conferences()
                .actions()
                .update(CONFERENCE, CALL, "barge")
                .whisper_call_control_ids(vec![OTHER_CALL.to_owned()])
                .command_id(COMMAND)),
        ),
        // ---- connections
        case(
            "connections.list_active_calls",
            json!({"connection_id": APPLICATION, "page_number": 3, "page_size": 20}),
            rust!(c => c
                .connections()
                .list_active_calls(APPLICATION)
                .page(typed::<CallControlPageConsolidated>(json!({"number": 3, "size": 20})))),
        ),
    ]
}

/// One request as the capture server saw it, reduced to what is compared.
#[derive(Debug, Clone, PartialEq)]
struct Captured {
    method: String,
    /// Percent-decoded, without the case prefix.
    path: String,
    /// Percent-decoded and sorted.
    query: Vec<(String, String)>,
    /// `None` for an empty body; a non-JSON body is kept as a string.
    body: Option<Value>,
}

impl Captured {
    fn from_request(request: &Request, prefix: &str) -> Self {
        let path = percent_decode_str(request.url.path())
            .decode_utf8_lossy()
            .into_owned();
        let path = path.strip_prefix(prefix).unwrap_or(&path).to_owned();
        let mut query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        query.sort();
        let body = (!request.body.is_empty()).then(|| {
            serde_json::from_slice(&request.body).unwrap_or_else(|_| {
                Value::String(format!(
                    "<not JSON> {}",
                    String::from_utf8_lossy(&request.body)
                ))
            })
        });
        Self {
            method: request.method.to_string(),
            path,
            query,
            body,
        }
    }

    /// Removes the `command_id` this crate generates when the caller sets
    /// none (which makes retries safe) if the SDK's request has none either;
    /// it is a UUID v4, different on every call, so it cannot match.
    fn drop_generated_command_id(&mut self, sdk: &Captured) {
        let sdk_has_one = sdk
            .body
            .as_ref()
            .is_some_and(|body| body.get("command_id").is_some());
        if sdk_has_one {
            return;
        }
        let Some(Value::Object(body)) = &mut self.body else {
            return;
        };
        if let Some(Value::String(id)) = body.get("command_id") {
            if id.len() == 36 && &id[14..15] == "4" {
                body.remove("command_id");
            }
        }
    }

    /// The parts in which `self` and `other` differ, one line each.
    fn diff(&self, other: &Captured, left: &str, right: &str) -> String {
        let mut out = String::new();
        if self.method != other.method || self.path != other.path {
            let _ = writeln!(
                out,
                "    request line: {left} {} {} / {right} {} {}",
                self.method, self.path, other.method, other.path
            );
        }
        if self.query != other.query {
            let only = |a: &[(String, String)], b: &[(String, String)]| -> Vec<String> {
                a.iter()
                    .filter(|pair| !b.contains(pair))
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect()
            };
            let _ = writeln!(
                out,
                "    query: only {left}: {:?}; only {right}: {:?}",
                only(&self.query, &other.query),
                only(&other.query, &self.query)
            );
        }
        if self.body != other.body {
            let mut lines = Vec::new();
            json_diff(
                "body",
                self.body.as_ref().unwrap_or(&Value::Null),
                other.body.as_ref().unwrap_or(&Value::Null),
                &mut lines,
            );
            if self.body.is_none() || other.body.is_none() {
                lines.insert(
                    0,
                    format!(
                        "body present: {left} {} / {right} {}",
                        self.body.is_some(),
                        other.body.is_some()
                    ),
                );
            }
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
            let _ = writeln!(
                out,
                "    {left} body: {}\n    {right} body: {}",
                compact(&self.body),
                compact(&other.body)
            );
        }
        out
    }
}

fn compact(body: &Option<Value>) -> String {
    body.as_ref()
        .map_or_else(|| "(none)".to_owned(), Value::to_string)
}

/// The JSON paths at which `a` and `b` differ.
fn json_diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let here = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => json_diff(&here, x, y, out),
                    (Some(x), None) => out.push(format!("{here}: only python: {x}")),
                    (None, Some(y)) => out.push(format!("{here}: only rust: {y}")),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (index, (x, y)) in x.iter().zip(y).enumerate() {
                json_diff(&format!("{path}[{index}]"), x, y, out);
            }
        }
        _ if a != b => out.push(format!("{path}: python {a} / rust {b}")),
        _ => {}
    }
}

fn workspace() -> PathBuf {
    telnyx_tests::workspace_root().to_path_buf()
}

/// Runs every case through the SDK in one Python process; one error (or
/// `None`) per case.
fn run_python(request: &Value) -> Vec<Option<String>> {
    let answer = common::python::run_script("sdk_equivalence.py", request);
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| result["error"].as_str().map(str::to_owned))
        .collect()
}

fn quirk_sections() -> BTreeSet<String> {
    let text = std::fs::read_to_string(workspace().join("spec/quirks.md")).expect("spec/quirks.md");
    text.lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(|heading| heading.trim().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_and_this_crate_send_the_same_requests() {
    let started = Instant::now();
    common::python::python();
    let cases = cases();

    let seeds: BTreeSet<String> = common::seeds::seed_methods(&common::seeds::seeds_dir())
        .into_iter()
        .filter(|method| !NOT_HTTP.contains(&method.as_str()))
        .collect();
    let covered: BTreeSet<String> = cases.iter().map(|case| case.method.to_owned()).collect();
    assert_eq!(
        seeds.len(),
        52,
        "the seeds name 52 methods that send requests"
    );
    assert_eq!(
        covered,
        seeds,
        "every seed method needs a case, and every case a seed method: \
         missing {:?}, not in the seeds {:?}",
        seeds.difference(&covered).collect::<Vec<_>>(),
        covered.difference(&seeds).collect::<Vec<_>>()
    );
    let names: BTreeSet<String> = cases.iter().map(Case::name).collect();
    assert_eq!(names.len(), cases.len(), "case names are unique");

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .mount(&server)
        .await;
    let uri = server.uri();

    let python_request = json!({
        "api_key": common::API_KEY,
        "cases": cases.iter().enumerate().map(|(index, case)| json!({
            "method": case.method,
            "base_url": format!("{uri}/py/{index}"),
            "kwargs": case.python,
        })).collect::<Vec<_>>(),
    });
    let sdk_run = tokio::task::spawn_blocking(move || run_python(&python_request));
    let rust = join_all(cases.iter().enumerate().map(|(index, case)| {
        let client = Client::builder()
            .api_key(common::API_KEY)
            .base_url(format!("{uri}/rs/{index}"))
            .build()
            .expect("valid client configuration");
        (case.rust)(client)
    }))
    .await;
    let python_errors = sdk_run.await.expect("the Python run completes");
    assert_eq!(python_errors.len(), cases.len(), "one SDK result per case");
    let sent_after = started.elapsed();

    let requests = common::received(&server).await;
    let captured = |side: &str, index: usize| -> Vec<Captured> {
        let prefix = format!("/{side}/{index}");
        requests
            .iter()
            .filter(|request| {
                let path = request.url.path();
                path.strip_prefix(&prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|request| Captured::from_request(request, &prefix))
            .collect()
    };

    let sections = quirk_sections();
    let mut failures = Vec::new();
    let mut quirked = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let name = case.name();
        let mut problems = String::new();
        let python = captured("py", index);
        let mut rust_sent = captured("rs", index);
        if let ([python], [ours]) = (python.as_slice(), rust_sent.as_mut_slice()) {
            ours.drop_generated_command_id(python);
        }
        if std::env::var_os("SDK_EQUIVALENCE_DUMP").is_some() {
            eprintln!("{name}\n  python: {python:?}\n  rust:   {rust_sent:?}");
        }
        if python.len() != 1 {
            let _ = writeln!(
                problems,
                "    the SDK sent {} requests (error: {})",
                python.len(),
                python_errors[index].as_deref().unwrap_or("none")
            );
        }
        match &rust[index] {
            Err(error)
                if rust_sent.len() != 1 || !matches!(error, telnyx_api::Error::Decode(_)) =>
            {
                let _ = writeln!(problems, "    the Rust call failed: {error} ({error:?})");
            }
            _ => {}
        }
        if rust_sent.len() != 1 {
            let _ = writeln!(problems, "    Rust sent {} requests", rust_sent.len());
        }
        if let ([python], [ours], "") = (python.as_slice(), rust_sent.as_slice(), problems.as_str())
        {
            match &case.quirk {
                None => problems.push_str(&python.diff(ours, "python", "rust")),
                Some(quirk) => {
                    if !sections.contains(quirk.section) {
                        let _ = writeln!(
                            problems,
                            "    quirk `{}` has no `## {0}` section in spec/quirks.md",
                            quirk.section
                        );
                    }
                    if python == ours {
                        let _ = writeln!(
                            problems,
                            "    quirk `{}` no longer applies: the requests are equal; \
                             remove it here and in spec/quirks.md",
                            quirk.section
                        );
                    }
                    let mut adjusted = python.clone();
                    (quirk.adjust)(&mut adjusted);
                    let diff = adjusted.diff(ours, "python+quirk", "rust");
                    if !diff.is_empty() {
                        let _ = writeln!(
                            problems,
                            "    differs beyond quirk `{}`:\n{diff}",
                            quirk.section
                        );
                    }
                    quirked.push(format!("{name}: {}", quirk.section));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}\n{problems}"));
        }
    }

    eprintln!(
        "{} cases ({} seed methods), sent in {:.1?}; documented quirks: {quirked:#?}",
        cases.len(),
        seeds.len(),
        sent_after
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ between the Python SDK and this crate:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
