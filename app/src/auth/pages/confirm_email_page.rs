use super::context::{action_error, card_class, use_auth};
use crate::auth::{
    api::{email_change_link, ConfirmEmailChange},
    EMAIL_CONFIRMED,
};
use crate::routes;
use crate::ui::{field_message, page_data, ErrorOutsideFields, Loaded, PageHeader, PageTitle, SubmitButton};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page a link that confirms an account's new address opens: one button
/// that moves the account (opening the link changes nothing by itself, so a
/// mail scanner that follows links moves no one), or, for a link that no
/// longer works, the way to ask again.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = query
        .with_untracked(|query| query.get("token"))
        .unwrap_or_default();
    // After a post without JavaScript, the address says the account moved.
    let confirmed_before = query.with_untracked(|query| query.get(EMAIL_CONFIRMED).is_some());
    let addresses = page_data(
        {
            let token = token.clone();
            move || token.clone()
        },
        email_change_link,
    );
    view! {
        <PageTitle text="Confirm your new email address · Engram" />
        <div class=card_class()>
            {match confirmed_before {
                true => view! { <AddressChanged /> }.into_any(),
                false => {
                    view! {
                        <Loaded data=addresses loading="Checking your link…" let:addresses>
                            {match addresses {
                                Some((old_email, new_email)) => {
                                    view! { <ConfirmForm token=token.clone() old_email new_email /> }
                                        .into_any()
                                }
                                None => view! { <LinkNoLongerWorks /> }.into_any(),
                            }}
                        </Loaded>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn ConfirmForm(token: String, old_email: String, new_email: String) -> impl IntoView {
    let confirm = FormAction::<ConfirmEmailChange>::new();
    let moved = move || matches!(confirm.value().get(), Some(Ok(())));
    // The nav and the settings page read the account again, at its new address.
    let auth = use_auth();
    Effect::new(move |_| {
        if moved() {
            auth.user.refetch();
        }
    });
    view! {
        <Show
            when=moved
            fallback=move || {
                view! {
                    <ConfirmButton
                        token=token.clone()
                        old_email=old_email.clone()
                        new_email=new_email.clone()
                        confirm
                    />
                }
            }
        >
            <AddressChanged />
        </Show>
    }
}

#[component]
fn ConfirmButton(
    token: String,
    old_email: String,
    new_email: String,
    confirm: FormAction<ConfirmEmailChange>,
) -> impl IntoView {
    let error = action_error(confirm);
    let link_refused = field_message(error, "token");
    view! {
        <PageHeader
            title="Confirm your new email address".into()
            subtitle=format!("The Engram account {old_email} will log in with {new_email} from now on.")
        />
        <PostForm action=confirm attr:class="space-y-4">
            <ErrorOutsideFields error=error />
            {move || {
                link_refused()
                    .map(|message| {
                        view! {
                            <div role="alert" data-testid="email-link-refused" class="alert-error text-sm">
                                <p>{message}</p>
                                <a href=routes::SETTINGS class="mt-1 inline-block font-semibold underline">
                                    "Go to your settings"
                                </a>
                            </div>
                        }
                    })
            }}
            <input type="hidden" name="token" value=token />
            <SubmitButton
                label="Confirm new address"
                pending_label="Confirming…"
                pending=confirm.pending()
            />
        </PostForm>
        <p class="mt-6 text-sm text-slate-600 dark:text-slate-400">
            "Did not ask for this? Close this page: nothing changes."
        </p>
    }
}

#[component]
fn AddressChanged() -> impl IntoView {
    view! {
        <div data-testid="email-confirmed" role="status">
            <PageHeader
                title="Your email address has changed".into()
                subtitle="Log in with the new address from now on. Engram sends its email there, and told the old address of the change."
                    .into()
            />
            <a href=routes::DASHBOARD class="button-primary flex w-full justify-center">
                "Continue to Engram"
            </a>
        </div>
    }
}

#[component]
fn LinkNoLongerWorks() -> impl IntoView {
    view! {
        <div data-testid="email-link-expired">
            <PageHeader
                title="This link no longer works".into()
                subtitle="It has expired, it has been used, a newer one was sent, the password has changed, or another account now has that address. Change the address again from your settings to get a new link."
                    .into()
            />
            <a href=routes::SETTINGS class="button-primary flex w-full justify-center">
                "Go to your settings"
            </a>
        </div>
    }
}
