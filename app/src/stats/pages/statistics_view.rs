use super::{
    deck_selector::DeckSelector, forecast_chart::ForecastChart, memory_charts::MemoryCharts,
    no_reviews_yet::NoReviewsYet, retention_table::RetentionTable, review_heatmap::ReviewHeatmap,
    today_summary::TodaySummary,
};
use crate::stats::Statistics;
use crate::ui::PageTitle;
use leptos::prelude::*;

/// The whole page once loaded: which decks it covers, then today, the year,
/// the forecast, true retention and the cards' memory, or a friendly
/// sentence while there is nothing to show.
#[component]
pub fn StatisticsView(statistics: Statistics) -> impl IntoView {
    let scope = statistics
        .deck
        .as_ref()
        .map_or_else(|| "All your decks".to_owned(), |deck| deck.title.clone());
    let title = match &statistics.deck {
        Some(deck) => format!("Statistics for {} · Engram", deck.title),
        None => "Statistics · Engram".to_owned(),
    };
    let header = view! {
        <PageTitle text=title />
        <header class="mb-6 flex flex-wrap items-end justify-between gap-4">
            <div class="min-w-0">
                <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Statistics"</h1>
                <p class="mt-1 break-words text-slate-600 dark:text-slate-400" data-testid="stats-scope">
                    {scope}
                </p>
            </div>
            <DeckSelector
                decks=statistics.decks.clone()
                selected=statistics.deck.as_ref().map(|deck| deck.id)
            />
        </header>
    }
    .into_any();
    if statistics.reviews_total == 0 {
        let in_deck = statistics.deck.is_some();
        return view! {
            {header}
            <NoReviewsYet in_deck />
        }
        .into_any();
    }
    let today = statistics.today;
    view! {
        {header}
        <div class="grid grid-cols-1 gap-6" data-testid="statistics">
            <TodaySummary statistics=statistics.clone() />
            <ReviewHeatmap today heatmap=statistics.heatmap.clone() />
            <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
                <ForecastChart today forecast=statistics.forecast.clone() />
                <RetentionTable rows=statistics.retention.clone() />
            </div>
            <MemoryCharts memories=statistics.memories.clone() />
        </div>
    }
    .into_any()
}
