use crate::study::{
    api::SaveDeckPreset,
    preset::{PresetInput, StudyPreset},
};
use crate::ui::{latest_save_error, saved_by, Field, FieldControl, FormError, SaveRow};
use crate::ui::{FormAction, PostForm};
use crate::unsaved::UnsavedForm;
use leptos::prelude::*;
use uuid::Uuid;

/// "Study options": how a top-level deck and its subdecks are studied, for
/// everyone who studies them. Shown to the deck's author.
#[component]
pub fn DeckPresetForm(
    deck_id: Uuid,
    preset: StudyPreset,
    /// What a refused save kept (without JavaScript): the form starts from it.
    unsaved: Option<UnsavedForm>,
    save: FormAction<SaveDeckPreset>,
) -> impl IntoView {
    let (typed, kept_error) = match unsaved {
        Some(kept) => (PresetInput::from_typed_fields(kept.fields), kept.error),
        None => (None, None),
    };
    let error = latest_save_error(
        Signal::derive(move || save.value().get().and_then(Result::err)),
        save.version().into(),
        kept_error,
    );
    let saved = saved_by(save, crate::study::STUDY_OPTIONS_SAVED);
    let current = typed.unwrap_or_else(|| PresetInput::from_preset(&preset));
    let field = move |name: &'static str, label: &'static str, value: String| {
        view! { <Field prefix="preset" field=name label error control=FieldControl::Input value maxlength=64 /> }
    };
    view! {
        // Open after a failed save (with its messages) or a successful one
        // (with its "Saved."), also once the deck reloads and this is rebuilt.
        <details
            class="panel mb-8"
            data-testid="study-options"
            open=move || error.get().is_some() || saved.get()
        >
            <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                "Study options"
            </summary>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-400">
                "For everyone who studies this deck and its subdecks."
            </p>
            <PostForm action=save attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                {field("new_cards_per_day", "New cards a day", current.new_cards_per_day)}
                {field("reviews_per_day", "Reviews a day", current.reviews_per_day)}
                {field("learning_steps", "Learning steps", current.learning_steps)}
                {field("relearning_steps", "Relearning steps", current.relearning_steps)}
                {field("desired_retention", "Desired retention (0.70–0.99)", current.desired_retention)}
                {field("maximum_interval_days", "Maximum interval (days)", current.maximum_interval_days)}
                {field("leech_threshold", "Leech after this many lapses (0: never)", current.leech_threshold)}
                <Field
                    prefix="preset"
                    field="leech_action"
                    label="A leech is"
                    error
                    control=FieldControl::Select(
                        vec![
                            ("mark".to_owned(), "marked".to_owned()),
                            ("suspend".to_owned(), "marked and suspended".to_owned()),
                        ],
                    )
                    value=current.leech_action
                />
                <div class="sm:col-span-2">
                    <label class="flex items-center gap-2 text-sm">
                        <input
                            type="checkbox"
                            name="input[bury_siblings]"
                            checked=current.bury_siblings.is_some()
                            class="h-4 w-4"
                        />
                        "Bury siblings: after one card of a note, its other cards wait until the next day"
                    </label>
                </div>
                <div class="sm:col-span-2">
                    <FormError error />
                </div>
                <SaveRow label="Save options" pending=save.pending() saved class="sm:col-span-2" />
            </PostForm>
        </details>
    }
    .into_any()
}
