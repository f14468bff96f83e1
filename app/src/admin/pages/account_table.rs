use super::account_row_view::AccountRowView;
use super::confirm_role_change::ConfirmRoleChange;
use super::pending_change::PendingChange;
use crate::admin::api::ChangeRole;
use crate::admin::AccountPage;
use crate::error::AppError;
use crate::routes;
use crate::ui::FormAction;
use leptos::prelude::*;

#[component]
pub(crate) fn AccountTable(
    page: AccountPage,
    change_role: FormAction<ChangeRole>,
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
        let cancel_href = routes::admin_accounts(&search, None);
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
        let href = routes::admin_accounts(&search, Some(&after));
        view! {
            <a href=href class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400">
                "Next page →"
            </a>
        }
    });
    view! {
        {confirmation}
        <div class="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left dark:bg-slate-900">
                    <tr>
                        <th scope="col" class="px-3 py-3 font-semibold sm:px-4">
                            "Name"
                        </th>
                        <th scope="col" class="hidden px-4 py-3 font-semibold sm:table-cell">
                            "Email"
                        </th>
                        <th scope="col" class="hidden px-4 py-3 font-semibold sm:table-cell">
                            "Joined"
                        </th>
                        <th scope="col" class="px-3 py-3 font-semibold sm:px-4">
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
