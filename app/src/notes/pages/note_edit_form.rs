use super::card_previews::CardPreviews;
use super::note_fields::NoteFields;
use super::studied_cards_question::StudiedCardsQuestion;
use crate::routes;
use crate::ui::PageTitle;
use crate::ui::{FormAction, PostForm};
use crate::{
    notes::api::{NoteForEditing, PreviewNote, UpdateNote},
    ui::{latest_save_error, FormError, SubmitButton},
    unsaved::UnsavedForm,
};
use leptos::prelude::*;

#[component]
pub(crate) fn NoteEditForm(note: NoteForEditing, unsaved: Option<UnsavedForm>) -> impl IntoView {
    let update = FormAction::<UpdateNote>::new();
    let preview = ServerAction::<PreviewNote>::new();
    let (fields, tags, unsaved_error, upload_notice) = match unsaved {
        Some(unsaved) => (unsaved.fields, unsaved.tags, unsaved.error, unsaved.notice),
        None => (note.fields.clone(), note.tags.join(" "), None, None),
    };
    let values = RwSignal::new(fields);
    let tags = RwSignal::new(tags);
    let type_name = note.note_type.name.clone();
    let note_type = Signal::stored(note.note_type);
    let save_error = latest_save_error(
        Signal::derive(move || update.value().get().and_then(Result::err)),
        update.version().into(),
        unsaved_error,
    );
    let deck_href = routes::deck(note.deck_id);
    view! {
        <PageTitle text=format!("Edit note · {} · Engram", note.deck_title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <a href=deck_href.clone() class="text-indigo-600 hover:underline dark:text-indigo-400">
                {format!("← {}", note.deck_title)}
            </a>
        </nav>
        <h1 class="mb-4 text-2xl font-bold tracking-tight">{format!("Edit {type_name} note")}</h1>
        <div class="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <PostForm action=update attr:class="min-w-0 space-y-4" attr:novalidate=true>
                <FormError error=save_error />
                <input type="hidden" name="note_id" value=note.id.to_string() />
                <NoteFields note_type values tags save_error preview upload_notice />
                <StudiedCardsQuestion error=save_error message_id="delete-studied-cards-message".to_owned() />
                <p class="text-sm text-slate-500 dark:text-slate-400">
                    "Cards that remain after the edit keep their review history."
                </p>
                <div class="flex items-center gap-3">
                    <div class="w-56">
                        <SubmitButton
                            label="Save changes"
                            pending_label="Saving…"
                            pending=update.pending()
                        />
                    </div>
                    <a href=deck_href class="text-sm text-slate-600 hover:underline dark:text-slate-400">
                        "Cancel"
                    </a>
                </div>
            </PostForm>
            <section aria-labelledby="preview-heading" class="min-w-0">
                <h2 id="preview-heading" class="mb-3 text-lg font-semibold">
                    "Preview"
                </h2>
                <CardPreviews preview />
            </section>
        </div>
    }
}
