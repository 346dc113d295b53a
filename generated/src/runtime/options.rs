//! Settings a caller can give one request, overriding the client's.

use std::fmt;
use std::time::Duration;

/// Per-request overrides, set through the methods every request builder
/// has (`.timeout(..)`, `.max_retries(..)`, `.header(..)`,
/// `.query_param(..)`).
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    /// Body fields sent as an explicit `null`, which the API reads as
    /// "remove the value", where leaving a field out keeps it.
    pub(crate) nulls: Vec<&'static str>,
}

impl RequestOptions {
    /// Replaces the client's timeout for each attempt of this request.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Replaces the client's retry limit for this request.
    pub fn set_max_retries(&mut self, max_retries: u32) {
        self.max_retries = Some(max_retries);
    }

    /// Adds a header, sent after (so replacing) the operation's own and the
    /// client's default headers.
    pub fn add_header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    /// Adds a query parameter after the operation's own.
    pub fn add_query_param(&mut self, name: String, value: String) {
        self.query.push((name, value));
    }

    /// Sends body field `name` as `null` (or not, when `null` is false,
    /// as after the field is given a value again).
    pub fn send_null(&mut self, name: &'static str, null: bool) {
        self.nulls.retain(|sent| *sent != name);
        if null {
            self.nulls.push(name);
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Extra headers often carry credentials, so only their names show.
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &header_names)
            .field("query", &self.query)
            .field("nulls", &self.nulls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_is_sent_once_and_can_be_taken_back() {
        let mut options = RequestOptions::default();
        options.send_null("a", true);
        options.send_null("b", true);
        options.send_null("a", true);
        assert_eq!(options.nulls, ["b", "a"]);
        options.send_null("b", false);
        assert_eq!(options.nulls, ["a"]);
    }

    #[test]
    fn debug_output_hides_header_values() {
        let mut options = RequestOptions::default();
        options.add_header("x-token".to_owned(), "SECRET".to_owned());
        let debug = format!("{options:?}");
        assert!(
            debug.contains("x-token") && !debug.contains("SECRET"),
            "{debug}"
        );
    }
}
