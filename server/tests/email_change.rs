//! A new email address takes effect once the link sent to it is opened:
//! real mail, sent by the server's SMTP client to a real SMTP server
//! (`scripts/smtp-sink`), and the link read out of the message that arrived.

mod support;

use axum::http::StatusCode;

use support::{
    mail::{
        app_sending_mail, ask_to_move, confirm_address, link_token_in, MailSink, CONFIRM_ADDRESS_SUBJECT,
    },
    TestApp, PASSWORD,
};

const LINK_INVALID: &str = "This link no longer works: it has expired, it has been used, \
     a newer one was sent, the password has changed, or another account now has that address. \
     Change the address again from your settings to get a new link.";

/// The addresses a link moves its account between, or null.
async fn link_addresses(app: &mut TestApp, token: &str) -> serde_json::Value {
    let response = app
        .get_json(&format!("/api/account/email/link?token={token}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

/// The address the settings page says the account waits to move to, or null.
async fn waiting_email(app: &mut TestApp) -> serde_json::Value {
    let response = app.get_json("/api/settings").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["waiting_email"].clone()
}

async fn signed_in(pool: &sqlx::PgPool, sink: &MailSink, email: &str, name: &str) -> TestApp {
    let mut app = app_sending_mail(pool, sink).await;
    let response = app.register(email, name).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    app
}

#[tokio::test]
async fn a_new_address_takes_effect_once_its_link_is_opened() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut laptop = signed_in(&pool, &sink, "lee@example.org", "Lee <b>").await;
    let mut phone = laptop.another_browser();
    assert_eq!(
        phone.login("lee@example.org", PASSWORD).await.status,
        StatusCode::OK
    );

    // Asking moves nothing: the link goes to the new address, as typed
    // with spaces and capitals.
    let token = ask_to_move(&mut laptop, &sink, " Lee.New@Example.net ", PASSWORD).await;
    assert_eq!(token.len(), 64);
    let message = &sink.messages_with("lee.new@example.net", CONFIRM_ADDRESS_SUBJECT)[0];
    assert_eq!(message["from"], "Engram <no-reply@localhost>");
    let text = message["text"].as_str().unwrap();
    assert!(text.contains("Hello Lee <b>,"), "{text}");
    assert!(text.contains("the Engram account lee@example.org"), "{text}");
    assert!(text.contains("lee.new@example.net"), "{text}");
    assert_eq!(laptop.me().await["email"], "lee@example.org");
    assert_eq!(waiting_email(&mut laptop).await, "lee.new@example.net");
    assert!(
        sink.messages_to("lee@example.org").is_empty(),
        "nothing changed yet"
    );

    // Only the token's hash is kept.
    let (kept, hashed): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where token_hash = sha256(convert_to($1, 'UTF8'))) from email_changes",
    )
    .bind(&token)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((kept, hashed), (1, 1));

    // Reading the link's page changes nothing, however often.
    for _ in 0..2 {
        assert_eq!(
            link_addresses(&mut laptop, &token).await,
            serde_json::json!(["lee@example.org", "lee.new@example.net"])
        );
    }
    assert_eq!(laptop.me().await["email"], "lee@example.org");

    // Whoever opens the link need not be signed in: it is the new inbox's.
    let mut webmail = laptop.another_browser();
    let confirmed = confirm_address(&mut webmail, &token).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert!(webmail.me().await.is_null(), "opening the link signs no one in");
    // Both signed-in devices see the new address at once.
    assert_eq!(laptop.me().await["email"], "lee.new@example.net");
    assert_eq!(phone.me().await["email"], "lee.new@example.net");
    assert!(waiting_email(&mut laptop).await.is_null());

    // The old address hears of it, and no longer logs in.
    let notice = sink
        .wait_for_message("lee@example.org", "Your Engram email address was changed", 1)
        .await;
    assert!(notice["text"]
        .as_str()
        .unwrap()
        .contains("now logs in with lee.new@example.net"));
    let mut later = laptop.another_browser();
    assert_eq!(
        later.login("lee@example.org", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        later.login("lee.new@example.net", PASSWORD).await.status,
        StatusCode::OK
    );

    // The link works once.
    assert!(link_addresses(&mut laptop, &token).await.is_null());
    let again = confirm_address(&mut laptop, &token).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    assert_eq!(again.field_message("token").as_deref(), Some(LINK_INVALID));
}

#[tokio::test]
async fn a_newer_request_a_new_password_or_keeping_the_address_ends_a_link() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, &sink, "ana@example.org", "Ana").await;

    // The newest request is the one that counts.
    let first = ask_to_move(&mut app, &sink, "ana@example.net", PASSWORD).await;
    let second = ask_to_move(&mut app, &sink, "ana@example.com", PASSWORD).await;
    assert!(link_addresses(&mut app, &first).await.is_null());
    assert_eq!(waiting_email(&mut app).await, "ana@example.com");
    let refused = confirm_address(&mut app, &first).await;
    assert_eq!(refused.field_message("token").as_deref(), Some(LINK_INVALID));

    // A new password ends it: whoever moved the account's password on may
    // be its owner taking it back.
    let changed = app
        .call(
            "account/password",
            &[
                ("input[current_password]", PASSWORD),
                ("input[new_password]", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(link_addresses(&mut app, &second).await.is_null());
    assert!(waiting_email(&mut app).await.is_null());
    assert_eq!(
        confirm_address(&mut app, &second).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Keeping the address ends it too.
    let third = ask_to_move(&mut app, &sink, "ana@example.net", "a brand new passphrase").await;
    let kept = app.call("account/email/cancel", &[]).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert!(waiting_email(&mut app).await.is_null());
    assert!(link_addresses(&mut app, &third).await.is_null());
    assert_eq!(app.me().await["email"], "ana@example.org");
    // A page shown before (another tab) is not told the address was kept
    // when nothing was waiting any more.
    let stale = app.call("account/email/cancel", &[]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale.body.contains("There is no change of address waiting"),
        "{}",
        stale.body
    );

    // Three links an hour: a fourth request is refused beside the field,
    // and sends nothing.
    let fourth = app
        .call(
            "account/email",
            &[
                ("input[email]", "ana@example.io"),
                ("input[password]", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(fourth.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", fourth.body);
    assert!(fourth.field_message("email").unwrap().contains("three links"));
    // Mail asked for later still arrives, and none came for the fourth.
    let mut bo = signed_in(&pool, &sink, "bo@example.org", "Bo").await;
    ask_to_move(&mut bo, &sink, "bo@example.net", PASSWORD).await;
    assert!(sink.messages_to("ana@example.io").is_empty());

    // A day on, a link no longer works.
    let bo_link = sink.messages_with("bo@example.net", CONFIRM_ADDRESS_SUBJECT);
    let bo_token = link_token_in(&bo_link[0], "/confirm-email");
    sqlx::query("update email_changes set expires_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(link_addresses(&mut bo, &bo_token).await.is_null());
    assert_eq!(
        confirm_address(&mut bo, &bo_token).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(bo.me().await["email"], "bo@example.org");
}

#[tokio::test]
async fn an_address_another_account_has_is_never_taken_from_it() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut lee = signed_in(&pool, &sink, "lee@example.org", "Lee").await;

    // Taken already: refused beside the field, and nothing is sent.
    let mut kim = signed_in(&pool, &sink, "kim@example.org", "Kim").await;
    let taken = lee
        .call(
            "account/email",
            &[("input[email]", "KIM@example.org"), ("input[password]", PASSWORD)],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", taken.body);
    assert_eq!(
        taken.field_message("email").as_deref(),
        Some("Another account uses this address."),
        "{}",
        taken.body
    );
    assert!(sink.messages_to("kim@example.org").is_empty());

    // Taken while the link waited: the link says so, and nothing moves.
    let token = ask_to_move(&mut lee, &sink, "mo@example.org", PASSWORD).await;
    let mut mo = TestApp::new(pool.clone()).await;
    assert_eq!(mo.register("mo@example.org", "Mo").await.status, StatusCode::OK);
    // The link's page and the settings page no longer offer it.
    assert!(link_addresses(&mut lee, &token).await.is_null());
    assert!(waiting_email(&mut lee).await.is_null());
    let refused = confirm_address(&mut lee, &token).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_message("token").as_deref(),
        Some(
            "Another account has started using this address since the link was sent, \
             so your account keeps its address."
        )
    );
    assert_eq!(lee.me().await["email"], "lee@example.org");
    assert_eq!(mo.me().await["email"], "mo@example.org");
    assert_eq!(kim.me().await["email"], "kim@example.org");
}

#[tokio::test]
async fn without_javascript_the_link_page_confirms_and_says_so() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, &sink, "jo@example.org", "Jo").await;

    // The settings form, posted without JavaScript, comes back saying the
    // link went, and the page shows the change waiting.
    let asked = app
        .post_form_from(
            "/settings",
            "/api/account/email",
            &[("input[email]", "jo@example.net"), ("input[password]", PASSWORD)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::FOUND, "{}", asked.body);
    assert_eq!(asked.location_path(), Some("/settings?saved=email"));
    let message = sink
        .wait_for_message("jo@example.net", CONFIRM_ADDRESS_SUBJECT, 1)
        .await;
    let token = link_token_in(&message, "/confirm-email");
    let page = app.get("/settings?saved=email").await;
    assert!(
        page.body.contains("data-testid=\"email-change-waiting\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Sent. Open the link in that inbox to finish."));

    // The link's page names both addresses and has one button; a visitor
    // without a session gets it with no app code.
    let mut visitor = app.another_browser();
    let link_page = visitor.get(&format!("/confirm-email?token={token}")).await;
    assert_eq!(link_page.status, StatusCode::OK);
    assert!(link_page
        .body
        .contains("jo@example.org will log in with jo@example.net"));
    assert!(link_page.body.contains("data-page-code=\"none\""));
    let confirmed = visitor
        .post_form_from(
            &format!("/confirm-email?token={token}"),
            "/api/account/email/confirm",
            &[("token", &token)],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::FOUND, "{}", confirmed.body);
    assert_eq!(confirmed.location_path(), Some("/confirm-email?confirmed=1"));
    let done = visitor.get("/confirm-email?confirmed=1").await;
    assert!(done.body.contains("Your email address has changed"));
    assert_eq!(app.me().await["email"], "jo@example.net");

    // A used link, posted again, comes back to its page with the reason.
    let refused = visitor
        .post_form_from(
            &format!("/confirm-email?token={token}"),
            "/api/account/email/confirm",
            &[("token", &token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    let back = refused.location_path().unwrap_or_default().to_owned();
    assert!(back.starts_with("/confirm-email?token="), "{back}");
    let page = visitor.get(&back).await;
    assert!(page.body.contains("This link no longer works"), "{}", page.body);
}

#[tokio::test]
async fn a_link_that_is_no_token_is_refused_plainly() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, &sink, "cy@example.org", "Cy").await;
    let unknown = "ab".repeat(32);
    let huge = "a".repeat(64 * 1024);
    for token in [
        "",
        "zz",
        unknown.as_str(),
        &unknown.to_uppercase(),
        "' or 1=1 --",
        "</textarea></title><script>alert(1)</script>",
        huge.as_str(),
    ] {
        let refused = confirm_address(&mut app, token).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{token:.20}: {}",
            refused.body
        );
        assert_eq!(refused.field_message("token").as_deref(), Some(LINK_INVALID));
        if token.len() < 100 {
            let encoded: String = token.bytes().map(|byte| format!("%{byte:02X}")).collect();
            assert!(link_addresses(&mut app, &encoded).await.is_null());
        }
    }
    // A NUL is refused before any server function reads the form, in words.
    let nul = confirm_address(&mut app, "ab\0cd").await;
    assert_eq!(nul.status, StatusCode::BAD_REQUEST, "{}", nul.body);
    assert!(
        nul.body.contains("Text cannot contain the NUL character"),
        "{}",
        nul.body
    );
    // Signed out, the other account forms stay closed.
    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        visitor.call("account/email/cancel", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.me().await["email"], "cy@example.org");
}

/// Each request answers whether an account has the address asked for, so
/// one network asks at most ten an hour, counted before the lookup.
#[tokio::test]
async fn one_network_asks_about_at_most_ten_addresses_an_hour() {
    let sink = MailSink::start();
    let pool = support::fresh_database().await;
    let mut app = signed_in(&pool, &sink, "eve@example.org", "Eve").await;
    let mut other = signed_in(&pool, &sink, "kim@example.org", "Kim").await;
    for attempt in 0..10 {
        let address = format!("someone{attempt}@example.org");
        let answer = app
            .call(
                "account/email",
                &[("input[email]", &address), ("input[password]", PASSWORD)],
            )
            .await;
        assert_ne!(
            answer.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{attempt}: {}",
            answer.body
        );
    }
    // The eleventh is refused before the address is looked up: a taken one
    // and a free one answer alike, from any account of that network.
    for (account, address) in [(&mut app, "kim@example.org"), (&mut other, "free@example.org")] {
        let refused = account
            .call(
                "account/email",
                &[("input[email]", address), ("input[password]", PASSWORD)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    }
}
