//! Header lookup for webhook verification, over the header collections
//! handlers commonly have at hand.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use reqwest::header::HeaderMap;

/// Request headers a webhook can be verified against.
///
/// Implemented for `http::HeaderMap` (what `reqwest`, `axum` and `hyper`
/// use), for slices, arrays and vectors of `(name, value)` pairs, and for
/// `HashMap` and `BTreeMap`. Names match case-insensitively; values are raw
/// bytes because HTTP allows header values that are not UTF-8.
pub trait WebhookHeaders {
    /// The value of the header named `lowercase_name` (given in lower case),
    /// matched case-insensitively, or `None` when it is absent.
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]>;
}

impl WebhookHeaders for HeaderMap {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        self.get(lowercase_name).map(|value| value.as_bytes())
    }
}

/// The first pair whose name matches wins, as it would in a `HeaderMap`.
impl<K: AsRef<str>, V: AsRef<[u8]>> WebhookHeaders for [(K, V)] {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(name, _)| name.as_ref().eq_ignore_ascii_case(lowercase_name))
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        self.as_slice().header_bytes(lowercase_name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> WebhookHeaders for Vec<(K, V)> {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        self.as_slice().header_bytes(lowercase_name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, S: BuildHasher> WebhookHeaders for HashMap<K, V, S> {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        map_lookup(self.iter(), lowercase_name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> WebhookHeaders for BTreeMap<K, V> {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        map_lookup(self.iter(), lowercase_name)
    }
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header_bytes(&self, lowercase_name: &str) -> Option<&[u8]> {
        (**self).header_bytes(lowercase_name)
    }
}

/// A map may hold the same name in several casings; an exact match is
/// preferred so the answer does not depend on the map's iteration order.
fn map_lookup<'a, K: AsRef<str> + 'a, V: AsRef<[u8]> + 'a>(
    entries: impl Iterator<Item = (&'a K, &'a V)> + Clone,
    lowercase_name: &str,
) -> Option<&'a [u8]> {
    entries
        .clone()
        .find(|(name, _)| name.as_ref() == lowercase_name)
        .or_else(|| {
            let mut matching =
                entries.filter(|(name, _)| name.as_ref().eq_ignore_ascii_case(lowercase_name));
            let first = matching.next()?;
            // Of several non-exact casings, the smallest name wins: any fixed
            // rule will do, as long as it ignores iteration order.
            Some(matching.fold(first, |best, entry| {
                if entry.0.as_ref() < best.0.as_ref() {
                    entry
                } else {
                    best
                }
            }))
        })
        .map(|(_, value)| value.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_case_insensitively() {
        let pairs = [("Telnyx-Timestamp", "1"), ("telnyx-timestamp", "2")];
        assert_eq!(pairs.header_bytes("telnyx-timestamp"), Some(&b"1"[..]));
        let map: HashMap<_, _> = pairs.into_iter().collect();
        assert_eq!(map.header_bytes("telnyx-timestamp"), Some(&b"2"[..]));
        let map: BTreeMap<_, _> = [("TELNYX-TIMESTAMP", "3"), ("Telnyx-Timestamp", "4")].into();
        assert_eq!(map.header_bytes("telnyx-timestamp"), Some(&b"3"[..]));
        assert_eq!(map.header_bytes("telnyx-signature-ed25519"), None);
    }
}
