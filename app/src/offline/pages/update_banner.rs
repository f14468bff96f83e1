use leptos::prelude::*;

use crate::offline::use_app_status;

/// A new version has been installed: the learner reloads when it suits
/// them, never in the middle of a review.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let status = use_app_status();
    view! {
        <Show when=move || status.update_waiting.get()>
            <div
                role="status"
                data-testid="update-banner"
                class="fixed inset-x-4 bottom-4 z-50 mx-auto flex max-w-md items-center justify-between gap-4 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
            >
                <span>"Update available"</span>
                <button
                    type="button"
                    class="rounded-md bg-indigo-500 px-3 py-1.5 font-semibold text-white hover:bg-indigo-400"
                    on:click=move |_| status.reload_to_update()
                >
                    "Reload"
                </button>
            </div>
        </Show>
    }
}
