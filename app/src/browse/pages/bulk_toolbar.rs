use crate::browse::DeckChoice;
use crate::{
    error::AppError,
    ui::{field_message, FieldMessage},
};
use leptos::prelude::*;

/// Tag, move and delete. Each button submits the same form with its own
/// `action`, so the selection travels with whichever is pressed. The tags
/// come first: Enter in the tags box sends the form with its first button,
/// which must be "Add", not "Move".
#[component]
pub(crate) fn BulkToolbar(
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
        <fieldset class="panel mb-3 grid gap-4 md:grid-cols-[1fr_1fr_auto]">
            <legend class="sr-only">"With the selected cards"</legend>
            <div>
                <label for="bulk-tags" class="field-label">
                    "Tags"
                </label>
                <div class="mt-1 flex gap-2">
                    <input
                        id="bulk-tags"
                        name="input[tags]"
                        type="text"
                        autocomplete="off"
                        placeholder="verbs a1"
                        class="field-input"
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
            <div>
                <label for="bulk-deck" class="field-label">
                    "Move to deck"
                </label>
                <div class="mt-1 flex gap-2">
                    <select
                        id="bulk-deck"
                        name="input[deck_id]"
                        class="field-input"
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
            <details class="relative self-end pb-6">
                <summary class="cursor-pointer list-none rounded-lg border border-red-300 px-3 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950">
                    "Delete…"
                </summary>
                <div class="absolute right-0 z-10 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-4 shadow-lg dark:border-slate-700 dark:bg-slate-900">
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
