//! Decoding of JSON: successful response bodies, and the variants of
//! generated tagged unions.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::{DecodeError, Error};

/// Decodes a 2xx response body, naming the JSON path of the first value that
/// does not fit `T` (such as `data.items[1].id`).
///
/// An empty body is decoded as `null`, so targets like `Option<_>` or `()`
/// accept it while any other target reports a decode error.
pub(crate) fn decode_body<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    let decode_error = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError {
            path,
            message,
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        }))
    };

    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_slice(b"null").map_err(|_| {
            decode_error(
                ".".to_owned(),
                "the response body is empty but a value was expected".to_owned(),
            )
        });
    }

    from_slice_with_path(body).map_err(|(path, error)| decode_error(path, error.to_string()))
}

/// A text response body, which must be UTF-8.
pub(crate) fn decode_text(status: StatusCode, body: &[u8]) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|error| {
        Error::Decode(Box::new(DecodeError {
            path: ".".to_owned(),
            message: format!("the response is not UTF-8 text: {error}"),
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        }))
    })
}

/// Decodes `body` into `T`, or says where it does not fit: the JSON path of
/// the first such value (`.` for the whole body) and serde's error.
pub(crate) fn from_slice_with_path<T: DeserializeOwned>(
    body: &[u8],
) -> Result<T, (String, serde_json::Error)> {
    // Tracking the path costs on every value, so it is done only on a second
    // pass over a body that failed: decoding is deterministic, and that pass
    // stops at the same place. Checking UTF-8 once for the whole body spares
    // the first pass checking it string by string.
    if let Ok(text) = std::str::from_utf8(body) {
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner()))?;
    deserializer
        .end()
        .map_err(|error| (".".to_owned(), error))?;
    Ok(value)
}

/// Decodes one variant of a generated tagged union from the already parsed
/// JSON object, converting the failure into the caller's deserializer error.
#[doc(hidden)]
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Envelope {
        data: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    fn decode_failure<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> DecodeError {
        match decode_body::<T>(StatusCode::OK, body.as_bytes()) {
            Err(Error::Decode(error)) => *error,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_failing_path() {
        let error = decode_failure::<Envelope>(r#"{"data":[{"id":"a"},{"id":7}]}"#);
        assert_eq!(error.path, "data[1].id");
        assert!(error.message.contains("invalid type"), "{}", error.message);
        assert_eq!(error.body, r#"{"data":[{"id":"a"},{"id":7}]}"#);
    }

    #[test]
    fn empty_body_decodes_as_null() {
        assert_eq!(
            decode_body::<Option<Item>>(StatusCode::OK, b"")
                .unwrap()
                .map(|i| i.id),
            None
        );
        decode_body::<()>(StatusCode::NO_CONTENT, b" \n").unwrap();
        assert!(decode_failure::<Item>("").message.contains("empty"));
    }

    #[test]
    fn names_the_string_that_is_not_utf8() {
        let body = b"{\"data\":[{\"id\":\"a\"},{\"id\":\"\xff\"}]}";
        let Err(Error::Decode(error)) = decode_body::<Envelope>(StatusCode::OK, body) else {
            panic!("expected a decode error");
        };
        assert_eq!(error.path, "data[1].id");
        assert!(error.message.contains("unicode"), "{}", error.message);
    }

    #[test]
    fn rejects_trailing_garbage() {
        decode_failure::<Envelope>(r#"{"data":[]} x"#);
    }

    #[test]
    fn variant_errors_convert() {
        let result: Result<Item, serde_json::Error> = decode_variant(serde_json::json!({"id": 1}));
        assert!(result.is_err());
    }
}
