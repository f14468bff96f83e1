use crate::browse::CardRow;
use crate::routes;
use leptos::prelude::*;
use std::collections::HashSet;
use uuid::Uuid;

#[component]
pub(crate) fn CardTableRow(row: CardRow, selected: RwSignal<HashSet<Uuid>>) -> impl IntoView {
    let CardRow {
        card_id,
        note_id,
        deck_id,
        deck_title,
        note_type,
        card_name,
        text,
        tags,
        due,
        created,
    } = row;
    let label = format!("Select “{text}”");
    view! {
        <tr class="hover:bg-slate-50 dark:hover:bg-slate-900/60" data-testid="card-row">
            <td class="px-3 py-2 align-top">
                <input
                    type="checkbox"
                    name="input[card_ids][]"
                    value=card_id.to_string()
                    aria-label=label
                    prop:checked=move || selected.with(|chosen| chosen.contains(&card_id))
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        selected
                            .update(|chosen| {
                                if checked {
                                    chosen.insert(card_id);
                                } else {
                                    chosen.remove(&card_id);
                                }
                            });
                    }
                />
            </td>
            <td class="max-w-xs px-3 py-2 align-top">
                <a
                    href=routes::edit_note(note_id)
                    class="line-clamp-2 break-words text-slate-900 hover:underline dark:text-slate-100"
                >
                    {if text.trim().is_empty() { "(empty)".to_owned() } else { text }}
                </a>
            </td>
            <td class="hidden px-3 py-2 align-top text-slate-600 md:table-cell dark:text-slate-400">
                {format!("{note_type} · {card_name}")}
            </td>
            <td class="hidden px-3 py-2 align-top sm:table-cell">
                <a href=routes::deck(deck_id) class="text-indigo-700 hover:underline dark:text-indigo-300">
                    {deck_title}
                </a>
            </td>
            <td class="hidden px-3 py-2 align-top lg:table-cell">
                <ul class="flex flex-wrap gap-1">
                    {tags
                        .into_iter()
                        .map(|tag| {
                            view! {
                                <li class="user-text rounded bg-slate-100 px-1.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                                    {tag}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </td>
            <td class="hidden whitespace-nowrap px-3 py-2 align-top sm:table-cell">
                {match due {
                    Some(date) => date.into_any(),
                    None => {
                        view! { <span class="text-emerald-700 dark:text-emerald-300">"New"</span> }.into_any()
                    }
                }}
            </td>
            <td class="hidden whitespace-nowrap px-3 py-2 align-top text-slate-600 md:table-cell dark:text-slate-400">
                {created}
            </td>
        </tr>
    }
}
