//! The one way a page waits for its data.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

use super::{ErrorNotice, PageData};
use crate::{error::AppError, routes};

/// Shows `children(data)` once `data` has loaded. Until then it shows the
/// `loading` line; a visitor whose session ended is sent to the login page,
/// and any other error takes the page's place as an `ErrorNotice` (with its
/// HTTP status on the server). Pages render on the server before the
/// response starts, so without JavaScript the reader gets the finished page.
///
/// When the data loads again (after a save on the page), the page stays as
/// it is until the new data is there: a `Transition`, not a `Suspense`,
/// which would put the loading line in the page's place meanwhile and take
/// a form's "Saved." away with it.
#[component]
pub fn Loaded<T, F, V>(
    data: PageData<Result<T, AppError>>,
    loading: &'static str,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    view! {
        <Transition fallback=move || {
            view! { <p class="text-slate-500 dark:text-slate-400">{loading}</p> }
        }>
            {move || {
                let children = Arc::clone(&children);
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => children(data).into_any(),
                        Err(AppError::Unauthenticated) => view! { <SendToLogin /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// Sends a visitor who is not signed in to the login page, which brings them
/// back to this page once they are: a bookmarked study page or a session that
/// ended mid-edit picks up where it was.
#[component]
pub fn SendToLogin() -> impl IntoView {
    let location = use_location();
    let search = location.search.get_untracked();
    let here = match search.is_empty() {
        true => location.pathname.get_untracked(),
        false => format!("{}?{search}", location.pathname.get_untracked()),
    };
    view! { <Redirect path=routes::login_then(&here) /> }
}
