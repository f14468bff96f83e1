//! Who may see and change a deck: the rules other features use too.

use uuid::Uuid;

use crate::{
    auth::User,
    decks::{db, Deck},
    error::AppError,
    state::AppState,
};

/// A deck's page (`db::read_deck_page`) if `viewer` may see the deck;
/// `NotFound` otherwise.
pub async fn visible_deck_page(
    state: &AppState,
    viewer: Option<&User>,
    deck_id: Uuid,
    after: Option<&crate::notes::NoteCursor>,
    page_size: i64,
) -> Result<db::DeckPageRead, AppError> {
    db::read_deck_page(&state.pool, deck_id, viewer, after, page_size)
        .await?
        .filter(|page| page.deck.is_visible_to(viewer))
        .ok_or(AppError::NotFound)
}

/// The deck if `viewer` may see it; `NotFound` otherwise.
pub async fn visible_deck(state: &AppState, viewer: Option<&User>, deck_id: Uuid) -> Result<Deck, AppError> {
    db::find_deck(&state.pool, deck_id, viewer)
        .await?
        .filter(|deck| deck.is_visible_to(viewer))
        .ok_or(AppError::NotFound)
}

/// The deck if `editor` may change it; `NotFound` when they cannot even
/// see it, `Forbidden` when they can see but not change it.
pub async fn editable_deck(state: &AppState, editor: &User, deck_id: Uuid) -> Result<Deck, AppError> {
    let deck = visible_deck(state, Some(editor), deck_id).await?;
    if deck.is_editable_by(editor) {
        Ok(deck)
    } else {
        Err(AppError::Forbidden)
    }
}
