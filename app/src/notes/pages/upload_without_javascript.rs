use crate::{
    error::AppError,
    media::FORM_FILE_FIELD,
    note_types::NoteTypeOption,
    ui::{field_message, FieldMessage},
};
use leptos::prelude::*;

/// Without JavaScript, a file is added to a note by sending the whole note
/// form, file included, to `/media/attach`, which keeps the note and adds
/// the file's embed text to the chosen field (see `media::http`). Once the
/// page is hydrated, the drop zones do this instead, and these controls are
/// hidden and disabled, so the hydrated form never sends them.
#[component]
pub(crate) fn UploadWithoutJavaScript(
    note_type: Signal<NoteTypeOption>,
    save_error: Signal<Option<AppError>>,
    notice: Option<String>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let message = Signal::derive(field_message(save_error, FORM_FILE_FIELD));
    view! {
        <fieldset class="no-js-only min-w-0 rounded-lg border border-dashed border-slate-300 p-3 text-sm dark:border-slate-600">
            <legend class="px-1 font-medium text-slate-700 dark:text-slate-200">"Add image or audio"</legend>
            <div class="flex flex-wrap items-end gap-3">
                <div class="min-w-0">
                    <label for="media-upload" class="sr-only">
                        "File"
                    </label>
                    <input
                        id="media-upload"
                        type="file"
                        name=FORM_FILE_FIELD
                        accept="image/png,image/jpeg,image/gif,image/webp,image/avif,audio/*"
                        aria-describedby="media-upload-message"
                        disabled=move || hydrated.get()
                        class="max-w-full text-slate-700 dark:text-slate-200"
                    />
                </div>
                <div class="min-w-0 max-w-full">
                    <label for="media-field" class="field-label">
                        "into"
                    </label>
                    <select
                        id="media-field"
                        name="media_field"
                        class="field-input"
                        disabled=move || hydrated.get()
                    >
                        {move || {
                            note_type
                                .get()
                                .shape
                                .fields
                                .into_iter()
                                .enumerate()
                                .map(|(index, name)| {
                                    view! { <option value=index.to_string()>{name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button
                    type="submit"
                    formaction="/media/attach"
                    formenctype="multipart/form-data"
                    formmethod="post"
                    formnovalidate=true
                    disabled=move || hydrated.get()
                    class="rounded-lg border border-indigo-600 px-3 py-2 font-medium text-indigo-700 hover:bg-indigo-50 dark:border-indigo-400 dark:text-indigo-300 dark:hover:bg-slate-800"
                >
                    "Upload"
                </button>
            </div>
            <p class="mt-2 text-slate-500 dark:text-slate-400">"Uploading keeps what you have typed."</p>
            <FieldMessage message id="media-upload-message".to_owned() />
            <p role="status" class="text-emerald-700 dark:text-emerald-300" data-testid="upload-notice">
                {notice}
            </p>
        </fieldset>
    }
}
