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
    let page = move || {
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match data.await {
                Ok(data) => children(data).into_any(),
                Err(AppError::Unauthenticated) => view! { <SessionEnded /> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            }
        })
    };
    // In the browser the page follows its data (a closure, run again when
    // `data` loads again). The server renders the page once, from one
    // `Suspend`: it keeps the page it built when the `Transition` first
    // looked into it for resources, where a closure would build a new one.
    #[cfg(feature = "ssr")]
    let page = page();
    view! {
        // `strict`: a page reads its data here, through `data`, and any other
        // data in a boundary of its own, so the server need not build the
        // page a second time to look for more (vendor/README.md, leptos).
        <Transition
            strict=true
            fallback=move || {
                view! { <p class="text-slate-500 dark:text-slate-400">{loading}</p> }
            }
        >
            {page}
        </Transition>
    }
}

/// Sends a visitor who is not signed in to the login page, which brings them
/// back to this page once they are: a bookmarked study page or a session that
/// ended mid-edit picks up where it was.
#[component]
pub fn SendToLogin() -> impl IntoView {
    view! { <Redirect path=routes::login_then(&address_here()) /> }
}

/// Sends a visitor whose page load the server refused for want of a session
/// to the login page, as `SendToLogin` does. On the server that is the same
/// HTTP redirect. In the browser the session ended after the app was loaded
/// (a logout in another tab, an expiry), and the app still holds the
/// account it loaded with: the login page would send that "signed-in"
/// visitor straight back, and the two pages took turns for good. So the
/// browser loads the login page afresh, as a visitor's.
#[component]
pub fn SessionEnded() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(&routes::login_then(&address_here()));
    }
    #[cfg(not(feature = "hydrate"))]
    view! { <SendToLogin /> }
}

/// This page's address, path and query.
fn address_here() -> String {
    let location = use_location();
    let search = location.search.get_untracked();
    match search.is_empty() {
        true => location.pathname.get_untracked(),
        false => format!("{}?{search}", location.pathname.get_untracked()),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use futures::StreamExt;

    use super::*;
    use crate::ui::page_data;

    /// Renders a `Loaded` page whose data loads in `delay` (a query's time),
    /// starting the render after `render_after`; answers the HTML and how
    /// many times the page was built.
    async fn render_page(delay: Duration, render_after: Duration) -> (String, usize) {
        let _ = any_spawner::Executor::init_tokio();
        let owner = Owner::new();
        owner.set();
        let builds = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&builds);
        let data = page_data(
            || (),
            move |_| async move {
                tokio::time::sleep(delay).await;
                Ok::<_, AppError>("Ninety notes".to_owned())
            },
        );
        let page = view! {
            <Loaded data loading="Loading…" let:notes>
                {
                    counted.fetch_add(1, Ordering::SeqCst);
                    view! { <p>{notes}</p> }
                }
            </Loaded>
        };
        tokio::time::sleep(render_after).await;
        let html: String = page.to_html_stream_in_order().collect().await;
        (html, builds.load(Ordering::SeqCst))
    }

    /// A page is built once per server render, whether its data comes while
    /// the page renders or was there before. Leptos 0.8's `Transition` built
    /// it again once its data had loaded, to look for more resources in it,
    /// and a closure built it again for each look: a fifth of the server's
    /// work for a deck page (vendor/README.md, leptos).
    #[tokio::test]
    async fn the_server_builds_a_page_once() {
        let _rendering = crate::ROUTE_GENERATION.read().await;
        for (delay, render_after) in [
            (Duration::from_millis(20), Duration::ZERO),
            (Duration::ZERO, Duration::from_millis(20)),
        ] {
            let (html, builds) = render_page(delay, render_after).await;
            assert!(html.contains("<p>Ninety notes<!></p>"), "{html}");
            assert!(!html.contains("Loading…"), "{html}");
            assert_eq!(builds, 1, "data in {delay:?}, render after {render_after:?}");
        }
    }
}
