//! A scripted HTTP/1.1 server on a loopback socket, for fault injection
//! under tokio's paused clock.
//!
//! It runs as tasks on the test's own current-thread runtime rather than on
//! a thread of its own (as wiremock does): with the paused clock, tokio jumps
//! to the next timer whenever no task can run, and a server on another
//! thread would leave the runtime looking idle while it prepares an answer,
//! firing the client's timeout early. Here a write of a small response lands
//! in the peer's socket buffer before it returns (large ones need more care,
//! see [`Fault::RespondInBulk`]), so the clock moves only when client and
//! server both wait on timers: the client's backoff sleeps and timeouts.

use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use super::http_wire::read_request;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answers with the response, keeping the connection open for the next
    /// request unless the response says `connection: close`.
    Respond(Response),
    /// Resets the connection (RST) before writing any byte of a response.
    ResetBeforeHeaders,
    /// Writes the response's head and its first `sent` body bytes, then
    /// resets the connection.
    ResetMidBody { response: Response, sent: usize },
    /// Reads the request and never answers.
    NeverAnswer,
    /// Answers with a response too large to reach the client in one
    /// segment, then closes the connection; see [`respond_in_bulk`].
    RespondInBulk(Response),
}

/// An HTTP response; `content-length` is added when it is written.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn json(self, value: &Value) -> Self {
        self.body("application/json", value.to_string())
    }

    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.header("content-type", content_type)
    }

    /// The response as written on the wire.
    pub fn bytes(&self) -> Vec<u8> {
        let mut bytes = self.head();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    fn head(&self) -> Vec<u8> {
        let reason = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("Scripted");
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        head.into_bytes()
    }

    fn closes_connection(&self) -> bool {
        self.headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close")
        })
    }
}

/// One request as it reached the server.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// When the request's head had fully arrived, on the paused clock.
    pub at: Instant,
    /// The request line and headers, without the blank line that ends them.
    pub head: String,
    pub body: Vec<u8>,
}

impl Attempt {
    /// Such as `POST /calls/abc/actions/answer HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// A running scripted server; it stops with the test's runtime.
pub struct FaultServer {
    url: String,
    state: Arc<Mutex<State>>,
}

struct State {
    script: Vec<Fault>,
    attempts: Vec<Attempt>,
}

impl State {
    /// Records the request and picks its fault: the script's entry for this
    /// attempt, the last entry once the script has run out.
    fn record(&mut self, attempt: Attempt) -> Option<Fault> {
        let index = self.attempts.len().min(self.script.len().checked_sub(1)?);
        self.attempts.push(attempt);
        Some(self.script[index].clone())
    }
}

impl FaultServer {
    /// Starts answering request `n` (counted over all connections) with
    /// `script[n]`, repeating the last entry once the script has run out.
    pub async fn start(script: Vec<Fault>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one fault");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        // An IP literal, so the client resolves no name on a blocking thread.
        let url = format!("http://{}", listener.local_addr().expect("a bound port"));
        let state = Arc::new(Mutex::new(State {
            script,
            attempts: Vec::new(),
        }));
        tokio::spawn(accept(listener, Arc::clone(&state)));
        Self { url, state }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request received so far, in order.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.lock().attempts.clone()
    }

    /// The time between the arrivals of consecutive attempts.
    pub fn gaps(&self) -> Vec<Duration> {
        let attempts = self.attempts();
        attempts
            .windows(2)
            .map(|pair| pair[1].at - pair[0].at)
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

async fn accept(listener: TcpListener, state: Arc<Mutex<State>>) {
    while let Ok((socket, _)) = listener.accept().await {
        tokio::spawn(serve(socket, Arc::clone(&state)));
    }
}

/// Answers the requests of one connection until the script or the client
/// ends it.
async fn serve(mut socket: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some((head, body)) = read_request(&mut socket, &mut buffer).await {
        let attempt = Attempt {
            at: Instant::now(),
            head,
            body,
        };
        let fault = state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(attempt);
        let Some(fault) = fault else { return };
        match fault {
            Fault::Respond(response) => {
                let written = socket.write_all(&response.bytes()).await;
                if written.is_err() || response.closes_connection() {
                    return;
                }
            }
            Fault::ResetBeforeHeaders => return reset(socket),
            Fault::ResetMidBody { response, sent } => {
                let mut bytes = response.head();
                bytes.extend_from_slice(&response.body[..sent.min(response.body.len())]);
                let _ = socket.write_all(&bytes).await;
                return reset(socket);
            }
            Fault::NeverAnswer => {
                // Holds the connection until the client gives up on it.
                let mut sink = [0; 1024];
                while matches!(socket.read(&mut sink).await, Ok(read) if read > 0) {}
                return;
            }
            Fault::RespondInBulk(response) => return respond_in_bulk(socket, response).await,
        }
    }
}

/// Writes `response` and waits for the client to close the connection, on
/// a blocking thread.
///
/// A small response reaches the client's socket within the server's write
/// call. A multi-megabyte one fills the client's receive window, and TCP
/// resumes it when the client's kernel advertises more window, which need
/// not happen inside any call this thread makes: for a moment no task can
/// run and no event is pending, and the paused clock jumps to the client's
/// timeout mid-body. Tokio does not auto-advance the clock while a blocking
/// task runs, so the clock holds still until the client has read the whole
/// body and closed its end.
async fn respond_in_bulk(socket: TcpStream, response: Response) {
    let response = response.header("connection", "close");
    let Ok(socket) = socket.into_std() else {
        return;
    };
    let exchange = move || -> std::io::Result<()> {
        socket.set_nonblocking(false)?;
        // A client that never closes would otherwise hold the clock, and
        // the test, forever; with the clock free again it times out.
        socket.set_read_timeout(Some(STUCK_CLIENT))?;
        socket.set_write_timeout(Some(STUCK_CLIENT))?;
        (&socket).write_all(&response.bytes())?;
        let mut sink = [0; 1024];
        while (&socket).read(&mut sink)? > 0 {}
        Ok(())
    };
    let _ = tokio::task::spawn_blocking(exchange).await;
}

/// Real time after which a bulk exchange stops holding the paused clock.
const STUCK_CLIENT: Duration = Duration::from_secs(60);

/// Closes with an RST instead of a FIN, as a crashed peer or a middlebox
/// would.
fn reset(socket: TcpStream) {
    let _ = socket.set_zero_linger();
    drop(socket);
}
