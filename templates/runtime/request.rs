//! The description of one API call, assembled by generated operation code
//! and sent by [`Client::execute`](super::Client::execute).

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde::Serialize;

use super::path::render_path;
use super::query::{encode_query_param, to_query_string, QueryStyle};
use super::Error;

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
    path_params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    problems: Vec<String>,
}

/// A validated request, ready to be sent.
pub(crate) struct PreparedRequest {
    pub(crate) method: Method,
    /// The rendered path followed by `?query` when there is a query.
    pub(crate) path_and_query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
}

impl ApiRequest {
    /// Starts a request for `path_template`, a path relative to the base URL
    /// with `{name}` placeholders for path parameters.
    pub fn new(method: Method, path_template: &'static str) -> Self {
        Self {
            method,
            path_template,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            problems: Vec::new(),
        }
    }

    /// Sets the value of the `{name}` placeholder. The value is
    /// percent-encoded as exactly one path segment; an empty value is
    /// rejected.
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        self.path_params.push((name, value.to_owned()));
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
        let name_and_value = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`{name}` is not a valid header name"))
            .and_then(|header_name| {
                HeaderValue::from_str(value)
                    .map(|header_value| (header_name, header_value))
                    .map_err(|_| format!("header `{name}` has a value not allowed in HTTP headers"))
            });
        match name_and_value {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(problem) => self.problems.push(problem),
        }
    }

    /// Sets the JSON request body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self
                .problems
                .push(format!("the request body cannot be serialized: {error}")),
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path with all placeholders substituted and percent-encoded.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] if a placeholder has no value, a value is
    /// empty, or a value was given for a name the template lacks.
    pub fn rendered_path(&self) -> Result<String, Error> {
        render_path(self.path_template, &self.path_params).map_err(Error::InvalidRequest)
    }

    /// The query pairs in insertion order, before percent-encoding.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The headers set with [`header`](Self::header).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The serialized JSON body, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Validates the request, reporting every remembered problem at once.
    pub(crate) fn prepare(self) -> Result<PreparedRequest, Error> {
        let mut problems = self.problems;
        let path = match render_path(self.path_template, &self.path_params) {
            Ok(path) => path,
            Err(problem) => {
                problems.push(problem);
                String::new()
            }
        };
        if !problems.is_empty() {
            return Err(Error::InvalidRequest(problems.join("; ")));
        }
        let path_and_query = if self.query.is_empty() {
            path
        } else {
            format!("{path}?{}", to_query_string(&self.query))
        };
        Ok(PreparedRequest {
            method: self.method,
            path_and_query,
            headers: self.headers,
            body: self.body,
        })
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
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
        request.path_param("id", "");
        request.header("x-bad", "line\nbreak");
        let Err(Error::InvalidRequest(message)) = request.prepare() else {
            panic!("expected an invalid request");
        };
        assert!(message.contains("header `x-bad`"), "{message}");
        assert!(message.contains("`id` must not be empty"), "{message}");
    }

    #[test]
    fn prepares_path_and_encoded_query() {
        let mut request = ApiRequest::new(Method::GET, "/calls/{id}");
        request.path_param("id", "v3:a/b");
        request.query("page[size]", QueryStyle::Form { explode: true }, &5);
        request.query("skipped", QueryStyle::Form { explode: true }, &None::<u8>);
        let prepared = request.prepare().unwrap();
        assert_eq!(prepared.path_and_query, "/calls/v3:a%2Fb?page%5Bsize%5D=5");
    }
}
