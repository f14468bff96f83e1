use super::bar_chart::{BarChart, ChartBar};
use crate::stats::{
    Bucket, Distribution, Memories, DIFFICULTY_BUCKETS, RETRIEVABILITY_BUCKETS, STABILITY_BUCKETS,
};
use crate::ui::plural;
use leptos::prelude::*;

fn bars(distribution: &Distribution, buckets: &[Bucket]) -> Vec<ChartBar> {
    buckets
        .iter()
        .zip(&distribution.counts)
        .map(|(bucket, &value)| ChartBar {
            label: bucket.label.to_owned(),
            tick: Some(bucket.short.to_owned()),
            value,
        })
        .collect()
}

/// How well the learner's cards are remembered, as FSRS models them:
/// stability, difficulty and retrievability, each across the cards studied.
#[component]
pub fn MemoryCharts(memories: Memories) -> impl IntoView {
    let cards = plural(i64::from(memories.cards), "card", "cards");
    let chart = |heading: &'static str,
                 explanation: &'static str,
                 distribution: &Distribution,
                 buckets: &[Bucket],
                 average: String| {
        let summary = format!("{heading} of {cards}: {average}.");
        view! {
            <div>
                <h3 class="font-semibold">{heading}</h3>
                <p class="mb-2 text-sm text-slate-600 dark:text-slate-400">{explanation}</p>
                <BarChart
                    summary
                    caption=format!("{heading}: cards per range")
                    label_heading=heading
                    value_heading="Cards"
                    bars=bars(distribution, buckets)
                />
            </div>
        }
        .into_any()
    };
    let average = |distribution: &Distribution, show: fn(f32) -> String| {
        distribution.average.map_or_else(
            || "no cards yet".to_owned(),
            |value| format!("on average {}", show(value)),
        )
    };
    view! {
        <section class="panel" aria-labelledby="memory-heading">
            <h2 id="memory-heading" class="text-lg font-semibold">
                "Memory"
            </h2>
            <p class="mb-4 text-sm text-slate-600 dark:text-slate-400">
                {format!("What FSRS estimates for the {cards} you have studied.")}
            </p>
            <div class="grid grid-cols-1 gap-6 md:grid-cols-2 xl:grid-cols-3">
                {chart(
                    "Stability",
                    "How long until the chance of recall falls to 90%.",
                    &memories.stability,
                    &STABILITY_BUCKETS,
                    average(&memories.stability, |days| plural(days.round() as i64, "day", "days")),
                )}
                {chart(
                    "Difficulty",
                    "How hard each card is to remember, from easiest to hardest.",
                    &memories.difficulty,
                    &DIFFICULTY_BUCKETS,
                    average(&memories.difficulty, |percent| format!("{percent:.0}%")),
                )}
                {chart(
                    "Retrievability",
                    "The chance of recalling each card right now.",
                    &memories.retrievability,
                    &RETRIEVABILITY_BUCKETS,
                    average(&memories.retrievability, |percent| format!("{percent:.0}%")),
                )}
            </div>
        </section>
    }
    .into_any()
}
