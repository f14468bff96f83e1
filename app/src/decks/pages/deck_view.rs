use super::edit_deck_form::EditDeckForm;
use super::new_deck_form::NewSubdeckForm;
use super::note_page_links::NotePageLinks;
use crate::decks::api::{DeckPageData, DeleteDeck, UpdateDeck};
use crate::notes::{api::DeleteNote, NotesPage};
use crate::routes;
use crate::study::{
    api::{SaveDeckPreset, StartStudying, StopStudying},
    pages::{DeckPresetForm, DeckStudyButtons, SuspendedCardsPanel},
};
use crate::ui::DeleteButton;
use crate::ui::{plural, PageTitle};
use crate::ui::{FormAction, PostForm};
use crate::unsaved::UnsavedForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub(crate) fn DeckView(
    page: DeckPageData,
    /// What a refused save of the study options kept (without JavaScript).
    unsaved: Option<UnsavedForm>,
    delete_note: FormAction<DeleteNote>,
    update_deck: FormAction<UpdateDeck>,
    start_studying: FormAction<StartStudying>,
    stop_studying: FormAction<StopStudying>,
) -> impl IntoView {
    let DeckPageData {
        deck,
        language_name,
        subdecks,
        notes:
            NotesPage {
                notes,
                next,
                previous,
                notes_before,
            },
        is_later_page,
        can_edit,
        can_share,
        study,
        preset,
        suspended,
        ..
    } = page;
    let save_preset = FormAction::<SaveDeckPreset>::new();
    let note_count = deck.note_count;
    let notes_shown = notes.len();
    let deck_for_editing = deck.clone();
    // Opened from a lesson: the way back is to that lesson.
    let query = use_query_map();
    let lesson = query.with_untracked(|query| {
        query
            .get("from")
            .and_then(|from| crate::decks::lesson_to_return_to(&from).map(str::to_owned))
    });
    let delete_deck = FormAction::<DeleteDeck>::new();
    let deck_id = deck.id;
    let card_count = deck.card_count_with_subdecks;
    let cards_text = |count: i64| plural(count, "card", "cards");
    // Someone signed out has no dashboard: they came from the catalogue or a
    // shared link, and the way on is the catalogue.
    let (home, home_label) = if study.is_some() {
        (routes::DASHBOARD, "← Dashboard")
    } else {
        (routes::CATALOGUE, "← Catalogue")
    };
    view! {
        <PageTitle text=format!("{} · Engram", deck.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            {match (lesson, deck.parent_id) {
                (Some(lesson), _) => {
                    view! {
                        <a href=lesson class="text-indigo-600 hover:underline dark:text-indigo-400">
                            "← Back to the lesson"
                        </a>
                    }
                        .into_any()
                }
                (None, Some(parent_id)) => {
                    view! {
                        <a
                            href=routes::deck(parent_id)
                            class="text-indigo-600 hover:underline dark:text-indigo-400"
                        >
                            "← Parent deck"
                        </a>
                    }
                        .into_any()
                }
                (None, None) => {
                    view! {
                        <a href=home class="text-indigo-600 hover:underline dark:text-indigo-400">
                            {home_label}
                        </a>
                    }
                        .into_any()
                }
            }}
        </nav>
        <header class="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
            <div>
                <h1 class="user-text text-2xl font-bold tracking-tight sm:text-3xl" data-testid="deck-title">
                    {deck.title.clone()}
                </h1>
                <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                    {format!(
                        "by {} · {} · {}",
                        deck.owner_name,
                        cards_text(card_count),
                        deck.visibility.as_str(),
                    )} {(!language_name.is_empty()).then(|| format!(" · {language_name}"))}
                </p>
                <p class="user-text mt-3 max-w-2xl whitespace-pre-line text-slate-700 dark:text-slate-300">
                    {deck.description.clone()}
                </p>
            </div>
            <div class="flex flex-wrap items-start gap-2">
                {match study {
                    Some(study) => {
                        view! { <DeckStudyButtons deck_id study start=start_studying stop=stop_studying /> }
                            .into_any()
                    }
                    None => {
                        // Signed out: the way to study it is an account, and the
                        // login page (or sign-up, one link on) brings them back here.
                        view! {
                            <a
                                href=routes::login_then(&routes::deck(deck_id))
                                class="button-primary"
                                data-testid="log-in-to-study"
                            >
                                "Log in to study"
                            </a>
                        }
                            .into_any()
                    }
                }}
                {can_edit
                    .then(|| {
                        view! {
                            <div class="flex flex-wrap gap-2">
                                <a href=routes::add_note(deck_id) class="button-secondary">
                                    "Add notes"
                                </a>
                                <details class="relative">
                                    <summary class="cursor-pointer list-none rounded-lg border border-red-300 px-4 py-2 font-semibold text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950">
                                        "Delete deck"
                                    </summary>
                                    <div class="absolute right-0 z-10 mt-2 w-72 rounded-xl border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                                        <p class="text-sm" data-testid="delete-deck-warning">
                                            {format!(
                                                "Delete “{}” and its {}, including its subdecks? This cannot be undone.",
                                                deck.title,
                                                cards_text(card_count),
                                            )}
                                        </p>
                                        <PostForm action=delete_deck attr:class="mt-3">
                                            <input type="hidden" name="deck_id" value=deck_id.to_string() />
                                            <DeleteButton
                                                label="Yes, delete it"
                                                pending=delete_deck.pending()
                                                class="w-full"
                                            />
                                        </PostForm>
                                    </div>
                                </details>
                            </div>
                        }
                            .into_any()
                    })}
            </div>
        </header>
        // What the viewer suspended while studying it, to bring back.
        {(suspended.total > 0).then(|| view! { <SuspendedCardsPanel suspended /> })}
        {can_edit
            .then(|| {
                view! {
                    <div class="grid gap-x-4 md:grid-cols-2">
                        <EditDeckForm deck=deck_for_editing update=update_deck can_share />
                        <NewSubdeckForm can_share parent_id=deck_id />
                    </div>
                    {preset
                        .map(|preset| view! { <DeckPresetForm deck_id preset unsaved save=save_preset /> })}
                }
            })}
        {(!subdecks.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="subdecks-heading" class="mb-8">
                        <h2 id="subdecks-heading" class="mb-3 text-lg font-semibold">
                            "Subdecks"
                        </h2>
                        <ul class="grid gap-3 sm:grid-cols-2">
                            {subdecks
                                .into_iter()
                                .map(|subdeck| {
                                    view! {
                                        <li class="panel">
                                            <a
                                                href=routes::deck(subdeck.id)
                                                class="font-semibold hover:underline"
                                            >
                                                {subdeck.title}
                                            </a>
                                            <p class="text-sm text-slate-500 dark:text-slate-400">
                                                {cards_text(subdeck.card_count_with_subdecks)}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        <section aria-labelledby="notes-heading">
            <h2 id="notes-heading" class="mb-3 text-lg font-semibold">
                {format!("Notes ({note_count})")}
            </h2>
            {if notes.is_empty() && !is_later_page {
                view! {
                    <div class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        <p class="font-medium">"This deck has no notes yet."</p>
                        {can_edit
                            .then(|| {
                                view! {
                                    <p class="mt-1 text-sm">
                                        <a
                                            href=routes::add_note(deck_id)
                                            class="text-indigo-600 underline dark:text-indigo-400"
                                        >
                                            "Add the first note"
                                        </a>
                                    </p>
                                }
                            })}
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="space-y-3" data-testid="note-list">
                        {notes
                            .into_iter()
                            .map(|note| {
                                let note_id = note.id.to_string();
                                let card_count = note.card_count;
                                view! {
                                    <li class="panel flex items-start justify-between gap-4">
                                        <div class="min-w-0">
                                            // Stored HTML was sanitised with an allow-list when the note was saved.
                                            <div
                                                class="card-content overflow-x-hidden"
                                                inner_html=note.front_html
                                            ></div>
                                            <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">
                                                {format!(
                                                    "{} · {}",
                                                    note.note_type_name,
                                                    cards_text(note.card_count),
                                                )}
                                                {(!note.tags.is_empty())
                                                    .then(|| {
                                                        view! {
                                                            " · "
                                                            <span class="user-text">{note.tags.join(" ")}</span>
                                                        }
                                                    })}
                                            </p>
                                        </div>
                                        {can_edit
                                            .then(|| {
                                                view! {
                                                    <div class="flex shrink-0 items-center gap-1">
                                                        <a
                                                            href=routes::edit_note(note.id)
                                                            class="rounded-md px-2 py-1 text-sm text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
                                                        >
                                                            "Edit"
                                                        </a>
                                                        <details class="relative" data-testid="delete-note">
                                                            <summary class="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950">
                                                                "Delete"
                                                            </summary>
                                                            <div class="absolute right-0 z-10 mt-2 w-64 rounded-xl border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                                                                <p class="text-sm">
                                                                    {format!(
                                                                        "Delete this note and its {}, with their review history? This cannot be undone.",
                                                                        cards_text(card_count),
                                                                    )}
                                                                </p>
                                                                <PostForm action=delete_note attr:class="mt-3">
                                                                    <input type="hidden" name="note_id" value=note_id.clone() />
                                                                    <DeleteButton
                                                                        label="Yes, delete the note"
                                                                        pending=delete_note.pending()
                                                                        class="w-full text-sm"
                                                                    />
                                                                </PostForm>
                                                            </div>
                                                        </details>
                                                    </div>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <NotePageLinks deck_id note_count notes_before shown=notes_shown next previous />
                }
                    .into_any()
            }}
        </section>
    }
}
