//! `/browse`: a table of the signed-in user's cards. The search is a plain
//! GET form and the column headers are links, so every view has an address
//! and works without JavaScript; the bulk actions are one form whose
//! buttons name the action.

use std::collections::HashSet;

use crate::ui::{plural, PageTitle};
use leptos::prelude::*;
use leptos_router::{
    components::{Form, Redirect, A},
    hooks::use_query_map,
};
use uuid::Uuid;

use super::{
    api::{browse_cards, BulkEditCards},
    BrowsePage, BrowseQuery, BrowseSort, CardRow, DeckChoice, Direction,
};
use crate::{
    error::AppError,
    paging::address_with_query,
    ui::{field_message, ErrorNotice, FieldMessage, FormError, INPUT_CLASS, LABEL_CLASS, PANEL_CLASS},
};

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
    let bulk = ServerAction::<BulkEditCards>::new();
    // A bulk action changes rows, so the rows reload after each one that
    // succeeded; after a refused one the selection stays for another try.
    let changes = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(bulk.value().get(), Some(Ok(_))) {
            changes.update(|count| *count += 1);
        }
    });
    let results = Resource::new(
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
        <Transition fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading your cards…"</p> }
        }>
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
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error @ AppError::Validation(_)) => {
                        view! {
                            <SearchForm query=query.clone() error=Some(error.clone()) />
                            <p class="text-slate-600 dark:text-slate-400">
                                <A
                                    href="/browse"
                                    attr:class="text-indigo-700 hover:underline dark:text-indigo-300"
                                >
                                    "Show all cards"
                                </A>
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

#[component]
fn SearchForm(query: BrowseQuery, error: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(error);
    let sorts = BrowseSort::ALL.map(|sort| {
        let selected = sort.as_str() == query.sort;
        view! {
            <option value=sort.as_str() selected=selected>
                {sort.label()}
            </option>
        }
    });
    view! {
        <Form
            method="GET"
            action="/browse"
            attr:class=format!("{PANEL_CLASS} mb-4 grid gap-3 sm:grid-cols-[1fr_auto_auto]")
            attr:role="search"
        >
            <div>
                <label for="browse-q" class="sr-only">
                    "Search your cards"
                </label>
                <input
                    id="browse-q"
                    name="q"
                    type="search"
                    placeholder="Search, e.g. verb deck:Spanish -tag:easy is:due"
                    autocomplete="off"
                    maxlength="500"
                    value=query.q.clone()
                    aria-invalid=move || field_message(error, "q")().is_some().to_string()
                    aria-describedby="browse-q-message"
                    class=INPUT_CLASS
                />
                <FieldMessage
                    message=Signal::derive(field_message(error, "q"))
                    id="browse-q-message".into()
                />
            </div>
            <div>
                <label for="browse-sort" class="sr-only">
                    "Order by"
                </label>
                <select id="browse-sort" name="sort" class=INPUT_CLASS>
                    {sorts}
                </select>
                <FieldMessage
                    message=Signal::derive(field_message(error, "sort"))
                    id="browse-sort-message".into()
                />
            </div>
            <div>
                <button
                    type="submit"
                    class="w-full rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
                >
                    "Search"
                </button>
            </div>
            <details class="text-sm text-slate-600 sm:col-span-3 dark:text-slate-400">
                <summary class="cursor-pointer">"Search syntax"</summary>
                <ul class="mt-2 grid gap-1 sm:grid-cols-2">
                    <li>
                        <code>"gato perro"</code>
                        " cards with both words"
                    </li>
                    <li>
                        <code>"\"buenos días\""</code>
                        " the exact phrase"
                    </li>
                    <li>
                        <code>"deck:Spanish"</code>
                        " a deck and its subdecks; "
                        <code>"*"</code>
                        " matches anything"
                    </li>
                    <li>
                        <code>"tag:verbs"</code>
                        " notes with a tag"
                    </li>
                    <li>
                        <code>"is:new"</code>
                        " never studied; "
                        <code>"is:due"</code>
                        " due for review"
                    </li>
                    <li>
                        <code>"-tag:easy"</code>
                        " a minus sign excludes"
                    </li>
                    <li>"Press " <kbd>"/"</kbd> " to jump to the search box."</li>
                </ul>
            </details>
            <FieldMessage
                message=Signal::derive(field_message(error, "after"))
                id="browse-after-message".into()
            />
        </Form>
    }
}

#[component]
fn CardTable(query: BrowseQuery, page: BrowsePage, bulk: ServerAction<BulkEditCards>) -> impl IntoView {
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
    let outcome = move || {
        bulk.value()
            .get()
            .and_then(Result::ok)
            .map(|outcome| outcome.message)
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
            <th scope="col" aria-sort=aria_sort class=format!("px-3 py-2 text-left font-semibold {class}")>
                <A href=href attr:class="hover:underline">
                    {column.label()}
                    {arrow}
                </A>
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
                <A href="/dashboard" attr:class="text-indigo-700 underline dark:text-indigo-300">
                    "dashboard"
                </A>
                " and add notes to it."
            }
            .into_any()
        } else {
            format!("No cards match “{}”.", query.q.trim()).into_any()
        };
        return view! {
            <p data-testid="browse-empty" class=format!("{PANEL_CLASS} text-slate-600 dark:text-slate-400")>
                {message}
            </p>
        }
        .into_any();
    }
    view! {
        <ActionForm action=bulk attr:novalidate=true attr:data-testid="bulk-form">
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
                                <input
                                    type="checkbox"
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
        </ActionForm>
        <nav aria-label="Pages" class="mt-4 flex justify-between text-sm">
            {first_page
                .map(|href| {
                    view! {
                        <A href=href attr:class="text-indigo-700 hover:underline dark:text-indigo-300">
                            "← First page"
                        </A>
                    }
                })}
            <span></span>
            {next_page
                .map(|href| {
                    view! {
                        <A href=href attr:class="text-indigo-700 hover:underline dark:text-indigo-300">
                            "Next page →"
                        </A>
                    }
                })}
        </nav>
    }
    .into_any()
}

#[component]
fn CardTableRow(row: CardRow, selected: RwSignal<HashSet<Uuid>>) -> impl IntoView {
    let CardRow {
        card_id,
        note_id,
        deck_id,
        deck_title,
        note_type,
        card_name,
        text,
        tags,
        due,
        created,
    } = row;
    let label = format!("Select “{text}”");
    view! {
        <tr class="hover:bg-slate-50 dark:hover:bg-slate-900/60" data-testid="card-row">
            <td class="px-3 py-2 align-top">
                <input
                    type="checkbox"
                    name="input[card_ids][]"
                    value=card_id.to_string()
                    aria-label=label
                    prop:checked=move || selected.with(|chosen| chosen.contains(&card_id))
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        selected
                            .update(|chosen| {
                                if checked {
                                    chosen.insert(card_id);
                                } else {
                                    chosen.remove(&card_id);
                                }
                            });
                    }
                />
            </td>
            <td class="max-w-xs px-3 py-2 align-top">
                <A
                    href=format!("/notes/{note_id}/edit")
                    attr:class="line-clamp-2 break-words text-slate-900 hover:underline dark:text-slate-100"
                >
                    {if text.trim().is_empty() { "(empty)".to_owned() } else { text }}
                </A>
            </td>
            <td class="hidden px-3 py-2 align-top text-slate-600 md:table-cell dark:text-slate-400">
                {format!("{note_type} · {card_name}")}
            </td>
            <td class="hidden px-3 py-2 align-top sm:table-cell">
                <A
                    href=format!("/decks/{deck_id}")
                    attr:class="text-indigo-700 hover:underline dark:text-indigo-300"
                >
                    {deck_title}
                </A>
            </td>
            <td class="hidden px-3 py-2 align-top lg:table-cell">
                <ul class="flex flex-wrap gap-1">
                    {tags
                        .into_iter()
                        .map(|tag| {
                            view! {
                                <li class="rounded bg-slate-100 px-1.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                                    {tag}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </td>
            <td class="hidden whitespace-nowrap px-3 py-2 align-top sm:table-cell">
                {match due {
                    Some(date) => date.into_any(),
                    None => {
                        view! { <span class="text-emerald-700 dark:text-emerald-300">"New"</span> }.into_any()
                    }
                }}
            </td>
            <td class="hidden whitespace-nowrap px-3 py-2 align-top text-slate-600 md:table-cell dark:text-slate-400">
                {created}
            </td>
        </tr>
    }
}

/// Move, tag and delete. Each button submits the same form with its own
/// `action`, so the selection travels with whichever is pressed.
#[component]
fn BulkToolbar(
    decks: Vec<DeckChoice>,
    error: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let button = "rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";
    let options = decks
        .into_iter()
        .map(|deck| view! { <option value=deck.id.to_string()>{deck.path}</option> })
        .collect_view();
    view! {
        <fieldset class=format!("{PANEL_CLASS} mb-3 grid gap-4 md:grid-cols-[1fr_1fr_auto]")>
            <legend class="sr-only">"With the selected cards"</legend>
            <div>
                <label for="bulk-deck" class=LABEL_CLASS>
                    "Move to deck"
                </label>
                <div class="mt-1 flex gap-2">
                    <select
                        id="bulk-deck"
                        name="input[deck_id]"
                        class=INPUT_CLASS
                        aria-describedby="bulk-deck-message"
                    >
                        <option value="">"Choose a deck…"</option>
                        {options}
                    </select>
                    <button type="submit" name="input[action]" value="move" class=button disabled=pending>
                        "Move"
                    </button>
                </div>
                <FieldMessage
                    message=Signal::derive(field_message(error, "deck_id"))
                    id="bulk-deck-message".into()
                />
            </div>
            <div>
                <label for="bulk-tags" class=LABEL_CLASS>
                    "Tags"
                </label>
                <div class="mt-1 flex gap-2">
                    <input
                        id="bulk-tags"
                        name="input[tags]"
                        type="text"
                        autocomplete="off"
                        placeholder="verbs a1"
                        class=INPUT_CLASS
                        aria-describedby="bulk-tags-message"
                    />
                    <button type="submit" name="input[action]" value="add-tags" class=button disabled=pending>
                        "Add"
                    </button>
                    <button
                        type="submit"
                        name="input[action]"
                        value="remove-tags"
                        class=button
                        disabled=pending
                    >
                        "Remove"
                    </button>
                </div>
                <FieldMessage
                    message=Signal::derive(field_message(error, "tags"))
                    id="bulk-tags-message".into()
                />
            </div>
            <details class="relative self-end pb-6">
                <summary class="cursor-pointer list-none rounded-lg border border-red-300 px-3 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950">
                    "Delete…"
                </summary>
                <div class="absolute right-0 z-10 mt-2 w-72 rounded-xl border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                    <p class="text-sm">
                        "Delete the notes of the selected cards, with all their cards? This cannot be undone."
                    </p>
                    <button
                        type="submit"
                        name="input[action]"
                        value="delete"
                        disabled=pending
                        class="mt-3 w-full rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-500 disabled:opacity-60"
                    >
                        "Yes, delete them"
                    </button>
                </div>
            </details>
        </fieldset>
    }
}
