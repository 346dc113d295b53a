//! telnyx-rs 0.1, the hand-written client the build section compares
//! against: the published `telnyx` crate 0.1.0, copied out of cargo's
//! registry cache into a package of its own, so that cargo builds it the
//! way it builds ours (a local package: incremental, lints not capped) and
//! from its own `Cargo.lock`.

use crate::diag::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const PACKAGE: &str = "telnyx";
pub const VERSION: &str = "0.1.0";
/// Its calls and webhooks tier, with the TLS stack closest to ours.
pub const FEATURES: &str = "calls,webhooks,rustls-ring";

/// `dir/telnyx/Cargo.toml`, ready to build; fetched through a stub
/// package that depends on the exact version (needs the network once).
pub fn prepare(dir: &Path) -> Result<PathBuf> {
    let copy = dir.join(PACKAGE);
    let manifest = copy.join("Cargo.toml");
    if manifest.exists() {
        return Ok(manifest);
    }
    let stub = dir.join("fetch");
    write(
        &stub.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"fetch-{PACKAGE}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{PACKAGE} = {{ version = \"={VERSION}\", default-features = false }}\n\n\
             [workspace]\n"
        ),
    )?;
    write(&stub.join("src/lib.rs"), "")?;
    let source = registry_source(&stub.join("Cargo.toml"))?;
    // Copied beside, then renamed, so an interrupted copy is never taken
    // for a finished one.
    let partial = dir.join(format!("{PACKAGE}.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    copy_dir(&source, &partial)?;
    // Its own workspace root: otherwise cargo would take it for a stray
    // member of the workspace whose target directory holds it.
    let partial_manifest = partial.join("Cargo.toml");
    let published = std::fs::read_to_string(&partial_manifest).map_err(|source| Error::Write {
        path: partial_manifest.clone(),
        source,
    })?;
    write(&partial_manifest, &format!("{published}\n[workspace]\n"))?;
    std::fs::rename(&partial, &copy).map_err(|source| Error::Write {
        path: copy.clone(),
        source,
    })?;
    Ok(manifest)
}

/// Where cargo unpacked the crate, as `cargo metadata` of the stub says.
fn registry_source(stub_manifest: &Path) -> Result<PathBuf> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(stub_manifest)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::Bench(format!("cargo metadata does not start: {e}")))?;
    if !output.status.success() {
        return Err(Error::Bench(format!(
            "cargo metadata for {PACKAGE} {VERSION} failed ({})",
            output.status
        )));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::Bench(format!("cargo metadata: {e}")))?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == PACKAGE && p["version"] == VERSION)
        .and_then(|p| p["manifest_path"].as_str())
        .and_then(|path| Path::new(path).parent())
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Bench(format!("cargo metadata lists no {PACKAGE} {VERSION}")))
}

fn write(path: &Path, text: &str) -> Result<()> {
    let io = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let io = |source| Error::Write {
        path: to.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(to).map_err(io)?;
    for entry in std::fs::read_dir(from).map_err(io)? {
        let entry = entry.map_err(io)?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io)?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io)?;
        }
    }
    Ok(())
}
