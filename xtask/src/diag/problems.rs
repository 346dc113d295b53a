//! Many problems as one error: regen reports all it found in a run, so a
//! maintainer fixes a new spec in one round instead of one per problem.

use super::Error;

/// How many problems an error lists; the rest are counted, not shown.
pub const PROBLEMS_SHOWN: usize = 50;

pub(super) fn gather(errors: Vec<Error>) -> Option<Error> {
    let mut flat: Vec<Error> = Vec::with_capacity(errors.len());
    for error in errors {
        match error {
            Error::Problems(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    flat.sort_by_cached_key(sort_key);
    flat.dedup_by(|a, b| a.to_string() == b.to_string());
    match flat.len() {
        0 => None,
        1 => flat.pop(),
        _ => Some(Error::Problems(flat)),
    }
}

/// By file, then JSON pointer, then message; problems without a pointer
/// (which no spec stage raises) last, in the order found.
fn sort_key(error: &Error) -> (u8, String, String, String) {
    match error {
        Error::Spec {
            origin,
            pointer,
            message,
        } => (
            0,
            origin.clone(),
            pointer.as_str().to_string(),
            message.clone(),
        ),
        _ => (1, String::new(), String::new(), String::new()),
    }
}

pub(super) fn render(problems: &[Error]) -> String {
    let origin = problems
        .iter()
        .find_map(|e| match e {
            Error::Spec { origin, .. } if !origin.is_empty() => Some(origin.as_str()),
            _ => None,
        })
        .unwrap_or("the spec");
    let mut out = format!(
        "{origin}: {} problems, sorted by JSON pointer:",
        problems.len()
    );
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        out.push_str(&format!("\n  {problem}"));
    }
    if problems.len() > PROBLEMS_SHOWN {
        out.push_str(&format!(
            "\n  ... and {} more (the first {PROBLEMS_SHOWN} are shown)",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pointer;

    fn spec_error(pointer: &str, message: &str) -> Error {
        Error::spec(&Pointer::parse(pointer), message).in_spec("spec.yml")
    }

    #[test]
    fn problems_are_sorted_by_pointer_deduplicated_and_capped() {
        let mut errors: Vec<Error> = (0..PROBLEMS_SHOWN + 7)
            .rev()
            .map(|i| spec_error(&format!("/paths/~1p{i:03}"), "bad"))
            .collect();
        errors.push(spec_error("/paths/~1p000", "bad"));
        errors.push(spec_error("/components/schemas/A", "worse"));
        let text = Error::all(errors).expect("some").to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                "spec.yml: {} problems, sorted by JSON pointer:",
                PROBLEMS_SHOWN + 8
            )
        );
        assert_eq!(lines[1], "  spec.yml#/components/schemas/A: worse");
        assert_eq!(lines[2], "  spec.yml#/paths/~1p000: bad");
        assert_eq!(lines[3], "  spec.yml#/paths/~1p001: bad");
        assert_eq!(lines.len(), 1 + PROBLEMS_SHOWN + 1);
        assert_eq!(
            lines[PROBLEMS_SHOWN + 1],
            format!("  ... and 8 more (the first {PROBLEMS_SHOWN} are shown)")
        );
    }

    #[test]
    fn one_problem_is_itself_and_none_is_none() {
        assert!(Error::all(Vec::new()).is_none());
        let one = Error::all(vec![spec_error("/a", "bad"), spec_error("/a", "bad")]);
        assert_eq!(one.expect("one").to_string(), "spec.yml#/a: bad");
    }

    #[test]
    fn nested_problems_are_flattened_and_take_the_file_name_later() {
        let inner = Error::all(vec![
            Error::spec(&Pointer::parse("/b"), "two"),
            Error::spec(&Pointer::parse("/a"), "one"),
        ])
        .expect("two");
        let outer = Error::all(vec![inner, Error::spec(&Pointer::parse("/c"), "three")])
            .expect("three")
            .in_spec("x.yml");
        assert_eq!(
            outer.to_string(),
            "x.yml: 3 problems, sorted by JSON pointer:\n  x.yml#/a: one\n  x.yml#/b: two\n  \
             x.yml#/c: three"
        );
    }
}
