use super::result_row::ResultRow;
use crate::catalogue::{CataloguePage, CatalogueQuery};
use crate::paging::address_with_query;
use crate::routes;
use leptos::prelude::*;

/// The address of `query`'s results, continuing after `after`.
pub(super) fn page_address(query: &CatalogueQuery, after: &str) -> String {
    address_with_query(
        "/catalogue",
        &[
            ("q", query.q.as_str()),
            ("sort", query.sort.as_str()),
            ("language", query.language.as_str()),
            ("category", query.category.as_str()),
            ("level", query.level.as_str()),
            ("tag", query.tag.as_str()),
            ("after", after),
        ],
    )
}

#[component]
pub(crate) fn Results(query: CatalogueQuery, page: CataloguePage) -> impl IntoView {
    let on_later_page = !query.after.is_empty();
    let first_page = page_address(&query, "");
    let next_page = page.next.as_deref().map(|cursor| page_address(&query, cursor));
    if page.entries.is_empty() {
        return view! {
            <div
                class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400"
                data-testid="no-results"
            >
                <p class="font-medium">
                    {if query.q.trim().is_empty() {
                        "Nothing is listed with these filters yet.".into_any()
                    } else {
                        // Isolated, so that a direction mark in the search
                        // cannot turn the quotes and full stop around.
                        view! {
                            "Nothing matches “"
                            <bdi>{query.q.trim().to_owned()}</bdi>
                            "”."
                        }
                            .into_any()
                    }}
                </p>
                <p class="mt-1 text-sm">"Try fewer words, or clear the filters."</p>
                <p class="mt-3 text-sm">
                    <a href=routes::CATALOGUE class="text-indigo-600 underline dark:text-indigo-400">
                        "Show everything"
                    </a>
                </p>
            </div>
        }
            .into_any();
    }
    view! {
        <ul class="space-y-3" data-testid="catalogue-results">
            {page.entries.into_iter().map(|entry| view! { <ResultRow entry /> }).collect_view()}
        </ul>
        <nav aria-label="Pages" class="mt-6 flex items-center justify-between">
            {on_later_page
                .then(|| {
                    view! {
                        <a href=first_page class="text-indigo-600 hover:underline dark:text-indigo-400">
                            "← First page"
                        </a>
                    }
                })}
            <span></span>
            {next_page
                .map(|href| {
                    view! {
                        <a
                            href=href
                            class="rounded-lg border border-slate-300 px-4 py-2 font-semibold hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                            rel="next"
                        >
                            "Next page →"
                        </a>
                    }
                })}
        </nav>
    }
        .into_any()
}
