//! Identifier casing that respects acronyms and mixed-case words.
//!
//! `heck` splits "FQDNs" into `fqd_ns` and "TeXML" into `te_xml`. Here an
//! uppercase run keeps a trailing plural `s` (`FQDNs`, `IDs`, `URLs`), and
//! words listed in the SDK config (`TeXML`) are never split.

/// Splits an identifier or free text into words.
pub fn split_words(input: &str, words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in input
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|c| !c.is_empty())
    {
        split_chunk(chunk, words, &mut out);
    }
    out
}

fn split_chunk(chunk: &str, words: &[String], out: &mut Vec<String>) {
    let chars: Vec<char> = chunk.chars().collect();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if i == start {
            if let Some(len) = known_word_at(&chars[i..], words) {
                out.push(chars[i..i + len].iter().collect());
                i += len;
                start = i;
                continue;
            }
        }
        if i > start && is_boundary(&chars, i) {
            out.push(chars[start..i].iter().collect());
            start = i;
            continue;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(chars[start..].iter().collect());
    }
}

/// A listed word matching here, ending where a new word may begin.
fn known_word_at(rest: &[char], words: &[String]) -> Option<usize> {
    words
        .iter()
        .filter(|w| {
            let w: Vec<char> = w.chars().collect();
            rest.len() >= w.len()
                && rest[..w.len()] == w[..]
                && rest
                    .get(w.len())
                    .is_none_or(|next| !next.is_ascii_lowercase())
        })
        .map(|w| w.chars().count())
        .max()
}

fn is_boundary(chars: &[char], i: usize) -> bool {
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
fn plural_acronym(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'s') && chars.get(i + 2).is_none_or(|c| !c.is_ascii_lowercase())
}

pub fn snake(input: &str, words: &[String]) -> String {
    let joined = split_words(input, words)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    escape_snake(joined)
}

pub fn pascal(input: &str, words: &[String]) -> String {
    let joined: String = split_words(input, words)
        .iter()
        .map(|w| capitalize(w))
        .collect();
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

fn capitalize(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
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
