use super::context::{action_error, card_class, page_to_return_to, use_auth};
use super::redirect_if_signed_in::RedirectIfSignedIn;
use crate::auth::{Email, Password};
use crate::routes;
use crate::ui::PageTitle;
use crate::ui::PostForm;
use crate::ui::{FormError, PageHeader, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = use_auth().register;
    let error = action_error(register);
    // After an error without JavaScript, the form comes back with what was
    // typed in the address (see `api::register`); the password never is.
    let submitted = use_query_map().get_untracked();
    let next = page_to_return_to();
    let login_href = next
        .as_deref()
        .map_or_else(|| routes::LOGIN.to_owned(), routes::login_then);
    view! {
        <PageTitle text="Sign up · Engram" />
        <RedirectIfSignedIn />
        <div class=card_class()>
            <PageHeader
                title="Create your account".into()
                subtitle="Write flashcards, share decks and follow courses.".into()
            />
            <PostForm action=register attr:class="space-y-4" attr:novalidate=true>
                <FormError error=error />
                {next.map(|next| view! { <input type="hidden" name="input[next]" value=next /> })}
                <TextField
                    label="Email"
                    name="input[email]"
                    field="email"
                    input_type="email"
                    autocomplete="email"
                    maxlength=Email::MAX_LENGTH
                    error=error
                    autofocus=true
                    value=submitted.get("email")
                />
                <TextField
                    label="Display name"
                    name="input[display_name]"
                    field="display_name"
                    autocomplete="nickname"
                    hint="Shown to your teachers and classmates."
                    maxlength=64
                    error=error
                    value=submitted.get("display_name")
                />
                <TextField
                    label="Password"
                    name="input[password]"
                    field="password"
                    input_type="password"
                    autocomplete="new-password"
                    hint="At least 8 characters, and not a common password."
                    minlength=Password::MIN_CHARS
                    maxlength=Password::MAX_CHARS
                    error=error
                />
                <SubmitButton
                    label="Create account"
                    pending_label="Creating account…"
                    pending=register.pending()
                />
            </PostForm>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "Already have an account? "
                <a href=login_href class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400">
                    "Log in"
                </a>
            </p>
        </div>
    }
}
