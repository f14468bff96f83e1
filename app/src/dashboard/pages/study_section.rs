use crate::routes;
use crate::study::{pages::CardCounts, StudiedDeck};
use leptos::prelude::*;

/// "Study today": every deck the person studies, with what is left for
/// today and a way in.
#[component]
pub(crate) fn StudySection(
    decks: Vec<StudiedDeck>,
    /// Their own decks that have no card yet (nothing to be done with for
    /// today): the way in is to write some.
    without_cards: Vec<uuid::Uuid>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="study-heading" class="mb-8">
            <h2 id="study-heading" class="mb-3 text-lg font-semibold">
                "Study today"
            </h2>
            {if decks.is_empty() {
                view! {
                    <p class="rounded-xl border border-dashed border-slate-300 p-5 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        "Nothing to study yet. Make a deck below, enrol in a course, or choose a public deck in the "
                        <a href=routes::CATALOGUE class="text-indigo-700 underline dark:text-indigo-300">
                            "catalogue"
                        </a> "."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul
                        class="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
                        data-testid="study-list"
                    >
                        {decks
                            .into_iter()
                            .map(|deck| {
                                let counts = deck.counts;
                                let anything_left = counts.total() > 0;
                                let no_cards = without_cards.contains(&deck.deck_id);
                                let study_label = format!("Study {}", deck.title);
                                // The way in stays on the right at every width; a
                                // long title wraps beside it.
                                view! {
                                    <li
                                        class="flex items-center justify-between gap-3 p-4"
                                        data-deck-id=deck.deck_id.to_string()
                                    >
                                        <div class="min-w-0 flex-1">
                                            <a
                                                href=routes::deck(deck.deck_id)
                                                class="user-text font-semibold break-words hover:underline"
                                            >
                                                {deck.title.clone()}
                                            </a>
                                            <div class="mt-1">
                                                <CardCounts counts=Signal::stored(counts) />
                                            </div>
                                        </div>
                                        {if anything_left {
                                            view! {
                                                <a
                                                    href=routes::study(deck.deck_id)
                                                    class="button-primary shrink-0"
                                                    aria-label=study_label
                                                >
                                                    "Study"
                                                </a>
                                            }
                                                .into_any()
                                        } else if no_cards {
                                            view! {
                                                <a
                                                    href=routes::add_note(deck.deck_id)
                                                    class="shrink-0 text-right text-sm text-link"
                                                    aria-label=format!("Add cards to {}", deck.title)
                                                    data-testid="add-cards"
                                                >
                                                    "No cards yet · Add cards"
                                                </a>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <span class="shrink-0 text-right text-sm text-slate-500 dark:text-slate-400">
                                                    "Done for today"
                                                </span>
                                            }
                                                .into_any()
                                        }}
                                    </li>
                                }
                                    .into_any()
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
