use leptos::prelude::*;

use crate::offline::{
    pages::{size_label, time_label},
    store,
};
use crate::routes;
use crate::ui::PageTitle;

/// The decks kept on this device, for any address the offline app cannot
/// show: each opens its study page.
#[component]
pub fn OfflineHome() -> impl IntoView {
    let decks = LocalResource::new(|| async {
        let Some(learner_id) = store::signed_in().await? else {
            return Ok(Vec::new());
        };
        store::list_decks(learner_id).await
    });
    view! {
        <PageTitle text="Offline · Engram" />
        <h1 class="text-2xl font-bold tracking-tight">"This page needs a connection"</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">
            "These decks are kept on this device, and you can study them now. Your reviews are sent when the connection is back."
        </p>
        <Suspense fallback=|| {
            view! { <p class="mt-6">"Looking for decks on this device…"</p> }
        }>
            {move || Suspend::new(async move {
                match decks.await {
                    Ok(decks) if decks.is_empty() => {
                        view! {
                            <p class="panel mt-6" data-testid="no-offline-decks">
                                "No deck is kept on this device yet. When you are online, open a deck's study page and tick "
                                <strong>"Available offline"</strong>
                                "."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(decks) => {
                        view! {
                            <ul class="mt-6 grid gap-3 sm:grid-cols-2" data-testid="offline-decks">
                                {decks
                                    .into_iter()
                                    .map(|deck| {
                                        let href = deck
                                            .deck_id
                                            .parse()
                                            .map(routes::study)
                                            .unwrap_or_default();
                                        view! {
                                            <li class="panel">
                                                <a href=href class="text-link font-semibold">
                                                    {deck.deck_title.clone()}
                                                </a>
                                                <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                                                    {format!(
                                                        "{}, saved {}",
                                                        size_label(deck.size_bytes()),
                                                        time_label(deck.saved_at_ms),
                                                    )}
                                                </p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(message) => {
                        view! {
                            <p class="panel mt-6 text-red-700 dark:text-red-300" role="alert">
                                {message}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
