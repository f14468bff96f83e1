use super::account_table::AccountTable;
use super::pending_change::PendingChange;
use crate::admin::api::{list_accounts, ChangeRole};
use crate::admin::AccountListQuery;
use crate::ui::FormAction;
use crate::ui::{saves, PageTitle, SessionEnded};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    ui::{ErrorNotice, FormError, PageHeader},
};
use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};

#[component]
pub fn AdminPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let change_role = FormAction::<ChangeRole>::new();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let change_role_saves = saves(change_role);
    let accounts = crate::ui::page_data(
        move || {
            let query = query.get();
            let list_query = AccountListQuery {
                search: query.get("q").unwrap_or_default(),
                after: query.get("after"),
            };
            (list_query, change_role_saves.get())
        },
        |(list_query, _)| list_accounts(list_query),
    );
    let error = Signal::derive(move || change_role.value().get().and_then(Result::err));
    let saved = move || {
        change_role
            .value()
            .get()
            .and_then(Result::ok)
            .map(|user| saved_message(&user.display_name, user.role))
    };
    // After a change posted without JavaScript, the page is loaded anew and
    // its address names the account changed (`routes::admin_account_changed`).
    let changed = move || {
        query
            .get()
            .get("changed")
            .and_then(|id| id.parse::<uuid::Uuid>().ok())
    };
    let search = move || query.get().get("q").unwrap_or_default();
    let pending = move || {
        let query = query.get();
        Some(PendingChange {
            user_id: query.get("confirm")?.parse().ok()?,
            role: Role::parse(&query.get("role")?)?,
        })
    };

    view! {
        <PageTitle text="Accounts · Engram" />
        // The heading, search and messages belong to the admin's page; anyone
        // else sees only the notice the list below answers with.
        <Transition strict=true fallback=|| ()>
            {move || Suspend::new(async move {
                let is_admin = matches!(auth.user.await, Ok(Some(user)) if user.role == Role::Admin);
                is_admin
                    .then(|| {
                        view! {
                            <PageHeader
                                title="Accounts".into()
                                subtitle="Change what each person may do.".into()
                            />
                            <Form
                                method="GET"
                                action=""
                                on_form_data=std::sync::Arc::new(crate::ui::drop_nameless_field)
                                attr:class="mb-4 flex gap-2"
                                attr:role="search"
                            >
                                <label for="account-search" class="sr-only">
                                    "Search accounts"
                                </label>
                                <input
                                    id="account-search"
                                    type="search"
                                    name="q"
                                    // The attribute for the page the server sends (a
                                    // property exists only in the browser), the
                                    // property to follow later searches and the back button.
                                    value=search
                                    prop:value=search
                                    placeholder="Search by name or email"
                                    // As the server allows (a longer search, typed
                                    // into the address, is refused on the page).
                                    maxlength="200"
                                    class="w-full max-w-sm rounded-lg border border-slate-300 bg-white px-3 py-2 dark:border-slate-600 dark:bg-slate-800"
                                />
                                <button
                                    type="submit"
                                    class="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                                >
                                    "Search"
                                </button>
                            </Form>
                            <div class="mb-4" aria-live="polite">
                                <FormError error=error />
                                {move || saved().map(|message| view! { <SavedNotice message /> })}
                            </div>
                        }
                    })
            })}
        </Transition>
        <Suspense
            strict=true
            fallback=|| {
                view! { <p class="text-slate-500 dark:text-slate-400">"Loading accounts…"</p> }
            }
        >
            {move || {
                let pending = pending();
                let after = query.get().get("after");
                let changed = changed().filter(|_| change_role.value().get_untracked().is_none());
                Suspend::new(async move {
                    match accounts.await {
                        Ok(page) => {
                            let saved_by_plain_post = changed
                                .and_then(|id| page.accounts.iter().find(|account| account.id == id))
                                .map(|account| saved_message(&account.display_name, account.role));
                            // Read before the await, so that picking a role (which
                            // changes only the address, not the list) redraws the table.
                            view! {
                                {saved_by_plain_post
                                    .map(|message| {
                                        view! {
                                            <div class="mb-4">
                                                <SavedNotice message />
                                            </div>
                                        }
                                    })}
                                <AccountTable page change_role error search=search() after pending />
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <SessionEnded /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn saved_message(display_name: &str, role: Role) -> String {
    format!("Saved: {display_name} is now {}.", role.label().to_lowercase())
}

#[component]
fn SavedNotice(message: String) -> impl IntoView {
    view! {
        <p
            role="status"
            class="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
            {message}
        </p>
    }
}
