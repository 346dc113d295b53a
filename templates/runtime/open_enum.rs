//! Enums whose set of values may grow on the server side.

/// Declares a string enum that keeps unknown values instead of failing.
///
/// Telnyx adds enum values over time; a closed enum would turn every such
/// addition into a decoding failure of the whole response. The generated
/// enum has one unit variant per known value plus `Unknown(String)`, is
/// `#[non_exhaustive]`, and implements `as_str`, `is_unknown`, `Display`,
/// `FromStr` (infallible), `From<&str>`, `From<String>`, `Serialize` and
/// `Deserialize` (known values are decoded without allocating).
///
/// Attributes, including doc comments, on the enum and its variants are kept.
/// No variant may be named `Unknown`.
// Generated modules use it; a specification without enums would not.
#[allow(unused_macros)]
macro_rules! open_enum {
    (
        $(#[$enum_attr:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_attr:meta])*
                $variant:ident = $value:literal
            ),* $(,)?
        }
    ) => {
        $(#[$enum_attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                $(#[$variant_attr])*
                $variant,
            )*
            /// A value this version of the crate does not know.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether this is a value this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    unknown => Self::Unknown(unknown.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct OpenEnumVisitor;

                impl ::serde::de::Visitor<'_> for OpenEnumVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(::std::concat!("a ", ::std::stringify!($name), " string"))
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(OpenEnumVisitor)
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    crate::runtime::open_enum! {
        /// The direction of the call.
        pub enum Direction {
            /// Inbound call.
            Incoming = "incoming",
            Outgoing = "outgoing",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
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
    fn rejects_non_strings() {
        let error = serde_json::from_str::<Direction>("1").unwrap_err();
        assert!(error.to_string().contains("a Direction string"), "{error}");
    }
}
