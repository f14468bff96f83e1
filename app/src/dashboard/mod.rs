//! The signed-in home page: a greeting, the person's role and their decks.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{Role, User},
    decks::{pages::NewDeckForm, DeckSummary},
    error::AppError,
    ui::ErrorNotice,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub user: User,
    pub decks: Vec<DeckSummary>,
}

#[server(endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::{auth::session, decks::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let decks = db::list_owned_decks(&state.pool, user.id).await?;
    Ok(Dashboard { user, decks })
}

fn role_description(role: Role) -> &'static str {
    match role {
        Role::Learner => "You study decks and follow the courses you enrol in.",
        Role::Teacher => "You author decks and courses and follow your classes.",
        Role::Admin => "You manage this Engram instance and its accounts.",
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="Dashboard · Engram" />
        <Suspense fallback=|| {
            view! { <p class="text-slate-500">"Loading your dashboard…"</p> }
        }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard { user, decks } = dashboard;
    let deck_count = decks.len();
    let can_share = user.role >= Role::Teacher;
    view! {
        <section class="mb-8 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div>
                <h1 class="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="greeting">
                    {format!("Hello, {}", user.display_name)}
                </h1>
                <p class="mt-1 text-slate-600 dark:text-slate-400">{role_description(user.role)}</p>
            </div>
            <span
                data-testid="role"
                class="inline-flex w-fit items-center rounded-full bg-indigo-100 px-3 py-1 text-sm font-semibold text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
            >
                {user.role.label()}
            </span>
        </section>
        <NewDeckForm can_share />
        <section aria-labelledby="decks-heading">
            <h2 id="decks-heading" class="mb-3 text-lg font-semibold">
                {format!("Your decks ({deck_count})")}
            </h2>
            {if decks.is_empty() {
                view! {
                    <div class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        <p class="font-medium">"You have no decks yet."</p>
                        <p class="mt-1 text-sm">"Decks you create or enrol in will appear here."</p>
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="grid gap-4 sm:grid-cols-2" data-testid="deck-list">
                        {decks
                            .into_iter()
                            .map(|deck| {
                                view! {
                                    <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                        <h3 class="font-semibold">
                                            <A
                                                href=format!("/decks/{}", deck.id)
                                                attr:class="hover:underline"
                                            >
                                                {deck.title}
                                            </A>
                                        </h3>
                                        <p class="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">
                                            {deck.description}
                                        </p>
                                        <p class="mt-3 text-sm font-medium text-indigo-700 dark:text-indigo-300">
                                            {match deck.card_count {
                                                1 => "1 card".to_owned(),
                                                n => format!("{n} cards"),
                                            }}
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
