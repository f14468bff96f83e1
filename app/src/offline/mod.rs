//! The installed app and offline study: the service worker that keeps
//! Engram's code and the offline app's page on the device
//! (`scripts/build-service-worker.mjs` writes it with Workbox at build time),
//! the "Install app" button, the notices of a new version and of a lost
//! connection, and decks kept in IndexedDB (`store`) for the offline app
//! (`pages::OfflineApp`), which studies them with no connection.

#[cfg(feature = "hydrate")]
pub(crate) mod browser;
pub mod media;
pub mod pages;
#[cfg(feature = "hydrate")]
mod storage;
#[cfg(feature = "hydrate")]
pub mod store;

use leptos::prelude::*;

/// Where the server sends the service worker, with `Cache-Control: no-cache`
/// so that a new version is seen on the next visit.
pub const SERVICE_WORKER_URL: &str = "/sw.js";

/// What the browser says about the app, for the banners and the install
/// button. Everything starts as the server renders it (online, nothing to
/// install or update) and changes only once the page runs in a browser.
#[derive(Clone, Copy)]
pub struct AppStatus {
    /// The browser has a connection (`navigator.onLine`, then its events).
    pub online: RwSignal<bool>,
    /// The browser offers to install Engram; the button asks it to.
    pub can_install: RwSignal<bool>,
    /// A new version is installed and waits for the learner to reload.
    pub update_waiting: RwSignal<bool>,
}

/// Registers the service worker and starts listening to the browser. Called
/// once, above the routes: `online` is whether the app starts with a
/// connection (the offline app starts without one).
pub fn provide_app_status(online: bool) -> AppStatus {
    let status = AppStatus {
        online: RwSignal::new(online),
        can_install: RwSignal::new(false),
        update_waiting: RwSignal::new(false),
    };
    provide_context(status);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::start(status);
    });
    status
}

/// The signed-in learner's outbox (`study::outbox::Outbox`), given to the
/// pages as context: the nav counts what it holds before signing out, and a
/// study page sends through it. It lives as long as the app, not one page.
///
/// What follows a learner on this browser (their outbox, who is signed in
/// for the offline app, the kept decks removed at sign-out) reads and writes
/// IndexedDB, and its code is in the study group's chunk, not in the app
/// shell that every first visit downloads: it is fetched when this browser
/// holds Engram's database, or when a study page opens, which is where the
/// database is first written.
#[derive(Clone, Copy)]
pub struct AppOutbox {
    slot: RwSignal<Option<crate::study::outbox::Outbox>>,
    /// The app's owner: an outbox a study page opens must outlive the page.
    /// (Kept in the app's own arena, so it lives as long as the app, which
    /// it does anyway.)
    app_owner: StoredValue<Option<Owner>>,
}

impl AppOutbox {
    /// The outbox, once the app has opened one (tracked).
    pub fn get(&self) -> Option<crate::study::outbox::Outbox> {
        self.slot.get()
    }

    pub fn get_untracked(&self) -> Option<crate::study::outbox::Outbox> {
        self.slot.get_untracked()
    }

    /// The learner's outbox: the app's when it is theirs, else opened now.
    /// Opening it sends what an earlier page left unsent and records the
    /// learner as the one signed in here, for the offline app.
    pub fn for_learner(&self, learner_id: uuid::Uuid) -> crate::study::outbox::Outbox {
        match self.get_untracked() {
            Some(outbox) if outbox.learner_id() == learner_id => outbox,
            _ => {
                self.follow(Some(learner_id), false);
                self.get_untracked()
                    .unwrap_or_else(|| crate::study::outbox::Outbox::open(learner_id))
            }
        }
    }

    /// Follows who is signed in: opens their outbox and records them for
    /// the offline app. When the learner who was signed in here signs out
    /// on this browser (`signed_out`), their kept decks go with them, and so
    /// do the cached pictures and sound no one else's kept deck shows; their
    /// unsent reviews stay, bound to them, until they sign in here again.
    /// A session that ended otherwise (it expired) keeps their decks for
    /// their return, and the offline app still opens them on this device,
    /// until someone else signs in here: then they go as at a sign-out.
    pub fn follow(&self, learner: Option<uuid::Uuid>, signed_out: bool) {
        let open_for = self
            .slot
            .with_untracked(|outbox| outbox.map(|outbox| outbox.learner_id()));
        if open_for != learner {
            let opened = learner.map(|learner_id| match self.app_owner.get_value() {
                Some(owner) => owner.with(|| crate::study::outbox::Outbox::open(learner_id)),
                None => crate::study::outbox::Outbox::open(learner_id),
            });
            self.slot.set(opened);
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let outcome = async {
                let last = store::signed_in().await?;
                // The decks of the learner last signed in here go when they
                // signed out here, or when someone else signs in.
                let leaving =
                    last.filter(|last| signed_out || learner.is_some_and(|learner| learner != *last));
                if let Some(leaving) = leaving {
                    store::remove_learner(leaving).await?;
                    media::forget_unused_media().await?;
                }
                match learner {
                    Some(learner_id) => store::remember_signed_in(learner_id).await,
                    None => Ok(()),
                }
            };
            if let Err(message) = outcome.await {
                leptos::logging::warn!("{message}");
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = signed_out;
    }
}

/// Gives the pages the app's outbox, and follows who is signed in on this
/// browser (`AppOutbox::follow`) as soon as the app starts, when there is
/// anything to follow: a browser that has never kept a review or a deck has
/// no outbox to send and nothing to remove, so its first visit never
/// fetches that code. `logouts` counts the logouts that went through on
/// this page: one more of them means the learner signed out here, even if
/// reading the account again failed (the connection dropped just after).
pub fn follow_signed_in_learner(learner_id: Signal<Option<Option<uuid::Uuid>>>, logouts: Memo<usize>) {
    let app_outbox = AppOutbox {
        slot: RwSignal::new(None),
        app_owner: StoredValue::new(Owner::current()),
    };
    provide_context(app_outbox);
    // The learner last known to be signed in, and the logouts done by then.
    Effect::new(move |previous: Option<(Option<uuid::Uuid>, usize)>| {
        let (before, logouts_before) = previous.unwrap_or((None, logouts.get_untracked()));
        let logouts_now = logouts.get();
        let signed_out = before.is_some() && logouts_now != logouts_before;
        // `None` while the account loads: nothing is known yet, unless a
        // logout just went through, which leaves no one signed in.
        let Some(now) = learner_id.get().or(signed_out.then_some(None)) else {
            return (before, logouts_before);
        };
        let now = if signed_out { None } else { now };
        #[cfg(feature = "hydrate")]
        {
            leptos::task::spawn_local(async move {
                // Someone else signed in or out meanwhile: that change
                // follows. (A sign-out here is followed whatever the account
                // reads as by then.)
                let still_current = || signed_out || learner_id.get_untracked() == Some(now);
                if browser::holds_device_store().await && still_current() {
                    crate::study_group(crate::StudyEntry::FollowLearner(app_outbox, now, signed_out)).await;
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = signed_out;
        (now, logouts_now)
    });
}

pub fn use_app_status() -> AppStatus {
    expect_context::<AppStatus>()
}

impl AppStatus {
    /// Shows the browser's install dialog; the button hides whatever the answer.
    pub fn install(&self) {
        #[cfg(feature = "hydrate")]
        browser::prompt_install();
        self.can_install.set(false);
    }

    /// Lets the waiting version take over, then reloads the page once it has.
    /// Only ever on the learner's request: a study page mid-review is never
    /// reloaded under them.
    pub fn reload_to_update(&self) {
        #[cfg(feature = "hydrate")]
        browser::activate_waiting_version();
    }
}
