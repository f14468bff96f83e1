//! What a new user meets in their first hour, through the real router:
//! account pages once signed in, the admin page for others, progress bars
//! under the CSP, the icons browsers ask for, and forms without JavaScript.

mod support;

use axum::http::StatusCode;
use support::{admin, member, TestApp};

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

/// The page's `<main>`, without the navigation around it.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}
