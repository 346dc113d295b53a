//! Reading HTTP/1.1 requests off a socket, for the tests' own loopback
//! servers: they need to see exactly what the client sends, including on
//! connections it breaks, which a full server library would hide.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Reads one request: the head up to the blank line, then `content-length`
/// bytes of body. Bytes past the request stay in `buffer` for the next one.
/// `None` when the connection ends first. The client never sends chunked
/// bodies, so they are not supported.
pub async fn read_request(
    socket: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Option<(String, Vec<u8>)> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        read_more(socket, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = content_length(&head)?;
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        read_more(socket, buffer).await?;
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some((head, body))
}

async fn read_more(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0; 16 * 1024];
    match socket.read(&mut chunk).await {
        Ok(read) if read > 0 => {
            buffer.extend_from_slice(&chunk[..read]);
            Some(())
        }
        _ => None,
    }
}

/// The declared body length: 0 without the header, `None` when it is not a
/// number (the connection is then dropped, which the test will notice).
fn content_length(head: &str) -> Option<usize> {
    let declared = head.lines().skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim())
    });
    match declared {
        Some(value) => value.parse().ok(),
        None => Some(0),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
