//! Sessions as several servers on one database see them: each caches the
//! sessions it has read, yet a logout or a role change counts everywhere on
//! the next request, and a session is written back only when that matters.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use server::session_store::EngramSessionStore;
use sqlx::PgPool;
use tower_sessions::{session::Id, SessionStore};

use support::{TestApp, PASSWORD};

const IDLE_TIMEOUT: time::Duration = time::Duration::days(7);

/// Two servers on one database, and a learner signed in on the first whose
/// cookie the second has already served once (so it holds the session in its
/// cache).
async fn two_servers_and_a_learner(pool: &PgPool) -> (TestApp, TestApp, String) {
    let mut first = TestApp::new(pool.clone()).await;
    let response = first.register("lee@example.org", "Lee").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let id = response.json()["id"].as_str().unwrap().to_owned();
    let mut second = TestApp::separate_server(pool.clone()).await;
    second.session_cookie = first.session_cookie.clone();
    assert_eq!(second.me().await["email"], "lee@example.org");
    (first, second, id)
}

async fn stored_expiry(pool: &PgPool) -> time::OffsetDateTime {
    sqlx::query_scalar("select expiry_date from tower_sessions.session")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// `at` as PostgreSQL stores it: to the microsecond.
fn to_microseconds(at: time::OffsetDateTime) -> time::OffsetDateTime {
    at.replace_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap()
}

/// Waits for another server to hear of a change: a notice through
/// PostgreSQL, which takes milliseconds. Returns how long it took, so that
/// the tests can hold it to "at once".
async fn until_heard(mut heard: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !heard().await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the other server never heard of the change"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed()
}

/// Well below anything a person could do in between.
const AT_ONCE: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_logout_on_one_server_ends_the_session_on_another_at_once() {
    let pool = support::fresh_database().await;
    let (mut first, mut second, _) = two_servers_and_a_learner(&pool).await;

    assert_eq!(first.logout().await.status, StatusCode::OK);

    let waited = until_heard(async || second.me().await.is_null()).await;
    assert!(
        waited < AT_ONCE,
        "the second server accepted the session for {waited:?}"
    );
    let dashboard = second.get("/dashboard").await;
    assert_eq!(
        dashboard.status,
        StatusCode::FOUND,
        "the dashboard sends a visitor to log in"
    );
    assert_eq!(dashboard.header("location"), Some("/login"));
}

#[tokio::test]
async fn a_role_change_counts_on_the_next_request_on_every_server() {
    let pool = support::fresh_database().await;
    let (_first, mut second, learner_id) = two_servers_and_a_learner(&pool).await;
    assert_eq!(second.me().await["role"], "learner");

    let mut admin = support::admin(&pool).await;
    let response = support::change_role(&mut admin, &learner_id, "teacher", Some(PASSWORD)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);

    let waited = until_heard(async || second.me().await["role"] == "teacher").await;
    assert!(
        waited < AT_ONCE,
        "the second server kept the old role for {waited:?}"
    );
}

#[tokio::test]
async fn a_role_change_counts_at_once_on_the_server_that_made_it() {
    let pool = support::fresh_database().await;
    let (mut first, _second, learner_id) = two_servers_and_a_learner(&pool).await;
    support::create_admin(&pool, "admin@example.org").await;
    let mut admin = first.another_browser();
    let response = admin.login("admin@example.org", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(first.me().await["role"], "learner");

    let response = support::change_role(&mut admin, &learner_id, "teacher", Some(PASSWORD)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);

    assert_eq!(first.me().await["role"], "teacher", "no wait for its own change");
}

#[tokio::test]
async fn signed_in_requests_read_neither_the_session_nor_the_account_from_postgresql() {
    let pool = support::fresh_database().await;
    let (_first, mut second, _) = two_servers_and_a_learner(&pool).await;
    // Both tables locked against every reader: a request that read either
    // would wait here until the timeout.
    let mut lock = pool.begin().await.unwrap();
    sqlx::query("lock table users, tower_sessions.session in access exclusive mode")
        .execute(&mut *lock)
        .await
        .unwrap();
    let requests = async {
        for _ in 0..20 {
            assert_eq!(second.me().await["email"], "lee@example.org");
        }
    };
    let served = tokio::time::timeout(Duration::from_secs(10), requests).await;
    lock.rollback().await.unwrap();
    assert!(
        served.is_ok(),
        "a signed-in request read the session or the account"
    );
}

#[tokio::test]
async fn a_session_changed_on_one_server_is_dropped_from_the_others_cache() {
    let pool = support::fresh_database().await;
    let (first, _second, _) = two_servers_and_a_learner(&pool).await;
    let id: Id = first.session_cookie.clone().unwrap().parse().unwrap();
    let here = EngramSessionStore::new(pool.clone(), IDLE_TIMEOUT, Default::default());
    here.listen_for_changes().await.unwrap();
    let there = EngramSessionStore::new(pool.clone(), IDLE_TIMEOUT, Default::default());
    let cached = here.load(&id).await.unwrap().expect("a live session");

    let mut changed = cached.clone();
    changed
        .data
        .insert("unsaved_form".to_owned(), serde_json::json!({"fields": ["hola"]}));
    there.save(&changed).await.unwrap();

    // The notice travels through PostgreSQL; it takes milliseconds.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let seen = here.load(&id).await.unwrap().expect("a live session");
        if seen.data == changed.data {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the change never reached the other server's cache"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_save_is_written_only_when_the_data_changed_or_the_expiry_moved_a_tenth_of_the_idle_timeout() {
    let pool = support::fresh_database().await;
    let (first, _second, _) = two_servers_and_a_learner(&pool).await;
    let id: Id = first.session_cookie.clone().unwrap().parse().unwrap();
    let store = EngramSessionStore::new(pool.clone(), IDLE_TIMEOUT, Default::default());
    let loaded = store.load(&id).await.unwrap().expect("a live session");
    let stored = stored_expiry(&pool).await;

    // A request a minute later: only the expiry moved, by far less than a tenth.
    let mut a_minute_later = loaded.clone();
    a_minute_later.expiry_date += time::Duration::minutes(1);
    store.save(&a_minute_later).await.unwrap();
    assert_eq!(
        stored_expiry(&pool).await,
        stored,
        "an expiry-only save was written"
    );

    // A day later: the expiry moved by more than a tenth of a week.
    let mut a_day_later = loaded.clone();
    a_day_later.expiry_date += time::Duration::days(1);
    store.save(&a_day_later).await.unwrap();
    assert_eq!(
        stored_expiry(&pool).await,
        to_microseconds(a_day_later.expiry_date)
    );

    // The data changed: written at once, whatever the expiry.
    let mut with_new_data = a_day_later.clone();
    with_new_data
        .data
        .insert("unsaved_form".to_owned(), serde_json::json!({"fields": ["hola"]}));
    store.save(&with_new_data).await.unwrap();
    let fresh_store = EngramSessionStore::new(pool.clone(), IDLE_TIMEOUT, Default::default());
    let reloaded = fresh_store.load(&id).await.unwrap().expect("a live session");
    assert_eq!(reloaded.data, with_new_data.data);
}

#[tokio::test]
async fn requests_through_the_router_keep_the_session_alive_without_a_write_each() {
    let pool = support::fresh_database().await;
    let (mut first, _second, _) = two_servers_and_a_learner(&pool).await;
    let stored = stored_expiry(&pool).await;
    for _ in 0..3 {
        assert_eq!(first.me().await["email"], "lee@example.org");
        assert!(first.get("/dashboard").await.status.is_success());
    }
    assert_eq!(
        stored_expiry(&pool).await,
        stored,
        "a request without changes was written back"
    );
}
