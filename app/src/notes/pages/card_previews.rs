use crate::{
    error::AppError,
    notes::api::{CardPreview, PreviewNote},
};
use leptos::prelude::*;

/// The cards the note makes; what stops them from being made, such as an
/// unclosed cloze or a broken formula; or, before anything is typed, a hint.
#[component]
pub(crate) fn CardPreviews(preview: ServerAction<PreviewNote>) -> impl IntoView {
    move || {
        match preview.value().get() {
        Some(Ok(cards)) => cards
            .into_iter()
            .map(|card: CardPreview| {
                view! {
                    <article class="card-scroller panel mb-4 min-w-0" data-testid="card-preview" tabindex="0">
                        <p class="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                            {card.label}
                        </p>
                        // Rendered and sanitised on the server.
                        <div class="card-content" data-side="front" inner_html=card.front_html></div>
                        <hr class="my-3 border-slate-200 dark:border-slate-700" />
                        <div class="card-content" data-side="back" inner_html=card.back_html></div>
                    </article>
                }
            })
            .collect_view()
            .into_any(),
        Some(Err(error)) => {
            let problems = match error {
                AppError::Validation(errors) => {
                    errors
                        .into_iter()
                        .map(|error| format!("{}: {}", error.field, error.message))
                        .collect()
                }
                other => vec![other.to_string()],
            };
            view! {
                // Said once as it appears: the preview itself changes at
                // every pause in typing and is not a live region, or a
                // screen reader would read each version out.
                <div
                    data-testid="preview-error"
                    role="status"
                    class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
                >
                    <p class="font-semibold">"These cards cannot be made yet:"</p>
                    <ul class="mt-1 list-disc pl-5">
                        {problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
                    </ul>
                </div>
            }
                .into_any()
        }
        None => view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-6 text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
                "Start typing to see the cards this note makes."
                <span class="no-js-only">" (The preview needs JavaScript; saving works without it.)"</span>
            </p>
        }
            .into_any(),
    }
    }
}
