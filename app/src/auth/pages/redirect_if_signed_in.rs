use super::context::{page_to_return_to, use_auth};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Sends someone who is already signed in on to their dashboard, or to the
/// page they were sent here for (`routes::after_sign_in`). Pages are
/// rendered whole before the response starts, so without JavaScript this is
/// an HTTP redirect; in the browser it also follows a login or sign-up.
#[component]
pub(crate) fn RedirectIfSignedIn() -> impl IntoView {
    let user = use_auth().user;
    let destination = routes::after_sign_in(page_to_return_to().as_deref()).to_owned();
    view! {
        <Transition strict=true fallback=|| ()>
            {move || {
                let destination = destination.clone();
                Suspend::new(async move {
                    matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path=destination /> })
                })
            }}
        </Transition>
    }
}
