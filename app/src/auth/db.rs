//! Account queries.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::{messages, DisplayName, Email, Role, User};
use crate::error::AppError;

/// Creates a learner's account. Sign-up never makes an admin: admins come
/// only from `server create-admin` (or the demo seed), so whoever reaches a
/// fresh instance first cannot take it over.
pub async fn create_account(
    pool: &PgPool,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
) -> Result<User, AppError> {
    let user = sqlx::query_as!(
        User,
        r#"
        insert into users (email, display_name, password_hash, role)
        values ($1, $2, $3, 'learner')
        returning id, email, display_name, role as "role: Role"
        "#,
        email.as_str(),
        display_name.as_str(),
        password_hash,
    )
    .fetch_one(pool)
    .await
    .map_err(email_taken_as("email", messages::EMAIL_TAKEN))?;
    Ok(user)
}

/// Creates an account with a given role, or gives an existing account that
/// role and a new password, which ends its sessions as any new password does.
/// Used by the `create-admin` command and the demo seed.
pub async fn upsert_account_with_role(
    executor: impl PgExecutor<'_>,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
    role: Role,
) -> Result<User, AppError> {
    let user = sqlx::query_as!(
        User,
        r#"
        insert into users (email, display_name, password_hash, role)
        values ($1, $2, $3, $4)
        on conflict on constraint users_email_key do update
            set password_hash = excluded.password_hash, role = excluded.role,
                session_generation = users.session_generation + 1, updated_at = now()
        returning id, email, display_name, role as "role: Role"
        "#,
        email.as_str(),
        display_name.as_str(),
        password_hash,
        role as Role,
    )
    .fetch_one(executor)
    .await?;
    Ok(user)
}

/// Reads the database's refusal of an address another account has as
/// `message` beside `field` (the form's address, or an emailed link).
fn email_taken_as(field: &'static str, message: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |error| match &error {
        sqlx::Error::Database(db_error) if db_error.constraint() == Some("users_email_key") => {
            AppError::field(field, message)
        }
        _ => AppError::from(error),
    }
}

pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// What a session signed in now keeps (see [`Account`]).
    pub session_generation: i32,
}

pub async fn find_credentials(pool: &PgPool, email: &Email) -> Result<Option<Credentials>, AppError> {
    let row = sqlx::query!(
        r#"select id, email, display_name, role as "role: Role", password_hash, session_generation
           from users where email = $1"#,
        email.as_str(),
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| Credentials {
        user: User {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: row.role,
        },
        password_hash: row.password_hash,
        session_generation: row.session_generation,
    }))
}

/// An account as the server checks a session against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user: User,
    /// Moves on when the password changes: a session signed in under an
    /// earlier generation is over (`session::user_of_session`).
    pub session_generation: i32,
}

pub async fn find_account(pool: &PgPool, user_id: Uuid) -> Result<Option<Account>, AppError> {
    let row = sqlx::query!(
        r#"select id, email, display_name, role as "role: Role", session_generation
           from users where id = $1"#,
        user_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| Account {
        user: User {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: row.role,
        },
        session_generation: row.session_generation,
    }))
}

/// Gives the account the name other people see.
pub async fn rename_account(
    pool: &PgPool,
    user_id: Uuid,
    display_name: &DisplayName,
) -> Result<(), AppError> {
    sqlx::query!(
        "update users set display_name = $2, updated_at = now() where id = $1",
        user_id,
        display_name.as_str(),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Moves the account to another email address, which is what it logs in
/// with; an address another account has is a field error. Reset links sent
/// to the old address end for good (they would work again were the account
/// to move back).
pub async fn change_email(pool: &PgPool, user_id: Uuid, email: &Email) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update users set email = $2, updated_at = now() where id = $1",
        user_id,
        email.as_str(),
    )
    .execute(&mut *tx)
    .await
    .map_err(email_taken_as("email", messages::EMAIL_IN_USE))?;
    sqlx::query!(
        "update password_resets set used_at = now() where user_id = $1 and used_at is null",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a new password hash and moves the account's session generation
/// on, which ends every session signed in before. Answers the new
/// generation, for the session that made the change to keep.
pub async fn change_password(pool: &PgPool, user_id: Uuid, password_hash: &str) -> Result<i32, AppError> {
    let generation = sqlx::query_scalar!(
        r#"update users
           set password_hash = $2, session_generation = session_generation + 1, updated_at = now()
           where id = $1
           returning session_generation"#,
        user_id,
        password_hash,
    )
    .fetch_optional(pool)
    .await?;
    generation.ok_or(AppError::Unauthenticated)
}

/// The stored password hash of `user_id`, if the account still exists.
pub async fn find_password_hash(pool: &PgPool, user_id: Uuid) -> Result<Option<String>, AppError> {
    let hash = sqlx::query_scalar!("select password_hash from users where id = $1", user_id)
        .fetch_optional(pool)
        .await?;
    Ok(hash)
}

/// Keeps a new password-reset link for the account (by its token's hash),
/// valid for `lifetime_minutes` while the account keeps `email` and
/// `session_generation`, unless the account has been sent `max_per_hour`
/// links within the last hour. Answers whether it was kept, and so is to be
/// sent. The account's row is locked meanwhile, so that requests at once
/// cannot each see room for one more.
pub async fn keep_password_reset(
    pool: &PgPool,
    account: &Credentials,
    token_hash: &[u8],
    lifetime_minutes: i32,
    max_per_hour: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("select id from users where id = $1 for update", account.user.id)
        .fetch_optional(&mut *tx)
        .await?;
    let sent_lately = sqlx::query_scalar!(
        r#"select count(*) as "count!" from password_resets
           where user_id = $1 and created_at > now() - interval '1 hour'"#,
        account.user.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if sent_lately >= max_per_hour {
        return Ok(false);
    }
    sqlx::query!(
        r#"insert into password_resets (token_hash, user_id, email, session_generation, expires_at)
           values ($1, $2, $3, $4, now() + make_interval(mins => $5))"#,
        token_hash,
        account.user.id,
        account.user.email,
        account.session_generation,
        lifetime_minutes,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The email address of the account a reset link still works for: not used,
/// not expired, and the account still at the address and the password it
/// had when the link was sent.
pub async fn password_reset_account(pool: &PgPool, token_hash: &[u8]) -> Result<Option<String>, AppError> {
    let email = sqlx::query_scalar!(
        r#"select users.email from password_resets
           join users on users.id = password_resets.user_id
               and users.email = password_resets.email
               and users.session_generation = password_resets.session_generation
           where token_hash = $1 and used_at is null and expires_at > now()"#,
        token_hash,
    )
    .fetch_optional(pool)
    .await?;
    Ok(email)
}

/// Uses a reset link that still works (see [`password_reset_account`]):
/// marks it used, stores the new password hash and moves the account's
/// session generation on, which ends every session and every other link.
/// Answers the account, its address and its new generation, or nothing when
/// the link no longer works. Of two uses of one link at once, the second
/// waits on the first's lock on the link and then finds it used. Of two links
/// of one account used at once (or a link and a new password from the
/// settings page), the second waits on the first's lock on the account and
/// then finds its generation moved on: it changes nothing.
pub async fn reset_password(
    pool: &PgPool,
    token_hash: &[u8],
    password_hash: &str,
) -> Result<Option<(Uuid, String, i32)>, AppError> {
    let row = sqlx::query!(
        r#"with used as (
               update password_resets set used_at = now()
               from users
               where token_hash = $1 and used_at is null and expires_at > now()
                 and users.id = password_resets.user_id
                 and users.email = password_resets.email
                 and users.session_generation = password_resets.session_generation
               returning password_resets.user_id, password_resets.session_generation
           )
           update users
           set password_hash = $2, session_generation = users.session_generation + 1, updated_at = now()
           from used
           where users.id = used.user_id and users.session_generation = used.session_generation
           returning users.id, users.email, users.session_generation"#,
        token_hash,
        password_hash,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.id, row.email, row.session_generation)))
}

/// Keeps a link that moves the account from the address it has to
/// `new_email` once opened (by its token's hash), valid for
/// `lifetime_minutes` while the account keeps its address and password.
/// Links asked for before it stop working: the newest request is the one
/// that counts. Answers whether it was kept, which it is not once the
/// account has been sent `max_per_hour` such links within the hour, or when
/// another account has the address (a field error). The account's row is
/// locked meanwhile, so that requests at once cannot each see room for one
/// more.
pub async fn keep_email_change(
    pool: &PgPool,
    user_id: Uuid,
    new_email: &Email,
    token_hash: &[u8],
    lifetime_minutes: i32,
    max_per_hour: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let account = sqlx::query!(
        "select email, session_generation from users where id = $1 for update",
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Unauthenticated)?;
    let address_taken = sqlx::query_scalar!(
        r#"select exists (select 1 from users where email = $1) as "taken!""#,
        new_email.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    if address_taken {
        return Err(AppError::field("email", messages::EMAIL_IN_USE));
    }
    let sent_lately = sqlx::query_scalar!(
        r#"select count(*) as "count!" from email_changes
           where user_id = $1 and created_at > now() - interval '1 hour'"#,
        user_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if sent_lately >= max_per_hour {
        return Ok(false);
    }
    sqlx::query!(
        "update email_changes set used_at = now() where user_id = $1 and used_at is null",
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into email_changes
               (token_hash, user_id, old_email, new_email, session_generation, expires_at)
           values ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))"#,
        token_hash,
        user_id,
        account.email,
        new_email.as_str(),
        account.session_generation,
        lifetime_minutes,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The address the account has asked to move to and whose link still
/// works (SQL `email_changes_that_work`), if any.
pub async fn waiting_email_change(pool: &PgPool, user_id: Uuid) -> Result<Option<String>, AppError> {
    let waiting = sqlx::query_scalar!(
        r#"select new_email as "new_email!" from email_changes_that_work
           where user_id = $1
           order by created_at desc
           limit 1"#,
        user_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(waiting)
}

/// The addresses an address-change link still moves an account between
/// (SQL `email_changes_that_work` says when it works): from, then to.
pub async fn email_change_link(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query!(
        r#"select old_email as "old_email!", new_email as "new_email!" from email_changes_that_work
           where token_hash = $1"#,
        token_hash,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| (row.old_email, row.new_email)))
}

/// An account moved to a new address by its link.
pub struct ConfirmedEmailChange {
    pub user_id: Uuid,
    pub display_name: String,
    pub old_email: String,
    pub new_email: String,
}

/// Uses an address-change link that still works (the rule of
/// `email_changes_that_work`, written out on the link's row itself, so that
/// a use that waited for another's lock checks the row as that one left it):
/// marks it used and moves
/// the account to the new address, which ends the reset links sent to the
/// old one. Answers what moved, or nothing when the link no longer works;
/// an address another account has taken since is a field error of the
/// link's, and changes nothing. Of two uses of one link at once, the second
/// waits on the first's lock on the link and then finds it used.
pub async fn confirm_email_change(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<ConfirmedEmailChange>, AppError> {
    let mut tx = pool.begin().await?;
    let confirmed = sqlx::query_as!(
        ConfirmedEmailChange,
        r#"with used as (
               update email_changes set used_at = now()
               from users
               where token_hash = $1 and used_at is null and expires_at > now()
                 and users.id = email_changes.user_id
                 and users.email = email_changes.old_email
                 and users.session_generation = email_changes.session_generation
               returning email_changes.user_id, email_changes.old_email, email_changes.new_email
           )
           update users set email = used.new_email, updated_at = now()
           from used
           where users.id = used.user_id and users.email = used.old_email
           returning users.id as user_id, users.display_name, used.old_email, used.new_email"#,
        token_hash,
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(email_taken_as("token", messages::EMAIL_TAKEN_SINCE))?;
    let Some(confirmed) = confirmed else {
        return Ok(None);
    };
    sqlx::query!(
        "update password_resets set used_at = now() where user_id = $1 and used_at is null",
        confirmed.user_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(confirmed))
}

/// Withdraws the account's waiting address change: its link stops working.
/// Answers whether there was one that still worked (the statement's view
/// sees the links as they were before this update).
pub async fn cancel_email_change(pool: &PgPool, user_id: Uuid) -> Result<bool, AppError> {
    let waiting = sqlx::query_scalar!(
        r#"with withdrawn as (
               update email_changes set used_at = now() where user_id = $1 and used_at is null
               returning token_hash
           )
           select exists (
               select 1 from withdrawn join email_changes_that_work using (token_hash)
           ) as "waiting!""#,
        user_id,
    )
    .fetch_one(pool)
    .await?;
    Ok(waiting)
}
