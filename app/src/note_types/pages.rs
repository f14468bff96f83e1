//! `/note-types`: a teacher's own note types, with a form to define a new
//! one and to edit each. Built-in types are listed for reference.

use crate::ui::{plural, PageTitle, TextArea};
use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::{
    api::{list_note_types, CreateNoteType, DeleteNoteType, UpdateNoteType},
    CustomNoteType, NoteTypeInput, TemplateInput,
};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    notes::{builtin::BuiltinNoteType, template::NoteKind},
    ui::{
        field_message, ErrorNotice, FieldMessage, FormError, SubmitButton, INPUT_CLASS, LABEL_CLASS,
        PANEL_CLASS,
    },
};

#[component]
pub fn NoteTypesPage() -> impl IntoView {
    let create = ServerAction::<CreateNoteType>::new();
    // Bumped when a type is created, saved or deleted; not after a refused
    // save, so the form keeps what was typed.
    let refresh = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            refresh.update(|count| *count += 1);
        }
    });
    let types = Resource::new(move || refresh.get(), |_| list_note_types());
    let auth = use_auth();
    view! {
        <PageTitle text="Note types · Engram" />
        <h1 class="mb-2 text-2xl font-bold tracking-tight sm:text-3xl">"Note types"</h1>
        <p class="mb-6 max-w-2xl text-slate-600 dark:text-slate-400">
            "A note type names a note's fields and says which cards it makes. Templates show fields with "
            <code>"{{Field}}"</code> ", the front on the back with " <code>"{{FrontSide}}"</code>
            ", an answer box with " <code>"{{type:Field}}"</code> " and cloze deletions with "
            <code>"{{cloze:Field}}"</code> "."
        </p>
        <Transition fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading note types…"</p> }
        }>
            {move || Suspend::new(async move {
                let is_teacher = matches!(auth.user.await, Ok(Some(user)) if user.role >= Role::Teacher);
                match types.await {
                    Ok(types) => {
                        view! {
                            <BuiltinTypes />
                            <section aria-labelledby="own-types-heading" class="mb-8">
                                <h2 id="own-types-heading" class="mb-3 text-lg font-semibold">
                                    "Your note types"
                                </h2>
                                {if types.is_empty() {
                                    view! {
                                        <p class="rounded-xl border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                                            {if is_teacher {
                                                "You have no note types of your own yet. Define one below."
                                            } else {
                                                "Teachers can define their own note types; you can write notes with the built-in ones."
                                            }}
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="space-y-3" data-testid="own-note-types">
                                            {types
                                                .into_iter()
                                                .map(|note_type| view! { <OwnNoteType note_type refresh /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                            {is_teacher.then(|| view! { <NewNoteTypeForm create /> })}
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BuiltinTypes() -> impl IntoView {
    view! {
        <section aria-labelledby="builtin-types-heading" class="mb-8">
            <h2 id="builtin-types-heading" class="mb-3 text-lg font-semibold">
                "Built in"
            </h2>
            <ul class="grid gap-2 sm:grid-cols-2">
                {BuiltinNoteType::ALL
                    .into_iter()
                    .map(|builtin| {
                        let shape = builtin.shape();
                        view! {
                            <li class=format!("{PANEL_CLASS} text-sm")>
                                <p class="font-semibold">{builtin.name()}</p>
                                <p class="text-slate-600 dark:text-slate-400">
                                    {format!("Fields: {}", shape.fields.join(", "))}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn summary_text(note_type: &CustomNoteType) -> String {
    let cards = match (note_type.shape.kind, note_type.shape.templates.len()) {
        (NoteKind::Cloze, _) => "one card per cloze deletion".to_owned(),
        (_, count) => plural(count as i64, "card", "cards"),
    };
    let notes = match note_type.note_count {
        0 => "no notes yet".to_owned(),
        count => format!("used by {}", plural(count, "note", "notes")),
    };
    format!("{} · {cards} · {notes}", note_type.shape.fields.join(", "))
}

#[component]
fn OwnNoteType(note_type: CustomNoteType, refresh: RwSignal<u32>) -> impl IntoView {
    // Each row has its own actions, so its messages stay next to its form.
    let update = ServerAction::<UpdateNoteType>::new();
    let delete = ServerAction::<DeleteNoteType>::new();
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(()))) || matches!(delete.value().get(), Some(Ok(()))) {
            refresh.update(|count| *count += 1);
        }
    });
    let id = note_type.id;
    let summary = summary_text(&note_type);
    let in_use = note_type.note_count > 0;
    let input = NoteTypeInput {
        name: note_type.name.clone(),
        kind: match note_type.shape.kind {
            NoteKind::Standard => "standard".into(),
            NoteKind::Cloze => "cloze".into(),
        },
        fields: note_type.shape.fields.join("\n"),
        templates: note_type
            .shape
            .templates
            .iter()
            .map(|template| TemplateInput {
                name: template.name.clone(),
                front: template.front.clone(),
                back: template.back.clone(),
            })
            .collect(),
    };
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let delete_error = Signal::derive(move || delete.value().get().and_then(Result::err));
    view! {
        <li class=PANEL_CLASS data-testid="note-type">
            <details>
                <summary class="cursor-pointer">
                    <span class="font-semibold">{note_type.name.clone()}</span>
                    <span class="ml-2 text-sm text-slate-600 dark:text-slate-400">{summary}</span>
                </summary>
                <ActionForm action=update attr:class="mt-4 space-y-4" attr:novalidate=true>
                    <input type="hidden" name="note_type_id" value=id.to_string() />
                    <NoteTypeFields prefix=format!("edit-{id}") input error />
                    {in_use
                        .then(|| {
                            view! {
                                <p class="text-sm text-slate-600 dark:text-slate-400">
                                    "Saving regenerates the cards of every note of this type; cards that remain keep their review history."
                                </p>
                            }
                        })}
                    <div class="w-48">
                        <SubmitButton
                            label="Save changes"
                            pending_label="Saving…"
                            pending=update.pending()
                        />
                    </div>
                </ActionForm>
                <ActionForm
                    action=delete
                    attr:class="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800"
                >
                    <input type="hidden" name="note_type_id" value=id.to_string() />
                    <FormError error=delete_error />
                    <button
                        type="submit"
                        disabled=in_use
                        title=in_use.then_some("Notes use this type; delete or change them first.")
                        class="mt-2 rounded-lg border border-red-300 px-3 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                    >
                        "Delete this note type"
                    </button>
                </ActionForm>
            </details>
        </li>
    }
}

#[component]
fn NewNoteTypeForm(create: ServerAction<CreateNoteType>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let starter = NoteTypeInput {
        name: String::new(),
        kind: "standard".into(),
        fields: String::new(),
        templates: Vec::new(),
    };
    view! {
        <section class=PANEL_CLASS aria-labelledby="new-type-heading" data-testid="new-note-type">
            <h2 id="new-type-heading" class="mb-4 text-lg font-semibold">
                "New note type"
            </h2>
            <ActionForm action=create attr:class="space-y-4" attr:novalidate=true>
                <NoteTypeFields prefix="new".to_owned() input=starter error />
                <div class="flex items-center gap-3">
                    <div class="w-48">
                        <SubmitButton
                            label="Create note type"
                            pending_label="Creating…"
                            pending=create.pending()
                        />
                    </div>
                    <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                        {move || created().then_some("Created. Use it from any deck's “Add notes” page.")}
                    </p>
                </div>
            </ActionForm>
        </section>
    }
}

/// The inputs of a note type; a spare card slot is always offered, and with
/// JavaScript more can be added.
#[component]
fn NoteTypeFields(prefix: String, input: NoteTypeInput, error: Signal<Option<AppError>>) -> impl IntoView {
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Validation(_)))
    });
    let mut templates = input.templates.clone();
    templates.push(TemplateInput::default());
    let existing = templates.len();
    let extra_slots = RwSignal::new(0usize);
    let id = |name: &str| format!("{prefix}-{name}");
    let slot = {
        let prefix = prefix.clone();
        move |index: usize, template: TemplateInput| {
            let prefix = prefix.clone();
            let name_id = format!("{prefix}-template-{index}-name");
            let side_field = move |side: &'static str, value: String, label: &'static str| {
                let field_id = format!("{prefix}-template-{index}-{side}");
                let message_id = format!("{field_id}-message");
                let key = format!("template_{index}_{side}");
                let message = Signal::derive(move || error.get().and_then(|error| error.field_message(&key)));
                view! {
                    <div>
                        <label for=field_id.clone() class=LABEL_CLASS>
                            {label}
                        </label>
                        <TextArea
                            id=field_id
                            name=format!("input[templates][{index}][{side}]")
                            rows=2
                            class=format!("{INPUT_CLASS} font-mono text-sm")
                            described_by=message_id.clone()
                            value
                        />
                        <FieldMessage message id=message_id />
                    </div>
                }
            };
            view! {
                <fieldset class="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
                    <legend class="px-1 text-sm font-medium">{format!("Card {}", index + 1)}</legend>
                    <label for=name_id.clone() class=LABEL_CLASS>
                        "Name"
                    </label>
                    <input
                        id=name_id
                        name=format!("input[templates][{index}][name]")
                        value=template.name
                        placeholder=format!("Card {}", index + 1)
                        class=INPUT_CLASS
                    />
                    <div class="mt-2 grid gap-2 sm:grid-cols-2">
                        {side_field("front", template.front, "Front template")}
                        {side_field("back", template.back, "Back template")}
                    </div>
                </fieldset>
            }
        }
    };
    let existing_slots = templates
        .into_iter()
        .enumerate()
        .map({
            let slot = slot.clone();
            move |(index, template)| slot(index, template)
        })
        .collect_view();
    let kind = input.kind.clone();
    view! {
        <FormError error=form_error />
        <div class="grid gap-4 sm:grid-cols-2">
            <div>
                <label for=id("name") class=LABEL_CLASS>
                    "Name"
                </label>
                <input
                    id=id("name")
                    name="input[name]"
                    value=input.name
                    maxlength="100"
                    class=INPUT_CLASS
                    aria-describedby=id("name-message")
                />
                <FieldMessage message=Signal::derive(field_message(error, "name")) id=id("name-message") />
            </div>
            <div>
                <label for=id("kind") class=LABEL_CLASS>
                    "Cards are made"
                </label>
                <select
                    id=id("kind")
                    name="input[kind]"
                    class=INPUT_CLASS
                    aria-describedby=id("kind-message")
                >
                    <option value="standard" selected=kind != "cloze">
                        "one per card template"
                    </option>
                    <option value="cloze" selected=kind == "cloze">
                        "one per cloze deletion"
                    </option>
                </select>
                <FieldMessage message=Signal::derive(field_message(error, "kind")) id=id("kind-message") />
            </div>
            <div class="sm:col-span-2">
                <label for=id("fields") class=LABEL_CLASS>
                    "Fields, one per line"
                </label>
                <TextArea
                    id=id("fields")
                    name="input[fields]"
                    rows=4
                    placeholder="Word\nMeaning\nExample"
                    described_by=id("fields-message")
                    value=input.fields
                />
                <FieldMessage
                    message=Signal::derive(field_message(error, "fields"))
                    id=id("fields-message")
                />
            </div>
        </div>
        <div class="space-y-3">
            {existing_slots}
            {move || {
                (0..extra_slots.get())
                    .map(|extra| slot(existing + extra, TemplateInput::default()))
                    .collect_view()
            }}
            <FieldMessage
                message=Signal::derive(field_message(error, "templates"))
                id=id("templates-message")
            />
            <button
                type="button"
                class="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                on:click=move |_| extra_slots.update(|count| *count += 1)
            >
                "+ Add another card"
            </button>
        </div>
    }
}
