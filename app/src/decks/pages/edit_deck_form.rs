use super::deck_settings_fields::DeckSettingsFields;
use crate::decks::{api::UpdateDeck, Deck, DeckInput, DECK_SETTINGS_SAVED};
use crate::ui::{saved_by, SaveRow};
use leptos::prelude::*;

/// Changes a deck's title, description, language and visibility.
#[component]
pub(crate) fn EditDeckForm(deck: Deck, update: ServerAction<UpdateDeck>, can_share: bool) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let saved = saved_by(update, DECK_SETTINGS_SAVED);
    let deck_id = deck.id;
    let parent_id = deck.parent_id;
    let current = DeckInput {
        title: deck.title,
        description: deck.description,
        language: deck.language,
        visibility: deck.visibility,
        parent_id: None,
    };
    view! {
        // A form that failed to save opens again with its messages, also after
        // a post without JavaScript reloads the page. One that saved stays open
        // with its "Saved." when the deck reloads and this view is built anew.
        <details class="panel mb-8" data-testid="edit-deck" open=move || error.get().is_some() || saved.get()>
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
                <DeckSettingsFields prefix="edit" error can_share current />
                <SaveRow label="Save changes" pending=update.pending() saved class="sm:col-span-2" />
            </ActionForm>
        </details>
    }
}
