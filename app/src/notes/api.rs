//! Note server functions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::PreviewInput;
#[cfg(feature = "ssr")]
use super::{parse_tags, MAX_TAG_CHARS};
use crate::{
    error::AppError,
    note_types::{NoteTypeChoice, NoteTypeOption},
};

/// One card as the learner will see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardPreview {
    pub ordinal: i16,
    /// "Card 1", "Cloze 2": see [`super::card_label`].
    pub label: String,
    pub front_html: String,
    pub back_html: String,
}

/// Renders the cards a note would make, exactly as they would be stored.
/// The editor calls it (debounced) while an author types, so the browser
/// needs no renderer of its own.
#[server(endpoint = "notes/preview")]
pub async fn preview_note(input: PreviewInput) -> Result<Vec<CardPreview>, AppError> {
    use crate::{auth::session, state::app_state};

    use crate::note_types::access;

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    // Before any work: a preview is the one request an author sends while
    // typing, so it is the one worth sending in a loop.
    state.rendering.allow_preview(user.id)?;
    let note_type = access::usable_note_type(&state, &user, input.note_type).await?;
    let shape = note_type.shape;
    let kind = shape.kind;
    let fields = input.fields;
    let cards = state
        .rendering
        .run(move || super::render::render_authored_note(&shape, &fields))
        .await??;
    Ok(cards
        .into_iter()
        .map(|card| CardPreview {
            ordinal: card.ordinal,
            label: super::card_label(kind, card.ordinal),
            front_html: card.front_html,
            back_html: card.back_html,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteInput {
    pub deck_id: uuid::Uuid,
    pub note_type: NoteTypeChoice,
    pub fields: Vec<String>,
    #[serde(default)]
    pub tags: String,
}

/// Adds a note, and its cards, to a deck its author may change.
#[server(endpoint = "notes/create")]
pub async fn create_note(input: NoteInput) -> Result<uuid::Uuid, AppError> {
    let deck_id = input.deck_id;
    let note_type_key = input.note_type.key();
    let editor = format!("/decks/{deck_id}/add?type={note_type_key}");
    let fields = std::sync::Arc::new(input.fields);
    let result = add_note(deck_id, input.note_type, fields.clone(), &input.tags).await;
    match &result {
        // Back to an empty editor of the same type that says the note was
        // added, as the hydrated editor does. (Without a redirect of our own,
        // leptos_axum would send the browser back to the form as it was.)
        Ok(_) if crate::plain_post::posted_without_javascript() => {
            leptos_axum::redirect(&format!("{editor}&added=1"));
        }
        Ok(_) => {}
        Err(error) => {
            let form = crate::unsaved::adding_note(deck_id, &note_type_key);
            let fields = std::sync::Arc::unwrap_or_clone(fields);
            crate::unsaved::keep_for_the_form::<CreateNote>(form, &editor, fields, input.tags, error).await;
        }
    }
    result
}

#[cfg(feature = "ssr")]
async fn add_note(
    deck_id: uuid::Uuid,
    note_type: NoteTypeChoice,
    fields: std::sync::Arc<Vec<String>>,
    tags: &str,
) -> Result<uuid::Uuid, AppError> {
    use crate::{
        auth::session, decks::access, note_types::access as note_types, notes::db, state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    access::editable_deck(&state, &user, deck_id).await?;
    let note_type = note_types::usable_note_type(&state, &user, note_type).await?;
    let tags = parse_tags(tags);
    let cards = state
        .rendering
        .run({
            let fields = fields.clone();
            move || super::render::render_authored_note(&note_type.shape, &fields)
        })
        .await?;
    let (tags, cards) = both_checked(tags, cards)?;
    let mut tx = state.pool.begin().await?;
    let note_id = db::insert_note_of_type(&mut tx, deck_id, note_type.id, &fields, &tags, &cards).await?;
    tx.commit().await?;
    Ok(note_id)
}

/// The note's tags and its cards, or what is wrong with either, both at
/// once: an empty front and a bad tag are one answer, not two in turn.
#[cfg(feature = "ssr")]
fn both_checked<T, C>(tags: Result<T, AppError>, cards: Result<C, AppError>) -> Result<(T, C), AppError> {
    match (tags, cards) {
        (Ok(tags), Ok(cards)) => Ok((tags, cards)),
        (Err(tags), Err(cards)) => Err(tags.with_field_errors_of(cards)),
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteEdit {
    pub fields: Vec<String>,
    #[serde(default)]
    pub tags: String,
    /// Whether the author agreed to delete cards learners have studied,
    /// which the edit leaves with nothing to show (`notes::DELETE_STUDIED_CARDS`).
    #[serde(default)]
    pub delete_studied_cards: bool,
}

/// Changes a note's fields and tags and regenerates its cards; cards that
/// survive the edit keep their identity and history. One that learners have
/// studied is deleted only when the author says so.
#[server(endpoint = "notes/update")]
pub async fn update_note(note_id: uuid::Uuid, input: NoteEdit) -> Result<(), AppError> {
    let fields = std::sync::Arc::new(input.fields);
    match change_note(note_id, fields.clone(), &input.tags, input.delete_studied_cards).await {
        Ok(deck_id) => {
            leptos_axum::redirect(&crate::routes::deck(deck_id));
            Ok(())
        }
        Err(error) => {
            let form = crate::unsaved::editing_note(note_id);
            let fields = std::sync::Arc::unwrap_or_clone(fields);
            let editor = crate::routes::edit_note(note_id);
            crate::unsaved::keep_for_the_form::<UpdateNote>(form, &editor, fields, input.tags, &error).await;
            Err(error)
        }
    }
}

/// Saves an edit and answers the note's deck.
#[cfg(feature = "ssr")]
async fn change_note(
    note_id: uuid::Uuid,
    fields: std::sync::Arc<Vec<String>>,
    tags: &str,
    delete_studied_cards: bool,
) -> Result<uuid::Uuid, AppError> {
    use crate::{notes::db, state::app_state};

    let state = app_state()?;
    let (note, _) = editable_note(&state, note_id).await?;
    let tags = parse_tags(tags);
    let shape = note.note_type.shape;
    let cards = state
        .rendering
        .run({
            let fields = fields.clone();
            move || super::render::render_authored_note(&shape, &fields)
        })
        .await?;
    let (tags, cards) = both_checked(tags, cards)?;
    let mut tx = state.pool.begin().await?;
    if !delete_studied_cards {
        let studied = db::studied_cards_dropped(&mut tx, note_id, &cards).await?;
        if studied.cards > 0 {
            return Err(studied.refusal());
        }
    }
    db::update_note(&mut tx, note_id, &fields, &tags, &cards).await?;
    tx.commit().await?;
    Ok(note.deck_id)
}

/// A note as its edit page needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteForEditing {
    pub id: uuid::Uuid,
    pub deck_id: uuid::Uuid,
    pub deck_title: String,
    pub note_type: NoteTypeOption,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

#[server(endpoint = "notes/load", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_note(note_id: uuid::Uuid) -> Result<NoteForEditing, AppError> {
    use crate::state::app_state;

    let state = app_state()?;
    let (note, deck) = editable_note(&state, note_id).await?;
    Ok(NoteForEditing {
        id: note.id,
        deck_id: note.deck_id,
        deck_title: deck.title,
        note_type: note.note_type.option(),
        fields: note.fields,
        tags: note.tags,
    })
}

#[server(endpoint = "notes/delete")]
pub async fn delete_note(note_id: uuid::Uuid) -> Result<(), AppError> {
    use crate::{notes::db, state::app_state};

    let state = app_state()?;
    editable_note(&state, note_id).await?;
    db::delete_note(&state.pool, note_id).await
}

/// The note and its deck if the signed-in user may change them: `NotFound`
/// when they cannot see the deck, `Forbidden` when they can only see it.
#[cfg(feature = "ssr")]
async fn editable_note(
    state: &crate::state::AppState,
    note_id: uuid::Uuid,
) -> Result<(super::db::NoteRecord, crate::decks::Deck), AppError> {
    use crate::{auth::session, decks::access, notes::db};

    let user = session::require_user(state).await?;
    let note = db::find_note(&state.pool, note_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let deck = access::editable_deck(state, &user, note.deck_id).await?;
    Ok((note, deck))
}

/// Up to ten of the caller's own tags that start with `prefix`.
#[server(endpoint = "notes/tags", input = leptos::server_fn::codec::GetUrl)]
pub async fn suggest_tags(prefix: String) -> Result<Vec<String>, AppError> {
    use crate::{auth::session, notes::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let prefix = prefix.trim();
    if prefix.is_empty() || prefix.chars().count() > MAX_TAG_CHARS || prefix.contains('\0') {
        return Ok(Vec::new());
    }
    db::suggest_tags(&state.pool, user.id, prefix, 10).await
}
