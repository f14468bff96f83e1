use crate::stats::{
    bar_rects, BAR_AREA_BOTTOM, BAR_AREA_LEFT, BAR_AREA_TOP, BAR_CHART_HEIGHT, BAR_CHART_WIDTH,
};
use leptos::prelude::*;

/// One bar: its full label (table, tooltip), the label under it if any, and
/// its value.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    pub label: String,
    pub tick: Option<String>,
    pub value: u32,
}

/// A bar chart drawn on the server as SVG, which screen readers read as one
/// image described by `summary`, followed by the same numbers as a table.
/// It scales to its box (the view box keeps its proportions), and colours
/// come from classes, light and dark: the page's CSP allows no inline style.
#[component]
pub fn BarChart(
    /// Says what the chart shows and its main finding, for screen readers.
    summary: String,
    /// The table's caption.
    caption: String,
    label_heading: &'static str,
    value_heading: &'static str,
    bars: Vec<ChartBar>,
) -> impl IntoView {
    let values: Vec<u32> = bars.iter().map(|bar| bar.value).collect();
    let largest = values.iter().copied().max().unwrap_or(0);
    let rects = bar_rects(&values);
    let last = bars.len().saturating_sub(1);
    let shapes = bars
        .iter()
        .zip(&rects)
        .enumerate()
        .map(|(index, (bar, rect))| {
            // The first and last labels keep inside the chart's edges.
            let (x, anchor) = match index {
                0 => (rect.x, "start"),
                index if index == last => (rect.x + rect.width, "end"),
                _ => (rect.x + rect.width / 2.0, "middle"),
            };
            // A mark under the middle of a labelled bar says which bar the
            // label is of, where the label itself keeps inside the chart.
            let middle = rect.x + rect.width / 2.0;
            let tick = bar.tick.clone().map(|tick| {
                view! {
                    <line
                        x1=format!("{middle:.1}")
                        x2=format!("{middle:.1}")
                        y1=format!("{:.1}", BAR_AREA_BOTTOM)
                        y2=format!("{:.1}", BAR_AREA_BOTTOM + 3.0)
                        class="stroke-slate-500 dark:stroke-slate-400"
                    />
                    <text
                        x=format!("{x:.1}")
                        y=format!("{:.1}", BAR_AREA_BOTTOM + 13.0)
                        text-anchor=anchor
                        font-size="10"
                        class="fill-slate-600 dark:fill-slate-400"
                    >
                        {tick}
                    </text>
                }
            });
            view! {
                <rect
                    x=format!("{:.1}", rect.x)
                    y=format!("{:.1}", rect.y)
                    width=format!("{:.1}", rect.width)
                    height=format!("{:.1}", rect.height)
                    rx="1.5"
                    class="fill-indigo-500 dark:fill-indigo-400"
                >
                    <title>{format!("{}: {}", bar.label, bar.value)}</title>
                </rect>
                {tick}
            }
        })
        .collect_view();
    let rows = bars
        .into_iter()
        .map(|bar| {
            view! {
                <tr class="border-t border-slate-200 dark:border-slate-800">
                    <th scope="row" class="py-1 pr-4 text-left font-normal">
                        {bar.label}
                    </th>
                    <td class="py-1 text-right tabular-nums">{bar.value}</td>
                </tr>
            }
        })
        .collect_view();
    let label = summary.clone();
    let view_box = format!("0 0 {BAR_CHART_WIDTH} {BAR_CHART_HEIGHT}");
    view! {
        <figure>
            <svg
                role="img"
                aria-label=label
                viewBox=view_box
                class="h-auto w-full max-w-xl"
                data-testid="bar-chart"
            >
                <title>{summary}</title>
                <line
                    x1=BAR_AREA_LEFT.to_string()
                    x2=(BAR_CHART_WIDTH - BAR_AREA_LEFT).to_string()
                    y1=BAR_AREA_TOP.to_string()
                    y2=BAR_AREA_TOP.to_string()
                    stroke-dasharray="2 3"
                    class="stroke-slate-300 dark:stroke-slate-700"
                />
                <text
                    x=(BAR_CHART_WIDTH - BAR_AREA_LEFT).to_string()
                    y=(BAR_AREA_TOP - 3.0).to_string()
                    text-anchor="end"
                    font-size="10"
                    class="fill-slate-600 dark:fill-slate-400"
                >
                    {largest}
                </text>
                {shapes}
                <line
                    x1=BAR_AREA_LEFT.to_string()
                    x2=(BAR_CHART_WIDTH - BAR_AREA_LEFT).to_string()
                    y1=BAR_AREA_BOTTOM.to_string()
                    y2=BAR_AREA_BOTTOM.to_string()
                    class="stroke-slate-400 dark:stroke-slate-600"
                />
            </svg>
            <details class="mt-2 text-sm">
                <summary class="cursor-pointer text-slate-600 dark:text-slate-400">
                    "Show the numbers"
                </summary>
                <table class="mt-2 w-full max-w-md">
                    <caption class="sr-only">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="py-1 pr-4 text-left">
                                {label_heading}
                            </th>
                            <th scope="col" class="py-1 text-right">
                                {value_heading}
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
