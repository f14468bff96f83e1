use super::context::{action_error, card_class, page_to_return_to, use_auth};
use super::redirect_if_signed_in::RedirectIfSignedIn;
use crate::routes;
use crate::ui::PageTitle;
use crate::ui::PostForm;
use crate::ui::{FormError, PageHeader, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = use_auth().login;
    let error = action_error(login);
    let next = page_to_return_to();
    // After a failed login without JavaScript, the email comes back in the
    // address (see `api::login`); the password never does.
    let submitted_email = use_query_map().with_untracked(|query| query.get("email"));
    // A refused password is cleared and the cursor put back in its field,
    // as a plain post does by loading the form again.
    Effect::new(move |_| {
        if matches!(login.value().get(), Some(Err(_))) {
            clear_refused_password();
        }
    });
    // After a refused login, the address comes along to the form that sends
    // a reset link.
    let forgot_password_href = routes::forgot_password_for(submitted_email.as_deref().unwrap_or_default());
    let register_href = next
        .as_deref()
        .map_or_else(|| routes::REGISTER.to_owned(), routes::register_then);
    view! {
        <PageTitle text="Log in · Engram" />
        <RedirectIfSignedIn />
        <div class=card_class()>
            <PageHeader title="Log in".into() subtitle="Welcome back to your decks and courses.".into() />
            <PostForm action=login attr:class="space-y-4" attr:novalidate=true>
                <FormError error=error />
                {next.map(|next| view! { <input type="hidden" name="input[next]" value=next /> })}
                <TextField
                    label="Email"
                    name="input[email]"
                    field="email"
                    input_type="email"
                    autocomplete="email"
                    error=error
                    autofocus=true
                    value=submitted_email
                />
                <TextField
                    label="Password"
                    name="input[password]"
                    field="password"
                    input_type="password"
                    autocomplete="current-password"
                    error=error
                />
                <p class="-mt-2 text-right text-sm">
                    <a href=forgot_password_href class="text-link">
                        "Forgot your password?"
                    </a>
                </p>
                <SubmitButton label="Log in" pending_label="Logging in…" pending=login.pending() />
            </PostForm>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "New to Engram? "
                <a
                    href=register_href
                    class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400"
                >
                    "Create an account"
                </a>
            </p>
        </div>
    }
}

fn clear_refused_password() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(password) = document()
            .get_element_by_id("field-password")
            .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        {
            password.set_value("");
            let _ = password.focus();
        }
    }
}
