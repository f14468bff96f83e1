use super::note_type_fields::NoteTypeFields;
use crate::note_types::{api::CreateNoteType, NoteTypeInput};
use crate::ui::SubmitButton;
use leptos::prelude::*;

#[component]
pub(crate) fn NewNoteTypeForm(create: ServerAction<CreateNoteType>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let starter = NoteTypeInput {
        name: String::new(),
        kind: "standard".into(),
        fields: String::new(),
        templates: Vec::new(),
    };
    view! {
        <section class="panel" aria-labelledby="new-type-heading" data-testid="new-note-type">
            <h2 id="new-type-heading" class="mb-4 text-lg font-semibold">
                "New note type"
            </h2>
            <ActionForm action=create attr:class="space-y-4" attr:novalidate=true>
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
                        {move || created().then_some("Created. Use it from any deck's “Add notes” page.")}
                    </p>
                </div>
            </ActionForm>
        </section>
    }
}
