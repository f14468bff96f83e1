use crate::study::{api::HoldCard, CardHold, SuspendedCard, SuspendedCards};
use crate::ui::plural;
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;

/// The cards of a deck (with its subdecks) that the viewer suspended while
/// studying, each with a way to bring it back into their study sessions.
/// The deck page shows it only when there are some. Each "Bring back" is a
/// plain form post without JavaScript, as suspending is; with it, the card
/// leaves the list once the server has it back.
#[component]
pub fn SuspendedCardsPanel(suspended: SuspendedCards) -> impl IntoView {
    let SuspendedCards { cards, total } = suspended;
    let rows: Vec<(SuspendedCard, FormAction<HoldCard>)> = cards
        .into_iter()
        .map(|card| (card, FormAction::<HoldCard>::new()))
        .collect();
    let actions: Vec<FormAction<HoldCard>> = rows.iter().map(|(_, action)| *action).collect();
    let brought_back = Signal::derive(move || {
        actions
            .iter()
            .filter(|action| action.value().with(|value| matches!(value, Some(Ok(())))))
            .count() as i64
    });
    let all_brought_back = move || brought_back.get() >= total;
    let more = total - rows.len() as i64;
    // Without JavaScript a refused "Bring back" comes back in the address,
    // which does not say which card's it was: said once, above the list.
    let refused_post = crate::ui::error_posted_to(&[<HoldCard as leptos::server_fn::ServerFn>::PATH])
        .map(|(_, error)| error.sentence());
    let open = refused_post.is_some();
    view! {
        // Out of sight once every card listed is brought back.
        <details class="panel mb-8" data-testid="suspended-cards" class:hidden=all_brought_back open=open>
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                {move || format!("Cards you suspended ({})", total - brought_back.get())}
            </summary>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                "They stay out of your study sessions until you bring them back."
            </p>
            {refused_post
                .map(|message| {
                    view! {
                        <p role="alert" class="mt-2 text-sm text-red-700 dark:text-red-300">
                            {format!("That card was not brought back. {message}")}
                        </p>
                    }
                })}
            <ul class="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
                {rows
                    .into_iter()
                    .map(|(card, bring_back)| view! { <SuspendedCardRow card bring_back /> })
                    .collect_view()}
            </ul>
            {(more > 0)
                .then(|| {
                    view! {
                        <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                            {format!(
                                "And {} more, listed here as these are brought back.",
                                plural(more, "card", "cards"),
                            )}
                        </p>
                    }
                })}
        </details>
    }
}

#[component]
fn SuspendedCardRow(card: SuspendedCard, bring_back: FormAction<HoldCard>) -> impl IntoView {
    let done = move || bring_back.value().with(|value| matches!(value, Some(Ok(()))));
    // Only this row's own attempt: an error from a plain post is in every
    // row's action, and the panel says it once.
    let error = move || {
        (bring_back.version().get() > 0)
            .then(|| bring_back.value().get().and_then(Result::err))
            .flatten()
    };
    view! {
        <Show when=move || !done()>
            <li class="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2 text-sm">
                <span class="user-text min-w-0 break-words">{card.text.clone()}</span>
                <PostForm action=bring_back>
                    <input type="hidden" name="card_id" value=card.card_id.to_string() />
                    <input type="hidden" name="hold" value=CardHold::Unsuspend.name() />
                    <button
                        type="submit"
                        class="button-secondary shrink-0 px-3 py-1.5"
                        disabled=move || bring_back.pending().get()
                    >
                        "Bring back"
                    </button>
                </PostForm>
                {move || {
                    error()
                        .map(|error| {
                            view! {
                                <p role="alert" class="w-full text-red-700 dark:text-red-300">
                                    {error.sentence()}
                                </p>
                            }
                        })
                }}
            </li>
        </Show>
    }
}
