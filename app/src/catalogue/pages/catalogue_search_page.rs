use super::results::{page_address, Results};
use super::search_form::SearchForm;
use crate::catalogue::{api::search_catalogue, CataloguePage, CatalogueQuery};
use crate::error::AppError;
use crate::routes;
use crate::ui::{set_page_status, ErrorNotice, PageTitle};
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
                    Err(error @ (AppError::Validation(_) | AppError::BadRequest(_))) => {
                        set_page_status(error.status_code());
                        let (message, way_on, way_on_label) = match &error {
                            AppError::BadRequest(message) => {
                                (message.clone(), page_address(&query, ""), "Show the first page of results")
                            }
                            fields => (fields.sentence(), routes::CATALOGUE.to_owned(), "Start a new search"),
                        };
                        let empty = CataloguePage {
                            entries: vec![],
                            next: None,
                            languages: vec![],
                            categories: vec![],
                        };
                        // A search the server turns down (too long, an order or a
                        // level not in the list, a damaged "Next page" link) is
                        // said under the form, which keeps what was asked, with a
                        // way on: the same search from its first page, or a new one.
                        view! {
                            <SearchForm query=query.clone() page=empty />
                            <div role="alert" data-testid="form-error" class="alert-error text-sm">
                                {message}
                                " "
                                <a href=way_on class="font-semibold underline">
                                    {way_on_label}
                                </a>
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
