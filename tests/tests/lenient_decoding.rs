//! The lenient decoding rules the README and the crate docs promise, each
//! through a real response: unknown fields are ignored, unknown enum values
//! are kept, `null` is accepted in optional fields the spec does not mark
//! `nullable`, and timestamps without an offset are read as UTC.
//!
//! The schemas used (`ConferenceParticipant`, `CallControlApplication`)
//! mark none of their properties `nullable` in the pinned spec.

mod common;

use common::client;

use serde_json::{json, Value};
use telnyx_api::types::{
    CallControlApplicationDtmfType, ConferenceParticipant, ConferenceParticipantStatus,
};
use telnyx_api::DateTime;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(route: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// `GET /conferences/conf-1/participants/part-1` answered with `data`.
async fn participant(data: Value) -> ConferenceParticipant {
    let server = answering(
        "/conferences/conf-1/participants/part-1",
        json!({ "data": data }),
    )
    .await;
    client(&server)
        .conferences()
        .retrieve_participant("conf-1", "part-1")
        .await
        .unwrap_or_else(|error| panic!("the participant decodes: {error:?}"))
        .data
        .expect("data")
}

fn utc(text: &str) -> DateTime {
    text.parse().expect("an RFC 3339 timestamp")
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let server = answering(
        "/conferences/conf-1/participants/part-1",
        json!({
            "data": {
                "id": "part-1",
                "muted": true,
                "new_flag": false,
                "new_object": {"nested": [1, 2, {"deeper": null}]},
            },
            "new_envelope_field": "x",
        }),
    )
    .await;

    let participant = client(&server)
        .conferences()
        .retrieve_participant("conf-1", "part-1")
        .await
        .expect("unknown fields do not fail the decode")
        .data
        .expect("data");

    assert_eq!(participant.id.as_deref(), Some("part-1"));
    assert_eq!(participant.muted, Some(true));
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let participant = participant(json!({"status": "whispering"})).await;

    let status = participant.status.expect("a status");
    assert_eq!(
        status,
        ConferenceParticipantStatus::Unknown("whispering".to_owned())
    );
    assert!(status.is_unknown());
    assert_eq!(status.to_string(), "whispering");
    // Known values still decode to their variants.
    let known = participant_status(json!({"status": "joined"})).await;
    assert_eq!(known, ConferenceParticipantStatus::Joined);
}

async fn participant_status(data: Value) -> ConferenceParticipantStatus {
    participant(data).await.status.expect("a status")
}

#[tokio::test]
async fn null_is_accepted_in_optional_fields_not_marked_nullable() {
    let participant = participant(json!({
        "id": "part-1",
        "call_control_id": null,
        "created_at": null,
        "end_conference_on_exit": null,
        "status": null,
        "whisper_call_control_ids": null,
    }))
    .await;
    assert_eq!(participant.id.as_deref(), Some("part-1"));
    assert_eq!(participant.call_control_id, None);
    assert_eq!(participant.created_at, None);
    assert_eq!(participant.end_conference_on_exit, None);
    assert_eq!(participant.status, None);
    assert_eq!(participant.whisper_call_control_ids, None);

    // Nested objects, arrays, enums and integers, and the list envelope.
    let server = answering(
        "/call_control_applications",
        json!({
            "data": [{
                "id": "app-1",
                "active": null,
                "application_name": null,
                "dtmf_type": null,
                "first_command_timeout_secs": null,
                "inbound": null,
                "outbound": {"channel_limit": null},
                "tags": null,
            }],
            "meta": null,
        }),
    )
    .await;
    let page = client(&server)
        .call_control_applications()
        .list()
        .await
        .expect("nulls do not fail the decode");
    assert_eq!(page.meta, None);
    let apps = page.data.expect("data");
    let app = &apps[0];
    assert_eq!(app.id.as_deref(), Some("app-1"));
    assert_eq!(
        (
            app.active,
            &app.application_name,
            &app.dtmf_type,
            app.first_command_timeout_secs
        ),
        (None, &None, &None, None)
    );
    assert_eq!((&app.inbound, &app.tags), (&None, &None));
    let outbound = app.outbound.as_ref().expect("outbound");
    assert_eq!(outbound.channel_limit, None);
}

#[tokio::test]
async fn unknown_enum_values_in_list_items_are_kept() {
    let server = answering(
        "/call_control_applications",
        json!({"data": [
            {"id": "a", "dtmf_type": "Carrier Pigeon"},
            {"id": "b", "dtmf_type": "RFC 2833"},
        ]}),
    )
    .await;
    let apps = client(&server)
        .call_control_applications()
        .list()
        .await
        .expect("the page decodes")
        .data
        .expect("data");
    let types: Vec<_> = apps.into_iter().map(|app| app.dtmf_type).collect();
    assert_eq!(
        types,
        [
            Some(CallControlApplicationDtmfType::Unknown(
                "Carrier Pigeon".to_owned()
            )),
            Some(CallControlApplicationDtmfType::Rfc2833),
        ]
    );
}

#[tokio::test]
async fn timestamps_without_an_offset_are_read_as_utc() {
    let cases = [
        ("2024-01-01T10:00:00", "2024-01-01T10:00:00Z"),
        ("2024-01-01T10:00:00.123456", "2024-01-01T10:00:00.123456Z"),
        ("2024-01-01 10:00:00", "2024-01-01T10:00:00Z"),
        // With an offset, the same instant as in UTC.
        ("2024-01-01T12:00:00+02:00", "2024-01-01T10:00:00Z"),
    ];
    for (sent, instant) in cases {
        let participant = participant(json!({"created_at": sent, "updated_at": sent})).await;
        assert_eq!(participant.created_at, Some(utc(instant)), "{sent}");
        assert_eq!(participant.updated_at, Some(utc(instant)), "{sent}");
    }
}
