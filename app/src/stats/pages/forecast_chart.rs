use super::bar_chart::{BarChart, ChartBar};
use crate::stats::{date_label, short_date_label};
use crate::ui::plural;
use leptos::prelude::*;

/// Cards due on each of the coming days; today's bar holds overdue cards too.
#[component]
pub fn ForecastChart(today: i64, forecast: Vec<u32>) -> impl IntoView {
    let total: u32 = forecast.iter().sum();
    let due_today = forecast.first().copied().unwrap_or(0);
    let summary = format!(
        "Cards due over the next {}: {} in all, {} today.",
        plural(forecast.len() as i64, "day", "days"),
        total,
        due_today,
    );
    let bars = forecast
        .into_iter()
        .enumerate()
        .map(|(offset, value)| {
            let day = today + offset as i64;
            ChartBar {
                label: if offset == 0 {
                    format!("Today, {} (with overdue cards)", date_label(day))
                } else {
                    date_label(day)
                },
                tick: match offset {
                    0 => Some("Today".to_owned()),
                    offset if offset % 7 == 0 => Some(short_date_label(day)),
                    _ => None,
                },
                value,
            }
        })
        .collect();
    view! {
        <section class="panel" aria-labelledby="forecast-heading">
            <h2 id="forecast-heading" class="text-lg font-semibold">
                "Forecast"
            </h2>
            <p class="mb-3 text-sm text-slate-600 dark:text-slate-400">
                "Cards due each day; cards already overdue count today."
            </p>
            <BarChart
                summary
                caption="Cards due per day".to_owned()
                label_heading="Day"
                value_heading="Cards due"
                bars
            />
        </section>
    }
    .into_any()
}
