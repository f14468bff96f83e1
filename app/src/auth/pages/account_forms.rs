use crate::auth::api::{CancelEmailChange, ChangeEmail, ChangePassword, RenameAccount};
use crate::auth::{User, EMAIL_CHANGE_CANCELLED, EMAIL_SAVED, NAME_SAVED, PASSWORD_SAVED};
use crate::error::AppError;
use crate::ui::{latest_save_error, saved_by, ErrorOutsideFields, Field, FieldControl, SaveRow};
use crate::ui::{FormAction, PostForm};
use crate::unsaved::UnsavedForm;
use leptos::prelude::*;

/// The actions of the account's forms, made by the page that shows them.
#[derive(Clone, Copy)]
pub struct AccountActions {
    pub rename: FormAction<RenameAccount>,
    pub change_email: FormAction<ChangeEmail>,
    pub cancel_email_change: FormAction<CancelEmailChange>,
    pub change_password: FormAction<ChangePassword>,
}

impl AccountActions {
    pub fn new() -> Self {
        AccountActions {
            rename: FormAction::new(),
            change_email: FormAction::new(),
            cancel_email_change: FormAction::new(),
            change_password: FormAction::new(),
        }
    }
}

impl Default for AccountActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The error a form shows: its action's latest answer.
fn form_error<S>(action: FormAction<S>, kept: Option<AppError>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    latest_save_error(
        Signal::derive(move || action.value().get().and_then(Result::err)),
        Signal::derive(move || action.version().get()),
        kept,
    )
}

/// What a refused form had typed in its one kept field, or else `stored`.
fn typed_or(refused: &Option<UnsavedForm>, stored: &str) -> String {
    refused
        .as_ref()
        .and_then(|refused| refused.fields.first().cloned())
        .unwrap_or_else(|| stored.to_owned())
}

/// The signed-in person's own account: the name others see, the email
/// address they log in with, and their password. Each is a form of its own,
/// so that a mistake in one loses nothing typed in another. `waiting_email`
/// is the address the account asked to move to, while the link sent there
/// waits to be opened.
#[component]
pub fn AccountForms(
    user: User,
    waiting_email: Option<String>,
    /// The name form's text and error, when it was posted without
    /// JavaScript and refused (kept in the session for this page view).
    refused_name: Option<UnsavedForm>,
    /// The same for the email form (its address; never the password).
    refused_email: Option<UnsavedForm>,
    actions: AccountActions,
) -> impl IntoView {
    let AccountActions {
        rename,
        change_email,
        cancel_email_change,
        change_password,
    } = actions;
    // The page is read again after a save, so a change that now waits for
    // its link is one that this save started.
    let current_email = user.email.clone();
    let email_saved_text = match waiting_email {
        Some(_) => "Sent. Open the link in that inbox to finish.",
        None => "Changed. Log in with this address from now on.",
    };
    let rename_error = form_error(
        rename,
        refused_name.as_ref().and_then(|refused| refused.error.clone()),
    );
    let email_error = form_error(
        change_email,
        refused_email.as_ref().and_then(|refused| refused.error.clone()),
    );
    let password_error = form_error(change_password, None);
    let cancel_error = form_error(cancel_email_change, None);
    view! {
        <section class="panel max-w-2xl" aria-labelledby="account-heading" data-testid="account-settings">
            <h2 id="account-heading" class="text-lg font-semibold">
                "Your account"
            </h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                "Your name shows on the decks and courses you share. You log in with your email address."
            </p>
            <PostForm action=rename attr:class="mt-4 grid gap-x-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2 empty:hidden">
                    <ErrorOutsideFields error=rename_error />
                </div>
                <Field
                    prefix="account"
                    field="display_name"
                    label="Name"
                    error=rename_error
                    control=FieldControl::Input
                    autocomplete="name"
                    value=typed_or(&refused_name, &user.display_name)
                    class="sm:col-span-2"
                />
                <SaveRow
                    label="Save name"
                    pending=rename.pending()
                    saved=saved_by(rename, NAME_SAVED)
                    class="sm:col-span-2"
                />
            </PostForm>
            <h3 class="mt-8 font-semibold">"Email address"</h3>
            <PostForm action=change_email attr:class="mt-2 grid gap-x-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2 empty:hidden">
                    <ErrorOutsideFields error=email_error />
                </div>
                <Field
                    prefix="account"
                    field="email"
                    label="Email address"
                    error=email_error
                    control=FieldControl::Input
                    input_type="email"
                    autocomplete="email"
                    maxlength=crate::auth::Email::MAX_LENGTH
                    value=typed_or(&refused_email, &user.email)
                />
                <Field
                    prefix="account-email"
                    field="password"
                    label="Your password, to confirm"
                    error=email_error
                    control=FieldControl::Input
                    input_type="password"
                    autocomplete="current-password"
                />
                <SaveRow
                    label="Change email"
                    pending=change_email.pending()
                    saved=saved_by(change_email, EMAIL_SAVED)
                    saved_text=email_saved_text
                    class="sm:col-span-2"
                />
            </PostForm>
            {waiting_email
                .map(move |new_email| {
                    view! { <WaitingEmailChange new_email current_email cancel=cancel_email_change /> }
                })}
            <div class="mt-2 empty:hidden">
                <ErrorOutsideFields error=cancel_error />
            </div>
            <p role="status" class="mt-2 text-sm text-emerald-700 dark:text-emerald-300">
                {move || {
                    saved_by(cancel_email_change, EMAIL_CHANGE_CANCELLED)
                        .get()
                        .then_some("Kept. The link sent to the new address no longer works.")
                }}
            </p>
            <h3 class="mt-8 font-semibold">"Password"</h3>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                "A new password signs you out on every other device; this one stays signed in."
            </p>
            <PostForm
                action=change_password
                attr:class="mt-2 grid gap-x-4 sm:grid-cols-2"
                attr:novalidate=true
            >
                <div class="sm:col-span-2 empty:hidden">
                    <ErrorOutsideFields error=password_error />
                </div>
                <Field
                    prefix="account"
                    field="current_password"
                    label="Current password"
                    error=password_error
                    control=FieldControl::Input
                    input_type="password"
                    autocomplete="current-password"
                />
                <Field
                    prefix="account"
                    field="new_password"
                    label="New password (at least 8 characters)"
                    error=password_error
                    control=FieldControl::Input
                    input_type="password"
                    autocomplete="new-password"
                />
                <SaveRow
                    label="Change password"
                    pending=change_password.pending()
                    saved=saved_by(change_password, PASSWORD_SAVED)
                    saved_text="Changed. Other devices are signed out."
                    class="sm:col-span-2"
                />
            </PostForm>
        </section>
    }
}

/// A change of address that waits for the link sent to the new one, and the
/// way to withdraw it.
#[component]
fn WaitingEmailChange(
    new_email: String,
    current_email: String,
    cancel: FormAction<CancelEmailChange>,
) -> impl IntoView {
    view! {
        <div class="alert-waiting mt-3 text-sm" data-testid="email-change-waiting">
            <p>
                "We sent a link to " <strong class="break-all">{new_email}</strong>
                ". Open it within a day to log in with that address from then on. Until then, you log in with "
                <span class="break-all">{current_email}</span> "."
            </p>
            <PostForm action=cancel attr:class="mt-2">
                <button
                    type="submit"
                    class="font-semibold underline hover:no-underline"
                    disabled=move || cancel.pending().get()
                >
                    "Keep my current address"
                </button>
            </PostForm>
        </div>
    }
}
