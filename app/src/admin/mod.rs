//! Administration: the account list and role changes. Admins only.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use crate::ui::PageTitle;
use leptos::prelude::*;
use leptos_router::{
    components::{Form, Redirect, A},
    hooks::use_query_map,
};

use self::api::{list_accounts, ChangeRole};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    ui::{ErrorNotice, FormError, PageHeader, TextField},
};

/// How many accounts one page of the list shows.
pub const ACCOUNTS_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct AccountListQuery {
    /// Matches part of a name or email, ignoring case. Empty for all.
    pub search: String,
    /// The email of the last account on the previous page (keyset pagination).
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountRow {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub joined_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountPage {
    pub accounts: Vec<AccountRow>,
    /// Set when there are more accounts after this page.
    pub next_after: Option<String>,
}

/// A role change the admin picked in the list and has yet to confirm with
/// their password. It lives in the address (`?confirm=<id>&role=<role>`), so
/// the two steps work without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PendingChange {
    user_id: uuid::Uuid,
    role: Role,
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let change_role = ServerAction::<ChangeRole>::new();
    let accounts = Resource::new(
        move || {
            let query = query.get();
            let list_query = AccountListQuery {
                search: query.get("q").unwrap_or_default(),
                after: query.get("after"),
            };
            (list_query, change_role.version().get())
        },
        |(list_query, _)| list_accounts(list_query),
    );
    let error = Signal::derive(move || change_role.value().get().and_then(Result::err));
    let saved = move || {
        change_role.value().get().and_then(Result::ok).map(|user| {
            format!(
                "Saved: {} is now {}.",
                user.display_name,
                user.role.label().to_lowercase()
            )
        })
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
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let is_admin = matches!(auth.user.await, Ok(Some(user)) if user.role == Role::Admin);
                is_admin
                    .then(|| {
                        view! {
                            <PageHeader
                                title="Accounts".into()
                                subtitle="Change what each person may do.".into()
                            />
                            <Form method="GET" action="" attr:class="mb-4 flex gap-2" attr:role="search">
                                <label for="account-search" class="sr-only">
                                    "Search accounts"
                                </label>
                                <input
                                    id="account-search"
                                    type="search"
                                    name="q"
                                    prop:value=search
                                    placeholder="Search by name or email"
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
                                {move || {
                                    saved()
                                        .map(|message| {
                                            view! {
                                                <p
                                                    role="status"
                                                    class="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                                                >
                                                    {message}
                                                </p>
                                            }
                                        })
                                }}
                            </div>
                        }
                    })
            })}
        </Transition>
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading accounts…"</p> }
        }>
            {move || {
                let pending = pending();
                let after = query.get().get("after");
                Suspend::new(async move {
                    match accounts.await {
                        Ok(page) => {
                            // Read before the await, so that picking a role (which
                            // changes only the address, not the list) redraws the table.
                            view! { <AccountTable page change_role error search=search() after pending /> }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AccountTable(
    page: AccountPage,
    change_role: ServerAction<ChangeRole>,
    error: Signal<Option<AppError>>,
    search: String,
    after: Option<String>,
    pending: Option<PendingChange>,
) -> impl IntoView {
    if page.accounts.is_empty() {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                "No accounts match that search."
            </p>
        }
            .into_any();
    }
    let confirmation = pending.and_then(|pending| {
        let account = page
            .accounts
            .iter()
            .find(|account| account.id == pending.user_id)?
            .clone();
        let cancel_href = format!("/admin?q={}", urlencode(&search));
        Some(view! { <ConfirmRoleChange account role=pending.role change_role error cancel_href /> })
    });
    let rows = page
        .accounts
        .into_iter()
        .map(|account| {
            view! { <AccountRowView account search=search.clone() after=after.clone() /> }
        })
        .collect_view();
    let next_page = page.next_after.map(|after| {
        let href = format!("/admin?q={}&after={}", urlencode(&search), urlencode(&after));
        view! {
            <A href=href attr:class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400">
                "Next page →"
            </A>
        }
    });
    view! {
        {confirmation}
        <div class="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left dark:bg-slate-900">
                    <tr>
                        <th scope="col" class="px-4 py-3 font-semibold">
                            "Name"
                        </th>
                        <th scope="col" class="px-4 py-3 font-semibold">
                            "Email"
                        </th>
                        <th scope="col" class="px-4 py-3 font-semibold">
                            "Joined"
                        </th>
                        <th scope="col" class="px-4 py-3 font-semibold">
                            "Role"
                        </th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
                    {rows}
                </tbody>
            </table>
        </div>
        <div class="mt-4 text-right">{next_page}</div>
    }
    .into_any()
}

/// One account. Picking a role and pressing Save opens the confirmation
/// (a plain GET to this page), which asks for the admin's password.
#[component]
fn AccountRowView(account: AccountRow, search: String, after: Option<String>) -> impl IntoView {
    let select_id = format!("role-{}", account.id);
    let current_role = account.role;
    let email_attribute = account.email.clone();
    view! {
        <tr data-testid="account-row" data-email=email_attribute>
            <td class="px-4 py-3 font-medium">{account.display_name}</td>
            <td class="px-4 py-3 text-slate-600 dark:text-slate-400">{account.email}</td>
            <td class="px-4 py-3 whitespace-nowrap text-slate-600 dark:text-slate-400">
                {account.joined_on}
            </td>
            <td class="px-4 py-3">
                <Form method="GET" action="" attr:class="flex items-center gap-2">
                    <input type="hidden" name="q" value=search />
                    {after.map(|after| view! { <input type="hidden" name="after" value=after /> })}
                    <input type="hidden" name="confirm" value=account.id.to_string() />
                    <label for=select_id.clone() class="sr-only">
                        "Role"
                    </label>
                    <select
                        id=select_id
                        name="role"
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|role| {
                                view! {
                                    <option value=role.as_str() selected=role == current_role>
                                        {role.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button
                        type="submit"
                        class="rounded-md bg-indigo-600 px-3 py-1 font-semibold text-white hover:bg-indigo-500"
                    >
                        "Save"
                    </button>
                </Form>
            </td>
        </tr>
    }
}

/// Asks the admin to re-enter their password before a role changes.
#[component]
fn ConfirmRoleChange(
    account: AccountRow,
    role: Role,
    change_role: ServerAction<ChangeRole>,
    error: Signal<Option<AppError>>,
    cancel_href: String,
) -> impl IntoView {
    let question = format!(
        "Make {} ({}) {} {}?",
        account.display_name,
        account.email,
        if role == Role::Admin { "an" } else { "a" },
        role.label().to_lowercase()
    );
    view! {
        <section
            data-testid="confirm-role-change"
            aria-labelledby="confirm-role-change-title"
            class="mb-4 rounded-xl border border-amber-300 bg-amber-50 p-5 dark:border-amber-800 dark:bg-amber-950"
        >
            <h2 id="confirm-role-change-title" class="text-lg font-semibold">
                "Confirm the role change"
            </h2>
            <p class="mt-1 text-sm">{question}</p>
            <ActionForm action=change_role attr:class="mt-4 max-w-sm space-y-3" attr:novalidate=true>
                <input type="hidden" name="input[user_id]" value=account.id.to_string() />
                <input type="hidden" name="input[role]" value=role.as_str() />
                <TextField
                    label="Your password"
                    name="input[password]"
                    field="password"
                    input_type="password"
                    autocomplete="current-password"
                    hint="Enter your own password to confirm."
                    error=error
                    autofocus=true
                />
                <div class="flex items-center gap-3">
                    <button
                        type="submit"
                        disabled=move || change_role.pending().get()
                        class="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
                    >
                        "Change role"
                    </button>
                    <A
                        href=cancel_href
                        attr:class="text-sm font-semibold text-slate-600 hover:underline dark:text-slate-300"
                    >
                        "Cancel"
                    </A>
                </div>
            </ActionForm>
        </section>
    }
}

/// Percent-encodes a query-string value.
pub(crate) fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
