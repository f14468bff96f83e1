//! Account server functions. Each one reads the state, parses its input into
//! domain types, and leaves the work to `db`, `password` and `session`.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use super::{DisplayName, Email, Password, User};
use crate::error::{AppError, FieldError};

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct RegisterInput {
    pub email: String,
    pub display_name: String,
    pub password: String,
    /// The page to go on to once the account exists (see `routes::after_sign_in`).
    #[serde(default)]
    pub next: Option<String>,
}

impl std::fmt::Debug for RegisterInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterInput")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

impl RegisterInput {
    /// Parses every field, reporting all problems at once rather than the first.
    pub fn parse(&self) -> Result<(Email, DisplayName, Password), AppError> {
        let email = Email::parse(&self.email);
        let display_name = DisplayName::parse(&self.display_name);
        let password = Password::parse(&self.password);
        match (email, display_name, password) {
            (Ok(email), Ok(display_name), Ok(password)) => Ok((email, display_name, password)),
            (email, display_name, password) => {
                let errors = [
                    ("email", email.err()),
                    ("display_name", display_name.err()),
                    ("password", password.err()),
                ]
                .into_iter()
                .filter_map(|(field, message)| {
                    message.map(|message| FieldError {
                        field: field.to_owned(),
                        message,
                    })
                })
                .collect();
                Err(AppError::Validation(errors))
            }
        }
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    /// The page the visitor was asked to log in for (see `routes::after_sign_in`).
    #[serde(default)]
    pub next: Option<String>,
}

impl std::fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginInput")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// Creates a learner's account and signs it in. Sign-ups are throttled per
/// client network: "this email already exists" answers whether an email has
/// an account, and the throttle bounds how fast anyone can ask.
#[server(endpoint = "register")]
pub async fn register(input: RegisterInput) -> Result<User, AppError> {
    use crate::{
        auth::{db, password, session, throttle},
        state::{app_state, client_ip},
    };

    let carried = (
        input.email.clone(),
        input.display_name.clone(),
        input.next.clone(),
    );
    let result = async move {
        let state = app_state()?;
        let (email, display_name, password) = input.parse()?;
        let network = throttle::client_network(&client_ip());
        throttle::check_and_record(
            &state.pool,
            &state.auth.throttle,
            throttle::NetworkRequest::Registration,
            &network,
        )
        .await?;
        let password_hash = password::hash_password(&password).await?;
        let user = db::create_account(&state.pool, &email, &display_name, &password_hash).await?;
        // A new account is at its first session generation.
        session::sign_in(&session::current().await?, user.id, 0).await?;
        tracing::info!(user_id = %user.id, role = user.role.as_str(), "account registered");
        Ok(user)
    }
    .await;
    match &result {
        Ok(_) => leptos_axum::redirect(crate::routes::after_sign_in(carried.2.as_deref())),
        Err(error) => back_to_the_form_with(error, &carried.0, &carried.1, carried.2.as_deref()),
    }
    result
}

/// A sign-up posted without JavaScript comes back to the form with its error,
/// and with the email and name in the address, so that the form is filled in
/// again, and where it was going. Never the password, nor a value longer
/// than its field takes (its error says so), which would only lengthen the
/// address.
#[cfg(feature = "ssr")]
fn back_to_the_form_with(error: &AppError, email: &str, display_name: &str, next: Option<&str>) {
    use super::{DisplayName, Email};
    let email = if email.len() <= Email::MAX_LENGTH {
        email
    } else {
        ""
    };
    let display_name = if display_name.len() <= DisplayName::MAX_BYTES {
        display_name
    } else {
        ""
    };
    let mut fields = vec![("email", email), ("display_name", display_name)];
    fields.extend(next.map(|next| ("next", next)));
    let form = crate::paging::address_with_query(crate::routes::REGISTER, &fields);
    crate::plain_post::back_to_the_form::<Register>(&form, error);
}

/// Signs in with email and password. Every failure gets the same message,
/// and attempts are throttled per account and client network (see `throttle`).
#[server(endpoint = "login")]
pub async fn login(input: LoginInput) -> Result<User, AppError> {
    let carried = (input.email.clone(), input.next.clone());
    let result = log_in(input).await;
    if let Err(error) = &result {
        // Posted without JavaScript, the form comes back with the email
        // filled in (never the password) and still on its way to `next`.
        let email = Some(carried.0.as_str()).filter(|email| email.len() <= super::Email::MAX_LENGTH);
        let mut fields = vec![("email", email.unwrap_or_default())];
        fields.extend(carried.1.as_deref().map(|next| ("next", next)));
        let form = crate::paging::address_with_query(crate::routes::LOGIN, &fields);
        crate::plain_post::back_to_the_form::<Login>(&form, error);
    }
    result
}

#[cfg(feature = "ssr")]
async fn log_in(input: LoginInput) -> Result<User, AppError> {
    use crate::{
        auth::{db, password, session, throttle},
        state::{app_state, client_ip},
    };

    // A field left empty is said next to it, as on the sign-up form; it is
    // no attempt at an account, so it is neither throttled nor verified.
    let mut empty = crate::ui::validate::FieldErrors::new();
    if input.email.trim().is_empty() {
        empty.add("email", crate::auth::messages::EMAIL_EMPTY);
    } else if input.email.trim().len() > crate::auth::Email::MAX_LENGTH {
        // No account has such an address, and the throttle's table cannot
        // key one (an index entry holds at most 8 KB).
        empty.add("email", crate::auth::messages::EMAIL_TOO_LONG);
    }
    if input.password.is_empty() {
        empty.add("password", crate::auth::messages::PASSWORD_EMPTY);
    }
    empty.into_result(())?;

    let state = app_state()?;
    // PostgreSQL text cannot hold NUL; such an email matches no account anyway.
    let account_key = input.email.trim().to_lowercase().replace('\0', "\u{fffd}");
    let network = throttle::client_network(&client_ip());
    let attempt_id =
        throttle::check_and_record_login_attempt(&state.pool, &state.auth.throttle, &account_key, &network)
            .await?;

    // A malformed email or an absurdly long password is just another wrong
    // answer: it is throttled and pays for a verification like any other.
    let credentials = match Email::parse(&input.email) {
        Ok(email) if input.password.chars().count() <= Password::MAX_CHARS => {
            db::find_credentials(&state.pool, &email).await?
        }
        _ => None,
    };
    let (account, stored_hash) = match credentials {
        Some(credentials) => (
            Some((credentials.user, credentials.session_generation)),
            Some(credentials.password_hash),
        ),
        None => (None, None),
    };
    let password_matches = password::verify_password(&input.password, stored_hash).await?;

    match account {
        Some((user, generation)) if password_matches => {
            throttle::record_success(&state.pool, &account_key, &network, Some(attempt_id)).await?;
            session::sign_in(&session::current().await?, user.id, generation).await?;
            tracing::info!(user_id = %user.id, "logged in");
            leptos_axum::redirect(crate::routes::after_sign_in(input.next.as_deref()));
            Ok(user)
        }
        _ => {
            tracing::info!(%network, "failed login");
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Ends the session everywhere: the record is deleted from the store. The
/// visitor lands on the home page, which is in the app shell (the login page
/// is a lazy route, whose code a signed-in page has not needed).
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth::session;

    session::sign_out(&session::current().await?).await?;
    leptos_axum::redirect(crate::routes::HOME);
    Ok(())
}

/// Sends a link to choose a new password to the address, if an account has
/// it. The answer is the same either way, and so is its timing (the account
/// is looked up, and the message sent, after the answer), so that the form
/// tells no one whether an address has an account. Requests are throttled per client network, and an
/// account is sent at most a few links an hour.
#[server(endpoint = "password-reset/request")]
pub async fn request_password_reset(input: super::ResetRequestInput) -> Result<(), AppError> {
    let typed_email = input.email.clone();
    let result = send_reset_link(input).await;
    match &result {
        Ok(()) => crate::plain_post::on_to_the_saved_page(&crate::routes::reset_link_sent(&typed_email)),
        Err(error) => {
            let email = Some(typed_email.as_str()).filter(|email| email.len() <= super::Email::MAX_LENGTH);
            let form = crate::routes::forgot_password_for(email.unwrap_or_default());
            crate::plain_post::back_to_the_form::<RequestPasswordReset>(&form, error);
        }
    }
    result
}

#[cfg(feature = "ssr")]
async fn send_reset_link(input: super::ResetRequestInput) -> Result<(), AppError> {
    use crate::{
        auth::{messages, throttle},
        state::{app_state, client_ip},
    };

    let email = input.parse()?;
    let state = app_state()?;
    let Some(mailer) = &state.mail else {
        return Err(AppError::field("email", messages::MAIL_UNAVAILABLE));
    };
    let network = throttle::client_network(&client_ip());
    throttle::check_and_record(
        &state.pool,
        &state.auth.throttle,
        throttle::NetworkRequest::PasswordReset,
        &network,
    )
    .await?;
    // Everything that depends on whether the address has an account happens
    // after the answer, so that not even its timing tells.
    let (pool, mailer) = (state.pool.clone(), mailer.clone());
    tokio::spawn(async move {
        if let Err(error) = send_reset_link_to_account(&pool, &mailer, &email).await {
            tracing::error!(?error, "reset link not sent");
        }
    });
    Ok(())
}

/// Makes and sends a reset link for the account at `email`, if there is one
/// and it has not had its few links this hour.
#[cfg(feature = "ssr")]
async fn send_reset_link_to_account(
    pool: &sqlx::PgPool,
    mailer: &crate::mail::Mailer,
    email: &super::Email,
) -> Result<(), AppError> {
    use crate::auth::{db, emailed_link, emails};

    let Some(account) = db::find_credentials(pool, email).await? else {
        tracing::info!("reset link asked for an address with no account");
        return Ok(());
    };
    let token = emailed_link::LinkToken::generate();
    let kept = db::keep_password_reset(
        pool,
        &account,
        &token.hash(),
        emailed_link::RESET_LIFETIME_MINUTES,
        emailed_link::MAX_PER_ACCOUNT_PER_HOUR,
    )
    .await?;
    let user = account.user;
    if !kept {
        tracing::info!(user_id = %user.id, "reset link not sent: the account had enough of them this hour");
        return Ok(());
    }
    let (subject, body) = emails::reset_link(
        &user.display_name,
        &user.email,
        &mailer.link(&crate::routes::reset_password(token.as_str())),
    );
    tracing::info!(user_id = %user.id, "sending a reset link");
    mailer.send_later(user.email, subject, body, "reset link");
    Ok(())
}

/// The address of the account a reset link works for, or none when it no
/// longer works: read when its page opens, so that an old link says so
/// before anyone types a new password. Reading it changes nothing.
#[server(endpoint = "password-reset/link", input = GetUrl)]
pub async fn reset_link_account(token: String) -> Result<Option<String>, AppError> {
    use crate::{
        auth::{db, emailed_link::LinkToken},
        state::app_state,
    };

    let Some(token) = LinkToken::parse(&token) else {
        return Ok(None);
    };
    db::password_reset_account(&app_state()?.pool, &token.hash()).await
}

/// Sets a new password through a reset link, which works once. Every
/// session of the account ends, as every other link does; this browser is
/// signed in to the account under a new session id, and goes to its
/// dashboard.
#[server(endpoint = "password-reset/complete")]
pub async fn reset_password(input: super::PasswordResetInput) -> Result<(), AppError> {
    let token = input.token.clone();
    let result = set_password_through_link(input).await;
    if let Err(error) = &result {
        // Without JavaScript, back to the link's page (never with the
        // password), or to the plain page for what was no token at all.
        let form = match crate::auth::link_token_fits(&token) {
            true => crate::routes::reset_password(&token),
            false => crate::routes::RESET_PASSWORD.to_owned(),
        };
        crate::plain_post::back_to_the_form::<ResetPassword>(&form, error);
    }
    result
}

#[cfg(feature = "ssr")]
async fn set_password_through_link(input: super::PasswordResetInput) -> Result<(), AppError> {
    use crate::{
        auth::{db, emailed_link::LinkToken, messages, password, session, throttle},
        state::{app_state, client_ip},
    };

    let link_no_longer_works = || AppError::field("token", messages::RESET_LINK_INVALID);
    let token = LinkToken::parse(&input.token).ok_or_else(link_no_longer_works)?;
    let state = app_state()?;
    // Checked before the password, whose hashing is slow, and whose error
    // would be no use with a link that no longer works.
    if db::password_reset_account(&state.pool, &token.hash())
        .await?
        .is_none()
    {
        return Err(link_no_longer_works());
    }
    let new_password = input.parse()?;
    let password_hash = password::hash_password(&new_password).await?;
    let (user_id, email, generation) = db::reset_password(&state.pool, &token.hash(), &password_hash)
        .await?
        .ok_or_else(link_no_longer_works)?;
    account_changed(&state, user_id).await;
    // As a login would: the owner's failed logins from here are forgiven.
    let network = throttle::client_network(&client_ip());
    throttle::record_success(&state.pool, &email, &network, None).await?;
    session::sign_in(&session::current().await?, user_id, generation).await?;
    tracing::info!(%user_id, "password reset through an emailed link; every other session ended");
    leptos_axum::redirect(crate::routes::DASHBOARD);
    Ok(())
}

/// Changes the name other people see (on shared decks, courses and classes).
#[server(endpoint = "account/name")]
pub async fn rename_account(input: super::RenameInput) -> Result<(), AppError> {
    let typed = input.display_name.clone();
    kept_if_refused::<RenameAccount>("name", typed, rename(input).await).await
}

#[cfg(feature = "ssr")]
async fn rename(input: super::RenameInput) -> Result<(), AppError> {
    use crate::{
        auth::{db, session},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let display_name = input.parse()?;
    db::rename_account(&state.pool, user.id, &display_name).await?;
    account_changed(&state, user.id).await;
    crate::plain_post::back_saying_saved(super::NAME_SAVED, crate::routes::SETTINGS);
    Ok(())
}

/// `result` of the account form `form`, once what was `typed` in it is kept
/// if it was refused.
///
/// Without JavaScript, a refused form of the account's goes back to the
/// settings page with what was typed in it, kept in the session (an address
/// could be forged to fill in another address for someone to confirm with
/// their password) beside its error.
#[cfg(feature = "ssr")]
async fn kept_if_refused<F: leptos::server_fn::ServerFn>(
    form: &str,
    typed: String,
    result: Result<(), AppError>,
) -> Result<(), AppError> {
    use crate::{routes, unsaved};
    if let Err(error) = &result {
        let form_address = routes::with_query(routes::SETTINGS, &[(unsaved::ACCOUNT_FORM_PARAMETER, form)]);
        unsaved::keep_for_the_form::<F>(
            unsaved::account_form(form),
            &form_address,
            vec![typed],
            String::new(),
            error,
        )
        .await;
    }
    result
}

/// Moves the account to another email address, the one it then logs in with.
/// The password confirms it (throttled like a login), so that a session left
/// open is not enough to take the account away. A server that sends email
/// sends a link to the new address, and the account moves when it is opened
/// (`confirm_email_change`): an address mistyped, or one its owner cannot
/// read, never becomes the only way into the account. A server that sends
/// none moves it at once, having no other way to.
#[server(endpoint = "account/email")]
pub async fn change_email(input: super::EmailChangeInput) -> Result<(), AppError> {
    let typed = input.email.clone();
    kept_if_refused::<ChangeEmail>("email", typed, ask_to_change_email(input).await).await
}

#[cfg(feature = "ssr")]
async fn ask_to_change_email(input: super::EmailChangeInput) -> Result<(), AppError> {
    use crate::{
        auth::{confirm::confirm_own_password, db, emailed_link, emails, messages, session, throttle},
        state::{app_state, client_ip},
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let email = input.parse(&user.email)?;
    confirm_own_password(&state, &user, &input.password, "password").await?;
    // Counted before the address is looked up: the answer tells whether an
    // account has it, so this is not a way to ask that of many addresses.
    throttle::check_and_record(
        &state.pool,
        &state.auth.throttle,
        throttle::NetworkRequest::EmailChange,
        &throttle::client_network(&client_ip()),
    )
    .await?;
    match &state.mail {
        Some(mailer) => {
            let token = emailed_link::LinkToken::generate();
            let kept = db::keep_email_change(
                &state.pool,
                user.id,
                &email,
                &token.hash(),
                emailed_link::EMAIL_CHANGE_LIFETIME_MINUTES,
                emailed_link::MAX_PER_ACCOUNT_PER_HOUR,
            )
            .await?;
            if !kept {
                return Err(AppError::field("email", messages::EMAIL_LINKS_ENOUGH));
            }
            let (subject, body) = emails::confirm_new_address(
                &user.display_name,
                &user.email,
                email.as_str(),
                &mailer.link(&crate::routes::confirm_email(token.as_str())),
            );
            tracing::info!(user_id = %user.id, "sending a link to confirm a new address");
            mailer.send_later(
                email.as_str().to_owned(),
                subject,
                body,
                "address confirmation link",
            );
        }
        None => {
            db::change_email(&state.pool, user.id, &email).await?;
            account_changed(&state, user.id).await;
            tracing::info!(user_id = %user.id, "email changed");
        }
    }
    crate::plain_post::back_saying_saved(super::EMAIL_SAVED, crate::routes::SETTINGS);
    Ok(())
}

/// Withdraws the account's waiting change of address: the link sent for it
/// stops working, and the account keeps the address it has.
#[server(endpoint = "account/email/cancel")]
pub async fn cancel_email_change() -> Result<(), AppError> {
    use crate::{
        auth::{db, session},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    // A page shown before the change was confirmed (in another tab, say)
    // must not say the old address was kept.
    if !db::cancel_email_change(&state.pool, user.id).await? {
        let error = AppError::Conflict(super::messages::NO_EMAIL_CHANGE_WAITING.to_owned());
        crate::plain_post::back_to_the_form::<CancelEmailChange>(crate::routes::SETTINGS, &error);
        return Err(error);
    }
    crate::plain_post::back_saying_saved(super::EMAIL_CHANGE_CANCELLED, crate::routes::SETTINGS);
    Ok(())
}

/// The addresses a link that confirms a new address moves its account
/// between (from, then to), or none when it no longer works: read when its
/// page opens. Reading it changes nothing.
#[server(endpoint = "account/email/link", input = GetUrl)]
pub async fn email_change_link(token: String) -> Result<Option<(String, String)>, AppError> {
    use crate::{
        auth::{db, emailed_link::LinkToken},
        state::app_state,
    };

    let Some(token) = LinkToken::parse(&token) else {
        return Ok(None);
    };
    db::email_change_link(&app_state()?.pool, &token.hash()).await
}

/// Moves the account to its new address through the link sent there, which
/// works once. Whoever opens it need not be signed in: the password was
/// confirmed when the change was asked for, and the link shows the new
/// inbox is its owner's. The old address is told, as the one warning its
/// owner gets if someone else moved the account.
#[server(endpoint = "account/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let result = move_to_confirmed_address(&token).await;
    match &result {
        Ok(()) => crate::plain_post::on_to_the_saved_page(&crate::routes::email_confirmed()),
        Err(error) => {
            let form = match crate::auth::link_token_fits(&token) {
                true => crate::routes::confirm_email(&token),
                false => crate::routes::CONFIRM_EMAIL.to_owned(),
            };
            crate::plain_post::back_to_the_form::<ConfirmEmailChange>(&form, error);
        }
    }
    result
}

#[cfg(feature = "ssr")]
async fn move_to_confirmed_address(token: &str) -> Result<(), AppError> {
    use crate::{
        auth::{db, emailed_link::LinkToken, emails, messages},
        state::app_state,
    };

    let link_no_longer_works = || AppError::field("token", messages::EMAIL_LINK_INVALID);
    let token = LinkToken::parse(token).ok_or_else(link_no_longer_works)?;
    let state = app_state()?;
    let moved = db::confirm_email_change(&state.pool, &token.hash())
        .await?
        .ok_or_else(link_no_longer_works)?;
    account_changed(&state, moved.user_id).await;
    tracing::info!(user_id = %moved.user_id, "email changed through the link sent to the new address");
    if let Some(mailer) = &state.mail {
        let (subject, body) = emails::email_changed(&moved.display_name, &moved.old_email, &moved.new_email);
        mailer.send_later(moved.old_email.clone(), subject, body, "email change notice");
    }
    Ok(())
}

/// Changes the password, confirmed by the current one (throttled like a
/// login). Every other session of the account ends; this one is signed in
/// again under a new id.
#[server(endpoint = "account/password")]
pub async fn change_password(input: super::PasswordChangeInput) -> Result<(), AppError> {
    use crate::{
        auth::{confirm::confirm_own_password, db, emails, password, session},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let new_password = input.parse()?;
    confirm_own_password(&state, &user, &input.current_password, "current_password").await?;
    let password_hash = password::hash_password(&new_password).await?;
    let generation = db::change_password(&state.pool, user.id, &password_hash).await?;
    account_changed(&state, user.id).await;
    session::sign_in(&session::current().await?, user.id, generation).await?;
    tracing::info!(user_id = %user.id, "password changed; other sessions ended");
    if let Some(mailer) = &state.mail {
        let forgot_password = mailer.link(crate::routes::FORGOT_PASSWORD);
        let (subject, body) = emails::password_changed(&user.display_name, &user.email, &forgot_password);
        mailer.send_later(user.email.clone(), subject, body, "password change notice");
    }
    crate::plain_post::back_saying_saved(super::PASSWORD_SAVED, crate::routes::SETTINGS);
    Ok(())
}

/// This server's copy of the account goes at once, so that the answer to
/// the change already shows it; the other servers' goes when the database's
/// notice reaches them (`signed_in`).
#[cfg(feature = "ssr")]
async fn account_changed(state: &crate::state::AppState, user_id: uuid::Uuid) {
    state.signed_in.accounts.forget(&user_id).await;
}

/// Who is signed in, if anyone.
#[server(endpoint = "me", input = GetUrl)]
pub async fn current_user() -> Result<Option<User>, AppError> {
    use crate::{auth::session, state::app_state};

    session::current_user(&app_state()?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_reports_every_invalid_field_at_once() {
        let input = RegisterInput {
            email: "not-an-email".into(),
            display_name: " ".into(),
            password: "short".into(),
            next: None,
        };
        let error = input.parse().unwrap_err();
        for field in ["email", "display_name", "password"] {
            assert!(error.field_message(field).is_some(), "{field} has no message");
        }
    }

    #[test]
    fn login_input_debug_output_hides_the_password() {
        let input = LoginInput {
            email: "a@b.co".into(),
            password: "hunter2hunter2".into(),
            next: None,
        };
        assert!(!format!("{input:?}").contains("hunter2"));
    }
}
