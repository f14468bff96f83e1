//! What a new user meets in their first hour, through the real router:
//! account pages once signed in, the admin page for others, progress bars
//! under the CSP, the icons browsers ask for, and forms without JavaScript.

mod support;

use axum::http::StatusCode;
use sqlx::PgPool;
use support::{admin, create_deck, member, TestApp, TestResponse};

async fn create_course(app: &mut TestApp, title: &str) -> TestResponse {
    app.call(
        "courses/create",
        &[
            ("input[title]", title),
            ("input[description]", "Everyday words and phrases."),
            ("input[category]", "Languages"),
            ("input[level]", "beginner"),
            ("input[language]", "es"),
            ("input[slug]", ""),
        ],
    )
    .await
}

async fn course_id(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from courses where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

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

/// A published course "Spanish basics" with two lessons, by a teacher.
async fn published_course(pool: &PgPool, admin: &mut TestApp) -> (TestApp, String, [String; 2]) {
    let mut teacher = member(pool, admin, "teacher@example.org", "teacher").await;
    assert_eq!(
        create_course(&mut teacher, "Spanish basics").await.status,
        StatusCode::OK
    );
    let id = course_id(pool, "spanish-basics").await;
    let first = add_lesson(&mut teacher, &id, "Greetings").await;
    let second = add_lesson(&mut teacher, &id, "Numbers").await;
    let published = teacher
        .call("courses/status", &[("course_id", &id), ("status", "published")])
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    (teacher, id, [first, second])
}

#[tokio::test]
async fn a_signed_in_user_opening_login_or_register_is_sent_to_the_dashboard() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    for page in ["/login", "/register"] {
        assert_eq!(
            visitor.get(page).await.status,
            StatusCode::OK,
            "{page} while signed out"
        );
    }

    visitor.register("new@example.org", "New").await;
    for page in ["/login", "/register"] {
        let response = visitor.get(page).await;
        assert!(response.status.is_redirection(), "{page}: {}", response.status);
        assert_eq!(response.header("location"), Some("/dashboard"), "{page}");
    }
}

#[tokio::test]
async fn a_non_admin_on_the_admin_page_sees_only_the_notice() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;

    let page = learner.get("/admin").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let main = main_of(&page.body);
    assert!(main.contains("role=\"alert\""), "{main}");
    for admin_only in [
        "Accounts</h1>",
        "Search accounts",
        "Change what each person may do",
    ] {
        assert!(
            !main.contains(admin_only),
            "{admin_only} shown to a learner: {main}"
        );
    }

    let own = admin.get("/admin").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("Accounts</h1>"));
    assert!(own.body.contains("Search accounts"));
}

#[tokio::test]
async fn progress_bars_carry_their_value_without_inline_styles() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (_teacher, id, [first, second]) = published_course(&pool, &mut admin).await;
    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    assert_eq!(
        learner.call("courses/enrol", &[("course_id", &id)]).await.status,
        StatusCode::OK
    );
    let done = learner
        .call(
            "courses/lessons/complete",
            &[("lesson_id", &first), ("completed", "true")],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    for page in [
        "/dashboard".to_owned(),
        "/courses/spanish-basics".to_owned(),
        format!("/courses/spanish-basics/lessons/{second}"),
    ] {
        let html = learner.get(&page).await.body;
        // The CSP (`style-src 'self'`) drops inline styles, so none may carry meaning.
        assert!(!html.contains(" style="), "{page} has an inline style");
        assert!(
            html.contains("<progress value=\"50\" max=\"100\""),
            "{page} has no bar at 50%"
        );
    }
}

#[tokio::test]
async fn the_icons_and_robots_file_browsers_ask_for_are_served() {
    let pool = support::fresh_database().await;
    // The router serves the assets folder as cargo-leptos copies it to the site root.
    let mut app = TestApp::serving_site(pool, concat!(env!("CARGO_MANIFEST_DIR"), "/../public")).await;
    for (path, content_type) in [
        ("/favicon.ico", "image/"),
        ("/favicon.svg", "image/svg+xml"),
        ("/apple-touch-icon.png", "image/png"),
        ("/robots.txt", "text/plain"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let served = response.header("content-type").unwrap_or_default();
        assert!(served.starts_with(content_type), "{path}: {served}");
    }
    let html = app.get("/").await.body;
    assert!(html.contains("rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\""));
}

#[tokio::test]
async fn a_lesson_offers_to_unlist_and_attach_the_authors_private_decks() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, _id, [lesson, _]) = published_course(&pool, &mut admin).await;
    let deck = create_deck(&mut teacher, "Irregular verbs", "private").await;
    let address = format!("/courses/spanish-basics/lessons/{lesson}");

    let html = teacher.get(&address).await.body;
    let private = &html[html
        .find("data-testid=\"private-decks\"")
        .expect("private decks listed")..];
    assert!(private.contains("Irregular verbs"), "{private}");
    assert!(private.contains("Make unlisted and attach"), "{private}");
    assert!(!html.contains("Make one of your decks public or unlisted"));

    let refused = teacher
        .call(
            "courses/lessons/attach",
            &[("lesson_id", &lesson), ("deck_id", &deck)],
        )
        .await;
    assert_ne!(refused.status, StatusCode::OK, "a private deck attached unasked");
    let attached = teacher
        .call(
            "courses/lessons/attach",
            &[
                ("lesson_id", &lesson),
                ("deck_id", &deck),
                ("make_unlisted", "true"),
            ],
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    let visibility: String = sqlx::query_scalar("select visibility::text from decks where id = $1::uuid")
        .bind(&deck)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(visibility, "unlisted");
    let html = teacher.get(&address).await.body;
    assert!(
        html.contains("data-testid=\"lesson-decks\""),
        "the deck is attached"
    );
    assert!(!html.contains("data-testid=\"private-decks\""));
}

#[tokio::test]
async fn the_author_is_offered_a_learner_preview_instead_of_enrolling() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let (mut teacher, _id, [lesson, _]) = published_course(&pool, &mut admin).await;

    let own = teacher.get("/courses/spanish-basics").await.body;
    assert!(
        !own.contains("data-testid=\"enrol\""),
        "the author is offered Enrol"
    );
    assert!(own.contains("href=\"/courses/spanish-basics?preview=1\""));
    assert!(own.contains("Preview as a learner"));
    assert!(own.contains("data-testid=\"course-status\""));

    let preview = teacher.get("/courses/spanish-basics?preview=1").await.body;
    assert!(preview.contains("Back to editing"));
    assert!(
        !preview.contains("data-testid=\"course-status\""),
        "editing controls in the preview"
    );
    assert!(preview.contains(&format!("/lessons/{lesson}?preview=1")));
    let lesson_preview = teacher
        .get(&format!("/courses/spanish-basics/lessons/{lesson}?preview=1"))
        .await
        .body;
    assert!(!lesson_preview.contains("data-testid=\"lesson-editor\""));
    let lesson_editing = teacher
        .get(&format!("/courses/spanish-basics/lessons/{lesson}"))
        .await
        .body;
    assert!(lesson_editing.contains("data-testid=\"lesson-editor\""));

    let mut learner = member(&pool, &mut admin, "learner@example.org", "learner").await;
    assert!(learner
        .get("/courses/spanish-basics")
        .await
        .body
        .contains("data-testid=\"enrol\""));
}

#[tokio::test]
async fn an_empty_dashboard_points_to_what_exists() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let mut teacher = member(&pool, &mut admin, "teacher@example.org", "teacher").await;
    let html = teacher.get("/dashboard").await.body;
    let teaching = &html[html
        .find("id=\"teaching-list-heading\"")
        .expect("a teaching section")..];
    let teaching = &teaching[..teaching.find("</section>").unwrap()];
    assert!(teaching.contains("href=\"/courses/new\""), "{teaching}");
    assert!(!teaching.contains("href=\"/catalogue\""), "{teaching}");
    // Decks cannot be enrolled in; only courses can.
    assert!(
        !html.contains("enrol in will"),
        "the empty state promises deck enrolment"
    );
}

#[tokio::test]
async fn on_a_phone_the_nav_folds_into_a_menu_under_the_name_and_the_filters_fold_away() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    visitor.register("grace@example.org", "Grace Hopper").await;
    let html = visitor.get("/dashboard").await.body;
    let menu = &html[html.find("data-testid=\"nav-menu\"").expect("a compact menu")..];
    let menu = &menu[..menu.find("</details>").unwrap()];
    assert!(menu.contains("Grace Hopper"), "the name opens the menu: {menu}");
    for entry in ["href=\"/dashboard\"", "href=\"/catalogue\"", "Log out"] {
        assert!(menu.contains(entry), "{entry} missing from the menu");
    }

    let unfiltered = visitor.get("/catalogue").await.body;
    assert!(
        unfiltered.contains("<details class=\"filters-fold"),
        "folded filters"
    );
    let filtered = visitor.get("/catalogue?level=beginner").await.body;
    assert!(
        filtered.contains("<details open class=\"filters-fold"),
        "a filter in use is shown"
    );
}

#[tokio::test]
async fn a_sign_up_refused_without_javascript_keeps_the_email_and_name_but_not_the_password() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    let form = [
        ("input[email]", "grace@example.org"),
        ("input[display_name]", "Grace Hopper"),
        ("input[password]", "short"),
    ];
    let response = visitor.post_form_from("/register", "/api/register", &form).await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let location = response.header("location").unwrap().to_owned();
    assert!(location.starts_with("/register?"), "{location}");
    assert!(location.contains("email=grace%40example.org"), "{location}");
    assert!(location.contains("__err="), "{location}");
    assert!(
        !location.contains("short"),
        "the password went into the address: {location}"
    );

    let form = visitor.get(&location).await.body;
    assert!(form.contains("value=\"grace@example.org\""), "the email is lost");
    assert!(form.contains("value=\"Grace Hopper\""), "the name is lost");
    assert!(form.contains("role=\"alert\"") || form.contains("aria-invalid=\"true\""));

    // An email of 100,000 characters (the field takes 254) is not carried
    // into an address a browser would be refused at ("URI too long"): the
    // form comes back with the name, where it was going, and the email's
    // error beside it.
    let email = format!("{}@example.org", "g".repeat(100_000));
    let form = [
        ("input[email]", email.as_str()),
        ("input[display_name]", "Grace Hopper"),
        ("input[password]", "a good long passphrase"),
        ("input[next]", "/catalogue"),
    ];
    let response = visitor.post_form_from("/register", "/api/register", &form).await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let location = response.header("location").unwrap().to_owned();
    assert!(location.len() < 1_000, "{} bytes", location.len());
    assert!(location.contains("next=%2Fcatalogue"), "{location}");
    let page = visitor.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("That email address is too long."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Grace Hopper\""), "the name is lost");
    assert!(
        page.body.contains(r#"maxlength="254""#),
        "the email field does not say how long it may be"
    );
}

#[tokio::test]
async fn a_login_refused_without_javascript_keeps_the_email_and_where_it_was_going_but_not_the_password() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    let form = [
        ("input[email]", "grace@example.org"),
        ("input[password]", "not her password"),
        ("input[next]", "/courses/cobol"),
    ];
    let response = visitor
        .post_form_from("/login?next=%2Fcourses%2Fcobol", "/api/login", &form)
        .await;
    assert!(response.status.is_redirection(), "{}", response.status);
    let location = response.header("location").unwrap().to_owned();
    assert!(location.starts_with("/login?"), "{location}");
    assert!(location.contains("email=grace%40example.org"), "{location}");
    assert!(location.contains("next=%2Fcourses%2Fcobol"), "{location}");
    assert!(location.contains("__err="), "{location}");
    assert!(
        !location.contains("not+her") && !location.contains("not%20her"),
        "the password went into the address: {location}"
    );

    let form = visitor.get(&location).await.body;
    assert!(form.contains("value=\"grace@example.org\""), "the email is lost");
    assert!(
        form.contains(r#"name="input[next]" value="/courses/cobol""#),
        "where it was going is lost"
    );
    assert!(form.contains("That email and password do not match an account."));
}

#[tokio::test]
async fn the_start_and_account_pages_promise_only_what_exists() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool).await;
    for page in ["/", "/login", "/register"] {
        let html = visitor.get(page).await.body.to_lowercase();
        // Study and offline use exist now, so nothing may say they are
        // still to come; the rest is wording these pages once used for
        // what was not built.
        for promise in [
            "on its way",
            "coming soon",
            "reviews are waiting",
            "schedules your flashcards",
        ] {
            assert!(!html.contains(promise), "{page} promises {promise:?}");
        }
    }
}

/// The page's `<main>`, without the navigation around it.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}
