//! The two calls the request benchmarks make, in one place for the Rust
//! bench (`tests/benches/requests.rs`), the Python SDK peer
//! (`tests/python/bench_requests.py`) and the loopback server that answers
//! both: `calls.actions.answer` with two body fields, and
//! `conferences.list` with a deepObject `filter[...]` and `page[...]` query.

use super::loopback::Route;
use serde_json::{json, Value};

pub const API_KEY: &str = "KEY0123456789ABCDEF";
/// Sent by the Rust clients instead of the crate's versioned default, so
/// the hand-written baseline sends the same bytes in every version.
pub const USER_AGENT: &str = "telnyx-bench";

pub const CALL_CONTROL_ID: &str = "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg";
pub const CLIENT_STATE: &str = "aGF2ZSBhIG5pY2UgZGF5ID1d";
/// Set explicitly: without it the client generates one per call, and the
/// baseline could not send the same bytes.
pub const COMMAND_ID: &str = "891510ac-f3e4-11e8-af5b-de00688a4901";

pub const CONFERENCE_NAME: &str = "Sales & Support / Zürich";
pub const CONFERENCE_STATUS: &str = "in_progress";
pub const PAGE_NUMBER: i64 = 1;
pub const PAGE_SIZE: i64 = 20;

/// `AnswerCall`'s 200 response.
pub const ANSWER_RESPONSE: &str =
    r#"{"data":{"recording_id":"d7e9c1d4-8b2a-4b8f-b3a7-9a671c9e9b0a","result":"ok"}}"#;

/// `ListConferences`' 200 response: a last page of two conferences with
/// every property set.
pub fn list_response() -> Vec<u8> {
    let conference = |id: &str, status: &str| {
        json!({
            "record_type": "conference",
            "id": id,
            "name": CONFERENCE_NAME,
            "created_at": "2024-01-15T09:30:00.000000Z",
            "expires_at": "2024-01-15T13:30:00.000000Z",
            "updated_at": "2024-01-15T09:45:12.000000Z",
            "region": "us",
            "status": status,
            "connection_id": "1293384261075731499",
            "end_reason": "all_left",
            "ended_by": {
                "call_control_id": "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
                "call_session_id": "428c31b6-abf3-3bc1-b7f4-5013ef9657c1"
            }
        })
    };
    let page = json!({
        "data": [
            conference("41b9acd4-f4da-4ff5-a85c-e07e90b53f46", "in_progress"),
            conference("3fa85f64-5717-4562-b3fc-2c963f66afa6", "in_progress"),
        ],
        "meta": {"page_number": PAGE_NUMBER, "page_size": PAGE_SIZE, "total_pages": 1, "total_results": 2}
    });
    page.to_string().into_bytes()
}

/// What the loopback server answers: the two operations, nothing else.
pub fn routes() -> Vec<Route> {
    vec![
        Route {
            method: "POST",
            path_suffix: "/actions/answer",
            body: ANSWER_RESPONSE.as_bytes().to_vec(),
        },
        Route {
            method: "GET",
            path_suffix: "/conferences",
            body: list_response(),
        },
    ]
}

/// The two calls in the Python SDK's terms (its keyword arguments), for
/// `tests/python/bench_requests.py`.
pub fn python_calls() -> Value {
    json!({
        "answer": {
            "call_control_id": CALL_CONTROL_ID,
            "client_state": CLIENT_STATE,
            "command_id": COMMAND_ID,
        },
        "list": {
            "filter": {"name": CONFERENCE_NAME, "status": CONFERENCE_STATUS},
            "page_number": PAGE_NUMBER,
            "page_size": PAGE_SIZE,
        },
    })
}
