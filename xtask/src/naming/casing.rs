//! Identifier casing that respects acronyms and mixed-case words.
//!
//! `heck` splits "FQDNs" into `fqd_ns` and "TeXML" into `te_xml`. Here an
//! uppercase run keeps a trailing plural `s` (`FQDNs`, `IDs`, `URLs`), and
//! words listed in the SDK config (`TeXML`) are never split.

/// Splits an identifier or free text into words.
pub fn split_words(input: &str, words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(input, words, |word| out.push(word.to_string()));
    out
}

/// Calls `visit` with each word of `input`, in order, without allocating:
/// naming and emission case thousands of identifiers.
fn for_each_word<'a>(input: &'a str, words: &[String], mut visit: impl FnMut(&'a str)) {
    for chunk in input
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        split_chunk(chunk, words, &mut visit);
    }
}

/// Chunks hold ASCII letters and digits only, so bytes are characters.
fn split_chunk<'a>(chunk: &'a str, words: &[String], visit: &mut impl FnMut(&'a str)) {
    let bytes = chunk.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i == start {
            if let Some(len) = known_word_at(&bytes[i..], words) {
                visit(&chunk[i..i + len]);
                i += len;
                start = i;
                continue;
            }
        }
        if i > start && is_boundary(bytes, i) {
            visit(&chunk[start..i]);
            start = i;
            continue;
        }
        i += 1;
    }
    if start < bytes.len() {
        visit(&chunk[start..]);
    }
}

/// A listed word matching here, ending where a new word may begin. A word
/// with other than ASCII letters and digits never matches a chunk.
fn known_word_at(rest: &[u8], words: &[String]) -> Option<usize> {
    words
        .iter()
        .map(String::as_bytes)
        .filter(|w| {
            rest.starts_with(w)
                && rest
                    .get(w.len())
                    .is_none_or(|next| !next.is_ascii_lowercase())
        })
        .map(<[u8]>::len)
        .max()
}

fn is_boundary(chars: &[u8], i: usize) -> bool {
    let prev = chars[i - 1];
    let cur = chars[i];
    let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
    match (prev, cur) {
        // "callId", and "FQDNsGet" once the plural `s` closed the acronym.
        (p, c) if p.is_ascii_lowercase() && c.is_ascii_uppercase() => true,
        // "SIPInfo": a capital run ends before the capital that starts the next word...
        (p, c) if p.is_ascii_uppercase() && c.is_ascii_uppercase() => {
            next_is_lower && !plural_acronym(chars, i)
        }
        // "V2Api" splits, "10DLC" does not.
        (p, c) if p.is_ascii_digit() && c.is_ascii_uppercase() => next_is_lower,
        _ => false,
    }
}

/// ...unless that word is just a plural `s` ("IDs", "FQDNsFor").
fn plural_acronym(chars: &[u8], i: usize) -> bool {
    chars.get(i + 1) == Some(&b's') && chars.get(i + 2).is_none_or(|c| !c.is_ascii_lowercase())
}

pub fn snake(input: &str, words: &[String]) -> String {
    let mut joined = String::with_capacity(input.len() + 4);
    for_each_word(input, words, |word| {
        if !joined.is_empty() {
            joined.push('_');
        }
        joined.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    });
    escape_snake(joined)
}

/// Each word capitalized: first letter upper case, the rest lower case.
pub fn pascal(input: &str, words: &[String]) -> String {
    let mut joined = String::with_capacity(input.len() + 1);
    for_each_word(input, words, |word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            joined.push(first.to_ascii_uppercase());
            joined.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    });
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Keywords get a trailing `_`; a leading digit gets a leading `_`.
fn escape_snake(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        vec!["TeXML".into(), "eSIM".into()]
    }

    #[test]
    fn acronyms_stay_whole() {
        assert_eq!(snake("FQDNs", &words()), "fqdns");
        assert_eq!(snake("TeXMLApplication", &words()), "texml_application");
        assert_eq!(snake("SendDTMF", &words()), "send_dtmf");
        assert_eq!(snake("SendSIPInfo", &words()), "send_sip_info");
        assert_eq!(snake("ListIDs", &words()), "list_ids");
        assert_eq!(
            snake("FQDNsForConnection", &words()),
            "fqdns_for_connection"
        );
        assert_eq!(
            pascal("call-control_FilterConsolidated", &words()),
            "CallControlFilterConsolidated"
        );
        assert_eq!(pascal("call.answered", &words()), "CallAnswered");
        assert_eq!(pascal("en-US", &words()), "EnUs");
        assert_eq!(pascal("eSIMProfile", &words()), "EsimProfile");
        assert_eq!(
            pascal("noiseSuppressionStart", &words()),
            "NoiseSuppressionStart"
        );
    }

    #[test]
    fn digits_and_keywords() {
        assert_eq!(snake("type", &[]), "type_");
        assert_eq!(snake("1xx", &[]), "_1xx");
        assert_eq!(pascal("1080p", &[]), "V1080p");
        assert_eq!(snake("timeout_1xx_secs", &[]), "timeout_1xx_secs");
        assert_eq!(snake("10DLCBrand", &["10DLC".into()]), "_10dlc_brand");
        assert_eq!(snake("int32Value", &[]), "int32_value");
    }
}
