//! Re-entering one's own password to confirm a sensitive action (changing a
//! role, one's own email or password). A stolen or forgotten-open session alone is then not enough, and
//! guesses are throttled exactly like logins, on the same counts.

use super::{db, messages, password, throttle, User};
use crate::{
    error::AppError,
    state::{client_ip, AppState},
};

/// `Ok` when `candidate` is `user`'s password; a field error on `field`
/// when it is missing or wrong; `TooManyRequests` once throttled.
pub async fn confirm_own_password(
    state: &AppState,
    user: &User,
    candidate: &str,
    field: &'static str,
) -> Result<(), AppError> {
    if candidate.is_empty() {
        return Err(AppError::field(field, messages::CONFIRM_PASSWORD_EMPTY));
    }
    // The login throttle's key for this account is its (normalised) email.
    let account_key = user.email.as_str();
    let network = throttle::client_network(&client_ip());
    let attempt_id =
        throttle::check_and_record_login_attempt(&state.pool, &state.auth.throttle, account_key, &network)
            .await?;
    let stored_hash = db::find_password_hash(&state.pool, user.id).await?;
    if password::verify_password(candidate, stored_hash).await? {
        throttle::record_success(&state.pool, account_key, &network, Some(attempt_id)).await?;
        Ok(())
    } else {
        tracing::info!(user_id = %user.id, %network, "wrong password when confirming an action");
        Err(AppError::field(field, messages::CONFIRM_PASSWORD_WRONG))
    }
}
