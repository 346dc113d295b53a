//! No HTTPS client panics for lack of a rustls crypto provider: not the one
//! the crate builds, not a `reqwest::Client` the user passes in, whichever
//! provider the application installed or none.
//!
//! This build is the hard case: rustls has both providers' features on, ring
//! (through ureq, xtask's HTTP client) and aws-lc-rs (through reqwest's
//! `rustls` feature, the crate's), as when a user's other dependencies enable
//! the other provider. rustls then cannot pick a provider from its features,
//! so `rustls::ClientConfig::builder()` would panic; the first scenario
//! checks that premise.
//!
//! The installed provider is process-wide, so each scenario runs in a fresh
//! process: this binary (`harness = false`) re-runs itself with
//! `TLS_SCENARIO` set. Each scenario serves HTTPS on 127.0.0.1 with the test
//! certificate in `tests/tls/` (a CA and a `localhost`/127.0.0.1 leaf, made
//! with openssl, valid for a hundred years) and sends one request through the
//! crate's own client, which does not trust that CA (so the handshake runs
//! up to certificate verification and fails there, as an error), and one
//! through a user's `reqwest::Client` that trusts it (so the call succeeds).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, ExitCode};
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const SCENARIO_VAR: &str = "TLS_SCENARIO";
const CA: &[u8] = include_bytes!("../tls/ca.pem");
const LEAF: &[u8] = include_bytes!("../tls/localhost.pem");
const LEAF_KEY: &[u8] = include_bytes!("../tls/localhost.key");

/// `(name, what the application did about providers before using the crate)`.
const SCENARIOS: &[(&str, fn())] = &[
    ("no provider installed", || {}),
    ("the application installed ring", || {
        #[allow(deprecated)] // rustls 0.23.48: ring has no post-quantum key exchange
        let ring = rustls::crypto::ring::default_provider();
        ring.install_default()
            .expect("the first provider installed");
    }),
    ("the application installed aws-lc-rs", || {
        let aws = rustls::crypto::aws_lc_rs::default_provider();
        aws.install_default().expect("the first provider installed");
    }),
];

fn main() -> ExitCode {
    if let Ok(name) = std::env::var(SCENARIO_VAR) {
        let (_, setup) = SCENARIOS
            .iter()
            .find(|(scenario, _)| *scenario == name)
            .expect("a known scenario");
        setup();
        run_scenario(&name);
        return ExitCode::SUCCESS;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let (mut passed, mut failed) = (0, 0);
    for (name, _) in SCENARIOS {
        let output = Command::new(&exe)
            .env(SCENARIO_VAR, name)
            .output()
            .expect("the test binary re-runs");
        if output.status.success() {
            passed += 1;
            println!("ok: {name}");
        } else {
            failed += 1;
            println!(
                "FAILED: {name} ({})\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[tokio::main(flavor = "current_thread")]
async fn run_scenario(name: &str) {
    let installed_before = CryptoProvider::get_default().is_some();
    let base_url = serve_https();

    // The crate's own client: built without a panic, and the handshake runs
    // until the server's certificate, which it rightly does not trust.
    let client = telnyx_api::Client::builder()
        .api_key("test-key")
        .base_url(&base_url)
        .max_retries(0)
        .build()
        .expect("the crate's client builds");
    let error = client
        .calls()
        .actions()
        .answer("v3:tls")
        .await
        .expect_err("the test CA is not trusted by default");
    let chain = error_chain(&error);
    assert!(
        matches!(error, telnyx_api::Error::Connection(_)),
        "{name}: {chain}"
    );
    assert!(
        chain.contains("UnknownIssuer") || chain.contains("certificate"),
        "{name}: not a certificate error: {chain}"
    );

    // A user's own reqwest client, trusting the test CA, passed in.
    let ca = reqwest::Certificate::from_pem(CA).expect("the test CA parses");
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("the user's client builds");
    let client = telnyx_api::Client::builder()
        .api_key("test-key")
        .base_url(&base_url)
        .max_retries(0)
        .http_client(http)
        .build()
        .expect("the crate's client takes the user's");
    client
        .calls()
        .actions()
        .answer("v3:tls")
        .await
        .unwrap_or_else(|error| panic!("{name}: {}", error_chain(&error)));

    // Neither client installed a provider behind the application's back.
    assert_eq!(
        CryptoProvider::get_default().is_some(),
        installed_before,
        "{name}"
    );
    if !installed_before {
        // The premise: in this build rustls cannot choose a provider itself.
        let unchosen = std::panic::catch_unwind(rustls::ClientConfig::builder);
        assert!(
            unchosen.is_err(),
            "rustls chose a provider: both features are not on"
        );
    }
}

/// The error and its sources, `: `-joined.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause} ({cause:?})"));
        source = cause.source();
    }
    text
}

/// Serves HTTPS on 127.0.0.1 with the test leaf certificate, answering every
/// request `200 {"data":{"result":"ok"}}`; returns the base URL. The server
/// names its provider (aws-lc-rs) itself, as rustls cannot pick one here.
fn serve_https() -> String {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(LEAF)
        .collect::<Result<_, _>>()
        .expect("the test certificate parses");
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("the test key parses");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the certificate and key match");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("bound").port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let Ok(connection) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(connection, tcp);
            // A client that refuses the certificate ends the handshake here,
            // and the read fails. The body is read too: closing a socket with
            // unread bytes resets it, and the client could lose the answer.
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            let mut body_length = 0;
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                let header = line.to_ascii_lowercase();
                if let Some(value) = header.strip_prefix("content-length:") {
                    body_length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut request_body = vec![0; body_length];
            if reader.read_exact(&mut request_body).is_err() {
                continue;
            }
            let body = br#"{"data":{"result":"ok"}}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(head.as_bytes());
            let _ = tls.write_all(body);
            let _ = tls.flush();
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    format!("https://127.0.0.1:{port}/v2")
}
