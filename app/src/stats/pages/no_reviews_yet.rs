use crate::routes;
use leptos::prelude::*;

/// What a learner sees before their first review: a sentence and the way to
/// start, rather than empty charts.
#[component]
pub fn NoReviewsYet(in_deck: bool) -> impl IntoView {
    let sentence = if in_deck {
        "You have not reviewed any card of this deck yet."
    } else {
        "You have not reviewed any cards yet."
    };
    view! {
        <section class="panel text-center" data-testid="stats-empty">
            <p class="text-lg font-semibold">{sentence}</p>
            <p class="mt-2 text-slate-600 dark:text-slate-400">
                "Study a deck and your reviews per day, your streak, what is due and how well you remember will show here."
            </p>
            <p class="mt-4">
                <a href=routes::DASHBOARD class="button-primary">
                    "Go to your dashboard"
                </a>
            </p>
        </section>
    }
    .into_any()
}
