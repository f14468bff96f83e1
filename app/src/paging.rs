//! Keyset pagination helpers shared by the catalogue and the card browser.
//!
//! A page ends with a cursor: the sort key and id of its last row. It goes
//! to the browser hex-encoded JSON, so it is opaque there and survives any
//! query string unescaped.

use serde::{de::DeserializeOwned, Serialize};

/// Longer cursors are not ours; refusing them keeps decoding cheap.
const MAX_CURSOR_CHARS: usize = 2048;

pub fn encode_cursor(cursor: &impl Serialize) -> String {
    let json = serde_json::to_vec(cursor).unwrap_or_default();
    json.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `None` for anything [`encode_cursor`] did not make.
pub fn decode_cursor<T: DeserializeOwned>(text: &str) -> Option<T> {
    if !text.len().is_multiple_of(2) || text.len() > MAX_CURSOR_CHARS {
        return None;
    }
    let bytes = (0..text.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(text.get(index..index + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    // PostgreSQL text cannot hold NUL; a key holding one is not ours either.
    if bytes.windows(6).any(|window| window == br"\u0000") {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

/// Percent-encodes a query string value (RFC 3986 unreserved characters
/// stay as they are).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// `path?name=value&…`, leaving out empty values.
pub fn address_with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
    if encoded.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", encoded.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip() {
        let cursor = ("2026-11-23 03:12:41.688319+00".to_owned(), 42_u64);
        let decoded: (String, u64) = decode_cursor(&encode_cursor(&cursor)).unwrap();
        assert_eq!(decoded, cursor);
    }

    #[test]
    fn foreign_cursors_are_refused() {
        assert_eq!(decode_cursor::<(String, u64)>("zz"), None);
        assert_eq!(decode_cursor::<(String, u64)>("abc"), None);
        assert_eq!(decode_cursor::<(String, u64)>(&"00".repeat(2000)), None);
        let with_nul = encode_cursor(&("a\u{0}b".to_owned(), 1_u64));
        assert_eq!(decode_cursor::<(String, u64)>(&with_nul), None);
    }

    #[test]
    fn query_values_are_encoded_and_empty_ones_dropped() {
        assert_eq!(
            address_with_query("/browse", &[("q", "tag:a b&c"), ("after", "")]),
            "/browse?q=tag%3Aa%20b%26c"
        );
        assert_eq!(address_with_query("/browse", &[("q", "")]), "/browse");
    }
}
