//! The job queue inside the server process (what a job is and how one is
//! enqueued is `app::jobs`): underway's worker, which runs one job at a
//! time (the optimiser takes a whole core, and the requests need the
//! other); its scheduler, which enqueues the hourly round (one server of
//! the fleet at a time holds it); and the deletion of jobs past their
//! lifetime. [`RunningJobs::stop`] stops all three: a running optimisation
//! is interrupted and queued again for the next start.

use std::{sync::Arc, time::Duration};

use anyhow::{Context, Result};
use app::jobs::{Job, Jobs, HOURLY};
use jiff::ToSpan;
use sqlx::PgPool;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use underway::{Scheduler, Worker};

/// After an error (a database restart, say), the worker or the scheduler
/// starts again after this long.
const RESTART_AFTER: Duration = Duration::from_secs(5);

/// How often a server whose scheduler found the schedule held by another
/// server tries to take it over (that server may have stopped).
const SCHEDULER_TAKEOVER_EVERY: Duration = Duration::from_secs(60);

/// How long [`RunningJobs::stop`] waits for a job to wind down.
const STOP_WAIT: Duration = Duration::from_secs(30);

/// Creates the queue's tables (underway's own migrations, in its own
/// `underway` schema with its own migration history).
pub async fn migrate(pool: &PgPool) -> Result<()> {
    underway::run_migrations(pool)
        .await
        .context("could not apply the job queue's migrations")
}

/// The worker, scheduler and cleanup running in this process.
pub struct RunningJobs {
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
}

/// Starts the worker, the scheduler and the cleanup in the background.
pub async fn start(pool: PgPool) -> Result<RunningJobs> {
    let shutdown = CancellationToken::new();
    let queue = Arc::new(
        Jobs::queue(&pool)
            .await
            .context("could not create the job queue")?,
    );
    let hourly = HOURLY.parse().context("the hourly schedule")?;
    queue
        .schedule(&pool, &hourly, &Job::Hourly)
        .await
        .context("could not schedule the hourly round")?;
    let jobs = Jobs::new(pool.clone(), shutdown.clone());

    let mut tasks = JoinSet::new();
    let mut worker = Worker::new(Arc::clone(&queue), jobs.clone());
    worker.set_concurrency_limit(1);
    worker.set_shutdown_token(shutdown.clone());
    tasks.spawn(restarting(
        "job worker",
        shutdown.clone(),
        RESTART_AFTER,
        move || {
            let worker = worker.clone();
            async move { worker.run().await.map_err(anyhow::Error::from) }
        },
    ));

    let mut scheduler = Scheduler::new(queue, jobs);
    scheduler.set_shutdown_token(shutdown.clone());
    let scheduler = Arc::new(scheduler);
    tasks.spawn(restarting(
        "job scheduler",
        shutdown.clone(),
        SCHEDULER_TAKEOVER_EVERY,
        move || {
            let scheduler = Arc::clone(&scheduler);
            async move { scheduler.run().await.map_err(anyhow::Error::from) }
        },
    ));

    let stop_cleanup = shutdown.clone();
    tasks.spawn(restarting("job cleanup", shutdown.clone(), RESTART_AFTER, move || {
        let (pool, stop) = (pool.clone(), stop_cleanup.clone());
        async move {
            tokio::select! {
                outcome = underway::queue::run_deletion_every(&pool, 1.hour()) => outcome.map_err(anyhow::Error::from),
                () = stop.cancelled() => Ok(()),
            }
        }
    }));
    Ok(RunningJobs { shutdown, tasks })
}

/// Runs `run` again `pause` after it ends (with an error, or because
/// another server holds the schedule), until `shutdown`. `run` watches
/// `shutdown` itself, so that the worker can let its job wind down.
async fn restarting<F, Fut>(name: &'static str, shutdown: CancellationToken, pause: Duration, run: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    loop {
        if let Err(error) = run().await {
            tracing::error!("{name} stopped: {error:#}");
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = shutdown.cancelled() => break,
        }
    }
}

impl RunningJobs {
    /// Asks every job to stop and waits (a bounded time) until they have:
    /// an optimisation in the middle is queued again.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        let all_stopped = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(STOP_WAIT, all_stopped).await.is_err() {
            tracing::warn!("background jobs did not stop within {STOP_WAIT:?}");
        }
    }
}

/// Runs every job that is due now, one after another, in this task, and
/// answers how many ran: what the worker does, for tests and tools that
/// want the queue emptied without running a worker.
pub async fn run_pending(pool: &PgPool) -> Result<usize> {
    let queue = Arc::new(
        Jobs::queue(pool)
            .await
            .context("could not create the job queue")?,
    );
    let worker = Worker::new(queue, Jobs::new(pool.clone(), CancellationToken::new()));
    let mut ran = 0;
    while worker.process_next_task().await?.is_some() {
        ran += 1;
    }
    Ok(ran)
}
