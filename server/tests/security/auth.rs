//! Accounts: role changes, sessions, admins, throttling and error text.

use std::time::Duration;

use axum::http::StatusCode;
use server::session_store::EngramSessionStore;
use sqlx::PgPool;
use tower_sessions::{session::Id, SessionStore};

use crate::support::{self, change_role, TestApp, PASSWORD};

async fn learner(pool: &PgPool, email: &str) -> (TestApp, String) {
    let mut app = TestApp::new(pool.clone()).await;
    let response = app.register(email, "Lee").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let id = response.json()["id"].as_str().unwrap().to_owned();
    (app, id)
}

fn retry_after(response: &support::TestResponse) -> u64 {
    response
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap()
}

async fn login_failures(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from login_failures")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Moves every counted failure `secs` into the past, as if that long had passed.
async fn let_time_pass(pool: &PgPool, secs: u64) {
    sqlx::query("update login_failures set failed_at = failed_at - make_interval(secs => $1)")
        .bind(secs as f64)
        .execute(pool)
        .await
        .unwrap();
}

// Item: role changes need the admin's own password.

#[tokio::test]
async fn a_role_change_without_the_admins_password_is_refused_on_the_password_field() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let (mut learner, learner_id) = learner(&pool, "lee@example.org").await;

    for password in [None, Some(""), Some("not my password")] {
        let refused = change_role(&mut admin, &learner_id, "admin", password).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.json()["Validation"][0]["field"], "password");
    }
    assert_eq!(learner.me().await["role"], "learner");

    let changed = change_role(&mut admin, &learner_id, "teacher", Some(PASSWORD)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(learner.me().await["role"], "teacher");
}

#[tokio::test]
async fn wrong_confirmation_passwords_are_throttled_like_logins() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let (_, learner_id) = learner(&pool, "lee@example.org").await;
    for _ in 0..5 {
        let refused = change_role(&mut admin, &learner_id, "admin", Some("a wrong guess")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let throttled = change_role(&mut admin, &learner_id, "admin", Some(PASSWORD)).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.body
    );
    assert!(retry_after(&throttled) >= 1);
}

#[tokio::test]
async fn the_admin_page_asks_for_the_password_before_a_role_changes() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let (_, learner_id) = learner(&pool, "lee@example.org").await;
    let page = admin
        .get(&format!("/admin?q=lee&confirm={learner_id}&role=teacher"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"confirm-role-change\""));
    assert!(page.body.contains("Make Lee (lee@example.org) a teacher?"));
    assert!(page.body.contains("name=\"input[password]\""));

    // Without JavaScript a wrong password comes back in the address and is
    // shown next to the password field.
    let wrong =
        serde_json::json!({"Validation": [{"field": "password", "message": "That is not your password."}]});
    let page = admin
        .get(&format!(
            "/admin?q=lee&confirm={learner_id}&role=teacher&__path=/api/admin/change-role&__err={}",
            url_error(&wrong)
        ))
        .await;
    let message = page
        .body
        .split("id=\"field-password-message\"")
        .nth(1)
        .expect("a message under the password field");
    let near_the_field: String = message.chars().take(300).collect();
    assert!(
        near_the_field.contains("That is not your password."),
        "{near_the_field}"
    );
}

// Item: a session deleted by logout or login never comes back.

/// A request that read the session before logout and saves it afterwards
/// (every request saves, so the idle timeout slides) is played in that
/// order against the store the router uses.
#[tokio::test]
async fn a_request_that_loaded_the_session_before_logout_cannot_bring_it_back() {
    let pool = support::fresh_database().await;
    let (mut app, _) = learner(&pool, "lee@example.org").await;
    let cookie = app.session_cookie.clone().unwrap();
    let store = EngramSessionStore::new(pool.clone(), time::Duration::days(7), Default::default());
    let id: Id = cookie.parse().unwrap();
    let mut loaded_by_slow_request = store.load(&id).await.unwrap().expect("a live session");
    // Late enough that the store writes the save rather than skipping it.
    loaded_by_slow_request.expiry_date += time::Duration::days(1);

    assert_eq!(app.logout().await.status, StatusCode::OK);
    store.save(&loaded_by_slow_request).await.unwrap();

    app.session_cookie = Some(cookie);
    assert!(app.me().await.is_null(), "the session must stay signed out");
}

#[tokio::test]
async fn a_request_that_loaded_the_session_before_login_cannot_revive_the_old_id() {
    let pool = support::fresh_database().await;
    let (mut app, _) = learner(&pool, "lee@example.org").await;
    let before_login = app.session_cookie.clone().unwrap();
    let store = EngramSessionStore::new(pool.clone(), time::Duration::days(7), Default::default());
    let mut loaded_by_slow_request = store
        .load(&before_login.parse().unwrap())
        .await
        .unwrap()
        .expect("a live session");
    loaded_by_slow_request.expiry_date += time::Duration::days(1);

    assert_eq!(
        app.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    store.save(&loaded_by_slow_request).await.unwrap();

    app.session_cookie = Some(before_login);
    assert!(app.me().await.is_null(), "the pre-login id must stay dead");
}

/// With a one-minute idle timeout, a request more than a tenth of it (six
/// seconds) after the last write moves the stored expiry.
#[tokio::test]
async fn requests_still_slide_a_live_sessions_expiry() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool.clone(), ["server", "--session-idle-minutes", "1"]).await;
    assert_eq!(
        app.register("lee@example.org", "Lee").await.status,
        StatusCode::OK
    );
    let expiry = || async {
        sqlx::query_scalar::<_, time::OffsetDateTime>("select expiry_date from tower_sessions.session")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = expiry().await;
    tokio::time::sleep(Duration::from_millis(6_500)).await;
    assert_eq!(app.me().await["email"], "lee@example.org");
    assert!(expiry().await > before, "the idle expiry slides with activity");
}

// Item: no admin from the first sign-up.

#[tokio::test]
async fn the_first_account_registered_on_an_empty_instance_is_a_learner() {
    let pool = support::fresh_database().await;
    let mut first = TestApp::new(pool.clone()).await;
    let response = first.register("first@example.org", "First").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json()["role"], "learner");
    let admins: i64 = sqlx::query_scalar("select count(*) from users where role = 'admin'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(admins, 0);
}

// Item: sign-ups are throttled per network.

#[tokio::test]
async fn sign_ups_past_the_limit_from_one_address_get_429_with_retry_after() {
    let pool = support::fresh_database().await;
    let args = ["server", "--register-max-per-ip", "3"];
    let mut app = TestApp::from_cli_with_client_ip(pool.clone(), args, "198.51.100.7").await;
    for n in 0..2 {
        let response = app.register(&format!("user{n}@example.org"), "User").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    // Asking about a taken email counts too: that is what the limit is for.
    let taken = app.register("user0@example.org", "User").await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("already exists"));

    let refused = app.register("user9@example.org", "User").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!((1..=3600).contains(&retry_after(&refused)));

    let mut elsewhere = TestApp::from_cli_with_client_ip(pool, args, "198.51.100.8").await;
    let response = elsewhere.register("user9@example.org", "User").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

#[tokio::test]
async fn ipv6_sign_ups_are_counted_per_64_bit_prefix() {
    let pool = support::fresh_database().await;
    let args = ["server", "--register-max-per-ip", "3"];
    for (n, address) in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9"]
        .iter()
        .enumerate()
    {
        let mut app = TestApp::from_cli_with_client_ip(pool.clone(), args, address).await;
        let response = app.register(&format!("user{n}@example.org"), "User").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    let mut same_prefix = TestApp::from_cli_with_client_ip(pool.clone(), args, "2001:db8:1:2::abcd").await;
    let refused = same_prefix.register("user9@example.org", "User").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);

    let mut other_prefix = TestApp::from_cli_with_client_ip(pool, args, "2001:db8:1:3::1").await;
    let response = other_prefix.register("user9@example.org", "User").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

#[tokio::test]
async fn ipv6_login_failures_are_counted_per_64_bit_prefix() {
    let pool = support::fresh_database().await;
    let (_, _) = learner(&pool, "lee@example.org").await;
    for n in 0..5 {
        let address = format!("2001:db8:5:5::{n}");
        let mut guesser = TestApp::from_cli_with_client_ip(pool.clone(), ["server"], &address).await;
        let response = guesser.login("lee@example.org", "a wrong guess").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let mut next = TestApp::from_cli_with_client_ip(pool, ["server"], "2001:db8:5:5::99").await;
    assert_eq!(
        next.login("lee@example.org", "a wrong guess").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

// Item: checking and counting a login attempt is one step.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    let pool = support::fresh_database().await;
    let (_, _) = learner(&pool, "lee@example.org").await;
    let mut guessers = Vec::new();
    for _ in 0..20 {
        guessers.push(TestApp::new(pool.clone()).await);
    }
    let mut attempts = tokio::task::JoinSet::new();
    for (n, mut guesser) in guessers.into_iter().enumerate() {
        attempts.spawn(async move {
            guesser
                .login("lee@example.org", &format!("wrong guess {n}"))
                .await
                .status
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses
        .iter()
        .filter(|status| **status != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        statuses
            .iter()
            .all(|status| *status == StatusCode::UNAUTHORIZED || *status == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert_eq!(checked, 5, "{statuses:?}");
    assert_eq!(login_failures(&pool).await, 5);
}

// Item: a stranger cannot lock the owner out.

#[tokio::test]
async fn a_stranger_who_used_up_the_guesses_elsewhere_does_not_lock_the_owner_out() {
    let pool = support::fresh_database().await;
    let (mut owner, _) = learner(&pool, "lee@example.org").await;
    owner.logout().await;
    let mut stranger = TestApp::with_client_ip(pool.clone(), [198, 51, 100, 66]).await;
    for _ in 0..5 {
        assert_eq!(
            stranger.login("lee@example.org", "a wrong guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let stopped = stranger.login("lee@example.org", PASSWORD).await;
    assert_eq!(
        stopped.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );

    let response = owner.login("lee@example.org", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(owner.me().await["email"], "lee@example.org");
}

#[tokio::test]
async fn a_guessers_wait_grows_with_each_failure() {
    let pool = support::fresh_database().await;
    let (_, _) = learner(&pool, "lee@example.org").await;
    let mut stranger = TestApp::with_client_ip(pool.clone(), [198, 51, 100, 66]).await;
    for _ in 0..5 {
        stranger.login("lee@example.org", "a wrong guess").await;
    }
    let first = stranger.login("lee@example.org", "a wrong guess").await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    let first_wait = retry_after(&first);

    let_time_pass(&pool, first_wait + 1).await;
    assert_eq!(
        stranger.login("lee@example.org", "a wrong guess").await.status,
        StatusCode::UNAUTHORIZED,
        "one more guess after the wait"
    );
    let second = stranger.login("lee@example.org", "a wrong guess").await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    let second_wait = retry_after(&second);
    assert!(second_wait > first_wait, "{second_wait} after {first_wait}");
}

#[tokio::test]
async fn a_spray_of_many_accounts_from_one_address_is_stopped_but_not_for_an_owner_there() {
    let pool = support::fresh_database().await;
    let args = ["server", "--login-max-failures-per-ip", "3"];
    let (mut owner, _) = learner(&pool, "lee@example.org").await;
    // The owner has logged in from this (shared) address before.
    owner.logout().await;
    assert_eq!(
        owner.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    owner.logout().await;

    let mut sprayer = TestApp::from_cli(pool.clone(), args).await;
    for n in 0..3 {
        let response = sprayer
            .login(&format!("user{n}@example.org"), "a wrong guess")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let stopped = sprayer.login("user9@example.org", "a wrong guess").await;
    assert_eq!(stopped.status, StatusCode::TOO_MANY_REQUESTS);

    let mut owner_here = TestApp::from_cli(pool, args).await;
    let response = owner_here.login("lee@example.org", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

#[tokio::test]
async fn guesses_from_many_addresses_hit_the_accounts_ceiling() {
    let pool = support::fresh_database().await;
    let args = ["server", "--login-max-failures-per-account", "3"];
    let (mut owner, _) = learner(&pool, "lee@example.org").await;
    owner.logout().await;
    assert_eq!(
        owner.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    owner.logout().await;

    for n in 1..=3 {
        let address = format!("198.51.100.{n}");
        let mut guesser = TestApp::from_cli_with_client_ip(pool.clone(), args, &address).await;
        let response = guesser.login("lee@example.org", "a wrong guess").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let mut next = TestApp::from_cli_with_client_ip(pool.clone(), args, "198.51.100.4").await;
    assert_eq!(
        next.login("lee@example.org", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // On the address the owner usually logs in from, the ceiling does not apply.
    let mut owner_at_home = TestApp::from_cli(pool, args).await;
    assert_eq!(
        owner_at_home.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
}

// Item: errors read from the address show only our own text.

const ATTACKER_TEXT: &str = "Account suspended. Call +1 555 0100";

/// `error` as leptos_axum writes it into `__err`: JSON, base64url, percent-encoded.
fn url_error(error: &serde_json::Value) -> String {
    base64url(error.to_string().as_bytes()).replace('=', "%3D")
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, byte)| n | u32::from(*byte) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

#[tokio::test]
async fn a_crafted_error_in_the_login_address_shows_only_fixed_text() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool).await;
    let crafted = [
        serde_json::json!({ "Conflict": ATTACKER_TEXT }),
        serde_json::json!({ "BadRequest": ATTACKER_TEXT }),
        serde_json::json!({ "Validation": [{ "field": "email", "message": ATTACKER_TEXT }] }),
        // Not an AppError at all: the parse error would quote it.
        serde_json::json!({ ATTACKER_TEXT: 1 }),
    ];
    for error in crafted {
        for path in ["/login", "/register"] {
            let endpoint = if path == "/login" {
                "/api/login"
            } else {
                "/api/register"
            };
            let page = visitor
                .get(&format!("{path}?__path={endpoint}&__err={}", url_error(&error)))
                .await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(!page.body.contains("555 0100"), "{path} echoed {error}");
        }
    }

    // An error with its own fixed text is still shown.
    let page = visitor
        .get(&format!(
            "/login?__path=/api/login&__err={}",
            url_error(&serde_json::json!("InvalidCredentials"))
        ))
        .await;
    assert!(page
        .body
        .contains("That email and password do not match an account."));
}

#[test]
fn base64url_matches_known_vectors() {
    assert_eq!(base64url(b"f"), "Zg==");
    assert_eq!(base64url(b"fo"), "Zm8=");
    assert_eq!(base64url(b"foo"), "Zm9v");
    assert_eq!(base64url(&[0xfb, 0xff]), "-_8=");
}
