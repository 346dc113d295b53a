//! Enums whose set of values may grow on the server side.

use super::struct_fields::TextVisitor;
use serde::Deserializer;
use std::borrow::Cow;

/// Implements the conversions of an open string enum.
///
/// Telnyx adds enum values over time; a closed enum would turn every such
/// addition into a decoding failure of the whole response. The generated
/// enum has one unit variant per known value plus `Unknown(String)`, and
/// writes its own `as_str` and `known` (value → variant) so the mapping is
/// readable where the enum is defined. This macro adds the rest from those
/// two: `is_unknown`, `Eq`, `Display`, `FromStr` (infallible), `From<&str>`
/// and `From<String>`; `open_enum_serialize!` and `open_enum_deserialize!`
/// add the serde traits, each where the enum travels in that direction.
///
/// The conversions are `#[inline]` so that, like derived traits, they are
/// only compiled where they are used; `Eq` is written out because its
/// derive compiles a field check per enum.
// Generated modules use it; a specification without enums would not.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($name:ident) => {
        impl $name {
            /// Whether this is a value this version of the crate does not know.
            #[inline]
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            #[inline]
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }
    };
}

/// `Serialize` for an open enum: the value as the API writes it.
#[allow(unused_macros)]
macro_rules! open_enum_serialize {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

/// `Deserialize` for an open enum: any string, a value outside the known
/// ones kept as `Unknown` and counted (see `unknown_values_seen`).
#[allow(unused_macros)]
macro_rules! open_enum_deserialize {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = $crate::runtime::open_enum_text(
                    deserializer,
                    ::std::concat!("a ", ::std::stringify!($name), " string"),
                )?;
                Ok(match Self::known(&text) {
                    Some(known) => known,
                    None => Self::Unknown($crate::runtime::unknown_value(text)),
                })
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use {open_enum, open_enum_deserialize, open_enum_serialize};

/// The string an open enum decodes from. It does not depend on the enum,
/// so the deserializer's string handling is compiled once, not per enum;
/// it is borrowed from the input where the deserializer allows.
#[doc(hidden)]
pub fn open_enum_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(TextVisitor(expecting))
}

/// A decoded value no variant knows, counted, for `Unknown`.
#[doc(hidden)]
pub fn unknown_value(text: Cow<'_, str>) -> String {
    count_unknown_value();
    text.into_owned()
}

/// How many enum values outside the spec's lists have been decoded in this
/// process. The conformance suite checks that a mock answering from the
/// spec never produces one; callers have `is_unknown()` per value.
static UNKNOWN_VALUES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[doc(hidden)]
pub fn count_unknown_value() {
    UNKNOWN_VALUES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

#[doc(hidden)]
pub fn unknown_values_seen() -> usize {
    UNKNOWN_VALUES.load(std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    /// The direction of the call, written the way the generator writes enums.
    #[derive(Debug, Clone, PartialEq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum Direction {
        Incoming,
        Outgoing,
        Unknown(String),
    }

    impl Direction {
        pub fn as_str(&self) -> &str {
            match self {
                Self::Incoming => "incoming",
                Self::Outgoing => "outgoing",
                Self::Unknown(value) => value,
            }
        }

        fn known(value: &str) -> Option<Self> {
            match value {
                "incoming" => Some(Self::Incoming),
                "outgoing" => Some(Self::Outgoing),
                _ => None,
            }
        }
    }

    crate::runtime::open_enum!(Direction);
    crate::runtime::open_enum_serialize!(Direction);
    crate::runtime::open_enum_deserialize!(Direction);

    #[test]
    fn known_and_unknown_values_round_trip() {
        let before = super::unknown_values_seen();
        let decoded: Vec<Direction> =
            serde_json::from_str(r#"["incoming","outgoing","sideways"]"#).unwrap();
        assert_eq!(
            decoded,
            [
                Direction::Incoming,
                Direction::Outgoing,
                Direction::Unknown("sideways".to_owned()),
            ]
        );
        assert!(decoded[2].is_unknown());
        assert!(
            super::unknown_values_seen() > before,
            "decoding counts unknown values"
        );
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"["incoming","outgoing","sideways"]"#
        );
    }

    #[test]
    fn conversions_agree() {
        assert_eq!(Direction::from("incoming"), Direction::Incoming);
        assert_eq!(
            Direction::from(String::from("outgoing")),
            Direction::Outgoing
        );
        assert_eq!(
            "x".parse::<Direction>(),
            Ok(Direction::Unknown("x".to_owned()))
        );
        assert_eq!(Direction::Outgoing.to_string(), "outgoing");
        assert_eq!(Direction::Unknown("x".to_owned()).as_str(), "x");
    }

    #[test]
    fn decodes_escaped_and_owned_strings() {
        let escaped: Direction = serde_json::from_str(r#""\u0069ncoming""#).unwrap();
        assert_eq!(escaped, Direction::Incoming);
        let owned: Direction = serde_json::from_value(serde_json::json!("sideways")).unwrap();
        assert_eq!(owned, Direction::Unknown("sideways".to_owned()));
    }

    #[test]
    fn rejects_non_strings() {
        let error = serde_json::from_str::<Direction>("1").unwrap_err();
        assert!(error.to_string().contains("a Direction string"), "{error}");
    }
}
