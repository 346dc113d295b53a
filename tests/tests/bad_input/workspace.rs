//! A scratch copy of the workspace layout the commands expect (pin, SDK
//! config, templates, a generated crate), and a byte-for-byte picture of
//! it to prove a failed command left it as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Everything under a directory: each file's bytes, each directory empty.
pub type Tree = BTreeMap<String, Option<Vec<u8>>>;

pub struct Scratch {
    pub root: PathBuf,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The pinned file's content: `fetch-spec` accepts exactly these bytes.
pub const PINNED: &[u8] = b"openapi: 3.1.0\ninfo: {title: pinned, version: '1'}\npaths: {}\n";

impl Scratch {
    /// `spec/upstream.yml` pinning [`PINNED`], `spec/sdk.yml` = `config`,
    /// a copy of `templates/`, and inputs under `inputs/`.
    pub fn new(config: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "telnyx-bad-input-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&root);
        let scratch = Scratch { root };
        scratch.write("spec/upstream.yml", pin(PINNED).as_bytes());
        scratch.write("spec/sdk.yml", config.as_bytes());
        copy_dir(
            &telnyx_tests::workspace_root().join("templates"),
            &scratch.root.join("templates"),
        );
        scratch
    }

    pub fn write(&self, relative: &str, bytes: &[u8]) {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().expect("a file in a directory")).expect("writable");
        fs::write(&path, bytes).expect("writable");
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Everything outside `inputs/`, where the cases put their files.
    pub fn tree(&self) -> Tree {
        let mut tree = tree(&self.root);
        tree.retain(|path, _| !path.starts_with("inputs"));
        tree
    }
}

fn pin(content: &[u8]) -> String {
    format!(
        "repository: team-telnyx/openapi\npath: openapi/spec3.yml\n\
         commit: 12de4dd039fd867f7a81c8ec415e6fb6477d5687\nsha256: {}\n\
         url: http://127.0.0.1:9/unused\nlocal: spec/spec3.yml\n",
        xtask::pin::sha256_hex(content)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("writable");
    for entry in fs::read_dir(from).expect("readable") {
        let entry = entry.expect("readable");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copyable");
        }
    }
}

/// Every file and directory under `root`, keyed by relative path.
pub fn tree(root: &Path) -> Tree {
    let mut out = Tree::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable").path();
            let relative = path
                .strip_prefix(root)
                .expect("below the root")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.insert(relative, None);
                stack.push(path);
            } else {
                out.insert(relative, Some(fs::read(&path).expect("readable")));
            }
        }
    }
    out
}

/// What differs between two pictures, for the failure message.
pub fn differences(before: &Tree, after: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for (path, content) in before {
        match after.get(path) {
            None => out.push(format!("removed: {path}")),
            Some(now) if now != content => out.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("added: {path}"));
    }
    out
}
