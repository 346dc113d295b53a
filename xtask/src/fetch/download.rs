//! Downloading the pinned spec over HTTP(S) into memory, with a progress
//! line. Nothing here touches the disk: the caller checks the sha256 and
//! only then writes the file.

use super::progress::Progress;
use crate::diag::{Error, Result};
use std::io::{Read, Write};
use std::time::Duration;

/// Refuse responses larger than this (the spec is a few MB).
const MAX_SPEC_BYTES: u64 = 256 * 1024 * 1024;
/// The whole download, connecting included, may take this long.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);
const CHUNK: usize = 64 * 1024;

/// The body of `url`, reporting progress on `progress`. A status other than
/// 2xx, a connection failure and a body shorter than its `Content-Length`
/// are errors that name the URL.
pub fn download<W: Write>(url: &str, progress: &mut Progress<W>) -> Result<Vec<u8>> {
    let failed = |what: String| Error::Fetch(format!("cannot download {url}: {what}"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(DOWNLOAD_TIMEOUT))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| failed(e.to_string()))?;
    let expected = response.body().content_length();
    progress.start(url, expected);
    let mut reader = response
        .body_mut()
        .with_config()
        .limit(MAX_SPEC_BYTES)
        .reader();
    let mut bytes = Vec::with_capacity(expected.unwrap_or(0).min(MAX_SPEC_BYTES) as usize);
    let mut chunk = vec![0; CHUNK];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                progress.advance(bytes.len() as u64);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                progress.abandon();
                return Err(failed(format!(
                    "reading the body failed after {} bytes: {e}",
                    bytes.len()
                )));
            }
        }
    }
    // ureq reports a connection closed before `Content-Length` bytes as an
    // error on most paths; checking again keeps a short body from reaching
    // the hash check as if it were another release.
    if let Some(expected) = expected.filter(|&n| n != bytes.len() as u64) {
        progress.abandon();
        return Err(failed(format!(
            "the body ended after {} of the {expected} bytes announced",
            bytes.len()
        )));
    }
    progress.finish(bytes.len() as u64);
    Ok(bytes)
}
