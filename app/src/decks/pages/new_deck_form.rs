use super::deck_settings_fields::DeckSettingsFields;
use crate::decks::api::CreateDeck;
use crate::ui::SubmitButton;
use leptos::prelude::*;
use uuid::Uuid;

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
        <details class="panel mb-8" data-testid=format!("new-{prefix}") open=move || error.get().is_some()>
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
