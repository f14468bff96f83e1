//! The rules every form shares, and the one way a form's problems are
//! collected: every field is checked and all problems come back at once, each
//! under its field's name, so the page shows each message next to its field.

use crate::error::{AppError, FieldError};

/// The longest title of a deck, course or lesson, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest description of a deck or course, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// The longest language tag (BCP 47 allows 35 characters).
pub const MAX_LANGUAGE_BYTES: usize = 35;

/// The problems found in one form's input.
#[derive(Debug, Default)]
#[must_use = "a form's problems are only reported by `into_result`"]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `field` has a problem.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The value of a rule that passed; a failed rule's message is recorded
    /// under `field` and an empty value stands in, so checking goes on.
    pub fn check<T: Default>(&mut self, field: &str, checked: Result<T, String>) -> T {
        checked.unwrap_or_else(|message| {
            self.add(field, message);
            T::default()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `value` when no field had a problem; otherwise every problem, as the
    /// validation error the UI shows field by field.
    pub fn into_result<T>(self, value: T) -> Result<T, AppError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// Whether `c` is one of Unicode's default-ignorable code points
/// (`Default_Ignorable_Code_Point` in DerivedCoreProperties.txt): zero-width
/// spaces and joiners, direction marks and overrides, soft hyphens,
/// variation selectors, Hangul fillers and the like, which a browser draws
/// as nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `c` sets the direction of the text after it (an embedding, an
/// override or an isolate). Plain text in any script needs none, and in a
/// title or a name one makes it read backwards ("U+202E" turns "gnp.exe"
/// into "exe.png"), so a one-line text refuses them as unshowable.
pub fn sets_text_direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a one-line text may hold `c`: no control character, and none
/// that sets the direction of the text after it.
pub fn is_unshowable_in_a_line(c: char) -> bool {
    c.is_control() || sets_text_direction(c)
}

/// Whether `text` shows anything: a name or title of spaces and zero-width
/// characters alone would be a blank heading, link or button.
pub fn has_visible_text(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

/// A required title, trimmed: `what` names the thing ("deck", "course").
pub fn title(text: &str, what: &str) -> Result<String, String> {
    let text = text.trim();
    if !has_visible_text(text) {
        Err(format!("Give the {what} a title."))
    } else if text.chars().count() > MAX_TITLE_CHARS {
        Err(format!("Use at most {MAX_TITLE_CHARS} characters."))
    } else if text.chars().any(is_unshowable_in_a_line) {
        Err("The title contains characters that cannot be shown.".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

/// An optional description, trimmed; line breaks and tabs are kept.
pub fn description(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Err("The description contains characters that cannot be shown.".to_owned())
    } else if text.chars().count() > MAX_DESCRIPTION_CHARS {
        Err("Use at most 10,000 characters.".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

/// An optional one-line text such as a category, of at most `max_chars`.
pub fn short_text(text: &str, max_chars: usize, what: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > max_chars {
        Err(format!("Use at most {max_chars} characters."))
    } else if text.chars().any(is_unshowable_in_a_line) {
        Err(format!("The {what} contains characters that cannot be shown."))
    } else {
        Ok(text.to_owned())
    }
}

/// Whether `tag` (letters, digits and hyphens) is shaped as BCP 47 tags
/// are, with subtags of 1 to 8 characters, and starts with a language ISO
/// 639 knows (two letters, or three), or is one of BCP 47's private tags
/// (`x-klingon`): "xx-INVALID" named none, and showed in the catalogue as
/// itself. Empty is no language, which is fine.
fn names_a_language(tag: &str) -> bool {
    if tag.is_empty() {
        return true;
    }
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default().to_ascii_lowercase();
    let known = match primary.len() {
        #[cfg(feature = "ssr")]
        2 => isolang::Language::from_639_1(&primary).is_some(),
        #[cfg(feature = "ssr")]
        3 => isolang::Language::from_639_3(&primary).is_some(),
        // The browser does not carry the table; the server checks.
        #[cfg(not(feature = "ssr"))]
        2 | 3 => true,
        _ => primary == "x" && tag.len() > 2,
    };
    known && subtags.all(|subtag| (1..=8).contains(&subtag.len()))
}

/// An optional language tag such as `es` or `pt-BR`, in the usual case of
/// each part (`ES` is kept as `es`, `zh-hant-tw` as `zh-Hant-TW`), so that
/// one language is one choice in the catalogue's filter.
pub fn language(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.len() > MAX_LANGUAGE_BYTES
        || !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || !names_a_language(text)
    {
        return Err("Use a language code such as “es” or “pt-BR”.".to_owned());
    }
    let parts: Vec<String> = text
        .split('-')
        .enumerate()
        .map(|(index, part)| match (index, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => part[..1].to_ascii_uppercase() + &part[1..].to_ascii_lowercase(),
            _ => part.to_ascii_lowercase(),
        })
        .collect();
    Ok(parts.join("-"))
}

/// Whether `message` is one of the fixed messages of the shared rules. A
/// form posted without JavaScript comes back with its error in the address,
/// where anyone could write one; only these are shown from there as they are.
pub fn is_rule_message(message: &str) -> bool {
    const FIXED: [&str; 26] = [
        "Use at most 200 characters.",
        "The title contains characters that cannot be shown.",
        "The description contains characters that cannot be shown.",
        "Use at most 10,000 characters.",
        "Use a language code such as “es” or “pt-BR”.",
        "Choose a parent deck from the list.",
        crate::courses::SLUG_TAKEN_BY_YOU,
        crate::courses::SLUG_MALFORMED,
        crate::courses::SLUG_NOT_MADE_FROM_TITLE,
        crate::courses::SLUG_RESERVED,
        crate::notes::TAG_WITH_MARKUP,
        crate::courses::SLUG_TAKEN_PUBLICLY,
        crate::note_types::NAME_TAKEN,
        crate::note_types::NAME_OF_A_BUILT_IN,
        crate::note_types::NAME_MISSING,
        crate::note_types::NOTE_TYPE_DELETES_STUDIED_CARDS,
        crate::profile::UNKNOWN_TIME_ZONE,
        crate::profile::TIME_ZONE_MISSING,
        crate::profile::HOUR_OUT_OF_RANGE,
        crate::browse::NO_CARDS_SELECTED,
        crate::browse::NO_TAGS_TYPED,
        crate::browse::NO_DECK_CHOSEN,
        crate::browse::NOT_ONE_OF_YOUR_DECKS,
        crate::courses::COVER_NOT_AN_IMAGE,
        crate::courses::COVER_NOT_FOUND,
        crate::courses::COVER_NOT_CHOSEN,
    ];
    FIXED.contains(&message)
        || ["deck", "course", "lesson"]
            .iter()
            .any(|what| message == format!("Give the {what} a title."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_under_its_field() {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", title("   ", "deck"));
        let language = errors.check("language", language("en_GB"));
        let description = errors.check("description", description("fine"));
        assert_eq!(
            (title.as_str(), language.as_str(), description.as_str()),
            ("", "", "fine")
        );
        let Err(AppError::Validation(fields)) = errors.into_result(()) else {
            panic!("two fields were wrong");
        };
        let named: Vec<_> = fields.iter().map(|field| field.field.as_str()).collect();
        assert_eq!(named, ["title", "language"]);
        assert_eq!(fields[0].message, "Give the deck a title.");
    }

    #[test]
    fn a_title_of_invisible_characters_alone_is_no_title() {
        for blank in [
            "\u{200B}\u{200B}",
            " \u{200D} \u{FEFF}",
            "\u{202E}\u{2066}",
            "\u{3164}",
            "\u{E0041}",
        ] {
            assert_eq!(
                title(blank, "deck"),
                Err("Give the deck a title.".to_owned()),
                "{blank:?}"
            );
        }
        // Joiners and marks within visible text are part of it (a family
        // emoji, a word in Persian with its non-joiner).
        for shown in ["👨\u{200D}👩", "می\u{200C}خواهم", "a\u{00AD}b"] {
            assert_eq!(title(shown, "deck").as_deref(), Ok(shown));
        }
    }

    #[test]
    fn a_line_that_would_read_backwards_is_refused_and_right_to_left_text_is_not() {
        let unshowable = Err("The title contains characters that cannot be shown.".to_owned());
        for turned in ["QA deck \u{202E}evil", "\u{2067}Hola", "a\u{202A}b\u{202C}"] {
            assert_eq!(title(turned, "deck"), unshowable, "{turned:?}");
        }
        assert!(short_text("Cats \u{202E}", 60, "category").is_err());
        for written in ["עברית", "العربية 101", "Hebrew: עברית"] {
            assert_eq!(title(written, "deck").as_deref(), Ok(written));
        }
        assert!(crate::auth::DisplayName::parse("Ada\u{202E}").is_err());
    }

    #[test]
    fn the_rules_own_messages_are_known_and_others_are_not() {
        for message in [
            title("", "deck").unwrap_err(),
            title(&"x".repeat(MAX_TITLE_CHARS + 1), "course").unwrap_err(),
            title("a\u{7}", "lesson").unwrap_err(),
            description("\u{7}").unwrap_err(),
            language("en_GB").unwrap_err(),
        ] {
            assert!(is_rule_message(&message), "{message}");
        }
        assert!(!is_rule_message("Your account is locked: call +1 555 0100"));
        let message = crate::notes::parse_tags("a<b")
            .unwrap_err()
            .field_message("tags")
            .unwrap();
        assert!(is_rule_message(&message), "{message}");
    }

    #[test]
    fn a_form_without_problems_gives_its_value() {
        assert_eq!(FieldErrors::new().into_result(7), Ok(7));
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(title("  Spanish verbs ", "deck"), Ok("Spanish verbs".to_owned()));
        assert!(title(&"x".repeat(MAX_TITLE_CHARS), "course").is_ok());
        assert_eq!(
            title(&"x".repeat(MAX_TITLE_CHARS + 1), "course"),
            Err("Use at most 200 characters.".to_owned())
        );
        assert!(title("tab\there", "lesson").is_err());
    }

    #[test]
    fn descriptions_keep_line_breaks_but_not_other_control_characters() {
        assert!(description("one\ntwo\tthree").is_ok());
        assert!(description("bell\u{7}").is_err());
        assert!(description(&"x".repeat(MAX_DESCRIPTION_CHARS + 1)).is_err());
    }

    #[test]
    fn language_tags_are_letters_digits_and_hyphens() {
        assert_eq!(language(" pt-BR "), Ok("pt-BR".to_owned()));
        assert_eq!(language("ES"), Ok("es".to_owned()));
        assert_eq!(language("zh-hant-tw"), Ok("zh-Hant-TW".to_owned()));
        assert_eq!(language(""), Ok(String::new()));
        assert!(language("en_GB").is_err());
        assert_eq!(language("deu-CH"), Ok("deu-CH".to_owned()));
        assert_eq!(language("x-klingon"), Ok("x-klingon".to_owned()));
        for unknown in [
            "xx",
            "xx-INVALID-LANG-zzzz",
            "english",
            "es-",
            "es--MX",
            "es-toolongsubtag",
        ] {
            assert!(language(unknown).is_err(), "{unknown}");
        }
        assert!(language(&"a".repeat(MAX_LANGUAGE_BYTES + 1)).is_err());
    }
}
