//! Making up values within a schema's constraints, and checking the spec's
//! own examples against them (an example that breaks its schema's
//! `pattern` is not used).

use crate::ir::Constraints;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Value};

/// Whether `value` satisfies the constraints that apply to its kind.
pub(super) fn satisfies(value: &Value, c: &Constraints) -> bool {
    match value {
        Value::String(text) => {
            let length = text.chars().count();
            c.min_length.is_none_or(|min| length >= min)
                && c.max_length.is_none_or(|max| length <= max)
                && c.pattern.as_deref().is_none_or(|p| matches(p, text))
        }
        Value::Number(number) => number.as_f64().is_some_and(|n| in_range(n, c)),
        _ => true,
    }
}

/// `value` moved into the constraints where it is not in them already:
/// a number into its range (and onto its `multipleOf`), a string padded
/// or cut to its length bounds.
pub(super) fn adjust(value: Value, c: &Constraints) -> Value {
    match &value {
        Value::Number(number) if !in_range(number.as_f64().unwrap_or(0.0), c) => {
            number_within(value.is_i64() || value.is_u64(), c).unwrap_or(value)
        }
        Value::String(text) if !satisfies(&value, c) && c.pattern.is_none() => {
            let mut text = text.clone();
            while text.chars().count() < c.min_length.unwrap_or(0) {
                text.push('x');
            }
            if let Some(max) = c.max_length {
                text = text.chars().take(max).collect();
            }
            json!(text)
        }
        _ => value,
    }
}

/// `count` elements for an array with `minItems`: strings are told apart
/// by a suffix, in case the array wants unique items.
pub(super) fn elements(one: Value, count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| match (&one, i) {
            (_, 0) => one.clone(),
            (Value::String(text), i) => json!(format!("{text}{i}")),
            _ => one.clone(),
        })
        .collect()
}

/// The shortest plain string the regular expression matches, or `None`
/// when it cannot be parsed (the caller falls back to the type's value).
pub(super) fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut out = String::new();
    write_shortest(&hir, &mut out);
    matches(pattern, &out).then_some(out)
}

fn matches(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|re| re.is_match(text))
}

fn write_shortest(hir: &Hir, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            if let Some(c) = plain_char(&ranges) {
                out.push(c);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (char::from(r.start()), char::from(r.end())))
                .collect();
            if let Some(c) = plain_char(&ranges) {
                out.push(c);
            }
        }
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min {
                write_shortest(&repetition.sub, out);
            }
        }
        HirKind::Capture(capture) => write_shortest(&capture.sub, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| write_shortest(part, out)),
        HirKind::Alternation(alternatives) => {
            if let Some(first) = alternatives.first() {
                write_shortest(first, out);
            }
        }
    }
}

/// A letter or digit in the class if it has one, else its first printable
/// character: `[^x]` should not yield a control character.
fn plain_char(ranges: &[(char, char)]) -> Option<char> {
    let inside = |c: char| ranges.iter().any(|&(start, end)| start <= c && c <= end);
    ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .find(|&c| inside(c))
        .or_else(|| (' '..='~').find(|&c| inside(c)))
        .or_else(|| ranges.first().map(|&(start, _)| start))
}

fn in_range(n: f64, c: &Constraints) -> bool {
    let above = match c.minimum {
        Some(min) if c.exclusive_minimum => n > min,
        Some(min) => n >= min,
        None => true,
    };
    let below = match c.maximum {
        Some(max) if c.exclusive_maximum => n < max,
        Some(max) => n <= max,
        None => true,
    };
    let multiple = c
        .multiple_of
        .filter(|m| *m > 0.0)
        .is_none_or(|m| (n / m).fract() == 0.0);
    above && below && multiple
}

/// The smallest value in range: the minimum (just above it when
/// exclusive), else just below the maximum; on a `multipleOf`.
fn number_within(integer: bool, c: &Constraints) -> Option<Value> {
    let step = if integer { 1.0 } else { 0.5 };
    let mut n = match (c.minimum, c.maximum) {
        (Some(min), _) if c.exclusive_minimum => min + step,
        (Some(min), _) => min,
        (None, Some(max)) if c.exclusive_maximum => max - step,
        (None, Some(max)) => max.min(1.0),
        (None, None) => 1.0,
    };
    if let Some(m) = c.multiple_of.filter(|m| *m > 0.0) {
        n = (n / m).ceil() * m;
    }
    if !in_range(n, c) {
        return None;
    }
    Some(if integer && n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_yield_their_shortest_plain_match() {
        assert_eq!(matching(r"^\+[1-9][0-9]{9,14}$").unwrap(), "+1000000000");
        assert_eq!(matching(r"^\+1\d{10}$").unwrap(), "+10000000000");
        assert_eq!(matching("^C[A-Z0-9]{5,8}$").unwrap(), "CAAAAA");
        assert_eq!(matching("^[A-Z]{2}$").unwrap(), "AA");
        assert_eq!(matching(r"^[0-9]+(?:\.[0-9]+)?$").unwrap(), "0");
        assert_eq!(matching("^[^,]+$").unwrap(), "a");
        assert_eq!(matching("(unclosed"), None);
    }

    #[test]
    fn numbers_move_into_their_range() {
        let c = Constraints {
            minimum: Some(500.0),
            ..Constraints::default()
        };
        assert_eq!(adjust(json!(1), &c), json!(500));
        let c = Constraints {
            minimum: Some(0.0),
            exclusive_minimum: true,
            maximum: Some(1.0),
            ..Constraints::default()
        };
        assert_eq!(adjust(json!(0), &c), json!(1));
        assert_eq!(adjust(json!(0.5), &c), json!(0.5));
        let c = Constraints {
            minimum: Some(1.0),
            multiple_of: Some(15.0),
            ..Constraints::default()
        };
        assert_eq!(adjust(json!(1), &c), json!(15));
    }

    #[test]
    fn strings_meet_their_length_and_examples_their_pattern() {
        let c = Constraints {
            min_length: Some(10),
            ..Constraints::default()
        };
        assert_eq!(adjust(json!("string"), &c), json!("stringxxxx"));
        let c = Constraints {
            pattern: Some("^[A-Z]{2}$".into()),
            ..Constraints::default()
        };
        assert!(satisfies(&json!("US"), &c));
        assert!(!satisfies(&json!("USA"), &c));
    }
}
