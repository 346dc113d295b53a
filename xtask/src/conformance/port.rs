//! A free TCP port on 127.0.0.1 for Prism, and the check that something
//! answers HTTP on it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// Asks the kernel for a free port by binding port 0, then releases it.
/// Another process could take it before Prism binds it; the caller retries
/// with a new port when Prism reports the address in use.
pub fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Whether an HTTP server answers `GET /` on `127.0.0.1:port`, with any
/// status: Prism answers 404 for `/` once it listens, and before that the
/// connection is refused.
pub fn answers_http(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let timeout = Duration::from_secs(2);
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, timeout) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each test binds port 0 itself: a port released by one test can be
    // handed to a parallel one, so re-binding a "free" port would be flaky.
    #[test]
    fn free_ports_are_real_ports() {
        assert_ne!(free_port().unwrap(), 0);
    }

    #[test]
    fn answers_http_needs_an_http_reply() {
        let silent = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let silent_port = silent.local_addr().unwrap().port();
        let closer = std::thread::spawn(move || drop(silent.accept().unwrap()));
        assert!(!answers_http(silent_port), "a connection without a reply");
        closer.join().unwrap();

        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 256];
            let _ = stream.read(&mut buf).unwrap();
            stream
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        });
        assert!(answers_http(port));
        server.join().unwrap();
    }
}
