use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::context::use_auth;
use crate::auth::api::Logout;

/// "Log out" as a form of its own. Without JavaScript it posts to the
/// server function, which ends the session and sends the browser home;
/// hydrated, it runs the app's logout action, whose failure the header
/// shows (`LogoutError`). Not `ActionForm`, which reads its fields back out
/// of the form with a query-string parser before sending them: this form
/// has none, and that parser, reached from the nav alone, put 29 KB of code
/// into the app shell that every signed-in page downloads.
#[component]
pub fn LogoutForm(class: &'static str, label: &'static str) -> impl IntoView {
    let logout = use_auth().logout;
    view! {
        <form
            method="post"
            action=Logout::url()
            on:submit=move |event| {
                event.prevent_default();
                logout.dispatch(Logout {});
            }
        >
            <button type="submit" class=class>
                {label}
            </button>
        </form>
    }
}
