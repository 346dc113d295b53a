//! Helpers shared by the HTTP test files (each file is its own crate, so
//! not every file uses every helper).
#![allow(dead_code)]

pub mod captured;
pub mod fault_server;
pub mod http_wire;
pub mod python;
pub mod seeds;
pub mod suite;
pub mod webhook_vector;

use serde_json::Value;
use telnyx_api::Client;
use wiremock::{MockServer, Request};

/// Distinctive enough that a leak into any output is unmistakable.
pub const API_KEY: &str = "KEY-super-secret-123";

/// A client pointed at the mock server.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("valid client configuration")
}

pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// The JSON body of a Call Control command without its `command_id`, after
/// checking that one was generated (a UUID v4, different on every call).
pub fn command_body(request: &Request) -> Value {
    let mut body = json_body(request);
    let id = body
        .as_object_mut()
        .and_then(|object| object.remove("command_id"))
        .expect("a generated command_id");
    let id = id.as_str().expect("command_id is a string");
    assert!(id.len() == 36 && &id[14..15] == "4", "not a UUID v4: {id}");
    body
}
