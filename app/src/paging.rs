//! Keyset pagination helpers shared by the catalogue, the card browser, a
//! deck's notes and the admin's account list.
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

/// Ends a page read with one row more than `page_size` (which is how a query
/// learns that more follow): drops that extra row and returns the cursor of
/// the page's last row, or `None` when this page is the last.
pub fn end_page<Row, Cursor>(
    rows: &mut Vec<Row>,
    page_size: i64,
    cursor_of: impl FnOnce(&Row) -> Cursor,
) -> Option<Cursor> {
    let page_size = usize::try_from(page_size).unwrap_or(0);
    if rows.len() <= page_size {
        return None;
    }
    rows.truncate(page_size);
    rows.last().map(cursor_of)
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
    fn a_page_read_one_row_long_is_cut_and_names_its_last_row() {
        let mut full = vec![1, 2, 3, 4];
        assert_eq!(end_page(&mut full, 3, |last| *last), Some(3));
        assert_eq!(full, [1, 2, 3]);
        let mut last_page = vec![1, 2];
        assert_eq!(end_page(&mut last_page, 3, |last| *last), None);
        assert_eq!(last_page, [1, 2]);
        let mut exact = vec![1, 2, 3];
        assert_eq!(end_page(&mut exact, 3, |last| *last), None);
        assert_eq!(exact, [1, 2, 3]);
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
