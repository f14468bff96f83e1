use crate::admin::AccountRow;
use crate::auth::Role;
use leptos::prelude::*;
use leptos_router::components::Form;
use strum::VariantArray;

/// One account. Picking a role and pressing Save opens the confirmation
/// (a plain GET to this page), which asks for the admin's password.
#[component]
pub(crate) fn AccountRowView(account: AccountRow, search: String, after: Option<String>) -> impl IntoView {
    let select_id = format!("role-{}", account.id);
    let current_role = account.role;
    let email_attribute = account.email.clone();
    let (email_local_part, email_domain) = match account.email.rsplit_once('@') {
        Some((local, domain)) => (local.to_owned(), format!("@{domain}")),
        None => (account.email.clone(), String::new()),
    };
    view! {
        <tr data-testid="account-row" data-email=email_attribute>
            // On a phone the email and the day joined go under the name, and
            // Save under the role when the two do not fit beside it, so that
            // the row fits a 320-pixel screen without scrolling sideways.
            <td class="px-3 py-3 sm:px-4">
                <span class="user-text font-medium">{account.display_name}</span>
                // A long address wraps at its `@` first, and mid-word only
                // when a part is wider than the screen.
                <span class="block break-words text-xs text-slate-600 sm:hidden dark:text-slate-400">
                    {email_local_part} <wbr /> {email_domain}
                </span>
                <span class="block whitespace-nowrap text-xs text-slate-600 sm:hidden dark:text-slate-400">
                    {format!("Joined {}", account.joined_on)}
                </span>
            </td>
            <td class="hidden px-4 py-3 text-slate-600 sm:table-cell dark:text-slate-400">{account.email}</td>
            <td class="hidden px-4 py-3 whitespace-nowrap text-slate-600 sm:table-cell dark:text-slate-400">
                {account.joined_on}
            </td>
            <td class="px-3 py-3 sm:px-4">
                <Form
                    method="GET"
                    action=""
                    on_form_data=std::sync::Arc::new(crate::ui::drop_nameless_field)
                    attr:class="flex flex-wrap items-center gap-2"
                >
                    <input type="hidden" name="q" value=search />
                    {after.map(|after| view! { <input type="hidden" name="after" value=after /> })}
                    <input type="hidden" name="confirm" value=account.id.to_string() />
                    <label for=select_id.clone() class="sr-only">
                        "Role"
                    </label>
                    // The property as well as each option's `selected`: once the
                    // admin has picked from it, the browser no longer follows the
                    // attribute, and the saved role would not show.
                    <select
                        id=select_id
                        name="role"
                        prop:value=current_role.as_str()
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
                    >
                        {Role::VARIANTS
                            .iter()
                            .copied()
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
