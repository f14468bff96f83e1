//! Accounts, sessions and security layers, through the real router on a
//! fresh database per test.

mod support;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use support::{TestApp, PASSWORD};

#[tokio::test]
async fn registering_signs_the_new_account_in() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let response = app.register("  Ada@Example.org ", "Ada").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.json()["email"], "ada@example.org");
    assert_eq!(app.me().await["display_name"], "Ada");
}

#[tokio::test]
async fn a_duplicate_email_is_a_field_error() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    app.register("ada@example.org", "Ada").await;
    let mut other = TestApp::new(pool).await;
    let response = other.register("ADA@example.org", "Another Ada").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.json();
    assert_eq!(body["Validation"][0]["field"], "email");
    assert!(body["Validation"][0]["message"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    assert!(other.session_cookie.is_none());
}

#[tokio::test]
async fn invalid_registration_fields_are_all_reported() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    let response = app
        .call(
            "register",
            &[
                ("input[email]", "nope"),
                ("input[display_name]", ""),
                ("input[password]", "password123"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = response.json()["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["email", "display_name", "password"]);
    let accounts: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn malformed_arguments_are_a_bad_request_not_a_server_error() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    let response = app.call("login", &[("unexpected", "x")]).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.json().get("BadRequest").is_some());

    // Whatever the parser found, the person is told what to do, in words
    // of the product rather than of the parser.
    let mut learner = TestApp::new(pool.clone()).await;
    learner.register("learner@example.org", "Learner").await;
    for (endpoint, form) in [
        ("decks/create", vec![]),
        ("study/preset", vec![("deck_id", "-1")]),
        (
            "study/hold",
            vec![
                ("card_id", "00000000-0000-0000-0000-000000000001"),
                ("hold", "Explode"),
            ],
        ),
        ("notes/create", vec![("input[fields]", "x")]),
    ] {
        let response = learner.call(endpoint, &form).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{endpoint}: {}",
            response.body
        );
        assert_eq!(
            response.json()["BadRequest"],
            app::error::UNREADABLE_REQUEST,
            "{endpoint}"
        );
    }
    let garbage = learner
        .post(
            "/api/study/reviews",
            "application/json",
            "application/json",
            "garbage",
        )
        .await;
    assert_eq!(garbage.json()["BadRequest"], app::error::UNREADABLE_REQUEST);
}

#[tokio::test]
async fn logging_in_and_out() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    app.register("ada@example.org", "Ada").await;
    app.logout().await;
    assert!(app.me().await.is_null());

    let response = app.login("ADA@example.org", PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("location"), Some("/dashboard"));
    assert_eq!(app.me().await["email"], "ada@example.org");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    app.register("ada@example.org", "Ada").await;
    app.logout().await;
    let wrong_password = app.login("ada@example.org", "not the password").await;
    let unknown_email = app.login("nobody@example.org", PASSWORD).await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.json(), serde_json::json!("InvalidCredentials"));
    assert!(app.me().await.is_null());
}

#[tokio::test]
async fn repeated_failures_from_one_address_throttle_the_account_there_even_for_the_right_password() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    app.register("ada@example.org", "Ada").await;
    app.logout().await;
    for _ in 0..5 {
        assert_eq!(
            app.login("ada@example.org", "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let throttled = app.login("ada@example.org", PASSWORD).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.body
    );
    let retry_after: u64 = throttled
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    assert!(app.me().await.is_null());
}

#[tokio::test]
async fn failures_across_many_accounts_throttle_the_address() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool, ["server", "--login-max-failures-per-ip", "3"]).await;
    for n in 0..3 {
        let email = format!("user{n}@example.org");
        assert_eq!(
            app.login(&email, "guess one two").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app.login("user9@example.org", "guess one two").await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_the_old_one_stops_working() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    app.register("ada@example.org", "Ada").await;
    let before_login = app.session_cookie.clone().expect("a session after sign-up");
    let response = app.login("ada@example.org", PASSWORD).await;
    let set_cookie = response.header("set-cookie").expect("a new cookie").to_owned();
    let after_login = app.session_cookie.clone().unwrap();
    assert_ne!(before_login, after_login);
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );

    app.session_cookie = Some(before_login);
    assert!(app.me().await.is_null(), "the pre-login session id must be dead");
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool, ["server", "--public-url", "https://cards.example.org"]).await;
    app.origin = "https://cards.example.org";
    let response = app.register("ada@example.org", "Ada").await;
    assert!(response.header("set-cookie").unwrap().contains("Secure"));
}

#[tokio::test]
async fn a_session_is_unusable_after_logout() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    app.register("ada@example.org", "Ada").await;
    let cookie = app.session_cookie.clone().unwrap();
    let response = app.logout().await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(app.session_cookie.is_none(), "logout clears the cookie");
    let sessions: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "logout deletes the stored session");

    app.session_cookie = Some(cookie);
    assert!(app.me().await.is_null());
    assert_eq!(app.get("/dashboard").await.header("location"), Some("/login"));
}

#[tokio::test]
async fn a_session_past_its_absolute_lifetime_is_ended() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool, ["server", "--session-absolute-hours", "0"]).await;
    app.register("ada@example.org", "Ada").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(app.me().await.is_null());
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    let request = Request::post("/api/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(support::encode_form(&[
            ("input[email]", "victim@example.org"),
            ("input[display_name]", "Victim"),
            ("input[password]", PASSWORD),
        ])))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("Cross-site request refused"));

    let request = Request::post("/api/logout")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.send(request).await.status,
        StatusCode::FORBIDDEN,
        "Origin alone is checked too"
    );
    let accounts: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn only_an_admin_can_change_roles() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let admin_id = admin.me().await["id"].as_str().unwrap().to_owned();
    let mut learner = TestApp::new(pool.clone()).await;
    let learner_id = learner.register("learner@example.org", "Learner").await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let refused = learner
        .call(
            "admin/change-role",
            &[("input[user_id]", &learner_id), ("input[role]", "admin")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(learner.me().await["role"], "learner");
    let listing = learner
        .send(
            Request::get("/api/admin/accounts?query[search]=")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(listing.status, StatusCode::FORBIDDEN);

    let promoted = support::change_role(&mut admin, &learner_id, "teacher", Some(PASSWORD)).await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(
        learner.me().await["role"],
        "teacher",
        "the new role applies to the live session"
    );

    let last_admin = admin
        .call(
            "admin/change-role",
            &[
                ("input[user_id]", &admin_id),
                ("input[role]", "learner"),
                ("input[password]", PASSWORD),
            ],
        )
        .await;
    assert_eq!(last_admin.status, StatusCode::CONFLICT);

    let mut visitor = TestApp::new(pool).await;
    let anonymous = visitor
        .call(
            "admin/change-role",
            &[("input[user_id]", &learner_id), ("input[role]", "admin")],
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_admin_page_lists_accounts_for_admins_only() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let mut learner = TestApp::new(pool).await;
    learner.register("learner@example.org", "<b>Lee</b>").await;

    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("learner@example.org"));
    assert!(
        page.body.contains("&lt;b&gt;Lee&lt;/b&gt;"),
        "user text is escaped"
    );
    assert!(!page.body.contains("<b>Lee</b>"));

    let refused = learner.get("/admin").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("admin@example.org"));
}

#[tokio::test]
async fn a_login_goes_back_to_the_page_it_was_asked_for_and_never_off_the_site() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    // A signed-in page sends a visitor to log in with its own address.
    let visitor = app.get("/stats?deck=x").await;
    assert_eq!(visitor.status, StatusCode::FOUND);
    assert_eq!(
        visitor.header("location"),
        Some("/login?next=%2Fstats%3Fdeck%3Dx")
    );
    let login_page = app.get("/login?next=%2Fcourses%2Fchemistry").await;
    assert!(
        login_page
            .body
            .contains(r#"name="input[next]" value="/courses/chemistry""#),
        "the form carries where it goes next"
    );

    app.register("ada@example.org", "Ada").await;
    for (next, destination) in [
        ("/courses/chemistry", "/courses/chemistry"),
        ("/stats?deck=x", "/stats?deck=x"),
        ("https://elsewhere.example/", "/dashboard"),
        ("//elsewhere.example/", "/dashboard"),
        ("/\\elsewhere.example/", "/dashboard"),
        ("/login", "/dashboard"),
        ("", "/dashboard"),
    ] {
        app.logout().await;
        let response = app
            .call(
                "login",
                &[
                    ("input[email]", "ada@example.org"),
                    ("input[password]", PASSWORD),
                    ("input[next]", next),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert_eq!(response.header("location"), Some(destination), "next: {next:?}");
    }
}

#[tokio::test]
async fn the_dashboard_greets_the_user_and_sends_visitors_to_login() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let visitor = app.get("/dashboard").await;
    assert_eq!(visitor.status, StatusCode::FOUND);
    assert_eq!(visitor.header("location"), Some("/login"));

    app.register("ada@example.org", "Ada").await;
    let page = app.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    // The name in an element of its own, isolated, so that a name written
    // right to left (or with a direction override) does not turn the
    // greeting around it.
    assert!(page.body.contains("Hello, "), "{}", page.body);
    assert!(
        page.body.contains(r#"<span class="user-text">Ada</span>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("You have no decks yet."));

    // A deck with no card yet is not "done for today": the way in is to
    // write its first cards.
    let deck = support::create_deck(&mut app, "Empty for now", "private").await;
    let page = app.get("/dashboard").await;
    assert!(
        page.body.contains(&format!(r#"href="/decks/{deck}/add""#)),
        "{}",
        page.body
    );
    assert!(page.body.contains("No cards yet · Add cards"), "{}", page.body);
    assert!(!page.body.contains("Done for today"), "{}", page.body);
}

#[tokio::test]
async fn the_demo_seed_gives_each_demo_account_a_deck() {
    let pool = support::fresh_database().await;
    app::notes::db::sync_builtin_note_types(&pool).await.unwrap();
    let media =
        app::media::store::MediaStore::local(&std::env::temp_dir().join("engram-test-data/media"), 1 << 20)
            .unwrap();
    assert!(server::seed::seed_demo(&pool, &media).await.unwrap());
    assert!(
        !server::seed::seed_demo(&pool, &media).await.unwrap(),
        "a second seed changes nothing"
    );
    for (login, deck, cards, role) in [
        (
            &server::seed::DEMO_LOGINS[0],
            "Spanish: first words",
            "9 cards",
            "Teacher",
        ),
        (
            &server::seed::DEMO_LOGINS[1],
            "Physics and code",
            "4 cards",
            "Learner",
        ),
    ] {
        let mut app = TestApp::new(pool.clone()).await;
        assert_eq!(
            app.login(login.email, login.password).await.status,
            StatusCode::OK
        );
        let page = app.get("/dashboard").await;
        assert!(page.body.contains(deck), "{deck}");
        assert!(page.body.contains(cards), "{cards}");
        assert!(page.body.contains(&format!(">{role}</span>")), "{role}");
    }

    // The teacher's published course, with rich cards in its decks.
    let mut visitor = TestApp::new(pool.clone()).await;
    let course = visitor.get("/courses/chemistry-essentials").await;
    assert_eq!(course.status, StatusCode::OK);
    assert!(course.body.contains("Atoms and molecules") && course.body.contains("Reactions and gases"));
    let cover = course.body.split("data-testid=\"course-cover\"").count() - 1;
    assert_eq!(cover, 1, "the course shows its cover");
    let (published, lessons): (String, i64) = sqlx::query_as(
        "select c.status::text, (select count(*) from lessons l where l.course_id = c.id)
         from courses c where slug = 'chemistry-essentials'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((published.as_str(), lessons), ("published", 2));
    let card_html: Vec<String> = sqlx::query_scalar(
        "select c.front_html || c.back_html from cards c join decks d on d.id = c.deck_id
         where d.title like 'Chemistry:%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (what, marker) in [
        ("a formula", "<math"),
        ("an image", "<img src=\"/media/"),
        ("highlighted code", "<pre"),
        ("a cloze", "cloze"),
    ] {
        assert!(
            card_html.iter().any(|html| html.contains(marker)),
            "no card has {what}"
        );
    }
    let image_url = card_html
        .iter()
        .find_map(|html| html.split("<img src=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let image = visitor.get(&image_url).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), Some("image/png"));
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let page = app.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let policy = page.header("content-security-policy").expect("a CSP").to_owned();
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("'unsafe-inline'"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the nonce"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        page.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    assert!(page.header("x-request-id").is_some_and(|id| id.len() == 36));

    let other_page = app.get("/login").await;
    assert_ne!(
        other_page.header("content-security-policy"),
        Some(policy.as_str()),
        "a fresh nonce per page"
    );
}

/// Every inline script of a page carries the nonce its policy names, signed
/// in or not, on a routed page and on the not-found page alike.
#[tokio::test]
async fn every_pages_scripts_carry_the_nonce_of_its_policy() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let check = |path: &str, page: &support::TestResponse| {
        let policy = page.header("content-security-policy").expect("a CSP");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"));
        let tags: Vec<&str> = page
            .body
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!tags.is_empty(), "{path}: no scripts");
        for tag in tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{tag}> lacks the policy's nonce {nonce}"
            );
        }
    };
    for path in ["/", "/login", "/catalogue", "/no-such-page"] {
        check(path, &app.get(path).await);
    }
    app.register("ada@example.org", "Ada").await;
    for path in ["/", "/dashboard", "/browse", "/note-types"] {
        check(path, &app.get(path).await);
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool, ["server", "--max-body-bytes", "1024"]).await;
    let big_name = "x".repeat(4096);
    let response = app.register("ada@example.org", &big_name).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn health_and_readiness() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool.clone()).await;
    assert_eq!(app.get("/healthz").await.body, "ok");
    assert_eq!(app.get("/readyz").await.body, "ready");
    pool.close().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn an_unknown_page_is_a_404() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let page = app.get("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("does not exist"));
}

#[tokio::test]
async fn hashed_assets_are_compressed_and_cached_forever() {
    let pool = support::fresh_database().await;
    let site_root = std::env::temp_dir().join(format!("engram-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site_root.join("pkg")).unwrap();
    let script = "export function hydrate() { /* the app */ }\n".repeat(200);
    std::fs::write(site_root.join("pkg/engram.abc123.js"), &script).unwrap();
    let mut app = TestApp::serving_site(pool, site_root.to_str().unwrap()).await;
    app.session_cookie = Some("a-stale-session-id".into());

    for encoding in ["br", "gzip"] {
        let request = Request::get("/pkg/engram.abc123.js")
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let response = app.send(request).await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.header("content-encoding"), Some(encoding));
        assert_eq!(
            response.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert!(
            response.header("set-cookie").is_none(),
            "static files never touch the session"
        );
    }
    std::fs::remove_dir_all(site_root).unwrap();
}

/// `cargo leptos build --precompress` writes a `.br` file next to each
/// asset; it is sent as it is, not compressed again per request. (Its `.gz`
/// files are larger than the server's own gzip, so gzip stays on the fly.)
#[tokio::test]
async fn precompressed_assets_are_sent_as_built() {
    let pool = support::fresh_database().await;
    let site_root = std::env::temp_dir().join(format!("engram-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site_root.join("pkg")).unwrap();
    let script = "export function hydrate() { /* the app */ }\n".repeat(200);
    std::fs::write(site_root.join("pkg/engram.abc123.js"), &script).unwrap();
    // Stand-ins for the compressed files: the server passes them on unread.
    std::fs::write(
        site_root.join("pkg/engram.abc123.js.br"),
        "brotli, made at build time",
    )
    .unwrap();
    std::fs::write(
        site_root.join("pkg/engram.abc123.js.gz"),
        "gzip, made at build time",
    )
    .unwrap();
    let mut app = TestApp::serving_site(pool, site_root.to_str().unwrap()).await;
    let mut fetch = async |encoding: Option<&str>| {
        let mut request = Request::get("/pkg/engram.abc123.js");
        if let Some(encoding) = encoding {
            request = request.header(header::ACCEPT_ENCODING, encoding);
        }
        app.send(request.body(Body::empty()).unwrap()).await
    };

    let brotli = fetch(Some("br")).await;
    assert_eq!(brotli.status, StatusCode::OK);
    assert_eq!(brotli.header("content-encoding"), Some("br"));
    assert_eq!(brotli.body, "brotli, made at build time");

    let gzip = fetch(Some("gzip")).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_ne!(gzip.body, "gzip, made at build time", "compressed by the server");

    // A browser that asks for neither gets the file itself.
    let plain = fetch(None).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, script);
    std::fs::remove_dir_all(site_root).unwrap();
}

/// A page or a server function's answer is made for one person, so no
/// cache may keep it: a browser offline, or after a sign-out, must never
/// show it again (the service worker shows its offline app instead).
#[tokio::test]
async fn pages_and_answers_for_one_person_are_never_stored_by_a_cache() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let login = app.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.header("cache-control"), Some("no-store"));

    app.register("kept@example.org", "Kim Kept").await;
    let dashboard = app.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.header("cache-control"), Some("no-store"));
    let me = app.get_json("/api/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.header("cache-control"), Some("no-store"));
}

/// The installed app: a deployment changes the service worker, the manifest
/// (and the catalogue's search box script) under the same names, so the browser asks for them every time;
/// neither reads or sets a session.
#[tokio::test]
async fn the_service_worker_and_manifest_are_never_taken_from_the_http_cache() {
    let pool = support::fresh_database().await;
    let site_root = std::env::temp_dir().join(format!("engram-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site_root.join("icons")).unwrap();
    std::fs::write(
        site_root.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    std::fs::copy("../public/sw-outbox.js", site_root.join("sw-outbox.js")).unwrap();
    std::fs::copy(
        "../public/catalogue-search.js",
        site_root.join("catalogue-search.js"),
    )
    .unwrap();
    std::fs::copy(
        "../public/manifest.webmanifest",
        site_root.join("manifest.webmanifest"),
    )
    .unwrap();
    std::fs::copy(
        "../public/icons/icon-192.png",
        site_root.join("icons/icon-192.png"),
    )
    .unwrap();
    let mut app = TestApp::serving_site(pool, site_root.to_str().unwrap()).await;
    app.session_cookie = Some("a-stale-session-id".into());

    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert_eq!(worker.header("cache-control"), Some("no-cache"));
    assert!(worker
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(worker.header("set-cookie").is_none());
    // The script the worker imports is checked for updates with it.
    let outbox_sync = app.get("/sw-outbox.js").await;
    assert_eq!(outbox_sync.status, StatusCode::OK);
    assert_eq!(outbox_sync.header("cache-control"), Some("no-cache"));
    assert!(outbox_sync.body.contains("engram-outbox"));
    // So is the catalogue's search box script, which keeps its name too.
    let search_box = app.get("/catalogue-search.js").await;
    assert_eq!(search_box.status, StatusCode::OK);
    assert_eq!(search_box.header("cache-control"), Some("no-cache"));
    assert!(search_box
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(search_box.body.contains("/api/catalogue/suggest"));
    assert!(search_box.header("set-cookie").is_none());

    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status, StatusCode::OK);
    assert_eq!(manifest.header("cache-control"), Some("no-cache"));
    assert_eq!(manifest.header("content-type"), Some("application/manifest+json"));
    let manifest: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        assert!(
            std::path::Path::new("../public")
                .join(src.trim_start_matches('/'))
                .is_file(),
            "the manifest names {src}, which public/ lacks"
        );
    }

    let icon = app.get("/icons/icon-192.png").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert_eq!(icon.header("content-type"), Some("image/png"));
    assert_eq!(icon.header("cache-control"), Some("public, max-age=86400"));
    std::fs::remove_dir_all(site_root).unwrap();
}

#[tokio::test]
async fn the_note_preview_renders_cards_for_signed_in_authors_only() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::new(pool).await;
    let cloze = [
        ("input[note_type]", "cloze"),
        (
            "input[fields][0]",
            "Energy: {{c1::$E = mc^2$}} <img src=/media/x.png onerror=alert(1)>",
        ),
        ("input[fields][1]", ""),
    ];
    assert_eq!(
        app.call("notes/preview", &cloze).await.status,
        StatusCode::UNAUTHORIZED
    );

    app.register("ada@example.org", "Ada").await;
    let response = app.call("notes/preview", &cloze).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let cards = response.json();
    assert_eq!(cards.as_array().unwrap().len(), 1);
    assert!(cards[0]["front_html"].as_str().unwrap().contains("[...]"));
    assert!(cards[0]["back_html"].as_str().unwrap().contains("<math"));
    assert!(!response.body.contains("onerror"));

    let unclosed = [
        ("input[note_type]", "cloze"),
        ("input[fields][0]", "{{c1::oops"),
        ("input[fields][1]", ""),
    ];
    let response = app.call("notes/preview", &unclosed).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json()["Validation"][0]["field"], "Text");

    // An image from another site would show as nothing: its author is told
    // beside its field, while previewing and when saving, whether it is
    // written as Markdown or as HTML (as a note pasted from elsewhere
    // carries it; the sanitiser drops it too).
    for image in [
        "![map](https://maps.example/france.png)",
        "<p>A map:</p>\n<img alt=\"France\" src=\"https://maps.example/france.png\">",
    ] {
        let remote = [
            ("input[note_type]", "cloze"),
            ("input[fields][0]", "{{c1::Paris}}"),
            ("input[fields][1]", image),
        ];
        let response = app.call("notes/preview", &remote).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{image}: {}",
            response.body
        );
        let message = response.field_message("Back Extra").expect(&response.body);
        assert!(
            message.starts_with(
                "Images from other sites cannot be shown to learners (https://maps.example/france.png)."
            ),
            "{image}: {message}"
        );
    }
    // A video or an embedded page (which the sanitiser drops whole) is told
    // of too, with what can be done instead.
    for embedded in [
        "<video controls src=\"https://films.example/paris.mp4\"></video>",
        "<iframe src=\"https://films.example/paris.mp4\"></iframe>",
    ] {
        let remote = [
            ("input[note_type]", "cloze"),
            ("input[fields][0]", "{{c1::Paris}}"),
            ("input[fields][1]", embedded),
        ];
        let response = app.call("notes/preview", &remote).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{embedded}: {}",
            response.body
        );
        assert_eq!(
            response.field_message("Back Extra").expect(&response.body),
            "Videos and embedded pages cannot be shown to learners (https://films.example/paris.mp4). \
             Link to it instead: [what it shows](its address).",
            "{embedded}"
        );
    }
}

/// The pages a signed-out visitor lands on and reads (home, login, sign-up,
/// the catalogue, a public deck, a published course), opened without a
/// session, are complete as sent: no hydration script and no WebAssembly,
/// only the registration of the service worker (and the catalogue's search
/// box script). Every other page, and these with a session, load the app.
#[tokio::test]
async fn the_pages_a_signed_out_visitor_reads_carry_no_app_code() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let mut teacher = support::member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let deck_id = support::create_deck(&mut teacher, "Verbos", "public").await;
    let created = support::create_course(&mut teacher, "Spanish in a week", "spanish-week").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    sqlx::query("update courses set status = 'published' where slug = 'spanish-week'")
        .execute(&pool)
        .await
        .unwrap();

    let mut visitor = TestApp::new(pool).await;
    let deck_page = format!("/decks/{deck_id}");
    let pages = [
        ("/", "Flashcards and courses"),
        ("/login", "Log in"),
        ("/register", "Create your account"),
        ("/register?email=ada%40example.org", "Create your account"),
        ("/catalogue", "Public decks and courses"),
        ("/catalogue?q=verbos", "Verbos"),
        (deck_page.as_str(), "Verbos"),
        ("/courses/spanish-week", "Spanish in a week"),
    ];
    for (path, text) in pages {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(text), "{path} does not show {text:?}");
        assert!(
            page.body.contains(r#"<html lang="en" data-page-code="none">"#),
            "{path}"
        );
        assert!(
            !page.body.contains(".wasm"),
            "{path} loads WebAssembly: {}",
            page.body
        );
        assert!(
            page.body
                .contains(r#"navigator.serviceWorker.register("/sw.js", { updateViaCache: "none" })"#),
            "{path} does not register the service worker"
        );
        // Nothing hydrates, so no page data is written into the page for it.
        assert!(
            !page.body.contains("__RESOLVED_RESOURCES["),
            "{path} carries data for hydration: {}",
            page.body
        );
    }
    // Someone signed out is led on to the catalogue, not to a dashboard.
    assert!(visitor.get(&deck_page).await.body.contains("← Catalogue"));
    assert!(teacher.get(&deck_page).await.body.contains("← Dashboard"));
    // A course's way back is the dashboard for its teacher, who finds it there.
    assert!(visitor
        .get("/courses/spanish-week")
        .await
        .body
        .contains("← Catalogue"));
    assert!(teacher
        .get("/courses/spanish-week")
        .await
        .body
        .contains("← Dashboard"));
    // The catalogue's suggestions as one types are its own small script,
    // with the page's nonce, signed out and signed in alike.
    let search_box_script = r#"<script type="module" src="/catalogue-search.js" nonce=""#;
    assert!(visitor.get("/catalogue").await.body.contains(search_box_script));
    assert!(teacher.get("/catalogue").await.body.contains(search_box_script));

    // Signed in, the same pages are the app's: they offer to study and enrol.
    for path in [
        "/",
        "/dashboard",
        "/catalogue",
        deck_page.as_str(),
        "/courses/spanish-week",
    ] {
        let page = teacher.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(".wasm"), "{path}, signed in, has no app code");
        assert!(!page.body.contains("data-page-code"), "{path}");
        assert!(
            page.body.contains("__RESOLVED_RESOURCES["),
            "{path} has no data to hydrate with"
        );
    }
}

/// A hydrated page carries its data twice: as HTML, and as JSON inside a
/// JavaScript string in a `<script>`, which the app reads back to hydrate.
/// That string is written by the copy of `hydration_context` in `vendor/`
/// in one pass (Leptos 0.8 used Rust's `Debug` formatting). A title and a
/// description holding every character it escapes, and markup that would
/// end the script early, must come back as they were stored, and every
/// script must stay one script.
#[tokio::test]
async fn the_data_a_hydrated_page_carries_reads_back_as_it_was_stored() {
    let pool = support::fresh_database().await;
    let mut admin = support::admin(&pool).await;
    let mut teacher = support::member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let title = "Quotes \"double\" and 'single', a \\ backslash, </script><script>alert(1)</script> <!-- \u{2028}\u{2029} Ünïcödé 日本語 🙂";
    let description = "Line one\n\tline two\r\nends with \\\" and </SCRIPT>";
    let deck_id = support::create_described_deck(&mut teacher, title, description, "public").await;

    let page = teacher.get(&format!("/decks/{deck_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = scraper::Html::parse_document(&page.body);
    let heading = html
        .select(&scraper::Selector::parse("[data-testid=deck-title]").unwrap())
        .next()
        .expect("the deck's title");
    assert_eq!(heading.text().collect::<String>(), title);
    // In an attribute too (the edit form's field), escaped by the copy of
    // `tachys` in `vendor/`, which looks for what to escape in blocks.
    let field = html
        .select(&scraper::Selector::parse("#edit-title").unwrap())
        .next()
        .expect("the edit form's title field");
    assert_eq!(field.value().attr("value"), Some(title));

    // Each resource is `__RESOLVED_RESOURCES[id] = '…';`, a JavaScript
    // string holding the data's JSON.
    let mut resources = Vec::new();
    for script in html.select(&scraper::Selector::parse("script").unwrap()) {
        let code = script.text().collect::<String>();
        assert!(!code.contains('<'), "a raw `<` in a script: {code}");
        for (at, _) in code.match_indices("__RESOLVED_RESOURCES[") {
            let rest = &code[at..];
            if let Some(literal_start) = rest.find("] = ").map(|end| end + 4) {
                let json = read_js_string(&rest[literal_start..]);
                resources.push(serde_json::from_str::<serde_json::Value>(&json).unwrap());
            }
        }
    }
    let deck = resources
        .iter()
        // The deck page's data is the page and what a refused form kept.
        .find_map(|resource| resource.pointer("/Ok/0/deck"))
        .unwrap_or_else(|| panic!("no deck among the page's data: {resources:?}"));
    assert_eq!(deck["title"], title);
    assert_eq!(deck["description"], description);
    let account = resources
        .iter()
        .find_map(|resource| resource.pointer("/Ok/email"))
        .expect("the signed-in account among the page's data");
    assert_eq!(account, "teacher@example.org");
}

/// Reads the JavaScript string literal in single quotes at the start of
/// `code`, as a browser would, for the escapes the server writes (any
/// other escape fails the test rather than being read some other way).
fn read_js_string(code: &str) -> String {
    let mut chars = code.chars();
    assert_eq!(chars.next(), Some('\''), "not a string in single quotes: {code}");
    let mut text = String::new();
    loop {
        match chars.next().expect("a string that does not end") {
            '\'' => return text,
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => panic!("a line break inside a string: {code}"),
            '\\' => match chars.next().expect("an escape that does not end") {
                'n' => text.push('\n'),
                'r' => text.push('\r'),
                't' => text.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    text.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                escaped @ ('\'' | '\\') => text.push(escaped),
                other => panic!("an escape the server does not write: \\{other}"),
            },
            other => text.push(other),
        }
    }
}

/// A browser that cancels a request (a search it typed past, a page it left)
/// drops the request's work wherever it stands, and that can be while its
/// transaction is beginning: `BEGIN` sent, its answer not yet read. The
/// connection then goes back to the pool, and the next request on it must
/// find it outside any transaction. sqlx 0.8.6 left it inside one, which
/// every later request on that connection ran in (their own `BEGIN`s only
/// warned, and a note's time was that of the cancelled request): the copy
/// in vendor/sqlx-postgres rolls it back.
///
/// The pool talks to PostgreSQL through a relay that holds PostgreSQL's
/// answers while `begin()` is polled, so the answer has certainly not
/// arrived when the future is dropped. (Polling once and hoping PostgreSQL
/// had not answered yet failed on a loaded machine, where it often had.)
#[tokio::test]
async fn a_transaction_dropped_while_it_begins_leaves_its_connection_in_no_transaction() {
    use futures::FutureExt;
    use sqlx::Connection;

    let (relay, pool) = one_connection_through_a_relay().await;
    for _ in 0..10 {
        let mut connection = pool.acquire().await.unwrap();
        relay.hold_answers();
        // Polled once: `BEGIN` is on its way, and the future is dropped
        // before its answer can arrive.
        assert!(
            connection.begin().now_or_never().is_none(),
            "begin finished without PostgreSQL's answer"
        );
        drop(connection);
        relay.pass_answers();
        // Outside a transaction, each statement is a transaction of its own.
        let mut connection = pool.acquire().await.unwrap();
        let first: i64 = sqlx::query_scalar("select txid_current()")
            .fetch_one(&mut *connection)
            .await
            .unwrap();
        let second: i64 = sqlx::query_scalar("select txid_current()")
            .fetch_one(&mut *connection)
            .await
            .unwrap();
        assert_ne!(
            first, second,
            "after a begin cancelled before its answer, the connection was still in a transaction"
        );
    }
}

/// A query dropped before its answer arrived (the browser left) leaves the
/// answer on its way; the pool reads it off before the connection serves
/// anyone else, so the next query gets its own answer.
#[tokio::test]
async fn a_query_dropped_before_its_answer_leaves_nothing_for_the_next_one() {
    use futures::FutureExt;

    let (relay, pool) = one_connection_through_a_relay().await;
    for round in 0..5_i32 {
        let mut connection = pool.acquire().await.unwrap();
        relay.hold_answers();
        let cancelled = sqlx::query_scalar::<_, i32>("select -1")
            .fetch_one(&mut *connection)
            .now_or_never();
        assert!(
            cancelled.is_none(),
            "the query finished without PostgreSQL's answer"
        );
        drop(connection);
        relay.pass_answers();
        let answer: i32 = sqlx::query_scalar("select $1")
            .bind(round)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(answer, round, "a query got the answer meant for a dropped one");
    }
}

/// A fresh database, and a pool of one connection to it through a relay:
/// each acquire gets the connection the last one let go, untested before it
/// is lent, as the server's pool lends them.
async fn one_connection_through_a_relay() -> (PostgresRelay, sqlx::PgPool) {
    let test_database = support::fresh_database().await;
    let relay = PostgresRelay::start(test_database.connect_options().as_ref()).await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .test_before_acquire(false)
        .connect_with(relay.connect_options.clone())
        .await
        .unwrap();
    (relay, pool)
}

/// A Unix-socket relay in front of PostgreSQL that passes everything the
/// client sends at once, and PostgreSQL's answers only while they are not
/// held. It reaches PostgreSQL the way the test database's options do (a
/// socket for the embedded cluster, TCP or a socket for `DATABASE_URL`), and
/// being byte for byte, it leaves TLS to the two ends.
struct PostgresRelay {
    connect_options: sqlx::postgres::PgConnectOptions,
    answers_pass: tokio::sync::watch::Sender<bool>,
    socket_directory: std::path::PathBuf,
}

impl PostgresRelay {
    async fn start(upstream: &sqlx::postgres::PgConnectOptions) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let socket_directory =
            std::env::temp_dir().join(format!("engram-relay-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&socket_directory).unwrap();
        let port = upstream.get_port();
        let listener =
            tokio::net::UnixListener::bind(socket_directory.join(format!(".s.PGSQL.{port}"))).unwrap();
        let upstream_socket = upstream
            .get_socket()
            .map(|directory| directory.display().to_string())
            .or_else(|| {
                upstream
                    .get_host()
                    .starts_with('/')
                    .then(|| upstream.get_host().to_owned())
            })
            .map(|directory| format!("{directory}/.s.PGSQL.{port}"));
        let upstream_host = upstream.get_host().to_owned();
        let (answers_pass, answers_watch) = tokio::sync::watch::channel(true);
        tokio::spawn(async move {
            loop {
                let (client, _) = listener.accept().await.unwrap();
                let server: Box<dyn Duplex> = match &upstream_socket {
                    Some(path) => Box::new(tokio::net::UnixStream::connect(path).await.unwrap()),
                    None => Box::new(
                        tokio::net::TcpStream::connect((upstream_host.as_str(), port))
                            .await
                            .unwrap(),
                    ),
                };
                let (mut client_reads, mut client_writes) = tokio::io::split(client);
                let (mut server_reads, mut server_writes) = tokio::io::split(server);
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut client_reads, &mut server_writes).await;
                });
                let mut answers_watch = answers_watch.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0; 64 * 1024];
                    loop {
                        let read = match server_reads.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(read) => read,
                        };
                        // Read first, then wait: an answer that arrives while
                        // answers are held stays here until they pass.
                        if answers_watch.wait_for(|pass| *pass).await.is_err()
                            || client_writes.write_all(&buffer[..read]).await.is_err()
                        {
                            break;
                        }
                    }
                });
            }
        });
        PostgresRelay {
            connect_options: upstream.clone().socket(&socket_directory),
            answers_pass,
            socket_directory,
        }
    }

    fn hold_answers(&self) {
        self.answers_pass.send_replace(false);
    }

    fn pass_answers(&self) {
        self.answers_pass.send_replace(true);
    }
}

impl Drop for PostgresRelay {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.socket_directory);
    }
}

trait Duplex: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Duplex for T {}

/// Two transactions that each hold what the other waits for: PostgreSQL
/// ends one of them (a deadlock). A request that meets this is answered
/// 409 with a message to send it again, not as a failure of the server: a
/// deck deleted while a learner answers one of its cards can do it.
#[tokio::test]
async fn a_transaction_ended_by_a_deadlock_is_a_conflict_to_try_again() {
    use app::error::{AppError, SIMULTANEOUS_CHANGE};

    let pool = support::fresh_database().await;
    let mut first = pool.begin().await.unwrap();
    let mut second = pool.begin().await.unwrap();
    let lock = "select pg_advisory_xact_lock($1)";
    sqlx::query(lock).bind(1_i64).execute(&mut *first).await.unwrap();
    sqlx::query(lock).bind(2_i64).execute(&mut *second).await.unwrap();
    let (first_waits, second_waits) = tokio::join!(
        sqlx::query(lock).bind(2_i64).execute(&mut *first),
        sqlx::query(lock).bind(1_i64).execute(&mut *second),
    );
    let ended = match (first_waits, second_waits) {
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => error,
        other => panic!("PostgreSQL ends exactly one of the two: {other:?}"),
    };
    let error = AppError::from(ended);
    assert_eq!(error, AppError::Conflict(SIMULTANEOUS_CHANGE.into()));
    assert_eq!(error.status_code(), 409);
}

/// A login with a field left empty says so next to the field, as the sign-up
/// form does, rather than that the email and password match no account; it
/// is no attempt at an account, so it counts against no throttle.
#[tokio::test]
async fn a_login_with_empty_fields_says_which_are_missing() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    let response = visitor
        .call("login", &[("input[email]", "  "), ("input[password]", "")])
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(
        response.json()["Validation"],
        serde_json::json!([
            {"field": "email", "message": "Enter your email address."},
            {"field": "password", "message": "Enter your password."},
        ])
    );
    let response = visitor
        .call(
            "login",
            &[("input[email]", "ada@example.org"), ("input[password]", "")],
        )
        .await;
    assert_eq!(
        response.json()["Validation"],
        serde_json::json!([{"field": "password", "message": "Enter your password."}])
    );
    let attempts: i64 = sqlx::query_scalar("select count(*) from login_failures")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, 0);
}

/// What a refused form gives back is text in its fields, never markup of
/// the page's, by either road back (the address, or the session).
#[tokio::test]
async fn a_refused_form_gives_back_markup_as_text() {
    let pool = support::fresh_database().await;
    let mut teacher = support::admin(&pool).await;
    let deck = support::create_deck(&mut teacher, "Chemistry", "private").await;
    let form = "application/x-www-form-urlencoded";
    // No title, so each is refused.
    let untitled = |description: &str, language: &str| {
        support::encode_form(&[
            ("deck_id", deck.as_str()),
            ("input[title]", ""),
            ("input[description]", description),
            ("input[language]", language),
            ("input[visibility]", "private"),
            ("input[parent_id]", ""),
        ])
    };
    // Text that ends the textarea, the title or an attribute: refused (no
    // title, and a language that is none), it must come back in its fields
    // as text, whether it fits in the address or is kept in the session.
    let hostile = "</textarea></title><script>alert(1)</script><img src=x onerror=alert(2)>end";
    let language = "\"><script>alert(3)</script>";
    for padding in [0, 12_000] {
        let description = format!("{hostile}{}", " x".repeat(padding / 2));
        let refused = teacher
            .post(
                "/api/decks/update",
                form,
                "text/html",
                untitled(&description, language),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
        let location = refused.header("location").unwrap().to_owned();
        assert_eq!(location.ends_with("?unsaved=1"), padding > 0, "{location}");
        let page = teacher.get(&location).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Give the deck a title."), "{}", page.body);
        for markup in ["<script>alert(", "<img src=x", "</textarea></title>"] {
            assert!(!page.body.contains(markup), "{markup} came back as markup");
        }
        assert!(
            page.body
                .contains("&lt;/textarea&gt;&lt;/title&gt;&lt;script&gt;alert(1)"),
            "the description did not come back as text"
        );
        assert!(
            page.body.contains("&quot;&gt;&lt;script&gt;alert(3)"),
            "the language did not come back as text"
        );
    }
    // A NUL, which no field may hold, is refused before anything is kept,
    // with a message that says which character to remove.
    let with_nul = teacher
        .post("/api/decks/update", form, "text/html", untitled("a\u{0}b", ""))
        .await;
    assert_eq!(with_nul.status, StatusCode::BAD_REQUEST);
    assert!(
        with_nul.body.contains("cannot contain the NUL character"),
        "{}",
        with_nul.body
    );
}

/// A form posted without JavaScript and refused comes back to its page with
/// what was typed in the address. When that address would be too long to
/// travel (a proxy may refuse it, and a `Location` of a hundred kilobytes
/// was dropped, leaving a blank page), the session keeps it, and the form's
/// own short address brings it back once, filled in beside its error.
#[tokio::test]
async fn a_refused_form_comes_back_filled_in_even_when_its_address_would_be_too_long() {
    let pool = support::fresh_database().await;
    let mut teacher = support::admin(&pool).await;
    let deck = support::create_deck(&mut teacher, "Chemistry", "private").await;
    let refuse = |description: &str| {
        support::encode_form(&[
            ("deck_id", deck.as_str()),
            ("input[title]", ""),
            ("input[description]", description),
            ("input[language]", "es"),
            ("input[visibility]", "private"),
            ("input[parent_id]", ""),
        ])
    };
    let form = "application/x-www-form-urlencoded";

    let short = teacher
        .post("/api/decks/update", form, "text/html", refuse("Elements"))
        .await;
    assert_eq!(short.status, StatusCode::FOUND, "{}", short.body);
    let location = short.header("location").unwrap();
    assert!(location.starts_with(&format!("/decks/{deck}?")), "{location}");
    assert!(location.contains("description=Elements"), "{location}");
    assert!(location.contains("__err="), "{location}");

    // A description of 5,000 letters, 30,000 bytes in an address.
    let description = format!("Les éléments{}", " é".repeat(5_000));
    let long = teacher
        .post("/api/decks/update", form, "text/html", refuse(&description))
        .await;
    assert_eq!(long.status, StatusCode::FOUND, "{}", long.body);
    let location = long.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/decks/{deck}?unsaved=1"));
    let page = teacher.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Give the deck a title."), "{}", page.body);
    assert!(
        page.body.contains(description.trim_end()),
        "the description did not come back"
    );
    // Once: the next view of the page shows the deck as it is saved.
    let again = teacher.get(&location).await;
    assert!(
        !again.body.contains("Les éléments"),
        "the kept form came back twice"
    );

    // A description longer than any request's address may be (64 KB): it
    // comes back with its error beside it, though not its text, rather than
    // as the plain form.
    let huge = "x".repeat(100_000);
    let refused = teacher
        .post("/api/decks/update", form, "text/html", refuse(&huge))
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    let location = refused.header("location").unwrap().to_owned();
    assert!(location.len() < 8 * 1024, "{} bytes", location.len());
    let page = teacher.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Give the deck a title."), "{}", page.body);
    assert!(
        page.body.contains("Use at most 10,000 characters."),
        "{}",
        page.body
    );

    // A note type's templates, too long for an address, come back the same way.
    let template = format!("<div class=\"front\">{{{{Front}}}}</div>{}", "<br>".repeat(3_000));
    let refused_type = support::encode_form(&[
        ("input[name]", ""),
        ("input[kind]", "standard"),
        ("input[fields]", "Front\nBack"),
        ("input[templates][0][name]", "Card 1"),
        ("input[templates][0][front]", template.as_str()),
        ("input[templates][0][back]", "{{Back}}"),
    ]);
    let refused = teacher
        .post("/api/note-types/create", form, "text/html", refused_type)
        .await;
    assert_eq!(refused.status, StatusCode::FOUND, "{}", refused.body);
    let location = refused.header("location").unwrap().to_owned();
    assert_eq!(location, "/note-types?unsaved=1");
    let page = teacher.get(&location).await;
    assert!(page.body.contains("Give the note type a name."), "{}", page.body);
    assert!(
        page.body.contains(&"&lt;br&gt;".repeat(3_000)),
        "the template did not come back"
    );
}

#[tokio::test]
async fn a_head_request_is_answered_like_the_get_without_its_body() {
    let mut app = TestApp::new(support::fresh_database().await).await;
    app.register("head@example.org", "Hedda Head").await;
    let head = |path: &str| {
        Request::head(path)
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap()
    };
    let get = app.get_json("/api/me").await;
    assert_eq!(get.status, StatusCode::OK);
    assert!(get.body.contains("head@example.org"), "{}", get.body);
    let response = app.send(head("/api/me")).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("content-type"), get.header("content-type"));
    assert_eq!(response.body, "");
    // A page was answered so already; a server function that takes a POST
    // is still not one to HEAD.
    assert_eq!(app.send(head("/login")).await.status, StatusCode::OK);
    let response = app.send(head("/api/study/reviews")).await;
    assert_eq!(
        response.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        response.body
    );
}

/// A form posted without JavaScript and refused before any server function
/// read it (too large, or holding a NUL) goes back to its page with the
/// sentence beside the form, as a refusal by the function itself does,
/// rather than to a page of JSON; with no page of this site to go back to,
/// the browser gets a page that says it, and the hydrated app still gets the
/// JSON error its form reads.
#[tokio::test]
async fn a_form_refused_before_it_is_read_goes_back_to_its_page_with_the_reason() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(pool, ["server", "--max-body-bytes", "2048"]).await;
    app.register("ada@example.org", "Ada").await;
    let too_large = "The request is larger than Engram accepts. Shorten the text and try again.";
    let big_name = "x".repeat(4096);
    for (value, status, sentence) in [
        (big_name.as_str(), StatusCode::PAYLOAD_TOO_LARGE, too_large),
        (
            "Ada\u{0}Lovelace",
            StatusCode::BAD_REQUEST,
            "Text cannot contain the NUL character",
        ),
    ] {
        let form = [("input[display_name]", value)];
        let refused = app
            .post_form_from("/settings?saved=email", "/api/account/name", &form)
            .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
        let location = refused.header("location").unwrap().to_owned();
        assert!(location.starts_with("/settings?"), "{location}");
        // The error the page carried is replaced, and so is nothing else.
        assert!(location.contains("saved=email"), "{location}");
        assert_eq!(location.matches("__err=").count(), 1, "{location}");
        let page = app.get(&location).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&html_escaped(sentence)), "{location}");

        // Posted from no page it names: a page of its own.
        let elsewhere = app
            .post(
                "/api/account/name",
                "application/x-www-form-urlencoded",
                "text/html",
                support::encode_form(&form),
            )
            .await;
        assert_eq!(elsewhere.status, status);
        assert!(elsewhere.header("content-type").unwrap().starts_with("text/html"));
        assert!(
            elsewhere.body.contains(&html_escaped(sentence)),
            "{}",
            elsewhere.body
        );
        assert!(elsewhere.body.contains("<h1>Not accepted</h1>"));
        assert!(elsewhere.body.contains("<a href=\"/\">Back to Engram</a>"));

        // The hydrated app's call still gets the JSON error.
        let called = app
            .post(
                "/api/account/name",
                "application/x-www-form-urlencoded",
                "application/json",
                support::encode_form(&form),
            )
            .await;
        assert_eq!(called.status, status);
        assert!(
            called.body.starts_with('{') && called.body.contains(sentence),
            "{}",
            called.body
        );
    }
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
