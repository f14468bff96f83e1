use crate::routes;
use crate::stats::DeckChoice;
use leptos::prelude::*;
use leptos_router::components::Form;
use uuid::Uuid;

/// Switches between all decks and one deck the learner studies: a plain GET
/// form, so it works without JavaScript too.
#[component]
pub fn DeckSelector(decks: Vec<DeckChoice>, selected: Option<Uuid>) -> impl IntoView {
    let options = decks
        .into_iter()
        .map(|deck| {
            view! {
                <option value=deck.id.to_string() selected=selected == Some(deck.id)>
                    {deck.title}
                </option>
            }
        })
        .collect_view();
    view! {
        <Form method="GET" action=routes::STATS attr:class="flex flex-wrap items-end gap-2">
            <div class="min-w-0">
                <label for="stats-deck" class="field-label">
                    "Deck"
                </label>
                <select
                    id="stats-deck"
                    name="deck"
                    class="field-input mt-1 max-w-72"
                    data-testid="stats-deck"
                >
                    <option value="" selected=selected.is_none()>
                        "All decks"
                    </option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button-secondary">
                "Show"
            </button>
        </Form>
    }
    .into_any()
}
