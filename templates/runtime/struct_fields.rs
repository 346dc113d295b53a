//! Deserializing generated structs from JSON objects.
//!
//! serde's derive writes, for every struct, a field-identifier enum with its
//! own visitor and a second decoding path from JSON arrays; over the few
//! hundred structs of the API that was most of this crate's build time. A
//! generated struct instead implements [`StructFields`], one `match` on the
//! field names, and shares the visitor and the key type here. Errors read
//! as serde's derive writes them ("missing field `id`", "expected struct
//! CallRequest"); a repeated key is not an error, the last value wins as in
//! `serde_json::Value`.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A generated struct read from the entries of a map.
#[doc(hidden)]
pub trait StructFields<'de>: Sized {
    /// What a decode error says was expected, such as `struct CallRequest`.
    const EXPECTING: &'static str;

    /// Reads every entry of `map`, then builds the value.
    fn visit_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The body of a generated struct's `Deserialize::deserialize`.
#[doc(hidden)]
pub fn deserialize_struct<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: StructFields<'de>,
{
    deserializer.deserialize_map(StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: StructFields<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// A map key, borrowed from the input where the deserializer allows it.
#[doc(hidden)]
pub struct FieldKey<'de>(Cow<'de, str>);

impl FieldKey<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for FieldKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_identifier(TextVisitor("a field name"))
            .map(FieldKey)
    }
}

/// Any string, borrowed when the input allows: one visitor for every field
/// name and every open enum value, whatever type they end up in.
pub(crate) struct TextVisitor(pub(crate) &'static str);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A struct written the way the generator writes one.
    #[derive(Debug, PartialEq)]
    struct Leg {
        id: String,
        state: Option<String>,
        additional_properties: BTreeMap<String, u32>,
    }

    impl<'de> Deserialize<'de> for Leg {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_struct(deserializer)
        }
    }

    impl<'de> StructFields<'de> for Leg {
        const EXPECTING: &'static str = "struct Leg";

        fn visit_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut slot_id: Option<String> = None;
            let mut slot_state: Option<String> = None;
            let mut additional_properties = BTreeMap::new();
            while let Some(key) = map.next_key::<FieldKey<'de>>()? {
                match key.as_str() {
                    "id" => slot_id = Some(map.next_value()?),
                    "state" => slot_state = map.next_value()?,
                    _ => {
                        additional_properties.insert(key.into_string(), map.next_value()?);
                    }
                }
            }
            let Some(id) = slot_id else {
                return Err(A::Error::missing_field("id"));
            };
            Ok(Leg {
                id,
                state: slot_state,
                additional_properties,
            })
        }
    }

    fn decode(json: &str) -> Result<Leg, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_named_optional_and_extra_fields() {
        let leg = decode(r#"{"state":null,"x":1,"id":"a","y":2}"#).unwrap();
        assert_eq!(leg.id, "a");
        assert_eq!(leg.state, None);
        assert_eq!(
            leg.additional_properties,
            BTreeMap::from([("x".to_owned(), 1), ("y".to_owned(), 2)])
        );
        assert_eq!(
            decode(r#"{"id":"a","state":"up"}"#)
                .unwrap()
                .state
                .as_deref(),
            Some("up")
        );
    }

    #[test]
    fn the_last_of_repeated_keys_wins() {
        assert_eq!(decode(r#"{"id":"a","id":"b"}"#).unwrap().id, "b");
    }

    #[test]
    fn escaped_keys_match_too() {
        assert_eq!(decode(r#"{"\u0069d":"a"}"#).unwrap().id, "a");
    }

    #[test]
    fn errors_read_like_serde_derive() {
        assert!(decode(r#"{"state":"up"}"#)
            .unwrap_err()
            .starts_with("missing field `id`"));
        assert!(decode(r#"["a"]"#)
            .unwrap_err()
            .starts_with("invalid type: sequence, expected struct Leg"));
        assert!(decode(r#"{"id":"a","x":"no"}"#)
            .unwrap_err()
            .starts_with("invalid type"));
    }

    #[test]
    fn decodes_from_a_value_too() {
        let value = serde_json::json!({"id": "a", "z": 3});
        let leg: Leg = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(leg.additional_properties["z"], 3);
        assert_eq!(Leg::deserialize(&value).unwrap(), leg);
    }
}
