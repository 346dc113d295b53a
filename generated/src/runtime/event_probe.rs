//! Reading a webhook body's `event_type` before decoding the body whole,
//! so the body is then parsed once, straight into the one type it names.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use super::webhook_decode::{decode_typed, WebhookDecodeError};

/// Where a body keeps its event type.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTypeAt {
    /// `data.event_type`: the envelope Telnyx sends.
    Data,
    /// A top-level `event_type`.
    Root,
}

/// A body's event type and where it was found.
#[doc(hidden)]
#[derive(Debug)]
pub struct EventProbe<'a> {
    pub event_type: Cow<'a, str>,
    pub at: EventTypeAt,
}

/// Borrowed strings only: an escaped event type fails this probe and takes
/// the slow path, which keeps the common case free of allocation.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    data: Option<InnerProbe<'a>>,
    #[serde(borrow, default)]
    event_type: Option<&'a str>,
}

#[derive(Deserialize)]
struct InnerProbe<'a> {
    #[serde(borrow, default)]
    event_type: Option<&'a str>,
}

/// The body's event type, or `None` when the body names none or is not
/// JSON; the caller then keeps the body raw.
#[doc(hidden)]
pub fn probe_event_type(body: &[u8]) -> Option<EventProbe<'_>> {
    let Ok(envelope) = serde_json::from_slice::<Envelope<'_>>(body) else {
        return probe_unusual_shape(body);
    };
    if let Some(event_type) = envelope.data.and_then(|d| d.event_type) {
        return Some(EventProbe {
            event_type: Cow::Borrowed(event_type),
            at: EventTypeAt::Data,
        });
    }
    envelope.event_type.map(|event_type| EventProbe {
        event_type: Cow::Borrowed(event_type),
        at: EventTypeAt::Root,
    })
}

/// The slow path for bodies the borrowing probe cannot read, such as an
/// escaped event type or a non-string `event_type` beside a valid
/// `data.event_type`: a known event type must still reach its typed decoder.
fn probe_unusual_shape(body: &[u8]) -> Option<EventProbe<'static>> {
    let raw: Value = serde_json::from_slice(body).ok()?;
    let (event_type, at) = find_event_type(&raw)?;
    Some(EventProbe {
        event_type: Cow::Owned(event_type.to_owned()),
        at,
    })
}

/// Decodes the object under `data` as `T`: for events whose schema
/// describes that inner object although Telnyx wraps it in the envelope.
#[doc(hidden)]
pub fn decode_event_data<T: serde::de::DeserializeOwned>(
    body: &[u8],
    event_type: &str,
) -> Result<T, WebhookDecodeError> {
    #[derive(Deserialize)]
    struct DataOf<T> {
        data: T,
    }
    decode_typed::<DataOf<T>>(body, Some(event_type)).map(|wrapped| wrapped.data)
}

/// The event type an undecoded body names, or `""`.
#[doc(hidden)]
pub fn raw_event_type(raw: &Value) -> &str {
    find_event_type(raw).map_or("", |(event_type, _)| event_type)
}

/// The one rule for where a parsed body names its event type: a string
/// `data.event_type`, else a string top-level `event_type`.
pub(crate) fn find_event_type(raw: &Value) -> Option<(&str, EventTypeAt)> {
    match raw.pointer("/data/event_type").and_then(Value::as_str) {
        Some(inner) => Some((inner, EventTypeAt::Data)),
        None => Some((raw.get("event_type")?.as_str()?, EventTypeAt::Root)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_event_type_in_the_envelope_first() {
        let body = br#"{"event_type":"outer","data":{"event_type":"call.answered","id":"x"}}"#;
        let probe = probe_event_type(body).unwrap();
        assert_eq!(probe.event_type, "call.answered");
        assert_eq!(probe.at, EventTypeAt::Data);
        assert!(matches!(probe.event_type, Cow::Borrowed(_)));
    }

    #[test]
    fn falls_back_to_a_top_level_event_type() {
        let probe = probe_event_type(br#"{"event_type":"conference.floor.changed"}"#).unwrap();
        assert_eq!(probe.event_type, "conference.floor.changed");
        assert_eq!(probe.at, EventTypeAt::Root);
    }

    #[test]
    fn odd_neighbours_do_not_hide_the_event_type() {
        let body = br#"{"event_type":5,"data":{"event_type":"call.answered"}}"#;
        let probe = probe_event_type(body).unwrap();
        assert_eq!(probe.event_type, "call.answered");
        assert_eq!(probe.at, EventTypeAt::Data);
        let probe = probe_event_type(br#"{"data":[1],"event_type":"c.d"}"#).unwrap();
        assert_eq!(
            (probe.event_type.as_ref(), probe.at),
            ("c.d", EventTypeAt::Root)
        );
    }

    #[test]
    fn escaped_event_types_are_unescaped() {
        let probe = probe_event_type(br#"{"data":{"event_type":"call\u002eanswered"}}"#).unwrap();
        assert_eq!(probe.event_type, "call.answered");
    }

    #[test]
    fn bodies_without_an_event_type_have_none() {
        for body in [
            &br#"{"data":{"id":"x"}}"#[..],
            br#"{"data":[1,2]}"#,
            br#"{"data":{"event_type":null}}"#,
            br#"{"data":{"event_type":7}}"#,
            br#"[1]"#,
            b"not json",
        ] {
            assert!(probe_event_type(body).is_none());
        }
    }

    #[test]
    fn unwraps_the_data_envelope() {
        #[derive(Deserialize, Debug)]
        struct Inner {
            event_type: String,
        }
        let body = br#"{"data":{"event_type":"conference.floor.changed"}}"#;
        let inner: Inner = decode_event_data(body, "conference.floor.changed").unwrap();
        assert_eq!(inner.event_type, "conference.floor.changed");
        let error = decode_event_data::<Inner>(br#"{"data":{}}"#, "x").unwrap_err();
        assert_eq!(error.path(), "data");
    }

    #[test]
    fn raw_event_type_reads_either_place() {
        let raw: Value = serde_json::from_str(r#"{"data":{"event_type":"a.b"}}"#).unwrap();
        assert_eq!(raw_event_type(&raw), "a.b");
        let raw: Value = serde_json::from_str(r#"{"event_type":"c"}"#).unwrap();
        assert_eq!(raw_event_type(&raw), "c");
        assert_eq!(raw_event_type(&Value::Null), "");
    }
}
