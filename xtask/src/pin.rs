//! The pinned upstream spec release (`spec/upstream.yml`): where the Telnyx
//! OpenAPI document comes from and the sha256 it must have, and
//! `cargo xtask pin`, which moves it to another release.

use crate::cli::Outcome;
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

    /// The same file of the same repository at `commit`, whose bytes hash
    /// to `sha256`.
    pub fn moved_to(&self, commit: &str, sha256: String) -> Pin {
        Pin {
            commit: commit.to_string(),
            sha256,
            url: format!(
                "https://raw.githubusercontent.com/{}/{commit}/{}",
                self.repository, self.path
            ),
            ..self.clone()
        }
    }

    /// The text of `spec/upstream.yml` for this pin.
    pub fn to_yaml(&self) -> String {
        format!(
            "{PIN_FILE_HEADER}repository: {}\npath: {}\ncommit: {}\nsha256: {}\nurl: {}\nlocal: {}\n",
            self.repository,
            self.path,
            self.commit,
            self.sha256,
            self.url,
            self.local.display()
        )
    }
}

const PIN_FILE_HEADER: &str = "\
# The Telnyx OpenAPI release the generator is pinned to. `cargo xtask fetch-spec`
# downloads `url`, checks `sha256` and writes the file to `local` (git-ignored).
# To move the pin, change commit, url and sha256 together and regenerate.
";

/// `cargo xtask pin --commit COMMIT --from PATH`: PATH is the spec file at
/// COMMIT of the pinned repository, downloaded by the maintainer.
#[derive(Debug, Default)]
pub struct Args {
    pub commit: String,
    pub from: PathBuf,
}

impl Args {
    pub fn parse(parser: &mut lexopt::Parser) -> Result<Args, lexopt::Error> {
        use lexopt::prelude::*;
        let (mut commit, mut from) = (None, None);
        while let Some(arg) = parser.next()? {
            match arg {
                Long("commit") => commit = Some(parser.value()?.string()?),
                Long("from") => from = Some(PathBuf::from(parser.value()?)),
                other => return Err(other.unexpected()),
            }
        }
        match (commit, from) {
            (Some(commit), Some(from)) => Ok(Args { commit, from }),
            _ => Err("pin takes --commit COMMIT (the full hash) and --from PATH".into()),
        }
    }
}

/// Moves the pin to `args.commit` with the sha256 of `args.from`, and
/// installs that file as the fetched spec. The file is read once, so the
/// installed bytes are the ones hashed into the pin; the new pin is checked
/// before anything is written, and the URL by the next online
/// `cargo xtask fetch-spec`.
pub fn run(root: &Path, args: &Args) -> Result<Outcome> {
    let pin_path = root.join(PIN_FILE);
    let full_hash = args.commit.len() == 40 && args.commit.bytes().all(|b| b.is_ascii_hexdigit());
    if !full_hash {
        return Err(Error::Config {
            origin: "--commit".into(),
            message: format!(
                "`{}` is not a full 40-digit commit hash; the pinned URL must name one commit for good",
                args.commit
            ),
        });
    }
    let bytes = crate::diag::read(&args.from)?;
    let pin = Pin::load(root)?.moved_to(&args.commit.to_ascii_lowercase(), sha256_hex(&bytes));
    let text = pin.to_yaml();
    Pin::parse(&text, PIN_FILE)?;
    let installed = pin.local_path(root);
    crate::fetch::write_atomically(&installed, &bytes)?;
    std::fs::write(&pin_path, text).map_err(|source| Error::Write {
        path: pin_path.clone(),
        source,
    })?;
    println!(
        "pinned {} {} at {} (sha256 {}) in {PIN_FILE}; installed {}\nnext: cargo xtask regen --strict",
        pin.repository,
        pin.path,
        pin.short_commit(),
        pin.sha256,
        installed.display()
    );
    Ok(Outcome::Done)
}

/// Where the fetched pinned spec lives: the pin's `local` path under
/// `workspace_root`. The one place that answers it, so commands and tests
/// cannot disagree about which file "the pinned spec" is. The file is
/// git-ignored, so a missing one is an error that says how to fetch it.
pub fn pinned_spec_path(workspace_root: &Path) -> Result<PathBuf> {
    let pin = Pin::load(workspace_root)?;
    let path = pin.local_path(workspace_root);
    match std::fs::metadata(&path) {
        Ok(_) => Ok(path),
        Err(source) => Err(missing_spec(workspace_root, &pin, path, source)),
    }
}

/// The pinned spec's path and bytes; a missing file is an error that says
/// how to fetch it.
pub fn read_pinned_spec(workspace_root: &Path) -> Result<(PathBuf, Vec<u8>)> {
    let pin = Pin::load(workspace_root)?;
    let path = pin.local_path(workspace_root);
    match std::fs::read(&path) {
        Ok(bytes) => Ok((path, bytes)),
        Err(source) => Err(missing_spec(workspace_root, &pin, path, source)),
    }
}

fn missing_spec(workspace_root: &Path, pin: &Pin, path: PathBuf, source: std::io::Error) -> Error {
    Error::Read {
        hint: crate::fetch::spec_missing_hint(workspace_root, pin),
        path,
        source,
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
    fn the_pinned_spec_is_the_pins_local_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let pin = Pin::load(root).unwrap();
        assert_eq!(pinned_spec_path(root).unwrap(), root.join(&pin.local));
    }

    #[test]
    fn a_missing_pinned_spec_says_how_to_fetch_it() {
        let root = std::env::temp_dir().join(format!("xtask-pin-missing-{}", std::process::id()));
        std::fs::create_dir_all(root.join("spec")).unwrap();
        let pin = "repository: a/b\npath: p\ncommit: abcdef1234\n\
                   sha256: 0000000000000000000000000000000000000000000000000000000000000000\n\
                   url: u\nlocal: spec/absent.yml\n";
        std::fs::write(root.join(PIN_FILE), pin).unwrap();
        let results = [
            read_pinned_spec(&root).map(|_| ()),
            pinned_spec_path(&root).map(|_| ()),
        ];
        let _ = std::fs::remove_dir_all(&root);
        for result in results {
            let err = result.unwrap_err();
            assert!(matches!(err, Error::Read { .. }), "{err}");
            let message = err.to_string();
            assert!(message.contains("spec/absent.yml"), "{message}");
            assert!(message.contains("cargo xtask fetch-spec"), "{message}");
        }
    }

    #[test]
    fn the_pin_file_is_written_as_it_is_read() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let on_disk = std::fs::read_to_string(root.join(PIN_FILE)).unwrap();
        let pin = Pin::parse(&on_disk, PIN_FILE).unwrap();
        assert_eq!(pin.to_yaml(), on_disk);
        assert_eq!(pin.moved_to(&pin.commit, pin.sha256.clone()), pin);
    }

    /// A workspace root in the temp dir holding only a pin file.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str, pin: &Pin) -> Scratch {
            let root =
                std::env::temp_dir().join(format!("xtask-pin-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("spec")).unwrap();
            std::fs::write(root.join(PIN_FILE), pin.to_yaml()).unwrap();
            Scratch(root)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn some_pin() -> Pin {
        Pin::parse(
            &format!(
                "repository: team-telnyx/openapi\npath: openapi/spec3.yml\ncommit: {}\nsha256: {}\n\
                 url: u\nlocal: spec/spec3.yml\n",
                "1".repeat(40),
                "0".repeat(64)
            ),
            "t",
        )
        .unwrap()
    }

    #[test]
    fn pin_moves_the_pin_and_installs_the_file() {
        let scratch = Scratch::new("move", &some_pin());
        let spec = scratch.0.join("new-spec.yml");
        std::fs::write(&spec, b"openapi: 3.1.0\n").unwrap();
        let commit = "ABCDEF0123456789abcdef0123456789abcdef01";
        let args = Args {
            commit: commit.into(),
            from: spec.clone(),
        };
        run(&scratch.0, &args).unwrap();

        let pin = Pin::load(&scratch.0).unwrap();
        assert_eq!(pin.commit, commit.to_ascii_lowercase());
        assert_eq!(pin.sha256, sha256_hex(b"openapi: 3.1.0\n"));
        assert_eq!(
            pin.url,
            format!(
                "https://raw.githubusercontent.com/team-telnyx/openapi/{}/openapi/spec3.yml",
                pin.commit
            )
        );
        assert_eq!(read_pinned_spec(&scratch.0).unwrap().1, b"openapi: 3.1.0\n");
    }

    #[test]
    fn pin_refuses_an_abbreviated_commit_and_writes_nothing() {
        let before = some_pin();
        let scratch = Scratch::new("short", &before);
        let spec = scratch.0.join("new-spec.yml");
        std::fs::write(&spec, b"openapi: 3.1.0\n").unwrap();
        let args = Args {
            commit: "12de4dd".into(),
            from: spec,
        };
        let Err(err) = run(&scratch.0, &args) else {
            panic!("an abbreviated commit was accepted")
        };
        assert!(err.to_string().contains("40-digit"), "{err}");
        assert_eq!(Pin::load(&scratch.0).unwrap(), before);
        assert!(!before.local_path(&scratch.0).exists());
    }

    #[test]
    fn pin_names_a_missing_from_file_and_writes_nothing() {
        let before = some_pin();
        let scratch = Scratch::new("missing-from", &before);
        let args = Args {
            commit: "a".repeat(40),
            from: scratch.0.join("absent.yml"),
        };
        let Err(err) = run(&scratch.0, &args) else {
            panic!("a missing --from file was accepted")
        };
        assert!(matches!(err, Error::Read { .. }), "{err}");
        assert!(err.to_string().contains("absent.yml"), "{err}");
        assert_eq!(Pin::load(&scratch.0).unwrap(), before);
        assert!(!before.local_path(&scratch.0).exists());
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
