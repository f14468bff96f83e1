use crate::admin::api::ChangeRole;
use crate::admin::AccountRow;
use crate::ui::{FormAction, PostForm};
use crate::{auth::Role, error::AppError, ui::TextField};
use leptos::prelude::*;

/// Asks the admin to re-enter their password before a role changes.
#[component]
pub(crate) fn ConfirmRoleChange(
    account: AccountRow,
    role: Role,
    change_role: FormAction<ChangeRole>,
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
            <PostForm action=change_role attr:class="mt-4 max-w-sm space-y-3" attr:novalidate=true>
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
                    <a
                        href=cancel_href
                        class="text-sm font-semibold text-slate-600 hover:underline dark:text-slate-300"
                    >
                        "Cancel"
                    </a>
                </div>
            </PostForm>
        </section>
    }
}
