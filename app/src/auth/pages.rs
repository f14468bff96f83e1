//! Sign-up and login pages, and the account state every page can read.

use crate::ui::PageTitle;
use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, A},
    hooks::{use_query_map, use_url},
};

use super::{
    api::{current_user, Login, Logout, Register},
    Password, User,
};
use crate::{
    error::AppError,
    ui::{FormError, PageHeader, SubmitButton, TextField},
};

/// The account actions and the signed-in user, shared through context.
/// The user is refetched whenever one of the actions completes.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<User>, AppError>>,
}

/// Creates the account actions. Must run inside the `<Router>` so that an
/// error from a form posted without JavaScript is picked up from the URL.
pub fn provide_auth() -> AuthContext {
    // `<Routes>` makes a form error from the URL visible only to actions
    // created beneath it; these sit above it, so they need it sooner.
    use_url().read_untracked().provide_server_action_error();
    let login = ServerAction::<Login>::new();
    let register = ServerAction::<Register>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(
        move || {
            (
                login.version().get(),
                register.version().get(),
                logout.version().get(),
            )
        },
        |_| current_user(),
    );
    let auth = AuthContext {
        login,
        register,
        logout,
        user,
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> AuthContext {
    expect_context::<AuthContext>()
}

/// The latest error of an action, as a signal for form fields.
fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Sends someone who is already signed in on to their dashboard. Pages are
/// rendered whole before the response starts, so without JavaScript this is
/// an HTTP redirect; in the browser it also follows a login or sign-up.
#[component]
fn RedirectIfSignedIn() -> impl IntoView {
    let user = use_auth().user;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path="/dashboard" /> })
            })}
        </Transition>
    }
}

fn card_class() -> &'static str {
    "mx-auto w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8 \
     dark:border-slate-800 dark:bg-slate-900"
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = use_auth().login;
    let error = action_error(login);
    view! {
        <PageTitle text="Log in · Engram" />
        <RedirectIfSignedIn />
        <div class=card_class()>
            <PageHeader title="Log in".into() subtitle="Welcome back to your decks and courses.".into() />
            <ActionForm action=login attr:class="space-y-4" attr:novalidate=true>
                <FormError error=error />
                <TextField
                    label="Email"
                    name="input[email]"
                    field="email"
                    input_type="email"
                    autocomplete="email"
                    error=error
                    autofocus=true
                />
                <TextField
                    label="Password"
                    name="input[password]"
                    field="password"
                    input_type="password"
                    autocomplete="current-password"
                    error=error
                />
                <SubmitButton label="Log in" pending_label="Logging in…" pending=login.pending() />
            </ActionForm>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "New to Engram? "
                <A
                    href="/register"
                    attr:class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400"
                >
                    "Create an account"
                </A>
            </p>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = use_auth().register;
    let error = action_error(register);
    // After an error without JavaScript, the form comes back with what was
    // typed in the address (see `api::register`); the password never is.
    let submitted = use_query_map().get_untracked();
    view! {
        <PageTitle text="Sign up · Engram" />
        <RedirectIfSignedIn />
        <div class=card_class()>
            <PageHeader
                title="Create your account".into()
                subtitle="Write flashcards, share decks and follow courses.".into()
            />
            <ActionForm action=register attr:class="space-y-4" attr:novalidate=true>
                <FormError error=error />
                <TextField
                    label="Email"
                    name="input[email]"
                    field="email"
                    input_type="email"
                    autocomplete="email"
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
                    hint="At least 8 characters. Avoid common passwords."
                    minlength=Password::MIN_CHARS
                    maxlength=Password::MAX_CHARS
                    error=error
                />
                <SubmitButton
                    label="Create account"
                    pending_label="Creating account…"
                    pending=register.pending()
                />
            </ActionForm>
            <p class="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
                "Already have an account? "
                <A
                    href="/login"
                    attr:class="font-semibold text-indigo-600 hover:underline dark:text-indigo-400"
                >
                    "Log in"
                </A>
            </p>
        </div>
    }
}
