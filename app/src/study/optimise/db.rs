//! Optimisation queries: each learner's parameters and the state of their
//! latest optimisation (one row of `fsrs_parameters`), and the reviews an
//! optimisation reads.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    manual_wait_secs, train::Outcome, Fit, Optimisation, OptimisationPage, RequestedBy, AUTOMATIC_EVERY_DAYS,
};
use crate::{error::AppError, study::scheduler::Rating};

/// A queued or running optimisation older than this is taken to be lost
/// (its job gone with a crashed server and its retries), so a new one may
/// be queued in its place.
const LOST_AFTER_HOURS: i32 = 6;

/// The FSRS parameters `learner_id`'s cards are scheduled with: their own,
/// or empty for FSRS's defaults.
pub async fn learner_parameters(
    executor: impl sqlx::PgExecutor<'_>,
    learner_id: Uuid,
) -> Result<Vec<f32>, AppError> {
    let parameters = sqlx::query_scalar!(
        "select parameters from fsrs_parameters where learner_id = $1",
        learner_id
    )
    .fetch_optional(executor)
    .await?;
    Ok(parameters.unwrap_or_default())
}

/// The learner's ratings that no undo has taken back.
pub async fn standing_review_count(
    executor: impl sqlx::PgExecutor<'_>,
    learner_id: Uuid,
) -> Result<i64, AppError> {
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from reviews r
           where r.learner_id = $1 and r.rating is not null
             and not exists (select 1 from reviews undo where undo.learner_id = $1 and undo.cancels = r.id and undo.card_id = r.card_id)"#,
        learner_id
    )
    .fetch_one(executor)
    .await?;
    Ok(count)
}

/// What the settings page shows about the learner's optimisation.
pub async fn page(pool: &PgPool, learner_id: Uuid) -> Result<OptimisationPage, AppError> {
    let reviews = standing_review_count(pool, learner_id).await?;
    let row = sqlx::query!(
        r#"select cardinality(parameters) > 0 as "personal!", status, requested_by, progress, review_count,
                  held_out_count, log_loss_before, log_loss_after, rmse_before, rmse_after, adopted, error,
                  extract(epoch from finished_at)::bigint as finished_at
           from fsrs_parameters where learner_id = $1"#,
        learner_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(OptimisationPage {
            reviews,
            personal_parameters: false,
            latest: None,
            manual_wait_secs: None,
        });
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let fit = |log_loss: Option<f32>, rmse: Option<f32>| {
        Some(Fit {
            log_loss: log_loss?,
            rmse: rmse?,
        })
    };
    Ok(OptimisationPage {
        reviews,
        personal_parameters: row.personal,
        manual_wait_secs: manual_wait_secs(row.finished_at, now),
        latest: Some(Optimisation {
            status: row
                .status
                .parse()
                .map_err(|_| AppError::internal(format!("unknown optimisation status {:?}", row.status)))?,
            requested_by: row.requested_by.parse().map_err(|_| {
                AppError::internal(format!("unknown optimisation requester {:?}", row.requested_by))
            })?,
            progress: row.progress,
            review_count: row.review_count.map(i64::from),
            held_out_count: row.held_out_count.map(i64::from),
            before: fit(row.log_loss_before, row.rmse_before),
            after: fit(row.log_loss_after, row.rmse_after),
            adopted: row.adopted,
            error: row.error,
            finished_at: row.finished_at,
        }),
    })
}

/// When the latest optimisation of `learner_id` finished (Unix seconds;
/// `None` while one is queued or running, or before the first), with its row
/// locked until the transaction ends, so that it cannot finish between this
/// check and the request it guards.
pub async fn lock_finished_at(tx: &mut PgConnection, learner_id: Uuid) -> Result<Option<i64>, AppError> {
    let finished_at = sqlx::query_scalar!(
        "select extract(epoch from finished_at)::bigint from fsrs_parameters where learner_id = $1 for update",
        learner_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(finished_at.flatten())
}

/// Marks an optimisation of `learner_id` as queued, unless one is queued or
/// running already. Answers whether it did; the caller puts the job on the
/// queue in the same transaction. The row is locked by the update, so two
/// requests at once queue one optimisation.
pub async fn mark_queued(
    tx: &mut PgConnection,
    learner_id: Uuid,
    requested_by: RequestedBy,
) -> Result<bool, AppError> {
    let requested_by: &'static str = requested_by.into();
    let queued = sqlx::query_scalar!(
        "insert into fsrs_parameters (learner_id, status, requested_by) values ($1, 'queued', $2)
         on conflict (learner_id) do update set
             status = 'queued', requested_by = excluded.requested_by, progress = 0,
             review_count = null, held_out_count = null, log_loss_before = null, log_loss_after = null,
             rmse_before = null, rmse_after = null, adopted = null, error = null,
             queued_at = now(), started_at = null, finished_at = null
         where fsrs_parameters.status not in ('queued', 'running')
            or fsrs_parameters.queued_at < now() - make_interval(hours => $3)
         returning learner_id",
        learner_id,
        requested_by,
        LOST_AFTER_HOURS,
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(queued.is_some())
}

/// Marks the queued optimisation of `learner_id` as running (again, if a
/// server stopped in the middle of it) and answers the parameters it starts
/// from; `None` when there is nothing queued, such as a job left over from
/// an optimisation that has already ended.
pub async fn start(pool: &PgPool, learner_id: Uuid) -> Result<Option<Vec<f32>>, AppError> {
    let parameters = sqlx::query_scalar!(
        "update fsrs_parameters set status = 'running', started_at = now(), progress = 0
         where learner_id = $1 and status in ('queued', 'running')
         returning parameters",
        learner_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(parameters)
}

/// Puts a running optimisation back in the queue (its server is stopping);
/// the caller queues the job again in the same transaction.
pub async fn requeue(tx: &mut PgConnection, learner_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "update fsrs_parameters set status = 'queued', progress = 0, started_at = null, queued_at = now()
         where learner_id = $1 and status = 'running'",
        learner_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn set_progress(pool: &PgPool, learner_id: Uuid, progress: f32) -> Result<(), AppError> {
    sqlx::query!(
        "update fsrs_parameters set progress = $2 where learner_id = $1 and status = 'running'",
        learner_id,
        progress.clamp(0.0, 1.0),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a finished optimisation, and adopts its parameters if they won.
pub async fn finish(
    pool: &PgPool,
    learner_id: Uuid,
    review_count: i64,
    outcome: &Outcome,
) -> Result<(), AppError> {
    sqlx::query!(
        "update fsrs_parameters set
             status = 'done', progress = 1, finished_at = now(), error = null,
             review_count = $2, held_out_count = $3,
             log_loss_before = $4, log_loss_after = $5, rmse_before = $6, rmse_after = $7,
             adopted = $8,
             parameters = case when $8 then $9 else parameters end,
             adopted_at = case when $8 then now() else adopted_at end
         where learner_id = $1",
        learner_id,
        i32::try_from(review_count).unwrap_or(i32::MAX),
        i32::try_from(outcome.held_out).unwrap_or(i32::MAX),
        outcome.before.log_loss,
        outcome.after.log_loss,
        outcome.before.rmse,
        outcome.after.rmse,
        outcome.adopted,
        &outcome.parameters,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Records an optimisation that could not finish, with a sentence for the
/// learner. Their parameters stay as they were.
pub async fn fail(
    pool: &PgPool,
    learner_id: Uuid,
    review_count: Option<i64>,
    message: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "update fsrs_parameters set status = 'failed', finished_at = now(), error = $2, review_count = $3
         where learner_id = $1",
        learner_id,
        message,
        review_count.map(|count| i32::try_from(count).unwrap_or(i32::MAX)),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Each card's standing ratings by the learner, `(time, rating)` oldest
/// first, cards in no particular order. Reviews of cards deleted since stay
/// in: they still tell how this learner forgets.
pub async fn standing_histories(
    pool: &PgPool,
    learner_id: Uuid,
) -> Result<Vec<Vec<(i64, Rating)>>, AppError> {
    let rows = sqlx::query!(
        r#"select r.card_id, extract(epoch from r.reviewed_at)::bigint as "at!", r.rating as "rating!"
           from reviews r
           where r.learner_id = $1 and r.rating is not null
             and not exists (select 1 from reviews undo where undo.learner_id = $1 and undo.cancels = r.id and undo.card_id = r.card_id)
           order by r.card_id, r.reviewed_at, r.id"#,
        learner_id
    )
    .fetch_all(pool)
    .await?;
    let mut histories: Vec<Vec<(i64, Rating)>> = Vec::new();
    let mut card_index: HashMap<Uuid, usize> = HashMap::new();
    for row in rows {
        let rating = Rating::from_number(i64::from(row.rating))
            .ok_or_else(|| AppError::internal(format!("stored rating {} is not 1 to 4", row.rating)))?;
        let index = *card_index.entry(row.card_id).or_insert_with(|| {
            histories.push(Vec::new());
            histories.len() - 1
        });
        histories[index].push((row.at, rating));
    }
    Ok(histories)
}

/// The number of relearning steps most of the learner's reviewed cards
/// follow (their top-level decks' presets), which the optimiser takes into
/// account when it fits the short-term parameters.
pub async fn usual_relearning_steps(
    pool: &PgPool,
    learner_id: Uuid,
    default: usize,
) -> Result<usize, AppError> {
    let steps = sqlx::query_scalar!(
        r#"select coalesce(cardinality(p.relearning_steps_seconds), $2) as "steps!"
           from (select distinct card_id from reviews where learner_id = $1) r
           join cards c on c.id = r.card_id
           left join deck_presets p on p.deck_id = top_level_deck(c.deck_id)
           group by 1 order by count(*) desc, 1 limit 1"#,
        learner_id,
        i32::try_from(default).unwrap_or(1),
    )
    .fetch_optional(pool)
    .await?;
    Ok(steps
        .and_then(|steps| usize::try_from(steps).ok())
        .unwrap_or(default))
}

/// Learners due an automatic optimisation: at least `min_reviews` standing
/// reviews, and none queued or running, and no optimisation in the last
/// [`AUTOMATIC_EVERY_DAYS`] days, or none since their last new review. At
/// most `limit`, so one round stays short.
pub async fn due_for_automatic(pool: &PgPool, min_reviews: i64, limit: i64) -> Result<Vec<Uuid>, AppError> {
    let learners = sqlx::query_scalar!(
        r#"with counts as (
               select r.learner_id, count(*) as standing
               from reviews r
               where r.rating is not null
                 and not exists (select 1 from reviews undo where undo.learner_id = r.learner_id and undo.cancels = r.id
                                   and undo.card_id = r.card_id)
               group by r.learner_id
           )
           select c.learner_id as "learner_id!"
           from counts c left join fsrs_parameters p on p.learner_id = c.learner_id
           where c.standing >= $1
             and (p.learner_id is null
                  or (p.status in ('done', 'failed')
                      and p.finished_at < now() - make_interval(days => $2)
                      and c.standing > coalesce(p.review_count, 0))
                  or (p.status in ('queued', 'running') and p.queued_at < now() - make_interval(hours => $3)))
           order by p.finished_at nulls first, c.learner_id
           limit $4"#,
        min_reviews,
        AUTOMATIC_EVERY_DAYS,
        LOST_AFTER_HOURS,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(learners)
}
