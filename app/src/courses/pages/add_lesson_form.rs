use crate::courses::api::AddLesson;
use crate::ui::{field_message, refuse_while_pending, ErrorOutsideFields, FieldMessage};
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub(crate) fn AddLessonForm(course_id: Uuid) -> impl IntoView {
    let add = FormAction::<AddLesson>::new();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let message = Signal::derive(field_message(error, "title"));
    view! {
        <PostForm
            action=add
            attr:class="mt-4 flex flex-col gap-2 sm:flex-row sm:items-start"
            attr:novalidate=true
        >
            <input type="hidden" name="course_id" value=course_id.to_string() />
            <div class="flex-1">
                <label for="new-lesson-title" class="sr-only">
                    "New lesson title"
                </label>
                <input
                    id="new-lesson-title"
                    name="title"
                    required
                    maxlength="200"
                    placeholder="New lesson title"
                    class="field-input"
                    aria-describedby="new-lesson-message"
                    aria-invalid=move || message.get().is_some().to_string()
                />
                <FieldMessage message id="new-lesson-message".to_owned() />
                <ErrorOutsideFields error />
            </div>
            <button
                type="submit"
                class="button-primary"
                aria-disabled=move || add.pending().get().to_string()
                on:click=refuse_while_pending(add.pending())
            >
                "Add lesson"
            </button>
        </PostForm>
    }
}
