use crate::study::{
    api::{suspended_cards, HoldCard},
    CardHold, SuspendedCards,
};
use crate::ui::plural;
use leptos::prelude::*;
use uuid::Uuid;

/// The cards of a deck (with its subdecks) that the viewer suspended while
/// studying, each with a way to bring it back into their study sessions.
/// Shown only when there are some. Each "Bring back" is a plain form post
/// without JavaScript, as suspending is.
#[component]
pub fn SuspendedCardsPanel(deck_id: Uuid) -> impl IntoView {
    let bring_back = ServerAction::<HoldCard>::new();
    let suspended = crate::ui::page_data(
        move || bring_back.version().get(),
        move |_| suspended_cards(deck_id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match suspended.await {
                    Ok(SuspendedCards { cards, total }) if total > 0 => {
                        let more = total - cards.len() as i64;
                        view! {
                            <details class="panel mb-8" data-testid="suspended-cards">
                                <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                                    {format!("Cards you suspended ({total})")}
                                </summary>
                                <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                                    "They stay out of your study sessions until you bring them back."
                                </p>
                                <ul class="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                                    {cards
                                        .into_iter()
                                        .map(|card| {
                                            view! {
                                                <li class="flex items-center justify-between gap-3 py-2 text-sm">
                                                    <span class="min-w-0 break-words">{card.text}</span>
                                                    <ActionForm action=bring_back>
                                                        <input
                                                            type="hidden"
                                                            name="card_id"
                                                            value=card.card_id.to_string()
                                                        />
                                                        <input
                                                            type="hidden"
                                                            name="hold"
                                                            value=format!("{:?}", CardHold::Unsuspend)
                                                        />
                                                        <button
                                                            type="submit"
                                                            class="button-secondary shrink-0 px-3 py-1.5"
                                                            disabled=move || bring_back.pending().get()
                                                        >
                                                            "Bring back"
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                {(more > 0)
                                    .then(|| {
                                        view! {
                                            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                                                {format!(
                                                    "and {} more, shown as these are brought back.",
                                                    plural(more, "card", "cards"),
                                                )}
                                            </p>
                                        }
                                    })}
                                {move || {
                                    bring_back
                                        .value()
                                        .get()
                                        .and_then(Result::err)
                                        .map(|error| {
                                            view! {
                                                <p
                                                    role="alert"
                                                    class="mt-2 text-sm text-red-700 dark:text-red-300"
                                                >
                                                    {error.sentence()}
                                                </p>
                                            }
                                        })
                                }}
                            </details>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
