use crate::study::{api::HoldCard, CardHold};
use leptos::{prelude::*, server_fn::ServerFn};
use uuid::Uuid;

/// "Bury" (until tomorrow) and "Suspend" (until brought back from the list
/// on the deck's page, `SuspendedCardsPanel`) for the card shown. Plain form posts without JavaScript; the
/// hydrated page takes the card out of the session at once (`on_hold`).
#[component]
pub fn HoldButtons(
    /// The study page's deck, where a plain post comes back to.
    deck_id: Uuid,
    card_id: Uuid,
    /// The learner the page was written for (see `RatingForms`).
    learner_id: Uuid,
    on_hold: Callback<CardHold>,
) -> impl IntoView {
    let button = move |hold: CardHold, label: &'static str, shortcut: &'static str| {
        view! {
            <form
                method="post"
                action=HoldCard::PATH
                on:submit=move |event| {
                    event.prevent_default();
                    on_hold.run(hold);
                }
            >
                <input type="hidden" name="card_id" value=card_id.to_string() />
                <input type="hidden" name="hold" value=hold.name() />
                <input type="hidden" name="made_by" value=learner_id.to_string() />
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                // 24 px tall, as a tap target should be (WCAG 2.5.8).
                <button type="submit" class="text-link py-0.5 text-sm" aria-keyshortcuts=shortcut>
                    {label}
                </button>
            </form>
        }
    };
    view! {
        <div class="flex gap-4">
            {button(CardHold::Bury, "Bury until tomorrow", "-")} {button(CardHold::Suspend, "Suspend", "@")}
        </div>
    }
    .into_any()
}
