use super::context::{action_error, card_class, use_auth};
use crate::auth::{
    api::{reset_link_account, ResetPassword},
    Password,
};
use crate::routes;
use crate::ui::{
    field_message, page_data, ErrorOutsideFields, Loaded, PageHeader, PageTitle, SubmitButton, TextField,
};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page a password-reset link opens: a new password for the account, or,
/// for a link that no longer works, a way to ask for another.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_query_map()
        .with_untracked(|query| query.get("token"))
        .unwrap_or_default();
    let account = page_data(
        {
            let token = token.clone();
            move || token.clone()
        },
        reset_link_account,
    );
    view! {
        <PageTitle text="Choose a new password · Engram" />
        <div class=card_class()>
            <Loaded data=account loading="Checking your link…" let:email>
                {match email {
                    Some(email) => view! { <NewPasswordForm token=token.clone() email /> }.into_any(),
                    None => view! { <LinkNoLongerWorks /> }.into_any(),
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn NewPasswordForm(token: String, email: String) -> impl IntoView {
    let reset = FormAction::<ResetPassword>::new();
    let error = action_error(reset);
    let link_refused = field_message(error, "token");
    // The server signs this browser in and sends it to the dashboard; the
    // app reads the account again, as after a login.
    let auth = use_auth();
    Effect::new(move |_| {
        if matches!(reset.value().get(), Some(Ok(()))) {
            auth.user.refetch();
        }
    });
    view! {
        <PageHeader title="Choose a new password".into() subtitle=format!("For the account {email}.") />
        <PostForm action=reset attr:class="space-y-4" attr:novalidate=true>
            <ErrorOutsideFields error=error />
            {move || {
                link_refused()
                    .map(|message| {
                        view! {
                            <div role="alert" data-testid="reset-link-refused" class="alert-error text-sm">
                                <p>{message}</p>
                                <a
                                    href=routes::FORGOT_PASSWORD
                                    class="mt-1 inline-block font-semibold underline"
                                >
                                    "Ask for a new link"
                                </a>
                            </div>
                        }
                    })
            }}
            <input type="hidden" name="input[token]" value=token />
            // Password managers save the new password under this address.
            // It has no name, so the form does not send it.
            <input type="email" autocomplete="username" value=email readonly hidden />
            <TextField
                label="New password"
                name="input[password]"
                field="password"
                input_type="password"
                autocomplete="new-password"
                hint="At least 8 characters, and not a common password."
                minlength=Password::MIN_CHARS
                maxlength=Password::MAX_CHARS
                error=error
                autofocus=true
            />
            <SubmitButton label="Save and log in" pending_label="Saving…" pending=reset.pending() />
        </PostForm>
        <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">
            "Every device signed in to this account is signed out when the new password is saved."
        </p>
    }
}

#[component]
fn LinkNoLongerWorks() -> impl IntoView {
    view! {
        <div data-testid="reset-link-expired">
            <PageHeader
                title="This link no longer works".into()
                subtitle="It has expired, it has been used, or the password has changed since it was sent. Ask for a new one, and use the newest link you receive."
                    .into()
            />
            <a href=routes::FORGOT_PASSWORD class="button-primary flex w-full justify-center">
                "Ask for a new link"
            </a>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "Remembered your password? "
                <a
                    href=routes::LOGIN
                    class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400"
                >
                    "Log in"
                </a>
            </p>
        </div>
    }
}
