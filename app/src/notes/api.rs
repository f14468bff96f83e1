//! Note server functions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::builtin::BuiltinNoteType;
use crate::error::AppError;

/// The most one field may hold, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviewInput {
    pub note_type: BuiltinNoteType,
    /// Field values as written, in the note type's field order.
    pub fields: Vec<String>,
}

/// One card as the learner will see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardPreview {
    pub ordinal: i16,
    pub front_html: String,
    pub back_html: String,
}

/// Renders the cards a note would make, exactly as they would be stored.
/// The editor calls it (debounced) while an author types, so the browser
/// needs no renderer of its own.
#[server(endpoint = "notes/preview")]
pub async fn preview_note(input: PreviewInput) -> Result<Vec<CardPreview>, AppError> {
    use crate::{auth::session, state::app_state};

    session::require_user(&app_state()?).await?;
    let cards = super::render_cards(input.note_type, &input.fields)?;
    Ok(cards
        .into_iter()
        .map(|card| CardPreview {
            ordinal: card.ordinal,
            front_html: card.front_html,
            back_html: card.back_html,
        })
        .collect())
}
