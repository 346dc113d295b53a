//! Getting the pinned spec: `cargo xtask fetch-spec` (a download, or
//! `--from PATH`), and the fetch every command that reads the pinned spec
//! makes when a fresh clone has none. The bytes are checked against the
//! sha256 in `spec/upstream.yml` before anything is written, and written
//! atomically, so `spec/` never holds a half or unverified file.

mod download;
mod progress;

use crate::diag::{Error, Result};
use crate::pin::{sha256_hex, Pin, PIN_FILE};
use progress::Progress;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Fetches the pinned spec into `root.join(pin.local)` and returns that path.
/// With `from`, the file is read from there instead of downloaded. Nothing is
/// written unless the bytes have the pinned sha256.
pub fn fetch_spec(root: &Path, pin: &Pin, from: Option<&Path>) -> Result<PathBuf> {
    let bytes = match from {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
                hint: format!(
                    "\nhint: `--from` takes a local copy of the pinned release ({} at {}), \
                     e.g. ../shared/spec/telnyx-spec3-{}.yml; check the path",
                    pin.repository,
                    pin.short_commit(),
                    pin.short_commit()
                ),
            })?;
            verify(&bytes, pin, &path.display().to_string(), COPY_MISMATCH)?;
            bytes
        }
        None => download_verified(root, pin)?,
    };
    let dest = pin.local_path(root);
    write_atomically(&dest, &bytes)?;
    Ok(dest)
}

/// The pinned spec's path and bytes. When the file is absent (a fresh
/// clone: it is git-ignored) it is downloaded from the pin's URL first,
/// with a progress line on stderr; a failed download or a sha256 mismatch
/// is an error with the usual hint, and leaves nothing in `spec/`.
pub fn read_or_fetch_pinned_spec(root: &Path) -> Result<(PathBuf, Vec<u8>)> {
    let pin = Pin::load(root)?;
    let path = pin.local_path(root);
    match std::fs::read(&path) {
        Ok(bytes) => return Ok((path, bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Read {
                hint: spec_missing_hint(root, &pin),
                path,
                source,
            })
        }
    }
    eprintln!(
        "{} is absent (it is fetched, not committed): fetching the pinned release, {} at {}",
        pin.local.display(),
        pin.repository,
        pin.short_commit()
    );
    let fetched = download_verified(root, &pin).and_then(|bytes| {
        write_atomically(&path, &bytes)?;
        Ok(bytes)
    });
    match fetched {
        Ok(bytes) => {
            eprintln!("sha256 verified → {}", path.display());
            Ok((path, bytes))
        }
        Err(error) => Err(Error::Fetch(format!(
            "{}: absent, and fetching the pinned spec failed: {error}{}",
            path.display(),
            spec_missing_hint(root, &pin)
        ))),
    }
}

/// [`read_or_fetch_pinned_spec`] for commands that pass the path on.
pub fn pinned_spec_path_or_fetch(root: &Path) -> Result<PathBuf> {
    let pin = Pin::load(root)?;
    let path = pin.local_path(root);
    if path.exists() {
        return Ok(path);
    }
    read_or_fetch_pinned_spec(root).map(|(path, _)| path)
}

/// Appended to the error when the fetched spec is missing (it suits the
/// `hint` of [`Error::Read`], so it starts on a new line).
pub fn spec_missing_hint(root: &Path, pin: &Pin) -> String {
    format!(
        "\nhint: {} is fetched, not committed. Run `cargo xtask fetch-spec` to download the pinned \
         release ({} at {}), or `cargo xtask fetch-spec --from ../shared/spec/telnyx-spec3-{}.yml` \
         to install a local copy (checked against the pinned sha256).",
        pin.local_path(root).display(),
        pin.repository,
        pin.short_commit(),
        pin.short_commit(),
    )
}

/// What a mismatch means for a file given with `--from`.
const COPY_MISMATCH: &str = "This file is a different spec release than the pinned one; \
    nothing was written. To move the pin to it, update commit, url and sha256 in \
    spec/upstream.yml and regenerate; to experiment with it without moving the pin, use \
    `cargo xtask regen --spec PATH`.";

/// What a mismatch means for a download of the pinned URL.
const DOWNLOAD_MISMATCH: &str = "The server sent other bytes than the pinned release (an \
    altered or cut-off download, or a proxy's page); nothing was written. Try again, or \
    install a local copy with `cargo xtask fetch-spec --from PATH`.";

/// Downloads the pin's URL and checks the bytes against the pinned sha256.
fn download_verified(root: &Path, pin: &Pin) -> Result<Vec<u8>> {
    let dest = pin.local_path(root);
    let shown = dest.strip_prefix(root).unwrap_or(&dest);
    let mut progress = Progress::stderr(shown.display().to_string());
    let bytes = download::download(&pin.url, &mut progress).map_err(|error| {
        Error::Fetch(format!(
            "{error}. Check the network, or get the file some other way and run \
             `cargo xtask fetch-spec --from PATH`."
        ))
    })?;
    verify(&bytes, pin, &pin.url, DOWNLOAD_MISMATCH)?;
    Ok(bytes)
}

/// Checks `bytes` against the pinned sha256; `meaning` says what a
/// mismatch means for where they came from.
fn verify(bytes: &[u8], pin: &Pin, origin: &str, meaning: &str) -> Result<()> {
    let actual = sha256_hex(bytes);
    if actual.eq_ignore_ascii_case(&pin.sha256) {
        return Ok(());
    }
    Err(Error::Hash {
        origin: origin.to_string(),
        message: format!(
            "sha256 mismatch: expected {expected} (pinned in {PIN_FILE}, {repo} commit {commit}), \
             got {actual}. {meaning}",
            expected = pin.sha256.to_ascii_lowercase(),
            repo = pin.repository,
            commit = pin.short_commit(),
        ),
    })
}

/// Writes `bytes` to a temporary file next to `dest`, then renames it over
/// `dest`, so a reader never sees a half-written spec.
pub(crate) fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<()> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    let dir = match dest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, dest)
    })();
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Write {
            path: dest.to_path_buf(),
            source,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("xtask-fetch-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn pin_for(content: &[u8]) -> Pin {
        Pin {
            repository: "team-telnyx/openapi".into(),
            path: "openapi/spec3.yml".into(),
            commit: "12de4dd039fd867f7a81c8ec415e6fb6477d5687".into(),
            sha256: sha256_hex(content),
            url: "http://127.0.0.1:9/unused".into(),
            local: PathBuf::from("spec/spec3.yml"),
        }
    }

    #[test]
    fn a_mismatching_file_is_refused_and_nothing_is_written() {
        let tmp = TempDir::new("mismatch");
        let source = tmp.0.join("other.yml");
        std::fs::write(&source, b"openapi: 3.1.0\ninfo: {title: other}\n").unwrap();
        let pin = pin_for(b"openapi: 3.1.0\ninfo: {title: pinned}\n");
        let root = tmp.0.join("root");

        let err = fetch_spec(&root, &pin, Some(&source)).unwrap_err();
        let Error::Hash { origin, message } = &err else {
            panic!("expected a hash error, got {err}")
        };
        assert_eq!(origin, &source.display().to_string());
        assert!(message.contains(&pin.sha256), "{message}");
        assert!(
            message.contains(&sha256_hex(&std::fs::read(&source).unwrap())),
            "{message}"
        );
        assert!(
            message.contains("spec/upstream.yml") && message.contains("--spec"),
            "{message}"
        );
        assert!(!root.exists(), "nothing may be written on a mismatch");
    }

    #[test]
    fn a_matching_file_is_copied_to_the_local_path() {
        let tmp = TempDir::new("match");
        let content = b"openapi: 3.1.0\ninfo: {title: pinned}\n";
        let source = tmp.0.join("spec.yml");
        std::fs::write(&source, content).unwrap();
        let pin = pin_for(content);
        let root = tmp.0.join("root");
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::write(root.join("spec/spec3.yml"), b"stale").unwrap();

        let written = fetch_spec(&root, &pin, Some(&source)).unwrap();
        assert_eq!(written, root.join("spec/spec3.yml"));
        assert_eq!(std::fs::read(&written).unwrap(), content);
        let leftovers: Vec<_> = std::fs::read_dir(root.join("spec"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "temporary file left behind: {leftovers:?}"
        );
    }

    #[test]
    fn a_missing_source_is_a_read_error() {
        let tmp = TempDir::new("missing");
        let pin = pin_for(b"x");
        let err = fetch_spec(&tmp.0, &pin, Some(&tmp.0.join("nope.yml"))).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err}");
        assert!(!tmp.0.join("spec").exists());
    }

    #[test]
    fn the_missing_hint_names_both_commands() {
        let pin = pin_for(b"x");
        let hint = spec_missing_hint(Path::new("/w"), &pin);
        assert!(hint.contains("cargo xtask fetch-spec`"), "{hint}");
        assert!(
            hint.contains("--from ../shared/spec/telnyx-spec3-12de4dd.yml"),
            "{hint}"
        );
    }
}
