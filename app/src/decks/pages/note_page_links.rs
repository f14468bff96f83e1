use crate::paging;
use crate::routes;
use crate::ui::plural;
use leptos::prelude::*;
use uuid::Uuid;

/// Under a deck's notes: how many of them the page shows, and links to the
/// next page and back to the first. Plain links, so they work without
/// JavaScript.
#[component]
pub(crate) fn NotePageLinks(
    deck_id: Uuid,
    note_count: i64,
    shown: usize,
    next: Option<String>,
    is_later_page: bool,
) -> impl IntoView {
    let link = "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 \
                dark:border-slate-700 dark:hover:bg-slate-800";
    (next.is_some() || is_later_page).then(|| {
        view! {
            <nav
                aria-label="Pages of notes"
                class="mt-4 flex flex-wrap items-center gap-3 text-sm"
                data-testid="note-pages"
            >
                <span class="text-slate-600 dark:text-slate-400">
                    {format!("Showing {} of {}", plural(shown as i64, "note", "notes"), note_count)}
                </span>
                {is_later_page
                    .then(|| {
                        view! {
                            <a href=routes::deck(deck_id) class=link>
                                "First notes"
                            </a>
                        }
                    })}
                {next
                    .map(|cursor| {
                        view! {
                            <a
                                href=paging::address_with_query(&routes::deck(deck_id), &[("after", &cursor)])
                                class=link
                            >
                                "More notes"
                            </a>
                        }
                    })}
            </nav>
        }
    })
}
