//! Request bodies that are not JSON: `application/x-www-form-urlencoded`
//! (TeXML's Twilio-style endpoints) and `multipart/form-data` (uploads).
//! Both start from the body's JSON form, so the names and values on the
//! wire are the ones the spec and the JSON bodies use.

use serde_json::Value;

/// The `name=value` pairs of a form body, in the order of the object's
/// properties: a scalar as its text, `null` not at all, and nested values
/// in the bracket notation of `qs` (which Prism and Rails-style servers
/// read, and the official SDKs write): `obj[key]=v`, `list[0]=v`,
/// `list[0][key]=v`.
pub(crate) fn form_pairs(body: &Value) -> Result<Vec<(String, String)>, String> {
    let Value::Object(object) = body else {
        return Err("a form body must be a JSON object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, value) in object {
        flatten(name.clone(), value, &mut pairs);
    }
    Ok(pairs)
}

fn flatten(name: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(object) => {
            for (key, inner) in object {
                flatten(format!("{name}[{key}]"), inner, out);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                flatten(format!("{name}[{index}]"), inner, out);
            }
        }
        Value::String(text) => out.push((name, text.clone())),
        other => out.push((name, other.to_string())),
    }
}

/// `application/x-www-form-urlencoded` text of `pairs`.
pub(crate) fn urlencoded(pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(form_urlencoded(name));
        out.push('=');
        out.extend(form_urlencoded(value));
    }
    out.into_bytes()
}

/// One part of a multipart body.
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) value: String,
    /// Sent as a file (`filename`, `application/octet-stream`).
    pub(crate) file: bool,
}

/// The parts of a multipart body: the fields [`form_pairs`] makes of it,
/// those of the properties named in `files` sent as files.
pub(crate) fn multipart_parts(body: &Value, files: &[&str]) -> Result<Vec<Part>, String> {
    let Value::Object(object) = body else {
        return Err("a multipart body must be a JSON object".to_owned());
    };
    let mut parts = Vec::new();
    for (name, value) in object {
        let mut fields = Vec::new();
        flatten(name.clone(), value, &mut fields);
        let file = files.contains(&name.as_str());
        parts.extend(
            fields
                .into_iter()
                .map(|(name, value)| Part { name, value, file }),
        );
    }
    Ok(parts)
}

/// The multipart body of `parts` and its `Content-Type`. The boundary is
/// the first of a fixed series that occurs in no value, so the same body
/// always encodes to the same bytes.
pub(crate) fn multipart(parts: &[Part]) -> (Vec<u8>, String) {
    let boundary = (0u32..)
        .map(|n| format!("telnyx-rust-boundary-{n:04}"))
        .find(|b| parts.iter().all(|p| !p.value.contains(b.as_str())))
        .unwrap_or_default();
    let mut out = String::new();
    for part in parts {
        out.push_str("--");
        out.push_str(&boundary);
        out.push_str("\r\nContent-Disposition: form-data; name=\"");
        out.push_str(&quoted(&part.name));
        out.push('"');
        if part.file {
            out.push_str("; filename=\"");
            out.push_str(&quoted(&part.name));
            out.push_str("\"\r\nContent-Type: application/octet-stream");
        }
        out.push_str("\r\n\r\n");
        out.push_str(&part.value);
        out.push_str("\r\n");
    }
    out.push_str("--");
    out.push_str(&boundary);
    out.push_str("--\r\n");
    (
        out.into_bytes(),
        format!("multipart/form-data; boundary={boundary}"),
    )
}

/// A name inside `Content-Disposition`'s quotes, as browsers escape it.
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// `application/x-www-form-urlencoded` escaping: unreserved bytes as they
/// are, space as `+`, everything else percent-encoded.
fn form_urlencoded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.bytes().flat_map(|byte| {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'*');
        let encoded: Vec<char> = match byte {
            _ if keep => vec![char::from(byte)],
            b' ' => vec!['+'],
            _ => format!("%{byte:02X}").chars().collect(),
        };
        encoded
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_bodies_are_pairs_in_property_order() {
        // Keys in sorted order: `serde_json` keeps insertion order only
        // with its `preserve_order` feature.
        let body = json!({"Headers": [{"name": "X", "value": "y"}], "Max": 5, "Record": true,
                          "Skip": null, "Tags": ["a", "b"], "To": "+1 800"});
        let pairs = form_pairs(&body).unwrap();
        let text = String::from_utf8(urlencoded(&pairs)).unwrap();
        assert_eq!(
            text,
            "Headers%5B0%5D%5Bname%5D=X&Headers%5B0%5D%5Bvalue%5D=y&Max=5&Record=true\
             &Tags%5B0%5D=a&Tags%5B1%5D=b&To=%2B1+800"
        );
        assert!(form_pairs(&json!([1])).is_err());
    }

    #[test]
    fn multipart_bodies_send_files_as_files_and_objects_in_brackets() {
        let body = json!({"config": {"k": 1}, "file": "a,b\n", "model": "whisper"});
        let parts = multipart_parts(&body, &["file"]).unwrap();
        let (bytes, content_type) = multipart(&parts);
        assert_eq!(content_type, "multipart/form-data; boundary=telnyx-rust-boundary-0000");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "--telnyx-rust-boundary-0000\r\nContent-Disposition: form-data; name=\"config[k]\"\r\n\r\n1\r\n\
             --telnyx-rust-boundary-0000\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\na,b\n\r\n\
             --telnyx-rust-boundary-0000\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n\
             --telnyx-rust-boundary-0000--\r\n"
        );
    }

    #[test]
    fn the_boundary_avoids_the_content() {
        let body = json!({"file": "--telnyx-rust-boundary-0000"});
        let (_, content_type) = multipart(&multipart_parts(&body, &[]).unwrap());
        assert!(content_type.ends_with("telnyx-rust-boundary-0001"));
    }
}
