//! What a new user meets in their first hour, through the real router:
//! account pages once signed in, the admin page for others, progress bars
//! under the CSP, the icons browsers ask for, and forms without JavaScript.

mod support;

use axum::http::StatusCode;
use support::TestApp;

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
