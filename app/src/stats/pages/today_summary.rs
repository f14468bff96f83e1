use crate::stats::{time_spent_text, Statistics};
use crate::ui::plural;
use leptos::prelude::*;

/// Today's reviews and time, the streak, and the totals.
#[component]
pub fn TodaySummary(statistics: Statistics) -> impl IntoView {
    let tile = |label: &'static str, value: String, test_id: &'static str| {
        view! {
            <div class="panel p-4">
                <dt class="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">{label}</dt>
                <dd class="mt-1 text-xl font-semibold tabular-nums" data-testid=test_id>
                    {value}
                </dd>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="today-heading">
            <h2 id="today-heading" class="sr-only">
                "Today and in all"
            </h2>
            <dl class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
                {tile("Reviews today", statistics.reviews_today.to_string(), "stats-reviews-today")}
                {tile("Time today", time_spent_text(statistics.time_today_ms), "stats-time-today")}
                {tile("Streak", plural(i64::from(statistics.streak_days), "day", "days"), "stats-streak")}
                {tile("All reviews", statistics.reviews_total.to_string(), "stats-reviews-total")}
                {tile("Time in all", time_spent_text(statistics.time_total_ms), "stats-time-total")}
            </dl>
        </section>
    }
    .into_any()
}
