use super::bulk_toolbar::BulkToolbar;
use super::card_table_row::CardTableRow;
use crate::browse::{api::BulkEditCards, BrowsePage, BrowseQuery, BrowseSort, Direction};
use crate::routes;
use crate::ui::plural;
use crate::ui::{FormAction, PostForm};
use crate::{
    error::AppError,
    paging::address_with_query,
    ui::{field_message, FieldMessage, FormError},
};
use leptos::prelude::*;
use std::collections::HashSet;
use uuid::Uuid;

/// The address of `query`'s results in another order or from another page.
fn browse_address(query: &BrowseQuery, sort: &str, dir: &str, after: &str) -> String {
    address_with_query(
        "/browse",
        &[
            ("q", query.q.as_str()),
            ("sort", sort),
            ("dir", dir),
            ("after", after),
        ],
    )
}

#[component]
pub(crate) fn CardTable(
    query: BrowseQuery,
    page: BrowsePage,
    bulk: FormAction<BulkEditCards>,
) -> impl IntoView {
    let BrowsePage {
        rows,
        total,
        next,
        decks,
    } = page;
    let sort = BrowseSort::parse(&query.sort).unwrap_or_default();
    let direction = Direction::parse(&query.dir).unwrap_or(sort.natural_direction());
    let row_ids: Vec<Uuid> = rows.iter().map(|row| row.card_id).collect();
    let selected = RwSignal::new(HashSet::<Uuid>::new());
    let all_selected = {
        let row_ids = row_ids.clone();
        Memo::new(move |_| {
            !row_ids.is_empty() && selected.with(|chosen| row_ids.iter().all(|id| chosen.contains(id)))
        })
    };
    let error = Signal::derive(move || bulk.value().get().and_then(Result::err));
    // What the last bulk action did: the server's answer, or, on the page a
    // plain post came back to, the fixed text its address names.
    let done_by_plain_post = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get(routes::SAVED))
        .and_then(|saved| crate::browse::bulk_done_message(&saved));
    let outcome = move || {
        bulk.value().with(|answer| match answer {
            Some(Ok(outcome)) => Some(outcome.message.clone()),
            Some(Err(_)) => None,
            None => done_by_plain_post.map(str::to_owned),
        })
    };
    let count_text = match total {
        0 => String::new(),
        total => plural(total, "card", "cards"),
    };
    let header_query = query.clone();
    let header = move |column: BrowseSort, class: &'static str| {
        let is_current = column == sort;
        let next_direction = if is_current {
            direction.reversed()
        } else {
            column.natural_direction()
        };
        let href = browse_address(&header_query, column.as_str(), next_direction.as_str(), "");
        let aria_sort = match (is_current, direction) {
            (false, _) => "none",
            (true, Direction::Ascending) => "ascending",
            (true, Direction::Descending) => "descending",
        };
        let arrow = match (is_current, direction) {
            (false, _) => "",
            (true, Direction::Ascending) => " ↑",
            (true, Direction::Descending) => " ↓",
        };
        view! {
            <th
                scope="col"
                aria-sort=aria_sort
                class=format!("whitespace-nowrap px-3 py-2 text-left font-semibold {class}")
            >
                <a href=href class="hover:underline">
                    {column.label()}
                    {arrow}
                </a>
            </th>
        }
    };
    let headers = view! {
        {header(BrowseSort::Text, "")}
        <th scope="col" class="hidden px-3 py-2 text-left font-semibold md:table-cell">
            "Type"
        </th>
        {header(BrowseSort::Deck, "hidden sm:table-cell")}
        <th scope="col" class="hidden px-3 py-2 text-left font-semibold lg:table-cell">
            "Tags"
        </th>
        {header(BrowseSort::Due, "hidden sm:table-cell")}
        {header(BrowseSort::Created, "hidden md:table-cell")}
    };
    let first_page = (!query.after.is_empty()).then(|| browse_address(&query, &query.sort, &query.dir, ""));
    let next_page = next.map(|cursor| browse_address(&query, &query.sort, &query.dir, &cursor));
    if rows.is_empty() {
        let message = if query.q.trim().is_empty() && query.after.is_empty() {
            view! {
                "You have no cards yet. Create a deck on your "
                <a href=routes::DASHBOARD class="text-indigo-700 underline dark:text-indigo-300">
                    "dashboard"
                </a>
                " and add notes to it."
            }
            .into_any()
        } else {
            // The search is the learner's text, isolated: a direction mark in
            // it cannot turn the quotes and full stop around.
            view! {
                "No cards match “"
                <bdi>{query.q.trim().to_owned()}</bdi>
                "”."
            }
            .into_any()
        };
        // A bulk action can leave nothing matching (every card moved away or
        // deleted): what it did is still said.
        return view! {
            <p
                role="status"
                data-testid="bulk-outcome"
                class="mb-3 text-sm font-medium text-emerald-700 dark:text-emerald-300"
            >
                {outcome}
            </p>
            <p data-testid="browse-empty" class="panel text-slate-600 dark:text-slate-400">
                {message}
            </p>
        }
        .into_any();
    }
    view! {
        <PostForm action=bulk attr:novalidate=true attr:data-testid="bulk-form">
            <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                <p class="text-sm text-slate-600 dark:text-slate-400" data-testid="browse-count">
                    {count_text}
                    " match"
                    {if total == 1 { "es" } else { "" }}
                    {move || {
                        let chosen = selected.with(HashSet::len);
                        (chosen > 0).then(|| format!(" · {chosen} selected"))
                    }}
                </p>
                <p
                    role="status"
                    data-testid="bulk-outcome"
                    class="text-sm font-medium text-emerald-700 dark:text-emerald-300"
                >
                    {outcome}
                </p>
            </div>
            <div class="mb-3">
                <FormError error=Signal::derive(move || {
                    error.get().filter(|error| !matches!(error, AppError::Validation(_)))
                }) />
                <FieldMessage
                    message=Signal::derive(field_message(error, "card_ids"))
                    id="bulk-cards-message".into()
                />
            </div>
            <BulkToolbar decks error pending=bulk.pending() />
            <div class="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
                <table class="w-full text-sm" data-testid="card-table">
                    <caption class="sr-only">"Your cards"</caption>
                    <thead class="bg-slate-50 text-slate-700 dark:bg-slate-900 dark:text-slate-300">
                        <tr>
                            <th scope="col" class="w-10 px-3 py-2">
                                // The column's name, said where its box is not shown.
                                <span class="no-js-only sr-only">"Select"</span>
                                // Ticking the others is the app's work: without it, the box
                                // would do nothing.
                                <input
                                    type="checkbox"
                                    class="js-only"
                                    aria-label="Select every card on this page"
                                    prop:checked=move || all_selected.get()
                                    on:change=move |_| {
                                        if all_selected.get_untracked() {
                                            selected.set(HashSet::new());
                                        } else {
                                            selected.set(row_ids.iter().copied().collect());
                                        }
                                    }
                                />
                            </th>
                            {headers}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                        {rows.into_iter().map(|row| view! { <CardTableRow row selected /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </PostForm>
        <nav aria-label="Pages" class="mt-4 flex justify-between text-sm">
            {first_page
                .map(|href| {
                    view! {
                        <a href=href class="text-indigo-700 hover:underline dark:text-indigo-300">
                            "← First page"
                        </a>
                    }
                })}
            <span></span>
            {next_page
                .map(|href| {
                    view! {
                        <a href=href class="text-indigo-700 hover:underline dark:text-indigo-300">
                            "Next page →"
                        </a>
                    }
                })}
        </nav>
    }
    .into_any()
}
