//! Notes: the facts a teacher or learner writes, from which cards are made.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;

use uuid::Uuid;

use crate::note_types::template::NoteKind;

/// A card's name as authors see it everywhere (editor preview and card
/// browser): "Card 1" for a standard note's first template, "Cloze 2" for
/// `{{c2::…}}`. A card's ordinal is its template index for standard notes
/// and its cloze number for cloze notes (see `template::GeneratedCard`).
pub fn card_label(kind: NoteKind, ordinal: i16) -> String {
    match kind {
        NoteKind::Standard => format!("Card {}", i32::from(ordinal) + 1),
        NoteKind::Cloze => format!("Cloze {ordinal}"),
    }
}

/// The most one field may hold, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PreviewInput {
    pub note_type: crate::note_types::NoteTypeChoice,
    /// Field values as written, in the note type's field order.
    pub fields: Vec<String>,
}

/// At most this many tags per note, each at most `MAX_TAG_CHARS` long.
pub const MAX_TAGS: usize = 50;
pub const MAX_TAG_CHARS: usize = 64;

pub const TAG_WITH_MARKUP: &str = "Tags cannot contain <, > or quotes.";

/// The field of a note edit that agrees to delete cards learners have
/// studied: an edit that leaves such a card with nothing to show is refused
/// under it until it is ticked.
pub const DELETE_STUDIED_CARDS: &str = "delete_studied_cards";

/// Cards an edit would delete, and what learners did with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StudiedCards {
    pub cards: i64,
    pub ratings: i64,
    pub learners: i64,
}

impl StudiedCards {
    /// Why the edit waits for the author's say-so, under
    /// [`DELETE_STUDIED_CARDS`]. (The review log itself stays: statistics
    /// still count those ratings.)
    pub fn refusal(&self) -> crate::error::AppError {
        use crate::ui::plural;
        let it = if self.cards == 1 { "it" } else { "them" };
        crate::error::AppError::field(
            DELETE_STUDIED_CARDS,
            format!(
                "This edit leaves {} that learners have studied with nothing to show, so {it} would be deleted, and with {it} the {} of {} ({}). Fill the field back in, or tick the box to delete {it} anyway.",
                plural(self.cards, "card", "cards"),
                if self.learners == 1 { "schedule" } else { "schedules" },
                plural(self.learners, "learner", "learners"),
                plural(self.ratings, "rating", "ratings"),
            ),
        )
    }
}

/// Splits tags written with spaces or commas, as in Anki. Duplicates are dropped.
pub fn parse_tags(text: &str) -> Result<Vec<String>, crate::error::AppError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text
        .split(|c: char| c.is_whitespace() || c == ',')
        // A tag of zero-width characters alone would be a blank chip.
        .filter(|tag| crate::ui::validate::has_visible_text(tag))
    {
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(crate::error::AppError::field(
                "tags",
                format!("Each tag can have at most {MAX_TAG_CHARS} characters."),
            ));
        }
        if tag
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '"'))
        {
            return Err(crate::error::AppError::field("tags", TAG_WITH_MARKUP));
        }
        if !tags.iter().any(|existing| existing.eq_ignore_ascii_case(tag)) {
            // Refused at the first tag too many, so that each tag is
            // compared with at most `MAX_TAGS` others: a long list is
            // turned down at once rather than compared pair by pair.
            if tags.len() == MAX_TAGS {
                return Err(crate::error::AppError::field(
                    "tags",
                    format!("Use at most {MAX_TAGS} tags."),
                ));
            }
            tags.push(tag.to_owned());
        }
    }
    Ok(tags)
}

/// A page of a deck's notes, where it stands, and the links to the pages
/// before and after it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotesPage {
    pub notes: Vec<NoteListItem>,
    /// The cursor of the next page (`?after=`), when there is one.
    pub next: Option<String>,
    /// The cursor of the page before this one: empty when that page is the
    /// first (which has none); `None` on the first page itself.
    #[serde(default)]
    pub previous: Option<String>,
    /// How many of the deck's notes come before this page.
    #[serde(default)]
    pub notes_before: i64,
}

/// Where a page of a deck's notes ends: the last note's creation time (in
/// microseconds since 1970, exact, as PostgreSQL stores it) and id, the
/// order the deck page lists them in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoteCursor {
    pub created_at_micros: i64,
    pub id: Uuid,
}

impl NoteCursor {
    pub fn encode(&self) -> String {
        crate::paging::encode_cursor(self)
    }

    /// The latest time a cursor may name: the year 3000, far beyond any
    /// note, and far inside what PostgreSQL's timestamps hold.
    const LATEST_MICROS: i64 = 32_503_680_000_000_000;

    /// `None` for anything `encode` did not make.
    pub fn decode(text: &str) -> Option<NoteCursor> {
        crate::paging::decode_cursor::<NoteCursor>(text)
            .filter(|cursor| (0..=Self::LATEST_MICROS).contains(&cursor.created_at_micros))
    }
}

/// A note as listed on its deck's page: the front of its first card.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoteListItem {
    pub id: Uuid,
    pub note_type_name: String,
    pub front_html: String,
    pub card_count: i64,
    pub tags: Vec<String>,
}

#[cfg(feature = "ssr")]
pub mod render;

#[cfg(feature = "ssr")]
pub use self::render::{render_cards, render_note};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_cards_are_named_by_their_cloze_number_and_others_count_from_one() {
        assert_eq!(card_label(NoteKind::Cloze, 1), "Cloze 1");
        assert_eq!(card_label(NoteKind::Cloze, 2), "Cloze 2");
        assert_eq!(card_label(NoteKind::Standard, 0), "Card 1");
        assert_eq!(card_label(NoteKind::Standard, 1), "Card 2");
    }

    #[test]
    fn tags_are_split_on_spaces_and_commas_without_duplicates() {
        assert_eq!(
            parse_tags("verbs, spanish  Verbs,a1").unwrap(),
            ["verbs", "spanish", "a1"]
        );
        // A tag that would show as nothing is no tag.
        assert_eq!(
            parse_tags("verbs \u{200B}\u{200B}, \u{FEFF} a\u{200B}1").unwrap(),
            ["verbs", "a\u{200B}1"]
        );
    }

    #[test]
    fn a_tag_with_markup_is_rejected() {
        assert!(parse_tags("<b>bold</b>")
            .unwrap_err()
            .field_message("tags")
            .is_some());
    }

    #[test]
    fn too_many_tags_are_rejected() {
        let many = (0..=MAX_TAGS)
            .map(|n| format!("t{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(parse_tags(&many).is_err());
        let most = (0..MAX_TAGS)
            .map(|n| format!("t{n} T{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(parse_tags(&most).unwrap().len(), MAX_TAGS);
    }

    /// A request body can hold 400,000 short tags. Compared pair by pair,
    /// they kept a server thread busy for minutes before the count was
    /// refused; now the 51st distinct tag ends the reading.
    #[test]
    fn a_list_of_400_000_tags_is_refused_without_comparing_them_all() {
        let many = (0..400_000)
            .map(|n| format!("t{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            parse_tags(&many).unwrap_err().field_message("tags"),
            Some(format!("Use at most {MAX_TAGS} tags."))
        );
    }
}
