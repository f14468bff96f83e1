use super::note_type_fields::NoteTypeFields;
use crate::note_types::{api::CreateNoteType, NoteTypeInput, NOTE_TYPE_CREATED};
use crate::ui::{saved_by, SubmitButton};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;

#[component]
pub(crate) fn NewNoteTypeForm(
    create: FormAction<CreateNoteType>,
    /// What was typed, when a form posted without JavaScript was refused.
    typed: Option<NoteTypeInput>,
) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = saved_by(create, NOTE_TYPE_CREATED);
    let starter = typed.unwrap_or(NoteTypeInput {
        name: String::new(),
        kind: "standard".into(),
        fields: String::new(),
        templates: Vec::new(),
        delete_studied_cards: false,
    });
    // Once a type is made, the form starts afresh for the next one: a
    // reload of the page would leave the one-line fields as they were typed.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="new-type-heading" data-testid="new-note-type">
            <h2 id="new-type-heading" class="mb-4 text-lg font-semibold">
                "New note type"
            </h2>
            <PostForm action=create node_ref=form attr:class="space-y-4" attr:novalidate=true>
                <NoteTypeFields prefix="new".to_owned() input=starter error />
                <div class="flex items-center gap-3">
                    <div class="w-48">
                        <SubmitButton
                            label="Create note type"
                            pending_label="Creating…"
                            pending=create.pending()
                        />
                    </div>
                    <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                        {move || {
                            created.get().then_some("Created. Use it from any deck's “Add notes” page.")
                        }}
                    </p>
                </div>
            </PostForm>
        </section>
    }
}
