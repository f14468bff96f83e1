//! Deck queries.

use sqlx::PgPool;
use uuid::Uuid;

use super::{Deck, DeckSummary, ValidDeck, Visibility};
use crate::auth::{Role, User};
use crate::error::AppError;

/// A deck by id, with its owner's name and the cards in its whole tree that
/// `viewer` may see (private subdecks of others are not counted).
pub async fn find_deck(
    pool: &PgPool,
    deck_id: Uuid,
    viewer: Option<&User>,
) -> Result<Option<Deck>, AppError> {
    let (viewer_id, viewer_is_admin) = viewer_filter(viewer);
    let deck = sqlx::query_as!(
        Deck,
        r#"
        select d.id, d.owner_id, u.display_name as owner_name, d.title, d.description, d.language,
               d.visibility as "visibility: Visibility", d.parent_id,
               deck_tree_card_count(d.id, $2, $3) as "card_count_with_subdecks!",
               (select count(*) from notes n where n.deck_id = d.id) as "note_count!"
        from decks d join users u on u.id = d.owner_id
        where d.id = $1
        "#,
        deck_id,
        viewer_id,
        viewer_is_admin,
    )
    .fetch_optional(pool)
    .await?;
    Ok(deck)
}

pub async fn create_deck(
    executor: impl sqlx::PgExecutor<'_>,
    owner_id: Uuid,
    deck: &ValidDeck,
) -> Result<Uuid, AppError> {
    let deck_id = sqlx::query_scalar!(
        r#"insert into decks (owner_id, title, description, language, visibility, parent_id)
           values ($1, $2, $3, $4, $5, $6) returning id"#,
        owner_id,
        deck.title,
        deck.description,
        deck.language,
        deck.visibility as Visibility,
        deck.parent_id,
    )
    .fetch_one(executor)
    .await?;
    Ok(deck_id)
}

/// Updates a deck's settings. Moving it under a new parent is checked for
/// cycles in the same transaction, under a lock that serialises moves, so
/// two moves at once cannot put decks inside each other.
pub async fn update_deck(pool: &PgPool, deck_id: Uuid, deck: &ValidDeck) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('engram.deck_tree'))")
        .execute(&mut *tx)
        .await?;
    if let Some(parent_id) = deck.parent_id {
        if would_create_cycle(&mut *tx, deck_id, parent_id).await? {
            return Err(AppError::field(
                "parent_id",
                "A deck cannot be placed inside itself.",
            ));
        }
    }
    sqlx::query!(
        r#"update decks set title = $2, description = $3, language = $4, visibility = $5, parent_id = $6,
                  updated_at = now()
           where id = $1"#,
        deck_id,
        deck.title,
        deck.description,
        deck.language,
        deck.visibility as Visibility,
        deck.parent_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether making `parent_id` the parent of `deck_id` would put the deck
/// inside itself.
pub async fn would_create_cycle(
    executor: impl sqlx::PgExecutor<'_>,
    deck_id: Uuid,
    parent_id: Uuid,
) -> Result<bool, AppError> {
    let cycle = sqlx::query_scalar!(
        r#"
        with recursive ancestors as (
            select id, parent_id from decks where id = $2
            union
            select d.id, d.parent_id from decks d join ancestors a on d.id = a.parent_id
        )
        select exists (select 1 from ancestors where id = $1) as "cycle!"
        "#,
        deck_id,
        parent_id,
    )
    .fetch_one(executor)
    .await?;
    Ok(cycle)
}

/// The subdecks directly under `deck_id` that `viewer` may see.
pub async fn list_subdecks(
    pool: &PgPool,
    deck_id: Uuid,
    viewer: Option<&User>,
) -> Result<Vec<DeckSummary>, AppError> {
    let (viewer_id, viewer_is_admin) = viewer_filter(viewer);
    let decks = sqlx::query_as!(
        DeckSummary,
        r#"
        select d.id, d.title, d.description,
               deck_tree_card_count(d.id, $2, $3) as "card_count_with_subdecks!"
        from decks d
        where d.parent_id = $1 and (d.visibility <> 'private' or d.owner_id = $2 or $3)
        order by d.title, d.id
        "#,
        deck_id,
        viewer_id,
        viewer_is_admin,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

/// Deletes a deck with its subdecks, notes and cards.
pub async fn delete_deck(pool: &PgPool, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!("delete from decks where id = $1", deck_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The viewer's id (nil for visitors) and whether they are an admin, for
/// queries that hide other people's private decks.
fn viewer_filter(viewer: Option<&User>) -> (Uuid, bool) {
    viewer.map_or((Uuid::nil(), false), |viewer| {
        (viewer.id, viewer.role == Role::Admin)
    })
}
