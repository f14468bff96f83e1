//! What a signed-in session holds, and the rules for when it ends.
//!
//! Idle expiry is enforced by the session store (a record past its expiry is
//! never loaded); the absolute lifetime is checked here on every read.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Extension;
use time::OffsetDateTime;
use tower_sessions::Session;
use uuid::Uuid;

use super::{Role, User};
use crate::{error::AppError, state::AppState};

const USER_ID_KEY: &str = "user_id";
const AUTHENTICATED_AT_KEY: &str = "authenticated_at";
/// The account's session generation when the session signed in (a session
/// from before there were generations has none, read as the first, 0).
const GENERATION_KEY: &str = "session_generation";

/// The session of the current request.
pub async fn current() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// Marks the session as belonging to `user_id`, whose account is at
/// `generation` (`db::Account::session_generation`). The id is rotated
/// first, so a session id planted before login (session fixation) is
/// worthless after it. A password change signs the session that made it in
/// again this way, at the account's new generation.
pub async fn sign_in(session: &Session, user_id: Uuid, generation: i32) -> Result<(), AppError> {
    if let Some(request_user) = request_user().await {
        request_user.forget();
    }
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user_id).await?;
    session
        .insert(AUTHENTICATED_AT_KEY, OffsetDateTime::now_utc().unix_timestamp())
        .await?;
    session.insert(GENERATION_KEY, generation).await?;
    Ok(())
}

/// Deletes the session from the store and clears the cookie.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    if let Some(request_user) = request_user().await {
        request_user.remember(None);
    }
    session.flush().await?;
    Ok(())
}

/// The signed-in account of one request, looked up once and shared by the
/// nav, the page's loaders and its server functions. The server adds an empty
/// one to every request that carries a session (`server::router`).
#[derive(Clone, Default)]
pub struct RequestUser(Arc<Mutex<Option<Option<User>>>>);

impl RequestUser {
    fn known(&self) -> Option<Option<User>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn remember(&self, user: Option<User>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(user);
    }

    /// After a login or logout the request's account is looked up again.
    fn forget(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// This request's `RequestUser`, when the server gave it one.
async fn request_user() -> Option<RequestUser> {
    leptos_axum::extract::<Extension<RequestUser>>()
        .await
        .ok()
        .map(|Extension(user)| user)
}

/// The signed-in account, or `None` for a visitor. A session past its
/// absolute lifetime, or whose account is gone, is ended here. Looked up
/// once per request.
pub async fn current_user(state: &AppState) -> Result<Option<User>, AppError> {
    let request_user = request_user().await;
    if let Some(known) = request_user.as_ref().and_then(RequestUser::known) {
        return Ok(known);
    }
    let session = current().await?;
    let user = user_of_session(state, &session).await?;
    if let Some(request_user) = request_user {
        request_user.remember(user.clone());
    }
    Ok(user)
}

/// The account signed in to `session`, for handlers outside Leptos. Both the
/// session and the account are usually in memory (see `signed_in`), so this
/// reads nothing from PostgreSQL. A session signed in before the account's
/// password last changed is ended here.
pub async fn user_of_session(state: &AppState, session: &Session) -> Result<Option<User>, AppError> {
    let Some(user_id) = session.get::<Uuid>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let authenticated_at = session.get::<i64>(AUTHENTICATED_AT_KEY).await?.unwrap_or(0);
    let age_secs = OffsetDateTime::now_utc().unix_timestamp() - authenticated_at;
    if age_secs > state.auth.absolute_session_timeout.whole_seconds() {
        sign_out(session).await?;
        return Ok(None);
    }
    let generation = session.get::<i32>(GENERATION_KEY).await?.unwrap_or(0);
    match state.signed_in.account(&state.pool, user_id).await? {
        Some(account) if account.session_generation == generation => Ok(Some(account.user)),
        // The account is gone, or its password changed since this session
        // signed in.
        _ => {
            sign_out(session).await?;
            Ok(None)
        }
    }
}

/// The signed-in account, or `Unauthenticated`.
pub async fn require_user(state: &AppState) -> Result<User, AppError> {
    current_user(state).await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in account if it has at least `role`; `Forbidden` otherwise.
pub async fn require_role(state: &AppState, role: Role) -> Result<User, AppError> {
    let user = require_user(state).await?;
    if user.role >= role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
