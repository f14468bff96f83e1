//! Rendering notes is CPU work that authors control: the caps on what one
//! note may render to, where that work runs, and how often one person may
//! preview.

use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::{self, admin, create_deck, encode_form, member, TestApp, TestResponse};

/// The largest field a note may have (`MAX_FIELD_BYTES`).
const FIELD_BYTES: usize = 64 * 1024;

/// `templates` are (front, back); the type's fields are `Word` and `Meaning`.
async fn save_type(app: &mut TestApp, existing: Option<&str>, templates: &[(&str, &str)]) -> TestResponse {
    let mut form: Vec<(String, String)> = vec![
        ("input[name]".into(), "Vocabulary".into()),
        ("input[kind]".into(), "standard".into()),
        ("input[fields]".into(), "Word\nMeaning".into()),
    ];
    for (index, (front, back)) in templates.iter().enumerate() {
        form.push((
            format!("input[templates][{index}][name]"),
            format!("Card {}", index + 1),
        ));
        form.push((format!("input[templates][{index}][front]"), (*front).into()));
        form.push((format!("input[templates][{index}][back]"), (*back).into()));
    }
    let endpoint = match existing {
        Some(id) => {
            form.push(("note_type_id".into(), id.into()));
            "note-types/update"
        }
        None => "note-types/create",
    };
    let pairs: Vec<(&str, &str)> = form
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    app.call(endpoint, &pairs).await
}

fn preview_form<'a>(note_type: &'a str, fields: &'a [String]) -> Vec<(String, &'a str)> {
    let mut form = vec![("input[note_type]".to_owned(), note_type)];
    for (index, value) in fields.iter().enumerate() {
        form.push((format!("input[fields][{index}]"), value.as_str()));
    }
    form
}

async fn preview(app: &mut TestApp, note_type: &str, fields: &[String]) -> TestResponse {
    let form = preview_form(note_type, fields);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (key.as_str(), *value)).collect();
    app.call("notes/preview", &pairs).await
}

/// The first validation message of a 422 answer, as `(field, message)`.
fn field_error(response: &TestResponse) -> (String, String) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body.chars().take(500).collect::<String>()
    );
    let error = &response.json()["Validation"][0];
    (
        error["field"].as_str().unwrap().to_owned(),
        error["message"].as_str().unwrap().to_owned(),
    )
}

/// A teacher with a type whose front shows the 64 KiB `Word` 64 times (the
/// most placeholders a side may have): 4 MiB of front from one field.
async fn teacher_with_echoing_type() -> (TestApp, String) {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let echo = "{{Word}}".repeat(64);
    let created = save_type(
        &mut teacher,
        None,
        &[(&echo, "{{FrontSide}}{{FrontSide}}{{Meaning}}")],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let type_id = created.json().as_str().unwrap().to_owned();
    (teacher, type_id)
}

#[tokio::test]
async fn a_preview_whose_card_would_pass_the_size_cap_is_refused_naming_the_card() {
    let (mut teacher, type_id) = teacher_with_echoing_type().await;
    let fields = ["a".repeat(FIELD_BYTES), "meaning".to_owned()];
    let started = Instant::now();
    let response = preview(&mut teacher, &type_id, &fields).await;
    let (field, message) = field_error(&response);
    assert_eq!(field, "Word", "shown under the field that decides what is asked");
    assert!(
        message.contains("Card “Card 1” would be too large: its front comes to more than 256 KiB"),
        "{message}"
    );
    // Stopped at the cap rather than after building megabytes.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // The same type with a field that fits is fine.
    let fields = ["a".repeat(1024), "meaning".to_owned()];
    assert_eq!(
        preview(&mut teacher, &type_id, &fields).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn saving_a_note_whose_card_would_pass_the_size_cap_is_refused() {
    let (mut teacher, type_id) = teacher_with_echoing_type().await;
    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let big = "a".repeat(FIELD_BYTES);
    let response = teacher
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck),
                ("input[note_type]", &type_id),
                ("input[fields][0]", &big),
                ("input[fields][1]", "meaning"),
            ],
        )
        .await;
    let (field, message) = field_error(&response);
    assert_eq!(field, "Word");
    assert!(message.contains("would be too large"), "{message}");
}

#[tokio::test]
async fn a_template_with_too_many_placeholders_is_refused_when_the_type_is_saved() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let front = "{{Word}}".repeat(1000);
    let response = save_type(
        &mut teacher,
        None,
        &[("{{Word}}", "{{Meaning}}"), (&front, "{{Meaning}}")],
    )
    .await;
    let (field, message) = field_error(&response);
    assert_eq!(field, "template_1_front");
    assert!(message.contains("at most 64 placeholders"), "{message}");
}

#[tokio::test]
async fn a_type_edit_that_would_make_a_card_too_large_names_the_template_and_changes_nothing() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let created = save_type(
        &mut teacher,
        None,
        &[("{{Word}}", "{{FrontSide}}<hr>{{Meaning}}")],
    )
    .await;
    let type_id = created.json().as_str().unwrap().to_owned();
    let deck = create_deck(&mut teacher, "Spanish", "private").await;
    let big = "a".repeat(FIELD_BYTES);
    let note = teacher
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck),
                ("input[note_type]", &type_id),
                ("input[fields][0]", "word"),
                ("input[fields][1]", &big),
            ],
        )
        .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);

    // The second template shows the 64 KiB meaning 8 times on its back.
    let echo = "{{Meaning}}".repeat(8);
    let response = save_type(
        &mut teacher,
        Some(&type_id),
        &[("{{Word}}", "{{FrontSide}}<hr>{{Meaning}}"), ("{{Word}}", &echo)],
    )
    .await;
    let (field, message) = field_error(&response);
    assert_eq!(field, "template_1_back", "{message}");
    assert!(
        message.contains("would break") && message.contains("too large"),
        "{message}"
    );
    assert_eq!(
        sqlx::query_scalar::<_, i64>("select count(*) from cards")
            .fetch_one(&pool)
            .await
            .unwrap(),
        1,
        "no card was added"
    );
}

/// A cloze note in the shape of the one that took 14.3 s of CPU and
/// answered 61.6 MB: 100 deletions and 60 KB of formulas.
fn hundred_deletions_and_formulas() -> Vec<String> {
    let deletions: String = (1..=100).map(|n| format!("{{{{c{n}::x{n}}}}} ")).collect();
    let formulas = r"$\frac{a^2 + b^2}{\sqrt{c_1 + d_2}}$ ".repeat(1500);
    vec![deletions + &formulas, String::new()]
}

#[tokio::test]
async fn a_cloze_with_a_hundred_deletions_and_large_formulas_is_refused_quickly() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let started = Instant::now();
    let response = preview(&mut learner, "cloze", &hundred_deletions_and_formulas()).await;
    let (field, message) = field_error(&response);
    assert_eq!(field, "Text");
    assert!(message.contains("too large"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn previews_past_the_per_account_burst_answer_429_with_retry_after() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let fields = ["hola".to_owned(), "hello".to_owned()];
    // The default burst is 10 previews, refilled at one a second: on a slow
    // machine a few more may pass while the first ten are answered.
    let mut answered = 0;
    let throttled = loop {
        let response = preview(&mut learner, "basic", &fields).await;
        if response.status != StatusCode::OK {
            break response;
        }
        answered += 1;
        assert!(answered <= 20, "20 previews in a row were answered");
    };
    assert!(answered >= 10, "throttled after {answered} previews");
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
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Saving is not a preview: the author can still save their note.
    let deck = create_deck(&mut learner, "Mine", "private").await;
    let saved = learner
        .call(
            "notes/create",
            &[
                ("input[deck_id]", &deck),
                ("input[note_type]", "basic"),
                ("input[fields][0]", "hola"),
                ("input[fields][1]", "hello"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

/// A valid note close to the caps: a cloze whose cards together come near
/// 2 MiB, each rendering its share of formulas again.
fn heavy_but_valid_cloze() -> Vec<String> {
    let deletions: String = (1..=24).map(|n| format!("{{{{c{n}::x{n}}}}} ")).collect();
    let formulas = r"$\frac{a^2 + b^2}{\sqrt{c_1 + d_2}}$ ".repeat(HEAVY_FORMULAS);
    vec![deletions + &formulas, String::new()]
}

/// 24 cards rendering 150 formulas each on both sides come to 1.9 MB, just
/// inside the note's 2 MiB (output size does not depend on the machine), and
/// took 420 ms of CPU here: twice the health-check bound.
const HEAVY_FORMULAS: usize = 150;

async fn send_preview(router: Router, cookie: String, fields: Vec<String>) -> (StatusCode, Duration) {
    let form = preview_form("cloze", &fields);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(key, value)| (key.as_str(), *value)).collect();
    let body = encode_form(&pairs);
    let request = Request::post("/api/notes/preview")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .header(
            header::COOKIE,
            format!("{}={cookie}", server::router::SESSION_COOKIE),
        )
        .body(Body::from(body))
        .unwrap();
    let started = Instant::now();
    let response = router.oneshot(request).await.expect("router answers");
    let status = response.status();
    response.into_body().collect().await.expect("body");
    (status, started.elapsed())
}

async fn health_check(router: Router) -> StatusCode {
    let request = Request::get("/healthz")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    router.oneshot(request).await.expect("router answers").status()
}

/// The longest a health check may take while previews render.
const HEALTH_CHECK_BOUND: Duration = Duration::from_millis(200);

/// Heavy previews render on the blocking pool, so the async workers keep
/// answering everyone else.
///
/// Why this is neither flaky nor vacuous on a loaded 2-core machine:
/// - Two async workers, as the server has on two cores, and every request
///   (previews and probes alike) is a spawned task that needs a free worker,
///   as each connection does in the server. (The test's own thread, which
///   `block_on` drives, is not a worker: a probe awaited there directly
///   would be answered whatever the workers were doing.)
/// - Four previews are in flight, twice the workers. Rendered on the workers
///   (the bug), each holds one for its whole render, so a probe waits a
///   full render or more, far past the bound; the test checks that a preview
///   takes longer than the bound, so the input cannot quietly become cheap.
///   Rendered on the blocking pool, a worker only needs the OS to schedule
///   it beside two CPU-bound render threads (the render permits), which
///   Linux does within milliseconds of a wake-up even with builds running
///   beside the test; the bound leaves a wide margin for that.
/// - Requests go to the router directly, not through `TestApp::send`, whose
///   lock would make a probe wait while another test builds its router.
/// - Only probes taken while a preview was still rendering count, and there
///   must be several of them. Between probes the test thread sleeps with
///   `std::thread::sleep` (see there why not tokio's).
///
/// Measured here, with the other tests of this binary running beside it:
/// the slowest probe took 13 to 24 ms; with rendering on the workers, 1.05 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_checks_stay_quick_while_heavy_previews_render() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let author = member(&pool, &mut admin, "author@example.org", "learner").await;
    let router = author.router();
    let cookie = author.session_cookie.clone().expect("signed in");

    // One preview alone first: valid, and heavy enough to matter.
    let (status, alone) = tokio::spawn(send_preview(
        router.clone(),
        cookie.clone(),
        heavy_but_valid_cloze(),
    ))
    .await
    .unwrap();
    assert_eq!(status, StatusCode::OK, "the heavy note is valid");
    assert!(
        alone > HEALTH_CHECK_BOUND,
        "one heavy preview took {alone:?}: make it heavier, or the test proves nothing"
    );

    let previews: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(send_preview(
                router.clone(),
                cookie.clone(),
                heavy_but_valid_cloze(),
            ))
        })
        .collect();
    let mut while_rendering = Vec::new();
    while previews.iter().any(|preview| !preview.is_finished()) {
        let started = Instant::now();
        let status = tokio::spawn(health_check(router.clone())).await.unwrap();
        let latency = started.elapsed();
        assert_eq!(status, StatusCode::OK);
        if previews.iter().any(|preview| !preview.is_finished()) {
            while_rendering.push(latency);
        }
        // A thread sleep, not tokio's: timers are driven by idle workers, so
        // with both workers stuck a tokio sleep would not end until they
        // were free again, and no probe would be sent while they were stuck.
        // This thread is not a worker, so blocking it holds up nothing.
        std::thread::sleep(Duration::from_millis(10));
    }
    for preview in previews {
        assert_eq!(preview.await.unwrap().0, StatusCode::OK);
    }
    assert!(
        while_rendering.len() >= 5,
        "only {} probes ran while previews rendered",
        while_rendering.len()
    );
    let slowest = while_rendering.iter().max().unwrap();
    assert!(
        *slowest < HEALTH_CHECK_BOUND,
        "/healthz took {slowest:?} while previews rendered (all: {while_rendering:?})"
    );
}
