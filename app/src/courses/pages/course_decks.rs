use crate::decks::DeckSummary;
use crate::routes;
use crate::ui::plural;
use leptos::prelude::*;

/// "Decks to study" on a course's page, for an enrolled learner: every deck
/// of the course's lessons, each with a link to study it (as on a lesson's
/// page). Plain links, so they work without JavaScript. Nothing when the
/// lessons have no decks.
#[component]
pub(crate) fn CourseDecks(decks: Vec<DeckSummary>) -> impl IntoView {
    (!decks.is_empty()).then(|| {
        view! {
            <section aria-labelledby="course-decks-heading" class="mt-8">
                <h2 id="course-decks-heading" class="mb-3 text-lg font-semibold">
                    "Decks to study"
                </h2>
                <ul class="grid gap-3 sm:grid-cols-2" data-testid="course-decks">
                    {decks
                        .into_iter()
                        .map(|deck| {
                            let study_label = format!("Study {}", deck.title);
                            let has_cards = deck.card_count_with_subdecks > 0;
                            view! {
                                <li class="panel flex items-start justify-between gap-2">
                                    <div>
                                        <a href=routes::deck(deck.id) class="font-semibold hover:underline">
                                            {deck.title}
                                        </a>
                                        <p class="text-sm text-slate-500 dark:text-slate-400">
                                            {plural(deck.card_count_with_subdecks, "card", "cards")}
                                        </p>
                                    </div>
                                    // A deck with no card yet has nothing to study.
                                    {has_cards
                                        .then(|| {
                                            view! {
                                                <a
                                                    href=routes::study(deck.id)
                                                    class="button-primary text-sm"
                                                    aria-label=study_label
                                                >
                                                    "Study"
                                                </a>
                                            }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
