//! Fresh `command_id`s, which make Call Control commands safe to retry:
//! Telnyx ignores a command whose `command_id` it has already seen for the
//! same call.

/// A new random `command_id` (a UUID v4). Generated request builders call it
/// once per logical call, before the first attempt, so every retry of that
/// call repeats the same id.
#[doc(hidden)]
pub fn new_command_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_v4_uuids() {
        let (a, b) = (new_command_id(), new_command_id());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
