//! A thousand concurrent commands through one `Client` against a loopback
//! HTTP/1.1 server that counts the connections it accepts, how many are
//! open at once and how many requests it is handling at once:
//! `max_connections` bounds all three, and connections are reused instead
//! of opened per request.
//!
//! The socket counts are exact on a current-thread runtime only. There,
//! hyper hands a finished request's connection back to its pool before the
//! next waiting request looks for one. On a multi-threaded runtime the two
//! can race, and hyper then opens a spare connection that stays idle, so
//! that test checks the requests in flight exactly and the reuse loosely.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use telnyx_api::Client;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

mod common;
use common::fault_server::Response;
use common::http_wire::read_request;

const REQUESTS: usize = 1_000;
/// The client's default, documented on `ClientBuilder::max_connections`.
const DEFAULT_MAX_CONNECTIONS: usize = 100;
/// Long enough that requests pile up behind the bound, so it is reached.
const RESPONSE_DELAY: Duration = Duration::from_millis(2);
/// A deadlock guard, not a performance assertion.
const DEADLINE: Duration = Duration::from_secs(120);
const COMMAND_OK: &str = r#"{"data":{"result":"ok"}}"#;

/// What the server saw.
#[derive(Default)]
struct Counters {
    accepted: AtomicUsize,
    open: AtomicUsize,
    max_open: AtomicUsize,
    requests: AtomicUsize,
    handling: AtomicUsize,
    max_handling: AtomicUsize,
}

/// Starts a keep-alive HTTP/1.1 server on a free loopback port that answers
/// every request with a Call Control success.
async fn start_server() -> (String, Arc<Counters>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    let counters = Arc::new(Counters::default());
    let shared = Arc::clone(&counters);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            shared.accepted.fetch_add(1, Ordering::SeqCst);
            let open = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
            shared.max_open.fetch_max(open, Ordering::SeqCst);
            let connection = Arc::clone(&shared);
            tokio::spawn(async move {
                // A connection that breaks is closed like one that ends.
                let _ = serve_connection(stream, &connection).await;
                connection.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (format!("http://{address}"), counters)
}

/// Answers requests on one connection until the client closes it.
async fn serve_connection(mut stream: TcpStream, counters: &Counters) -> std::io::Result<()> {
    let response = Response::new(200)
        .body("application/json", COMMAND_OK)
        .bytes();
    let mut buffer = Vec::new();
    while read_request(&mut stream, &mut buffer).await.is_some() {
        counters.requests.fetch_add(1, Ordering::SeqCst);
        let handling = counters.handling.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_handling.fetch_max(handling, Ordering::SeqCst);
        tokio::time::sleep(RESPONSE_DELAY).await;
        // Before the response goes out, while the client still holds the
        // request's permit, so this count never exceeds the client's.
        counters.handling.fetch_sub(1, Ordering::SeqCst);
        stream.write_all(&response).await?;
    }
    Ok(())
}

/// Sends `REQUESTS` answers at once through `client` and asserts each one
/// succeeded.
async fn answer_all(client: Client) {
    let mut calls = JoinSet::new();
    for index in 0..REQUESTS {
        let client = client.clone();
        calls.spawn(async move {
            client
                .calls()
                .actions()
                .answer(format!("v3:call-{index}"))
                .max_retries(0)
                .await
        });
    }
    let mut succeeded = 0;
    while let Some(joined) = calls.join_next().await {
        let answered = joined.expect("the request task completes");
        let answered = answered.unwrap_or_else(|error| panic!("a request failed: {error:?}"));
        assert_eq!(
            answered.data.and_then(|data| data.result).as_deref(),
            Some("ok")
        );
        succeeded += 1;
    }
    assert_eq!(succeeded, REQUESTS);
}

/// Runs the load against a fresh server and returns what it saw.
async fn run_load(max_connections: Option<usize>) -> Arc<Counters> {
    let (base_url, counters) = start_server().await;
    let mut builder = Client::builder().api_key("KEY-load").base_url(base_url);
    if let Some(limit) = max_connections {
        builder = builder.max_connections(limit);
    }
    let client = builder.build().expect("a valid client");
    tokio::time::timeout(DEADLINE, answer_all(client))
        .await
        .expect("the requests finish instead of deadlocking");
    counters
}

/// Every request arrived, and never more than `bound` at once; the first
/// `bound` requests went out together rather than one by one.
fn assert_requests_bounded(counters: &Counters, bound: usize) {
    assert_eq!(counters.requests.load(Ordering::SeqCst), REQUESTS);
    let max_handling = counters.max_handling.load(Ordering::SeqCst);
    assert!(
        max_handling <= bound,
        "the server handled {max_handling} requests at once, more than {bound}"
    );
    assert!(
        max_handling > bound / 2,
        "the server handled at most {max_handling} requests at once, far below {bound}"
    );
}

/// Never more than `bound` sockets, opened once and reused.
fn assert_sockets_bounded(counters: &Counters, bound: usize) {
    let accepted = counters.accepted.load(Ordering::SeqCst);
    let max_open = counters.max_open.load(Ordering::SeqCst);
    assert!(
        max_open <= bound,
        "{max_open} connections were open at once, more than {bound}"
    );
    assert!(
        accepted <= bound,
        "{accepted} connections were accepted for {REQUESTS} requests; at most {bound} expected"
    );
}

#[tokio::test]
async fn an_explicit_bound_limits_and_reuses_connections() {
    let bound = 16;
    let counters = run_load(Some(bound)).await;
    assert_requests_bounded(&counters, bound);
    assert_sockets_bounded(&counters, bound);
}

#[tokio::test]
async fn the_default_bound_limits_and_reuses_connections() {
    let counters = run_load(None).await;
    assert_requests_bounded(&counters, DEFAULT_MAX_CONNECTIONS);
    assert_sockets_bounded(&counters, DEFAULT_MAX_CONNECTIONS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_bound_holds_across_worker_threads() {
    let bound = 16;
    let counters = run_load(Some(bound)).await;
    assert_requests_bounded(&counters, bound);
    let accepted = counters.accepted.load(Ordering::SeqCst);
    assert!(
        accepted * 10 <= REQUESTS,
        "{accepted} connections were accepted for {REQUESTS} requests: they are not reused"
    );
}
