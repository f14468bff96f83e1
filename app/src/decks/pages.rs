//! Deck pages: a deck with its notes, the note editor, and the new-deck form.

use crate::ui::{plural, PageTitle, TextArea};
use leptos::{html, prelude::*};
use leptos_router::{
    components::{Redirect, A},
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};
use uuid::Uuid;

use super::{
    api::{
        load_deck_page, load_note_editor, CreateDeck, DeckPageData, DeleteDeck, NoteEditorData, UpdateDeck,
    },
    Deck, Visibility,
};
use crate::{
    error::AppError,
    media::{editor::MediaDropZone, FORM_FILE_FIELD},
    note_types::NoteTypeOption,
    notes::{
        api::{
            load_note, suggest_tags, CardPreview, CreateNote, DeleteNote, NoteForEditing, PreviewNote,
            UpdateNote,
        },
        builtin::BuiltinNoteType,
        template::NoteKind,
        unsaved::{self, UnsavedNote},
        NotesPage,
    },
    paging,
    ui::{
        field_message, latest_save_error, ErrorNotice, FieldMessage, FormError, SubmitButton, INPUT_CLASS,
        LABEL_CLASS, PANEL_CLASS,
    },
};

fn deck_id_from_route() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()))
}

async fn load_page(deck_id: Option<Uuid>, after: Option<String>) -> Result<DeckPageData, AppError> {
    match deck_id {
        Some(deck_id) => load_deck_page(deck_id, after).await,
        None => Err(AppError::NotFound),
    }
}

async fn load_editor(deck_id: Option<Uuid>) -> Result<NoteEditorData, AppError> {
    match deck_id {
        Some(deck_id) => load_note_editor(deck_id).await,
        None => Err(AppError::NotFound),
    }
}

/// The inputs of a deck's settings, shared by the new-deck, subdeck and
/// edit forms. `prefix` keeps element ids unique when several are on a page.
#[component]
fn DeckSettingsFields(
    prefix: &'static str,
    error: Signal<Option<AppError>>,
    can_share: bool,
    #[prop(optional)] current: Option<Deck>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let (title, description, language, visibility) = match current {
        Some(deck) => (deck.title, deck.description, deck.language, deck.visibility),
        None => Default::default(),
    };
    view! {
        <div class="sm:col-span-2">
            <FormError error=error />
        </div>
        <div class="sm:col-span-2">
            <label for=id("title") class=LABEL_CLASS>
                "Title"
            </label>
            <input
                id=id("title")
                name="input[title]"
                required
                maxlength="200"
                value=title
                class=INPUT_CLASS
            />
            <FieldMessage message=Signal::derive(field_message(error, "title")) id=id("title-message") />
        </div>
        <div class="sm:col-span-2">
            <label for=id("description") class=LABEL_CLASS>
                "Description"
            </label>
            <TextArea
                id=id("description")
                name="input[description]"
                rows=2
                value=description
                described_by=id("description-message")
            />
            <FieldMessage
                message=Signal::derive(field_message(error, "description"))
                id=id("description-message")
            />
        </div>
        <div>
            <label for=id("language") class=LABEL_CLASS>
                "Language (optional)"
            </label>
            <input
                id=id("language")
                name="input[language]"
                placeholder="es, fr, pt-BR…"
                maxlength="35"
                value=language
                class=INPUT_CLASS
            />
            <FieldMessage
                message=Signal::derive(field_message(error, "language"))
                id=id("language-message")
            />
        </div>
        <div>
            <label for=id("visibility") class=LABEL_CLASS>
                "Who can see it"
            </label>
            <select id=id("visibility") name="input[visibility]" class=INPUT_CLASS disabled=!can_share>
                {Visibility::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.as_str() selected=option == visibility>
                                {option.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {(!can_share)
                .then(|| {
                    view! {
                        <input type="hidden" name="input[visibility]" value="private" />
                        <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                            "Your decks are private. Teachers can share theirs."
                        </p>
                    }
                })}
            <FieldMessage
                message=Signal::derive(field_message(error, "visibility"))
                id=id("visibility-message")
            />
        </div>
        <div class="sm:col-span-2">
            <FieldMessage message=Signal::derive(field_message(error, "parent_id")) id=id("parent-message") />
        </div>
    }
}

/// Starts a new deck, or a subdeck of `parent_id`.
#[component]
pub fn NewDeckForm(
    can_share: bool,
    #[prop(optional)] parent_id: Option<Uuid>,
    #[prop(default = "New deck")] summary: &'static str,
) -> impl IntoView {
    let create = ServerAction::<CreateDeck>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let prefix = if parent_id.is_some() { "subdeck" } else { "deck" };
    view! {
        <details class=format!("{PANEL_CLASS} mb-8") data-testid=format!("new-{prefix}")>
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                {summary}
            </summary>
            <ActionForm action=create attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                {parent_id
                    .map(|parent_id| {
                        view! { <input type="hidden" name="input[parent_id]" value=parent_id.to_string() /> }
                    })}
                <DeckSettingsFields prefix error can_share />
                <div class="sm:col-span-2 sm:w-48">
                    <SubmitButton label="Create deck" pending_label="Creating…" pending=create.pending() />
                </div>
            </ActionForm>
        </details>
    }
}

/// Changes a deck's title, description, language and visibility.
#[component]
fn EditDeckForm(deck: Deck, update: ServerAction<UpdateDeck>, can_share: bool) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let saved = move || matches!(update.value().get(), Some(Ok(())));
    let deck_id = deck.id;
    let parent_id = deck.parent_id;
    view! {
        <details class=format!("{PANEL_CLASS} mb-8") data-testid="edit-deck">
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                "Edit deck"
            </summary>
            <ActionForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                <input
                    type="hidden"
                    name="input[parent_id]"
                    value=parent_id.map(|id| id.to_string()).unwrap_or_default()
                />
                <DeckSettingsFields prefix="edit" error can_share current=deck />
                <div class="flex items-center gap-3 sm:col-span-2">
                    <div class="w-48">
                        <SubmitButton
                            label="Save changes"
                            pending_label="Saving…"
                            pending=update.pending()
                        />
                    </div>
                    <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                        {move || saved().then_some("Saved.")}
                    </p>
                </div>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn DeckPage() -> impl IntoView {
    let deck_id = deck_id_from_route();
    let delete_note = ServerAction::<DeleteNote>::new();
    let update_deck = ServerAction::<UpdateDeck>::new();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            (
                deck_id.get(),
                query.read().get("after"),
                delete_note.version().get(),
                update_deck.version().get(),
            )
        },
        |(id, after, _, _)| load_page(id, after),
    );
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the deck…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <DeckView page delete_note update_deck /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeckView(
    page: DeckPageData,
    delete_note: ServerAction<DeleteNote>,
    update_deck: ServerAction<UpdateDeck>,
) -> impl IntoView {
    let DeckPageData {
        deck,
        subdecks,
        notes: NotesPage { notes, next },
        is_later_page,
        can_edit,
        can_share,
        ..
    } = page;
    let note_count = deck.note_count;
    let notes_shown = notes.len();
    let deck_for_editing = deck.clone();
    // Opened from a lesson: the way back is to that lesson.
    let query = use_query_map();
    let lesson = query.with_untracked(|query| {
        query
            .get("from")
            .and_then(|from| super::lesson_to_return_to(&from).map(str::to_owned))
    });
    let delete_deck = ServerAction::<DeleteDeck>::new();
    let deck_id = deck.id;
    let card_count = deck.card_count_with_subdecks;
    let cards_text = |count: i64| plural(count, "card", "cards");
    view! {
        <PageTitle text=format!("{} · Engram", deck.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            {match (lesson, deck.parent_id) {
                (Some(lesson), _) => {
                    view! {
                        <A href=lesson attr:class="text-indigo-600 hover:underline dark:text-indigo-400">
                            "← Back to the lesson"
                        </A>
                    }
                        .into_any()
                }
                (None, Some(parent_id)) => {
                    view! {
                        <A
                            href=format!("/decks/{parent_id}")
                            attr:class="text-indigo-600 hover:underline dark:text-indigo-400"
                        >
                            "← Parent deck"
                        </A>
                    }
                        .into_any()
                }
                (None, None) => {
                    view! {
                        <A
                            href="/dashboard"
                            attr:class="text-indigo-600 hover:underline dark:text-indigo-400"
                        >
                            "← Dashboard"
                        </A>
                    }
                        .into_any()
                }
            }}
        </nav>
        <header class="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
            <div>
                <h1 class="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="deck-title">
                    {deck.title.clone()}
                </h1>
                <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                    {format!(
                        "by {} · {} · {}",
                        deck.owner_name,
                        cards_text(card_count),
                        deck.visibility.as_str(),
                    )} {(!deck.language.is_empty()).then(|| format!(" · {}", deck.language))}
                </p>
                <p class="mt-3 max-w-2xl whitespace-pre-line text-slate-700 dark:text-slate-300">
                    {deck.description.clone()}
                </p>
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <div class="flex flex-wrap gap-2">
                            <A
                                href=format!("/decks/{deck_id}/add")
                                attr:class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
                            >
                                "Add notes"
                            </A>
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
                                    <ActionForm action=delete_deck attr:class="mt-3">
                                        <input type="hidden" name="deck_id" value=deck_id.to_string() />
                                        <button
                                            type="submit"
                                            disabled=move || delete_deck.pending().get()
                                            class="w-full rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-500 disabled:opacity-60"
                                        >
                                            "Yes, delete it"
                                        </button>
                                    </ActionForm>
                                </div>
                            </details>
                        </div>
                    }
                })}
        </header>
        {can_edit
            .then(|| {
                view! {
                    <div class="grid gap-x-4 md:grid-cols-2">
                        <EditDeckForm deck=deck_for_editing update=update_deck can_share />
                        <NewDeckForm can_share parent_id=deck_id summary="New subdeck" />
                    </div>
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
                                        <li class=PANEL_CLASS>
                                            <A
                                                href=format!("/decks/{}", subdeck.id)
                                                attr:class="font-semibold hover:underline"
                                            >
                                                {subdeck.title}
                                            </A>
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
                                        <A
                                            href=format!("/decks/{deck_id}/add")
                                            attr:class="text-indigo-600 underline dark:text-indigo-400"
                                        >
                                            "Add the first note"
                                        </A>
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
                                    <li class=format!("{PANEL_CLASS} flex items-start justify-between gap-4")>
                                        <div class="min-w-0">
                                            // Stored HTML was sanitised with an allow-list when the note was saved.
                                            <div class="card-content" inner_html=note.front_html></div>
                                            <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">
                                                {format!(
                                                    "{} · {}",
                                                    note.note_type_name,
                                                    cards_text(note.card_count),
                                                )}
                                                {(!note.tags.is_empty())
                                                    .then(|| format!(" · {}", note.tags.join(" ")))}
                                            </p>
                                        </div>
                                        {can_edit
                                            .then(|| {
                                                view! {
                                                    <div class="flex items-center gap-1">
                                                        <A
                                                            href=format!("/notes/{note_id}/edit")
                                                            attr:class="rounded-md px-2 py-1 text-sm text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
                                                        >
                                                            "Edit"
                                                        </A>
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
                                                                <ActionForm action=delete_note attr:class="mt-3">
                                                                    <input type="hidden" name="note_id" value=note_id.clone() />
                                                                    <button
                                                                        type="submit"
                                                                        disabled=move || delete_note.pending().get()
                                                                        class="w-full rounded-lg bg-red-600 px-4 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
                                                                    >
                                                                        "Yes, delete the note"
                                                                    </button>
                                                                </ActionForm>
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
                    <NotePageLinks deck_id note_count shown=notes_shown next is_later_page />
                }
                    .into_any()
            }}
        </section>
    }
}

/// Under a deck's notes: how many of them the page shows, and links to the
/// next page and back to the first. Plain links, so they work without
/// JavaScript.
#[component]
fn NotePageLinks(
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
                            <A href=format!("/decks/{deck_id}") attr:class=link>
                                "First notes"
                            </A>
                        }
                    })}
                {next
                    .map(|cursor| {
                        view! {
                            <A
                                href=paging::address_with_query(
                                    &format!("/decks/{deck_id}"),
                                    &[("after", &cursor)],
                                )
                                attr:class=link
                            >
                                "More notes"
                            </A>
                        }
                    })}
            </nav>
        }
    })
}

/// Adds notes to a deck, with a live preview of the cards they make.
/// Ctrl+Enter (⌘+Enter) saves and starts the next note.
#[component]
pub fn NoteEditorPage() -> impl IntoView {
    let deck_id = deck_id_from_route();
    let page = Resource::new(move || deck_id.get(), load_editor);
    let unsaved = unsaved_note_for(move |query| {
        Some(unsaved::adding_form(
            deck_id.get()?,
            &query.get("type").unwrap_or_default(),
        ))
    });
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the editor…"</p> }
        }>
            {move || Suspend::new(async move {
                let unsaved = unsaved.await;
                match page.await {
                    Ok(page) => view! { <NoteEditor page unsaved /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The note a plain form post failed to save, when the address says one is
/// waiting (see `notes::unsaved`); `form` names the form asking.
fn unsaved_note_for(
    form: impl Fn(&ParamsMap) -> Option<String> + Send + Sync + 'static,
) -> Resource<Option<UnsavedNote>> {
    let query = use_query_map();
    Resource::new(
        move || {
            let query = query.read();
            query.get(unsaved::WAITING_PARAMETER).and_then(|_| form(&query))
        },
        |form| async move {
            match form {
                Some(form) => unsaved::take_unsaved_note(form).await.ok().flatten(),
                None => None,
            }
        },
    )
}

#[component]
fn NoteEditor(page: NoteEditorData, unsaved: Option<UnsavedNote>) -> impl IntoView {
    let deck = page.deck;
    let note_types = StoredValue::new(page.note_types);
    let query = use_query_map();
    // The type in the address (`?type=cloze` or a custom type's id), else Basic.
    let note_type = Memo::new(move |_| {
        let key = query.read().get("type").unwrap_or_default();
        note_types.with_value(|types| {
            types
                .iter()
                .find(|option| option.choice.key() == key)
                .or_else(|| types.first())
                .cloned()
        })
    });
    let field_names = Memo::new(move |_| {
        note_type
            .get()
            .map(|option| option.shape.fields)
            .unwrap_or_default()
    });
    let (unsaved_fields, unsaved_tags, unsaved_error, upload_notice) = match unsaved {
        Some(note) => (Some(note.fields), note.tags, note.error, note.notice),
        None => (None, String::new(), None, None),
    };
    let values = RwSignal::new(
        unsaved_fields.unwrap_or_else(|| vec![String::new(); field_names.get_untracked().len()]),
    );
    let tags = RwSignal::new(unsaved_tags);
    let create = ServerAction::<CreateNote>::new();
    let preview = ServerAction::<PreviewNote>::new();
    let form_ref = NodeRef::<html::Form>::new();
    // `?added=1`: the plain form post (without JavaScript) just added a note.
    let added = RwSignal::new(
        query
            .read_untracked()
            .get("added")
            .and_then(|count| count.parse::<usize>().ok())
            .unwrap_or(0)
            .min(1),
    );

    // A new note type starts from empty fields. (The first run keeps the
    // fields the page started with: empty, or a note that was not saved.)
    Effect::new(move |previous: Option<()>| {
        let count = field_names.get().len();
        if previous.is_some() {
            values.set(vec![String::new(); count]);
        }
    });
    // Tags carry over to the next note of the same type only: switching
    // type keeps this type's tags for when the author comes back to it.
    let tags_by_type = StoredValue::new(std::collections::HashMap::<String, String>::new());
    Effect::new(move |previous: Option<String>| {
        let key = note_type
            .get()
            .map(|option| option.choice.key())
            .unwrap_or_default();
        if let Some(previous) = previous.filter(|previous| *previous != key) {
            tags_by_type.update_value(|saved| {
                saved.insert(previous, tags.get_untracked());
            });
            tags.set(tags_by_type.with_value(|saved| saved.get(&key).cloned().unwrap_or_default()));
        }
        key
    });
    // After a save, clear the fields (tags usually repeat, so they stay,
    // said and clearable beside the tags) and
    // put the cursor back in the first field for the next note.
    Effect::new(move |previous: Option<usize>| {
        let version = create.version().get();
        if previous.is_some_and(|previous| previous != version)
            && matches!(create.value().get_untracked(), Some(Ok(_)))
        {
            values.set(vec![String::new(); field_names.get_untracked().len()]);
            added.update(|count| *count += 1);
            focus_first_field();
        }
        version
    });
    let save_error = latest_save_error(
        Signal::derive(move || create.value().get().and_then(Result::err)),
        create.version().into(),
        unsaved_error,
    );
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if (event.ctrl_key() || event.meta_key()) && event.key() == "Enter" {
            event.prevent_default();
            if let Some(form) = form_ref.get() {
                let _ = form.request_submit();
            }
        }
    };
    let deck_id = deck.id;

    view! {
        <PageTitle text=format!("Add notes · {} · Engram", deck.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <A
                href=format!("/decks/{deck_id}")
                attr:class="text-indigo-600 hover:underline dark:text-indigo-400"
            >
                {format!("← {}", deck.title)}
            </A>
        </nav>
        <h1 class="mb-4 text-2xl font-bold tracking-tight">"Add notes"</h1>
        // The link to manage note types sits beside the tablist, not in it: a
        // tablist may hold only tabs (axe: aria-required-children).
        <div class="mb-4 flex flex-wrap items-center gap-2">
            <div role="tablist" aria-label="Note type" class="flex flex-wrap gap-2">
                {note_types
                    .get_value()
                    .into_iter()
                    .map(|option| {
                        let key = option.choice.key();
                        let selected_key = key.clone();
                        view! {
                            <A
                                href=format!("/decks/{deck_id}/add?type={key}")
                                attr:role="tab"
                                attr:aria-selected=move || {
                                    note_type
                                        .with(|current| {
                                            current
                                                .as_ref()
                                                .is_some_and(|current| current.choice.key() == selected_key)
                                        })
                                        .to_string()
                                }
                                attr:class="rounded-full border border-slate-300 px-3 py-1 text-sm aria-selected:border-indigo-600 aria-selected:bg-indigo-600 aria-selected:text-white dark:border-slate-600"
                            >
                                {option.name}
                            </A>
                        }
                    })
                    .collect_view()}
            </div>
            <A
                href="/note-types"
                attr:class="px-2 py-1 text-sm text-indigo-700 hover:underline dark:text-indigo-300"
            >
                "Manage note types"
            </A>
        </div>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <ActionForm
                action=create
                node_ref=form_ref
                attr:class="min-w-0 space-y-4"
                attr:novalidate=true
                on:keydown=on_keydown
            >
                <FormError error=save_error />
                <input type="hidden" name="input[deck_id]" value=deck_id.to_string() />
                <input
                    type="hidden"
                    name="input[note_type]"
                    value=move || note_type.get().map(|option| option.choice.key()).unwrap_or_default()
                />
                <NoteFields
                    note_type=Signal::derive(move || note_type.get().unwrap_or_else(basic_note_type))
                    values
                    tags
                    save_error
                    preview
                    tags_carry_over=true
                    upload_notice
                />
                <div class="flex items-center gap-3">
                    <div class="w-56">
                        <SubmitButton label="Save note" pending_label="Saving…" pending=create.pending() />
                    </div>
                    <span class="js-only text-sm text-slate-500 dark:text-slate-400">
                        "Ctrl+Enter saves and starts the next"
                    </span>
                </div>
                <p
                    role="status"
                    class="text-sm text-emerald-700 dark:text-emerald-300"
                    data-testid="added-count"
                >
                    {move || match added.get() {
                        0 => String::new(),
                        count => format!("{}.", plural(count as i64, "note added", "notes added")),
                    }}
                </p>
            </ActionForm>
            <section aria-labelledby="preview-heading" aria-live="polite" class="min-w-0">
                <h2 id="preview-heading" class="mb-3 text-lg font-semibold">
                    "Preview"
                </h2>
                <CardPreviews preview />
            </section>
        </div>
    }
}

fn basic_note_type() -> NoteTypeOption {
    NoteTypeOption::builtin(BuiltinNoteType::Basic)
}

/// Edits one note; saving regenerates its cards and returns to the deck.
#[component]
pub fn NoteEditPage() -> impl IntoView {
    let params = use_params_map();
    let note_id = Memo::new(move |_| params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let note = Resource::new(
        move || note_id.get(),
        |note_id| async move {
            match note_id {
                Some(note_id) => load_note(note_id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let unsaved = unsaved_note_for(move |_| Some(unsaved::editing_form(note_id.get()?)));
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the note…"</p> }
        }>
            {move || Suspend::new(async move {
                let unsaved = unsaved.await;
                match note.await {
                    Ok(note) => view! { <NoteEditForm note unsaved /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NoteEditForm(note: NoteForEditing, unsaved: Option<UnsavedNote>) -> impl IntoView {
    let update = ServerAction::<UpdateNote>::new();
    let preview = ServerAction::<PreviewNote>::new();
    let (fields, tags, unsaved_error, upload_notice) = match unsaved {
        Some(unsaved) => (unsaved.fields, unsaved.tags, unsaved.error, unsaved.notice),
        None => (note.fields.clone(), note.tags.join(" "), None, None),
    };
    let values = RwSignal::new(fields);
    let tags = RwSignal::new(tags);
    let type_name = note.note_type.name.clone();
    let note_type = Signal::stored(note.note_type);
    let save_error = latest_save_error(
        Signal::derive(move || update.value().get().and_then(Result::err)),
        update.version().into(),
        unsaved_error,
    );
    let deck_href = format!("/decks/{}", note.deck_id);
    view! {
        <PageTitle text=format!("Edit note · {} · Engram", note.deck_title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <A href=deck_href.clone() attr:class="text-indigo-600 hover:underline dark:text-indigo-400">
                {format!("← {}", note.deck_title)}
            </A>
        </nav>
        <h1 class="mb-4 text-2xl font-bold tracking-tight">{format!("Edit {type_name} note")}</h1>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <ActionForm action=update attr:class="min-w-0 space-y-4" attr:novalidate=true>
                <FormError error=save_error />
                <input type="hidden" name="note_id" value=note.id.to_string() />
                <NoteFields note_type values tags save_error preview upload_notice />
                <p class="text-sm text-slate-500 dark:text-slate-400">
                    "Cards that remain after the edit keep their review history."
                </p>
                <div class="flex items-center gap-3">
                    <div class="w-56">
                        <SubmitButton
                            label="Save changes"
                            pending_label="Saving…"
                            pending=update.pending()
                        />
                    </div>
                    <A href=deck_href attr:class="text-sm text-slate-600 hover:underline dark:text-slate-400">
                        "Cancel"
                    </A>
                </div>
            </ActionForm>
            <section aria-labelledby="preview-heading" aria-live="polite" class="min-w-0">
                <h2 id="preview-heading" class="mb-3 text-lg font-semibold">
                    "Preview"
                </h2>
                <CardPreviews preview />
            </section>
        </div>
    }
}

/// Without JavaScript, a file is added to a note by sending the whole note
/// form, file included, to `/media/attach`, which keeps the note and adds
/// the file's embed text to the chosen field (see `media::http`). Once the
/// page is hydrated, the drop zones do this instead, and these controls are
/// hidden and disabled, so the hydrated form never sends them.
#[component]
fn UploadWithoutJavaScript(
    note_type: Signal<NoteTypeOption>,
    save_error: Signal<Option<AppError>>,
    notice: Option<String>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let message = Signal::derive(field_message(save_error, FORM_FILE_FIELD));
    view! {
        <fieldset class="no-js-only rounded-lg border border-dashed border-slate-300 p-3 text-sm dark:border-slate-600">
            <legend class="px-1 font-medium text-slate-700 dark:text-slate-200">"Add image or audio"</legend>
            <div class="flex flex-wrap items-end gap-3">
                <div class="min-w-0">
                    <label for="media-upload" class="sr-only">
                        "File"
                    </label>
                    <input
                        id="media-upload"
                        type="file"
                        name=FORM_FILE_FIELD
                        accept="image/png,image/jpeg,image/gif,image/webp,image/avif,audio/*"
                        aria-describedby="media-upload-message"
                        disabled=move || hydrated.get()
                        class="max-w-full text-slate-700 dark:text-slate-200"
                    />
                </div>
                <div>
                    <label for="media-field" class=LABEL_CLASS>
                        "into"
                    </label>
                    <select
                        id="media-field"
                        name="media_field"
                        class=INPUT_CLASS
                        disabled=move || hydrated.get()
                    >
                        {move || {
                            note_type
                                .get()
                                .shape
                                .fields
                                .into_iter()
                                .enumerate()
                                .map(|(index, name)| {
                                    view! { <option value=index.to_string()>{name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button
                    type="submit"
                    formaction="/media/attach"
                    formenctype="multipart/form-data"
                    formmethod="post"
                    formnovalidate=true
                    disabled=move || hydrated.get()
                    class="rounded-lg border border-indigo-600 px-3 py-2 font-medium text-indigo-700 hover:bg-indigo-50 dark:border-indigo-400 dark:text-indigo-300 dark:hover:bg-slate-800"
                >
                    "Upload"
                </button>
            </div>
            <p class="mt-2 text-slate-500 dark:text-slate-400">"Uploading keeps what you have typed."</p>
            <FieldMessage message id="media-upload-message".to_owned() />
            <p role="status" class="text-emerald-700 dark:text-emerald-300" data-testid="upload-notice">
                {notice}
            </p>
        </fieldset>
    }
}

/// A note's field inputs and tags, with a preview of its cards rendered by
/// the server once typing pauses. Shared by the add and edit pages.
#[component]
fn NoteFields(
    note_type: Signal<NoteTypeOption>,
    values: RwSignal<Vec<String>>,
    tags: RwSignal<String>,
    save_error: Signal<Option<AppError>>,
    preview: ServerAction<PreviewNote>,
    /// The add-notes editor keeps tags for the next note of the same type.
    #[prop(optional)]
    tags_carry_over: bool,
    /// Said after a file uploaded without JavaScript was added to a field.
    upload_notice: Option<String>,
) -> impl IntoView {
    // Preview after typing pauses, so the server renders once per pause.
    let pending_preview = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let fields = values.get();
        let note_type = note_type.get();
        if let Some(handle) = pending_preview.get_value() {
            handle.clear();
        }
        if fields.iter().all(|field| field.trim().is_empty()) {
            // Empty fields (a new note type, or the next note after a save)
            // show no cards, not the previous note's.
            preview.value().set(None);
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                preview.dispatch(PreviewNote {
                    input: crate::notes::PreviewInput {
                        note_type: note_type.choice,
                        fields: fields.clone(),
                    },
                });
            },
            std::time::Duration::from_millis(300),
        )
        .ok();
        pending_preview.set_value(handle);
    });

    let preview_error = Signal::derive(move || preview.value().get().and_then(Result::err));
    let field_error = move |name: String| {
        move || {
            save_error
                .get()
                .and_then(|error| error.field_message(&name))
                .or_else(|| preview_error.get().and_then(|error| error.field_message(&name)))
        }
    };
    view! {
        {move || {
            note_type
                .get()
                .shape
                .fields
                .into_iter()
                .enumerate()
                .map(|(index, name)| {
                    let id = format!("note-field-{index}");
                    let message_id = format!("{id}-message");
                    let message = Signal::derive(field_error(name.clone()));
                    let textarea = view! {
                        <TextArea
                            id=id.clone()
                            name=format!("input[fields][{index}]")
                            rows=3
                            described_by=message_id.clone()
                            value=Signal::derive(move || {
                                values.with(|values| values.get(index).cloned().unwrap_or_default())
                            })
                            on_input=Callback::new(move |text: String| {
                                values
                                    .update(|values| {
                                        if let Some(value) = values.get_mut(index) {
                                            *value = text;
                                        }
                                    });
                            })
                        />
                    };
                    let insert = Callback::new(move |embed: String| {
                        values
                            .update(|values| {
                                if let Some(value) = values.get_mut(index) {
                                    if !value.trim().is_empty() {
                                        value.push_str("\n\n");
                                    }
                                    value.push_str(&embed);
                                }
                            });
                    });
                    view! {
                        <div>
                            <label for=id class=LABEL_CLASS>
                                {name.clone()}
                            </label>
                            <MediaDropZone on_uploaded=insert field_name=name>
                                {textarea}
                            </MediaDropZone>
                            <FieldMessage message id=message_id />
                        </div>
                    }
                })
                .collect_view()
        }}
        <UploadWithoutJavaScript note_type save_error notice=upload_notice />
        <div>
            <label for="note-tags" class=LABEL_CLASS>
                "Tags"
            </label>
            <input
                id="note-tags"
                name="input[tags]"
                placeholder="verbs a1"
                class=INPUT_CLASS
                value=tags.get_untracked()
                prop:value=move || tags.get()
                on:input=move |event| tags.set(event_target_value(&event))
            />
            <TagSuggestions tags />
            {move || {
                (tags_carry_over && !tags.with(|tags| tags.trim().is_empty()))
                    .then(|| {
                        view! {
                            <p
                                class="js-only mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400"
                                data-testid="tags-carry-over"
                            >
                                {format!("These tags stay for your next {} note.", note_type.get().name)}
                                <button
                                    type="button"
                                    class="rounded-md px-2 py-0.5 text-indigo-700 underline hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
                                    on:click=move |_| tags.set(String::new())
                                >
                                    "Clear tags"
                                </button>
                            </p>
                        }
                    })
            }}
            <FieldMessage
                message=Signal::derive(field_message(save_error, "tags"))
                id="note-tags-message".into()
            />
        </div>
        <p class="text-sm text-slate-500 dark:text-slate-400">
            "Markdown, $formulas$ and ``` code blocks ``` work in every field. "
            {move || {
                (note_type.get().shape.kind == NoteKind::Cloze)
                    .then_some("Hide text with {{c1::answer}} or {{c1::answer::hint}}.")
            }}
        </p>
    }
}

/// Tags already used in the author's notes that complete the tag being
/// typed; choosing one completes it. (Without JavaScript, tags are typed.)
#[component]
fn TagSuggestions(tags: RwSignal<String>) -> impl IntoView {
    let typing = Memo::new(move |_| {
        let text = tags.get();
        let ends_with_separator = text.ends_with(|c: char| c.is_whitespace() || c == ',');
        let last = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .next_back()
            .unwrap_or("");
        if ends_with_separator {
            String::new()
        } else {
            last.to_owned()
        }
    });
    let suggestions = Resource::new(
        move || typing.get(),
        |prefix| async move {
            if prefix.is_empty() {
                Ok(Vec::new())
            } else {
                suggest_tags(prefix).await
            }
        },
    );
    let choose = move |tag: String| {
        let typed = typing.get_untracked();
        tags.update(|text| {
            if let Some(before) = text.strip_suffix(typed.as_str()) {
                *text = format!("{before}{tag} ");
            }
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let present = tags.get_untracked();
                let current = typing.get_untracked();
                suggestions
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|tag| *tag != current && !present.split_whitespace().any(|used| used == tag))
                    .map(|tag| {
                        let label = tag.clone();
                        view! {
                            <button
                                type="button"
                                data-testid="tag-suggestion"
                                class="mr-2 mt-2 rounded-full bg-slate-100 px-3 py-1 text-sm hover:bg-indigo-100 dark:bg-slate-800 dark:hover:bg-indigo-950"
                                on:click=move |_| choose(tag.clone())
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()
            })}
        </Transition>
    }
}

/// Puts the cursor in the editor's first field.
fn focus_first_field() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(field) = document()
            .get_element_by_id("note-field-0")
            .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
        }
    }
}

/// The cards the note makes; what stops them from being made, such as an
/// unclosed cloze or a broken formula; or, before anything is typed, a hint.
#[component]
fn CardPreviews(preview: ServerAction<PreviewNote>) -> impl IntoView {
    move || {
        match preview.value().get() {
        Some(Ok(cards)) => cards
            .into_iter()
            .map(|card: CardPreview| {
                view! {
                    <article class=format!("{PANEL_CLASS} mb-4 min-w-0") data-testid="card-preview">
                        <p class="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                            {card.label}
                        </p>
                        // Rendered and sanitised on the server.
                        <div class="card-content" data-side="front" inner_html=card.front_html></div>
                        <hr class="my-3 border-slate-200 dark:border-slate-700" />
                        <div class="card-content" data-side="back" inner_html=card.back_html></div>
                    </article>
                }
            })
            .collect_view()
            .into_any(),
        Some(Err(error)) => {
            let problems = match error {
                AppError::Validation(errors) => {
                    errors
                        .into_iter()
                        .map(|error| format!("{}: {}", error.field, error.message))
                        .collect()
                }
                other => vec![other.to_string()],
            };
            view! {
                <div
                    data-testid="preview-error"
                    class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
                >
                    <p class="font-semibold">"These cards cannot be made yet:"</p>
                    <ul class="mt-1 list-disc pl-5">
                        {problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
                    </ul>
                </div>
            }
                .into_any()
        }
        None => view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-6 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
                "Start typing to see the cards this note makes."
                <span class="no-js-only">" (The preview needs JavaScript; saving works without it.)"</span>
            </p>
        }
            .into_any(),
    }
    }
}
