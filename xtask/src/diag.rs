//! Diagnostics shared by every stage: fatal errors and warnings, each naming
//! the place in the input it is about.

mod problems;

pub use problems::PROBLEMS_SHOWN;
use std::fmt;
use std::path::PathBuf;

/// A JSON pointer (RFC 6901) into the spec document, e.g. `/paths/~1calls/post`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    pub fn parse(pointer: &str) -> Self {
        Pointer(pointer.to_string())
    }

    /// A child pointer; `~` and `/` in the token are escaped as RFC 6901 says.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    /// The pointer one level up (the root stays the root).
    pub fn parent(&self) -> Self {
        match self.0.rfind('/') {
            Some(i) => Pointer(self.0[..i].to_string()),
            None => Pointer::root(),
        }
    }

    /// The last reference token, unescaped (`/components/schemas/A~1B` → `A/B`).
    pub fn last_token(&self) -> String {
        let token = self.0.rsplit('/').next().unwrap_or_default();
        token.replace("~1", "/").replace("~0", "~")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0 == other.0 || self.0.starts_with(&format!("{}/", other.0))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("#")
        } else {
            write!(f, "#{}", self.0)
        }
    }
}

/// Something the generator could handle but wants a maintainer to see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: Pointer,
    pub message: String,
    pub kind: WarningKind,
}

/// Whether a warning is about the spec or about the generated types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// The spec says something off-standard whose meaning is plain, and
    /// regen read it that way. `--strict` refuses these: a maintainer who
    /// wants a spec without them gets a list to send upstream.
    Quirk,
    /// The spec is fine, but Rust types cannot say all of it (`not`, a
    /// parameter described by `content`, ...): the crate is looser than the
    /// schema. No edit of the spec is called for, so `--strict` lets these be.
    Looser,
}

impl Warning {
    /// This warning as the error `--strict` makes of it.
    pub fn as_strict_error(&self) -> Error {
        Error::spec(
            &self.pointer,
            format!("{} (a warning; --strict makes it an error)", self.message),
        )
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.kind {
            WarningKind::Quirk => "warning",
            WarningKind::Looser => "note",
        };
        write!(f, "{label}: {}: {}", self.pointer, self.message)
    }
}

/// Collects warnings in the order stages find them; reports sort them.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    /// A quirk of the spec read as intended ([`WarningKind::Quirk`]).
    pub fn push(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.add(pointer, message, WarningKind::Quirk);
    }

    /// A construct the generated types are looser than ([`WarningKind::Looser`]).
    pub fn looser(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.add(pointer, message, WarningKind::Looser);
    }

    fn add(&mut self, pointer: &Pointer, message: impl Into<String>, kind: WarningKind) {
        self.0.push(Warning {
            pointer: pointer.clone(),
            message: message.into(),
            kind,
        });
    }

    pub fn into_sorted(mut self) -> Vec<Warning> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    pub fn extend(&mut self, other: Vec<Warning>) {
        self.0.extend(other);
    }
}

/// Every way generation can fail. Each names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}{hint}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
        hint: String,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Parse { origin: String, message: String },
    #[error("{origin}: {message}")]
    Hash { origin: String, message: String },
    /// `origin` is the spec's file name, or empty while the error travels
    /// up from a stage that does not know it (see [`Error::in_spec`]).
    #[error("{origin}{pointer}: {message}")]
    Spec {
        origin: String,
        pointer: Pointer,
        message: String,
    },
    /// Every problem one run found, sorted by pointer; see [`Error::all`].
    #[error("{}", problems::render(.0))]
    Problems(Vec<Error>),
    #[error("{origin}: {message}")]
    Config { origin: String, message: String },
    #[error("{0}")]
    Fetch(String),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Emit(String),
    #[error("{0}")]
    Bench(String),
    /// `cargo xtask conformance` could not run the suite (Node/npm, Prism,
    /// ports, processes); a failing suite is not an error.
    #[error("{0}")]
    Conformance(String),
}

impl Error {
    pub fn spec(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error::Spec {
            origin: String::new(),
            pointer: pointer.clone(),
            message: message.into(),
        }
    }

    /// One error for every problem found: `None` for none, the problem
    /// itself for one, else [`Error::Problems`] sorted by JSON pointer.
    pub fn all(errors: Vec<Error>) -> Option<Error> {
        problems::gather(errors)
    }

    /// Names the spec file in a [`Error::Spec`] raised by a stage that only
    /// knew the JSON pointer: `spec.yml#/paths/...`.
    pub fn in_spec(self, file: &str) -> Self {
        match self {
            Error::Problems(all) => {
                Error::Problems(all.into_iter().map(|e| e.in_spec(file)).collect())
            }
            Error::Spec {
                origin,
                pointer,
                message,
            } if origin.is_empty() => Error::Spec {
                origin: file.to_string(),
                pointer,
                message,
            },
            other => other,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a file; the error names the path.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| read_error(path, source))
}

/// Reads a UTF-8 file; the error names the path.
pub fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| read_error(path, source))
}

pub fn read_error(path: &std::path::Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_path_buf(),
        source,
        hint: String::new(),
    }
}
