//! Helpers shared by the HTTP test files (each file is its own crate, so
//! not every file uses every helper).
#![allow(dead_code)]

pub mod seeds;
pub mod webhook_vector;

use serde_json::Value;
use telnyx::Client;
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
