//! Failed-login throttling, per account and per client address.
//!
//! Failures are rows in PostgreSQL rather than counters in memory, so the
//! limit holds across any number of server replicas and survives restarts.

use std::time::Duration;

use sqlx::PgPool;

use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct ThrottlePolicy {
    /// Failures older than this are forgotten.
    pub window: Duration,
    /// Failures allowed for one email within the window (guessing one account).
    pub max_failures_per_account: i64,
    /// Failures allowed from one address within the window (trying many accounts).
    pub max_failures_per_ip: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::from_secs(15 * 60),
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
        }
    }
}

/// `TooManyRequests` when either limit is reached, with how long to wait
/// until the oldest counted failure leaves the window.
pub async fn check(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    account_key: &str,
    client_ip: &str,
) -> Result<(), AppError> {
    let window_secs = policy.window.as_secs_f64();
    let counts = sqlx::query!(
        r#"
        select
            count(*) filter (where account_key = $1) as "account_failures!",
            count(*) filter (where client_ip = $2) as "ip_failures!",
            extract(epoch from min(failed_at) filter (where account_key = $1)
                + make_interval(secs => $3) - now())::float8 as account_wait_secs,
            extract(epoch from min(failed_at) filter (where client_ip = $2)
                + make_interval(secs => $3) - now())::float8 as ip_wait_secs
        from login_failures
        where (account_key = $1 or client_ip = $2)
          and failed_at > now() - make_interval(secs => $3)
        "#,
        account_key,
        client_ip,
        window_secs,
    )
    .fetch_one(pool)
    .await?;

    let limits_reached = [
        (
            counts.account_failures >= policy.max_failures_per_account,
            counts.account_wait_secs,
        ),
        (
            counts.ip_failures >= policy.max_failures_per_ip,
            counts.ip_wait_secs,
        ),
    ];
    let longest_wait_secs = limits_reached
        .into_iter()
        .filter_map(|(reached, wait_secs)| {
            if reached {
                Some(wait_secs.unwrap_or(1.0))
            } else {
                None
            }
        })
        .reduce(f64::max);
    match longest_wait_secs {
        Some(secs) => Err(AppError::TooManyRequests {
            retry_after_secs: secs.ceil().max(1.0) as u64,
        }),
        None => Ok(()),
    }
}

/// Counts an attempt as a failure until it is known to have succeeded.
/// Recording before the (slow) password check means parallel guesses see
/// each other, so a burst cannot slip past the limit. Returns the row's id.
pub async fn record_attempt(pool: &PgPool, account_key: &str, client_ip: &str) -> Result<i64, AppError> {
    let id = sqlx::query_scalar!(
        "insert into login_failures (account_key, client_ip) values ($1, $2) returning id",
        account_key,
        client_ip,
    )
    .fetch_one(pool)
    .await?;
    Ok(id)
}

/// A successful login forgives the account's failures (and withdraws the
/// attempt itself), but not the address's other failures: one good password
/// must not reset a spray across many accounts.
pub async fn record_success(pool: &PgPool, account_key: &str, attempt_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        "delete from login_failures where account_key = $1 or id = $2",
        account_key,
        attempt_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes failures that no window can count any more.
pub async fn prune(pool: &PgPool, policy: &ThrottlePolicy) -> Result<u64, AppError> {
    let deleted = sqlx::query!(
        "delete from login_failures where failed_at < now() - make_interval(secs => $1)",
        policy.window.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    Ok(deleted.rows_affected())
}
