use leptos::prelude::*;

use crate::offline::use_app_status;

/// Says so while the browser has no connection: what still works and that
/// nothing made meanwhile is lost.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let status = use_app_status();
    view! {
        <Show when=move || !status.online.get()>
            <div
                role="status"
                data-testid="offline-banner"
                class="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
            >
                "You are offline. Reviews are kept on this device and sent when the connection is back."
            </div>
        </Show>
    }
}
