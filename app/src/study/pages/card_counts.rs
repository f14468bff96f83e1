use crate::study::QueueCounts;
use leptos::prelude::*;

/// New, learning and review counts in Anki's colours (blue, red, green),
/// each with words for screen readers and for anyone who cannot tell the
/// colours apart.
#[component]
pub fn CardCounts(#[prop(into)] counts: Signal<QueueCounts>) -> impl IntoView {
    let count = move |label: &'static str, class: &'static str, value: fn(&QueueCounts) -> usize| {
        view! {
            <span class=format!("inline-flex items-baseline gap-1 {class}") data-count=label>
                <span class="font-semibold tabular-nums">{move || value(&counts.get())}</span>
                <span class="text-xs">{label}</span>
            </span>
        }
        .into_any()
    };
    view! {
        <span class="inline-flex flex-wrap gap-x-3 gap-y-1 text-sm" data-testid="card-counts">
            {count("new", "text-blue-700 dark:text-blue-300", |counts| counts.new)}
            {count("learning", "text-red-700 dark:text-red-300", |counts| counts.learning)}
            {count("to review", "text-green-700 dark:text-green-300", |counts| counts.review)}
        </span>
    }
    .into_any()
}
