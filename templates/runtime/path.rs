//! Rendering of path templates such as `/calls/{call_control_id}/actions/answer`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 "unreserved" characters and `:` is escaped, so
/// that a value always stays a single path segment: `/`, `?`, `#` and `%`
/// cannot restructure the URL, and `+` cannot be mistaken for a space. `:` is
/// kept because Telnyx ids such as `v3:abc` use it and it is legal in a
/// segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// A piece of a request path, in the order the path template has them:
/// generated code splits `/calls/{call_control_id}/actions/answer` into
/// literal text and the values of its placeholders when it is generated, so
/// nothing parses the template at run time.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'v> {
    /// Text of the template, already a valid path.
    Literal(&'static str),
    /// The value of the placeholder `name`, percent-encoded as exactly one
    /// path segment.
    Param(&'static str, &'v str),
}

/// Room left at the front of a rendered path for the base URL's own path
/// (such as `/v2`), which is put there when the request is prepared.
pub(crate) const BASE_PATH_ROOM: usize = 16;

/// Joins `parts` into a path, with [`BASE_PATH_ROOM`] spare capacity.
///
/// Fails, naming the parameter, when a value is empty or a dot segment,
/// which URL normalization would resolve into a different path even when
/// escaped.
pub(crate) fn render_path(parts: &[PathPart<'_>]) -> Result<String, String> {
    // Ids are nearly always copied as they are, so this is the final length.
    let len: usize = parts.iter().map(|part| part.text().len()).sum();
    let mut rendered = String::with_capacity(BASE_PATH_ROOM + len);
    for part in parts {
        match *part {
            PathPart::Literal(text) => rendered.push_str(text),
            PathPart::Param(name, value) => push_segment(&mut rendered, name, value)?,
        }
    }
    Ok(rendered)
}

impl PathPart<'_> {
    fn text(&self) -> &str {
        match self {
            PathPart::Literal(text) | PathPart::Param(_, text) => text,
        }
    }
}

/// Appends `value` as one encoded path segment.
fn push_segment(rendered: &mut String, name: &str, value: &str) -> Result<(), String> {
    match value {
        "" | "." | ".." => Err(not_a_segment(name, value)),
        // Ids are nearly always kept as they are; checking that first is
        // cheaper than running the encoder over them.
        _ if value.bytes().all(kept_in_segment) => {
            rendered.push_str(value);
            Ok(())
        }
        _ => {
            rendered.extend(utf8_percent_encode(value, PATH_SEGMENT));
            Ok(())
        }
    }
}

// Built out of line: requests render their paths on every call and fail
// almost never, so the common path stays short.
#[cold]
fn not_a_segment(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!("path parameter `{name}` must not be empty")
    } else {
        format!("path parameter `{name}` must not be `{value}`")
    }
}

/// Whether `PATH_SEGMENT` leaves `byte` as it is. A table, because every
/// byte of every id is looked up.
fn kept_in_segment(byte: u8) -> bool {
    KEPT_IN_SEGMENT[usize::from(byte)]
}

const KEPT_IN_SEGMENT: [bool; 256] = {
    let mut kept = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        kept[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':');
        byte += 1;
    }
    kept
};

#[cfg(test)]
mod tests {
    use super::*;
    use PathPart::{Literal, Param};

    #[test]
    fn joins_literals_and_values() {
        let rendered = render_path(&[
            Literal("/a/"),
            Param("x", "1"),
            Literal("/b/"),
            Param("y", "2"),
        ])
        .unwrap();
        assert_eq!(rendered, "/a/1/b/2");
        assert!(rendered.capacity() >= BASE_PATH_ROOM + rendered.len());
        assert_eq!(render_path(&[Literal("/plain")]).unwrap(), "/plain");
    }

    #[test]
    fn value_stays_one_segment() {
        assert_eq!(
            render_path(&[Literal("/calls/"), Param("id", "v3:abc/def?x=1#f% +")]).unwrap(),
            "/calls/v3:abc%2Fdef%3Fx%3D1%23f%25%20%2B"
        );
        assert_eq!(
            render_path(&[Literal("/n/"), Param("id", "caf\u{e9}.~_-")]).unwrap(),
            "/n/caf%C3%A9.~_-"
        );
    }

    #[test]
    fn the_fast_path_keeps_exactly_what_the_encoder_keeps() {
        for byte in 0..=127u8 {
            let text = char::from(byte).to_string();
            let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
            assert_eq!(kept_in_segment(byte), encoded == text, "byte {byte}");
        }
        assert!(!kept_in_segment(0xC3));
    }

    #[test]
    fn rejects_empty_and_dot_values() {
        let render = |value| render_path(&[Literal("/a/"), Param("x", value)]);
        assert!(render("").unwrap_err().contains("`x` must not be empty"));
        assert!(render("..").unwrap_err().contains("must not be `..`"));
        assert!(render(".").is_err());
        assert_eq!(render("..."), Ok("/a/...".to_owned()));
    }
}
