//! The optimisation job and the requests that queue it.
//!
//! A request marks the learner's optimisation as queued and puts the job on
//! the queue in one transaction. The job reads the learner's reviews, runs
//! the optimiser on the blocking pool (it is CPU-heavy and would otherwise
//! hold an async worker for seconds), writes its progress every half second
//! for the settings page, and records the outcome.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use fsrs::CombinedProgressState;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{db, manual_wait_secs, train, RequestedBy, MIN_REVIEWS};
use crate::{
    error::AppError,
    jobs::{self, Job},
    study::scheduler::DEFAULT_RELEARNING_STEPS_SECONDS,
};

/// How often a running optimisation writes its progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// Learners queued by one automatic round at most; the next round takes
/// the rest.
const AUTOMATIC_PER_ROUND: i64 = 100;

/// The parts of the progress bar: reading the reviews, then the fit itself;
/// measuring the two sets of parameters fills the rest.
const READ_SHARE: f32 = 0.05;
const FIT_SHARE: f32 = 0.9;

/// Queues an optimisation of `learner_id`'s parameters unless one is queued
/// or running already. Answers whether this call queued it. The learner's
/// own request is refused with `TooManyRequests` (how long to wait) within
/// [`super::MANUAL_COOLDOWN_MINUTES`] of the latest one finishing; the
/// hourly round has its own, longer rule (`db::due_for_automatic`).
pub async fn request(pool: &PgPool, learner_id: Uuid, requested_by: RequestedBy) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    if requested_by == RequestedBy::Manual {
        let finished_at = db::lock_finished_at(&mut tx, learner_id).await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        if let Some(retry_after_secs) = manual_wait_secs(finished_at, now) {
            return Err(AppError::TooManyRequests { retry_after_secs });
        }
    }
    let queued = db::mark_queued(&mut tx, learner_id, requested_by).await?;
    if queued {
        jobs::enqueue(&mut tx, pool, &Job::OptimiseScheduling { learner_id }).await?;
    }
    tx.commit().await?;
    Ok(queued)
}

/// The automatic round: queues an optimisation for every learner who is due
/// one (see `db::due_for_automatic`). Answers how many it queued.
pub async fn request_due(pool: &PgPool) -> Result<usize, AppError> {
    let mut queued = 0;
    for learner_id in db::due_for_automatic(pool, MIN_REVIEWS, AUTOMATIC_PER_ROUND).await? {
        if request(pool, learner_id, RequestedBy::Automatic).await? {
            queued += 1;
        }
    }
    if queued > 0 {
        tracing::info!(queued, "queued automatic FSRS optimisations");
    }
    Ok(queued)
}

/// How an optimisation job ended, for the queue.
#[derive(Debug)]
pub enum Ended {
    /// Done or failed, and recorded either way.
    Recorded,
    /// The server is stopping: the optimisation is queued again, for this
    /// or another server to run from the start.
    Requeued,
}

/// Stops the fit when dropped: a job that is cancelled or times out stops
/// its blocking thread too, instead of leaving it to run on unseen.
struct AbortOnDrop(Arc<Mutex<CombinedProgressState>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Ok(mut state) = self.0.lock() {
            state.want_abort = true;
        }
    }
}

/// Runs the queued optimisation of `learner_id` and records its outcome: new
/// parameters adopted if they beat the current ones on the held-out reviews,
/// or a clear message if it could not run. Database errors reach the caller.
pub async fn optimise(
    pool: &PgPool,
    learner_id: Uuid,
    shutdown: &CancellationToken,
) -> Result<Ended, AppError> {
    let Some(current) = db::start(pool, learner_id).await? else {
        return Ok(Ended::Recorded);
    };
    // A server already stopping hands the job on at once rather than racing
    // the fit against the abort flag, which the optimiser reads between steps.
    if shutdown.is_cancelled() {
        return requeue(pool, learner_id).await;
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = crate::study::db::learner_clock(pool, learner_id, now).await?;
    let histories = db::standing_histories(pool, learner_id).await?;
    let review_count = histories.iter().map(Vec::len).sum::<usize>() as i64;
    if review_count < MIN_REVIEWS {
        db::fail(
            pool,
            learner_id,
            Some(review_count),
            &super::too_few_reviews(review_count),
        )
        .await?;
        return Ok(Ended::Recorded);
    }
    let relearning_steps =
        db::usual_relearning_steps(pool, learner_id, DEFAULT_RELEARNING_STEPS_SECONDS.len()).await?;
    let split = train::split(train::items(&histories, clock));
    db::set_progress(pool, learner_id, READ_SHARE).await?;

    let progress = CombinedProgressState::new_shared();
    let _abort = AbortOnDrop(Arc::clone(&progress));
    let fit = tokio::task::spawn_blocking({
        let progress = Arc::clone(&progress);
        move || train::fit_and_compare(split, &current, relearning_steps, progress)
    });
    tokio::pin!(fit);
    let mut ticks = tokio::time::interval(PROGRESS_EVERY);
    let mut written = 0.0;
    let mut stopping = false;
    let result = loop {
        tokio::select! {
            // Stopping is looked at first, so a shutdown is never missed
            // behind a progress write.
            biased;
            () = shutdown.cancelled(), if !stopping => {
                stopping = true;
                if let Ok(mut state) = progress.lock() {
                    state.want_abort = true;
                }
            }
            result = &mut fit => break result,
            _ = ticks.tick() => {
                let share = READ_SHARE + FIT_SHARE * train::share_done(&progress);
                if share - written >= 0.01 {
                    db::set_progress(pool, learner_id, share).await?;
                    written = share;
                }
            }
        }
    };
    let result = result.map_err(|error| AppError::internal(format!("the optimiser panicked: {error}")))?;
    match result {
        Ok(outcome) => {
            db::finish(pool, learner_id, review_count, &outcome).await?;
            tracing::info!(
                %learner_id,
                review_count,
                held_out = outcome.held_out,
                log_loss_before = outcome.before.log_loss,
                log_loss_after = outcome.after.log_loss,
                adopted = outcome.adopted,
                "FSRS optimisation finished"
            );
            Ok(Ended::Recorded)
        }
        Err(train::TrainError::Interrupted) if stopping => requeue(pool, learner_id).await,
        Err(error @ train::TrainError::NotEnoughData) => {
            db::fail(pool, learner_id, Some(review_count), &error.to_string()).await?;
            Ok(Ended::Recorded)
        }
        Err(error) => {
            tracing::error!(%learner_id, "FSRS optimisation failed: {error}");
            db::fail(
                pool,
                learner_id,
                Some(review_count),
                "The optimiser could not fit your reviews. Your scheduling is unchanged; try again later.",
            )
            .await?;
            Ok(Ended::Recorded)
        }
    }
}

/// Queues a started optimisation again for the next server to run.
async fn requeue(pool: &PgPool, learner_id: Uuid) -> Result<Ended, AppError> {
    let mut tx = pool.begin().await?;
    db::requeue(&mut tx, learner_id).await?;
    jobs::enqueue(&mut tx, pool, &Job::OptimiseScheduling { learner_id }).await?;
    tx.commit().await?;
    Ok(Ended::Requeued)
}
