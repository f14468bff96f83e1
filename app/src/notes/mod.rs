//! Notes: the facts a teacher or learner writes, from which cards are made.

pub mod api;
pub mod builtin;
pub mod cloze;
pub mod template;

#[cfg(feature = "ssr")]
pub mod db;

use uuid::Uuid;

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
