//! The configured, shareable handle to the Telnyx API, and its builder.

use std::env::VarError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{self, Either, FutureExt, Ready};
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::base_url::BaseUrl;
use super::decode::{decode_body, decode_text};
use super::retry::DEFAULT_MAX_RETRIES;
use super::transport::{RawResponse, SuccessBody, Transport};
use super::webhook::PUBLIC_KEY_VAR;
use super::{ApiRequest, ApiResponse, Clock, Error, Webhooks};

const DEFAULT_BASE_URL: &str = "https://api.telnyx.com/v2";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests in flight per client at once, as many as httpx (which Telnyx's
/// official Python SDK uses) allows connections by default.
const DEFAULT_MAX_CONNECTIONS: usize = 100;
const DEFAULT_USER_AGENT: &str = concat!("telnyx-rust/", env!("CARGO_PKG_VERSION"));
const API_KEY_VAR: &str = "TELNYX_API_KEY";
const BASE_URL_VAR: &str = "TELNYX_BASE_URL";
const REDACTED: &str = "<redacted>";

/// A client for the Telnyx API.
///
/// Cloning is cheap and clones share one connection pool, so create a client
/// once and clone it wherever it is needed.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = telnyx_api::Client::from_env()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<Transport>,
    max_connections: usize,
    webhooks: Webhooks,
}

impl Client {
    /// Creates a client for the production API with default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if `api_key` is empty or not a valid header value.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// Creates a client from the environment: the API key from
    /// `TELNYX_API_KEY` (required), the base URL from `TELNYX_BASE_URL`
    /// (optional, defaults to the production API) and the webhook public key
    /// from `TELNYX_PUBLIC_KEY` (optional, needed only to verify webhooks).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if `TELNYX_API_KEY` is unset or any of the variables
    /// is invalid.
    pub fn from_env() -> Result<Self, Error> {
        builder_from_vars(|name| std::env::var(name))?.build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request path is appended to, without a trailing
    /// slash, such as `https://api.telnyx.com/v2`.
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url.as_str()
    }

    /// Verifies and decodes incoming webhooks with the public key, tolerance
    /// and clock this client was built with. Without a public key only
    /// unverified decoding works.
    pub fn webhooks(&self) -> &Webhooks {
        &self.inner.webhooks
    }

    /// Sends `request` and decodes the JSON response body into `T`.
    #[doc(hidden)]
    pub fn execute<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static {
        self.clone()
            .execute_with_response(request)
            .map(|response| response.map(ApiResponse::into_value))
    }

    /// Sends `request` for an operation without a response body; whatever
    /// body a successful response carries is ignored.
    #[doc(hidden)]
    pub fn execute_empty(
        &self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'static {
        self.clone()
            .execute_empty_with_response(request)
            .map(|response| response.map(drop))
    }

    /// [`execute`](Self::execute), keeping the response's status and headers.
    /// It takes the client by value so that request builders can hand out
    /// a `'static` future without borrowing themselves.
    #[doc(hidden)]
    pub fn execute_with_response<T: DeserializeOwned>(
        self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<ApiResponse<T>, Error>> + Send + 'static {
        self.exchange(request, SuccessBody::Keep).map(|raw| {
            let raw = raw?;
            let value = decode_body(raw.status, &raw.body)?;
            Ok(ApiResponse::new(raw.status, raw.headers, value))
        })
    }

    /// [`execute_empty`](Self::execute_empty), keeping the response's status
    /// and headers.
    #[doc(hidden)]
    pub fn execute_empty_with_response(
        self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<ApiResponse<()>, Error>> + Send + 'static {
        self.exchange(request, SuccessBody::Discard)
            .map(|raw| raw.map(|raw| ApiResponse::new(raw.status, raw.headers, ())))
    }

    /// Sends `request` for an operation whose response is not JSON (a PDF,
    /// audio, an archive): the body as it arrived.
    #[doc(hidden)]
    pub fn execute_bytes_with_response(
        self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<ApiResponse<bytes::Bytes>, Error>> + Send + 'static {
        self.exchange(request, SuccessBody::Keep)
            .map(|raw| raw.map(|raw| ApiResponse::new(raw.status, raw.headers, raw.body)))
    }

    /// Sends `request` for an operation whose response is text (`text/csv`,
    /// `text/plain`): the body as UTF-8, which it must be.
    #[doc(hidden)]
    pub fn execute_text_with_response(
        self,
        request: ApiRequest,
    ) -> impl Future<Output = Result<ApiResponse<String>, Error>> + Send + 'static {
        self.exchange(request, SuccessBody::Keep).map(|raw| {
            let raw = raw?;
            let text = decode_text(raw.status, &raw.body)?;
            Ok(ApiResponse::new(raw.status, raw.headers, text))
        })
    }

    /// Validates and builds the request before the future exists, so that
    /// the future carries the HTTP request only, and a request that cannot
    /// be sent fails without one.
    fn exchange(
        self,
        request: ApiRequest,
        success_body: SuccessBody,
    ) -> Either<
        impl Future<Output = Result<RawResponse, Error>> + Send + 'static,
        Ready<Result<RawResponse, Error>>,
    > {
        let transport = &self.inner.transport;
        match transport.outgoing(request) {
            Ok(outgoing) => Either::Left(Arc::clone(transport).exchange(outgoing, success_body)),
            Err(error) => Either::Right(future::ready(Err(error))),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let transport = &self.inner.transport;
        f.debug_struct("Client")
            .field("base_url", &transport.base_url.as_str())
            .field("api_key", &REDACTED)
            .field("user_agent", &transport.user_agent)
            .field("timeout", &transport.timeout)
            .field("max_retries", &transport.max_retries)
            .field("max_connections", &self.inner.max_connections)
            .field("webhooks", &self.inner.webhooks)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`].
///
/// ```no_run
/// # fn main() -> Result<(), telnyx_api::Error> {
/// let client = telnyx_api::Client::builder()
///     .api_key("KEY...")
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_connections: Option<usize>,
    http_client: Option<reqwest::Client>,
    user_agent: Option<String>,
    public_key: Option<String>,
    webhook_tolerance: Option<Duration>,
    webhook_clock: Option<Arc<dyn Clock>>,
}

impl ClientBuilder {
    /// The API key sent as a bearer token. Required; surrounding whitespace
    /// (such as a trailing newline read from a file) is ignored.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The URL request paths are appended to. Defaults to
    /// `https://api.telnyx.com/v2`; point it at a mock server in tests.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The limit for a whole request, from connecting until the response
    /// body has arrived. Defaults to 60 seconds and also applies to a client
    /// given to [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request is retried (so `max_retries + 1`
    /// attempts at most). Defaults to 2, like Telnyx's official SDKs; 0
    /// turns retries off. Connection failures, timeouts and responses with
    /// status 408, 409, 429 or 5xx are retried, unless the response says
    /// `x-should-retry: false`; the wait doubles from 0.5 s up to 8 s (minus
    /// up to a quarter of random jitter), or follows the response's
    /// `retry-after-ms` / `Retry-After` when that asks for at most 60 s.
    /// A request builder's own `.max_retries(..)` overrides this.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// How many requests of this client (and its clones) may be in flight at
    /// once; more wait their turn. Defaults to 100, the connection limit of
    /// httpx, which Telnyx's official Python SDK uses.
    ///
    /// With HTTP/1.1 each request in flight needs a connection of its own,
    /// so this also bounds the sockets the client keeps busy (hyper may
    /// still open a spare one when a request starts just as another's
    /// connection returns to the pool); unless an
    /// [`http_client`](Self::http_client) is given, at most this many idle
    /// connections are kept for reuse, too. A request counts from sending
    /// until its response body has been read, not while it waits to be
    /// retried. Waiting for a turn is not part of the
    /// [`timeout`](Self::timeout).
    pub fn max_connections(mut self, max_connections: usize) -> Self {
        self.max_connections = Some(max_connections);
        self
    }

    /// Sends requests through this `reqwest` client instead of a new one,
    /// for example to share a connection pool or configure a proxy.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// The `User-Agent` header, replacing the default
    /// `telnyx-rust/<crate version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The account's public key for verifying webhooks, in base64 as the
    /// Telnyx portal shows it (Keys & Credentials > Public Key). Optional;
    /// without it [`Client::webhooks`] can only decode, not verify.
    pub fn public_key(mut self, public_key: impl Into<String>) -> Self {
        self.public_key = Some(public_key.into());
        self
    }

    /// How far a webhook's timestamp may be from now, either way. Defaults
    /// to [`DEFAULT_WEBHOOK_TOLERANCE`](super::DEFAULT_WEBHOOK_TOLERANCE),
    /// five minutes.
    pub fn webhook_tolerance(mut self, tolerance: Duration) -> Self {
        self.webhook_tolerance = Some(tolerance);
        self
    }

    /// The clock webhook timestamps are checked against, instead of the
    /// system clock; for tests.
    pub fn webhook_clock(mut self, clock: impl Clock) -> Self {
        self.webhook_clock = Some(Arc::new(clock));
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the API key is missing or empty, the
    /// base URL is not an absolute `http`/`https` URL without query, fragment
    /// or credentials, the user agent is not a valid header value,
    /// `max_connections` is 0, or the public key is not a base64 Ed25519
    /// public key.
    pub fn build(self) -> Result<Client, Error> {
        let webhooks = self.webhooks()?;
        let authorization = authorization_header(self.api_key.as_deref())?;
        let base_url = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let user_agent = HeaderValue::try_from(
            self.user_agent
                .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned()),
        )
        .map_err(|_| Error::Config("the user agent is not a valid HTTP header value".to_owned()))?;
        let max_connections = connection_limit(self.max_connections)?;
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .pool_max_idle_per_host(max_connections)
                .retry(reqwest::retry::never().max_retries_per_request(0))
                .build()
                .map_err(|error| {
                    Error::Config(format!("the HTTP client could not be created: {error}"))
                })?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Arc::new(Transport {
                    http,
                    base_url,
                    authorization,
                    user_agent,
                    timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                    max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                    connections: Semaphore::new(max_connections),
                }),
                max_connections,
                webhooks,
            }),
        })
    }

    fn webhooks(&self) -> Result<Webhooks, Error> {
        let mut webhooks = match &self.public_key {
            // The error's message never contains the key, so it can be kept.
            Some(key) => {
                Webhooks::from_base64_key(key).map_err(|error| Error::Config(error.to_string()))?
            }
            None => Webhooks::without_key(),
        };
        if let Some(tolerance) = self.webhook_tolerance {
            webhooks = webhooks.with_tolerance(tolerance);
        }
        if let Some(clock) = &self.webhook_clock {
            webhooks = webhooks.with_shared_clock(Arc::clone(clock));
        }
        Ok(webhooks)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| REDACTED))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("max_connections", &self.max_connections)
            .field("http_client", &self.http_client)
            .field("user_agent", &self.user_agent)
            .field("public_key", &self.public_key.as_ref().map(|_| REDACTED))
            .field("webhook_tolerance", &self.webhook_tolerance)
            .field("webhook_clock", &self.webhook_clock)
            .finish()
    }
}

/// Reads the client settings through `var`, which stands in for
/// [`std::env::var`] so tests need not mutate the process environment.
fn builder_from_vars(
    var: impl Fn(&str) -> Result<String, VarError>,
) -> Result<ClientBuilder, Error> {
    let api_key = match var(API_KEY_VAR) {
        Ok(api_key) => api_key,
        Err(VarError::NotPresent) => {
            return Err(Error::Config(format!("{API_KEY_VAR} is not set")))
        }
        Err(VarError::NotUnicode(_)) => {
            return Err(Error::Config(format!("{API_KEY_VAR} is not valid Unicode")))
        }
    };
    let mut builder = Client::builder().api_key(api_key);
    if let Some(base_url) = optional_var(&var, BASE_URL_VAR)? {
        builder = builder.base_url(base_url);
    }
    if let Some(public_key) = optional_var(&var, PUBLIC_KEY_VAR)? {
        builder = builder.public_key(public_key);
    }
    Ok(builder)
}

/// An unset and an empty variable both mean "use the default".
fn optional_var(
    var: impl Fn(&str) -> Result<String, VarError>,
    name: &str,
) -> Result<Option<String>, Error> {
    match var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(Some(value)),
        Ok(_) | Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => Err(Error::Config(format!("{name} is not valid Unicode"))),
    }
}

fn authorization_header(api_key: Option<&str>) -> Result<HeaderValue, Error> {
    let api_key = api_key.map(str::trim).unwrap_or_default();
    if api_key.is_empty() {
        return Err(Error::Config("an API key is required".to_owned()));
    }
    // The message must not echo the key, since errors end up in logs.
    let mut header = HeaderValue::try_from(format!("Bearer {api_key}")).map_err(|_| {
        Error::Config("the API key contains characters not allowed in an HTTP header".to_owned())
    })?;
    // Keeps the key out of HTTP/2 header compression tables and debug output.
    header.set_sensitive(true);
    Ok(header)
}

/// The semaphore's size: the requested limit, which must be positive (0
/// would make every request wait forever), capped at what tokio supports.
fn connection_limit(requested: Option<usize>) -> Result<usize, Error> {
    match requested.unwrap_or(DEFAULT_MAX_CONNECTIONS) {
        0 => Err(Error::Config(
            "max_connections must be at least 1".to_owned(),
        )),
        limit => Ok(limit.min(Semaphore::MAX_PERMITS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(result: Result<Client, Error>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn requires_a_non_empty_key() {
        config_error(Client::builder().build());
        config_error(Client::new(" \n"));
        let message = config_error(Client::new("KEY\u{7f}SECRET"));
        assert!(!message.contains("SECRET"));
    }

    #[test]
    fn checks_the_base_url_it_is_given() {
        let base = |url: &str| Client::builder().api_key("k").base_url(url).build();
        assert_eq!(Client::new("k").unwrap().base_url(), DEFAULT_BASE_URL);
        assert_eq!(
            base("https://x.test/v2/").unwrap().base_url(),
            "https://x.test/v2"
        );
        config_error(base("ftp://x.test"));
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let builder = Client::builder().api_key("SECRET");
        assert!(!format!("{builder:?}").contains("SECRET"));
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("SECRET"));
        assert!(debug.contains(REDACTED));
    }

    #[test]
    fn the_connection_limit_is_positive_and_bounded() {
        assert_eq!(connection_limit(None).unwrap(), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(connection_limit(Some(16)).unwrap(), 16);
        assert_eq!(
            connection_limit(Some(usize::MAX)).unwrap(),
            Semaphore::MAX_PERMITS
        );
        config_error(Client::builder().api_key("k").max_connections(0).build());
    }

    #[test]
    fn reads_settings_from_variables() {
        let vars = |key: Option<&'static str>, url: Option<&'static str>| {
            move |name: &str| {
                match name {
                    API_KEY_VAR => key,
                    BASE_URL_VAR => url,
                    _ => None,
                }
                .map(str::to_owned)
                .ok_or(VarError::NotPresent)
            }
        };
        let client = builder_from_vars(vars(Some("k"), Some("http://mock.test")))
            .and_then(ClientBuilder::build)
            .unwrap();
        assert_eq!(client.base_url(), "http://mock.test");
        let client = builder_from_vars(vars(Some("k"), Some("")))
            .and_then(ClientBuilder::build)
            .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert!(matches!(
            builder_from_vars(vars(None, None)),
            Err(Error::Config(message)) if message.contains(API_KEY_VAR)
        ));
    }

    #[test]
    fn validates_the_webhook_key_without_echoing_it() {
        let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
        let client = Client::builder().api_key("k").public_key(key).build();
        let verified = client.unwrap().webhooks().verify(b"", &[("", "")]);
        assert!(matches!(
            verified,
            Err(super::super::WebhookError::MissingHeader { .. })
        ));
        let bad = &key[..40];
        let message = config_error(Client::builder().api_key("k").public_key(bad).build());
        assert!(
            message.contains("public key") && !message.contains(bad),
            "{message}"
        );
        let vars = |name: &str| match name {
            API_KEY_VAR => Ok("k".to_owned()),
            PUBLIC_KEY_VAR => Ok(bad.to_owned()),
            _ => Err(VarError::NotPresent),
        };
        config_error(builder_from_vars(vars).and_then(ClientBuilder::build));
    }
}
