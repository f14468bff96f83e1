use crate::profile::{api::SaveStudyDays, hour_label, SettingsPageData, STUDY_DAYS_SAVED};
use crate::ui::{latest_save_error, saved_by, ErrorOutsideFields, Field, FieldControl, SaveRow};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;

/// Where study days begin: the learner's time zone and the hour a new day
/// starts. A late night still counts as the day before until then.
#[component]
pub fn StudyDaysForm(page: SettingsPageData, save: FormAction<SaveStudyDays>) -> impl IntoView {
    let error = latest_save_error(
        Signal::derive(move || save.value().get().and_then(Result::err)),
        Signal::derive(move || save.version().get()),
        None,
    );
    let saved = saved_by(save, STUDY_DAYS_SAVED);
    let days = page.study_days;
    let zones: Vec<(String, String)> = page
        .time_zones
        .into_iter()
        .map(|zone| (zone.clone(), zone.replace('_', " ")))
        .collect();
    let hours: Vec<(String, String)> = (0..24u8)
        .map(|hour| (hour.to_string(), hour_label(hour)))
        .collect();
    view! {
        <section class="panel max-w-2xl" aria-labelledby="study-days-heading">
            <h2 id="study-days-heading" class="text-lg font-semibold">
                "Study days"
            </h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                "Cards fall due by your own days. A new day begins at the hour you choose, in your time zone, so a late session still counts as the day before."
            </p>
            <PostForm action=save attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                // A save that did not reach the server, or found the session
                // gone, says so: those errors belong to no field.
                <div class="sm:col-span-2 empty:hidden">
                    <ErrorOutsideFields error />
                </div>
                <Field
                    prefix="settings"
                    field="time_zone"
                    label="Time zone"
                    error
                    control=FieldControl::Select(zones)
                    value=days.time_zone.clone().unwrap_or_else(|| "UTC".to_owned())
                />
                <Field
                    prefix="settings"
                    field="day_starts_at"
                    label="A new day starts at"
                    error
                    control=FieldControl::Select(hours)
                    value=days.day_starts_at.to_string()
                />
                <SaveRow label="Save" pending=save.pending() saved class="sm:col-span-2" />
            </PostForm>
        </section>
    }
}
