//! Deck queries.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::DeckSummary;
use crate::error::AppError;

/// The decks `owner_id` owns, newest first, with their card counts.
pub async fn list_owned_decks(pool: &PgPool, owner_id: Uuid) -> Result<Vec<DeckSummary>, AppError> {
    let decks = sqlx::query_as!(
        DeckSummary,
        r#"
        select d.id, d.title, d.description,
               (select count(*) from cards c where c.deck_id = d.id) as "card_count!"
        from decks d
        where d.owner_id = $1
        order by d.created_at desc, d.id
        "#,
        owner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

/// Creates a deck with its cards. Cards are `(front_html, back_html)` pairs
/// that the caller has already rendered and sanitised.
pub async fn create_deck_with_cards(
    executor: &mut sqlx::PgConnection,
    owner_id: Uuid,
    title: &str,
    description: &str,
    cards: &[(&str, &str)],
) -> Result<Uuid, AppError> {
    let deck_id = insert_deck(&mut *executor, owner_id, title, description).await?;
    let (fronts, backs): (Vec<&str>, Vec<&str>) = cards.iter().copied().unzip();
    sqlx::query!(
        r#"
        insert into cards (deck_id, front_html, back_html)
        select $1, front, back from unnest($2::text[], $3::text[]) as t(front, back)
        "#,
        deck_id,
        &fronts as &[&str],
        &backs as &[&str],
    )
    .execute(&mut *executor)
    .await?;
    Ok(deck_id)
}

async fn insert_deck(
    executor: impl PgExecutor<'_>,
    owner_id: Uuid,
    title: &str,
    description: &str,
) -> Result<Uuid, AppError> {
    let deck_id = sqlx::query_scalar!(
        "insert into decks (owner_id, title, description) values ($1, $2, $3) returning id",
        owner_id,
        title,
        description,
    )
    .fetch_one(executor)
    .await?;
    Ok(deck_id)
}
