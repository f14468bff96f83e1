//! Throttling of password guesses and sign-ups, per client network.
//!
//! The login policy (documented in the README's security section):
//!
//! - **One network, one account**: `max_failures_per_account_and_network`
//!   failures are free; after that each attempt waits `first_delay`, doubled
//!   for every further failure, up to the whole window. This stops a guesser
//!   without locking the owner out from anywhere else.
//! - **One network, many accounts** (a spray): at most
//!   `max_failures_per_network` failures within the window.
//! - **Many networks, one account** (a distributed attack): at most
//!   `max_failures_per_account` failures within the window, a ceiling high
//!   enough that a stranger alone cannot reach it.
//!
//! The last two do not apply on a network the account logged in from
//! successfully in the past 30 days, so a spray from a shared NAT or a botnet
//! does not lock the owner out where they usually log in; the first still does.
//!
//! Attempts are rows in PostgreSQL, so the limits hold across replicas and
//! restarts. Checking and counting happen in one transaction under advisory
//! locks, so parallel guesses queue and each one sees the ones before it.

use std::{
    net::{IpAddr, Ipv6Addr},
    time::Duration,
};

use sqlx::{PgPool, Postgres, Transaction};

use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct ThrottlePolicy {
    /// Failures older than this are forgotten.
    pub window: Duration,
    /// Failures of one account from one network before delays begin.
    pub max_failures_per_account_and_network: i64,
    /// The wait after the first failure beyond the free ones; it doubles for
    /// each further failure, up to `window`.
    pub first_delay: Duration,
    /// Failures of one account from every network together (distributed guessing).
    pub max_failures_per_account: i64,
    /// Failures from one network across all accounts (spraying many accounts).
    pub max_failures_per_network: i64,
    /// Sign-ups counted per network within `registration_window`.
    pub max_registrations_per_network: i64,
    pub registration_window: Duration,
    /// Requests for a password-reset link per network within
    /// `registration_window`, whether or not the address has an account.
    pub max_reset_requests_per_network: i64,
    /// Requests to move an account to another address per network within
    /// `registration_window`: each one answers whether an account has that
    /// address, as a sign-up does, so it is counted like one.
    pub max_email_changes_per_network: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::from_secs(15 * 60),
            max_failures_per_account_and_network: 5,
            first_delay: Duration::from_secs(60),
            max_failures_per_account: 100,
            max_failures_per_network: 50,
            max_registrations_per_network: 30,
            registration_window: Duration::from_secs(60 * 60),
            max_reset_requests_per_network: 10,
            max_email_changes_per_network: 10,
        }
    }
}

/// How long a network counts as an account's usual one after a successful login.
const USUAL_NETWORK_DAYS: i32 = 30;

/// Advisory-lock classes. Locks are always taken in this order (account,
/// then network), so two attempts can never wait for each other in a cycle.
const LOCK_ACCOUNT: i32 = 1;
const LOCK_LOGIN_NETWORK: i32 = 2;
const LOCK_REGISTRATION_NETWORK: i32 = 3;
const LOCK_RESET_REQUEST_NETWORK: i32 = 4;
const LOCK_EMAIL_CHANGE_NETWORK: i32 = 5;

/// The network a client is counted by: an IPv4 address itself, an IPv6
/// address by its /64 (one subscriber usually holds a whole /64), an
/// IPv4-mapped IPv6 address as the IPv4 address. Anything unreadable is kept
/// as it is.
pub fn client_network(client_ip: &str) -> String {
    match client_ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & (u128::MAX << 64);
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        },
        Err(_) => client_ip.to_owned(),
    }
}

/// What the window holds for one login attempt, ages in seconds before now.
#[derive(Debug, Clone, Default, PartialEq)]
struct LoginHistory {
    pair_failures: i64,
    pair_latest_age_secs: Option<f64>,
    account_failures: i64,
    account_oldest_age_secs: Option<f64>,
    network_failures: i64,
    network_oldest_age_secs: Option<f64>,
    usual_network: bool,
}

/// Seconds to wait before another attempt is allowed, or `None` to go ahead.
fn login_wait_secs(policy: &ThrottlePolicy, history: &LoginHistory) -> Option<f64> {
    let window_secs = policy.window.as_secs_f64();
    let mut waits = Vec::new();
    let extra_failures = history.pair_failures - policy.max_failures_per_account_and_network;
    if extra_failures >= 0 {
        let doublings = extra_failures.min(30) as i32;
        let delay_secs = (policy.first_delay.as_secs_f64() * 2f64.powi(doublings)).min(window_secs);
        waits.push(delay_secs - history.pair_latest_age_secs.unwrap_or(0.0));
    }
    if !history.usual_network {
        if history.account_failures >= policy.max_failures_per_account {
            waits.push(window_secs - history.account_oldest_age_secs.unwrap_or(0.0));
        }
        if history.network_failures >= policy.max_failures_per_network {
            waits.push(window_secs - history.network_oldest_age_secs.unwrap_or(0.0));
        }
    }
    waits.into_iter().filter(|secs| *secs > 0.0).reduce(f64::max)
}

fn too_many_requests(wait_secs: f64) -> AppError {
    AppError::TooManyRequests {
        retry_after_secs: wait_secs.ceil().max(1.0) as u64,
    }
}

async fn advisory_lock(tx: &mut Transaction<'_, Postgres>, class: i32, key: &str) -> Result<(), AppError> {
    sqlx::query!("select pg_advisory_xact_lock($1, hashtext($2))", class, key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Checks the limits for a password attempt on `account_key` from `network`
/// and, if it may go ahead, counts it as a failure until it is known to have
/// succeeded. Returns the attempt's id for [`record_success`].
///
/// Both steps run in one transaction holding locks on the account and the
/// network, so 20 parallel guesses are checked one after another.
pub async fn check_and_record_login_attempt(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    account_key: &str,
    network: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    advisory_lock(&mut tx, LOCK_ACCOUNT, account_key).await?;
    advisory_lock(&mut tx, LOCK_LOGIN_NETWORK, network).await?;
    let row = sqlx::query!(
        r#"
        select
            count(*) filter (where account_key = $1 and client_ip = $2) as "pair_failures!",
            extract(epoch from now() - max(failed_at) filter (where account_key = $1 and client_ip = $2))::float8
                as pair_latest_age_secs,
            count(*) filter (where account_key = $1) as "account_failures!",
            extract(epoch from now() - min(failed_at) filter (where account_key = $1))::float8
                as account_oldest_age_secs,
            count(*) filter (where client_ip = $2) as "network_failures!",
            extract(epoch from now() - min(failed_at) filter (where client_ip = $2))::float8
                as network_oldest_age_secs,
            exists (
                select 1 from login_usual_networks u
                where u.account_key = $1 and u.client_ip = $2
                  and u.last_success_at > now() - make_interval(days => $4)
            ) as "usual_network!"
        from login_failures
        where (account_key = $1 or client_ip = $2)
          and failed_at > now() - make_interval(secs => $3)
        "#,
        account_key,
        network,
        policy.window.as_secs_f64(),
        USUAL_NETWORK_DAYS,
    )
    .fetch_one(&mut *tx)
    .await?;
    let history = LoginHistory {
        pair_failures: row.pair_failures,
        pair_latest_age_secs: row.pair_latest_age_secs,
        account_failures: row.account_failures,
        account_oldest_age_secs: row.account_oldest_age_secs,
        network_failures: row.network_failures,
        network_oldest_age_secs: row.network_oldest_age_secs,
        usual_network: row.usual_network,
    };
    if let Some(wait_secs) = login_wait_secs(policy, &history) {
        return Err(too_many_requests(wait_secs));
    }
    let attempt_id = sqlx::query_scalar!(
        "insert into login_failures (account_key, client_ip) values ($1, $2) returning id",
        account_key,
        network,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(attempt_id)
}

/// A successful login forgives this account's failures from this network
/// (and withdraws the attempt itself, when there was one: a password reset
/// through an emailed link is a success without one) and makes the network a
/// usual one for the account. Failures from other networks stay: the owner
/// logging in must not hand a guesser elsewhere a fresh set of attempts.
pub async fn record_success(
    pool: &PgPool,
    account_key: &str,
    network: &str,
    attempt_id: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from login_failures where (account_key = $1 and client_ip = $2) or id = $3",
        account_key,
        network,
        attempt_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"
        insert into login_usual_networks (account_key, client_ip) values ($1, $2)
        on conflict (account_key, client_ip) do update set last_success_at = now()
        "#,
        account_key,
        network,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What is counted per client network within the registration window, each
/// against a limit of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkRequest {
    /// A sign-up attempt.
    Registration,
    /// A request for a password-reset link, for an address with an account
    /// or without, so that a refusal says nothing about either.
    PasswordReset,
    /// A signed-in account asking to move to another address.
    EmailChange,
}

impl NetworkRequest {
    /// Its name in `requests_per_network`.
    fn kind(self) -> &'static str {
        match self {
            NetworkRequest::Registration => "registration",
            NetworkRequest::PasswordReset => "password_reset",
            NetworkRequest::EmailChange => "email_change",
        }
    }

    fn limit(self, policy: &ThrottlePolicy) -> i64 {
        match self {
            NetworkRequest::Registration => policy.max_registrations_per_network,
            NetworkRequest::PasswordReset => policy.max_reset_requests_per_network,
            NetworkRequest::EmailChange => policy.max_email_changes_per_network,
        }
    }

    fn lock_class(self) -> i32 {
        match self {
            NetworkRequest::Registration => LOCK_REGISTRATION_NETWORK,
            NetworkRequest::PasswordReset => LOCK_RESET_REQUEST_NETWORK,
            NetworkRequest::EmailChange => LOCK_EMAIL_CHANGE_NETWORK,
        }
    }
}

/// Counts a `request` from `network`, or refuses it once the network has
/// made its limit of them within the registration window.
pub async fn check_and_record(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    request: NetworkRequest,
    network: &str,
) -> Result<(), AppError> {
    let window_secs = policy.registration_window.as_secs_f64();
    let mut tx = pool.begin().await?;
    advisory_lock(&mut tx, request.lock_class(), network).await?;
    let row = sqlx::query!(
        r#"
        select count(*) as "requests!",
               extract(epoch from min(requested_at) + make_interval(secs => $3) - now())::float8
                   as wait_secs
        from requests_per_network
        where kind = $1 and client_ip = $2 and requested_at > now() - make_interval(secs => $3)
        "#,
        request.kind(),
        network,
        window_secs,
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.requests >= request.limit(policy) {
        return Err(too_many_requests(row.wait_secs.unwrap_or(1.0)));
    }
    sqlx::query!(
        "insert into requests_per_network (kind, client_ip) values ($1, $2)",
        request.kind(),
        network,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes rows that no limit can count any more.
pub async fn prune(pool: &PgPool, policy: &ThrottlePolicy) -> Result<u64, AppError> {
    let failures = sqlx::query!(
        "delete from login_failures where failed_at < now() - make_interval(secs => $1)",
        policy.window.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    let usual_networks = sqlx::query!(
        "delete from login_usual_networks where last_success_at < now() - make_interval(days => $1)",
        USUAL_NETWORK_DAYS,
    )
    .execute(pool)
    .await?;
    let network_requests = sqlx::query!(
        "delete from requests_per_network where requested_at < now() - make_interval(secs => $1)",
        policy.registration_window.as_secs_f64(),
    )
    .execute(pool)
    .await?;
    // A day after it ends, a link is of no use even to explain a refusal.
    let reset_links = sqlx::query!("delete from password_resets where expires_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    let email_change_links =
        sqlx::query!("delete from email_changes where expires_at < now() - interval '1 day'")
            .execute(pool)
            .await?;
    Ok(failures.rows_affected()
        + usual_networks.rows_affected()
        + network_requests.rows_affected()
        + reset_links.rows_affected()
        + email_change_links.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy::default()
    }

    #[test]
    fn an_ipv4_address_is_its_own_network() {
        assert_eq!(client_network("203.0.113.9"), "203.0.113.9");
    }

    #[test]
    fn ipv6_addresses_are_counted_by_their_64_bit_prefix() {
        assert_eq!(client_network("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            client_network("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            client_network("2001:db8:1:2::5")
        );
        assert_ne!(
            client_network("2001:db8:1:3::1"),
            client_network("2001:db8:1:2::1")
        );
    }

    #[test]
    fn an_ipv4_mapped_ipv6_address_counts_as_its_ipv4_address() {
        assert_eq!(client_network("::ffff:203.0.113.9"), "203.0.113.9");
    }

    #[test]
    fn the_first_failures_of_an_account_from_a_network_are_free() {
        let history = LoginHistory {
            pair_failures: 4,
            pair_latest_age_secs: Some(0.0),
            ..LoginHistory::default()
        };
        assert_eq!(login_wait_secs(&policy(), &history), None);
    }

    #[test]
    fn the_wait_doubles_with_each_failure_past_the_free_ones_up_to_the_window() {
        let wait_after = |failures| {
            let history = LoginHistory {
                pair_failures: failures,
                pair_latest_age_secs: Some(0.0),
                ..LoginHistory::default()
            };
            login_wait_secs(&policy(), &history)
        };
        assert_eq!(wait_after(5), Some(60.0));
        assert_eq!(wait_after(6), Some(120.0));
        assert_eq!(wait_after(7), Some(240.0));
        assert_eq!(wait_after(9), Some(900.0));
        assert_eq!(wait_after(40), Some(900.0));
    }

    #[test]
    fn the_wait_runs_from_the_latest_failure() {
        let history = LoginHistory {
            pair_failures: 5,
            pair_latest_age_secs: Some(45.0),
            ..LoginHistory::default()
        };
        assert_eq!(login_wait_secs(&policy(), &history), Some(15.0));
        let waited = LoginHistory {
            pair_latest_age_secs: Some(61.0),
            ..history
        };
        assert_eq!(login_wait_secs(&policy(), &waited), None);
    }

    #[test]
    fn a_spray_from_one_network_is_stopped_except_on_the_accounts_usual_network() {
        let history = LoginHistory {
            network_failures: 50,
            network_oldest_age_secs: Some(300.0),
            ..LoginHistory::default()
        };
        assert_eq!(login_wait_secs(&policy(), &history), Some(600.0));
        let usual = LoginHistory {
            usual_network: true,
            ..history
        };
        assert_eq!(login_wait_secs(&policy(), &usual), None);
    }

    #[test]
    fn the_per_account_ceiling_bounds_a_distributed_attack_except_on_the_usual_network() {
        let history = LoginHistory {
            account_failures: 100,
            account_oldest_age_secs: Some(0.0),
            ..LoginHistory::default()
        };
        assert_eq!(login_wait_secs(&policy(), &history), Some(900.0));
        let usual = LoginHistory {
            usual_network: true,
            ..history
        };
        assert_eq!(login_wait_secs(&policy(), &usual), None);
    }

    #[test]
    fn the_usual_network_still_gets_the_per_network_delays() {
        let history = LoginHistory {
            pair_failures: 5,
            pair_latest_age_secs: Some(0.0),
            usual_network: true,
            ..LoginHistory::default()
        };
        assert_eq!(login_wait_secs(&policy(), &history), Some(60.0));
    }
}
