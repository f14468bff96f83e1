use super::optimise_section::OptimiseSection;
use super::study_days_form::StudyDaysForm;
use crate::auth::pages::{use_auth, AccountActions, AccountForms};
use crate::profile::api::{load_settings, SaveStudyDays};
use crate::ui::{saves, Loaded, PageTitle};
use leptos::prelude::*;

/// `/settings`: the signed-in person's own settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveStudyDays>::new();
    let account = AccountActions::new();
    // Reloaded after a save, not after a refusal (`ui::saves`): the account's
    // forms then show what is stored, and the password fields are empty.
    let study_days_saves = saves(save);
    let account_saves = (
        saves(account.rename),
        saves(account.change_email),
        saves(account.change_password),
    );
    let page = crate::ui::page_data(
        move || {
            (
                study_days_saves.get(),
                account_saves.0.get(),
                account_saves.1.get(),
                account_saves.2.get(),
            )
        },
        |_| load_settings(),
    );
    // The nav shows the account's name: read again once one of its forms saved.
    let auth = use_auth();
    Effect::watch(
        move || {
            (
                account_saves.0.get(),
                account_saves.1.get(),
                account_saves.2.get(),
            )
        },
        move |_, _, _| auth.user.refetch(),
        false,
    );
    view! {
        <PageTitle text="Settings · Engram" />
        <h1 class="mb-6 text-2xl font-bold tracking-tight sm:text-3xl">"Settings"</h1>
        <Loaded data=page loading="Loading your settings…" let:page>
            <div class="space-y-6">
                <AccountForms user=page.account.clone() actions=account />
                <StudyDaysForm page save />
            </div>
        </Loaded>
        <OptimiseSection />
    }
}
