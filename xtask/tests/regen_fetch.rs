//! `cargo xtask regen` in a fresh clone: the pinned spec is absent, so regen
//! downloads it from the pin's URL, checks its sha256 and only then writes
//! it. Each case runs regen in a scratch workspace whose pin points at a
//! local HTTP server on 127.0.0.1: the pinned bytes, other bytes, a body cut
//! short of its `Content-Length`, and no server at all. A failure exits 2
//! with the fetch-spec hint and leaves nothing in `spec/`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use xtask::cli::{exit_code, run};
use xtask::pin::sha256_hex;

/// A small spec standing in for the pinned release (regen of the real one
/// is slow and needs no network test).
const SPEC: &str = "tests/fixtures/names.yaml";
const CONFIG: &str = "tests/fixtures/names.sdk.yml";

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
}

fn pinned_bytes() -> Vec<u8> {
    std::fs::read(workspace_root().join(SPEC)).unwrap()
}

/// What the server answers `GET /spec3.yml` with.
#[derive(Clone, Copy)]
enum Serve {
    /// The pinned bytes.
    Pinned,
    /// Another spec's bytes, complete and well-formed.
    Other,
    /// The pinned `Content-Length`, then half the body and a closed socket.
    CutShort,
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 answering every request the
/// same way; it counts the requests and stops when dropped.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn start(serve: Serve) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                if read_request_head(&stream) == "stop" {
                    return;
                }
                counted.fetch_add(1, Ordering::SeqCst);
                answer(stream, serve);
            }
        });
        Server { port, requests }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/spec3.yml", self.port)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Wakes the accept loop with a request it recognises as the end.
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.write_all(b"stop\r\n\r\n");
        }
    }
}

/// The request line, after reading the head up to its blank line.
fn read_request_head(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    first.trim().to_string()
}

fn answer(mut stream: TcpStream, serve: Serve) {
    let pinned = pinned_bytes();
    let (announced, body): (usize, Vec<u8>) = match serve {
        Serve::Pinned => (pinned.len(), pinned),
        Serve::Other => {
            let other = b"openapi: 3.1.0\ninfo: {title: Other, version: '1'}\npaths: {}\n".to_vec();
            (other.len(), other)
        }
        Serve::CutShort => (pinned.len(), pinned[..pinned.len() / 2].to_vec()),
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/yaml\r\ncontent-length: {announced}\r\nconnection: close\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

/// A workspace in the temp dir with what regen reads besides the spec: the
/// pin (pointing at `url`), the SDK config and the templates.
struct Workspace(PathBuf);

impl Workspace {
    fn new(name: &str, url: &str) -> Workspace {
        let root =
            std::env::temp_dir().join(format!("xtask-regen-fetch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("spec")).unwrap();
        let pin = format!(
            "repository: team-telnyx/openapi\npath: openapi/spec3.yml\n\
             commit: 12de4dd039fd867f7a81c8ec415e6fb6477d5687\nsha256: {}\nurl: {url}\n\
             local: spec/spec3.yml\n",
            sha256_hex(&pinned_bytes())
        );
        std::fs::write(root.join("spec/upstream.yml"), pin).unwrap();
        std::fs::copy(workspace_root().join(CONFIG), root.join("spec/sdk.yml")).unwrap();
        copy_dir(&workspace_root().join("templates"), &root.join("templates"));
        Workspace(root)
    }

    fn regen(&self) -> (u8, String) {
        let out = self.0.join("generated");
        let args = ["regen", "--out", out.to_str().unwrap()];
        let result = run(&self.0, args.iter().map(Into::into).collect());
        let message = match &result {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        (exit_code(&result), message)
    }

    /// The file names in `spec/`, sorted.
    fn spec_dir(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.0.join("spec"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// What every failed fetch must look like: exit 2, the cause, the hint to
/// fetch by hand, nothing in `spec/` but what was there, no crate written.
fn assert_refused(workspace: &Workspace, status: u8, message: &str, cause: &str) {
    assert_eq!(status, 2, "{message}");
    assert!(message.contains(cause), "no `{cause}` in: {message}");
    assert!(
        message.contains("absent, and fetching the pinned spec failed"),
        "{message}"
    );
    for hint in [
        "hint: ",
        "cargo xtask fetch-spec`",
        "cargo xtask fetch-spec --from ../shared/spec/telnyx-spec3-12de4dd.yml",
    ] {
        assert!(message.contains(hint), "no `{hint}` in: {message}");
    }
    assert_eq!(
        workspace.spec_dir(),
        ["sdk.yml", "upstream.yml"],
        "{message}"
    );
    assert!(!workspace.0.join("generated").exists());
}

#[test]
fn regen_fetches_the_absent_pinned_spec_then_generates() {
    let server = Server::start(Serve::Pinned);
    let workspace = Workspace::new("pinned", &server.url());

    let (status, message) = workspace.regen();
    assert_eq!(status, 0, "{message}");
    assert_eq!(server.requests(), 1);
    assert_eq!(
        std::fs::read(workspace.0.join("spec/spec3.yml")).unwrap(),
        pinned_bytes()
    );
    assert_eq!(
        workspace.spec_dir(),
        ["sdk.yml", "spec3.yml", "upstream.yml"],
        "a temporary file was left behind"
    );
    assert!(workspace.0.join("generated/src/lib.rs").is_file());

    // The fetched file is used from then on: no second download.
    let (status, message) = workspace.regen();
    assert_eq!(status, 0, "{message}");
    assert_eq!(server.requests(), 1);
}

#[test]
fn other_bytes_are_refused_by_the_hash_check() {
    let server = Server::start(Serve::Other);
    let workspace = Workspace::new("other", &server.url());
    let (status, message) = workspace.regen();
    assert_eq!(server.requests(), 1);
    assert_refused(&workspace, status, &message, "sha256 mismatch");
    assert!(message.contains(&server.url()), "{message}");
}

#[test]
fn a_body_cut_short_is_refused() {
    let server = Server::start(Serve::CutShort);
    let workspace = Workspace::new("cut-short", &server.url());
    let (status, message) = workspace.regen();
    assert_eq!(server.requests(), 1);
    assert_refused(
        &workspace,
        status,
        &message,
        &format!("cannot download {}", server.url()),
    );
}

#[test]
fn a_server_that_is_down_is_refused() {
    // A port that was free a moment ago and has no listener now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/spec3.yml");
    let workspace = Workspace::new("down", &url);
    let (status, message) = workspace.regen();
    assert_refused(
        &workspace,
        status,
        &message,
        &format!("cannot download {url}"),
    );
    assert!(message.contains("Check the network"), "{message}");
}
