use super::context::use_auth;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Sends someone who is already signed in on to their dashboard. Pages are
/// rendered whole before the response starts, so without JavaScript this is
/// an HTTP redirect; in the browser it also follows a login or sign-up.
#[component]
pub(crate) fn RedirectIfSignedIn() -> impl IntoView {
    let user = use_auth().user;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path=routes::DASHBOARD /> })
            })}
        </Transition>
    }
}
