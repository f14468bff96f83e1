//! Writes review submissions in shared transactions. While a transaction is
//! being written, the submissions that arrive queue up, and the next writer
//! takes all of them into one: one commit, one read of what the replay
//! needs and one write of the states for many learners, where each request
//! alone would pay for all of that itself. With a single review per request
//! (a learner studying online sends each rating as it is made), a
//! transaction's fixed cost is most of the work: in `scripts/bench-reviews`,
//! fifty reviews in one request cost the server about four times what one
//! did.
//!
//! Nothing waits on purpose: a submission that finds a writer free is
//! written at once, alone. A shared transaction that fails (one learner's
//! review of a card they do not study, say) is written again one submission
//! at a time, so only the submission at fault sees its error.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Mutex};
use uuid::Uuid;

use super::{
    db::{self, Submission},
    CardStateAfter, ValidBatch, ValidReview,
};
use crate::error::AppError;

/// A writer stops taking submissions into its transaction at this many
/// reviews, so that a burst of offline batches is not written as one.
const MAX_REVIEWS_PER_TRANSACTION: usize = super::MAX_REVIEWS_PER_BATCH;

type Outcome = Result<Vec<CardStateAfter>, AppError>;

struct Pending {
    submission: Submission,
    /// The server's clock when the request arrived (Unix seconds).
    now: i64,
    reply: oneshot::Sender<Outcome>,
}

/// The queue of submissions waiting for a writer. Cloned into every request.
#[derive(Clone)]
pub struct ReviewWriter {
    queue: mpsc::UnboundedSender<Pending>,
    /// Transactions committed so far, shared or not: with the number of
    /// submissions, how much the sharing saves.
    committed: Arc<AtomicU64>,
}

impl ReviewWriter {
    /// Starts `writers` writers on the current Tokio runtime: transactions
    /// written at once, each holding a database connection while it writes.
    /// Enough of them keep the cores busy while others wait on a round trip
    /// (each transaction is five); with too few, submissions queue behind
    /// them when they arrive one by one.
    pub fn start(pool: PgPool, writers: usize) -> ReviewWriter {
        let (queue, arrivals) = mpsc::unbounded_channel();
        let arrivals = Arc::new(Mutex::new(arrivals));
        let committed = Arc::new(AtomicU64::new(0));
        for _ in 0..writers {
            tokio::spawn(write_arrivals(
                pool.clone(),
                Arc::clone(&arrivals),
                Arc::clone(&committed),
            ));
        }
        ReviewWriter { queue, committed }
    }

    /// How many transactions the writers have committed.
    pub fn transactions_committed(&self) -> u64 {
        self.committed.load(Ordering::Relaxed)
    }

    /// Stores `learner_id`'s batch of reviews, as [`db::record_submissions`]
    /// does, and answers the state of every card it touches.
    pub async fn record(&self, learner_id: Uuid, reviews: Vec<ValidReview>, now: i64) -> Outcome {
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            submission: Submission { learner_id, reviews },
            now,
            reply,
        };
        self.queue
            .send(pending)
            .map_err(|_| AppError::internal("the review writers have stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("a review writer stopped before it answered"))?
    }

    /// Stores a device's batch: its reviews as [`ReviewWriter::record`]
    /// does, then the holds it puts on cards, which change no card's state
    /// and have the same effect however often they are sent.
    pub async fn record_batch(
        &self,
        pool: &PgPool,
        learner_id: Uuid,
        batch: ValidBatch,
        now: i64,
    ) -> Outcome {
        let ValidBatch { reviews, holds } = batch;
        let states = if reviews.is_empty() && !holds.is_empty() {
            Vec::new()
        } else {
            self.record(learner_id, reviews, now).await?
        };
        if !holds.is_empty() {
            let clock = db::learner_clock(pool, learner_id, now).await?;
            db::hold_cards(pool, learner_id, &holds, now, clock).await?;
        }
        Ok(states)
    }
}

/// One writer: takes every submission waiting (up to the limit), writes
/// them, answers each, and goes back for more.
async fn write_arrivals(
    pool: PgPool,
    arrivals: Arc<Mutex<mpsc::UnboundedReceiver<Pending>>>,
    committed: Arc<AtomicU64>,
) {
    loop {
        let group = {
            // One writer gathers at a time; the others wait their turn.
            let mut arrivals = arrivals.lock().await;
            let Some(first) = arrivals.recv().await else {
                return;
            };
            let mut reviews = first.submission.reviews.len();
            let mut group = vec![first];
            while reviews < MAX_REVIEWS_PER_TRANSACTION {
                let Ok(next) = arrivals.try_recv() else {
                    break;
                };
                reviews += next.submission.reviews.len();
                group.push(next);
            }
            group
        };
        write_group(&pool, group, &committed).await;
    }
}

async fn write_group(pool: &PgPool, group: Vec<Pending>, committed: &AtomicU64) {
    if group.len() > 1 {
        let submissions: Vec<Submission> = group.iter().map(|pending| pending.submission.clone()).collect();
        let now = group.iter().map(|pending| pending.now).max().unwrap_or_default();
        match db::record_submissions(pool, &submissions, now).await {
            Ok(states) => {
                committed.fetch_add(1, Ordering::Relaxed);
                for (pending, states) in group.into_iter().zip(states) {
                    // A request that went away needs no answer; its reviews are stored.
                    let _ = pending.reply.send(Ok(states));
                }
                return;
            }
            Err(error) => {
                tracing::debug!(%error, submissions = group.len(), "a shared review transaction failed; writing each alone")
            }
        }
    }
    for pending in group {
        let outcome = db::record_submissions(pool, std::slice::from_ref(&pending.submission), pending.now)
            .await
            .map(|mut states| {
                committed.fetch_add(1, Ordering::Relaxed);
                states.pop().unwrap_or_default()
            });
        let _ = pending.reply.send(outcome);
    }
}
