//! Reviews made in this browser that the server has not confirmed yet.
//!
//! A rating is written to the browser's storage before the next card is
//! shown, then sent in the background in batches: the learner never waits
//! for the network, and a page closed (or a connection lost) before the
//! reviews were sent sends them the next time a study page opens. Each
//! review carries its own id, so sending one twice stores it once. The
//! reviews are kept per learner, so that someone else who signs in on this
//! browser never sends, sees or counts them.

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "hydrate")]
use super::MAX_REVIEWS_PER_BATCH;
use super::{CardStateAfter, ReviewInput};
use crate::error::AppError;

/// The longest wait between two attempts after failures.
#[cfg(feature = "hydrate")]
const MAX_RETRY_DELAY_MS: u64 = 60_000;

#[derive(Clone, Copy)]
pub struct Outbox {
    learner_id: Uuid,
    pending: RwSignal<Vec<ReviewInput>>,
    sending: RwSignal<bool>,
    failures: RwSignal<u32>,
    /// Why the last attempt failed, until one succeeds.
    pub error: RwSignal<Option<AppError>>,
    /// The last batch the server stored (its records' ids) and the states
    /// it answered, which the study page checks against its own.
    pub confirmed: RwSignal<Option<(Vec<Uuid>, Vec<CardStateAfter>)>>,
    /// The app's view of the connection, which a failed send updates and
    /// whose return sends again.
    app_status: Option<crate::offline::AppStatus>,
}

impl Outbox {
    /// The learner's outbox, with whatever an earlier page left unsent,
    /// which it starts sending at once.
    pub fn open(learner_id: Uuid) -> Outbox {
        let outbox = Outbox {
            learner_id,
            pending: RwSignal::new(Vec::new()),
            sending: RwSignal::new(false),
            failures: RwSignal::new(0),
            error: RwSignal::new(None),
            confirmed: RwSignal::new(None),
            app_status: use_context::<crate::offline::AppStatus>(),
        };
        #[cfg(feature = "hydrate")]
        {
            outbox.pending.set(stored::load(learner_id));
            outbox.send();
            // Sending resumes as soon as the connection comes back, rather
            // than at the next back-off.
            if let Some(status) = outbox.app_status {
                Effect::new(move |was_online: Option<bool>| {
                    let online = status.online.get();
                    if online && was_online == Some(false) {
                        outbox.retry();
                    }
                    online
                });
            }
        }
        outbox
    }

    pub fn learner_id(&self) -> Uuid {
        self.learner_id
    }

    /// How many reviews wait to be sent.
    pub fn waiting(&self) -> Signal<usize> {
        let pending = self.pending;
        Signal::derive(move || pending.with(Vec::len))
    }

    pub fn is_sending(&self) -> Signal<bool> {
        self.sending.into()
    }

    /// Keeps `review` (in storage first) and sends it soon: now, or with the
    /// next attempt when the last one failed (a rating while the connection
    /// is down does not make the back-off longer).
    pub fn push(&self, review: ReviewInput) {
        self.pending.update(|pending| pending.push(review));
        #[cfg(feature = "hydrate")]
        {
            self.pending
                .with_untracked(|pending| stored::save(self.learner_id, pending));
            if self.error.with_untracked(Option::is_none) {
                self.send();
            }
        }
    }

    /// Sends the oldest batch unless one is on its way; on success the next,
    /// on failure again after a growing delay.
    pub fn send(&self) {
        #[cfg(feature = "hydrate")]
        {
            if self.sending.get_untracked() || self.pending.with_untracked(Vec::is_empty) {
                return;
            }
            self.sending.set(true);
            let outbox = *self;
            let batch: Vec<ReviewInput> = self
                .pending
                .with_untracked(|pending| pending.iter().take(MAX_REVIEWS_PER_BATCH).cloned().collect());
            leptos::task::spawn_local(async move {
                let result = super::api::submit_reviews(batch.clone()).await;
                outbox.sending.set(false);
                match result {
                    Ok(states) => {
                        outbox
                            .confirmed
                            .set(Some((batch.iter().map(|review| review.id).collect(), states)));
                        outbox.pending.update(|pending| {
                            pending.retain(|review| !batch.iter().any(|sent| sent.id == review.id))
                        });
                        outbox
                            .pending
                            .with_untracked(|pending| stored::save(outbox.learner_id, pending));
                        outbox.failures.set(0);
                        outbox.error.set(None);
                        outbox.send();
                    }
                    Err(error) => {
                        // No connection: the app checks for its return,
                        // and this outbox tries again as soon as it is back.
                        if error.is_connection_failure() {
                            if let Some(status) = outbox.app_status {
                                status.online.set(false);
                            }
                        }
                        let failures = outbox.failures.get_untracked().saturating_add(1);
                        outbox.failures.set(failures);
                        outbox.error.set(Some(error));
                        let delay = (1_000u64 << failures.min(6)).min(MAX_RETRY_DELAY_MS);
                        set_timeout(move || outbox.send(), std::time::Duration::from_millis(delay));
                    }
                }
            });
        }
    }

    /// Tries again now, from the retry button.
    pub fn retry(&self) {
        self.failures.set(0);
        self.send();
    }
}

/// The outbox in `localStorage`, one entry per learner.
#[cfg(feature = "hydrate")]
mod stored {
    use super::*;

    fn key(learner_id: Uuid) -> String {
        format!("engram.outbox.{learner_id}")
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn load(learner_id: Uuid) -> Vec<ReviewInput> {
        storage()
            .and_then(|storage| storage.get_item(&key(learner_id)).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    pub fn save(learner_id: Uuid, pending: &[ReviewInput]) {
        let Some(storage) = storage() else { return };
        let result = if pending.is_empty() {
            storage.remove_item(&key(learner_id))
        } else {
            match serde_json::to_string(pending) {
                Ok(json) => storage.set_item(&key(learner_id), &json),
                Err(_) => return,
            }
        };
        if result.is_err() {
            leptos::logging::warn!("could not keep unsent reviews in this browser's storage");
        }
    }
}
