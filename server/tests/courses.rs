//! Courses through the real router: who may create and change them, the
//! draft → published → archived workflow, lesson order, enrolment and
//! progress.

mod support;

use axum::{body::Body, http::Request, http::StatusCode};
use sqlx::PgPool;
use support::{admin, course_id, create_course, create_deck, member, TestApp, TestResponse};

async fn add_lesson(app: &mut TestApp, course_id: &str, title: &str) -> String {
    let response = app
        .call(
            "courses/lessons/create",
            &[("course_id", course_id), ("title", title)],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json().as_str().unwrap().to_owned()
}

async fn set_status(app: &mut TestApp, course_id: &str, status: &str) -> TestResponse {
    app.call("courses/status", &[("course_id", course_id), ("status", status)])
        .await
}

async fn course_page(app: &mut TestApp, slug: &str) -> TestResponse {
    let request = Request::get(format!("/api/courses/page?slug={slug}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn lesson_page(app: &mut TestApp, slug: &str, lesson_id: &str) -> TestResponse {
    let request = Request::get(format!(
        "/api/courses/lessons/page?slug={slug}&lesson_id={lesson_id}"
    ))
    .body(Body::empty())
    .unwrap();
    app.send(request).await
}

/// A published course with two lessons, by a teacher.
async fn published_course(pool: &PgPool, admin: &mut TestApp) -> (TestApp, String, [String; 2]) {
    let mut teacher = member(pool, admin, "teacher@example.org", "teacher").await;
    assert_eq!(
        create_course(&mut teacher, "Spanish basics", "").await.status,
        StatusCode::OK
    );
    let id = course_id(pool, "spanish-basics").await;
    let first = add_lesson(&mut teacher, &id, "Greetings").await;
    let second = add_lesson(&mut teacher, &id, "Numbers").await;
    assert_eq!(
        set_status(&mut teacher, &id, "published").await.status,
        StatusCode::OK
    );
    (teacher, id, [first, second])
}

#[tokio::test]
async fn a_learner_cannot_create_a_course() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let response = create_course(&mut learner, "My course", "").await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let page = learner.get("/courses/new").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        create_course(&mut visitor, "Anonymous", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let courses: i64 = sqlx::query_scalar("select count(*) from courses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(courses, 0);
}

#[tokio::test]
async fn a_duplicate_slug_is_a_field_error() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let created = create_course(&mut teacher, "Español: primeras palabras", "").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.json(), "espanol-primeras-palabras");

    // Addresses are unique per author; across authors, drafts may share one
    // (so a draft's address is never revealed) until one is published.
    let duplicate = create_course(&mut teacher, "Another", "espanol-primeras-palabras").await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(duplicate.json()["Validation"][0]["field"], "slug");

    let malformed = create_course(&mut teacher, "Another", "Not A Slug").await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(malformed.json()["Validation"][0]["field"], "slug");
    let courses: i64 = sqlx::query_scalar("select count(*) from courses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(courses, 1);

    // An address left to be made from the title takes the first free one
    // rather than refusing the form; another author's draft takes none
    // from them (drafts share addresses).
    let again = create_course(&mut teacher, "Español: primeras palabras", "").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json(), "espanol-primeras-palabras-2");
    let third = create_course(&mut teacher, "Español: ¡primeras palabras! 😀", "").await;
    assert_eq!(third.json(), "espanol-primeras-palabras-3");
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;
    let theirs = create_course(&mut other, "Español: primeras palabras", "").await;
    assert_eq!(theirs.json(), "espanol-primeras-palabras");
    // Near the longest address, the number still fits.
    let long_title = "a".repeat(80);
    create_course(&mut teacher, &long_title, "").await;
    let numbered = create_course(&mut teacher, &long_title, "").await;
    assert_eq!(numbered.json(), format!("{}-2", "a".repeat(78)));
}

#[tokio::test]
async fn a_draft_is_hidden_until_published_and_publishing_needs_a_lesson() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    create_course(&mut teacher, "Secret plans", "").await;
    let id = course_id(&pool, "secret-plans").await;

    assert_eq!(
        course_page(&mut teacher, "secret-plans").await.status,
        StatusCode::OK
    );
    assert_eq!(
        course_page(&mut admin, "secret-plans").await.status,
        StatusCode::OK
    );
    assert_eq!(
        course_page(&mut learner, "secret-plans").await.status,
        StatusCode::NOT_FOUND
    );
    let page = learner.get("/courses/secret-plans").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Secret plans"), "the title must not leak");
    assert_eq!(
        learner.call("courses/enrol", &[("course_id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );

    let empty = set_status(&mut teacher, &id, "published").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["Validation"][0]["field"], "status");
    let skipped = set_status(&mut teacher, &id, "archived").await;
    assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);

    add_lesson(&mut teacher, &id, "Day one").await;
    assert_eq!(
        set_status(&mut teacher, &id, "published").await.status,
        StatusCode::OK
    );
    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(
        course_page(&mut visitor, "secret-plans").await.status,
        StatusCode::OK
    );
    let page = visitor.get("/courses/secret-plans").await;
    assert!(page.body.contains("Log in to enrol"));
}

#[tokio::test]
async fn only_the_author_or_an_admin_changes_a_course() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (_teacher, id, [lesson, _]) = published_course(&pool, &mut admin).await;
    let mut other = member(&pool, &mut admin, "other@example.org", "teacher").await;

    for (endpoint, form) in [
        (
            "courses/status",
            vec![("course_id", id.as_str()), ("status", "archived")],
        ),
        ("courses/delete", vec![("course_id", id.as_str())]),
        (
            "courses/lessons/create",
            vec![("course_id", id.as_str()), ("title", "Mine")],
        ),
        ("courses/lessons/delete", vec![("lesson_id", lesson.as_str())]),
        (
            "courses/lessons/update",
            vec![
                ("lesson_id", lesson.as_str()),
                ("input[title]", "x"),
                ("input[body]", "y"),
            ],
        ),
    ] {
        let response = other.call(endpoint, &form).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let title: String = sqlx::query_scalar("select title from lessons where id = $1::uuid")
        .bind(&lesson)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Greetings");
    let response = admin
        .call(
            "courses/lessons/update",
            &[
                ("lesson_id", &lesson),
                ("input[title]", "Hello!"),
                ("input[body]", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

/// A role change applies at once: an author made a learner again still
/// sees their draft, but can no longer change it, publish it, or make a
/// private deck unlisted by attaching it to a lesson.
#[tokio::test]
async fn an_author_made_a_learner_again_no_longer_changes_or_shares_through_a_course() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut author = member(&pool, &mut admin, "author@example.org", "teacher").await;
    assert_eq!(
        create_course(&mut author, "Spanish basics", "").await.status,
        StatusCode::OK
    );
    let id = course_id(&pool, "spanish-basics").await;
    let lesson = add_lesson(&mut author, &id, "Greetings").await;
    let private_deck = create_deck(&mut author, "Drafts", "private").await;
    let author_id = author.me().await["id"].as_str().unwrap().to_owned();
    let demoted = support::change_role(&mut admin, &author_id, "learner", Some(support::PASSWORD)).await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
    assert_eq!(author.me().await["role"], "learner");

    for (endpoint, form) in [
        (
            "courses/status",
            vec![("course_id", id.as_str()), ("status", "published")],
        ),
        (
            "courses/lessons/attach",
            vec![
                ("lesson_id", lesson.as_str()),
                ("deck_id", private_deck.as_str()),
                ("make_unlisted", "true"),
            ],
        ),
        (
            "courses/lessons/create",
            vec![("course_id", id.as_str()), ("title", "More")],
        ),
        (
            "courses/lessons/update",
            vec![
                ("lesson_id", lesson.as_str()),
                ("input[title]", "x"),
                ("input[body]", "y"),
            ],
        ),
        ("courses/delete", vec![("course_id", id.as_str())]),
    ] {
        let response = author.call(endpoint, &form).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{endpoint}: {}",
            response.body
        );
    }
    let (status, visibility): (String, String) = sqlx::query_as(
        "select c.status::text, d.visibility::text from courses c, decks d
         where c.id = $1::uuid and d.id = $2::uuid",
    )
    .bind(&id)
    .bind(&private_deck)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), visibility.as_str()), ("draft", "private"));
    let page = course_page(&mut author, "spanish-basics").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.json()["can_edit"], false, "{}", page.body);
    let mut visitor = TestApp::new(pool).await;
    assert_eq!(
        course_page(&mut visitor, "spanish-basics").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lessons_keep_a_gapless_order_through_moves_and_deletes() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    create_course(&mut admin, "Order", "order").await;
    let id = course_id(&pool, "order").await;
    let a = add_lesson(&mut admin, &id, "A").await;
    let b = add_lesson(&mut admin, &id, "B").await;
    let c = add_lesson(&mut admin, &id, "C").await;
    let titles = || async {
        sqlx::query_scalar::<_, String>(
            "select title from lessons where course_id = $1::uuid order by position",
        )
        .bind(&id)
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    admin
        .call("courses/lessons/move", &[("lesson_id", &c), ("earlier", "true")])
        .await;
    assert_eq!(titles().await, ["A", "C", "B"]);
    // The first lesson cannot move earlier: nothing changes.
    admin
        .call("courses/lessons/move", &[("lesson_id", &a), ("earlier", "true")])
        .await;
    assert_eq!(titles().await, ["A", "C", "B"]);
    admin
        .call("courses/lessons/move", &[("lesson_id", &a), ("earlier", "false")])
        .await;
    assert_eq!(titles().await, ["C", "A", "B"]);
    let deleted = admin.call("courses/lessons/delete", &[("lesson_id", &a)]).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(titles().await, ["C", "B"]);
    let positions: Vec<i32> =
        sqlx::query_scalar("select position from lessons where course_id = $1::uuid order by position")
            .bind(&id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(positions, [1, 2]);
    let _ = b;
}

#[tokio::test]
async fn a_learner_enrols_opens_a_lesson_and_sees_their_progress() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (_teacher, id, [first, second]) = published_course(&pool, &mut admin).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    let not_enrolled = learner
        .call(
            "courses/lessons/complete",
            &[("lesson_id", &first), ("completed", "true")],
        )
        .await;
    assert_eq!(not_enrolled.status, StatusCode::CONFLICT);

    assert_eq!(
        learner.call("courses/enrol", &[("course_id", &id)]).await.status,
        StatusCode::OK
    );
    // Enrolling twice changes nothing.
    assert_eq!(
        learner.call("courses/enrol", &[("course_id", &id)]).await.status,
        StatusCode::OK
    );
    let page = course_page(&mut learner, "spanish-basics").await.json();
    assert_eq!(page["progress"]["completed_lessons"], 0);
    assert_eq!(page["progress"]["total_lessons"], 2);

    // Loading a lesson (a GET) writes nothing; the page then says it was opened.
    let lesson = lesson_page(&mut learner, "spanish-basics", &second).await;
    assert_eq!(lesson.status, StatusCode::OK);
    let remembered = || async {
        sqlx::query_scalar::<_, Option<uuid::Uuid>>("select last_lesson_id from enrolments")
            .fetch_one(&pool)
            .await
            .unwrap()
            .map(|id| id.to_string())
    };
    assert_eq!(remembered().await, None, "a GET remembered the lesson");
    let opened = learner
        .call("courses/lessons/opened", &[("lesson_id", &second)])
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(remembered().await.as_deref(), Some(second.as_str()));
    let dashboard = learner.get("/api/dashboard").await.json();
    assert_eq!(dashboard["studying"][0]["resume_lesson_title"], "Numbers");

    // Marking a lesson complete (the way without JavaScript) remembers it
    // too, and "continue" moves on to the next lesson not completed.
    let opened = learner
        .call("courses/lessons/opened", &[("lesson_id", &first)])
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(remembered().await.as_deref(), Some(first.as_str()));
    let done = learner
        .call(
            "courses/lessons/complete",
            &[("lesson_id", &first), ("completed", "true")],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let dashboard = learner.get("/api/dashboard").await.json();
    let studying = &dashboard["studying"][0];
    assert_eq!(studying["slug"], "spanish-basics");
    assert_eq!(studying["completed_lessons"], 1);
    assert_eq!(studying["resume_lesson_id"], second.as_str());
    assert_eq!(studying["resume_lesson_title"], "Numbers");
    let html = learner.get("/dashboard").await.body;
    assert!(html.contains("Continue where you left off"));
    assert!(html.contains("1 of 2 lessons complete · 50%"));
    let page = course_page(&mut learner, "spanish-basics").await.json();
    assert_eq!(page["progress"]["last_lesson_id"], second.as_str());
    // The completed lesson opened again to look back at leaves "continue"
    // where it was; taken back to not completed, it is where they are.
    learner
        .call("courses/lessons/opened", &[("lesson_id", &first)])
        .await;
    assert_eq!(remembered().await.as_deref(), Some(second.as_str()));
    let undone = learner
        .call(
            "courses/lessons/complete",
            &[("lesson_id", &first), ("completed", "false")],
        )
        .await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.body);
    assert_eq!(remembered().await.as_deref(), Some(first.as_str()));

    // A lesson from another course's address is not found.
    create_course(&mut admin, "Other", "other-course").await;
    let other_id = course_id(&pool, "other-course").await;
    let other_lesson = add_lesson(&mut admin, &other_id, "Elsewhere").await;
    set_status(&mut admin, &other_id, "published").await;
    assert_eq!(
        lesson_page(&mut learner, "spanish-basics", &other_lesson)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_archived_course_stays_open_to_its_learners_only() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, id, _) = published_course(&pool, &mut admin).await;
    let mut enrolled = member(&pool, &mut admin, "enrolled@example.org", "learner").await;
    let mut newcomer = member(&pool, &mut admin, "new@example.org", "learner").await;
    enrolled.call("courses/enrol", &[("course_id", &id)]).await;

    let back_to_draft = set_status(&mut teacher, &id, "draft").await;
    assert_eq!(back_to_draft.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        set_status(&mut teacher, &id, "archived").await.status,
        StatusCode::OK
    );

    assert_eq!(
        course_page(&mut enrolled, "spanish-basics").await.status,
        StatusCode::OK
    );
    assert_eq!(
        course_page(&mut newcomer, "spanish-basics").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        newcomer.call("courses/enrol", &[("course_id", &id)]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lessons_are_sanitised_and_attach_only_shareable_decks_of_the_author() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, _id, [lesson, _]) = published_course(&pool, &mut admin).await;
    let response = teacher
        .call(
            "courses/lessons/update",
            &[
                ("lesson_id", &lesson),
                ("input[title]", "Greetings"),
                (
                    "input[body]",
                    "# Hola\n\nEuler: $e^{i\\pi}$\n\n<script>alert(1)</script><img src=/media/x.png onerror=alert(1)>",
                ),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let html: String = sqlx::query_scalar("select body_html from lessons where id = $1::uuid")
        .bind(&lesson)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(html.contains("<h1>Hola</h1>"), "{html}");
    assert!(html.contains("<math"), "{html}");
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");

    let broken = teacher
        .call(
            "courses/lessons/update",
            &[
                ("lesson_id", &lesson),
                ("input[title]", ""),
                ("input[body]", "$\\frac{1}$"),
            ],
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = broken.json()["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["title", "body"]);

    // An image from another site would show as nothing: the teacher is told,
    // and the lesson keeps what it had.
    let remote = teacher
        .call(
            "courses/lessons/update",
            &[
                ("lesson_id", &lesson),
                ("input[title]", "Greetings"),
                (
                    "input[body]",
                    "# Hola\n\n![Madrid](https://photos.example/madrid.jpg)",
                ),
            ],
        )
        .await;
    assert_eq!(remote.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", remote.body);
    assert!(remote
        .field_message("body")
        .unwrap()
        .contains("(https://photos.example/madrid.jpg). Remove it, or link to it instead"));
    let kept: String = sqlx::query_scalar("select body_html from lessons where id = $1::uuid")
        .bind(&lesson)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, html);

    let private_deck = create_deck(&mut teacher, "Drafts", "private").await;
    let refused = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson), ("deck_id", &private_deck)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["Validation"][0]["field"], "deck_id");
    let admins_deck = create_deck(&mut admin, "Not yours", "public").await;
    let refused = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson), ("deck_id", &admins_deck)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let public_deck = create_deck(&mut teacher, "Greetings deck", "public").await;
    let option = format!("<option value=\"{public_deck}\"");
    let editor = teacher
        .get(&format!("/courses/spanish-basics/lessons/{lesson}"))
        .await
        .body;
    assert!(
        editor.contains(&option),
        "offered before it is attached: {editor}"
    );
    let attached = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson), ("deck_id", &public_deck)],
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    // Attached, it is no longer offered to attach again.
    let editor = teacher
        .get(&format!("/courses/spanish-basics/lessons/{lesson}"))
        .await
        .body;
    assert!(editor.contains("Attach a deck"), "{editor}");
    assert!(!editor.contains(&option), "{editor}");
    let mut visitor = TestApp::new(pool).await;
    let page = lesson_page(&mut visitor, "spanish-basics", &lesson).await.json();
    assert_eq!(page["decks"][0]["title"], "Greetings deck");
    assert_eq!(
        page["lesson"]["body_markdown"], "",
        "the source is for the author only"
    );
}

async fn attach_deck(teacher: &mut TestApp, lesson_id: &str, deck_id: &str) {
    let attached = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", lesson_id), ("deck_id", deck_id)],
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
}

#[tokio::test]
async fn an_enrolled_learner_studies_the_course_decks_from_its_page() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, id, [first, second]) = published_course(&pool, &mut admin).await;
    let greetings = create_deck(&mut teacher, "Greetings deck", "public").await;
    let numbers = create_deck(&mut teacher, "Numbers deck", "unlisted").await;
    support::add_basic_note(&mut teacher, &greetings, "hola", "hello", "").await;
    support::add_basic_note(&mut teacher, &numbers, "uno", "one", "").await;
    attach_deck(&mut teacher, &first, &greetings).await;
    attach_deck(&mut teacher, &second, &numbers).await;
    // A deck in two lessons is listed once, where the learner first meets it.
    attach_deck(&mut teacher, &second, &greetings).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    learner.call("courses/enrol", &[("course_id", &id)]).await;

    let page = course_page(&mut learner, "spanish-basics").await.json();
    let titles: Vec<_> = page["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|deck| deck["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["Greetings deck", "Numbers deck"]);
    // The page as served, so the links work without JavaScript.
    let html = learner.get("/courses/spanish-basics").await.body;
    for deck in [&greetings, &numbers] {
        let link = format!("href=\"/study/{deck}\"");
        assert_eq!(html.matches(&link).count(), 1, "{link} in {html}");
    }
    assert!(html.contains("aria-label=\"Study Greetings deck\""), "{html}");
    // A deck with no card yet is listed, with nothing to study.
    let empty = create_deck(&mut teacher, "Empty deck", "public").await;
    attach_deck(&mut teacher, &first, &empty).await;
    for page in [
        "/courses/spanish-basics".to_owned(),
        format!("/courses/spanish-basics/lessons/{first}"),
    ] {
        let html = learner.get(&page).await.body;
        assert!(html.contains("Empty deck"), "{page}: {html}");
        assert!(!html.contains(&format!("/study/{empty}")), "{page}: {html}");
        assert!(html.contains(&format!("/study/{greetings}")), "{page}: {html}");
    }

    // No learner's Study link for a visitor, a learner not enrolled or the
    // course's teacher.
    let mut visitor = TestApp::new(pool.clone()).await;
    let mut newcomer = member(&pool, &mut admin, "new@example.org", "learner").await;
    for (who, app) in [
        ("visitor", &mut visitor),
        ("newcomer", &mut newcomer),
        ("teacher", &mut teacher),
    ] {
        let page = course_page(app, "spanish-basics").await.json();
        assert_eq!(page["decks"], serde_json::json!([]), "{who}");
        let html = app.get("/courses/spanish-basics").await.body;
        assert!(html.contains("Spanish basics"), "{who}: {html}");
        assert!(!html.contains("/study/"), "{who}: {html}");
    }
}

#[tokio::test]
async fn a_cover_must_be_an_uploaded_image_and_only_the_author_sets_it() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    assert_eq!(
        create_course(&mut teacher, "Spanish basics", "spanish-basics")
            .await
            .status,
        StatusCode::OK
    );
    let course_id = course_id(&pool, "spanish-basics").await;
    let png = include_bytes!("../src/demo/water-molecule.png");
    let uploaded = teacher.upload(png).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let sha256 = uploaded.json()["sha256"].as_str().unwrap().to_owned();
    // Stored fine, but not an image.
    let sound = teacher.upload(&silence_as_wav()).await;
    assert_eq!(sound.status, StatusCode::CREATED, "{}", sound.body);
    let sound_sha256 = sound.json()["sha256"].as_str().unwrap().to_owned();

    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let stranger = learner
        .call("courses/cover", &[("course_id", &course_id), ("sha256", &sha256)])
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&stranger.status),
        "{}",
        stranger.status
    );
    for (cover, message) in [
        (sound_sha256.as_str(), "must be an image"),
        ("0".repeat(64).as_str(), "not found"),
        ("../../etc/passwd", "not found"),
    ] {
        let refused = teacher
            .call("courses/cover", &[("course_id", &course_id), ("sha256", cover)])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.body.contains(message), "{}", refused.body);
    }
    let set = teacher
        .call("courses/cover", &[("course_id", &course_id), ("sha256", &sha256)])
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        course_page(&mut teacher, "spanish-basics").await.json()["course"]["cover_sha256"],
        sha256
    );
    let removed = teacher
        .call("courses/cover", &[("course_id", &course_id), ("sha256", "")])
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(course_page(&mut teacher, "spanish-basics").await.json()["course"]["cover_sha256"].is_null());
}

/// A moment of silence as WAV: a sound file Engram takes.
fn silence_as_wav() -> Vec<u8> {
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(36u32 + 16).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&[
        16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0,
    ]);
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&[0; 16]);
    wav
}

/// Without JavaScript the image comes with the cover's form: it is stored and
/// set in one post, and a refusal goes back to the course page, which shows
/// it in the server's words beside the cover's controls.
#[tokio::test]
async fn without_javascript_a_cover_comes_with_its_form() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let created = create_course(&mut teacher, "Spanish basics", "spanish-basics").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let course_id = course_id(&pool, "spanish-basics").await;
    let png = include_bytes!("../src/demo/water-molecule.png");
    let cover_form = |file_name, bytes| {
        (
            ("course_id", course_id.clone()),
            ("cover_image", file_name, bytes),
        )
    };

    // Only the course's author.
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    let ((id_field, id), file) = cover_form("cover.png", &png[..]);
    let stranger = learner
        .post_form_with_file("/media/course-cover", &[(id_field, &id)], file)
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&stranger.status),
        "{}",
        stranger.status
    );
    let mut visitor = TestApp::new(pool.clone()).await;
    let signed_out = visitor
        .post_form_with_file("/media/course-cover", &[(id_field, &id)], file)
        .await;
    assert_eq!(signed_out.location_path(), Some("/login"));

    let wav = silence_as_wav();
    for (file_name, bytes, message) in [
        ("", &b""[..], "Choose an image to upload first."),
        // Refused before it is stored: the allowance is not spent on it.
        ("silence.wav", &wav[..], "A cover must be an image."),
        (
            "notes.txt",
            &b"Not an image at all."[..],
            "This kind of file cannot be used. Upload a PNG, JPEG, GIF, WebP or AVIF image, or MP3, Ogg, WAV or M4A audio.",
        ),
    ] {
        let ((id_field, id), file) = cover_form(file_name, bytes);
        let refused = teacher
            .post_form_with_file("/media/course-cover", &[(id_field, &id)], file)
            .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
        let back = refused.location_path().unwrap().to_owned();
        assert!(back.starts_with("/courses/spanish-basics?"), "{back}");
        let page = teacher.get(&back).await;
        assert!(page.body.contains(message), "{message} not in {}", page.body);
        assert!(course_page(&mut teacher, "spanish-basics").await.json()["course"]["cover_sha256"].is_null());
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from media")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "a refused cover was stored");
    // A form that names no course, or a course that is not one.
    for id in ["", "not-a-uuid", &"9".repeat(100)] {
        let (_, file) = cover_form("cover.png", &png[..]);
        let refused = teacher
            .post_form_with_file("/media/course-cover", &[("course_id", id)], file)
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{id}");
        assert_eq!(refused.body, "The form names no course.");
    }

    let ((id_field, id), file) = cover_form("cover.png", &png[..]);
    let set = teacher
        .post_form_with_file("/media/course-cover", &[(id_field, &id)], file)
        .await;
    assert_eq!(
        set.location_path(),
        Some("/courses/spanish-basics"),
        "{}",
        set.body
    );
    let cover = course_page(&mut teacher, "spanish-basics").await.json()["course"]["cover_sha256"].clone();
    assert_eq!(cover.as_str().map(str::len), Some(64), "{cover}");
}

/// An enrolment and a return to draft, sent at the same moment, never both
/// land: either the learner is enrolled in a published course, or the course
/// is a draft that no one is enrolled in.
#[tokio::test]
async fn an_enrolment_and_a_return_to_draft_never_both_land() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, id, _) = published_course(&pool, &mut admin).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    for round in 0..15 {
        let enrol_form = [("course_id", id.as_str())];
        let draft_form = [("course_id", id.as_str()), ("status", "draft")];
        let (enrolled, to_draft) = tokio::join!(
            learner.call("courses/enrol", &enrol_form),
            teacher.call("courses/status", &draft_form),
        );
        let status: String = sqlx::query_scalar("select status::text from courses where id = $1::uuid")
            .bind(&id)
            .fetch_one(&pool)
            .await
            .unwrap();
        let enrolments: i64 =
            sqlx::query_scalar("select count(*) from enrolments where course_id = $1::uuid")
                .bind(&id)
                .fetch_one(&pool)
                .await
                .unwrap();
        match status.as_str() {
            "draft" => {
                assert_eq!(enrolments, 0, "round {round}: a draft with a learner");
                assert_eq!(to_draft.status, StatusCode::OK, "{}", to_draft.body);
                // Refused: as not taking learners, or (a draft being
                // invisible to learners) as not found.
                assert!(
                    [StatusCode::CONFLICT, StatusCode::NOT_FOUND].contains(&enrolled.status),
                    "{}",
                    enrolled.body
                );
            }
            _ => {
                assert_eq!(enrolments, 1, "round {round}");
                assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
                assert_eq!(
                    to_draft.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{}",
                    to_draft.body
                );
            }
        }
        // Back to the start: no one enrolled, the course published.
        learner.call("courses/leave", &[("course_id", &id)]).await;
        if status == "draft" {
            assert_eq!(
                set_status(&mut teacher, &id, "published").await.status,
                StatusCode::OK
            );
        }
    }
}
