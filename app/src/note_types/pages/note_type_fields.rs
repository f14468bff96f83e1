use crate::note_types::{NoteTypeInput, TemplateInput};
use crate::notes::pages::StudiedCardsQuestion;
use crate::ui::TextArea;
use crate::{
    error::AppError,
    ui::{field_message, FieldMessage, FormError},
};
use leptos::prelude::*;

/// The inputs of a note type; a spare card slot is always offered, and with
/// JavaScript more can be added.
#[component]
pub(crate) fn NoteTypeFields(
    prefix: String,
    input: NoteTypeInput,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
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
                        <label for=field_id.clone() class="field-label">
                            {label}
                        </label>
                        <TextArea
                            id=field_id
                            name=format!("input[templates][{index}][{side}]")
                            rows=2
                            class="field-input font-mono text-sm"
                            described_by=message_id.clone()
                            invalid=Signal::derive(move || message.get().is_some())
                            value
                        />
                        <FieldMessage message id=message_id />
                    </div>
                }
            };
            view! {
                <fieldset class="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
                    <legend class="px-1 text-sm font-medium">{format!("Card {}", index + 1)}</legend>
                    <label for=name_id.clone() class="field-label">
                        "Name"
                    </label>
                    <input
                        id=name_id
                        name=format!("input[templates][{index}][name]")
                        value=template.name
                        placeholder=format!("Card {}", index + 1)
                        class="field-input"
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
    let name_message = Signal::derive(field_message(error, "name"));
    let kind_message = Signal::derive(field_message(error, "kind"));
    let fields_message = Signal::derive(field_message(error, "fields"));
    view! {
        <FormError error=form_error />
        <div class="grid gap-4 sm:grid-cols-2">
            <div>
                <label for=id("name") class="field-label">
                    "Name"
                </label>
                <input
                    id=id("name")
                    name="input[name]"
                    value=input.name
                    maxlength="100"
                    class="field-input"
                    aria-describedby=id("name-message")
                    aria-invalid=move || name_message.get().is_some().to_string()
                />
                <FieldMessage message=name_message id=id("name-message") />
            </div>
            <div>
                <label for=id("kind") class="field-label">
                    "Cards are made"
                </label>
                <select
                    id=id("kind")
                    name="input[kind]"
                    class="field-input"
                    aria-describedby=id("kind-message")
                    aria-invalid=move || kind_message.get().is_some().to_string()
                >
                    <option value="standard" selected=kind != "cloze">
                        "one per card template"
                    </option>
                    <option value="cloze" selected=kind == "cloze">
                        "one per cloze deletion"
                    </option>
                </select>
                <FieldMessage message=kind_message id=id("kind-message") />
            </div>
            <div class="sm:col-span-2">
                <label for=id("fields") class="field-label">
                    "Fields, one per line"
                </label>
                <TextArea
                    id=id("fields")
                    name="input[fields]"
                    rows=4
                    placeholder="Word\nMeaning\nExample"
                    described_by=id("fields-message")
                    invalid=Signal::derive(move || fields_message.get().is_some())
                    value=input.fields
                />
                <FieldMessage message=fields_message id=id("fields-message") />
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
            /> // Asked only once a change would delete cards learners studied.
            <StudiedCardsQuestion error message_id=id("delete-studied-cards-message") />
            // The button needs the page's code; without it, each save
            // offers the next spare slot.
            <button
                type="button"
                class="js-only text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                data-testid="add-card-template"
                on:click=move |_| extra_slots.update(|count| *count += 1)
            >
                "+ Add another card"
            </button>
            <p class="no-js-only text-sm text-slate-600 dark:text-slate-400" data-testid="spare-card-hint">
                "To make more cards, fill in the empty card and save: another empty one comes back."
            </p>
        </div>
    }
}
