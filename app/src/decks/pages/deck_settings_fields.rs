use crate::decks::{DeckInput, Visibility};
use crate::{
    error::AppError,
    ui::{
        field_message,
        validate::{MAX_DESCRIPTION_CHARS, MAX_LANGUAGE_BYTES, MAX_TITLE_CHARS},
        Field, FieldControl, FieldMessage, FormError, TextLimit,
    },
};
use leptos::prelude::*;
use strum::VariantArray;

/// The inputs of a deck's settings, shared by the new-deck, subdeck and
/// edit forms, filled in with `current` (empty for a new deck). `prefix`
/// keeps element ids unique when several are on a page.
#[component]
pub(crate) fn DeckSettingsFields(
    prefix: &'static str,
    error: Signal<Option<AppError>>,
    can_share: bool,
    #[prop(optional)] current: DeckInput,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let DeckInput {
        title,
        description,
        language,
        visibility,
        ..
    } = current;
    view! {
        <div class="sm:col-span-2">
            <FormError error=error />
        </div>
        <Field
            prefix
            field="title"
            label="Title"
            error
            control=FieldControl::Input
            value=title
            required=true
            maxlength=MAX_TITLE_CHARS
            class="sm:col-span-2"
        />
        <Field
            prefix
            field="description"
            label="Description"
            error
            control=FieldControl::TextArea {
                rows: 2,
                limit: Some(TextLimit::Characters(MAX_DESCRIPTION_CHARS)),
            }
            value=description
            class="sm:col-span-2"
        />
        <Field
            prefix
            field="language"
            label="Language (optional)"
            error
            control=FieldControl::Input
            value=language
            placeholder="es, fr, pt-BR…"
            maxlength=MAX_LANGUAGE_BYTES
        />
        <div>
            <label for=id("visibility") class="field-label">
                "Who can see it"
            </label>
            <select id=id("visibility") name="input[visibility]" class="field-input" disabled=!can_share>
                {Visibility::VARIANTS
                    .iter()
                    .copied()
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
