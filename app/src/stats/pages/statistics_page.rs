use super::statistics_view::StatisticsView;
use crate::error::AppError;
use crate::stats::{api::load_statistics, parse_deck_param, Statistics};
use crate::ui::Loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

async fn load(deck: Option<String>) -> Result<Statistics, AppError> {
    load_statistics(parse_deck_param(deck.as_deref())?).await
}

/// `/stats`: the learner's statistics for all their decks, or with
/// `?deck=<id>` for one deck they study and its subdecks.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query = use_query_map();
    let deck = Memo::new(move |_| query.read().get("deck"));
    let statistics = crate::ui::page_data(move || deck.get(), load);
    view! {
        <Loaded data=statistics loading="Loading your statistics…" let:statistics>
            <StatisticsView statistics />
        </Loaded>
    }
}
