use crate::stats::{
    date_label, heat_cell_position, heat_level, heatmap_first_day, heatmap_month_labels, heatmap_size,
    time_spent_text, DayCount, HEAT_CELL, HEAT_LEFT, HEAT_STEP, HEAT_TOP,
};
use crate::ui::plural;
use leptos::prelude::*;

/// A day's shade, from no reviews to the most; written out whole so that
/// Tailwind finds every class.
const LEVEL_CLASSES: [&str; 5] = [
    "fill-slate-200 dark:fill-slate-800",
    "fill-indigo-200 dark:fill-indigo-800",
    "fill-indigo-400 dark:fill-indigo-600",
    "fill-indigo-600 dark:fill-indigo-400",
    "fill-indigo-800 dark:fill-indigo-200",
];

/// Reviews per day over the last year, a square a day and a column a week
/// (Monday on top), as GitHub draws contributions. On a narrow screen the
/// calendar scrolls sideways inside its box, the page does not, and the
/// weekdays' names stay beside it.
#[component]
pub fn ReviewHeatmap(today: i64, heatmap: Vec<DayCount>) -> impl IntoView {
    let first_day = heatmap_first_day(today);
    let busiest = heatmap
        .iter()
        .max_by_key(|count| (count.reviews, -count.day))
        .copied();
    let reviews: u64 = heatmap.iter().map(|count| u64::from(count.reviews)).sum();
    let summary = match busiest {
        Some(busiest) => format!(
            "Reviews per day over the last year: {} on {}; the busiest day, {}, had {}.",
            plural(reviews as i64, "review", "reviews"),
            plural(heatmap.len() as i64, "day", "days"),
            date_label(busiest.day),
            busiest.reviews,
        ),
        None => "Reviews per day over the last year: none.".to_owned(),
    };
    let most = busiest.map_or(0, |busiest| busiest.reviews);
    let counts: std::collections::HashMap<i64, u32> =
        heatmap.iter().map(|count| (count.day, count.reviews)).collect();
    let cells = (first_day..=today)
        .map(|day| {
            let count = counts.get(&day).copied().unwrap_or(0);
            let (x, y) = heat_cell_position(day, first_day);
            view! {
                <rect
                    x=x.to_string()
                    y=y.to_string()
                    width=HEAT_CELL.to_string()
                    height=HEAT_CELL.to_string()
                    rx="2"
                    class=LEVEL_CLASSES[heat_level(count, most)]
                >
                    <title>
                        {format!("{}: {}", date_label(day), plural(i64::from(count), "review", "reviews"))}
                    </title>
                </rect>
            }
        })
        .collect_view();
    let months = heatmap_month_labels(today)
        .into_iter()
        .map(|(x, name)| {
            view! {
                <text
                    x=x.to_string()
                    y=(HEAT_TOP - 5).to_string()
                    font-size="10"
                    class="fill-slate-600 dark:fill-slate-400"
                >
                    {name}
                </text>
            }
        })
        .collect_view();
    let weekdays = [(0, "Mon"), (2, "Wed"), (4, "Fri")]
        .map(|(row, name)| {
            view! {
                <text
                    x="0"
                    y=(HEAT_TOP + row * HEAT_STEP + HEAT_CELL - 1).to_string()
                    font-size="10"
                    class="fill-slate-600 dark:fill-slate-400"
                >
                    {name}
                </text>
            }
        })
        .collect_view();
    let legend = LEVEL_CLASSES
        .iter()
        .enumerate()
        .map(|(index, class)| {
            view! {
                <rect
                    x=(index as i64 * HEAT_STEP).to_string()
                    y="0"
                    width=HEAT_CELL.to_string()
                    height=HEAT_CELL.to_string()
                    rx="2"
                    class=*class
                />
            }
        })
        .collect_view();
    // Up to a year of rows: the table styles its cells, so each row is short.
    let rows = heatmap
        .iter()
        .rev()
        .map(|count| {
            view! {
                <tr>
                    <th scope="row">{date_label(count.day)}</th>
                    <td>{count.reviews}</td>
                    <td>{time_spent_text(count.duration_ms)}</td>
                </tr>
            }
        })
        .collect_view();
    let label = summary.clone();
    let (width, height) = heatmap_size();
    let legend_width = 5 * HEAT_STEP;
    view! {
        <section class="panel min-w-0" aria-labelledby="heatmap-heading">
            <h2 id="heatmap-heading" class="mb-3 text-lg font-semibold">
                "Reviews per day"
            </h2>
            <div class="flex">
                // The weekdays' names, outside the box that scrolls.
                <svg
                    aria-hidden="true"
                    width=HEAT_LEFT.to_string()
                    height=height.to_string()
                    viewBox=format!("0 0 {HEAT_LEFT} {height}")
                    class="block shrink-0"
                    data-testid="heatmap-weekdays"
                >
                    {weekdays}
                </svg>
                // Keyboard users can scroll it too: a scrolling box must take focus.
                // Right to left, a narrow box opens on the latest weeks, without
                // any script; the calendar inside stays left to right.
                <div
                    class="min-w-0 overflow-x-auto rounded [direction:rtl] focus-visible:outline-2 focus-visible:outline-indigo-600 lg:[direction:ltr]"
                    tabindex="0"
                    role="region"
                    aria-label="Reviews per day, a year"
                >
                    // The calendar's coordinates start left of the weekdays' room.
                    <svg
                        role="img"
                        aria-label=label
                        width=(width - HEAT_LEFT).to_string()
                        height=height.to_string()
                        viewBox=format!("{HEAT_LEFT} 0 {} {height}", width - HEAT_LEFT)
                        class="block [direction:ltr]"
                        data-testid="review-heatmap"
                    >
                        <title>{summary}</title>
                        {months}
                        {cells}
                    </svg>
                </div>
            </div>
            <div class="mt-2 flex items-center justify-end gap-2 text-xs text-slate-600 dark:text-slate-400">
                "Less"
                <svg
                    aria-hidden="true"
                    width=legend_width.to_string()
                    height=HEAT_CELL.to_string()
                    viewBox=format!("0 0 {legend_width} {HEAT_CELL}")
                >
                    {legend}
                </svg> "More"
            </div>
            <details class="mt-2 text-sm">
                <summary class="cursor-pointer text-slate-600 dark:text-slate-400">
                    "Show the numbers"
                </summary>
                {if heatmap.is_empty() {
                    view! { <p class="mt-2">"No reviews in the last year."</p> }.into_any()
                } else {
                    view! {
                        <table class="mt-2 w-full max-w-md [&_td]:py-1 [&_td]:pl-4 [&_td]:text-right [&_td]:tabular-nums [&_tbody_th]:py-1 [&_tbody_th]:text-left [&_tbody_th]:font-normal [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-200 dark:[&_tbody_tr]:border-slate-800">
                            <caption class="sr-only">
                                "Reviews on each day with reviews, latest first"
                            </caption>
                            <thead>
                                <tr>
                                    <th scope="col" class="py-1 pr-4 text-left">
                                        "Day"
                                    </th>
                                    <th scope="col" class="py-1 pl-4 text-right">
                                        "Reviews"
                                    </th>
                                    <th scope="col" class="py-1 pl-4 text-right">
                                        "Time"
                                    </th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                        .into_any()
                }}
            </details>
        </section>
    }
    .into_any()
}
