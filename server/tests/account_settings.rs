//! A person's own account from the settings page: their name, their email
//! address and their password, each behind the checks a login has, and a new
//! password ending every other session on every server.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use support::{TestApp, PASSWORD};

const NEW_PASSWORD: &str = "a different passphrase";

async fn signed_in(pool: &sqlx::PgPool, email: &str) -> TestApp {
    let mut app = TestApp::new(pool.clone()).await;
    let response = app.register(email, "Lee").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    app
}

#[tokio::test]
async fn a_new_name_shows_at_once_and_a_blank_one_is_refused() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "lee@example.org").await;

    let refused = app.call("account/name", &[("input[display_name]", "   ")]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_message("display_name").as_deref(),
        Some("Enter the name other people will see.")
    );
    let markup = app
        .call("account/name", &[("input[display_name]", "<b>Lee</b>\u{7}")])
        .await;
    assert_eq!(markup.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", markup.body);
    assert_eq!(app.me().await["display_name"], "Lee");

    let renamed = app
        .call("account/name", &[("input[display_name]", "  Lee Ann  ")])
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(
        app.me().await["display_name"],
        "Lee Ann",
        "trimmed, and no stale copy"
    );
}

#[tokio::test]
async fn an_email_change_needs_the_password_and_an_address_no_one_has() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "lee@example.org").await;
    let mut other = TestApp::new(pool.clone()).await;
    assert_eq!(
        other.register("kim@example.org", "Kim").await.status,
        StatusCode::OK
    );

    let change = |email: &'static str, password: &'static str| {
        [("input[email]", email), ("input[password]", password)]
    };
    let both_missing = app.call("account/email", &change("not an address", "")).await;
    assert_eq!(
        both_missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        both_missing.body
    );
    assert!(both_missing.field_message("email").is_some());
    assert_eq!(
        both_missing.field_message("password").as_deref(),
        Some("Enter your password to confirm.")
    );
    let wrong_password = app
        .call("account/email", &change("lee.new@example.org", "not my password"))
        .await;
    assert_eq!(
        wrong_password.field_message("password").as_deref(),
        Some("That is not your password.")
    );
    let taken = app
        .call("account/email", &change("KIM@example.org", PASSWORD))
        .await;
    assert_eq!(
        taken.field_message("email").as_deref(),
        Some("Another account uses this address.")
    );
    assert_eq!(app.me().await["email"], "lee@example.org", "nothing changed yet");

    let changed = app
        .call("account/email", &change(" Lee.New@Example.org ", PASSWORD))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(app.me().await["email"], "lee.new@example.org");
    let mut browser = app.another_browser();
    assert_eq!(
        browser.login("lee@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "the old address logs in no more"
    );
    assert_eq!(
        browser.login("lee.new@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_new_password_ends_every_other_session_on_every_server_and_keeps_this_one() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "lee@example.org").await;
    let cookie_before = app.session_cookie.clone();
    // The same account signed in on a phone, served by another server that
    // has its session and account in memory already.
    let mut phone = TestApp::separate_server(pool.clone()).await;
    assert_eq!(
        phone.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(phone.me().await["email"], "lee@example.org");

    let change = |current: &'static str, new: &'static str| {
        [("input[current_password]", current), ("input[new_password]", new)]
    };
    let same = app.call("account/password", &change(PASSWORD, PASSWORD)).await;
    assert_eq!(
        same.field_message("new_password").as_deref(),
        Some("That is your password already. Choose a new one.")
    );
    let weak = app.call("account/password", &change(PASSWORD, "password")).await;
    assert!(weak.field_message("new_password").is_some(), "{}", weak.body);
    let wrong = app
        .call("account/password", &change("not my password", NEW_PASSWORD))
        .await;
    assert_eq!(
        wrong.field_message("current_password").as_deref(),
        Some("That is not your password.")
    );
    assert!(!phone.me().await.is_null(), "a refused change ends nothing");

    let changed = app
        .call("account/password", &change(PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_ne!(app.session_cookie, cookie_before, "this session has a new id");
    assert_eq!(app.me().await["email"], "lee@example.org", "and stays signed in");

    let started = Instant::now();
    while !phone.me().await.is_null() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the phone stayed signed in after the password changed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut browser = app.another_browser();
    assert_eq!(
        browser.login("lee@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.login("lee@example.org", NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    assert!(!browser.me().await.is_null(), "a login after the change lasts");
}

#[tokio::test]
async fn the_account_forms_need_a_session_and_work_without_javascript() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    let refused = visitor
        .call("account/name", &[("input[display_name]", "Lee")])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);

    let mut app = signed_in(&pool, "lee@example.org").await;
    let saved = app
        .post_form_from(
            "/settings",
            "/api/account/password",
            &[
                ("input[current_password]", PASSWORD),
                ("input[new_password]", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::FOUND, "{}", saved.body);
    assert_eq!(saved.location_path(), Some("/settings?saved=password"));
    let page = app.get("/settings").await;
    assert_eq!(page.status, StatusCode::OK, "still signed in: {}", page.body);
    assert!(page.body.contains("Your account"));

    // A refusal comes back to the page with its message beside the field.
    let refused = app
        .post_form_from("/settings", "/api/account/name", &[("input[display_name]", "")])
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    let back = refused.location_path().unwrap_or_default().to_owned();
    assert!(back.starts_with("/settings"), "{back}");
    let page = app.get(&back).await;
    assert!(
        page.body.contains("Enter the name other people will see."),
        "the message shows on the page"
    );
}

#[tokio::test]
async fn hostile_input_on_the_account_forms_is_refused_or_shown_as_text() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "lee@example.org").await;
    let huge = "x".repeat(64 * 1024);
    // Refused, each with a sentence beside its field, never a failure.
    for (endpoint, form, field) in [
        (
            "account/name",
            vec![("input[display_name]", "Lee\0Ann")],
            "display_name",
        ),
        (
            "account/name",
            vec![("input[display_name]", huge.as_str())],
            "display_name",
        ),
        (
            "account/email",
            vec![
                ("input[email]", "lee\0@example.org"),
                ("input[password]", PASSWORD),
            ],
            "email",
        ),
        (
            "account/email",
            vec![("input[email]", huge.as_str()), ("input[password]", PASSWORD)],
            "email",
        ),
        (
            "account/email",
            vec![
                ("input[email]", "kim@example.org"),
                ("input[password]", huge.as_str()),
            ],
            "password",
        ),
        (
            "account/password",
            vec![
                ("input[current_password]", PASSWORD),
                ("input[new_password]", huge.as_str()),
            ],
            "new_password",
        ),
        (
            "account/password",
            vec![
                ("input[current_password]", "a\0b"),
                ("input[new_password]", NEW_PASSWORD),
            ],
            "current_password",
        ),
    ] {
        let response = app.call(endpoint, &form).await;
        let body = &response.body[..response.body.len().min(300)];
        if form.iter().any(|(_, value)| value.contains('\0')) {
            // A NUL is refused before any server function reads the form.
            assert_eq!(
                response.status,
                StatusCode::BAD_REQUEST,
                "{endpoint} {field}: {body}"
            );
            assert!(body.contains("NUL character"), "{endpoint} {field}: {body}");
        } else {
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{endpoint} {field}: {body}"
            );
            assert!(response.field_message(field).is_some(), "{endpoint}: {body}");
        }
    }
    // Markup in a name is text wherever the name is shown.
    let markup = "</title></textarea><script>alert(1)</script>";
    let renamed = app.call("account/name", &[("input[display_name]", markup)]).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let page = app.get("/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(
        page.body
            .contains("&lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;"),
        "{}",
        page.body
    );
    assert_eq!(app.me().await["display_name"], markup);
}

#[tokio::test]
async fn create_admin_on_an_existing_account_sets_a_password_that_ends_its_sessions() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "ray@example.org").await;
    assert_eq!(app.me().await["role"], "learner");
    support::create_admin(&pool, "ray@example.org").await;
    // The command writes to the database; the server drops its copy of the
    // account when PostgreSQL's notice of the change reaches it.
    let started = Instant::now();
    while !app.me().await.is_null() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the session from before the new password still works"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut again = app.another_browser();
    assert_eq!(
        again.login("ray@example.org", PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(again.me().await["role"], "admin");
}

/// Without JavaScript, a refused name or address comes back in its field
/// beside its message, once. The session keeps it, never the address: a
/// link could otherwise fill in an address of someone else's for the
/// account's owner to confirm with their password. The password is never
/// kept.
#[tokio::test]
async fn a_refused_account_form_without_javascript_keeps_what_was_typed() {
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, "lee@example.org").await;
    let typed = "kim@example.org";
    let wrong_password = "not the passphrase";
    let refused = app
        .post_form_from(
            "/settings",
            "/api/account/email",
            &[("input[email]", typed), ("input[password]", wrong_password)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    let back = refused.location_path().unwrap_or_default().to_owned();
    assert_eq!(back, "/settings?form=email&unsaved=1");
    let page = app.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("value=\"{typed}\"")),
        "the typed address is in its field"
    );
    assert!(
        !page.body.contains("value=\"lee@example.org\""),
        "not the stored one"
    );
    assert!(
        page.body.contains("That is not your password."),
        "the message is beside it"
    );
    assert!(!page.body.contains(wrong_password), "the password is never kept");
    // Once: the same address again, or one written by hand, fills in nothing.
    let again = app.get(&back).await;
    assert!(again.body.contains("value=\"lee@example.org\""));
    assert!(!again.body.contains(typed));

    // The name form, refused as too long: what was typed comes back.
    let long_name = "N".repeat(65);
    let refused = app
        .post_form_from(
            "/settings",
            "/api/account/name",
            &[("input[display_name]", &long_name)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    assert_eq!(refused.location_path(), Some("/settings?form=name&unsaved=1"));
    let page = app.get("/settings?form=name&unsaved=1").await;
    assert!(page.body.contains(&format!("value=\"{long_name}\"")));
    assert!(page.body.contains("Use at most 64 characters."));
    // Kept for the name form only: the email field shows the stored address.
    assert!(page.body.contains("value=\"lee@example.org\""));
    assert_eq!(app.me().await["display_name"], "Lee");
}
