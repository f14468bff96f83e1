use super::context::use_auth;
use leptos::prelude::*;

/// Why the last logout failed. The session is still there (most often the
/// connection was down, so the request never reached Engram), and the page
/// stays signed in: it says so, rather than look signed out on a device
/// that is not.
#[component]
pub fn LogoutError(#[prop(optional)] class: &'static str) -> impl IntoView {
    let logout = use_auth().logout;
    let error = Signal::derive(move || logout.value().get().and_then(Result::err));
    move || {
        error.get().map(|error| {
            let message = if error.is_connection_failure() {
                "You are still logged in: logging out needs a connection. Try again once you are back online."
                    .to_owned()
            } else {
                format!("You are still logged in. {}", error.sentence())
            };
            view! {
                <p
                    role="alert"
                    class=format!("text-sm text-red-700 dark:text-red-300 {class}")
                    data-testid="logout-error"
                >
                    {message}
                </p>
            }
        })
    }
}
