use crate::stats::{RetentionRow, Tally};
use leptos::prelude::*;

/// "92%" over "45 of 49", narrow enough for four columns on a phone.
fn cell(tally: Tally) -> impl IntoView {
    let counts = (tally.total > 0).then(|| {
        view! {
            <span class="block text-xs text-slate-600 dark:text-slate-400">
                {format!("{} of {}", tally.passed, tally.total)}
            </span>
        }
    });
    view! {
        <td class="py-2 pl-3 text-right tabular-nums">
            <span class="block font-medium">
                {tally.percent().map_or_else(|| "–".to_owned(), |percent| format!("{percent}%"))}
            </span>
            {counts}
        </td>
    }
}

/// True retention for young and mature cards over the last week, month,
/// year and all time. A table is the clearest way to show it, so it is one.
#[component]
pub fn RetentionTable(rows: Vec<RetentionRow>) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr class="border-t border-slate-200 dark:border-slate-800">
                    <th scope="row" class="py-2 text-left align-top font-normal">
                        {row.period.label()}
                    </th>
                    {cell(row.young)}
                    {cell(row.mature)}
                    {cell(row.total())}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="retention-heading">
            <h2 id="retention-heading" class="text-lg font-semibold">
                "True retention"
            </h2>
            <p class="mb-3 text-sm text-slate-600 dark:text-slate-400">
                "The share of answers not rated Again among cards seen again on a later day; mature cards had waited 21 days or more."
            </p>
            <table class="w-full text-sm" data-testid="retention-table">
                <caption class="sr-only">"True retention by period"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="py-2 text-left">
                            "Period"
                        </th>
                        <th scope="col" class="py-2 pl-3 text-right">
                            "Young"
                        </th>
                        <th scope="col" class="py-2 pl-3 text-right">
                            "Mature"
                        </th>
                        <th scope="col" class="py-2 pl-3 text-right">
                            "All"
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
