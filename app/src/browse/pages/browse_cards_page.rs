use super::card_table::CardTable;
use super::search_form::SearchForm;
use crate::browse::{
    api::{browse_cards, BulkEditCards},
    BrowseQuery,
};
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{PageTitle, SessionEnded};
use crate::{error::AppError, ui::ErrorNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BrowseCardsPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let get = |name: &str| map.get(name).unwrap_or_default();
        BrowseQuery {
            q: get("q"),
            sort: get("sort"),
            dir: get("dir"),
            after: get("after"),
        }
    });
    let bulk = FormAction::<BulkEditCards>::new();
    // A bulk action changes rows, so the rows reload after each one that
    // succeeded; after a refused one the selection stays for another try.
    let changes = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(bulk.value().get(), Some(Ok(_))) {
            changes.update(|count| *count += 1);
        }
    });
    let results = crate::ui::page_data(
        move || (query.get(), changes.get()),
        |(query, _)| browse_cards(query),
    );
    focus_search_on_slash();
    view! {
        <PageTitle text="Cards · Engram" />
        <h1 class="mb-2 text-2xl font-bold tracking-tight sm:text-3xl">"Your cards"</h1>
        <p class="mb-6 text-slate-600 dark:text-slate-400">
            "Every card in your decks. Search, sort, and move, tag or delete many at once."
        </p>
        <Transition
            strict=true
            fallback=|| {
                view! { <p class="text-slate-500 dark:text-slate-400">"Loading your cards…"</p> }
            }
        >
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match results.await {
                    Ok(page) => {
                        view! {
                            <SearchForm query=query.clone() error=None />
                            <CardTable query page bulk />
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <SessionEnded /> }.into_any(),
                    Err(error @ AppError::Validation(_)) => {
                        view! {
                            <SearchForm query=query.clone() error=Some(error.clone()) />
                            <p class="text-slate-600 dark:text-slate-400">
                                <a
                                    href=routes::BROWSE
                                    class="text-indigo-700 hover:underline dark:text-indigo-300"
                                >
                                    "Show all cards"
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/` jumps to the search box, as in many apps with a search field.
fn focus_search_on_slash() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, |event| {
            let typing = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|element| {
                    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || element.is_content_editable()
                });
            if event.key() == "/" && !typing && !event.ctrl_key() && !event.meta_key() {
                if let Some(input) = document()
                    .get_element_by_id("browse-q")
                    .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
}
