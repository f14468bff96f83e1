use super::results::Results;
use super::search_form::SearchForm;
use crate::catalogue::{api::search_catalogue, CataloguePage, CatalogueQuery};
use crate::ui::PageTitle;
use crate::{error::AppError, ui::ErrorNotice};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CatalogueSearchPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let get = |name: &str| map.get(name).unwrap_or_default();
        CatalogueQuery {
            q: get("q"),
            language: get("language"),
            category: get("category"),
            level: get("level"),
            tag: get("tag"),
            sort: get("sort"),
            after: get("after"),
        }
    });
    let results = crate::ui::page_data(move || query.get(), search_catalogue);
    view! {
        <PageTitle text="Catalogue · Engram" />
        <h1 class="mb-2 text-2xl font-bold tracking-tight sm:text-3xl">"Catalogue"</h1>
        <p class="mb-6 text-slate-600 dark:text-slate-400">
            "Public decks and courses from Engram's teachers. Search by title, description or card text."
        </p>
        <Transition
            strict=true
            fallback=|| {
                view! { <p class="text-slate-500 dark:text-slate-400">"Searching…"</p> }
            }
        >
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match results.await {
                    Ok(page) => {
                        view! {
                            <SearchForm query=query.clone() page=page.clone() />
                            <Results query page />
                        }
                            .into_any()
                    }
                    Err(error @ AppError::Validation(_)) => {
                        view! {
                            <SearchForm
                                query=query.clone()
                                page=CataloguePage {
                                    entries: vec![],
                                    next: None,
                                    languages: vec![],
                                    categories: vec![],
                                }
                            />
                            <ErrorNotice error />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
