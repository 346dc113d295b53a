//! The description of one API call, assembled by generated operation code
//! and sent by [`Client::execute`](super::Client::execute).

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};
use reqwest::Method;
use serde::Serialize;

use super::body::{form_pairs, multipart, multipart_parts, urlencoded};
use super::path::{render_path, PathPart};
use super::query::{encode_query_param, to_query_string, QueryStyle};
use super::{Error, RequestOptions};

/// One API call: method, path, query, headers and body.
///
/// The builder methods are infallible so generated code stays linear; any
/// problem (an unserializable value, an invalid header) is remembered and
/// reported as [`Error::InvalidRequest`] by the client before any network
/// I/O happens.
#[doc(hidden)]
#[derive(Clone)]
pub struct ApiRequest {
    method: Method,
    path_template: &'static str,
    /// The template with its placeholders filled in, if it has any.
    path: Option<String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    /// The body's media type when it is not JSON.
    content_type: Option<HeaderValue>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    problems: Vec<String>,
}

/// A validated request, ready to be sent.
pub(crate) struct PreparedRequest {
    pub(crate) method: Method,
    /// The path with its `{name}` placeholders, the same for every call of
    /// an operation, so it can name the operation in traces without ids.
    pub(crate) path_template: &'static str,
    /// The full path: the base URL's own path, then the rendered one.
    pub(crate) path: String,
    /// The encoded query string without its `?`, if there are parameters.
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    /// `Content-Type` of a body that is not JSON.
    pub(crate) content_type: Option<HeaderValue>,
    /// Overrides the client's timeout for each attempt.
    pub(crate) timeout: Option<Duration>,
    /// Overrides the client's retry limit.
    pub(crate) max_retries: Option<u32>,
}

impl ApiRequest {
    /// Starts a request for `path_template`, a path relative to the base URL
    /// with `{name}` placeholders for path parameters.
    pub fn new(method: Method, path_template: &'static str) -> Self {
        Self {
            method,
            path_template,
            path: None,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            content_type: None,
            timeout: None,
            max_retries: None,
            problems: Vec::new(),
        }
    }

    /// Fills in the path template's placeholders: `parts` is the template
    /// split into its literal text and the values of its placeholders, in
    /// order. Each value is percent-encoded as exactly one path segment; an
    /// empty value is rejected.
    pub fn path(&mut self, parts: &[PathPart<'_>]) {
        match render_path(parts) {
            Ok(path) => self.path = Some(path),
            Err(problem) => self.problems.push(problem),
        }
    }

    /// Adds query parameter `name`, laid out according to `style`. A value
    /// that serializes to `null` (such as `None`) adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, style: QueryStyle, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => encode_query_param(name, style, &value, &mut self.query),
            Err(error) => self.problems.push(format!(
                "query parameter `{name}` cannot be serialized: {error}"
            )),
        }
    }

    /// Sets header `name`, replacing any earlier value.
    pub fn header(&mut self, name: &'static str, value: &str) {
        self.insert_header(name, value, false);
    }

    /// Applies the caller's per-request options: their headers and query
    /// parameters are added after the operation's own, their timeout and
    /// retry limit replace the client's.
    pub fn options(&mut self, options: &RequestOptions) {
        for (name, value) in &options.headers {
            // The caller's headers may be credentials; keep them out of logs.
            self.insert_header(name, value, true);
        }
        self.query.extend(options.query.iter().cloned());
        self.timeout = options.timeout.or(self.timeout);
        self.max_retries = options.max_retries.or(self.max_retries);
        if !options.nulls.is_empty() {
            self.add_nulls(&options.nulls);
        }
    }

    /// Adds `"name": null` to the JSON object body for each of `names`.
    /// Rare enough that reading the serialized body back costs nothing
    /// that matters, and it keeps `Option<T>` the type of every field.
    fn add_nulls(&mut self, names: &[&'static str]) {
        let body = self.body.as_deref().unwrap_or(b"{}");
        let mut object = match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(object)) => object,
            _ => {
                self.problems
                    .push("only a JSON object body can carry `null` fields".to_owned());
                return;
            }
        };
        for name in names {
            object.insert((*name).to_owned(), serde_json::Value::Null);
        }
        self.json_body(&object);
    }

    fn insert_header(&mut self, name: &str, value: &str, sensitive: bool) {
        let name_and_value = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`{name}` is not a valid header name"))
            .and_then(|header_name| {
                HeaderValue::from_str(value)
                    .map(|header_value| (header_name, header_value))
                    .map_err(|_| format!("header `{name}` has a value not allowed in HTTP headers"))
            });
        match name_and_value {
            Ok((name, mut value)) => {
                value.set_sensitive(sensitive);
                self.headers.insert(name, value);
            }
            Err(problem) => self.problems.push(problem),
        }
    }

    /// Sets the JSON request body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(bytes);
                self.content_type = None;
            }
            Err(error) => self
                .problems
                .push(format!("the request body cannot be serialized: {error}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body: the properties of
    /// the body's JSON object as `name=value` pairs.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        let pairs = serde_json::to_value(body)
            .map_err(|error| error.to_string())
            .and_then(|value| form_pairs(&value));
        match pairs {
            Ok(pairs) => self.set_body(
                urlencoded(&pairs),
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            ),
            Err(error) => self
                .problems
                .push(format!("the request body cannot be serialized: {error}")),
        }
    }

    /// Sets a `multipart/form-data` body: one part per property of the
    /// body's JSON object, the properties named in `files` as files.
    pub fn multipart_body<T: Serialize + ?Sized>(&mut self, body: &T, files: &[&str]) {
        let parts = serde_json::to_value(body)
            .map_err(|error| error.to_string())
            .and_then(|value| multipart_parts(&value, files));
        match parts {
            Ok(parts) => {
                let (bytes, content_type) = multipart(&parts);
                match HeaderValue::from_str(&content_type) {
                    Ok(content_type) => self.set_body(bytes, content_type),
                    Err(_) => self.problems.push("invalid multipart boundary".to_owned()),
                }
            }
            Err(error) => self
                .problems
                .push(format!("the request body cannot be serialized: {error}")),
        }
    }

    /// Sets a body sent as it is, with the given media type.
    pub fn binary_body(&mut self, body: impl Into<Vec<u8>>, media_type: &'static str) {
        self.set_body(body.into(), HeaderValue::from_static(media_type));
    }

    /// Asks for a response of the given media type (`Accept`), for an
    /// operation whose response is not JSON.
    pub fn accept(&mut self, media_type: &'static str) {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static(media_type));
    }

    fn set_body(&mut self, bytes: Vec<u8>, content_type: HeaderValue) {
        self.body = Some(bytes);
        self.content_type = Some(content_type);
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The query pairs in insertion order, before percent-encoding.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The headers set with [`header`](Self::header).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The serialized body, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The body's media type: `application/json` unless a form, multipart
    /// or binary body was set.
    pub fn content_type(&self) -> &str {
        self.content_type
            .as_ref()
            .and_then(|value| value.to_str().ok())
            .unwrap_or("application/json")
    }

    /// Validates the request, reporting every remembered problem at once.
    pub(crate) fn prepare(self, base_path: &str) -> Result<PreparedRequest, Error> {
        let mut problems = self.problems;
        let path = match self.path {
            Some(mut path) => {
                // Within the room the rendering left, so nothing is copied
                // to a new string.
                path.insert_str(0, base_path);
                path
            }
            None if self.path_template.contains('{') => {
                if problems.is_empty() {
                    problems.push(format!(
                        "path `{}` has no values for its placeholders",
                        self.path_template
                    ));
                }
                String::new()
            }
            None => [base_path, self.path_template].concat(),
        };
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let query = (!self.query.is_empty()).then(|| to_query_string(&self.query));
        Ok(PreparedRequest {
            method: self.method,
            path_template: self.path_template,
            path,
            query,
            headers: self.headers,
            body: self.body,
            content_type: self.content_type,
            timeout: self.timeout,
            max_retries: self.max_retries,
        })
    }
}

/// All the problems of a request, in one error.
#[cold]
fn invalid(problems: Vec<String>) -> Error {
    Error::InvalidRequest(problems.join("; "))
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
            .field("content_type", &self.content_type)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("problems", &self.problems)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem_before_sending() {
        let mut request = ApiRequest::new(Method::GET, "/calls/{id}");
        request.path(&[PathPart::Literal("/calls/"), PathPart::Param("id", "")]);
        request.header("x-bad", "line\nbreak");
        let Err(Error::InvalidRequest(message)) = request.prepare("") else {
            panic!("expected an invalid request");
        };
        assert!(message.contains("header `x-bad`"), "{message}");
        assert!(message.contains("`id` must not be empty"), "{message}");
    }

    #[test]
    fn prepares_path_and_encoded_query() {
        let mut request = ApiRequest::new(Method::GET, "/calls/{id}");
        request.path(&[
            PathPart::Literal("/calls/"),
            PathPart::Param("id", "v3:a/b"),
        ]);
        request.query("page[size]", QueryStyle::Form { explode: true }, &5);
        request.query("skipped", QueryStyle::Form { explode: true }, &None::<u8>);
        let prepared = request.clone().prepare("").unwrap();
        assert_eq!(prepared.path, "/calls/v3:a%2Fb");
        assert_eq!(request.prepare("/v2").unwrap().path, "/v2/calls/v3:a%2Fb");
        assert_eq!(prepared.query.as_deref(), Some("page%5Bsize%5D=5"));
    }

    #[test]
    fn applies_options_after_the_operation_inputs() {
        let mut options = RequestOptions::default();
        options.set_timeout(Duration::from_secs(3));
        options.set_max_retries(0);
        options.add_header("x-trace".to_owned(), "t1".to_owned());
        options.add_query_param("extra".to_owned(), "a b".to_owned());
        let mut request = ApiRequest::new(Method::GET, "/calls");
        request.query("page", QueryStyle::Form { explode: true }, &1);
        request.header("x-trace", "t0");
        request.options(&options);
        let prepared = request.prepare("/v2").unwrap();
        assert_eq!(prepared.path, "/v2/calls");
        assert_eq!(prepared.query.as_deref(), Some("page=1&extra=a%20b"));
        assert_eq!(prepared.headers["x-trace"], "t1");
        assert_eq!(prepared.timeout, Some(Duration::from_secs(3)));
        assert_eq!(prepared.max_retries, Some(0));
    }

    #[test]
    fn nulls_join_the_body_and_replace_nothing_else() {
        let mut options = RequestOptions::default();
        options.send_null("failover_url", true);
        let mut request = ApiRequest::new(Method::PATCH, "/apps");
        request.json_body(&serde_json::json!({"name": "a", "failover_url": "x"}));
        request.options(&options);
        let body: serde_json::Value = serde_json::from_slice(request.body().unwrap()).unwrap();
        assert_eq!(body, serde_json::json!({"name": "a", "failover_url": null}));
        let mut request = ApiRequest::new(Method::PATCH, "/apps");
        request.options(&options);
        assert_eq!(request.body(), Some(&br#"{"failover_url":null}"#[..]));
    }

    #[test]
    fn rejects_an_invalid_option_header_without_echoing_its_value() {
        let mut options = RequestOptions::default();
        options.add_header("x-token".to_owned(), "SECRET\n".to_owned());
        let mut request = ApiRequest::new(Method::GET, "/calls");
        request.options(&options);
        let Err(Error::InvalidRequest(message)) = request.prepare("") else {
            panic!("expected an invalid request");
        };
        assert!(
            message.contains("x-token") && !message.contains("SECRET"),
            "{message}"
        );
    }
}
