//! A forgotten password, reset through a link sent by email: real mail,
//! sent by the server's SMTP client to a real SMTP server (`scripts/smtp-sink`,
//! aiosmtpd), and the link read out of the message that arrived.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use support::{
    mail::{app_sending_mail, link_token_in, move_to, MailSink},
    TestApp, PASSWORD,
};

const NEW_PASSWORD: &str = "a brand new passphrase";
const RESET_SUBJECT: &str = "Choose a new Engram password";
const LINK_INVALID: &str = "This link no longer works: it has expired, it has been used, \
     or the password has changed since it was sent. Ask for a new one.";

/// Waits for the `count`th reset link sent to `address`.
async fn wait_for_link(sink: &MailSink, address: &str, count: usize) -> serde_json::Value {
    sink.wait_for_message(address, RESET_SUBJECT, count).await
}

/// The token of the reset link in a message.
fn token_in(message: &serde_json::Value) -> String {
    link_token_in(message, "/reset-password")
}

/// A browser that signed up as `name` at `email` and logged out again.
async fn signed_up_and_out(pool: &sqlx::PgPool, sink: &MailSink, email: &str, name: &str) -> TestApp {
    let mut app = app_sending_mail(pool, sink).await;
    assert_eq!(app.register(email, name).await.status, StatusCode::OK);
    assert_eq!(app.logout().await.status, StatusCode::OK);
    app
}

async fn request_link(app: &mut TestApp, email: &str) -> support::TestResponse {
    app.call("password-reset/request", &[("input[email]", email)])
        .await
}

async fn reset(app: &mut TestApp, token: &str, password: &str) -> support::TestResponse {
    app.call(
        "password-reset/complete",
        &[("input[token]", token), ("input[password]", password)],
    )
    .await
}

/// The address a reset link works for, or null.
async fn link_account(app: &mut TestApp, token: &str) -> serde_json::Value {
    let response = app
        .get_json(&format!("/api/password-reset/link?token={token}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_emailed_link() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut laptop = app_sending_mail(&pool, &sink).await;
    assert_eq!(
        laptop.register("lee@example.org", "Lee <b>").await.status,
        StatusCode::OK
    );
    let mut phone = laptop.another_browser();
    assert_eq!(
        phone.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(laptop.logout().await.status, StatusCode::OK);

    // The address as someone types it: spaces and capitals.
    let asked = request_link(&mut laptop, "  Lee@Example.org ").await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let message = wait_for_link(&sink, "lee@example.org", 1).await;
    assert_eq!(message["subject"], "Choose a new Engram password");
    assert_eq!(message["from"], "Engram <no-reply@localhost>");
    let text = message["text"].as_str().unwrap();
    assert!(text.contains("Hello Lee <b>,"), "{text}");
    assert!(text.contains("lee@example.org"), "{text}");
    let token = token_in(&message);
    assert_eq!(token.len(), 64, "{text}");
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from password_resets")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(stored, token.as_bytes(), "only a hash of the token is kept");

    // The link's page names the account, and says nothing of anyone else.
    assert_eq!(link_account(&mut laptop, &token).await, "lee@example.org");
    let page = laptop.get(&format!("/reset-password?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Choose a new password"), "{}", page.body);
    assert!(page.body.contains("For the account lee@example.org."));

    // A password the policy refuses is said beside its field, and the link
    // still works.
    let weak = reset(&mut laptop, &token, "password").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    assert!(weak.field_message("password").is_some(), "{}", weak.body);
    assert_eq!(link_account(&mut laptop, &token).await, "lee@example.org");

    let done = reset(&mut laptop, &token, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        laptop.me().await["email"],
        "lee@example.org",
        "signed in by the reset"
    );
    assert!(phone.me().await.is_null(), "every other session ended");

    // The link worked once.
    assert!(link_account(&mut laptop, &token).await.is_null());
    let again = reset(&mut laptop, &token, "yet another passphrase").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    assert_eq!(again.field_message("token").as_deref(), Some(LINK_INVALID));
    let page = laptop.get(&format!("/reset-password?token={token}")).await;
    assert!(page.body.contains("This link no longer works"), "{}", page.body);

    let mut someone = laptop.another_browser();
    assert_eq!(
        someone.login("lee@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        someone.login("lee@example.org", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_form_tells_no_one_whether_an_address_has_an_account() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_up_and_out(&pool, &sink, "kim@example.org", "Kim").await;

    let nobody = request_link(&mut app, "nobody@example.org").await;
    let kim = request_link(&mut app, "kim@example.org").await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert_eq!(
        (nobody.status, nobody.body.as_str()),
        (kim.status, kim.body.as_str())
    );
    wait_for_link(&sink, "kim@example.org", 1).await;
    assert!(sink.messages_to("nobody@example.org").is_empty());
    assert_eq!(sink.messages().len(), 1);

    for (typed, message) in [
        ("", "Enter your email address."),
        ("kim", "Enter a valid email address, like name@example.com."),
    ] {
        let refused = request_link(&mut app, typed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        assert_eq!(
            refused.field_message("email").as_deref(),
            Some(message),
            "{typed:?}"
        );
    }
    // A NUL is refused before any server function, as everywhere.
    let nul = request_link(&mut app, "kim\0@example.org").await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST, "{}", nul.body);
    let long = format!("{}@example.org", "k".repeat(300));
    let refused = request_link(&mut app, &long).await;
    assert_eq!(
        refused.field_message("email").as_deref(),
        Some("That email address is too long.")
    );
    // Not a token at all: refused like a used one, before the password.
    for token in ["", "abc", &"g".repeat(64), &"a".repeat(5000)] {
        let refused = reset(&mut app, token, "short").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.field_message("token").as_deref(), Some(LINK_INVALID));
        assert!(refused.field_message("password").is_none());
    }
}

#[tokio::test]
async fn a_link_ends_with_a_newer_password_a_new_address_or_its_hour() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = app_sending_mail(&pool, &sink).await;
    assert_eq!(
        app.register("ana@example.org", "Ana").await.status,
        StatusCode::OK
    );

    // Two links: using the second ends the first.
    assert_eq!(
        request_link(&mut app, "ana@example.org").await.status,
        StatusCode::OK
    );
    assert_eq!(
        request_link(&mut app, "ana@example.org").await.status,
        StatusCode::OK
    );
    let first = token_in(&wait_for_link(&sink, "ana@example.org", 1).await);
    let second = token_in(&wait_for_link(&sink, "ana@example.org", 2).await);
    assert_ne!(first, second);
    assert_eq!(
        reset(&mut app, &second, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    assert!(link_account(&mut app, &first).await.is_null());

    // A link sent before the account moved to another address ends.
    request_link(&mut app, "ana@example.org").await;
    let third = token_in(&wait_for_link(&sink, "ana@example.org", 3).await);
    move_to(&mut app, &sink, "ana@example.net", NEW_PASSWORD).await;
    assert!(link_account(&mut app, &third).await.is_null());
    let refused = reset(&mut app, &third, "a third passphrase").await;
    assert_eq!(refused.field_message("token").as_deref(), Some(LINK_INVALID));
    // Nor does it work again once the account moves back.
    for address in ["ana@example.org", "ana@example.net"] {
        move_to(&mut app, &sink, address, NEW_PASSWORD).await;
    }
    assert!(link_account(&mut app, &third).await.is_null());

    // Three links an hour reach an account; a fourth request answers the
    // same and sends nothing.
    let fourth = request_link(&mut app, "ana@example.net").await;
    assert_eq!(fourth.status, StatusCode::OK);
    let links: i64 = sqlx::query_scalar("select count(*) from password_resets")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(links, 3, "no fourth link is made");
    // A message asked for later arrives, and still none came for the fourth.
    let mut bo = app.another_browser();
    assert_eq!(bo.register("bo@example.org", "Bo").await.status, StatusCode::OK);
    request_link(&mut bo, "bo@example.org").await;
    wait_for_link(&sink, "bo@example.org", 1).await;
    assert!(sink.messages_with("ana@example.net", RESET_SUBJECT).is_empty());

    // An hour on, a link no longer works.
    sqlx::query("delete from password_resets")
        .execute(&pool)
        .await
        .unwrap();
    request_link(&mut app, "ana@example.net").await;
    let late = token_in(&wait_for_link(&sink, "ana@example.net", 1).await);
    sqlx::query("update password_resets set expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(link_account(&mut app, &late).await.is_null());
}

#[tokio::test]
async fn without_an_smtp_relay_the_form_says_the_server_cannot_send_email() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    let refused = request_link(&mut app, "kim@example.org").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused
            .field_message("email")
            .unwrap()
            .starts_with("This Engram server is not set up to send email"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn one_network_asks_for_at_most_ten_links_an_hour() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let smtp_url = sink.smtp_url();
    let mut app =
        TestApp::from_cli_with_client_ip(pool.clone(), ["server", "--smtp-url", &smtp_url], "198.51.100.7")
            .await;
    for n in 0..10 {
        let asked = request_link(&mut app, &format!("someone{n}@example.org")).await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    }
    let refused = request_link(&mut app, "someone@example.org").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    let mut elsewhere =
        TestApp::from_cli_with_client_ip(pool.clone(), ["server", "--smtp-url", &smtp_url], "198.51.100.8")
            .await;
    assert_eq!(
        request_link(&mut elsewhere, "someone@example.org").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn both_forms_work_as_plain_posts() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_up_and_out(&pool, &sink, "jo@example.org", "Jo").await;

    // The login page links to the form, which a visitor reads without code.
    let login = app.get("/login").await;
    assert!(login.body.contains("href=\"/forgot-password\""), "{}", login.body);
    let form = app.get("/forgot-password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("data-page-code=\"none\""), "{}", form.body);

    let refused = app
        .post_form_from(
            "/forgot-password",
            "/api/password-reset/request",
            &[("input[email]", "jo@")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FOUND);
    let back = refused.location_path().unwrap().to_owned();
    assert!(back.starts_with("/forgot-password?email=jo%40&"), "{back}");
    let page = app.get(&back).await;
    assert!(page.body.contains("Enter a valid email address"), "{}", page.body);
    assert!(page.body.contains("value=\"jo@\""), "the address is kept");

    let sent = app
        .post_form_from(
            "/forgot-password",
            "/api/password-reset/request",
            &[("input[email]", "jo@example.org")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::FOUND);
    assert_eq!(
        sent.location_path(),
        Some("/forgot-password?sent=1&email=jo%40example.org")
    );
    let page = app.get(sent.location_path().unwrap()).await;
    assert!(page.body.contains("Check your email."), "{}", page.body);
    assert!(
        page.body.contains("value=\"jo@example.org\""),
        "the address stays in the form"
    );

    let token = token_in(&wait_for_link(&sink, "jo@example.org", 1).await);
    let link = format!("/reset-password?token={token}");
    let weak = app
        .post_form_from(
            &link,
            "/api/password-reset/complete",
            &[("input[token]", &token), ("input[password]", "1234")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::FOUND);
    let back = weak.location_path().unwrap().to_owned();
    assert!(back.starts_with(&format!("{link}&")), "{back}");
    assert!(!back.contains("1234"), "never the password");
    let page = app.get(&back).await;
    assert!(page.body.contains("Use at least 8 characters."), "{}", page.body);

    let done = app
        .post_form_from(
            &link,
            "/api/password-reset/complete",
            &[("input[token]", &token), ("input[password]", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert_eq!(done.location_path(), Some("/dashboard"));
    assert_eq!(app.me().await["email"], "jo@example.org");
}

#[tokio::test]
async fn a_new_address_or_password_is_told_to_the_account_by_email() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = app_sending_mail(&pool, &sink).await;
    assert_eq!(app.register("mo@example.org", "Mo").await.status, StatusCode::OK);

    let changed = app
        .call(
            "account/password",
            &[
                ("input[current_password]", PASSWORD),
                ("input[new_password]", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let notice = sink
        .wait_for_message("mo@example.org", "Your Engram password was changed", 1)
        .await;
    let text = notice["text"].as_str().unwrap();
    assert!(text.contains("mo@example.org"), "{text}");
    assert!(text.contains("http://127.0.0.1:3000/forgot-password"), "{text}");

    // The old address hears of the move; the new one hears only the link
    // that confirmed it.
    move_to(&mut app, &sink, "mo@example.net", NEW_PASSWORD).await;
    let notice = sink
        .wait_for_message("mo@example.org", "Your Engram email address was changed", 1)
        .await;
    assert!(notice["text"]
        .as_str()
        .unwrap()
        .contains("now logs in with mo@example.net"));
    assert_eq!(sink.messages_to("mo@example.net").len(), 1);

    // A refused change tells no one.
    let refused = app
        .call(
            "account/email",
            &[
                ("input[email]", "mo@example.com"),
                ("input[password]", "not the password"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut other = app.another_browser();
    assert_eq!(
        other.register("pat@example.org", "Pat").await.status,
        StatusCode::OK
    );
    assert_eq!(
        request_link(&mut other, "pat@example.org").await.status,
        StatusCode::OK
    );
    wait_for_link(&sink, "pat@example.org", 1).await;
    assert_eq!(sink.messages().len(), 4, "{:?}", sink.messages());
}

#[tokio::test]
async fn of_two_links_used_at_once_one_sets_the_password() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = app_sending_mail(&pool, &sink).await;
    assert_eq!(app.register("cy@example.org", "Cy").await.status, StatusCode::OK);
    request_link(&mut app, "cy@example.org").await;
    request_link(&mut app, "cy@example.org").await;
    let first = token_in(&wait_for_link(&sink, "cy@example.org", 1).await);
    let second = token_in(&wait_for_link(&sink, "cy@example.org", 2).await);
    let mut laptop = app.another_browser();
    let mut phone = app.another_browser();
    // The account's row is held while both are sent, so that both reach it
    // at once: each has taken its own link before either changes the account.
    let mut holder = pool.begin().await.unwrap();
    sqlx::query("select id from users where email = 'cy@example.org' for update")
        .execute(&mut *holder)
        .await
        .unwrap();
    let release_once_both_wait = async {
        let started = Instant::now();
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            if waiting == 2 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the two resets never both waited"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        holder.rollback().await.unwrap();
    };
    let (on_laptop, on_phone, ()) = tokio::join!(
        reset(&mut laptop, &first, "the laptop's passphrase"),
        reset(&mut phone, &second, "the phone's passphrase"),
        release_once_both_wait,
    );
    let statuses = [on_laptop.status, on_phone.status];
    assert!(
        statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}: {} / {}",
        on_laptop.body,
        on_phone.body
    );
    let (winner, password) = match on_laptop.status {
        StatusCode::OK => (&mut laptop, "the laptop's passphrase"),
        _ => (&mut phone, "the phone's passphrase"),
    };
    assert_eq!(winner.me().await["email"], "cy@example.org");
    let mut someone = app.another_browser();
    assert_eq!(
        someone.login("cy@example.org", password).await.status,
        StatusCode::OK,
        "the password the browser was told it set is the one that works"
    );
}

#[tokio::test]
async fn a_reset_forgives_the_failed_logins_that_led_to_it() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_up_and_out(&pool, &sink, "di@example.org", "Di").await;
    for _ in 0..5 {
        let wrong = app.login("di@example.org", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.login("di@example.org", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the sixth attempt waits"
    );
    request_link(&mut app, "di@example.org").await;
    let token = token_in(&wait_for_link(&sink, "di@example.org", 1).await);
    assert_eq!(reset(&mut app, &token, NEW_PASSWORD).await.status, StatusCode::OK);
    let mut laptop = app.another_browser();
    assert_eq!(
        laptop.login("di@example.org", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reset_link_the_relay_could_not_take_yet_is_sent_again() {
    // The relay answers the first message "451, try again later": the
    // server tries again a few seconds on, and the link that then arrives
    // works. The person who asked was answered at once either way.
    let sink = MailSink::deferring_first(1);
    let pool = support::fresh_database().await;
    let mut app = signed_up_and_out(&pool, &sink, "kim@example.org", "Kim").await;

    let asked = Instant::now();
    let answer = request_link(&mut app, "kim@example.org").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let message = wait_for_link(&sink, "kim@example.org", 1).await;
    assert_eq!(sink.deferrals(), 1, "the first attempt was deferred");
    assert!(
        asked.elapsed() >= Duration::from_secs(5),
        "the second attempt waits its turn: {:?}",
        asked.elapsed()
    );
    assert_eq!(sink.messages_with("kim@example.org", RESET_SUBJECT).len(), 1);

    let token = token_in(&message);
    let done = reset(&mut app, &token, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        app.login("kim@example.org", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}
