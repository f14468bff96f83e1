//! Which cards a learner studies, written once: the cards of their own
//! decks, of public or unlisted decks they chose to study, and of the decks
//! of courses they are enrolled in, each deck with its subdecks. A deck made
//! private again drops out for those who chose it; their reviews stay.

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
        with recursive studied_decks (id) as (
            select d.id from decks d where d.owner_id = $1
            union
            select s.deck_id from deck_studies s join decks d on d.id = s.deck_id
            where s.learner_id = $1 and d.visibility <> 'private'
            union
            select ld.deck_id from enrolments e
            join lessons l on l.course_id = e.course_id
            join lesson_decks ld on ld.lesson_id = l.id
            where e.user_id = $1
            union
            select child.id from decks child join studied_decks parent on child.parent_id = parent.id
        )
        select c.id as "id!", extract(epoch from c.created_at)::bigint as "created!"
        from cards c
        where c.id = any($2) and c.deck_id in (select id from studied_decks)
        "#,
        learner_id,
        card_ids,
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.created)).collect())
}
