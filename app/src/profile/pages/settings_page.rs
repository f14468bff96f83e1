use super::optimise_section::OptimiseSection;
use super::study_days_form::StudyDaysForm;
use crate::auth::pages::{use_auth, AccountActions, AccountForms};
use crate::auth::{EMAIL_CHANGE_CANCELLED, EMAIL_SAVED, NAME_SAVED, PASSWORD_SAVED};
use crate::profile::api::{load_settings, SaveStudyDays};
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{saves, Loaded, PageTitle};
use crate::unsaved::{self, take_waiting, waiting_form};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, NavigateOptions};

/// `/settings`: the signed-in person's own settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = FormAction::<SaveStudyDays>::new();
    let account = AccountActions::new();
    // Reloaded after a save, not after a refusal (`ui::saves`): the account's
    // forms then show what is stored, and the password fields are empty.
    let study_days_saves = saves(save);
    let account_saves = (
        saves(account.rename),
        saves(account.change_email),
        saves(account.change_password),
        saves(account.cancel_email_change),
    );
    // Without JavaScript, an account form that was refused comes back with
    // what was typed in it (the session kept it), read with the page's data.
    let waiting = waiting_form(&use_query_map().read_untracked(), |query| {
        query
            .get(unsaved::ACCOUNT_FORM_PARAMETER)
            .map(|form| unsaved::account_form(&form))
    });
    let page = crate::ui::page_data(
        move || {
            (
                study_days_saves.get(),
                account_saves.0.get(),
                account_saves.1.get(),
                account_saves.2.get(),
                account_saves.3.get(),
            )
        },
        move |_| {
            let waiting = waiting.clone();
            async move {
                let refused = take_waiting(waiting.clone())
                    .await
                    .and_then(|typed| Some((waiting?, typed)));
                load_settings().await.map(|page| (page, refused))
            }
        },
    );
    // The nav shows the account's name, so the account is read again once
    // one of its forms saved. Every signed-in page is made anew when the
    // account is read (`SignedInOnly`), and a new page's actions have said
    // nothing yet: the address says which form saved, as it does after a
    // post without JavaScript, and the new page's form says "Saved." from it.
    let auth = use_auth();
    let navigate = leptos_router::hooks::use_navigate();
    for (form_saves, form) in [
        (account_saves.0, NAME_SAVED),
        (account_saves.1, EMAIL_SAVED),
        (account_saves.2, PASSWORD_SAVED),
        (account_saves.3, EMAIL_CHANGE_CANCELLED),
    ] {
        let navigate = navigate.clone();
        Effect::watch(
            move || form_saves.get(),
            move |_, _, _| {
                navigate(
                    &routes::saying_saved(routes::SETTINGS, form),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
                auth.user.refetch();
            },
            false,
        );
    }
    view! {
        <PageTitle text="Settings · Engram" />
        <h1 class="mb-6 text-2xl font-bold tracking-tight sm:text-3xl">"Settings"</h1>
        <Loaded data=page loading="Loading your settings…" let:loaded>
            {
                let (page, refused) = loaded;
                let refused_in = |form: &str| {
                    refused
                        .clone()
                        .filter(|(waiting, _)| *waiting == unsaved::account_form(form))
                        .map(|(_, typed)| typed)
                };
                view! {
                    <div class="space-y-6">
                        <AccountForms
                            user=page.account.clone()
                            waiting_email=page.waiting_email.clone()
                            refused_name=refused_in("name")
                            refused_email=refused_in("email")
                            actions=account
                        />
                        <StudyDaysForm page save />
                    </div>
                }
            }
        </Loaded>
        <OptimiseSection />
    }
}
