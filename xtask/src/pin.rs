//! The pinned upstream spec release (`spec/upstream.yml`): where the Telnyx
//! OpenAPI document comes from and the sha256 it must have.

use crate::diag::{Error, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The pin file, relative to the workspace root.
pub const PIN_FILE: &str = "spec/upstream.yml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// GitHub `owner/name` of the spec repository.
    pub repository: String,
    /// The spec's path inside that repository.
    pub path: String,
    /// The full commit hash the pin refers to.
    pub commit: String,
    /// Lower-case hex sha256 of the file at that commit.
    pub sha256: String,
    /// Where `fetch-spec` downloads it from.
    pub url: String,
    /// Where the fetched copy lives, relative to the workspace root (git-ignored).
    pub local: PathBuf,
}

impl Pin {
    /// Reads and checks `spec/upstream.yml` under `workspace_root`.
    pub fn load(workspace_root: &Path) -> Result<Pin> {
        let path = workspace_root.join(PIN_FILE);
        Pin::parse(&crate::diag::read_text(&path)?, &path.display().to_string())
    }

    /// Parses the pin file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Pin> {
        let pin: Pin = crate::load::yaml_config(text, origin)?;
        let invalid = |message: String| Error::Config {
            origin: origin.to_string(),
            message,
        };
        if pin.sha256.len() != 64 || !pin.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!(
                "`sha256` must be 64 hex digits, found `{}`",
                pin.sha256
            )));
        }
        if pin.commit.is_empty() || !pin.commit.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!(
                "`commit` must be a hex commit hash, found `{}`",
                pin.commit
            )));
        }
        if pin.local.as_os_str().is_empty() || pin.local.is_absolute() {
            return Err(invalid(format!(
                "`local` must be a path relative to the workspace root, found `{}`",
                pin.local.display()
            )));
        }
        Ok(pin)
    }

    /// The first seven digits of the commit, as GitHub abbreviates it.
    pub fn short_commit(&self) -> &str {
        self.commit.get(..7).unwrap_or(&self.commit)
    }

    /// Where the fetched spec lives under `workspace_root`.
    pub fn local_path(&self, workspace_root: &Path) -> PathBuf {
        workspace_root.join(&self.local)
    }
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn parses_the_checked_in_pin() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let pin = Pin::load(root).unwrap();
        assert_eq!(pin.repository, "team-telnyx/openapi");
        assert!(pin.url.contains(&pin.commit));
        assert_eq!(pin.short_commit(), &pin.commit[..7]);
        assert!(pin.local.is_relative());
    }

    #[test]
    fn rejects_a_bad_hash_and_unknown_fields() {
        let text =
            "repository: a/b\npath: p\ncommit: abc\nsha256: nothex\nurl: u\nlocal: spec/x.yml\n";
        assert!(matches!(Pin::parse(text, "t"), Err(Error::Config { .. })));
        let extra = format!(
            "{}\nbranch: main\n",
            text.replace("nothex", &"0".repeat(64))
        );
        assert!(matches!(Pin::parse(&extra, "t"), Err(Error::Config { .. })));
    }
}
