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

/// Keeps track of who is signed in on this browser, for the offline app,
/// which cannot ask the server, and sends what their outbox holds as soon as
/// the app starts (`study::outbox::Outbox`, given to the pages as context).
/// When the learner who was signed in here signs out, their kept decks go
/// with them, and so do the cached pictures and sound no one else's kept
/// deck shows; their unsent reviews stay, bound to them, until they sign in
/// here again.
pub fn follow_signed_in_learner(learner_id: Signal<Option<Option<uuid::Uuid>>>) {
    let outbox = RwSignal::new(None::<crate::study::outbox::Outbox>);
    provide_context(outbox);
    // The outbox lives as long as the app, not as one run of the effect.
    let app_owner = Owner::current();
    Effect::new(move |previous: Option<Option<uuid::Uuid>>| {
        // `None` while the account loads: nothing is known yet.
        let Some(now) = learner_id.get() else {
            return previous.flatten();
        };
        if outbox.with_untracked(|outbox| outbox.map(|outbox| outbox.learner_id())) != now {
            let opened = now.map(|learner_id| match &app_owner {
                Some(owner) => owner.with(|| crate::study::outbox::Outbox::open(learner_id)),
                None => crate::study::outbox::Outbox::open(learner_id),
            });
            outbox.set(opened);
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let outcome = match now {
                Some(learner_id) => store::remember_signed_in(learner_id).await,
                None => match store::signed_in().await {
                    Ok(Some(learner_id)) => match store::remove_learner(learner_id).await {
                        Ok(()) => media::forget_unused_media().await,
                        Err(message) => Err(message),
                    },
                    Ok(None) => Ok(()),
                    Err(message) => Err(message),
                },
            };
            if let Err(message) = outcome {
                leptos::logging::warn!("{message}");
            }
        });
        now
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
