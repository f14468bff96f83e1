use crate::paging;
use crate::routes;
use leptos::prelude::*;
use uuid::Uuid;

/// Under a deck's notes: which of them the page shows, and links to the
/// pages before and after it and back to the first. Plain links, so they
/// work without JavaScript.
#[component]
pub(crate) fn NotePageLinks(
    deck_id: Uuid,
    note_count: i64,
    /// How many notes come before this page.
    notes_before: i64,
    shown: usize,
    next: Option<String>,
    /// The page before's cursor (empty for the first page); `None` on the
    /// first page.
    previous: Option<String>,
) -> impl IntoView {
    let link = "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 \
                dark:border-slate-700 dark:hover:bg-slate-800";
    let page_address =
        move |cursor: &str| paging::address_with_query(&routes::deck(deck_id), &[("after", cursor)]);
    // "First notes" only where it is not the previous page too.
    let first_page = previous.as_deref().is_some_and(|cursor| !cursor.is_empty());
    let which = match shown {
        // A page left behind by deleted notes.
        0 => "No notes on this page any more.".to_owned(),
        shown => format!(
            "Notes {}–{} of {note_count}",
            notes_before + 1,
            notes_before + shown as i64
        ),
    };
    (next.is_some() || previous.is_some()).then(|| {
        view! {
            <nav
                aria-label="Pages of notes"
                class="mt-4 flex flex-wrap items-center gap-3 text-sm"
                data-testid="note-pages"
            >
                <span class="text-slate-600 dark:text-slate-400">{which}</span>
                {first_page
                    .then(|| {
                        view! {
                            <a href=routes::deck(deck_id) class=link>
                                "First notes"
                            </a>
                        }
                    })}
                {previous
                    .map(|cursor| {
                        view! {
                            <a href=page_address(&cursor) class=link rel="prev">
                                "Previous notes"
                            </a>
                        }
                    })}
                {next
                    .map(|cursor| {
                        view! {
                            <a href=page_address(&cursor) class=link rel="next">
                                "More notes"
                            </a>
                        }
                    })}
            </nav>
        }
    })
}
