//! Background jobs, on a job queue kept in PostgreSQL by `underway`: a job
//! is enqueued in the transaction of the change that calls for it, so it
//! exists exactly when that change commits, and any server of the fleet
//! runs it (`server::jobs` starts the worker, and the hourly schedule, in
//! each server process). A job survives restarts: one whose server stopped
//! in the middle is picked up again.
//!
//! Every kind of job is a variant of [`Job`] on the one queue, so later
//! work (imports, reminders, notifications) adds a variant and its arm in
//! [`Jobs::execute`]. Underway keeps one schedule per queue: periodic work
//! hangs off [`Job::Hourly`].

use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use tokio_util::sync::CancellationToken;
use underway::{
    task::{Error as TaskError, Result as TaskResult, RetryPolicy},
    Queue, Task,
};
use uuid::Uuid;

use crate::{error::AppError, study::optimise};

/// The queue's name in underway's tables.
pub const QUEUE: &str = "engram";

/// When the hourly round runs, as underway's schedules are written (a cron
/// expression and the zone it is read in).
pub const HOURLY: &str = "@hourly[UTC]";

/// A unit of background work, stored on the queue as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// Fit FSRS parameters to one learner's reviews (`study::optimise`).
    OptimiseScheduling { learner_id: Uuid },
    /// The periodic round: queues the optimisations learners are due.
    Hourly,
}

/// What runs a [`Job`]: the pool, and the token that tells a long job the
/// server is stopping.
#[derive(Clone)]
pub struct Jobs {
    pool: PgPool,
    shutdown: CancellationToken,
}

impl Jobs {
    pub fn new(pool: PgPool, shutdown: CancellationToken) -> Jobs {
        Jobs { pool, shutdown }
    }

    /// The queue, created in underway's tables if it is not there yet.
    pub async fn queue(pool: &PgPool) -> Result<Queue<Jobs>, underway::queue::Error> {
        Queue::builder().name(QUEUE).pool(pool.clone()).build().await
    }
}

impl Task for Jobs {
    type Input = Job;
    type Output = ();

    async fn execute(&self, _tx: Transaction<'_, Postgres>, job: Job) -> TaskResult<()> {
        match job {
            Job::OptimiseScheduling { learner_id } => {
                match optimise::run::optimise(&self.pool, learner_id, &self.shutdown).await {
                    Ok(_) => Ok(()),
                    Err(error) => {
                        // Shown on the settings page instead of a progress
                        // bar that never moves; the learner may try again.
                        let message = "Something went wrong while optimising. Your scheduling is unchanged; try again later.";
                        let _ = optimise::db::fail(&self.pool, learner_id, None, message).await;
                        Err(TaskError::Fatal(error.to_string()))
                    }
                }
            }
            Job::Hourly => optimise::run::request_due(&self.pool)
                .await
                .map(|_| ())
                .map_err(|error| TaskError::Retryable(error.to_string())),
        }
    }

    /// An optimisation of a long history takes a minute or two on one core;
    /// this is the bound past which it is stopped (and tried again).
    fn timeout(&self) -> Span {
        1.hour()
    }

    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::builder().max_attempts(3).build()
    }
}

/// Puts `job` on the queue inside `tx`: it becomes visible to workers when
/// `tx` commits, and never if it rolls back.
pub async fn enqueue(tx: &mut PgConnection, pool: &PgPool, job: &Job) -> Result<(), AppError> {
    let queue = Jobs::queue(pool).await.map_err(AppError::internal)?;
    let task = Jobs::new(pool.clone(), CancellationToken::new());
    queue
        .enqueue(&mut *tx, &task, job)
        .await
        .map_err(AppError::internal)?;
    Ok(())
}
