use super::note_type_fields::NoteTypeFields;
use super::note_types_page::SentToType;
use crate::error::AppError;
use crate::note_types::{
    api::{DeleteNoteType, UpdateNoteType},
    CustomNoteType, NoteTypeInput, TemplateInput,
};
use crate::ui::plural;
use crate::ui::{FormAction, PostForm};
use crate::{
    note_types::template::NoteKind,
    ui::{FormError, SaveRow},
};
use leptos::prelude::*;
use uuid::Uuid;

fn summary_text(note_type: &CustomNoteType) -> String {
    let cards = match (note_type.shape.kind, note_type.shape.templates.len()) {
        (NoteKind::Cloze, _) => "one card per cloze deletion".to_owned(),
        (_, count) => plural(count as i64, "card", "cards"),
    };
    let notes = match note_type.note_count {
        0 => "no notes yet".to_owned(),
        count => format!("used by {}", plural(count, "note", "notes")),
    };
    format!("{} · {cards} · {notes}", note_type.shape.fields.join(", "))
}

#[component]
pub(crate) fn OwnNoteType(
    note_type: CustomNoteType,
    refresh: RwSignal<u32>,
    /// The type saved last, which says so; the page's, since a save reloads
    /// the list and builds every row anew.
    last_saved: RwSignal<Option<Uuid>>,
    sent: SentToType,
) -> impl IntoView {
    // Each row has its own actions, so its messages stay next to its form.
    let update = FormAction::<UpdateNoteType>::new();
    let delete = FormAction::<DeleteNoteType>::new();
    let id = note_type.id;
    Effect::new(move |_| match update.value().get() {
        Some(Ok(())) => {
            last_saved.set(Some(id));
            refresh.update(|count| *count += 1);
        }
        Some(Err(_)) if last_saved.get_untracked() == Some(id) => last_saved.set(None),
        _ => {}
    });
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            refresh.update(|count| *count += 1);
        }
    });
    let summary = summary_text(&note_type);
    let in_use = note_type.note_count > 0;
    let stored = NoteTypeInput {
        name: note_type.name.clone(),
        kind: match note_type.shape.kind {
            NoteKind::Standard => "standard".into(),
            NoteKind::Cloze => "cloze".into(),
        },
        fields: note_type.shape.fields.join("\n"),
        templates: note_type
            .shape
            .templates
            .iter()
            .map(|template| TemplateInput {
                name: template.name.clone(),
                front: template.front.clone(),
                back: template.back.clone(),
            })
            .collect(),
        delete_studied_cards: false,
    };
    let input = sent.typed.unwrap_or(stored);
    // A form posted without JavaScript comes back with its error in the
    // address, which every row's action starts out holding: it is this
    // row's only if this row's form was the one sent.
    let sent_here = sent.sent_here;
    let error_of = move |version: usize, answer: Option<Result<(), AppError>>| {
        answer.and_then(Result::err).filter(|_| version > 0 || sent_here)
    };
    let error = Signal::derive(move || error_of(update.version().get(), update.value().get()));
    let delete_error = Signal::derive(move || error_of(delete.version().get(), delete.value().get()));
    let saved = Signal::derive(move || last_saved.get() == Some(id));
    view! {
        <li class="panel" data-testid="note-type">
            <details open=move || error.get().is_some() || delete_error.get().is_some() || saved.get()>
                <summary class="cursor-pointer">
                    <span class="font-semibold">{note_type.name.clone()}</span>
                    <span class="ml-2 text-sm text-slate-600 dark:text-slate-400">{summary}</span>
                </summary>
                <PostForm action=update attr:class="mt-4 space-y-4" attr:novalidate=true>
                    <input type="hidden" name="note_type_id" value=id.to_string() />
                    <NoteTypeFields prefix=format!("edit-{id}") input error />
                    {in_use
                        .then(|| {
                            view! {
                                <p class="text-sm text-slate-600 dark:text-slate-400">
                                    "Saving regenerates the cards of every note of this type; cards that remain keep their review history."
                                </p>
                            }
                        })}
                    <SaveRow label="Save changes" pending=update.pending() saved />
                </PostForm>
                <PostForm
                    action=delete
                    attr:class="mt-4 border-t border-slate-200 pt-4 dark:border-slate-800"
                >
                    <input type="hidden" name="note_type_id" value=id.to_string() />
                    <FormError error=delete_error />
                    <button
                        type="submit"
                        disabled=in_use
                        title=in_use.then_some("Notes use this type; delete or change them first.")
                        class="mt-2 rounded-lg border border-red-300 px-3 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                    >
                        "Delete this note type"
                    </button>
                </PostForm>
            </details>
        </li>
    }
}
