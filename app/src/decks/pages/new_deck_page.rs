use super::new_deck_form::NewDeckForm;
use crate::auth::{pages::use_auth, Role};
use crate::decks::{api::CreateDeck, DeckInput};
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{ErrorNotice, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/decks/new`: a signed-in person starts a deck of their own (a visitor is
/// sent to log in, and one who signs out here is sent home, by
/// `SignedInOnly`, so the page shows nothing without a user). It is a page
/// of its own, linked from the dashboard, rather than a form on the
/// dashboard: the form's code then comes with the deck pages' chunk, which
/// the new deck opens in, and the dashboard, in the app shell, stays small.
#[component]
pub fn NewDeckPage() -> impl IntoView {
    let auth = use_auth();
    let create = FormAction::<CreateDeck>::new();
    // After a plain form post that failed, the address holds what was sent
    // (`routes::new_deck_filled_in`); otherwise the form starts empty.
    let sent = use_query_map().with_untracked(|query| {
        let value = |name: &str| query.get(name).unwrap_or_default();
        DeckInput {
            title: value("title"),
            description: value("description"),
            language: value("language"),
            visibility: value("visibility").parse().unwrap_or_default(),
            parent_id: None,
        }
    });
    view! {
        <PageTitle text="New deck · Engram" />
        <Suspense strict=true fallback=|| ()>
            {move || {
                let current = sent.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => {
                            let can_share = user.role >= Role::Teacher;
                            view! {
                                <div class="mb-6">
                                    <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"New deck"</h1>
                                    <p class="mt-1 text-slate-600 dark:text-slate-400">
                                        "A deck holds your notes, and each note makes its cards. You can add subdecks to it later."
                                    </p>
                                </div>
                                <section class="panel" data-testid="new-deck">
                                    <NewDeckForm create can_share prefix="deck" current />
                                </section>
                                <p class="mt-4 text-sm">
                                    <a href=routes::DASHBOARD class="text-link">
                                        "Back to your dashboard"
                                    </a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
