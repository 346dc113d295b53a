//! The hand-written foundation the generated API code is built on: the
//! client, errors, timestamps, pagination, request plumbing and webhook
//! verification.
//!
//! The commonly used items are also re-exported at the crate root.

#[cfg(feature = "axum")]
mod axum;
mod base_url;
mod body;
mod client;
mod command_id;
mod datetime;
mod decode;
mod error;
mod event_probe;
mod field_set;
mod open_enum;
mod options;
mod pagination;
mod path;
mod query;
mod request;
mod request_options;
mod response;
mod retry;
mod struct_fields;
mod transport;
mod webhook;
mod webhook_decode;
mod webhook_error;
mod webhook_headers;

#[cfg(feature = "axum")]
pub use self::axum::{VerifiedWebhook, WebhookRejection};
pub use client::{Client, ClientBuilder};
pub use command_id::new_command_id;
pub use datetime::{Date, DateTime, ParseDateTimeError};
pub use decode::decode_variant;
pub use error::{ApiError, ApiErrorDetail, DecodeError, Error, ErrorSource};
pub use event_probe::{
    decode_event_data, probe_event_type, raw_event_type, EventProbe, EventTypeAt,
};
pub use field_set::FieldSet;
pub use options::RequestOptions;
pub use pagination::{into_stream, next_cursor, next_page_number, NextPage, Page, PagedRequest};
pub use path::PathPart;
pub use query::QueryStyle;
pub use request::ApiRequest;
pub use response::ApiResponse;
pub use webhook::{
    Clock, FixedClock, PublicKey, SystemClock, Webhooks, DEFAULT_WEBHOOK_TOLERANCE,
    SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
pub use webhook_decode::{decode_typed, DecodeWebhook, WebhookDecodeError};
pub use webhook_error::WebhookError;
pub use webhook_headers::WebhookHeaders;

/// The HTTP status type used by [`Error::status`] and [`ApiError::status`].
pub use reqwest::StatusCode;

/// The header map type of [`ApiResponse::headers`] and [`ApiError::headers`].
pub use reqwest::header::HeaderMap;

#[doc(hidden)]
pub use reqwest::Method;

/// The `chrono` version [`DateTime`] and [`Date`] are built on, so callers
/// can use its API without depending on a matching version themselves.
pub use chrono;

// Generated modules use it; a specification without enums would not.
#[allow(unused_imports)]
pub(crate) use open_enum::{open_enum, open_enum_deserialize, open_enum_serialize};
pub use open_enum::{count_unknown_value, open_enum_text, unknown_value, unknown_values_seen};
pub use struct_fields::{deserialize_struct, FieldKey, StructFields};
#[allow(unused_imports)]
pub(crate) use request_options::{request_options, request_send};
