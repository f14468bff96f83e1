use super::context::{action_error, card_class};
use crate::auth::{api::RequestPasswordReset, Email, RESET_LINK_SENT};
use crate::routes;
use crate::ui::{FormAction, PostForm};
use crate::ui::{FormError, PageHeader, PageTitle, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where someone who forgot their password asks for a link to choose a new
/// one. Once asked, the page says where the link went and keeps the form,
/// to send again or to mend a mistyped address.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = FormAction::<RequestPasswordReset>::new();
    let error = action_error(request);
    // Without JavaScript, a sent form comes back with `sent` in the address,
    // and a refused one with the address typed (see `api::request_password_reset`).
    let (sent_before, typed_email) =
        use_query_map().with_untracked(|query| (query.get(RESET_LINK_SENT).is_some(), query.get("email")));
    let sent = move || match request.value().get() {
        Some(answer) => answer.is_ok(),
        None => sent_before,
    };
    view! {
        <PageTitle text="Forgot your password · Engram" />
        <div class=card_class()>
            <PageHeader
                title="Forgot your password?".into()
                subtitle="Enter the email address you log in with, and we will send you a link to choose a new password."
                    .into()
            />
            <Show when=sent>
                <div role="status" data-testid="reset-link-sent" class="alert-success mb-4 text-sm">
                    <p class="font-semibold">"Check your email."</p>
                    <p class="mt-1">
                        "If an account uses that address, a link is on its way to it. The link works once, within an hour. Nothing after a few minutes? Look in your spam folder, or send it again."
                    </p>
                </div>
            </Show>
            <PostForm action=request attr:class="space-y-4" attr:novalidate=true>
                <FormError error=error />
                <TextField
                    label="Email"
                    name="input[email]"
                    field="email"
                    input_type="email"
                    autocomplete="email"
                    maxlength=Email::MAX_LENGTH
                    error=error
                    autofocus=true
                    value=typed_email
                />
                <SubmitButton label="Send me a link" pending_label="Sending…" pending=request.pending() />
            </PostForm>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "Remembered it? "
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
