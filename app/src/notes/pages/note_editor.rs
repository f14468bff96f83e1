use super::card_previews::CardPreviews;
use super::note_fields::NoteFields;
use crate::decks::api::NoteEditorData;
use crate::routes;
use crate::ui::{plural, PageTitle};
use crate::ui::{FormAction, PostForm};
use crate::{
    note_types::{builtin::BuiltinNoteType, NoteTypeOption},
    notes::api::{CreateNote, PreviewNote},
    ui::{latest_save_error, FormError, SubmitButton},
    unsaved::UnsavedForm,
};
use leptos::{html, prelude::*};
use leptos_router::hooks::use_query_map;

#[component]
pub(crate) fn NoteEditor(page: NoteEditorData, unsaved: Option<UnsavedForm>) -> impl IntoView {
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
    let create = FormAction::<CreateNote>::new();
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
            // The keys pressed again while the note is saved, or on the
            // empty note that follows a save, save nothing: the second
            // would only say that an empty note makes no card.
            let next_note_untouched = added.get_untracked() > 0
                && values.with_untracked(|values| values.iter().all(|value| value.trim().is_empty()));
            if create.pending().get_untracked() || next_note_untouched {
                return;
            }
            if let Some(form) = form_ref.get() {
                let _ = form.request_submit();
            }
        }
    };
    let deck_id = deck.id;

    view! {
        <PageTitle text=format!("Add notes · {} · Engram", deck.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <a href=routes::deck(deck_id) class="text-indigo-600 hover:underline dark:text-indigo-400">
                {format!("← {}", deck.title)}
            </a>
        </nav>
        <h1 class="mb-4 text-2xl font-bold tracking-tight">"Add notes"</h1>
        // The link to manage note types sits beside the tablist, not in it: a
        // tablist may hold only tabs (axe: aria-required-children).
        <div class="mb-4 flex flex-wrap items-center gap-2">
            <div
                role="tablist"
                aria-label="Note type"
                class="flex flex-wrap gap-2"
                on:keydown=move_between_tabs
            >
                {note_types
                    .get_value()
                    .into_iter()
                    .map(|option| {
                        let key = option.choice.key();
                        let selected_key = key.clone();
                        view! {
                            <a
                                href=routes::add_note_of_type(deck_id, &key)
                                role="tab"
                                aria-selected=move || {
                                    note_type
                                        .with(|current| {
                                            current
                                                .as_ref()
                                                .is_some_and(|current| current.choice.key() == selected_key)
                                        })
                                        .to_string()
                                }
                                class="rounded-full border border-slate-300 px-3 py-1 text-sm aria-selected:border-indigo-600 aria-selected:bg-indigo-600 aria-selected:text-white dark:border-slate-600"
                            >
                                {option.name}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
            <a
                href=routes::NOTE_TYPES
                class="px-2 py-1 text-sm text-indigo-700 hover:underline dark:text-indigo-300"
            >
                "Manage note types"
            </a>
        </div>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <PostForm
                action=create
                node_ref=form_ref
                attr:class="min-w-0 space-y-4"
                attr:novalidate=true
                on:keydown=on_keydown
            >
                <FormError error=save_error />
                // Above the fields: a save puts the cursor back in the first
                // field, so on a phone this is on screen where the next note
                // starts. Empty, it takes no room (the form spaces its children).
                <p
                    role="status"
                    class="text-sm text-emerald-700 empty:mb-0 dark:text-emerald-300"
                    data-testid="added-count"
                >
                    {move || match added.get() {
                        0 => String::new(),
                        count => format!("{}.", plural(count as i64, "note added", "notes added")),
                    }}
                </p>
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
            </PostForm>
            <section aria-labelledby="preview-heading" class="min-w-0">
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

/// The arrow keys move between the note types, as in any tab list (Home and
/// End to the first and the last); Enter opens the focused one, as a link.
/// Moving only the focus, not opening the type at once, lets a learner pass
/// over a type without leaving the note's fields for it.
fn move_between_tabs(event: leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(tab) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(list) = tab.parent_element() else { return };
        let next = match event.key().as_str() {
            "ArrowRight" | "ArrowDown" => tab.next_element_sibling().or_else(|| list.first_element_child()),
            "ArrowLeft" | "ArrowUp" => tab
                .previous_element_sibling()
                .or_else(|| list.last_element_child()),
            "Home" => list.first_element_child(),
            "End" => list.last_element_child(),
            _ => return,
        };
        if let Some(next) = next.and_then(|next| next.dyn_into::<web_sys::HtmlElement>().ok()) {
            event.prevent_default();
            let _ = next.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}
