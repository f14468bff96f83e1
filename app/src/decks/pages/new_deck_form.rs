use super::deck_settings_fields::DeckSettingsFields;
use crate::decks::{api::CreateDeck, DeckInput};
use crate::ui::SubmitButton;
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use uuid::Uuid;

/// The form that starts a deck, or a subdeck of `parent_id`: the deck's
/// settings and "Create deck". A deck made here opens at once (the server
/// function sends the browser to it). `prefix` keeps element ids unique.
#[component]
pub(crate) fn NewDeckForm(
    create: FormAction<CreateDeck>,
    can_share: bool,
    prefix: &'static str,
    #[prop(optional, into)] class: &'static str,
    #[prop(optional)] parent_id: Option<Uuid>,
    #[prop(optional)] current: DeckInput,
) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <PostForm action=create attr:class=format!("grid gap-4 sm:grid-cols-2 {class}") attr:novalidate=true>
            {parent_id
                .map(|parent_id| {
                    view! { <input type="hidden" name="input[parent_id]" value=parent_id.to_string() /> }
                })}
            <DeckSettingsFields prefix error can_share current />
            <div class="sm:col-span-2 sm:w-48">
                <SubmitButton label="Create deck" pending_label="Creating…" pending=create.pending() />
            </div>
        </PostForm>
    }
}

/// "New subdeck" on a deck's page: the new-deck form under a disclosure,
/// which stays open while the form shows an error.
#[component]
pub(crate) fn NewSubdeckForm(can_share: bool, parent_id: Uuid) -> impl IntoView {
    let create = FormAction::<CreateDeck>::new();
    let failed = move || create.value().get().is_some_and(|result| result.is_err());
    // After a plain form post that failed, what it sent.
    let current =
        super::edit_deck_form::typed_deck_settings(<CreateDeck as leptos::server_fn::ServerFn>::PATH)
            .unwrap_or_default();
    view! {
        <details class="panel mb-8" data-testid="new-subdeck" open=failed>
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                "New subdeck"
            </summary>
            <NewDeckForm create can_share prefix="subdeck" class="mt-4" parent_id current />
        </details>
    }
}
