//! The SDK methods named by the voice guides in `../shared/seeds/`, the
//! documents this product was specified from.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/seeds`, beside the checkout.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("../shared/seeds")
}

/// Every distinct `client.a.b.c(` of the `*.txt` seeds in `dir`, as `a.b.c`.
pub fn seed_methods(dir: &Path) -> BTreeSet<String> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the seeds live in ../shared beside the checkout",
            dir.display()
        )
    });
    let mut methods = BTreeSet::new();
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = fs::read_to_string(&path).expect("seed text");
            methods.extend(calls_in(&text));
        }
    }
    methods
}

/// `client.a.b.c(` → `a.b.c`.
pub fn calls_in(text: &str) -> Vec<String> {
    text.match_indices("client.")
        .filter_map(|(at, _)| {
            let rest = &text[at + "client.".len()..];
            let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == '.'))?;
            (rest[end..].starts_with('(') && end > 0).then(|| rest[..end].to_string())
        })
        .collect()
}
