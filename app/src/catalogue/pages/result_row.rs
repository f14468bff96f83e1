use crate::catalogue::{CatalogueEntry, EntryKind};
use crate::ui::plural;
use leptos::prelude::*;

#[component]
pub(crate) fn ResultRow(entry: CatalogueEntry) -> impl IntoView {
    let (badge, count) = match entry.kind {
        EntryKind::Deck => (
            "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
            plural(entry.item_count, "card", "cards"),
        ),
        EntryKind::Course => (
            "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
            plural(entry.item_count, "lesson", "lessons"),
        ),
    };
    let details = [
        Some(format!("by {}", entry.owner_name)),
        Some(count),
        (!entry.category.is_empty()).then(|| entry.category.clone()),
        entry.level.map(|level| level.label().to_owned()),
        (!entry.language_name.is_empty()).then(|| entry.language_name.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="panel" data-testid="catalogue-entry">
            <div class="flex items-center gap-2">
                <span class=format!(
                    "shrink-0 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold uppercase {badge}",
                )>
                    {match entry.kind {
                        EntryKind::Deck => "Deck",
                        EntryKind::Course => "Course",
                    }}
                </span>
                <a href=entry.href() class="user-text font-semibold hover:underline">
                    {entry.title.clone()}
                </a>
            </div>
            <p class="user-text mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">
                {entry.description.clone()}
            </p>
            <p class="mt-2 text-xs text-slate-500 dark:text-slate-400">{details}</p>
        </li>
    }
}
