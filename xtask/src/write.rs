//! Stage 7: put the formatted files on disk, all or nothing, or compare
//! them with what is there (`--check`).

use crate::diag::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Builds the new tree beside `out` and swaps it in only when complete, so
/// a failure never leaves `out` half-written.
pub fn write_tree(out: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    let staging = sibling(out, "regen-new");
    let previous = sibling(out, "regen-old");
    for leftover in [&staging, &previous] {
        remove_dir(leftover)?;
    }
    for (relative, text) in files {
        let path = staging.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    if out.exists() {
        fs::rename(out, &previous).map_err(|source| Error::Write {
            path: out.to_path_buf(),
            source,
        })?;
    }
    if let Err(source) = fs::rename(&staging, out) {
        let _ = fs::rename(&previous, out);
        return Err(Error::Write {
            path: out.to_path_buf(),
            source,
        });
    }
    remove_dir(&previous)
}

/// Paths that differ between `out` and `files`: changed, missing or extra.
pub fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for (relative, text) in files {
        match fs::read(out.join(relative)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => stale.push(format!("changed: {relative}")),
            Err(_) => stale.push(format!("missing: {relative}")),
        }
    }
    let expected: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    for relative in existing_files(out)? {
        if !expected.contains(relative.as_str()) {
            stale.push(format!("extra: {relative}"));
        }
    }
    Ok(stale)
}

fn existing_files(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

fn remove_dir(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}
