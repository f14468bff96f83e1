//! Server-side state shared by every request: the pool and the settings that
//! server functions need. Provided to server functions through Leptos context.

use std::{net::IpAddr, ops::Deref, sync::Arc};

use leptos::prelude::*;
use sqlx::PgPool;

use crate::{auth::throttle::ThrottlePolicy, error::AppError};

/// A handle on the [`SharedState`]. Axum and Leptos clone the state several
/// times for every request; behind one `Arc` each clone is a counter
/// increment, where cloning the fields (the options' strings, the caches'
/// handles, the pool) cost about a seventh of a signed-in request's server
/// time in `scripts/bench-reviews`.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl AppState {
    pub fn new(shared: SharedState) -> Self {
        Self(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What every request shares: the pool, the settings and the in-memory caches.
pub struct SharedState {
    pub pool: PgPool,
    pub leptos_options: LeptosOptions,
    pub auth: AuthSettings,
    pub media: crate::media::store::MediaStore,
    /// Where note rendering runs, and the per-account preview limit.
    pub rendering: crate::notes::render::NoteRenderer,
    /// Sessions and accounts, kept in memory until a notice says they changed.
    pub signed_in: crate::auth::signed_in::SignedInCache,
    /// Review submissions, written together when they arrive together.
    pub reviews: crate::study::writer::ReviewWriter,
    /// Outgoing email, when the server has an SMTP relay (`ENGRAM_SMTP_URL`).
    pub mail: Option<crate::mail::Mailer>,
}

#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// A session ends this long after login, however active it is.
    pub absolute_session_timeout: time::Duration,
    pub throttle: ThrottlePolicy,
}

/// The address of the person making the request, as decided by the server's
/// proxy settings. Inserted into request extensions by a server middleware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The state provided to the current server function or render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState was not provided"))
}

/// The requesting client's address, or `unknown` when no middleware set it.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().copied())
        .map_or_else(|| "unknown".to_owned(), |ip| ip.0.to_string())
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
