//! Validation keywords of a schema (`minimum`, `pattern`, `minItems`, ...):
//! the Rust types cannot carry them, but values made up for tests must
//! respect them, since the mock validates every request against them.

use super::Constraints;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// The schema's own constraints, and those of its inline `items`.
pub(super) fn of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.pattern = s.pattern.clone();
            c.min_length = s.min_length;
            c.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|n| n as f64);
            c.maximum = i.maximum.map(|n| n as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
            c.multiple_of = i.multiple_of.map(|n| n as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
            c.multiple_of = n.multiple_of;
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.items = items(a.items.as_ref());
        }
        SchemaKind::Type(Type::Object(o)) => c.min_properties = o.min_properties,
        SchemaKind::Any(a) => {
            c.pattern = a.pattern.clone();
            c.min_length = a.min_length;
            c.max_length = a.max_length;
            c.minimum = a.minimum;
            c.maximum = a.maximum;
            c.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
            c.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
            c.multiple_of = a.multiple_of;
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.min_properties = a.min_properties;
            c.items = items(a.items.as_ref());
        }
        _ => {}
    }
    c
}

fn items(items: Option<&ReferenceOr<Box<Schema>>>) -> Option<Box<Constraints>> {
    match items? {
        ReferenceOr::Item(schema) => Some(Box::new(of(schema))).filter(|c| !c.is_empty()),
        // A named item type carries its own constraints.
        ReferenceOr::Reference { .. } => None,
    }
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints of a use (a property or parameter schema) over
    /// those of the named type it refers to.
    pub fn or(&self, named: &Constraints) -> Constraints {
        let pick = |a: Option<f64>, b: Option<f64>| a.or(b);
        Constraints {
            minimum: pick(self.minimum, named.minimum),
            maximum: pick(self.maximum, named.maximum),
            exclusive_minimum: if self.minimum.is_some() {
                self.exclusive_minimum
            } else {
                named.exclusive_minimum
            },
            exclusive_maximum: if self.maximum.is_some() {
                self.exclusive_maximum
            } else {
                named.exclusive_maximum
            },
            multiple_of: pick(self.multiple_of, named.multiple_of),
            min_length: self.min_length.or(named.min_length),
            max_length: self.max_length.or(named.max_length),
            pattern: self.pattern.clone().or_else(|| named.pattern.clone()),
            min_items: self.min_items.or(named.min_items),
            max_items: self.max_items.or(named.max_items),
            min_properties: self.min_properties.or(named.min_properties),
            items: self.items.clone().or_else(|| named.items.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        yaml_serde::from_str(yaml).unwrap()
    }

    #[test]
    fn reads_the_keywords_of_each_type() {
        let c = of(&schema("{type: integer, minimum: 500, maximum: 9000}"));
        assert_eq!((c.minimum, c.maximum), (Some(500.0), Some(9000.0)));
        let c = of(&schema(
            "{type: string, pattern: '^C[A-Z0-9]{5,8}$', minLength: 10}",
        ));
        assert_eq!(c.pattern.as_deref(), Some("^C[A-Z0-9]{5,8}$"));
        assert_eq!(c.min_length, Some(10));
        let c = of(&schema(
            "{type: array, minItems: 2, items: {type: string, pattern: '^\\+1'}}",
        ));
        assert_eq!(c.min_items, Some(2));
        assert_eq!(c.items.unwrap().pattern.as_deref(), Some("^\\+1"));
        let c = of(&schema("{type: object, minProperties: 1}"));
        assert_eq!(c.min_properties, Some(1));
        assert!(of(&schema("{type: boolean}")).is_empty());
    }

    #[test]
    fn a_use_refines_the_named_type() {
        let named = Constraints {
            minimum: Some(1.0),
            pattern: Some("^x".into()),
            ..Constraints::default()
        };
        let here = Constraints {
            minimum: Some(5.0),
            ..Constraints::default()
        };
        let both = here.or(&named);
        assert_eq!(both.minimum, Some(5.0));
        assert_eq!(both.pattern.as_deref(), Some("^x"));
    }
}
