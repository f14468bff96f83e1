//! Deck server functions. Every one checks who is asking: a private deck is
//! reported as not found to anyone but its owner and admins, so its
//! existence does not leak.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::access;
use super::{Deck, DeckInput, DeckSummary};
#[cfg(feature = "ssr")]
use super::{ValidDeck, Visibility};
use crate::{error::AppError, notes::NotesPage};

/// The notes a deck page lists at a time.
pub const NOTES_PER_PAGE: i64 = 50;

/// Everything a deck's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckPageData {
    pub deck: Deck,
    /// The deck's language as people read it ("Spanish" for `es`).
    pub language_name: String,
    pub subdecks: Vec<DeckSummary>,
    /// One page of the deck's own notes; `deck.note_count` is how many in all.
    pub notes: NotesPage,
    /// Whether this is a later page than the first.
    pub is_later_page: bool,
    pub can_edit: bool,
    /// Whether the viewer may make decks other than private ones.
    pub can_share: bool,
    /// The types an editor can write notes with; empty for other viewers.
    pub note_types: Vec<crate::note_types::NoteTypeOption>,
    /// Whether the viewer studies this deck; `None` when signed out.
    pub study: Option<crate::study::DeckStudy>,
    /// The study options, for an editor of a top-level deck.
    pub preset: Option<crate::study::preset::StudyPreset>,
    /// The cards of it the viewer suspended, when they study it.
    pub suspended: crate::study::SuspendedCards,
}

#[cfg(feature = "ssr")]
async fn checked_settings(
    state: &crate::state::AppState,
    user: &crate::auth::User,
    input: &DeckInput,
    deck_id: Option<Uuid>,
) -> Result<ValidDeck, AppError> {
    use crate::{auth::Role, decks::db};

    let deck = input.parse()?;
    if deck.visibility != Visibility::Private && user.role < Role::Teacher {
        return Err(AppError::field(
            "visibility",
            "Only teachers can share decks; your decks stay private.",
        ));
    }
    if let Some(parent_id) = deck.parent_id {
        let parent_is_usable = match access::editable_deck(state, user, parent_id).await {
            Ok(_) => true,
            Err(AppError::NotFound | AppError::Forbidden) => false,
            Err(other) => return Err(other),
        };
        // Cycles are checked again under a lock when the deck is saved.
        let cycle = match deck_id {
            Some(deck_id) => db::would_create_cycle(&state.pool, deck_id, parent_id).await?,
            None => false,
        };
        if !parent_is_usable || cycle {
            return Err(AppError::field(
                "parent_id",
                "Choose one of your decks, other than this one.",
            ));
        }
    }
    Ok(deck)
}

#[server(endpoint = "decks/create")]
pub async fn create_deck(input: DeckInput) -> Result<Uuid, AppError> {
    use crate::{auth::session, decks::db, state::app_state};

    let result = async {
        let state = app_state()?;
        let user = session::require_user(&state).await?;
        let deck = checked_settings(&state, &user, &input, None).await?;
        db::create_deck(&state.pool, user.id, &deck).await
    }
    .await;
    match &result {
        Ok(deck_id) => leptos_axum::redirect(&crate::routes::deck(*deck_id)),
        // Posted without JavaScript, the form comes back filled in as it
        // was sent, with its error.
        Err(error) => match &input.parent_id {
            None => {
                crate::plain_post::back_to_the_filled_form::<CreateDeck>(
                    &crate::routes::new_deck_filled_in(&input),
                    crate::routes::NEW_DECK,
                    error,
                )
                .await
            }
            // From "New subdeck" on its parent's page, which it goes back to
            // (a parent that is not a deck's id has no page to go back to).
            Some(parent_id) => {
                if let Ok(parent_id) = parent_id.parse::<uuid::Uuid>() {
                    crate::plain_post::back_to_the_filled_form::<CreateDeck>(
                        &crate::routes::deck_settings_filled_in(parent_id, &input),
                        &crate::routes::deck(parent_id),
                        error,
                    )
                    .await
                }
            }
        },
    }
    result
}

#[server(endpoint = "decks/update")]
pub async fn update_deck(deck_id: Uuid, input: DeckInput) -> Result<(), AppError> {
    use crate::{auth::session, decks::db, state::app_state};

    let result = async {
        let state = app_state()?;
        let user = session::require_user(&state).await?;
        access::editable_deck(&state, &user, deck_id).await?;
        let deck = checked_settings(&state, &user, &input, Some(deck_id)).await?;
        db::update_deck(&state.pool, deck_id, &deck).await
    }
    .await;
    match &result {
        Ok(()) => {
            crate::plain_post::back_saying_saved(super::DECK_SETTINGS_SAVED, &crate::routes::deck(deck_id))
        }
        // Posted without JavaScript, the deck's page comes back with the form
        // filled in as it was sent, beside its error.
        Err(error) => {
            crate::plain_post::back_to_the_filled_form::<UpdateDeck>(
                &crate::routes::deck_settings_filled_in(deck_id, &input),
                &crate::routes::deck(deck_id),
                error,
            )
            .await
        }
    }
    result
}

/// Deletes a deck with its subdecks and their notes and cards.
#[server(endpoint = "decks/delete")]
pub async fn delete_deck(deck_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, decks::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let deck = access::editable_deck(&state, &user, deck_id).await?;
    db::delete_deck(&state.pool, deck_id).await?;
    tracing::info!(user_id = %user.id, %deck_id, cards = deck.card_count_with_subdecks, "deck deleted");
    leptos_axum::redirect(&match deck.parent_id {
        Some(parent_id) => crate::routes::deck(parent_id),
        None => "/dashboard".to_owned(),
    });
    Ok(())
}

/// A deck's page: the deck, its subdecks, and one page of its notes
/// (`after`: the cursor of a "More notes" link), read in one statement. An
/// editor's note types and study options, and the cards a learner who
/// studies it suspended, are read after it, at once, on separate
/// connections.
#[server(endpoint = "decks/page", input = GetUrl)]
pub async fn load_deck_page(deck_id: Uuid, after: Option<String>) -> Result<DeckPageData, AppError> {
    use crate::{auth::session, notes::NoteCursor, state::app_state};

    let state = app_state()?;
    let after = match after.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(NoteCursor::decode(text).ok_or_else(|| {
            AppError::field(
                "after",
                "This page link is out of date. Start again from the first page.",
            )
        })?),
    };
    let viewer = session::current_user(&state).await?;
    let page =
        access::visible_deck_page(&state, viewer.as_ref(), deck_id, after.as_ref(), NOTES_PER_PAGE).await?;
    let deck = page.deck;
    let editor = viewer.as_ref().filter(|viewer| deck.is_editable_by(viewer));
    let can_share = viewer
        .as_ref()
        .is_some_and(|viewer| viewer.role >= crate::auth::Role::Teacher);
    let note_types = async {
        match editor {
            Some(editor) => crate::note_types::db::available_note_types(&state.pool, editor.id).await,
            None => Ok(Vec::new()),
        }
    };
    let preset = async {
        if editor.is_some() && deck.parent_id.is_none() {
            crate::study::db::deck_preset(&state.pool, deck_id)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let suspended = async {
        match (&viewer, page.study) {
            (Some(viewer), Some(crate::study::DeckStudy::Studied | crate::study::DeckStudy::Chosen)) => {
                crate::study::db::suspended_cards(
                    &state.pool,
                    viewer.id,
                    deck_id,
                    crate::study::MAX_SUSPENDED_CARDS_LISTED,
                )
                .await
            }
            _ => Ok(crate::study::SuspendedCards::default()),
        }
    };
    let (note_types, preset, suspended) = tokio::try_join!(note_types, preset, suspended)?;
    Ok(DeckPageData {
        language_name: crate::ui::language_name(&deck.language),
        can_edit: editor.is_some(),
        deck,
        subdecks: page.subdecks,
        notes: page.notes,
        is_later_page: after.is_some(),
        can_share,
        note_types,
        study: page.study,
        preset,
        suspended,
    })
}

/// What the note editor needs: the deck (which its author may change) and
/// the note types to write with. Not the deck's notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEditorData {
    pub deck: Deck,
    pub note_types: Vec<crate::note_types::NoteTypeOption>,
}

#[server(endpoint = "decks/editor", input = GetUrl)]
pub async fn load_note_editor(deck_id: Uuid) -> Result<NoteEditorData, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let deck = access::editable_deck(&state, &user, deck_id).await?;
    let note_types = crate::note_types::db::available_note_types(&state.pool, user.id).await?;
    Ok(NoteEditorData { deck, note_types })
}
