//! Reviews made in this browser that the server has not confirmed yet, and
//! the cards buried or suspended here by hand (a hold is kept and sent the
//! same way, so that one made offline is not lost).
//!
//! A rating is written to the browser's IndexedDB (`offline::store`, flushed
//! to disk) before the next card is shown, then sent in the background in
//! batches: the learner never waits for the network, and a page closed (or a
//! connection lost) before the reviews were sent sends them the next time an
//! Engram page opens, or sooner through the service worker's Background
//! Sync. Each review carries its own id, so sending one twice stores it
//! once. The reviews are kept per learner, and every batch names the learner
//! who made it, so someone else who signs in on this browser never sends,
//! sees or counts them.

use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "hydrate")]
use super::MAX_REVIEWS_PER_BATCH;
use super::{CardStateAfter, ReviewInput};
use crate::error::AppError;

/// How many of the reviews the server confirmed lately the app remembers:
/// a few batches' worth, more than a backlog sends while a queue loads.
#[cfg(feature = "hydrate")]
const SENT_LATELY_KEPT: usize = 4 * MAX_REVIEWS_PER_BATCH;

/// The longest wait between two attempts after failures.
#[cfg(feature = "hydrate")]
const MAX_RETRY_DELAY_MS: u64 = 60_000;

#[derive(Clone, Copy)]
pub struct Outbox {
    learner_id: Uuid,
    pending: RwSignal<Vec<ReviewInput>>,
    sending: RwSignal<bool>,
    failures: RwSignal<u32>,
    /// Whether reviews go one at a time: a batch is stored whole or not at
    /// all, so after the server refused one, the others are sent on their
    /// own, past the refused one, until nothing waits.
    one_at_a_time: RwSignal<bool>,
    /// Reviews the server can never store, which were let go, and why.
    pub let_go: RwSignal<LetGo>,
    /// Why the last attempt failed, until one succeeds.
    pub error: RwSignal<Option<AppError>>,
    /// Why this browser could not keep a review in its storage, or read
    /// what earlier pages kept: said until every review that waits only in
    /// this page (lost if the page closes first) has been sent.
    pub storage_error: RwSignal<Option<String>>,
    /// The reviews this browser could not keep in its storage. A later
    /// review that it did keep does not make them safe.
    only_in_this_page: RwSignal<Vec<Uuid>>,
    /// Whether reading what earlier pages kept failed: those reviews are
    /// not this page's to send, so the warning stays for the page's life.
    read_failed: RwSignal<bool>,
    /// The last batch the server stored (its records' ids) and the states
    /// it answered, which the study page checks against its own (none for
    /// a batch the service worker sent).
    pub confirmed: RwSignal<Option<(Vec<Uuid>, Vec<CardStateAfter>)>>,
    /// Whether what earlier pages kept in this browser has been read.
    pub loaded: RwSignal<bool>,
    /// The latest reviews the server confirmed to this app, oldest first: a
    /// study queue the server made before it stored them may reach a page
    /// after they left the waiting list, and still shows them unrated.
    sent_lately: RwSignal<Vec<ReviewInput>>,
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
            one_at_a_time: RwSignal::new(false),
            let_go: RwSignal::new(LetGo::default()),
            error: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            only_in_this_page: RwSignal::new(Vec::new()),
            read_failed: RwSignal::new(false),
            confirmed: RwSignal::new(None),
            loaded: RwSignal::new(false),
            sent_lately: RwSignal::new(Vec::new()),
            app_status: use_context::<crate::offline::AppStatus>(),
        };
        #[cfg(feature = "hydrate")]
        {
            leptos::task::spawn_local(async move {
                match stored::load(learner_id).await {
                    // Ratings kept while this loaded are in both lists.
                    Ok(kept) => outbox.pending.update(|pending| {
                        let newer: Vec<ReviewInput> = pending
                            .drain(..)
                            .filter(|review| !kept.iter().any(|old| old.id == review.id))
                            .collect();
                        *pending = kept;
                        pending.extend(newer);
                    }),
                    Err(message) => {
                        outbox.read_failed.set(true);
                        outbox.storage_error.set(Some(message));
                    }
                }
                outbox.loaded.set(true);
                outbox.send();
            });
            // What the service worker sent while the page could not. It
            // reached the server, so the connection is back: what is left,
            // and the next rating, go now (the page's last failure would
            // otherwise hold them until the next retry, and with nothing
            // left to send there is none).
            // (The listener outlives a page's own outbox, which is then gone.)
            crate::offline::browser::on_reviews_sent_by_worker(move |sent| {
                if outbox.loaded.try_get_untracked().is_none() {
                    return;
                }
                outbox.keep_as_sent_lately(&sent);
                outbox.remove_sent(&sent);
                outbox.confirmed.set(Some((sent, Vec::new())));
                outbox.error.set(None);
                outbox.retry();
            });
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

    /// Whether a card buried or suspended by hand waits among them: the
    /// learner is then told of "changes", since a hold is not a review.
    pub fn holds_waiting(&self) -> Signal<bool> {
        let pending = self.pending;
        Signal::derive(move || pending.with(|pending| pending.iter().any(|review| review.hold.is_some())))
    }

    /// The reviews made in this browser that a study queue may not know of
    /// yet: the ratings the server confirmed lately, then all that wait, in
    /// the order they were made. A queue made after the server stored one
    /// already shows it (the session skips a rating its card's state has).
    pub fn reviews_made_lately(&self) -> Vec<ReviewInput> {
        let mut reviews = self.sent_lately.get_untracked();
        reviews.extend(self.pending.get_untracked());
        reviews
    }

    pub fn is_sending(&self) -> Signal<bool> {
        self.sending.into()
    }

    /// Keeps `review`, in this browser's storage first (the caller shows the
    /// next card once this returns), and sends it soon: now, or with the
    /// next attempt when the last one failed (a rating while the connection
    /// is down does not make the back-off longer).
    pub async fn keep(self, review: ReviewInput) {
        #[cfg(feature = "hydrate")]
        {
            match stored::keep(self.learner_id, &review).await {
                Ok(()) => self.storage_is_safe_again(),
                Err(message) => {
                    self.only_in_this_page.try_update(|ids| ids.push(review.id));
                    self.storage_error.try_set(Some(message));
                }
            }
        }
        self.pending.try_update(|pending| pending.push(review));
        if self.error.try_with_untracked(Option::is_none) == Some(true) {
            self.send();
        }
    }

    /// Sends the oldest batch unless one is on its way; on success the next,
    /// on failure again after a growing delay.
    pub fn send(&self) {
        #[cfg(feature = "hydrate")]
        {
            // A page's own outbox may be gone (the learner left the page)
            // by the time a timer or a storage write calls this.
            if self.sending.try_get_untracked() != Some(false)
                || self.pending.try_with_untracked(Vec::is_empty) != Some(false)
            {
                return;
            }
            self.sending.set(true);
            let outbox = *self;
            let batch_size = if self.one_at_a_time.get_untracked() {
                1
            } else {
                MAX_REVIEWS_PER_BATCH
            };
            let batch: Vec<ReviewInput> = self
                .pending
                .with_untracked(|pending| pending.iter().take(batch_size).cloned().collect());
            leptos::task::spawn_local(async move {
                let result = super::api::submit_reviews(Some(outbox.learner_id), batch.clone()).await;
                let sent: Vec<Uuid> = batch.iter().map(|review| review.id).collect();
                // A single review the server can never store. (Of a larger
                // batch, it is not yet known which.)
                let lets_go = batch.len() == 1 && result.as_ref().is_err_and(refused_for_good);
                if result.is_ok() || lets_go {
                    stored::forget(&sent).await;
                }
                // The page that opened this outbox may have gone while the
                // request was out (the offline app's study page opens its
                // own): what was not forgotten above waits in storage for
                // the next page.
                if outbox.sending.try_set(false).is_some() {
                    return;
                }
                match result {
                    Ok(states) => {
                        outbox.keep_as_sent_lately(&sent);
                        outbox.remove_sent(&sent);
                        outbox.confirmed.set(Some((sent, states)));
                        outbox.failures.set(0);
                        outbox.error.set(None);
                        if outbox.pending.with_untracked(Vec::is_empty) {
                            outbox.one_at_a_time.set(false);
                        }
                        outbox.send();
                    }
                    // The server refused what was sent, not the connection:
                    // find the review it refuses, so that it holds up no other.
                    Err(error) if refuses_the_reviews(&error) && batch.len() > 1 => {
                        outbox.one_at_a_time.set(true);
                        outbox.send();
                    }
                    Err(error) if lets_go => {
                        outbox.remove_sent(&sent);
                        outbox.let_go.update(|let_go| let_go.add(sent.len(), error));
                        // The server answered, so the connection is back: an
                        // earlier failure must not hold the ratings that come
                        // next (only a send with nothing to send is left).
                        outbox.failures.set(0);
                        outbox.error.set(None);
                        outbox.send();
                    }
                    Err(error) => {
                        // A review refused for now (dated ahead of the
                        // server's clock) goes to the back, and the others
                        // are sent before it is tried again.
                        let refused = refuses_the_reviews(&error);
                        if refused {
                            outbox.pending.update(|pending| {
                                if let Some(position) =
                                    pending.iter().position(|review| review.id == batch[0].id)
                                {
                                    let refused = pending.remove(position);
                                    pending.push(refused);
                                }
                            });
                        }
                        // No connection: the app checks for its return,
                        // and this outbox tries again as soon as it is back.
                        if error.is_connection_failure() {
                            if let Some(status) = outbox.app_status {
                                status.online.set(false);
                            }
                            crate::offline::browser::request_outbox_sync();
                        }
                        let failures = outbox.failures.get_untracked().saturating_add(1);
                        outbox.failures.set(failures);
                        outbox.error.set(Some(error));
                        // Others waiting behind a refused review go at once,
                        // until each has been tried since the last success.
                        let untried_wait = refused
                            && outbox
                                .pending
                                .with_untracked(|pending| pending.len() > failures as usize);
                        let delay = if untried_wait {
                            0
                        } else {
                            (1_000u64 << failures.min(6)).min(MAX_RETRY_DELAY_MS)
                        };
                        set_timeout(move || outbox.send(), std::time::Duration::from_millis(delay));
                    }
                }
            });
        }
    }

    /// Remembers the ratings (and their undos) among `sent`, which the
    /// server has now stored, for the study queues on their way
    /// (`reviews_made_lately`). Only the latest are kept: a queue is made
    /// within seconds of being asked for. Holds are not: a card's state
    /// shows whether a queue has a rating, but nothing shows whether it has
    /// a hold, and a card unsuspended since (from its deck's page) would be
    /// set aside again.
    #[cfg(feature = "hydrate")]
    fn keep_as_sent_lately(&self, sent: &[Uuid]) {
        let stored: Vec<ReviewInput> = self.pending.with_untracked(|pending| {
            pending
                .iter()
                .filter(|review| review.hold.is_none() && sent.contains(&review.id))
                .cloned()
                .collect()
        });
        self.sent_lately.update(|lately| {
            lately.extend(stored);
            let excess = lately.len().saturating_sub(SENT_LATELY_KEPT);
            lately.drain(..excess);
        });
    }

    /// Takes reviews the server has (or never will) out of the waiting list.
    #[cfg(feature = "hydrate")]
    fn remove_sent(&self, sent: &[Uuid]) {
        self.pending
            .update(|pending| pending.retain(|review| !sent.contains(&review.id)));
        self.only_in_this_page
            .update(|ids| ids.retain(|id| !sent.contains(id)));
        self.storage_is_safe_again();
    }

    /// Lifts the storage warning once no review waits only in this page.
    #[cfg(feature = "hydrate")]
    fn storage_is_safe_again(&self) {
        let safe = self.read_failed.try_get_untracked() == Some(false)
            && self.only_in_this_page.try_with_untracked(Vec::is_empty) == Some(true);
        if safe {
            self.storage_error.try_set(None);
        }
    }

    /// Tries again now, from the retry button.
    pub fn retry(&self) {
        self.failures.set(0);
        self.send();
    }
}

/// Reviews let go of because the server can never store them, by why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetGo {
    /// Of cards deleted, or in decks no longer shared with the learner.
    pub cards_gone: usize,
    /// Refused for what they are (dated before their card was made, by a
    /// device whose clock was wrong): how many for each reason the server gave.
    pub refused: Vec<(String, usize)>,
}

impl LetGo {
    /// Whether any review was let go.
    pub fn any(&self) -> bool {
        self.cards_gone > 0 || !self.refused.is_empty()
    }

    #[cfg(feature = "hydrate")]
    fn add(&mut self, count: usize, error: AppError) {
        match error {
            AppError::NotFound => self.cards_gone += count,
            AppError::BadRequest(reason) => {
                match self.refused.iter_mut().find(|(given, _)| *given == reason) {
                    Some((_, refused)) => *refused += count,
                    None => self.refused.push((reason, count)),
                }
            }
            _ => {}
        }
    }
}

/// Whether `error` is the server refusing the reviews sent, rather than the
/// connection failing or the server failing for a while (those are sent
/// again as they were).
#[cfg(feature = "hydrate")]
fn refuses_the_reviews(error: &AppError) -> bool {
    match error {
        AppError::BadRequest(_) => !error.is_connection_failure(),
        AppError::NotFound | AppError::Validation(_) | AppError::Conflict(_) => true,
        _ => false,
    }
}

/// Whether the server refused a review for good: its card is gone, or the
/// review itself can never be stored. A request the server could not read
/// (a page older than the server) and a review dated ahead of its clock
/// (`Conflict`) are refused only for now.
#[cfg(feature = "hydrate")]
fn refused_for_good(error: &AppError) -> bool {
    match error {
        AppError::NotFound => true,
        AppError::BadRequest(message) => {
            !error.is_connection_failure() && message != crate::error::UNREADABLE_REQUEST
        }
        _ => false,
    }
}

/// The outbox in IndexedDB, and what an older version of the app left in
/// `localStorage`, moved over the first time it opens.
#[cfg(feature = "hydrate")]
mod stored {
    use super::*;
    use crate::offline::store;

    fn legacy_key(learner_id: Uuid) -> String {
        format!("engram.outbox.{learner_id}")
    }

    pub async fn load(learner_id: Uuid) -> Result<Vec<ReviewInput>, String> {
        let local_storage = web_sys::window().and_then(|window| window.local_storage().ok().flatten());
        if let Some(local_storage) = local_storage {
            let legacy: Vec<ReviewInput> = local_storage
                .get_item(&legacy_key(learner_id))
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_slice(json.as_bytes()).ok())
                .unwrap_or_default();
            for review in &legacy {
                keep(learner_id, review).await?;
            }
            if !legacy.is_empty() {
                let _ = local_storage.remove_item(&legacy_key(learner_id));
            }
        }
        store::waiting_reviews(learner_id).await
    }

    pub async fn keep(learner_id: Uuid, review: &ReviewInput) -> Result<(), String> {
        store::keep_review(learner_id, review, js_sys::Date::now()).await
    }

    /// A failure only means the server may be sent these again, which it
    /// ignores: nothing is lost.
    pub async fn forget(sent: &[Uuid]) {
        if let Err(message) = store::forget_reviews(sent).await {
            leptos::logging::warn!("{message}");
        }
    }
}
