//! The card browser: the signed-in user's own cards, searched with a subset
//! of Anki's syntax, sorted, paged and changed in bulk.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
pub mod query;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// At most this many cards change in one bulk action: a full page and then
/// some, while keeping one transaction short.
pub const MAX_BULK_CARDS: usize = 500;

/// What a bulk action refuses, fixed text that a page may show from its
/// address (a form posted without JavaScript comes back with its error there).
pub const NO_CARDS_SELECTED: &str = "Select at least one card first.";
pub const NO_TAGS_TYPED: &str = "Type one or more tags, separated by spaces.";
pub const NO_DECK_CHOSEN: &str = "Choose the deck to move the cards to.";
pub const NOT_ONE_OF_YOUR_DECKS: &str = "Choose one of your own decks.";

/// Each bulk action (its `action` value), the `saved` value in the
/// browser's address after it was done by a form posted without JavaScript,
/// and what the page then says. The hydrated page says what the server
/// answered, with its counts; an address can be written by anyone, so what
/// is read from it is fixed text.
pub const BULK_DONE: [(&str, &str, &str); 4] = [
    ("move", "cards-moved", "The selected cards were moved."),
    (
        "add-tags",
        "tags-added",
        "The tags were added to the selected cards' notes.",
    ),
    (
        "remove-tags",
        "tags-removed",
        "The tags were removed from the selected cards' notes.",
    ),
    (
        "delete",
        "notes-deleted",
        "The selected cards' notes were deleted, with all their cards.",
    ),
];

/// The `saved` value that says `action` was done.
pub fn bulk_saved_value(action: &str) -> Option<&'static str> {
    BULK_DONE
        .iter()
        .find(|(name, ..)| *name == action)
        .map(|(_, saved, _)| *saved)
}

/// What the page says for the `saved` value in its address.
pub fn bulk_done_message(saved: &str) -> Option<&'static str> {
    BULK_DONE
        .iter()
        .find(|(_, value, _)| *value == saved)
        .map(|(.., message)| *message)
}

/// The columns the table can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BrowseSort {
    /// When the card was created (Anki's default too).
    #[default]
    Created,
    /// When its note was last edited.
    Edited,
    /// The note's first field, as Anki's "sort field".
    Text,
    Deck,
    /// Next review; new cards, never studied, come last.
    Due,
}

impl BrowseSort {
    pub const ALL: [BrowseSort; 5] = [
        BrowseSort::Created,
        BrowseSort::Edited,
        BrowseSort::Text,
        BrowseSort::Deck,
        BrowseSort::Due,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BrowseSort::Created => "created",
            BrowseSort::Edited => "edited",
            BrowseSort::Text => "text",
            BrowseSort::Deck => "deck",
            BrowseSort::Due => "due",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BrowseSort::Created => "Created",
            BrowseSort::Edited => "Edited",
            BrowseSort::Text => "Card",
            BrowseSort::Deck => "Deck",
            BrowseSort::Due => "Due",
        }
    }

    pub fn parse(text: &str) -> Option<BrowseSort> {
        BrowseSort::ALL.into_iter().find(|sort| sort.as_str() == text)
    }

    /// Dates read best newest first, text A to Z.
    pub fn natural_direction(self) -> Direction {
        match self {
            BrowseSort::Created | BrowseSort::Edited => Direction::Descending,
            BrowseSort::Text | BrowseSort::Deck | BrowseSort::Due => Direction::Ascending,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "asc" => Some(Direction::Ascending),
            "desc" => Some(Direction::Descending),
            _ => None,
        }
    }

    pub fn reversed(self) -> Direction {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }
}

/// The browser's address: all text, so that a hand-edited URL gets a clear
/// message instead of a decoding failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrowseQuery {
    /// Anki-style search, see [`query`].
    pub q: String,
    pub sort: String,
    pub dir: String,
    /// The cursor of the page to continue after; empty for the first page.
    pub after: String,
}

/// One card as a row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRow {
    pub card_id: Uuid,
    pub note_id: Uuid,
    pub deck_id: Uuid,
    pub deck_title: String,
    pub note_type: String,
    /// "Card 1", "Cloze 2": which of the note's cards this is.
    pub card_name: String,
    /// The card's front as plain text (rendered, not its Markdown or
    /// LaTeX source), shortened for the table.
    pub text: String,
    pub tags: Vec<String>,
    /// `None` for a new card.
    pub due: Option<String>,
    /// `YYYY-MM-DD`.
    pub created: String,
}

/// A deck the selected cards can be moved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckChoice {
    pub id: Uuid,
    /// Subdecks are shown as `Parent › Child`.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowsePage {
    pub rows: Vec<CardRow>,
    /// How many cards match the search in all.
    pub total: i64,
    /// The cursor for the next page, when there is one.
    pub next: Option<String>,
    pub decks: Vec<DeckChoice>,
}

/// What a bulk action did, for the message above the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub message: String,
}
