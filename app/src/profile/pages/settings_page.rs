use super::optimise_section::OptimiseSection;
use super::study_days_form::StudyDaysForm;
use crate::profile::api::{load_settings, SaveStudyDays};
use crate::ui::{saves, Loaded, PageTitle};
use leptos::prelude::*;

/// `/settings`: the signed-in person's own settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveStudyDays>::new();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let save_saves = saves(save);
    let page = crate::ui::page_data(move || save_saves.get(), |_| load_settings());
    view! {
        <PageTitle text="Settings · Engram" />
        <h1 class="mb-6 text-2xl font-bold tracking-tight sm:text-3xl">"Settings"</h1>
        <Loaded data=page loading="Loading your settings…" let:page>
            <StudyDaysForm page save />
        </Loaded>
        <OptimiseSection />
    }
}
