//! Study queries. Recording reviews is one transaction: the access check,
//! the log inserts and the replayed states commit together.

use sqlx::PgPool;
use uuid::Uuid;

use super::{
    access,
    scheduler::{
        replay, CardState, DayClock, Memory, Phase, Rating, Scheduler, SchedulingError, SchedulingOptions,
    },
    CardStateAfter, ReviewKind, ValidReview, ALLOWED_CLOCK_SKEW_SECONDS,
};
use crate::error::AppError;

impl From<SchedulingError> for AppError {
    #[track_caller]
    fn from(error: SchedulingError) -> Self {
        AppError::internal(error)
    }
}

/// Stores a batch of reviews by `learner_id` (each once, however often it
/// is sent) and answers the state of every card they touch, replayed from
/// the card's whole log in time order. A review of a card the learner does
/// not study is `NotFound`; one dated in the future or before its card
/// existed is a `BadRequest`. Nothing is stored unless the whole batch is.
pub async fn record_reviews(
    pool: &PgPool,
    learner_id: Uuid,
    reviews: &[ValidReview],
    now: i64,
) -> Result<Vec<CardStateAfter>, AppError> {
    let mut card_ids: Vec<Uuid> = reviews.iter().map(|review| review.card_id).collect();
    // A fixed order of locks, so two batches never wait on each other.
    card_ids.sort_unstable();
    card_ids.dedup();

    let mut tx = pool.begin().await?;
    let studied = access::studied_cards(&mut *tx, learner_id, &card_ids).await?;
    for review in reviews {
        let created = studied.get(&review.card_id).ok_or(AppError::NotFound)?;
        if review.reviewed_at > now + ALLOWED_CLOCK_SKEW_SECONDS {
            return Err(AppError::BadRequest(
                "a review cannot be dated in the future".into(),
            ));
        }
        if review.reviewed_at < created - ALLOWED_CLOCK_SKEW_SECONDS {
            return Err(AppError::BadRequest(
                "a review cannot be older than its card".into(),
            ));
        }
    }
    for card_id in &card_ids {
        // One replay per learner and card at a time.
        sqlx::query!(
            "select pg_advisory_xact_lock(hashtextextended($1::text || $2::text, 0))",
            learner_id.to_string(),
            card_id.to_string(),
        )
        .execute(&mut *tx)
        .await?;
    }
    for review in reviews {
        let (rating, cancels) = match review.kind {
            ReviewKind::Rated(rating) => (Some(rating as i16), None),
            ReviewKind::Undo { cancels } => (None, Some(cancels)),
        };
        sqlx::query!(
            "insert into reviews (id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
             values ($1, $2, $3, $4, $5, to_timestamp($6), $7)
             on conflict (id) do nothing",
            review.id,
            learner_id,
            review.card_id,
            rating,
            cancels,
            review.reviewed_at as f64,
            review.duration_ms,
        )
        .execute(&mut *tx)
        .await?;
    }
    let scheduler = Scheduler::new(SchedulingOptions::default())?;
    let mut states = Vec::with_capacity(card_ids.len());
    for card_id in card_ids {
        let history = standing_reviews(&mut tx, learner_id, card_id).await?;
        let state = replay(&scheduler, card_id, &history, DayClock::UTC)?.pop();
        save_card_state(&mut tx, learner_id, card_id, state.as_ref()).await?;
        states.push(CardStateAfter { card_id, state });
    }
    tx.commit().await?;
    Ok(states)
}

/// The card's ratings by the learner that no undo has taken back.
async fn standing_reviews(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: Uuid,
) -> Result<Vec<(i64, Rating)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select extract(epoch from r.reviewed_at)::bigint as "reviewed_at!", r.rating as "rating!"
        from reviews r
        where r.learner_id = $1 and r.card_id = $2 and r.rating is not null
          and not exists (select 1 from reviews undo where undo.learner_id = $1 and undo.cancels = r.id)
        order by r.reviewed_at, r.id
        "#,
        learner_id,
        card_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|row| {
            Rating::from_number(i64::from(row.rating))
                .map(|rating| (row.reviewed_at, rating))
                .ok_or_else(|| AppError::internal(format!("stored rating {} is not 1 to 4", row.rating)))
        })
        .collect()
}

async fn save_card_state(
    tx: &mut sqlx::PgConnection,
    learner_id: Uuid,
    card_id: Uuid,
    state: Option<&CardState>,
) -> Result<(), AppError> {
    let Some(state) = state else {
        sqlx::query!(
            "delete from card_states where learner_id = $1 and card_id = $2",
            learner_id,
            card_id
        )
        .execute(&mut *tx)
        .await?;
        return Ok(());
    };
    let phase = match state.phase {
        Phase::Learning => "learning",
        Phase::Review => "review",
        Phase::Relearning => "relearning",
        Phase::New => return Err(AppError::internal("a reviewed card cannot be new")),
    };
    let Memory {
        stability,
        difficulty,
    } = state
        .memory
        .ok_or_else(|| AppError::internal("a reviewed card has a memory state"))?;
    let last_review = state
        .last_review
        .ok_or_else(|| AppError::internal("a reviewed card has a last review"))?;
    sqlx::query!(
        "insert into card_states (learner_id, card_id, phase, step, stability, difficulty, due_at,
                                  last_review_at, scheduled_days, reps, lapses)
         values ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), $9, $10, $11)
         on conflict (learner_id, card_id) do update set
             phase = excluded.phase, step = excluded.step, stability = excluded.stability,
             difficulty = excluded.difficulty, due_at = excluded.due_at,
             last_review_at = excluded.last_review_at, scheduled_days = excluded.scheduled_days,
             reps = excluded.reps, lapses = excluded.lapses",
        learner_id,
        card_id,
        phase,
        i16::from(state.step),
        stability,
        difficulty,
        state.due as f64,
        last_review as f64,
        i32::try_from(state.scheduled_days).unwrap_or(i32::MAX),
        i32::try_from(state.reps).unwrap_or(i32::MAX),
        i32::try_from(state.lapses).unwrap_or(i32::MAX),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn start_studying(pool: &PgPool, learner_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "insert into deck_studies (learner_id, deck_id) values ($1, $2) on conflict do nothing",
        learner_id,
        deck_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn stop_studying(pool: &PgPool, learner_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "delete from deck_studies where learner_id = $1 and deck_id = $2",
        learner_id,
        deck_id
    )
    .execute(pool)
    .await?;
    Ok(())
}
