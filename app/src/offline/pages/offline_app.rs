use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use super::{
    offline_home::OfflineHome, offline_study_page::OfflineStudyPage, ConnectionBanner, UpdateBanner,
};
use crate::offline::provide_app_status;
use crate::routes;

/// The offline app: what the service worker's `offline.html` runs when a
/// page could not be loaded. It renders in the browser alone, from the decks
/// kept on this device, and asks the server nothing; a study page studies
/// the kept deck, every other address lists the kept decks.
#[component]
pub fn OfflineApp() -> impl IntoView {
    provide_meta_context();
    // The service worker shows this app when a page could not be loaded.
    let status = provide_app_status(false);
    view! {
        <Router>
            <header class="border-b border-slate-200 bg-white/80 dark:border-slate-800 dark:bg-slate-900/80">
                <nav
                    aria-label="Main"
                    class="mx-auto flex max-w-5xl items-center justify-between gap-2 px-4 py-3"
                >
                    <span class="flex items-center gap-2 text-lg font-bold tracking-tight">
                        <span aria-hidden="true" class="inline-block h-6 w-6 rounded-md bg-indigo-600"></span>
                        "Engram"
                    </span>
                    // Leaves the offline app for the server's page, once
                    // there is a connection again.
                    <Show when=move || status.online.get()>
                        <a
                            href=routes::DASHBOARD
                            rel="external"
                            class="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-slate-100 dark:text-indigo-300 dark:hover:bg-slate-800"
                        >
                            "Back online: open the dashboard"
                        </a>
                    </Show>
                </nav>
            </header>
            <ConnectionBanner />
            <main id="main" class="mx-auto max-w-5xl px-4 py-8 sm:py-12" data-testid="offline-app">
                <Routes fallback=OfflineHome>
                    <Route path=path!("study/:id") view=OfflineStudyPage />
                </Routes>
            </main>
            <UpdateBanner />
        </Router>
    }
}
