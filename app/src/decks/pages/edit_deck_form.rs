use super::deck_settings_fields::DeckSettingsFields;
use crate::decks::{api::UpdateDeck, Deck, DeckInput, DECK_SETTINGS_SAVED};
use crate::routes;
use crate::ui::{saved_by, SaveRow};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What a deck settings form sent, when the address holds it beside the
/// error of a plain form post to `posted_to` that failed
/// (`routes::deck_settings_filled_in`). A deck's page has two such forms,
/// "Edit deck" and "New subdeck": each takes back only what it sent.
pub(crate) fn typed_deck_settings(posted_to: &str) -> Option<DeckInput> {
    use_query_map().with_untracked(|query| {
        query.get("__err")?;
        if query.get_str("__path")? != posted_to {
            return None;
        }
        let [title, description, language, visibility] = routes::DECK_SETTINGS_TYPED;
        Some(DeckInput {
            title: query.get(title)?,
            description: query.get(description).unwrap_or_default(),
            language: query.get(language).unwrap_or_default(),
            visibility: query.get(visibility)?.parse().ok()?,
            parent_id: None,
        })
    })
}

/// Changes a deck's title, description, language and visibility.
#[component]
pub(crate) fn EditDeckForm(deck: Deck, update: FormAction<UpdateDeck>, can_share: bool) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let saved = saved_by(update, DECK_SETTINGS_SAVED);
    let deck_id = deck.id;
    let parent_id = deck.parent_id;
    // After a plain form post that failed, the address holds what was sent
    // (`routes::deck_settings_filled_in`) beside the error; otherwise the form
    // shows the deck as stored.
    let current =
        typed_deck_settings(<UpdateDeck as leptos::server_fn::ServerFn>::PATH).unwrap_or(DeckInput {
            title: deck.title,
            description: deck.description,
            language: deck.language,
            visibility: deck.visibility,
            parent_id: None,
        });
    view! {
        // A form that failed to save opens again with its messages, also after
        // a post without JavaScript reloads the page. One that saved stays open
        // with its "Saved." when the deck reloads and this view is built anew.
        <details class="panel mb-8" data-testid="edit-deck" open=move || error.get().is_some() || saved.get()>
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                "Edit deck"
            </summary>
            <PostForm action=update attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                <input
                    type="hidden"
                    name="input[parent_id]"
                    value=parent_id.map(|id| id.to_string()).unwrap_or_default()
                />
                <DeckSettingsFields prefix="edit" error can_share current />
                <SaveRow label="Save changes" pending=update.pending() saved class="sm:col-span-2" />
            </PostForm>
        </details>
    }
}
