use crate::decks::{Deck, Visibility};
use crate::ui::TextArea;
use crate::{
    error::AppError,
    ui::{field_message, FieldMessage, FormError, INPUT_CLASS, LABEL_CLASS},
};
use leptos::prelude::*;

/// The inputs of a deck's settings, shared by the new-deck, subdeck and
/// edit forms. `prefix` keeps element ids unique when several are on a page.
#[component]
pub(crate) fn DeckSettingsFields(
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
