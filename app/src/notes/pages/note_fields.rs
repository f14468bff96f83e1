use super::tag_suggestions::TagSuggestions;
use super::upload_without_javascript::UploadWithoutJavaScript;
use crate::ui::{TextArea, TextLimit};
use crate::{
    error::AppError,
    media::editor::MediaDropZone,
    note_types::{template::NoteKind, NoteTypeOption},
    notes::api::PreviewNote,
    ui::{field_message, FieldMessage},
};
use leptos::prelude::*;

/// A note's field inputs and tags, with a preview of its cards rendered by
/// the server once typing pauses. Shared by the add and edit pages.
#[component]
pub(crate) fn NoteFields(
    note_type: Signal<NoteTypeOption>,
    values: RwSignal<Vec<String>>,
    tags: RwSignal<String>,
    save_error: Signal<Option<AppError>>,
    preview: ServerAction<PreviewNote>,
    /// The add-notes editor keeps tags for the next note of the same type.
    #[prop(optional)]
    tags_carry_over: bool,
    /// Said after a file uploaded without JavaScript was added to a field.
    upload_notice: Option<String>,
) -> impl IntoView {
    // Preview after typing pauses, so the server renders once per pause.
    let pending_preview = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let fields = values.get();
        let note_type = note_type.get();
        if let Some(handle) = pending_preview.get_value() {
            handle.clear();
        }
        if fields.iter().all(|field| field.trim().is_empty()) {
            // Empty fields (a new note type, or the next note after a save)
            // show no cards, not the previous note's.
            preview.value().set(None);
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                preview.dispatch(PreviewNote {
                    input: crate::notes::PreviewInput {
                        note_type: note_type.choice,
                        fields: fields.clone(),
                    },
                });
            },
            std::time::Duration::from_millis(300),
        )
        .ok();
        pending_preview.set_value(handle);
    });
    // A preview still waiting when the editor goes (a navigation) is dropped.
    on_cleanup(move || {
        if let Some(handle) = pending_preview.try_get_value().flatten() {
            handle.clear();
        }
    });

    let preview_error = Signal::derive(move || preview.value().get().and_then(Result::err));
    // A save's message about a field holds for the text it was about: once
    // the field is edited, the preview (sent as typing pauses) says whether
    // the new text will do.
    let fields_refused = Memo::new(move |_| save_error.get().map(|_| values.get_untracked()));
    let field_error = move |index: usize, name: String| {
        move || {
            let edited_since_refused = fields_refused.with(|refused| {
                refused
                    .as_ref()
                    .is_some_and(|refused| values.with(|values| values.get(index) != refused.get(index)))
            });
            save_error
                .get()
                .filter(|_| !edited_since_refused)
                .and_then(|error| error.field_message(&name))
                .or_else(|| preview_error.get().and_then(|error| error.field_message(&name)))
        }
    };
    view! {
        {move || {
            note_type
                .get()
                .shape
                .fields
                .into_iter()
                .enumerate()
                .map(|(index, name)| {
                    let id = format!("note-field-{index}");
                    let message_id = format!("{id}-message");
                    let message = Signal::derive(field_error(index, name.clone()));
                    let textarea = view! {
                        <TextArea
                            id=id.clone()
                            name=format!("input[fields][{index}]")
                            rows=3
                            described_by=message_id.clone()
                            invalid=Signal::derive(move || message.get().is_some())
                            limit=Some(TextLimit::Bytes(crate::notes::MAX_FIELD_BYTES))
                            value=Signal::derive(move || {
                                values.with(|values| values.get(index).cloned().unwrap_or_default())
                            })
                            on_input=Callback::new(move |text: String| {
                                values
                                    .update(|values| {
                                        if let Some(value) = values.get_mut(index) {
                                            *value = text;
                                        }
                                    });
                            })
                        />
                    };
                    let insert = Callback::new(move |embed: String| {
                        values
                            .update(|values| {
                                if let Some(value) = values.get_mut(index) {
                                    if !value.trim().is_empty() {
                                        value.push_str("\n\n");
                                    }
                                    value.push_str(&embed);
                                }
                            });
                    });
                    view! {
                        <div>
                            <label for=id class="field-label">
                                {name.clone()}
                            </label>
                            <MediaDropZone
                                on_uploaded=insert
                                field_name=name
                                field_empty=Signal::derive(move || {
                                    values.with(|values| values.get(index).is_none_or(String::is_empty))
                                })
                            >
                                {textarea}
                            </MediaDropZone>
                            <FieldMessage message id=message_id />
                        </div>
                    }
                })
                .collect_view()
        }}
        <UploadWithoutJavaScript note_type save_error notice=upload_notice />
        <div>
            <label for="note-tags" class="field-label">
                "Tags"
            </label>
            <input
                id="note-tags"
                name="input[tags]"
                placeholder="verbs a1"
                class="field-input"
                value=tags.get_untracked()
                prop:value=move || tags.get()
                on:input=move |event| tags.set(event_target_value(&event))
                aria-describedby="note-tags-message"
                aria-invalid=move || {
                    save_error.get().and_then(|error| error.field_message("tags")).is_some().to_string()
                }
            />
            <TagSuggestions tags />
            {move || {
                let tags_refused = save_error.get().and_then(|error| error.field_message("tags")).is_some();
                (tags_carry_over && !tags_refused && !tags.with(|tags| tags.trim().is_empty()))
                    .then(|| {
                        view! {
                            <p
                                class="js-only mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400"
                                data-testid="tags-carry-over"
                            >
                                {format!("These tags stay for your next {} note.", note_type.get().name)}
                                <button
                                    type="button"
                                    class="rounded-md px-2 py-0.5 text-indigo-700 underline hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
                                    on:click=move |_| tags.set(String::new())
                                >
                                    "Clear tags"
                                </button>
                            </p>
                        }
                    })
            }}
            <FieldMessage
                message=Signal::derive(field_message(save_error, "tags"))
                id="note-tags-message".into()
            />
        </div>
        <p class="text-sm text-slate-500 dark:text-slate-400">
            "Markdown, $formulas$ and ``` code blocks ``` work in every field. "
            {move || {
                (note_type.get().shape.kind == NoteKind::Cloze)
                    .then_some("Hide text with {{c1::answer}} or {{c1::answer::hint}}.")
            }}
        </p>
    }
}
