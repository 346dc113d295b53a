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

/// Substitutes every `{name}` in `template` with the percent-encoded value
/// of the parameter of that name, after `prefix` (the base URL's own path,
/// such as `/v2`, so the full path is built in one string).
///
/// Fails when a placeholder has no value, a value is empty or a dot segment
/// (which URL normalization would resolve into a different path, even when
/// escaped), a value names no placeholder, or the template is malformed.
pub(crate) fn render_path(
    prefix: &str,
    template: &str,
    params: &[(&str, String)],
) -> Result<String, String> {
    // Ids are nearly always copied as they are, so this is the final length
    // but for the placeholders' own names.
    let values_len: usize = params.iter().map(|(_, value)| value.len()).sum();
    let mut rendered = String::with_capacity(prefix.len() + template.len() + values_len);
    rendered.push_str(prefix);
    // Which of the first 64 parameters a placeholder used; operations have
    // a handful, and any beyond are looked up in the template instead.
    let mut used: u64 = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rendered.push_str(&rest[..open]);
        let after_open = &rest[open + 1..];
        let Some(close) = after_open.find('}') else {
            return Err(unclosed(template));
        };
        let name = &after_open[..close];
        let Some(index) = params.iter().position(|(param, _)| *param == name) else {
            return Err(no_value(name));
        };
        used |= 1u64.checked_shl(index as u32).unwrap_or(0);
        push_segment(&mut rendered, name, &params[index].1)?;
        rest = &after_open[close + 1..];
    }
    rendered.push_str(rest);
    if used.count_ones() as usize != params.len() {
        check_all_used(template, params, used)?;
    }
    Ok(rendered)
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

// The failures are built out of line: requests render their paths on every
// call and fail almost never, so the common path stays short.

#[cold]
fn check_all_used(template: &str, params: &[(&str, String)], used: u64) -> Result<(), String> {
    let unused = params.iter().enumerate().find(|(index, (name, _))| {
        let marked = 1u64
            .checked_shl(*index as u32)
            .is_some_and(|bit| used & bit != 0);
        !marked && !has_placeholder(template, name)
    });
    match unused {
        Some((_, (unused, _))) => Err(format!(
            "path parameter `{unused}` does not appear in `{template}`"
        )),
        None => Ok(()),
    }
}

#[cold]
fn unclosed(template: &str) -> String {
    format!("path template `{template}` has an unclosed `{{`")
}

#[cold]
fn no_value(name: &str) -> String {
    format!("path parameter `{name}` has no value")
}

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

/// Whether `template` contains `{name}`.
fn has_placeholder(template: &str, name: &str) -> bool {
    template.match_indices(name).any(|(at, _)| {
        template[..at].ends_with('{') && template[at + name.len()..].starts_with('}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, params: &[(&str, &str)]) -> Result<String, String> {
        let params: Vec<(&str, String)> = params
            .iter()
            .map(|(name, value)| (*name, value.to_string()))
            .collect();
        render_path("", template, &params)
    }

    #[test]
    fn substitutes_every_placeholder() {
        assert_eq!(
            render("/a/{x}/b/{y}", &[("y", "2"), ("x", "1")]).unwrap(),
            "/a/1/b/2"
        );
        assert_eq!(render("/plain", &[]).unwrap(), "/plain");
    }

    #[test]
    fn value_stays_one_segment() {
        assert_eq!(
            render("/calls/{id}", &[("id", "v3:abc/def?x=1#f% +")]).unwrap(),
            "/calls/v3:abc%2Fdef%3Fx%3D1%23f%25%20%2B"
        );
        assert_eq!(
            render("/n/{id}", &[("id", "caf\u{e9}.~_-")]).unwrap(),
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
    fn rejects_missing_empty_dot_and_unused_values() {
        assert!(render("/a/{x}", &[])
            .unwrap_err()
            .contains("`x` has no value"));
        assert!(render("/a/{x}", &[("x", "")])
            .unwrap_err()
            .contains("must not be empty"));
        assert!(render("/a/{x}", &[("x", "..")]).is_err());
        assert!(render("/a/{x}", &[("x", ".")]).is_err());
        assert!(render("/a/{x}", &[("x", "1"), ("y", "2")])
            .unwrap_err()
            .contains("`y` does not appear"));
        // A name inside a longer placeholder is not that placeholder.
        assert!(render("/a/{call_id}", &[("call_id", "1"), ("id", "2")])
            .unwrap_err()
            .contains("`id` does not appear"));
        assert!(render("/a/{x", &[("x", "1")])
            .unwrap_err()
            .contains("unclosed"));
    }
}
