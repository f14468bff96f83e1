//! Input that used to answer 500, leak a draft or leave the site, and the
//! limits around uploads and request bodies.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};

use crate::support::{self, admin, create_deck, member, TestApp};

/// The smallest valid PNG: one transparent pixel.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The same pixel with `extra` bytes of padding after the end chunk: still
/// sniffed as PNG, but with another hash.
fn padded_png(extra: usize, fill: u8) -> Vec<u8> {
    let mut bytes = PIXEL_PNG.to_vec();
    bytes.extend(std::iter::repeat_n(fill, extra));
    bytes
}

async fn get_json(app: &mut TestApp, path: &str) -> support::TestResponse {
    app.send(
        Request::get(path)
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[tokio::test]
async fn nul_in_addresses_and_queries_is_refused_with_400() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let nul_cursor = hex(br#"{"key":"a\u0000b","card_id":"00000000-0000-0000-0000-000000000000"}"#);
    for path in [
        "/courses/a%00b",
        "/courses/a%00b/lessons/00000000-0000-0000-0000-000000000000",
        "/api/courses/page?slug=a%00b",
        "/api/browse/search?query%5Bq%5D=%00",
        "/api/browse/search?query%5Bq%5D=deck:%00",
        "/api/browse/search?query%5Bq%5D=tag:a%00",
        "/browse?q=tag:%00",
        "/api/admin/accounts?query%5Bsearch%5D=a%00",
        "/admin?q=a%00",
        "/catalogue?q=a%00b",
    ] {
        let response = admin.get(path).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            response.body
        );
        assert!(response.body.contains("NUL"), "{path}: {}", response.body);
    }
    // Inside a cursor the NUL is hex-encoded, past any URL check.
    let response = get_json(
        &mut admin,
        &format!("/api/browse/search?query%5Bsort%5D=text&query%5Bafter%5D={nul_cursor}"),
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
}

#[tokio::test]
async fn nul_in_a_server_function_body_is_a_clear_error() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let response = admin
        .call(
            "note-types/create",
            &[
                ("input[name]", "Vocab\0"),
                ("input[kind]", "standard"),
                ("input[fields]", "Word"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    let error = response.json();
    assert!(
        error["BadRequest"].as_str().unwrap().contains("NUL character"),
        "{error}"
    );
    // JSON bodies are read the same way.
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(r#"{"input":{"email":"a\u0000@b.co","password":"x"}}"#))
        .unwrap();
    assert_eq!(admin.send(request).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_forged_page_cursor_is_a_field_error_not_a_failure() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    create_deck(&mut admin, "Verbs", "private").await;
    for sort in ["created", "edited", "due"] {
        let cursor = hex(br#"{"key":"not a date","card_id":"00000000-0000-0000-0000-000000000000"}"#);
        let response = get_json(
            &mut admin,
            &format!("/api/browse/search?query%5Bsort%5D={sort}&query%5Bafter%5D={cursor}"),
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{sort}: {}",
            response.body
        );
        assert!(response.body.contains("out of date"), "{}", response.body);
    }
}

async fn create_course(app: &mut TestApp, slug: &str, title: &str) -> support::TestResponse {
    app.call(
        "courses/create",
        &[
            ("input[title]", title),
            ("input[description]", ""),
            ("input[category]", "Languages"),
            ("input[level]", "beginner"),
            ("input[language]", "es"),
            ("input[slug]", slug),
        ],
    )
    .await
}

async fn course_id(pool: &sqlx::PgPool, owner_email: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "select c.id from courses c join users u on u.id = c.owner_id where u.email = $1",
    )
    .bind(owner_email)
    .fetch_one(pool)
    .await
    .unwrap()
    .to_string()
}

#[tokio::test]
async fn another_teachers_draft_address_is_neither_revealed_nor_blocking() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut first = member(&pool, &mut admin, "first@example.org", "teacher").await;
    let mut second = member(&pool, &mut admin, "second@example.org", "teacher").await;
    let mut visitor = TestApp::new(pool.clone()).await;

    assert_eq!(
        create_course(&mut first, "secret-plans", "First plans")
            .await
            .status,
        StatusCode::OK
    );
    // The second teacher learns nothing about the first one's draft.
    let response = create_course(&mut second, "secret-plans", "Second plans").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // Each author sees their own course at the address; a visitor sees none.
    let first_id = course_id(&pool, "first@example.org").await;
    let second_id = course_id(&pool, "second@example.org").await;
    assert!(first
        .get("/courses/secret-plans")
        .await
        .body
        .contains("First plans"));
    assert!(second
        .get("/courses/secret-plans")
        .await
        .body
        .contains("Second plans"));
    assert_eq!(
        visitor.get("/courses/secret-plans").await.status,
        StatusCode::NOT_FOUND
    );
    // One author may not use an address twice.
    let again = create_course(&mut first, "secret-plans", "Again").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("You already have a course at this address"),
        "{}",
        again.body
    );

    // Publishing claims the address for everyone, and only then is it taken.
    for (author, id) in [(&mut first, &first_id), (&mut second, &second_id)] {
        let lesson = author
            .call(
                "courses/lessons/create",
                &[("course_id", id), ("title", "Lesson one")],
            )
            .await;
        assert_eq!(lesson.status, StatusCode::OK, "{}", lesson.body);
    }
    let publish = |id: String| [("course_id", id), ("status", "published".to_owned())];
    let first_publish = publish(first_id.clone());
    let pairs: Vec<(&str, &str)> = first_publish.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(first.call("courses/status", &pairs).await.status, StatusCode::OK);
    assert!(visitor
        .get("/courses/secret-plans")
        .await
        .body
        .contains("First plans"));
    let second_publish = publish(second_id.clone());
    let pairs: Vec<(&str, &str)> = second_publish.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = second.call("courses/status", &pairs).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("A published course already uses"),
        "{}",
        refused.body
    );
    let third = create_course(&mut admin, "secret-plans", "Third").await;
    assert_eq!(third.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(third
        .body
        .contains("A published course already uses this address"));
}

#[tokio::test]
async fn uploads_stop_at_the_accounts_allowance() {
    let pool = support::fresh_database().await;
    let mut uploader = TestApp::from_cli(pool.clone(), ["server", "--media-quota-bytes", "200"]).await;
    uploader.register("uploader@example.org", "Uploader").await;
    let first = padded_png(60, 1);
    assert_eq!(uploader.upload(&first).await.status, StatusCode::CREATED);
    let second = padded_png(70, 2);
    let refused = uploader.upload(&second).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    assert_eq!(
        refused.json()["error"],
        "This file (137 bytes) would take you past your upload allowance: you have used 127 bytes of 200 bytes."
    );
    // A file already stored costs nothing, whoever uploaded it.
    assert_eq!(uploader.upload(&first).await.status, StatusCode::CREATED);
    let stored: i64 = sqlx::query_scalar("select count(*) from media")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn oversized_requests_are_explained_in_json() {
    let pool = support::fresh_database().await;
    let mut app = TestApp::from_cli(
        pool.clone(),
        ["server", "--max-upload-bytes", "1024", "--max-body-bytes", "4096"],
    )
    .await;
    app.register("author@example.org", "Author").await;
    // Far past the upload limit: the handler still answers, in JSON.
    let response = app.upload(&padded_png(200 * 1024, 0)).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.json()["error"]
        .as_str()
        .unwrap()
        .contains("the limit is 1 KiB"));
    // A server function body past the limit gets the app's error.
    let long = "x".repeat(8 * 1024);
    let response = app
        .call(
            "decks/create",
            &[("input[title]", "Deck"), ("input[description]", &long)],
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.body
    );
    assert!(response.json()["BadRequest"]
        .as_str()
        .unwrap()
        .contains("larger than Engram accepts"));
}

#[tokio::test]
async fn a_redirect_never_leaves_the_site() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool).await;
    // A form without JavaScript is sent back to where it came from; a
    // foreign page must not be able to choose that place.
    for referer in [
        "http://evil.example/landing",
        "//evil.example/landing",
        "http://127.0.0.1:3000@evil.example/",
    ] {
        let request = Request::get("/api/me")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, referer)
            .body(Body::empty())
            .unwrap();
        let response = visitor.send(request).await;
        assert!(response.status.is_redirection(), "{referer}: {}", response.status);
        assert_eq!(response.header("location"), Some("/"), "{referer}");
    }
    let request = Request::get("/api/me")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/dashboard")
        .body(Body::empty())
        .unwrap();
    let response = visitor.send(request).await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let location = response.header("location").unwrap_or_default();
    assert!(
        location.starts_with("http://127.0.0.1:3000/dashboard"),
        "{location}"
    );
}

#[tokio::test]
async fn strict_transport_security_is_sent_only_over_https() {
    let pool = support::fresh_database().await;
    let mut https = TestApp::from_cli(
        pool.clone(),
        ["server", "--public-url", "https://cards.example.org"],
    )
    .await;
    let response = https.get("/").await;
    assert_eq!(
        response.header("strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
    let mut http = TestApp::new(pool).await;
    assert_eq!(http.get("/").await.header("strict-transport-security"), None);
}

/// Requests that a fuzzing pass over every server function and route found
/// answering 500, panicking or taking the server down. Each is now a 4xx
/// that says what is wrong.
#[tokio::test]
async fn input_found_by_fuzzing_is_refused_not_a_failure() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let deck = create_deck(&mut admin, "Fuzzed", "private").await;

    // A formula nested 5,000 levels deep overflowed the renderer's stack,
    // which aborts the whole process.
    let deep_formula = format!("${}x{}$", "{".repeat(5000), "}".repeat(5000));
    let deep_fraction = format!("${}x{}$", "\\frac{1}{".repeat(5000), "}".repeat(5000));
    for field in [deep_formula.as_str(), deep_fraction.as_str(), &">".repeat(60_000)] {
        let response = admin
            .call(
                "notes/create",
                &[
                    ("input[deck_id]", &deck),
                    ("input[note_type]", "basic"),
                    ("input[fields][0]", field),
                    ("input[fields][1]", "b"),
                    ("input[tags]", ""),
                ],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            response.body
        );
        assert!(response.body.contains("at most"), "{}", response.body);
    }

    // The page writes the time a card was shown; a forged one overflowed.
    let response = admin
        .call(
            "study/answer",
            &[
                ("deck_id", &deck),
                ("card_id", "00000000-0000-4000-8000-000000000000"),
                ("review_id", "00000000-0000-4000-8000-000000000001"),
                ("rating", "3"),
                ("shown_at_ms", &i64::MIN.to_string()),
            ],
        )
        .await;
    assert!(
        response.status.is_client_error(),
        "{}: {}",
        response.status,
        response.body
    );

    // A parser's message quotes the input: a 66,000-letter value made an
    // error too long to read back, sent as an empty 500.
    let response = admin
        .call(
            "decks/create",
            &[
                ("input[title]", "Long"),
                ("input[description]", ""),
                ("input[language]", ""),
                ("input[visibility]", &"A".repeat(66_000)),
                ("input[parent_id]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.body.len() < 2_000, "{} bytes", response.body.len());

    // Server functions read a form sent as text/plain too: its NUL is
    // refused like any other.
    let response = admin
        .post(
            "/api/note-types/create",
            "text/plain",
            "application/json",
            "input[name]=NT&input[kind]=standard&input[fields]=Front%0ABack&input[templates][0][name]=a%00b",
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(response.body.contains("NUL"), "{}", response.body);

    // An email longer than any address: the throttle could not key it.
    let response = TestApp::new(pool.clone())
        .await
        .call(
            "login",
            &[
                ("input[email]", &"a".repeat(20_000)),
                ("input[password]", "whatever"),
            ],
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert!(response.body.contains("too long"), "{}", response.body);

    // A review dated before any time PostgreSQL stores.
    let body = format!(
        r#"{{"reviews":[{{"id":"00000000-0000-4000-8000-000000000002","card_id":"00000000-0000-4000-8000-000000000000","rating":3,"reviewed_at_ms":{}}}]}}"#,
        -999_999_999_999_999i64
    );
    let response = admin
        .post("/api/study/reviews", "application/json", "application/json", body)
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST, "{}", response.body);
    assert!(
        response.body.contains("dated before the year 2000"),
        "{}",
        response.body
    );

    // Page cursors dated where PostgreSQL has no dates.
    let catalogue_cursor =
        hex(br#"{"ListedAt":[-300000000000000000,"00000000-0000-0000-0000-000000000000"]}"#);
    let response = get_json(
        &mut admin,
        &format!("/api/catalogue/search?query%5Bsort%5D=newest&query%5Bafter%5D={catalogue_cursor}"),
    )
    .await;
    assert!(
        response.status.is_client_error(),
        "{}: {}",
        response.status,
        response.body
    );
    let browse_cursor =
        hex(br#"{"key":"0000-01-01 00:00:00+00","card_id":"00000000-0000-0000-0000-000000000000"}"#);
    let response = get_json(
        &mut admin,
        &format!("/api/browse/search?query%5Bsort%5D=created&query%5Bafter%5D={browse_cursor}"),
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
}

/// A file name longer than the file system allows was a 500 from the static
/// files, and an error in the log that anyone could write.
#[tokio::test]
async fn an_address_longer_than_a_file_name_is_not_found() {
    let pool = support::fresh_database().await;
    let site = std::env::temp_dir().join(format!("engram-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::create_dir_all(site.join("icons")).unwrap();
    let mut app = TestApp::serving_site(pool, site.to_str().unwrap()).await;
    let long_name = "a".repeat(300);
    for path in [
        format!("/pkg/{long_name}"),
        format!("/icons/{long_name}"),
        format!("/{long_name}"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            response.body
        );
    }
    std::fs::remove_dir_all(site).unwrap();
}
