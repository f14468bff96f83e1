use crate::notes::api::suggest_tags;
use leptos::prelude::*;

/// Tags already used in the author's notes that complete the tag being
/// typed; choosing one completes it. (Without JavaScript, tags are typed.)
#[component]
pub(crate) fn TagSuggestions(tags: RwSignal<String>) -> impl IntoView {
    let typing = Memo::new(move |_| {
        let text = tags.get();
        let ends_with_separator = text.ends_with(|c: char| c.is_whitespace() || c == ',');
        let last = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .next_back()
            .unwrap_or("");
        if ends_with_separator {
            String::new()
        } else {
            last.to_owned()
        }
    });
    let suggestions = crate::ui::page_data(
        move || typing.get(),
        |prefix| async move {
            if prefix.is_empty() {
                Ok(Vec::new())
            } else {
                suggest_tags(prefix).await
            }
        },
    );
    let choose = move |tag: String| {
        let typed = typing.get_untracked();
        tags.update(|text| {
            if let Some(before) = text.strip_suffix(typed.as_str()) {
                *text = format!("{before}{tag} ");
            }
        });
    };
    view! {
        <Transition strict=true fallback=|| ()>
            {move || Suspend::new(async move {
                let present = tags.get_untracked();
                let current = typing.get_untracked();
                suggestions
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|tag| *tag != current && !present.split_whitespace().any(|used| used == tag))
                    .map(|tag| {
                        let label = tag.clone();
                        view! {
                            <button
                                type="button"
                                data-testid="tag-suggestion"
                                class="mr-2 mt-2 rounded-full bg-slate-100 px-3 py-1 text-sm hover:bg-indigo-100 dark:bg-slate-800 dark:hover:bg-indigo-950"
                                on:click=move |_| choose(tag.clone())
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()
            })}
        </Transition>
    }
}
