//! A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with
//! fixed bytes, keeping connections alive: the far end of the request
//! benchmarks, shared by the Rust benches and the Python SDK peer so both
//! talk to the same server. Its work per request is a header scan and one
//! write, so the figures measure the clients, not the server.
//!
//! Blocking std threads, one per connection: the clients open one or two
//! connections, and a server without an async runtime keeps the xtask free
//! of one.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The path every request URL starts with, like the real API's `/v2`.
pub const BASE_PATH: &str = "/v2";
/// Request heads larger than this are refused rather than buffered.
const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Answers requests whose method matches and whose path (without the
/// query) ends with `path_suffix`.
pub struct Route {
    pub method: &'static str,
    pub path_suffix: &'static str,
    pub body: Vec<u8>,
}

/// One request as it arrived, for checking that two clients sent the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-cased names, sorted, so that header order does not count.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

struct Shared {
    /// Complete responses (status line, headers, body), one per route.
    routes: Vec<(&'static str, &'static str, Vec<u8>)>,
    not_found: Vec<u8>,
    recording: AtomicBool,
    recorded: Mutex<Vec<RecordedRequest>>,
    stopping: AtomicBool,
    /// The core every connection thread is pinned to.
    cpu: usize,
}

pub struct LoopbackServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Binds a free port of 127.0.0.1 and serves `routes` until dropped.
    pub fn start(routes: Vec<Route>) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            routes: routes
                .into_iter()
                .map(|r| (r.method, r.path_suffix, response(200, "OK", &r.body)))
                .collect(),
            not_found: response(404, "Not Found", br#"{"errors":[{"title":"no route"}]}"#),
            recording: AtomicBool::new(false),
            recorded: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            cpu: super::affinity::bench_cpu(),
        });
        let for_acceptor = Arc::clone(&shared);
        let acceptor = std::thread::Builder::new()
            .name("loopback-accept".into())
            .spawn(move || accept(&listener, &for_acceptor))?;
        Ok(Self {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:PORT/v2`: the base URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// Starts keeping a copy of every request, dropping earlier copies.
    pub fn record(&self) {
        self.recorded().clear();
        self.shared.recording.store(true, Ordering::SeqCst);
    }

    /// Stops recording and returns what arrived since [`record`](Self::record).
    pub fn take_recorded(&self) -> Vec<RecordedRequest> {
        self.shared.recording.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.recorded())
    }

    fn recorded(&self) -> std::sync::MutexGuard<'_, Vec<RecordedRequest>> {
        self.shared
            .recorded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // The acceptor blocks in accept(); one connection wakes it to see
        // the flag. Connection threads end when their client hangs up.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        let cpu = shared.cpu;
        let spawned = std::thread::Builder::new()
            .name("loopback-conn".into())
            .spawn(move || {
                // Unpinned, the figures would depend on where the scheduler
                // put this connection's thread (see `affinity`).
                let _ = super::affinity::pin_current_thread(cpu);
                let _ = serve(stream, &shared);
            });
        if spawned.is_err() {
            return;
        }
    }
}

/// Answers requests on one connection until the client closes it or sends
/// something this server does not understand.
fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader)? {
        let answer = shared
            .routes
            .iter()
            .find(|(method, suffix, _)| {
                *method == request.method && path_of(&request.target).ends_with(suffix)
            })
            .map_or(&shared.not_found, |(_, _, answer)| answer);
        // Recorded before answering: a client that has its answer must find
        // its request recorded.
        if shared.recording.load(Ordering::SeqCst) {
            shared
                .recorded
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(request);
        }
        writer.write_all(answer)?;
    }
    Ok(())
}

fn path_of(target: &str) -> &str {
    target.split_once('?').map_or(target, |(path, _)| path)
}

/// Reads one request; `None` when the client closed the connection
/// between requests.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<RecordedRequest>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(invalid("malformed request line"));
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    let mut head_bytes = line.len();
    loop {
        line.clear();
        head_bytes += reader.read_line(&mut line)?;
        if head_bytes > MAX_HEAD_BYTES {
            return Err(invalid("request head too large"));
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| invalid("malformed header"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    if headers.iter().any(|(name, _)| name == "transfer-encoding") {
        return Err(invalid("chunked bodies are not supported"));
    }
    let length = match headers.iter().find(|(name, _)| name == "content-length") {
        Some((_, value)) => value
            .parse::<usize>()
            .map_err(|_| invalid("bad content-length"))?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err(invalid("body too large"));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    headers.sort();
    Ok(Some(RecordedRequest {
        method,
        target,
        headers,
        body,
    }))
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

fn response(status: u16, reason: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: keep-alive\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn exchange(server: &LoopbackServer, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.write_all(request).unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    fn server() -> LoopbackServer {
        LoopbackServer::start(vec![Route {
            method: "POST",
            path_suffix: "/actions/answer",
            body: br#"{"data":{"result":"ok"}}"#.to_vec(),
        }])
        .unwrap()
    }

    #[test]
    fn answers_matching_requests_on_one_kept_alive_connection() {
        let server = server();
        server.record();
        let one =
            "POST /v2/calls/v3:x/actions/answer HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";
        let answer = exchange(&server, format!("{one}{one}").as_bytes());
        assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
        assert!(answer.ends_with(r#"{"data":{"result":"ok"}}"#));
        let recorded = server.take_recorded();
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[0].target, "/v2/calls/v3:x/actions/answer");
        assert_eq!(
            recorded[0].headers,
            [
                ("content-length".into(), "2".into()),
                ("host".into(), "h".into())
            ]
        );
        assert_eq!(recorded[0].body, b"{}");
    }

    #[test]
    fn answers_404_to_other_paths_and_methods() {
        let server = server();
        let answer = exchange(
            &server,
            b"GET /v2/calls/v3:x/actions/answer HTTP/1.1\r\n\r\n",
        );
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
        let answer = exchange(
            &server,
            b"POST /v2/calls?x=/actions/answer HTTP/1.1\r\n\r\n",
        );
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    }

    #[test]
    fn closes_connections_it_cannot_parse() {
        let server = server();
        let chunked = b"POST /v2/a/actions/answer HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(exchange(&server, chunked), "");
        assert_eq!(exchange(&server, b"garbage\r\n\r\n"), "");
        assert!(server.take_recorded().is_empty());
    }
}
