//! Which cards a learner studies. The rule itself is the SQL function
//! `studied_decks` (migration `20261129000040_study.sql`): their own decks,
//! public or unlisted decks they chose to study, and the decks of courses
//! they are enrolled in, each with its subdecks. Every query asks it.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::AppError;

/// Of `card_ids`, those `learner_id` studies, with when each card was made
/// (Unix seconds): no review of a card can be older.
pub async fn studied_cards(
    executor: impl sqlx::PgExecutor<'_>,
    learner_id: Uuid,
    card_ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>, AppError> {
    let rows = sqlx::query!(
        r#"
        select c.id as "id!", extract(epoch from c.created_at)::bigint as "created!"
        from cards c
        where c.id = any($2) and c.deck_id in (select deck_id from studied_decks($1))
        "#,
        learner_id,
        card_ids,
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.created)).collect())
}

/// Whether `learner_id` studies `deck_id`.
pub async fn studies_deck(
    executor: impl sqlx::PgExecutor<'_>,
    learner_id: Uuid,
    deck_id: Uuid,
) -> Result<bool, AppError> {
    let studied = sqlx::query_scalar!(
        r#"select exists (select 1 from studied_decks($1) where deck_id = $2) as "studied!""#,
        learner_id,
        deck_id,
    )
    .fetch_one(executor)
    .await?;
    Ok(studied)
}
