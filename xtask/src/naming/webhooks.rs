//! Variant names of the `WebhookEvent` enum: one per `event_type` value.

use super::fields::enum_variants;
use crate::ir::Api;

/// One variant of `WebhookEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventVariant {
    pub event_type: String,
    pub variant: String,
    /// Index into `api.webhooks`.
    pub webhook: usize,
}

/// Sorted by event type, so a new event adds one line wherever it lands.
/// An event type two webhooks declare is the first's variant only.
pub fn assign(api: &Api, words: &[String]) -> Vec<EventVariant> {
    let mut events: Vec<(String, usize)> = api
        .webhooks
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            let values = w.event_key.iter().flat_map(|k| k.values.iter());
            let routed = values.filter(|v| !w.shadowed_events.contains(v));
            routed.map(move |v| (v.clone(), i))
        })
        .collect();
    events.sort();
    let values: Vec<String> = events.iter().map(|(v, _)| v.clone()).collect();
    let variants = enum_variants(&values, words);
    events
        .into_iter()
        .zip(variants)
        .map(|((event_type, webhook), variant)| EventVariant {
            event_type,
            variant,
            webhook,
        })
        .collect()
}
