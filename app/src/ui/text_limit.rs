//! How much a long text field takes, counted as the server counts it, so
//! that the field can say so while there is still room rather than after a
//! save was refused.

/// The most a text field takes: characters (a description) or bytes of
/// UTF-8 (a note's field, a lesson), whichever the server checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLimit {
    Characters(usize),
    Bytes(usize),
}

/// Where a count starts to show: at nine tenths of the limit, where a text
/// may reach it with the next paste.
const SHOWN_FROM_TENTHS: usize = 9;

impl TextLimit {
    /// How much of the limit `text` uses as the form sends it: a browser
    /// sends each line break of a text area as two characters (CR LF),
    /// which the server counts.
    pub fn used_by(self, text: &str) -> usize {
        let line_breaks = text.matches('\n').count() - text.matches("\r\n").count();
        match self {
            TextLimit::Characters(_) => text.chars().count() + line_breaks,
            TextLimit::Bytes(_) => text.len() + line_breaks,
        }
    }

    fn max(self) -> usize {
        match self {
            TextLimit::Characters(max) | TextLimit::Bytes(max) => max,
        }
    }

    /// What the field says under it for `used`, and whether that is over
    /// the limit; nothing while the text is well within it.
    pub fn count(self, used: usize) -> Option<(String, bool)> {
        let max = self.max();
        if used * 10 < max * SHOWN_FROM_TENTHS {
            return None;
        }
        let over = used > max;
        let text = match (self, over) {
            (TextLimit::Characters(_), false) => {
                format!("{} of {} characters", grouped(used), grouped(max))
            }
            (TextLimit::Characters(_), true) => format!(
                "{} of {} characters: {} too many",
                grouped(used),
                grouped(max),
                grouped(used - max)
            ),
            (TextLimit::Bytes(_), false) => format!("{} of {} KiB", kibibytes(used), kibibytes(max)),
            (TextLimit::Bytes(_), true) => format!(
                "{} of {} KiB: {} KiB too much",
                kibibytes(used),
                kibibytes(max),
                kibibytes(used - max)
            ),
        };
        Some((text, over))
    }
}

/// 10000 as "10,000".
fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Bytes as KiB with one decimal, rounded up, so that a text one byte over
/// never reads as exactly the limit ("64.1 of 64 KiB"), and "64" for 64.0.
fn kibibytes(bytes: usize) -> String {
    let tenths = (bytes * 10).div_ceil(1024);
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_shows_from_nine_tenths_of_the_limit() {
        let limit = TextLimit::Characters(10_000);
        assert_eq!(limit.count(8_999), None);
        assert_eq!(
            limit.count(9_000),
            Some(("9,000 of 10,000 characters".to_owned(), false))
        );
        assert_eq!(
            limit.count(10_000),
            Some(("10,000 of 10,000 characters".to_owned(), false))
        );
        assert_eq!(
            limit.count(10_250),
            Some(("10,250 of 10,000 characters: 250 too many".to_owned(), true))
        );
    }

    #[test]
    fn bytes_are_counted_in_kibibytes_rounded_up() {
        let limit = TextLimit::Bytes(64 * 1024);
        assert_eq!(limit.count(1_000), None);
        assert_eq!(limit.count(60_000), Some(("58.6 of 64 KiB".to_owned(), false)));
        assert_eq!(limit.count(64 * 1024), Some(("64 of 64 KiB".to_owned(), false)));
        assert_eq!(
            limit.count(64 * 1024 + 1),
            Some(("64.1 of 64 KiB: 0.1 KiB too much".to_owned(), true))
        );
    }

    #[test]
    fn a_line_break_counts_as_the_two_characters_a_browser_sends() {
        assert_eq!(TextLimit::Characters(10).used_by("a\nb"), 4);
        assert_eq!(TextLimit::Characters(10).used_by("a\r\nb"), 4);
        assert_eq!(TextLimit::Characters(10).used_by("ñ"), 1);
        assert_eq!(TextLimit::Bytes(10).used_by("ñ\n"), 4);
    }

    #[test]
    fn the_server_counts_what_the_field_counts() {
        // A description of exactly the limit, line breaks sent as CR LF, passes.
        let lines = "x".repeat(98) + "\n";
        let text = lines.repeat(100);
        let sent = text.replace('\n', "\r\n");
        let limit = TextLimit::Characters(crate::ui::validate::MAX_DESCRIPTION_CHARS);
        assert_eq!(limit.used_by(&text), sent.chars().count());
        assert_eq!(limit.used_by(&text), 10_000);
        assert!(crate::ui::validate::description(&sent).is_ok());
    }
}
