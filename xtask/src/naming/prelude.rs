//! The names every Rust module sees without a `use` (the 2021 prelude).
//! Generated code names these traits and types bare, so no generated item
//! may take one of their names.

const PRELUDE: [&str; 38] = [
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Whether `name` is a prelude item (a `Send` builder would hide the trait).
pub fn is_prelude(name: &str) -> bool {
    PRELUDE.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_is_sorted_for_binary_search() {
        assert!(super::PRELUDE.windows(2).all(|w| w[0] < w[1]));
    }
}
